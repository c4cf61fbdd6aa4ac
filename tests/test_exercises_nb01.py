"""Every check of notebook 01: the right answer, the placeholder, and each diagnosis."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.activations import sigmoid
from helpers.exercises import nb01
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED


def assert_diagnosis(feedback, text):
    assert feedback.status == INCORRECT, feedback
    assert text in feedback.message, feedback.message


def placeholder_function(*args):
    ...


def test_docstrings_do_not_hold_the_answers():
    for check in (nb01.check_mnist_shapes, nb01.check_softmax, nb01.check_collapse,
                  nb01.check_torch_layout_forward):
        doc = check.__doc__ or ""
        assert "101770" not in doc and "max(axis" not in doc and "@" not in doc
    assert "✔ correct" not in (nb01.__doc__ or "")


# --- exercise 1: a 784-128-10 network ------------------------------------------------------

MNIST = {"W": (784, 128), "V": (128, 10), "Z_h": (32, 128), "Y_hat": (32, 10), "params": 101770}


def test_mnist_shapes_correct_and_placeholder():
    assert nb01.check_mnist_shapes(MNIST).status == CORRECT
    assert nb01.check_mnist_shapes({**MNIST, "W": [784, 128]}).status == CORRECT
    assert nb01.check_mnist_shapes(...).status == NOT_ATTEMPTED


@pytest.mark.parametrize("change, text", [
    ({"W": (128, 784)}, "PyTorch's (outputs, inputs) layout"),
    ({"V": (10, 128)}, "PyTorch's (outputs, inputs) layout"),
    ({"Z_h": (128, 32)}, "Z_h: shape (128, 32) but expected (32, 128)"),
    ({"Y_hat": (32, 2)}, "Y_hat: shape (32, 2) but expected (32, 10)"),
    ({"params": 784 * 128 + 128 * 10}, "that counts the weights only"),
    ({"params": 26}, "params: 26 is not the count"),
])
def test_mnist_shapes_diagnoses(change, text):
    assert_diagnosis(nb01.check_mnist_shapes({**MNIST, **change}), text)


def test_mnist_shapes_needs_the_keys():
    assert_diagnosis(nb01.check_mnist_shapes({"W": (784, 128)}), "answer a dict with the keys")
    assert_diagnosis(nb01.check_mnist_shapes((784, 128)), "answer a dict with the keys")


# --- exercise 2: a softmax over the rows ---------------------------------------------------


def stable_softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def test_softmax_correct_and_placeholder():
    assert nb01.check_softmax(stable_softmax).status == CORRECT
    assert nb01.check_softmax(...).status == NOT_ATTEMPTED
    assert nb01.check_softmax(placeholder_function).status == NOT_ATTEMPTED


@pytest.mark.parametrize("func, text", [
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "exp(1000) overflows"),
    (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=0, keepdims=True),
     "you normalised each column"),
    (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(), "the whole batch sums to 1"),
    (sigmoid, "that is the sigmoid of each entry"),
    (lambda Z: Z, "the rows of your result do not sum to 1"),
    (lambda Z: stable_softmax(Z)[:, :2], "shape"),
    (lambda Z: 1 / 0, "ZeroDivisionError"),
])
def test_softmax_diagnoses(func, text):
    assert_diagnosis(nb01.check_softmax(func), text)


# --- exercise 3: collapse three linear layers -----------------------------------------------


def test_collapse_correct_and_placeholder():
    def collapse(W1, b1, W2, b2, W3, b3):
        return W1 @ W2 @ W3, (b1 @ W2 + b2) @ W3 + b3

    assert nb01.check_collapse(collapse).status == CORRECT
    assert nb01.check_collapse(...).status == NOT_ATTEMPTED


@pytest.mark.parametrize("func, text", [
    (lambda W1, b1, W2, b2, W3, b3: (W1 @ W2 @ W3, b3), "only b3 survives"),
    (lambda W1, b1, W2, b2, W3, b3: (W1 @ W2 @ W3, b2 @ W3 + b3), "b1 is missing"),
    (lambda W1, b1, W2, b2, W3, b3: (W1 @ W2 @ W3, (b1 @ W2 + b2) @ W3), "b3 is missing"),
    (lambda W1, b1, W2, b2, W3, b3: (W1 @ W2 @ W3, b1 @ W2 @ W3 + b3), "b2 is missing"),
    (lambda W1, b1, W2, b2, W3, b3: ((W1 @ W2 @ W3).T, b3), "U: shape (2, 3)"),
    (lambda W1, b1, W2, b2, W3, b3: W1 @ W2 @ W3, "return two arrays"),
    (lambda W1, b1, W2, b2, W3, b3: (W3 @ W2, b3), "your function raised ValueError"),
])
def test_collapse_diagnoses(func, text):
    assert_diagnosis(nb01.check_collapse(func), text)


# --- exercise 4: PyTorch's weight layout ---------------------------------------------------


def test_torch_layout_correct_and_placeholder():
    def forward_torch(X, w1, b1, w2, b2):
        return sigmoid(sigmoid(X @ w1.T + b1) @ w2.T + b2)

    assert nb01.check_torch_layout_forward(forward_torch).status == CORRECT
    assert nb01.check_torch_layout_forward(...).status == NOT_ATTEMPTED
    assert nb01.check_torch_layout_forward(placeholder_function).status == NOT_ATTEMPTED


@pytest.mark.parametrize("func, text", [
    (lambda X, w1, b1, w2, b2: sigmoid(sigmoid(X @ w1 + b1) @ w2 + b2), "must be transposed"),
    (lambda X, w1, b1, w2, b2: sigmoid(sigmoid(w1 @ X.T + b1[:, None]).T @ w2.T + b2).T,
     "one column per sample"),
    (lambda X, w1, b1, w2, b2: sigmoid((X @ w1.T + b1) @ w2.T + b2), "skips the sigmoid"),
    (lambda X, w1, b1, w2, b2: sigmoid(X @ w1.T + b1) @ w2.T + b2, "the sigmoid is missing"),
])
def test_torch_layout_diagnoses(func, text):
    assert_diagnosis(nb01.check_torch_layout_forward(func), text)
