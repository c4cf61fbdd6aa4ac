"""The numbers notebook 06 quotes: recomputed with helpers, and found in its stored outputs."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import convnet, network
from helpers.conv import conv_matrix, convolve1d, correlate1d
from helpers.data import load_pattern_signals
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
    assert "dC/dW at the zero entries of W: [ 6 -8]" in text


SPLITS = ("train", "test", "moved")


@pytest.fixture(scope="module")
def trained():
    data = {s: load_pattern_signals(s)[:2] for s in SPLITS}
    X_train, y_train = data["train"]
    Y_train = np.eye(2)[y_train]
    p, cost_p = convnet.train(X_train, Y_train, convnet.init_params(seed=0), lr=20.0, epochs=500)
    q, cost_q = network.train(X_train, Y_train, network.init_params((32, 29, 2), seed=0), lr=5.0,
                              epochs=500)
    return {"data": data, "p": p, "q": q, "cost": (cost_p, cost_q),
            "conv": [convnet.accuracy(X, y, p) for X, y in data.values()],
            "dense": [network.accuracy(X, y, q) for X, y in data.values()]}


def test_trivial_baselines_are_at_chance(notebook_text, trained):
    X_train, y_train = trained["data"]["train"]
    text = notebook_text("06")
    for name, fit, feature in [("energy, threshold", convnet.fit_threshold, lambda X: (X**2).sum(1)),
                               ("max |x|, threshold", convnet.fit_threshold,
                                lambda X: np.abs(X).max(1)),
                               ("linear model on |x|", convnet.fit_linear, np.abs),
                               ("nearest training signal", convnet.fit_nearest, lambda X: X)]:
        predict = fit(feature(X_train), y_train)
        accs = [np.mean(predict(feature(X)) == y) for X, y in trained["data"].values()]
        if name.startswith("nearest"):   # memorising: perfect where training looked, chance elsewhere
            assert [round(a, 3) for a in accs] == [1.0, 1.0, 0.5]
        else:
            assert max(accs[1:]) < 0.6
        assert f"{name:24}" + "".join(f"{a:7.3f}" for a in accs) in text
    assert "same energy: 13.0 13.0 | same sorted values: True | same spectrum: True" in text


def test_the_hand_made_detector(notebook_text, trained):
    X_train, y_train = trained["data"]["train"]
    pattern = load_pattern_signals()[2]

    def score(X):
        return np.array([correlate1d(x, pattern).max() for x in X])

    predict = convnet.fit_threshold(score(X_train), y_train)
    accs = [np.mean(predict(score(X)) == y) for X, y in trained["data"].values()]
    assert [round(a, 3) for a in accs] == [0.973, 0.987, 0.967]
    assert "accuracy train 0.973 test 0.987 moved 0.967" in notebook_text("06")


def test_convolutional_versus_dense(notebook_text, trained):
    assert convnet.param_count(trained["p"]) == 65 and convnet.param_count(trained["q"]) == 1017
    c, d = trained["conv"], trained["dense"]
    assert [round(v, 3) for v in c] == [0.987, 0.947, 0.5]
    assert [round(v, 3) for v in d] == [0.996, 0.98, 0.393]
    text = notebook_text("06")
    assert f"{'convolutional':14}{65:11}{c[0]:8.3f}{c[1]:8.3f}" in text
    assert f"{'dense':14}{1017:11}{d[0]:8.3f}{d[1]:8.3f}" in text
    assert f"accuracy: train {c[0]:.3f}, test {c[1]:.3f}" in text
    assert f"{'convolutional':14}{c[1]:13.3f}{c[2]:15.3f}" in text
    assert f"{'dense':14}{d[1]:13.3f}{d[2]:15.3f}" in text
    cost_p, cost_q = trained["cost"]
    assert (round(cost_p[0], 2), round(cost_p[-1], 3)) == (0.48, 0.031)
    assert (round(cost_q[0], 2), round(cost_q[-1], 3)) == (0.28, 0.011)
    assert int(np.argmax(np.diff(cost_p))) + 2 == 106             # history[i]: after step i + 1
    assert round(cost_p[49], 2) == 0.25                            # "a plateau near 0.25"
    assert f"after step 50: {cost_p[49]:.4f} (a plateau); the cost rises most at step 106" in text
    assert "cost: 0.4813 after the first step, 0.0309 after the last" in text


def test_the_learned_kernel(notebook_text, trained):
    k = trained["p"]["w"][0]
    pattern = load_pattern_signals()[2]

    def cos(a, b):
        return a @ b / np.linalg.norm(a) / np.linalg.norm(b)

    assert (round(cos(k, pattern), 2), round(cos(k, pattern[::-1]), 2)) == (-0.84, -0.22)
    assert "cosine with the pattern: -0.84, with the decoy: -0.22" in notebook_text("06")


def test_moving_the_pattern(notebook_text, trained):
    X_moved, y_moved = trained["data"]["moved"]
    X_test, y_test = trained["data"]["test"]
    pooled = convnet.shared_head(trained["p"], positions=range(0, 20))
    shared = convnet.accuracy(X_test, y_test, pooled), convnet.accuracy(X_moved, y_moved, pooled)
    assert [round(v, 3) for v in shared] == [0.94, 0.82]
    row = np.flatnonzero(y_moved == 1)[0]
    z = convnet.forward(X_moved[row:row + 1], trained["p"])["Z_h"][0, 0]
    assert int(z.argmin()) == load_pattern_signals("moved")[3][row] == 28
    text = notebook_text("06")
    assert f"{'convolutional, shared head':26}{shared[0]:13.3f}{shared[1]:15.3f}" in text
    assert f"z_h is lowest at position 28 ({z.min():.1f})" in text
    assert "training patterns and decoys cover samples 0 to 22" in text
    assert "test  (150, 32)  with the pattern: 75 of 150, starting at samples 0-19" in text
    assert "moved (150, 32)  with the pattern: 75 of 150, starting at samples 20-28" in text
    assert "noise standard deviation 0.3" in text
    assert "test accuracy 0.947 (seed 0: 0.947)" in text


def test_the_nearest_training_signal_has_the_same_shape_and_position():
    X_tr, y_tr, _, p_tr = load_pattern_signals("train")
    X_te, y_te, _, p_te = load_pattern_signals("test")
    nearest = ((X_te[:, None] - X_tr[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert np.array_equal(y_tr[nearest], y_te) and np.array_equal(p_tr[nearest], p_te)


def test_the_conclusions_hold_for_other_starts():
    """Not one lucky seed: for seeds 0-5 the shared head beats every baseline on moved signals,
    the position-wise head does not, and the dense network stays below chance there."""
    X_tr, y_tr, _, _ = load_pattern_signals("train")
    X_mv, y_mv, _, _ = load_pattern_signals("moved")
    Y_tr = np.eye(2)[y_tr]
    for seed in range(6):
        p, _ = convnet.train(X_tr, Y_tr, convnet.init_params(seed=seed), lr=20.0, epochs=500)
        assert convnet.accuracy(X_mv, y_mv, p) < 0.6
        assert convnet.accuracy(X_mv, y_mv, convnet.shared_head(p, range(20))) > 0.75
    for seed in range(3):
        q, _ = network.train(X_tr, Y_tr, network.init_params((32, 29, 2), seed=seed), lr=5.0,
                             epochs=500)
        assert network.accuracy(X_mv, y_mv, q) < 0.55
