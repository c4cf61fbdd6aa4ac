"""The numbers quoted in notebook 01, recomputed with helpers and found in its stored outputs."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import fmt, prose

from helpers.activations import sigmoid, sigmoid_prime
from helpers.data import load_breast_cancer3
from helpers.network import accuracy, forward, init_params, loss, param_count, predict

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
    assert "h'_1 = 0.0836" in out and "sum of the rounded products: 0.0835" in out
    assert r"= 0.0796 + 0.6412 - 0.6373 \approx 0.0836" in prose(NB)


def test_the_activations_and_outputs(net, notebook_text):
    _, _, p, cache = net
    out = notebook_text(NB)
    assert round(float(sigmoid(cache["Z_h"][0, 0])), 4) == 0.5209
    assert "σ(h'_1) = 0.5209" in out
    assert round(float(cache["Z_y"][0, 0]), 4) == -0.692
    assert round(float(cache["Y_hat"][0, 0]), 4) == 0.3336
    assert "y'_1 = -0.692   ŷ_1 = 0.3336" in out
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
