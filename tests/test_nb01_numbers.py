"""The numbers quoted in notebook 01, recomputed with helpers and found in its stored outputs."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import fmt, prose

from helpers.activations import sigmoid, sigmoid_prime
from helpers.data import load_breast_cancer3
from helpers.network import accuracy, forward, init_params, loss, param_count, predict, train

NB = "01"


@pytest.fixture(scope="module")
def net():
    X, Y, _, _ = load_breast_cancer3()
    p = init_params(seed=0)
    return X, Y, p, forward(X[:1], p)


def test_the_sample_and_its_hidden_pre_activation(net, notebook_text):
    X, _, p, cache = net
    out = notebook_text(NB)
    assert f"x = {fmt(X[:1])} shape (1, 3)" in out
    assert fmt(X[:1]) == "[[ 1.0971 -2.0733  1.5685]]"
    products = X[0] * p["W"][:, 0]
    assert f"products: {fmt(products)}" in out
    assert fmt(products) == "[ 0.0796  0.6412 -0.6373]"
    assert round(float(cache["Z_h"][0, 0]), 4) == 0.0836
    assert "z_h,1 = 0.0836" in out and "sum of the rounded products: 0.0835" in out
    assert r"= 0.0796 + 0.6412 - 0.6373 \approx 0.0836" in prose(NB)


def test_the_activations_and_outputs(net, notebook_text):
    _, _, p, cache = net
    out = notebook_text(NB)
    assert round(float(sigmoid(cache["Z_h"][0, 0])), 4) == 0.5209
    assert "σ(z_h,1) = 0.5209" in out
    assert round(float(cache["Z_y"][0, 0]), 4) == -0.692
    assert round(float(cache["Y_hat"][0, 0]), 4) == 0.3336
    assert "z_y,1 = -0.692   ŷ_1 = 0.3336" in out
    assert r"\hat y_1 = \sigma(-0.692) = 0.3336" in prose(NB)
    for name, shape in [("X", (1, 3)), ("Z_h", (1, 4)), ("H", (1, 4)), ("Z_y", (1, 2)),
                        ("Y_hat", (1, 2))]:
        assert cache[name].shape == shape
        assert f"{name:6s} {str(shape):7s} {fmt(cache[name])}" in out


def test_parameter_count_and_kronecker_zeros(net, notebook_text):
    X, _, p, _ = net
    out = notebook_text(NB)
    assert param_count(p) == 26 and "26 26" in out
    K = np.kron(X[:1], np.eye(4))
    assert K.shape == (4, 12) and int(np.sum(K == 0)) == 36
    assert "(4, 12) zeros: 36 of 48" in out


def test_sigmoid_values(notebook_text):
    out = notebook_text(NB)
    assert float(sigmoid_prime(0.0)) == 0.25 and "σ(0) = 0.5   σ′(0) = 0.25" in out
    assert round(float(sigmoid_prime(5.0)), 4) == 0.0066 and "σ′(5) = 0.0066" in out


def test_untrained_network_on_all_tumours(net, notebook_text):
    X, Y, p, _ = net
    out = notebook_text(NB)
    assert Y.sum(axis=0).tolist() == [212, 357] and "counts: [212. 357.]" in out
    assert np.bincount(predict(X, p), minlength=2).tolist() == [0, 569]
    assert "predicted malignant, benign: [  0 569]" in out
    assert round(accuracy(X, Y, p), 4) == round(357 / 569, 4) == 0.6274
    assert round(loss(forward(X, p)["Y_hat"], Y), 4) == 0.2463
    assert "accuracy: 0.6274   cost C: 0.2463" in out
    assert "that scores 0.6274" in prose(NB)


def test_raw_feature_ranges(notebook_text):
    X_raw = load_breast_cancer3(standardize=False)[0]
    out = notebook_text(NB)
    assert f"raw min: {fmt(X_raw.min(axis=0))}   raw max: {fmt(X_raw.max(axis=0))}" in out
    assert round(X_raw[:, 0].min()) == 7 and round(X_raw[:, 0].max()) == 28


def test_output_products_by_hand(net, notebook_text):
    _, _, p, cache = net
    h, v = cache["H"][0], p["V"][:, 0]
    assert fmt(h) == "[0.5209 0.1594 0.1519 0.2631]"
    assert fmt(v) == "[-1.1625 -0.623  -0.2721  0.2058]"
    assert fmt(h * v) == "[-0.6055 -0.0993 -0.0413  0.0542]"
    assert (r"= (0.5209)(-1.1625) + (0.1594)(-0.623) + (0.1519)(-0.2721) + (0.2631)(0.2058)"
            in prose(NB))
    assert r"= -0.6055 - 0.0993 - 0.0413 + 0.0542 \approx -0.692" in prose(NB)
    assert f"products h_j * v_j1: {fmt(h * v)}" in notebook_text(NB)


def test_two_outputs_are_not_probabilities(net, notebook_text):
    X, _, p, cache = net
    out, text = notebook_text(NB), prose(NB)
    assert round(float(cache["Y_hat"].sum()), 4) == 0.833
    assert "ŷ = [[0.3336 0.4994]]   sum: 0.833" in out and "add up to 0.833" in text
    e = np.exp(cache["Z_y"])
    softmax = e / e.sum()
    assert fmt(softmax) == "[[0.3341 0.6659]]" and f"softmax(z_y) = {fmt(softmax)}   sum: 1.0" in out
    sums = forward(X, p)["Y_hat"].sum(axis=1)
    assert (round(float(sums.min()), 4), round(float(sums.max()), 4)) == (0.6215, 0.9929)
    assert "ŷ₁ + ŷ₂ ranges from 0.6215 to 0.9929" in out


def test_initial_scaling(net, notebook_text):
    X, _, p, _ = net
    out, text = notebook_text(NB), prose(NB)
    assert np.allclose(p["W"] * np.sqrt(3), np.random.default_rng(0).normal(size=(3, 4)))
    std, unscaled = float((X @ p["W"]).std()), float((X @ (p["W"] * np.sqrt(3))).std())
    raw = load_breast_cancer3(standardize=False)[0] @ p["W"]
    saturated = float(np.mean(sigmoid_prime(raw) < 0.01))
    assert (round(std, 4), round(unscaled, 4), round(saturated, 4)) == (0.7314, 1.2668, 0.6599)
    assert f"std of z_h, weights / √3: {std:.4f}" in out
    assert f"std of z_h, weights not divided: {unscaled:.4f}" in out
    assert f"share of hidden values with σ′(z) < 0.01: {saturated:.4f}" in out
    for number in ("0.7314", "1.2668", "0.6599"):
        assert number in text


def test_linear_and_sigmoid_boundaries(net, notebook_text):
    X, Y, _, _ = net
    X2, p2 = X[:, :2], init_params(sizes=(2, 4, 2), seed=0)
    scores = {h: accuracy(X2, Y, train(X2, Y, p2, lr=5.0, epochs=2000, hidden=h)[0], hidden=h)
              for h in ("identity", "sigmoid")}
    assert (round(scores["identity"], 4), round(scores["sigmoid"], 4)) == (0.891, 0.9033)
    gained = round((scores["sigmoid"] - scores["identity"]) * len(X2))
    assert gained == 7
    assert ("training accuracy, linear: 0.8910   sigmoid: 0.9033   tumours gained: 7"
            in notebook_text(NB))
    assert "gets 0.9033 of the tumours right instead of 0.8910, 7 more of the 569" in prose(NB)


def test_linear_network_collapses(net, notebook_text):
    X, _, p, _ = net
    lin = forward(X[:5], p, hidden="identity")
    assert np.allclose(lin["Z_y"], X[:5] @ (p["W"] @ p["V"]) + p["b1"] @ p["V"] + p["b2"])
    assert "the linear network is one layer: True" in notebook_text(NB)
