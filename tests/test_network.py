"""The 3-4-2 network: hand-worked numbers, gradients against central differences, training."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.activations import sigmoid, sigmoid_prime
from helpers.data import load_breast_cancer3, train_test_split
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.network import (
    accuracy,
    backward,
    backward_einsum,
    backward_jacobian,
    dense_jacobians,
    flatten_params,
    forward,
    forward_loops,
    init_params,
    loss,
    param_count,
    predict,
    train,
    unflatten_params,
)

KEYS = ("W", "b1", "V", "b2")


def problem(sizes=(3, 4, 2), m=5, seed=0):
    """Random inputs, one-hot targets and parameters for an n_in-n_h-n_out network."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, sizes[0]))
    Y = np.eye(sizes[2])[rng.integers(0, sizes[2], m)]
    params = init_params(sizes, seed=seed)
    params["b1"] = 0.1 * rng.normal(size=sizes[1])  # non-zero biases exercise db1, db2
    params["b2"] = 0.1 * rng.normal(size=sizes[2])
    return X, Y, params


def numerical_grads(X, Y, params):
    p = {k: v.copy() for k, v in params.items()}

    def cost(_):
        return loss(forward(X, p)["Y_hat"], Y)

    return {k: numerical_gradient(cost, p[k]) for k in KEYS}


# --- init and forward ---------------------------------------------------------------


def test_init_params_shapes_scale_and_determinism():
    p = init_params()
    assert {k: v.shape for k, v in p.items()} == {"W": (3, 4), "b1": (4,), "V": (4, 2),
                                                  "b2": (2,)}
    assert all(v.dtype == np.float64 for v in p.values())
    np.testing.assert_array_equal(p["b1"], 0.0)
    np.testing.assert_array_equal(p["b2"], 0.0)
    q = init_params(seed=0)
    assert all(np.array_equal(p[k], q[k]) for k in KEYS)
    assert not np.array_equal(p["W"], init_params(seed=1)["W"])
    big = init_params((400, 300, 200), seed=0)  # normal / sqrt(fan_in)
    assert big["W"].std() == pytest.approx(1 / np.sqrt(400), rel=0.02)
    assert big["V"].std() == pytest.approx(1 / np.sqrt(300), rel=0.02)


def test_forward_by_hand():
    # x = [1, 0, -1], all weights 1: h' = 1 + 0 - 1 = 0, h = 1/2, y' = 4 * 1/2 = 2
    p = {"W": np.ones((3, 4)), "b1": np.zeros(4), "V": np.ones((4, 2)), "b2": np.zeros(2)}
    c = forward(np.array([[1.0, 0.0, -1.0]]), p)
    np.testing.assert_array_equal(c["Z_h"], [[0, 0, 0, 0]])
    np.testing.assert_array_equal(c["H"], [[0.5, 0.5, 0.5, 0.5]])
    np.testing.assert_array_equal(c["Z_y"], [[2.0, 2.0]])
    np.testing.assert_allclose(c["Y_hat"], [[1 / (1 + np.exp(-2))] * 2], rtol=1e-15)


def test_forward_shapes_and_formulas():
    X, _, p = problem(m=6)
    c = forward(X, p)
    assert [c[k].shape for k in ("X", "Z_h", "H", "Z_y", "Y_hat")] == [
        (6, 3), (6, 4), (6, 4), (6, 2), (6, 2)]
    np.testing.assert_allclose(c["Z_h"], X @ p["W"] + p["b1"])
    np.testing.assert_allclose(c["Y_hat"], sigmoid(sigmoid(X @ p["W"] + p["b1"]) @ p["V"]
                                                   + p["b2"]))


def test_forward_matches_the_loop_version_sample_by_sample():
    X, _, p = problem(m=4, seed=3)
    c = forward(X, p)
    for r in range(4):
        loops = forward_loops(X[r], p)
        for key in ("Z_h", "H", "Z_y", "Y_hat"):
            np.testing.assert_allclose(loops[key], c[key][r], rtol=1e-13)


def test_a_1d_sample_is_treated_as_one_row():
    X, _, p = problem(m=1)
    single, batch = forward(X[0], p), forward(X, p)
    assert single["X"].shape == (1, 3) and single["Y_hat"].shape == (1, 2)
    np.testing.assert_array_equal(single["Y_hat"], batch["Y_hat"])


def test_forward_with_huge_inputs_does_not_warn():
    _, _, p = problem()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c = forward(np.array([[1e3, -1e3, 1e3]]), p)
    assert np.all(np.isfinite(c["Y_hat"]))


# --- loss -------------------------------------------------------------------------------


def test_loss_by_hand():
    # 1/(2*1) * ((0.8-1)^2 + (0.4-0)^2) = 0.5 * 0.2 = 0.1
    assert loss(np.array([[0.8, 0.4]]), np.array([[1.0, 0.0]])) == pytest.approx(0.1, abs=1e-15)
    # two samples: (0.04 + 0.16 + 0.25 + 0.25) / (2*2) = 0.175
    Y_hat, Y = np.array([[0.8, 0.4], [0.5, 0.5]]), np.array([[1.0, 0.0], [0.0, 1.0]])
    assert loss(Y_hat, Y) == pytest.approx(0.175, abs=1e-15)
    assert isinstance(loss(Y_hat, Y), float)
    assert loss(Y, Y) == 0.0


def test_loss_of_a_1d_pair_is_one_sample():
    assert loss(np.array([0.8, 0.4]), np.array([1.0, 0.0])) == pytest.approx(0.1, abs=1e-15)


# --- backward -----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_backward_matches_central_differences_342(seed):
    X, Y, p = problem(m=8, seed=seed)
    grads, numeric = backward(Y, forward(X, p), p), numerical_grads(X, Y, p)
    for key in KEYS:
        assert grads[key].shape == p[key].shape
        assert relative_error(grads[key], numeric[key]) < 1e-7, key


@settings(max_examples=25, deadline=None)
@given(n_in=st.integers(1, 5), n_h=st.integers(1, 6), n_out=st.integers(1, 4),
       m=st.integers(1, 7), seed=st.integers(0, 2**16))
def test_backward_matches_central_differences_any_shape(n_in, n_h, n_out, m, seed):
    X, Y, p = problem((n_in, n_h, n_out), m=m, seed=seed)
    grads, numeric = backward(Y, forward(X, p), p), numerical_grads(X, Y, p)
    for key in KEYS:
        assert relative_error(grads[key], numeric[key]) < 1e-7, key


@settings(max_examples=25, deadline=None)
@given(n_in=st.integers(1, 5), n_h=st.integers(1, 6), n_out=st.integers(1, 4),
       m=st.integers(1, 7), seed=st.integers(0, 2**16))
def test_hadamard_jacobian_and_einsum_backwards_agree(n_in, n_h, n_out, m, seed):
    X, Y, p = problem((n_in, n_h, n_out), m=m, seed=seed)
    c = forward(X, p)
    g, gj, ge = backward(Y, c, p), backward_jacobian(Y, c, p), backward_einsum(Y, c, p)
    for key in KEYS:
        np.testing.assert_allclose(gj[key], g[key], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(ge[key], g[key], rtol=1e-12, atol=1e-15)


def test_backward_is_the_hadamard_form_written_out():
    X, Y, p = problem(m=6, seed=2)
    c = forward(X, p)
    delta_out = (c["Y_hat"] - Y) / 6 * sigmoid_prime(c["Z_y"])
    delta_hidden = (delta_out @ p["V"].T) * sigmoid_prime(c["Z_h"])
    g = backward(Y, c, p)
    np.testing.assert_allclose(g["V"], c["H"].T @ delta_out, rtol=1e-15)
    np.testing.assert_allclose(g["b2"], delta_out.sum(0), rtol=1e-15)
    np.testing.assert_allclose(g["W"], X.T @ delta_hidden, rtol=1e-15)
    np.testing.assert_allclose(g["b1"], delta_hidden.sum(0), rtol=1e-15)


def test_the_seeds_hadamard_only_weight_gradient_has_the_wrong_shape():
    X, Y, p = problem(m=1)
    c = forward(X, p)
    seed_dC_dv = (c["Y_hat"] - Y) * sigmoid_prime(c["Z_y"])  # (ŷ - y) ⊙ σ'(y')
    assert seed_dC_dv.shape == (1, 2) != p["V"].shape == (4, 2)
    # the missing factor is the outer product with h: dC/dV = h^T (ŷ - y) ⊙ σ'(y')
    np.testing.assert_allclose(backward(Y, c, p)["V"], np.outer(c["H"][0], seed_dC_dv[0]))


def test_dense_jacobian_wrt_weights_is_a_kronecker_product():
    a, W = np.array([2.0, 3.0]), np.arange(6.0).reshape(2, 3)
    J = dense_jacobians(a, W)
    assert J["W"].shape == (3, 6)
    numeric = np.stack([numerical_gradient(lambda w, k=k: (a @ w)[k], W.copy()).ravel()
                        for k in range(3)])
    np.testing.assert_allclose(J["W"], numeric, atol=1e-9)
    np.testing.assert_array_equal(J["a"], W.T)


# --- training --------------------------------------------------------------------------


def test_train_decreases_the_loss_and_reports_it_after_each_update():
    X, Y, p = problem(m=40, seed=1)
    start = loss(forward(X, p)["Y_hat"], Y)
    trained, history = train(X, Y, p, lr=0.5, epochs=200)
    assert history.shape == (200,)
    assert np.all(np.diff(history) <= 0)  # small steps: monotone
    assert history[0] < start
    assert history[-1] == loss(forward(X, trained)["Y_hat"], Y)


def test_train_is_deterministic_and_does_not_mutate_its_input():
    X, Y, p = problem(m=20)
    before = {k: v.copy() for k, v in p.items()}
    p1, h1 = train(X, Y, p, lr=1.0, epochs=50)
    p2, h2 = train(X, Y, p, lr=1.0, epochs=50)
    assert all(np.array_equal(p[k], before[k]) for k in KEYS)
    assert all(np.array_equal(p1[k], p2[k]) for k in KEYS)
    np.testing.assert_array_equal(h1, h2)
    assert all(p1[k] is not p[k] for k in KEYS)


def test_train_with_zero_epochs_returns_a_copy_and_no_history():
    X, Y, p = problem()
    trained, history = train(X, Y, p, lr=1.0, epochs=0)
    assert history.shape == (0,)
    assert all(np.array_equal(trained[k], p[k]) and trained[k] is not p[k] for k in KEYS)


def test_train_is_one_gradient_step_per_epoch():
    X, Y, p = problem(m=10)
    g = backward(Y, forward(X, p), p)
    one, _ = train(X, Y, p, lr=0.3, epochs=1)
    for key in KEYS:
        np.testing.assert_allclose(one[key], p[key] - 0.3 * g[key], rtol=1e-15)


def test_breast_cancer_reaches_the_published_accuracy():
    """The figures in data/README.md and notebook 02: lr=5, 2000 epochs, init seed 0.
    (How long training takes is measured in `make bench`, not asserted here.)"""
    X, Y, _, _ = load_breast_cancer3()
    trained, history = train(X, Y, init_params(seed=0), lr=5.0, epochs=2000)
    assert round(history[-1], 4) == 0.0441
    assert int(np.sum(predict(X, trained) == Y.argmax(axis=1))) == 538  # of 569
    assert accuracy(X, Y, trained) == pytest.approx(0.9455, abs=5e-5)


def test_breast_cancer_on_a_held_out_split():
    X, Y, _, _ = load_breast_cancer3()
    X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_fraction=0.25, seed=0)
    assert (len(X_train), len(X_test)) == (427, 142)
    trained, _ = train(X_train, Y_train, init_params(seed=0), lr=5.0, epochs=2000)
    assert round(accuracy(X_train, Y_train, trained), 3) == 0.956   # 408 of 427
    assert round(accuracy(X_test, Y_test, trained), 3) == 0.915     # 130 of 142


# --- small helpers ------------------------------------------------------------------------


def test_predict_accuracy_and_param_count():
    p = {"W": np.eye(3, 4), "b1": np.zeros(4), "V": np.eye(4, 2), "b2": np.zeros(2)}
    X = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_array_equal(predict(X, p), [0, 1, 0])  # a tie goes to class 0
    assert accuracy(X, np.array([0, 1, 1]), p) == pytest.approx(2 / 3)
    assert accuracy(X, np.eye(2)[[0, 1, 0]], p) == 1.0
    assert param_count(init_params()) == 3 * 4 + 4 + 4 * 2 + 2 == 26
    assert param_count(init_params((5, 7, 3))) == 5 * 7 + 7 + 7 * 3 + 3


def test_flatten_and_unflatten_round_trip():
    _, _, p = problem((2, 5, 3))
    theta = flatten_params(p)
    assert theta.shape == (2 * 5 + 5 + 5 * 3 + 3,)
    np.testing.assert_array_equal(theta[:10], p["W"].ravel())
    q = unflatten_params(theta, (2, 5, 3))
    assert all(np.array_equal(p[k], q[k]) for k in KEYS)
    with pytest.raises(ValueError, match=r"theta must have shape \(26,\)"):
        unflatten_params(np.zeros(25))


# --- bad input is refused, naming the argument -------------------------------------------


def test_wrong_number_of_features_names_X_and_the_expected_count():
    p = init_params()
    with pytest.raises(ValueError, match=r"X must have 3 features .* W of shape \(3, 4\); "
                                         r"got X with shape \(5, 2\)"):
        forward(np.zeros((5, 2)), p)


@pytest.mark.parametrize("X, error, message", [
    (np.zeros((0, 3)), ValueError, "X must not be empty"),
    (np.array([["a", "b", "c"]]), TypeError, "X must hold real numbers"),
    (np.array([[1 + 2j, 0, 0]]), TypeError, "X must hold real numbers"),
    (np.zeros((2, 3, 1)), ValueError, "X must be a 1D or 2D array"),
    (np.array([[np.nan, 0.0, 0.0]]), ValueError, "X must contain only finite"),
    ([[1.0, 2.0], [3.0]], TypeError, "X must be a numeric array"),
])
def test_bad_X_is_refused(X, error, message):
    with pytest.raises(error, match=message):
        forward(X, init_params())


def test_Y_must_match_Y_hat_exactly():
    X, Y, p = problem(m=5)
    c = forward(X, p)
    labels = Y.argmax(axis=1)  # shape (5,) would broadcast against (5, 2)
    with pytest.raises(ValueError, match=r"Y must have the same shape as Y_hat, \(5, 2\)"):
        loss(c["Y_hat"], labels)
    with pytest.raises(ValueError, match="Y must have the same shape as Y_hat"):
        backward(labels, c, p)
    with pytest.raises(ValueError, match="Y must have the same shape as Y_hat"):
        backward(Y[:, :1], c, p)
    with pytest.raises(ValueError, match=r"Y must have shape \(5, 2\)"):
        train(X, labels, p, lr=1.0, epochs=1)
    with pytest.raises(TypeError, match="Y must hold real numbers"):
        loss(c["Y_hat"], np.full((5, 2), "x"))


@pytest.mark.parametrize("params, error, message", [
    ({"W": np.zeros((3, 4)), "b1": np.zeros(4), "b2": np.zeros(2)}, KeyError,
     "params is missing key.* V"),
    ("not a dict", TypeError, "params must be a dict"),
    ({"W": np.zeros((3, 4)), "b1": np.zeros(4), "V": np.zeros((5, 2)), "b2": np.zeros(2)},
     ValueError, r"params\['V'\] must have 4 rows"),
    ({"W": np.zeros((3, 4)), "b1": np.zeros(3), "V": np.zeros((4, 2)), "b2": np.zeros(2)},
     ValueError, r"params\['b1'\] must have shape \(4,\)"),
    ({"W": np.zeros((3, 4)), "b1": np.zeros(4), "V": np.zeros((4, 2)), "b2": np.zeros((1, 2))},
     ValueError, r"params\['b2'\] must be a 1D array"),
    ({"W": np.zeros(3), "b1": np.zeros(4), "V": np.zeros((4, 2)), "b2": np.zeros(2)},
     ValueError, r"params\['W'\] must be a 2D array"),
])
def test_bad_params_are_refused(params, error, message):
    with pytest.raises(error, match=message):
        forward(np.zeros((1, 3)), params)


def test_a_missing_key_is_both_a_key_error_and_a_value_error():
    with pytest.raises(ValueError, match="missing"):
        param_count({"W": np.zeros((3, 4))})


def test_a_bad_cache_is_refused():
    X, Y, p = problem(m=3)
    c = forward(X, p)
    with pytest.raises(KeyError, match="cache is missing key.* Z_h"):
        backward(Y, {k: v for k, v in c.items() if k != "Z_h"}, p)
    with pytest.raises(ValueError, match=r"cache\['H'\] must have shape \(3, 4\)"):
        backward(Y, {**c, "H": c["H"][:2]}, p)


@pytest.mark.parametrize("lr, error", [
    (0.0, ValueError), (-0.1, ValueError), (np.nan, ValueError), (np.inf, ValueError),
    ("0.1", TypeError), (None, TypeError), (True, TypeError),
])
def test_lr_must_be_a_positive_number(lr, error):
    X, Y, p = problem()
    with pytest.raises(error, match="lr must be a positive"):
        train(X, Y, p, lr=lr, epochs=1)


@pytest.mark.parametrize("epochs, error", [
    (-1, ValueError), (2.5, TypeError), (10.0, TypeError), ("10", TypeError), (True, TypeError),
])
def test_epochs_must_be_a_non_negative_integer(epochs, error):
    X, Y, p = problem()
    with pytest.raises(error, match="epochs must be an integer >= 0"):
        train(X, Y, p, lr=0.1, epochs=epochs)


def test_numpy_integers_are_fine_for_epochs():
    X, Y, p = problem()
    _, history = train(X, Y, p, lr=np.float64(0.1), epochs=np.int64(3))
    assert history.shape == (3,)


# --- the cache keys and the linear network (notebook 01) --------------------------------------


def test_cache_keys_are_the_pre_activations_z():
    p = init_params()
    assert list(forward(np.ones((2, 3)), p)) == ["X", "Z_h", "H", "Z_y", "Y_hat"]


def test_linear_network_collapses_into_one_layer():
    p = {**init_params(), "b1": np.arange(4.0), "b2": np.array([1.0, -1.0])}
    X = np.random.default_rng(7).normal(size=(6, 3))
    cache = forward(X, p, hidden="identity")
    assert np.array_equal(cache["H"], cache["Z_h"])
    np.testing.assert_allclose(cache["Z_y"], X @ (p["W"] @ p["V"]) + p["b1"] @ p["V"] + p["b2"])


def test_linear_network_trains_against_central_differences():
    from helpers.gradcheck import numerical_gradient

    p = init_params(seed=3)
    X, Y = np.random.default_rng(8).normal(size=(5, 3)), np.eye(2)[[0, 1, 1, 0, 1]]
    lr = 0.5
    stepped, _ = train(X, Y, p, lr=lr, epochs=1, hidden="identity")
    for name in p:
        def cost(value, name=name):
            return loss(forward(X, {**p, name: value}, hidden="identity")["Y_hat"], Y)
        grad = numerical_gradient(cost, p[name].copy())
        np.testing.assert_allclose(stepped[name], p[name] - lr * grad, atol=1e-8)


def test_hidden_must_be_known():
    p = init_params()
    with pytest.raises(ValueError, match="hidden must be one of"):
        forward(np.ones((1, 3)), p, hidden="relu")
    with pytest.raises(ValueError, match="hidden must be one of"):
        train(np.ones((1, 3)), np.array([[1.0, 0.0]]), p, lr=1.0, epochs=1, hidden="tanh")


def test_predict_and_accuracy_pass_hidden_on():
    p = init_params()
    X, Y = np.random.default_rng(9).normal(size=(8, 3)), np.eye(2)[[0, 1] * 4]
    lin = forward(X, p, hidden="identity")["Y_hat"]
    assert np.array_equal(predict(X, p, hidden="identity"), np.argmax(lin, axis=1))
    assert accuracy(X, Y, p, hidden="identity") == np.mean(np.argmax(lin, axis=1) == [0, 1] * 4)
