"""Every check of notebook 02: the right answer, the placeholder, and each diagnosis."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.activations import sigmoid, sigmoid_prime
from helpers.exercises import nb02
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED
from helpers.network import backward


def assert_diagnosis(feedback, text):
    assert feedback.status == INCORRECT, feedback
    assert text in feedback.message, feedback.message


def placeholder_function(*args):
    ...


@pytest.fixture(scope="module")
def ctx():
    return nb02.context()


# --- exercise 1: one gradient step ---------------------------------------------------------


def test_gradient_step(ctx):
    V, dV = ctx["params"]["V"], ctx["grads5"]["V"]
    assert nb02.check_gradient_step(V - 2.0 * dV).status == CORRECT
    assert nb02.check_gradient_step(...).status == NOT_ATTEMPTED
    assert_diagnosis(nb02.check_gradient_step(V + 2.0 * dV), "you stepped uphill")
    assert_diagnosis(nb02.check_gradient_step(V - dV), "the learning rate is missing")
    assert_diagnosis(nb02.check_gradient_step(-2.0 * dV), "that is only the change")
    assert_diagnosis(nb02.check_gradient_step((V - 2.0 * dV).T), "row- versus column")
    assert_diagnosis(nb02.check_gradient_step(V - 2.0 * ctx["grads1"]["V"]), "you used grads1")


# --- exercise 2: the slope of the sigmoid ----------------------------------------------------


def test_sigmoid_prime_correct_and_placeholder():
    assert nb02.check_sigmoid_prime(lambda z: sigmoid(z) * (1 - sigmoid(z))).status == CORRECT
    assert nb02.check_sigmoid_prime(sigmoid_prime).status == CORRECT
    # the seed's sign typo leaves s(1 - s) unchanged, so it is (rightly) accepted
    seed = lambda z: 1 / (1 + np.exp(z))  # noqa: E731
    assert nb02.check_sigmoid_prime(lambda z: seed(z) * (1 - seed(z))).status == CORRECT
    assert nb02.check_sigmoid_prime(...).status == NOT_ATTEMPTED
    assert nb02.check_sigmoid_prime(placeholder_function).status == NOT_ATTEMPTED


@pytest.mark.parametrize("func, text", [
    (lambda z: z * (1 - z), "you computed z(1 − z)"),
    (sigmoid, "this is σ(z) itself"),
    (lambda z: 1 - sigmoid(z), "this is 1 − σ(z)"),
    (lambda z: sigmoid(z) * (1 + sigmoid(z)), "with a minus, not 1 + σ(z)"),
    (lambda z: -sigmoid(z) * (1 - sigmoid(z)), "every value has the wrong sign"),
    (lambda z: math.exp(-z) / (1 + math.exp(-z)) ** 2, "use np.exp, not math.exp"),
])
def test_sigmoid_prime_diagnoses(func, text):
    assert_diagnosis(nb02.check_sigmoid_prime(func), text)


# --- exercise 3: the outer product ------------------------------------------------------------


@pytest.fixture(scope="module")
def tumour1(ctx):
    cache, y = ctx["cache_t1"], ctx["y_t1"]
    delta = (cache["Y_hat"] - y) * sigmoid_prime(cache["Z_y"])
    return cache, y, delta


def test_weight_gradient_correct_and_placeholder(ctx, tumour1):
    cache, y, delta = tumour1
    assert nb02.check_weight_gradient(cache["H"].T @ delta).status == CORRECT
    assert nb02.check_weight_gradient(np.outer(cache["H"], delta)).status == CORRECT
    assert nb02.check_weight_gradient(...).status == NOT_ATTEMPTED


def test_weight_gradient_is_not_tumour_0(ctx, tumour1):
    cache0 = ctx["cache1"]
    delta0 = (cache0["Y_hat"] - ctx["y"]) * sigmoid_prime(cache0["Z_y"])
    assert_diagnosis(nb02.check_weight_gradient(cache0["H"].T @ delta0), "tumour 0's numbers")


@pytest.mark.parametrize("shape", [(2,), (1, 2)])
def test_weight_gradient_hadamard_only(tumour1, shape):
    delta = tumour1[2]
    assert_diagnosis(nb02.check_weight_gradient(delta.reshape(shape)),
                     "this is δ_out, with 2 numbers, but V has 4×2 = 8 entries")


@pytest.mark.parametrize("make, text", [
    (lambda c, y, d: c["H"].T @ (c["Y_hat"] - y), "the ⊙ σ′(y′) is missing"),
    (lambda c, y, d: c["Z_h"].T @ d, "you used the pre-activation h′"),
    (lambda c, y, d: d.T @ c["H"], "row- versus column-vector convention"),
    (lambda c, y, d: 2 * c["H"].T @ d, "2× too large"),
])
def test_weight_gradient_diagnoses(tumour1, make, text):
    assert_diagnosis(nb02.check_weight_gradient(make(*tumour1)), text)


# --- exercise 4: the repaired backward pass -----------------------------------------------------


def buggy_backward(Y, cache, params):
    """The code printed in the notebook's exercise 4: two bugs."""
    dY_hat = cache["Y_hat"] - Y
    delta_out = dY_hat * sigmoid_prime(cache["Z_y"])
    delta_hidden = delta_out @ params["V"].T
    return {"W": cache["X"].T @ delta_hidden, "b1": delta_hidden.sum(axis=0),
            "V": cache["H"].T @ delta_out, "b2": delta_out.sum(axis=0)}


def with_bugs(*flags):
    def student(Y, cache, params):
        return nb02._flagged_backward(Y, cache, params, frozenset(flags))
    return student


def test_flagged_backward_without_bugs_is_helpers_backward(ctx):
    got = nb02._flagged_backward(ctx["Y5"], ctx["cache5"], ctx["params"], frozenset())
    want = backward(ctx["Y5"], ctx["cache5"], ctx["params"])
    assert all(np.allclose(got[k], want[k]) for k in want)


def test_fixed_backward_correct_and_placeholder():
    assert nb02.check_fixed_backward(backward).status == CORRECT
    assert nb02.check_fixed_backward(...).status == NOT_ATTEMPTED
    assert nb02.check_fixed_backward(placeholder_function).status == NOT_ATTEMPTED


def test_fixed_backward_finds_both_bugs_of_the_printed_code():
    feedback = nb02.check_fixed_backward(buggy_backward)
    assert_diagnosis(feedback, "2 problems")
    assert "without the /m" in feedback.message
    assert "δ_hidden is missing ⊙ σ′(h′)" in feedback.message


@pytest.mark.parametrize("flag, text", [
    ("no_m", "without the /m every gradient is m = 5 times too large"),
    ("no_half", "is the ½ in the cost missing?"),
    ("no_out_prime", "δ_out is missing ⊙ σ′(y′)"),
    ("no_hidden_prime", "δ_hidden is missing ⊙ σ′(h′)"),
    ("prime_of_h", "not at the activation h = σ(h′)"),
])
def test_fixed_backward_single_bug(flag, text):
    feedback = nb02.check_fixed_backward(with_bugs(flag))
    assert_diagnosis(feedback, text)
    assert "problems" not in feedback.message


def test_fixed_backward_transposed_weight_gradient():
    def student(Y, cache, params):
        grads = backward(Y, cache, params)
        return {**grads, "V": grads["V"].T}
    assert_diagnosis(nb02.check_fixed_backward(student),
                     "the gradient for V: shape (2, 4) but expected (4, 2)")


def test_fixed_backward_bias_not_summed():
    def student(Y, cache, params):
        grads = backward(Y, cache, params)
        delta_out = (cache["Y_hat"] - Y) / len(Y) * sigmoid_prime(cache["Z_y"])
        return {**grads, "b2": delta_out}
    assert_diagnosis(nb02.check_fixed_backward(student),
                     "the gradient for b2: shape (5, 2) but expected (2,)")


def test_fixed_backward_not_a_dict_or_raising():
    assert_diagnosis(nb02.check_fixed_backward(lambda Y, c, p: [1, 2]),
                     "return a dict with the keys 'W', 'b1', 'V' and 'b2'")

    def raises(Y, cache, params):
        return cache["Y_hat"] @ params["W"]
    assert_diagnosis(nb02.check_fixed_backward(raises), "your function raised ValueError")
