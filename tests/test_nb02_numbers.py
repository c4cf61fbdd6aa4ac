"""The numbers quoted in notebook 02, recomputed with helpers and found in its stored outputs."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import fmt, prose

from helpers.activations import sigmoid, sigmoid_prime
from helpers.data import load_breast_cancer3
from helpers.gradcheck import check_gradients, numerical_gradient, relative_error
from helpers.network import accuracy, backward, forward, init_params, loss, train

NB = "02"


@pytest.fixture(scope="module")
def setup_02():
    X, Y, _, _ = load_breast_cancer3()
    p = init_params(seed=0)
    return X, Y, p, forward(X[:1], p), forward(X[:5], p)


def test_cost_of_tumour_0(setup_02, notebook_text):
    X, Y, p, cache1, _ = setup_02
    out = notebook_text(NB)
    assert round(loss(cache1["Y_hat"], Y[:1]), 4) == 0.3468
    assert "C = 0.3468" in out and f"squares: {fmt((cache1['Y_hat'] - Y[:1]) ** 2)}" in out
    assert r"= \tfrac12\,(0.4441 + 0.2494) = 0.3468" in prose(NB)


def test_cost_derivative_factors(notebook_text):
    out = notebook_text(NB)
    for factor in ("2.0000", "1.0000", "0.2000"):
        assert f"∂C/∂ŷ = {factor} × (ŷ − y)" in out


def test_one_gradient_step(setup_02, notebook_text):
    X, Y, p, _, cache5 = setup_02
    grads = backward(Y[:5], cache5, p)
    stepped = {k: p[k] - grads[k] for k in p}
    assert round(loss(cache5["Y_hat"], Y[:5]), 4) == 0.3575
    assert round(loss(forward(X[:5], stepped)["Y_hat"], Y[:5]), 4) == 0.2939
    out = notebook_text(NB)
    assert "cost before: 0.3575" in out and "cost after:  0.2939" in out


def test_output_deltas_by_hand(setup_02, notebook_text):
    _, Y, p, cache1, _ = setup_02
    s = sigmoid_prime(cache1["Z_y"])
    delta = (cache1["Y_hat"] - Y[:1]) * s
    assert fmt(delta) == "[[-0.1481  0.1249]]" and fmt(s) == "[[0.2223 0.25  ]]"
    out, text = notebook_text(NB), prose(NB)
    assert f"δ_out = {fmt(delta)} shape (1, 2)" in out and f"σ′(z_y) = {fmt(s)}" in out
    assert r"\delta_1 = (0.3336 - 1) \times 0.2223 = -0.1481" in text
    assert r"\delta_2 = (0.4994 - 0) \times 0.25 = 0.1249" in text
    assert np.allclose(backward(Y[:1], cache1, p)["b2"], delta[0])


def test_seed_sign_and_jacobian_shape(setup_02, notebook_text):
    _, _, p, cache1, _ = setup_02
    z = cache1["Z_y"][0]
    out = notebook_text(NB)
    assert fmt(sigmoid(-z)) == "[0.6664 0.5006]" and "[0.6664 0.5006]   equals 1 − σ(z_y): True" in out
    assert "∂ŷ/∂V has shape (2, 4, 2) with 8 non-zero entries" in out


def test_weight_gradient_entry(setup_02, notebook_text):
    _, Y, p, cache1, _ = setup_02
    dV = backward(Y[:1], cache1, p)["V"]
    assert round(float(dV[0, 0]), 4) == -0.0772
    assert fmt(dV) in notebook_text(NB)
    assert r"= 0.5209 \times (-0.1481) = -0.0772" in prose(NB)


def test_gradient_check(setup_02, notebook_text):
    X, Y, p, _, cache5 = setup_02
    errors = check_gradients(X[:5], Y[:5], p)
    assert all(1e-12 < err < 1e-9 for err in errors.values())
    out = notebook_text(NB)
    assert out.count("relative error < 1e-7: True   (between 1e-12 and 1e-9: True)") == 4
    dV = backward(Y[:5], cache5, p)["V"]
    numeric = numerical_gradient(lambda V: loss(forward(X[:5], {**p, "V": V})["Y_hat"], Y[:5]),
                                 p["V"].copy())
    assert round(relative_error(2 * dV, numeric), 4) == 0.3333
    assert "2× bug:    0.3333" in out


@pytest.fixture(scope="module")
def split(setup_02):
    X, Y, p, _, _ = setup_02
    rows = np.random.default_rng(0).permutation(len(X))
    tr, te = rows[:400], rows[400:]
    return X[tr], Y[tr], X[te], Y[te], p


def test_training(split, notebook_text):
    X_tr, Y_tr, X_te, Y_te, p = split
    trained, history = train(X_tr, Y_tr, p, lr=5.0, epochs=300)
    start = loss(forward(X_tr, p)["Y_hat"], Y_tr)
    assert (round(start, 4), round(history[-1], 4)) == (0.2459, 0.0472)
    assert round(accuracy(X_tr, Y_tr, trained), 4) == 0.9275
    assert round(accuracy(X_te, Y_te, trained), 4) == 0.9527
    assert round(Y_te[:, 1].mean(), 4) == 0.6154
    out = notebook_text(NB)
    assert "training cost: start 0.2459  after 300 steps 0.0472" in out
    assert "accuracy: train 0.9275  test 0.9527" in out
    assert "always 'benign' on the test set: 0.6154" in out


@pytest.mark.parametrize("lr, line", [
    (0.1, "η =   0.1: final cost 0.1884, test accuracy 0.6627, steps on which the cost rose:   0"),
    (5.0, "η =   5.0: final cost 0.0472, test accuracy 0.9527, steps on which the cost rose:   0"),
    (100.0, "η = 100.0: final cost 0.0397, test accuracy 0.9053, steps on which the cost rose: 149"),
    (400.0, "η = 400.0: final cost 0.5000, test accuracy 0.6154, steps on which the cost rose:   1"),
])
def test_learning_rates(split, notebook_text, lr, line):
    X_tr, Y_tr, X_te, Y_te, p = split
    trained, history = train(X_tr, Y_tr, p, lr=lr, epochs=300)
    start = loss(forward(X_tr, p)["Y_hat"], Y_tr)
    rises = int(np.sum(np.diff(np.concatenate([[start], history])) > 0))
    assert f"η = {lr:5}: final cost {history[-1]:.4f}, test accuracy " \
           f"{accuracy(X_te, Y_te, trained):.4f}, steps on which the cost rose: {rises:3d}" == line
    assert line in notebook_text(NB)
    if lr == 400.0:
        cache = forward(X_tr, trained)
        assert round(cache["Y_hat"].min(), 4) == 0.9998
        assert sigmoid_prime(cache["Z_y"]).max() < 1e-3
        assert "smallest output after η = 400: 0.9998" in notebook_text(NB)


def test_second_output_slope_by_hand(setup_02, notebook_text):
    _, _, _, cache1, _ = setup_02
    assert fmt(1 - cache1["Y_hat"]) == "[[0.6664 0.5006]]"
    assert round(float(sigmoid_prime(cache1["Z_y"][0, 1])), 4) == 0.25
    assert r"\sigma'(z_{y,2}) = 0.4994 \times 0.5006 = 0.25" in prose(NB)
    assert "1 − ŷ = [[0.6664 0.5006]]" in notebook_text(NB)


def test_decision_slice_counts(split, notebook_text):
    from helpers.network import predict

    X_tr, Y_tr, X_te, Y_te, p = split
    trained, _ = train(X_tr, Y_tr, p, lr=5.0, epochs=300)
    labels = np.argmax(Y_te, axis=1)
    on_slice = predict(np.column_stack([X_te[:, :2], np.zeros(len(X_te))]), trained) != labels
    in_3d = predict(X_te, trained) != labels
    assert (int(in_3d.sum()), int((on_slice & ~in_3d).sum())) == (8, 17)
    assert ("test tumours: 169   misclassified by the network: 8   on the wrong side of this "
            "slice but classified correctly: 17") in notebook_text(NB)


def test_one_large_step_saturates(split, notebook_text):
    X_tr, Y_tr, _, _, p = split
    stepped, _ = train(X_tr, Y_tr, p, lr=400.0, epochs=1)
    assert round(forward(X_tr, stepped)["Y_hat"].min(), 4) == 0.9998
    assert "smallest output after ONE step with η = 400: 0.9998" in notebook_text(NB)


def test_learning_rate_prose():
    text = prose(NB)
    assert "the cost rose on 149 of the 300 steps" in text
    assert "a test accuracy of 0.9053 against the steady run's 0.9527" in text
    assert "the cost jumps from 0.2459 to its ceiling of 0.5" in text


def test_relative_error_against_entrywise(setup_02, notebook_text):
    X, Y, p, _, cache5 = setup_02
    dW = backward(Y[:5], cache5, p)["W"]
    numeric = numerical_gradient(lambda W: loss(forward(X[:5], {**p, "W": W})["Y_hat"], Y[:5]),
                                 p["W"].copy())

    def worst(a, b):
        return float(np.max(np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))))

    assert relative_error(dW, numeric) < 1e-9 < worst(dW, numeric) < 1e-7
    buggy = dW.copy()
    k = np.unravel_index(np.argmin(np.abs(buggy)), buggy.shape)
    buggy[k] *= 2
    assert relative_error(buggy, numeric) <= worst(buggy, numeric)
    assert (round(relative_error(buggy, numeric), 4), round(worst(buggy, numeric), 4)) == (0.0232, 0.5)
    out = notebook_text(NB)
    assert "correct:  ours < 1e-9: True   worst entry < 1e-9: False   worst entry < 1e-7: True" in out
    assert "smallest entry (1, 2) doubled:  ours 0.0232   worst entry 0.5" in out


def test_vanishing_deltas(setup_02, notebook_text):
    X = setup_02[0]
    rng = np.random.default_rng(0)
    sizes = [3] + [4] * 10
    weights = [rng.normal(size=(a, b)) / np.sqrt(a) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    A, zs = X[:5], []
    for W in weights:
        zs.append(A @ W)
        A = sigmoid(zs[-1])
    g, means = np.ones_like(A), []
    for W, z in zip(weights[::-1], zs[::-1], strict=True):
        delta = g * sigmoid_prime(z)
        means.append(float(np.abs(delta).mean()))
        g = delta @ W.T
    assert (f"{means[0]:.3g}", f"{means[-1]:.3g}", f"{means[0] / means[-1]:.3g}") == \
        ("0.244", "7.96e-08", "3.07e+06")
    out = notebook_text(NB)
    assert "mean |δ| in layer 10 (last): 0.244   in layer 1 (first): 7.96e-08" in out
    assert "shrunk by a factor of 3.07e+06   bound from σ′ alone, 4⁹: 262144" in out
    assert means[0] / means[-1] > 4 ** 9 == 262144 and "4^9 = 262144" in prose(NB)


def test_conventions_agree(notebook_text):
    out = notebook_text(NB)
    for line in ("BP1  δ³ == δ_outᵀ: True    BP2  δ² == δ_hiddenᵀ: True",
                 "BP3  ∂C/∂b³ = δ³ == our ∂C/∂b2: True",
                 "BP4  δ³ (a²)ᵀ has shape (2, 4) and == (hᵀ δ_out)ᵀ: True",
                 "δ² (a¹)ᵀ has shape (4, 3) and == (xᵀ δ_hidden)ᵀ: True",
                 "Nielsen's mean of δ aᵀ == (H5ᵀ δ_out)ᵀ: True",
                 "mean of all 2m squared errors == C: True",
                 "weight.grad = δᵀ H == (∂C/∂V)ᵀ: True"):
        assert line in out
    assert r"\partial C/\partial V = H^\top \delta_\text{out}" in prose(NB)
