"""The numbers notebook 06 quotes: recomputed with helpers, and found in its stored outputs."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import convnet, network
from helpers.conv import conv_matrix, convolve1d, correlate1d
from helpers.data import load_pattern_signals, make_pattern_signals
from helpers.gradcheck import numerical_gradient, relative_error

X, W = np.array([1, 2, 3, 4]), np.array([5, 6, 7])
T = np.array([40, 50])


def test_the_matrix_of_the_seed(notebook_text):
    M = conv_matrix(W, 4)
    assert (M @ X).tolist() == [5, 16, 34, 52, 45, 28]
    assert np.count_nonzero(M) == 12 and M.size == 24
    text = notebook_text("06")
    assert str(M) in text
    assert "M @ x      = [ 5 16 34 52 45 28]" in text
    assert "(12 non-zero entries of M, 12 zeros)" in text
    assert "dense: n·m = 32·29 = 928 weights" in text


def test_the_layer_correlates(notebook_text):
    M = convnet.layer_matrix(W, 4)
    assert (M @ X).tolist() == [38, 56]
    assert "M_layer @ x = [38 56]" in notebook_text("06")


def test_feature_maps_with_two_kernels(notebook_text):
    Z = np.column_stack([correlate1d(X, W), correlate1d(X, [1, 0, -1])]) + np.array([-47, 0])
    assert Z.tolist() == [[-9, -2], [9, -2]]
    assert "[[-9 -2]\n [ 9 -2]]" in notebook_text("06")


def test_the_gradients_of_the_seed_layer(notebook_text):
    delta = correlate1d(X, W) - T
    assert delta.tolist() == [-2, 6]
    assert correlate1d(X, delta).tolist() == [10, 14, 18]
    assert convolve1d(delta, W, "full").tolist() == [-10, 18, 22, 42]
    assert np.array_equal(convnet.layer_matrix(W, 4).T @ delta, convolve1d(delta, W, "full"))
    assert correlate1d(delta, W, "full").tolist() == [-14, 30, 26, 30]

    xf, wf = X.astype(float), W.astype(float)

    def cost(_):
        return 0.5 * np.sum((correlate1d(xf, wf) - T) ** 2)

    assert relative_error(numerical_gradient(cost, wf), correlate1d(xf, delta)) < 1e-7
    assert relative_error(numerical_gradient(cost, xf), convolve1d(delta, wf, "full")) < 1e-7
    text = notebook_text("06")
    assert "correlate1d(x, delta):     [10 14 18]" in text
    assert "convolve1d(delta, w, 'full'): [-10  18  22  42]" in text
    assert "relative error < 1e-7, w: True | x: True" in text
    assert "dC/dM at the zero entries of M: [-8  6]" in text


@pytest.fixture(scope="module")
def trained():
    X_train, y_train, _, _ = load_pattern_signals("train")
    X_test, y_test, _, _ = load_pattern_signals("test")
    Y_train = np.eye(2)[y_train]
    p, _ = convnet.train(X_train, Y_train, convnet.init_params(seed=1), lr=20.0, epochs=500)
    q, _ = network.train(X_train, Y_train, network.init_params((32, 29, 2), seed=1), lr=5.0,
                         epochs=500)
    return {
        "conv": (convnet.accuracy(X_train, y_train, p), convnet.accuracy(X_test, y_test, p)),
        "dense": (network.accuracy(X_train, y_train, q), network.accuracy(X_test, y_test, q)),
        "p": p, "q": q,
    }


def test_convolutional_versus_dense(notebook_text, trained):
    assert convnet.n_params(trained["p"]) == 65 and convnet.n_params(trained["q"]) == 1017
    assert trained["conv"][1] > trained["dense"][1] + 0.1
    text = notebook_text("06")
    c, d = trained["conv"], trained["dense"]
    assert f"{'convolutional':14}{65:11}{c[0]:8.3f}{c[1]:8.3f}" in text
    assert f"{'dense':14}{1017:11}{d[0]:8.3f}{d[1]:8.3f}" in text
    assert f"accuracy: train {c[0]:.3f}, test {c[1]:.3f}" in text


def test_the_learned_kernel_looks_like_the_pattern(notebook_text, trained):
    k = trained["p"]["w"][0]
    pattern = np.array([1.0, 2.0, -2.0, -1.0])
    cos = k @ pattern / np.linalg.norm(k) / np.linalg.norm(pattern)
    assert cos > 0.5
    assert f"cosine with the pattern: {cos:.2f}, with the reversed pattern: {-cos:.2f}" in \
        notebook_text("06")


def test_moving_the_pattern(notebook_text):
    X_seen, y_seen, _, _ = make_pattern_signals(450, 32, seed=10, positions=range(0, 20))
    X_same, y_same, _, _ = make_pattern_signals(150, 32, seed=11, positions=range(0, 20))
    X_new, y_new, _, _ = make_pattern_signals(150, 32, seed=12, positions=range(20, 29))
    Y_seen = np.eye(2)[y_seen]
    p, _ = convnet.train(X_seen, Y_seen, convnet.init_params(seed=1), lr=20.0, epochs=500)
    q, _ = network.train(X_seen, Y_seen, network.init_params((32, 29, 2), seed=1), lr=5.0,
                         epochs=500)
    pooled = convnet.shared_head(p, positions=range(0, 20))
    conv = convnet.accuracy(X_same, y_same, p), convnet.accuracy(X_new, y_new, p)
    dense = network.accuracy(X_same, y_same, q), network.accuracy(X_new, y_new, q)
    shared = convnet.accuracy(X_same, y_same, pooled), convnet.accuracy(X_new, y_new, pooled)
    assert conv[1] < 0.7 and dense[1] < 0.7 and shared[1] > 0.9
    text = notebook_text("06")
    assert f"{'convolutional':14}{conv[0]:16.3f}{conv[1]:17.3f}" in text
    assert f"{'dense':14}{dense[0]:16.3f}{dense[1]:17.3f}" in text
    assert f"{'convolutional, shared head':26}{shared[0]:16.3f}{shared[1]:17.3f}" in text
