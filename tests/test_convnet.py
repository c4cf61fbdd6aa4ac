"""helpers.convnet: the layer's matrix, the tied sum, and gradients against central differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import convnet
from helpers.conv import conv_matrix, convolve1d, correlate1d
from helpers.data import load_pattern_signals
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.network import loss

small_ints = st.lists(st.integers(-9, 9), min_size=1, max_size=8)


# ---------------------------------------------------------------- the matrix and the tied sum


def test_layer_matrix_of_the_seed():
    M = convnet.layer_matrix([5, 6, 7], 4)
    assert M.tolist() == [[5, 6, 7, 0], [0, 5, 6, 7]]
    assert (M @ np.array([1, 2, 3, 4])).tolist() == [38, 56]   # the seed's 38: a correlation


@settings(max_examples=60, deadline=None)
@given(x=small_ints, w=small_ints)
def test_layer_matrix_is_valid_correlation(x, w):
    if len(w) > len(x):
        x, w = w, x
    M = convnet.layer_matrix(w, len(x))
    assert np.array_equal(M @ np.array(x), np.correlate(x, w, "valid"))
    assert np.array_equal(M, conv_matrix(np.array(w)[::-1], len(x), "valid"))


@settings(max_examples=60, deadline=None)
@given(a=small_ints, k=st.integers(1, 4))
def test_tied_sum_of_the_outer_product_is_a_correlation(a, k):
    if k > len(a):
        return
    delta = np.arange(len(a) - k + 1) - 1.5
    G = np.outer(delta, a)
    assert np.allclose(convnet.tied_sum(G, k), correlate1d(np.array(a, float), delta, "valid"))


def test_tied_sum_ignores_entries_off_the_band():
    G = np.array([[1, 2, 3, 40], [50, 6, 7, 8]])
    assert convnet.tied_sum(G, 3).tolist() == [7, 9, 11]


def test_tied_sum_rejects_a_wrong_shape():
    with pytest.raises(ValueError, match=r"\(L, L \+ k - 1\)"):
        convnet.tied_sum(np.ones((2, 3)), 3)


def test_layer_matrix_rejects_a_2d_kernel():
    with pytest.raises(ValueError, match="1D"):
        convnet.layer_matrix(np.ones((2, 2)), 4)


# ---------------------------------------------------------------- forward


def test_forward_is_a_correlation_per_sample_and_filter():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(3, 10))
    p = convnet.init_params(n=10, k=3, filters=2, seed=4)
    p["b1"] = np.array([0.5, -1.0])
    cache = convnet.forward(X, p)
    assert cache["Z_h"].shape == (3, 2, 8) and cache["H"].shape == (3, 16)
    for n in range(3):
        for f in range(2):
            assert np.allclose(cache["Z_h"][n, f], correlate1d(X[n], p["w"][f]) + p["b1"][f])
    assert np.allclose(cache["Y_hat"], 1 / (1 + np.exp(-(cache["H"] @ p["V"] + p["b2"]))))


def test_init_params_shapes_and_count():
    p = convnet.init_params(n=32, k=4, filters=3, seed=0)
    assert {k: v.shape for k, v in p.items()} == {"w": (3, 4), "b1": (3,), "V": (87, 2),
                                                  "b2": (2,)}
    assert convnet.param_count(convnet.init_params()) == 65


def test_init_params_is_deterministic():
    a, b = convnet.init_params(seed=3), convnet.init_params(seed=3)
    assert all(np.array_equal(a[k], b[k]) for k in convnet.KEYS)


@pytest.mark.parametrize("kwargs, message", [
    (dict(n=3, k=4), "longer"),
    (dict(n=0), "n"),
    (dict(filters=0), "filters"),
])
def test_init_params_rejects_bad_sizes(kwargs, message):
    with pytest.raises(ValueError, match=message):
        convnet.init_params(**kwargs)


def test_forward_rejects_params_of_the_wrong_size():
    p = convnet.init_params(n=32)
    with pytest.raises(ValueError, match="do not fit signals of length 20"):
        convnet.forward(np.zeros((2, 20)), p)
    with pytest.raises(ValueError, match="missing"):
        convnet.forward(np.zeros((2, 32)), {"w": p["w"]})


# ---------------------------------------------------------------- backward


def numerical_grads(X, Y, p):
    out = {}
    for key in convnet.KEYS:
        q = {k: v.copy() for k, v in p.items()}
        out[key] = numerical_gradient(lambda _, q=q: loss(convnet.forward(X, q)["Y_hat"], Y),
                                      q[key])
    return out


@pytest.mark.parametrize("filters, seed", [(1, 0), (1, 1), (2, 3), (3, 5)])
def test_backward_matches_central_differences(filters, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(6, 12))
    Y = np.eye(2)[rng.integers(0, 2, size=6)]
    p = convnet.init_params(n=12, k=4, filters=filters, seed=seed)
    p["b1"] = rng.normal(size=filters)
    p["b2"] = rng.normal(size=2)
    grads = convnet.backward(Y, convnet.forward(X, p), p)
    numeric = numerical_grads(X, Y, p)
    for key in convnet.KEYS:
        assert grads[key].shape == p[key].shape
        assert relative_error(grads[key], numeric[key]) < 1e-7, key


def test_backward_on_the_pattern_signals_matches_central_differences():
    X, y, _, _ = load_pattern_signals("train")
    X, Y = X[:5], np.eye(2)[y[:5]]
    p = convnet.init_params(seed=1)
    grads = convnet.backward(Y, convnet.forward(X, p), p)
    numeric = numerical_grads(X, Y, p)
    assert all(relative_error(grads[k], numeric[k]) < 1e-7 for k in convnet.KEYS)


def test_tied_weight_gradient_is_the_sum_over_samples_of_correlations():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(4, 9))
    Y = np.eye(2)[[0, 1, 1, 0]]
    p = convnet.init_params(n=9, k=3, filters=2, seed=2)
    cache = convnet.forward(X, p)
    delta_out = (cache["Y_hat"] - Y) / 4 * cache["Y_hat"] * (1 - cache["Y_hat"])
    H = cache["H"].reshape(cache["Z_h"].shape)
    delta_conv = (delta_out @ p["V"].T).reshape(H.shape) * H * (1 - H)
    grads = convnet.backward(Y, cache, p)
    for f in range(2):
        expected = sum(correlate1d(X[n], delta_conv[n, f]) for n in range(4))
        assert np.allclose(grads["w"][f], expected)
    assert np.allclose(grads["b1"], delta_conv.sum(axis=(0, 2)))


def test_input_gradient_is_a_full_convolution():
    # the private backward step returns dC/dA = delta @ M, checked against the formula
    rng = np.random.default_rng(3)
    A, w = rng.normal(size=(2, 7)), rng.normal(size=(1, 3))
    M = np.stack([convnet.layer_matrix(w[0], 7)])
    delta = rng.normal(size=(2, 1, 5))
    _, _, dA = convnet._conv_backward(delta, A, M)
    for n in range(2):
        assert np.allclose(dA[n], convolve1d(delta[n, 0], w[0], "full"))

    def cost(a):
        return float(np.sum(convnet._conv(a, M, np.zeros(1)) * delta))

    assert relative_error(dA, numerical_gradient(cost, A.copy())) < 1e-7


def test_backward_checks_its_inputs():
    p = convnet.init_params(n=8, k=3)
    X = np.zeros((2, 8))
    cache = convnet.forward(X, p)
    with pytest.raises(ValueError, match="shape of Y_hat"):
        convnet.backward(np.zeros((3, 2)), cache, p)
    with pytest.raises(ValueError, match="cache is missing"):
        convnet.backward(np.zeros((2, 2)), {"X": X}, p)


# ---------------------------------------------------------------- training and the head


def test_train_lowers_the_cost_and_leaves_params_alone():
    X, y, _, _ = load_pattern_signals("train")
    X, Y = X[:60], np.eye(2)[y[:60]]
    p0 = convnet.init_params(seed=1)
    before = {k: v.copy() for k, v in p0.items()}
    p, history = convnet.train(X, Y, p0, lr=5.0, epochs=40)
    assert history.shape == (40,)
    assert history[-1] < loss(convnet.forward(X, p0)["Y_hat"], Y)
    assert np.isclose(history[-1], loss(convnet.forward(X, p)["Y_hat"], Y))
    assert all(np.array_equal(p0[k], before[k]) for k in convnet.KEYS)
    again, _ = convnet.train(X, Y, p0, lr=5.0, epochs=40)
    assert all(np.array_equal(p[k], again[k]) for k in convnet.KEYS)


def test_train_checks_its_inputs():
    p = convnet.init_params(n=8, k=3)
    with pytest.raises(ValueError, match="Y must have shape"):
        convnet.train(np.zeros((4, 8)), np.zeros((3, 2)), p, lr=1.0, epochs=1)
    with pytest.raises(ValueError):
        convnet.train(np.zeros((4, 8)), np.zeros((4, 2)), p, lr=-1.0, epochs=1)


def test_shared_head_uses_one_weight_per_filter():
    p = convnet.init_params(n=10, k=3, filters=2, seed=0)
    s = convnet.shared_head(p, positions=range(4))
    V = s["V"].reshape(2, 8, 2)
    assert np.allclose(V, V[:, :1])
    assert np.allclose(V[:, 0], p["V"].reshape(2, 8, 2)[:, :4].mean(axis=1))
    assert np.array_equal(s["w"], p["w"]) and s["w"] is not p["w"]
    with pytest.raises(ValueError, match="positions"):
        convnet.shared_head(p, positions=[8])


def test_predict_and_accuracy():
    p = {"w": np.ones((1, 2)), "b1": np.zeros(1), "V": np.array([[2.0, -2.0]]),
         "b2": np.array([-1.0, 1.0])}
    X = [[1.0, 1.0], [-1.0, -1.0]]
    assert convnet.predict(X, p).tolist() == [0, 1]
    assert convnet.accuracy(X, [0, 1], p) == 1.0
