"""Every check of notebook 01: the right answer, the placeholder, and each diagnosis."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.activations import sigmoid
from helpers.data import load_breast_cancer3
from helpers.exercises import nb01
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED
from helpers.network import init_params


def assert_diagnosis(feedback, text):
    assert feedback.status == INCORRECT, feedback
    assert text in feedback.message, feedback.message


def placeholder_function(*args):
    ...


# --- exercise 1: the shape of X_batch @ W -------------------------------------------


def test_batch_shape_correct_and_placeholder():
    assert nb01.check_batch_shape((10, 4)).status == CORRECT
    assert nb01.check_batch_shape([10, 4]).status == CORRECT
    assert nb01.check_batch_shape(...).status == NOT_ATTEMPTED


@pytest.mark.parametrize("answer, text", [
    ((4, 10), "row- versus column-vector convention"),
    ((10, 3), "(10, 3) is the shape of X itself"),
    ((3, 4), "(3, 4) is the shape of W"),
    ((1, 4), "a batch of 10 samples gives 10 rows"),
    ((10, 2), "(10, 2) is the output layer's shape"),
    ("ten by four", "a shape is a tuple of whole numbers"),
])
def test_batch_shape_diagnoses(answer, text):
    assert_diagnosis(nb01.check_batch_shape(answer), text)


# --- exercise 2: the sigmoid -----------------------------------------------------------


def test_sigmoid_correct_and_placeholder():
    assert nb01.check_sigmoid(lambda z: 1 / (1 + np.exp(-z))).status == CORRECT
    assert nb01.check_sigmoid(...).status == NOT_ATTEMPTED
    assert nb01.check_sigmoid(placeholder_function).status == NOT_ATTEMPTED


@pytest.mark.parametrize("func, text", [
    (lambda z: 1 / (1 + np.exp(z)), "minus sign in the exponent"),
    (lambda z: np.exp(-z) / (1 + np.exp(-z)), "1 − σ(z)"),
    (lambda z: 1 / np.exp(-z), "you computed exp(z)"),
    (np.tanh, "that is tanh(z)"),
    (lambda z: 1 / (1 + math.exp(-z)), "use np.exp, not math.exp"),
    (lambda z: float(np.sum(sigmoid(z))), "an elementwise function keeps the shape"),
    (lambda z: 2 / (1 + np.exp(-z)), "every value is 2× too large"),
    (lambda z: sigmoid(z) + 0.1, "values differ"),
    ("sigmoid", "expected a function"),
])
def test_sigmoid_diagnoses(func, text):
    assert_diagnosis(nb01.check_sigmoid(func), text)


# --- exercise 3: the column convention ---------------------------------------------------


@pytest.fixture
def h_col():
    x = load_breast_cancer3()[0][:1]
    return init_params(seed=0)["W"].T @ x.T


def test_column_preactivation_correct_and_placeholder(h_col):
    assert h_col.shape == (4, 1)
    assert nb01.check_column_preactivation(h_col).status == CORRECT
    assert nb01.check_column_preactivation(...).status == NOT_ATTEMPTED


def test_column_preactivation_flat_array(h_col):
    assert_diagnosis(nb01.check_column_preactivation(h_col.ravel()),
                     "an array of shape (4,) has no orientation")


def test_column_preactivation_row_instead_of_column(h_col):
    assert_diagnosis(nb01.check_column_preactivation(h_col.T),
                     "row- versus column-vector convention")


def test_column_preactivation_activations_instead(h_col):
    assert_diagnosis(nb01.check_column_preactivation(sigmoid(h_col)),
                     "these are the activations σ(h′)")


# --- exercise 4: the forward pass ---------------------------------------------------------


def right_forward(X, W, b1, V, b2):
    return sigmoid(sigmoid(X @ W + b1) @ V + b2)


def test_forward_pass_correct_and_placeholder():
    assert nb01.check_forward_pass(right_forward).status == CORRECT
    assert nb01.check_forward_pass(...).status == NOT_ATTEMPTED
    assert nb01.check_forward_pass(placeholder_function).status == NOT_ATTEMPTED


@pytest.mark.parametrize("func, text", [
    (lambda X, W, b1, V, b2: sigmoid((X @ W + b1) @ V + b2), "skips the sigmoid"),
    (lambda X, W, b1, V, b2: sigmoid(X @ W + b1) @ V + b2, "output pre-activations y′"),
    (lambda X, W, b1, V, b2: sigmoid(sigmoid(X @ W) @ V), "both biases are missing"),
    (lambda X, W, b1, V, b2: sigmoid(sigmoid(X @ W) @ V + b2), "hidden bias b1 is missing"),
    (lambda X, W, b1, V, b2: sigmoid(sigmoid(X @ W + b1) @ V), "output bias b2 is missing"),
    (lambda X, W, b1, V, b2: sigmoid(X @ W.T), "the matrix shapes do not line up"),
    (lambda X, W, b1, V, b2: sigmoid(sigmoid(X * W + b1) * V + b2), "the matrix product is `@`"),
    (lambda X, W, b1, V, b2: right_forward(X, W, b1, V, b2).T, "row- versus column-vector"),
])
def test_forward_pass_diagnoses(func, text):
    assert_diagnosis(nb01.check_forward_pass(func), text)
