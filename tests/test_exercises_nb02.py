"""Every check of notebook 02: the right answer, the placeholder, and each diagnosis."""

from __future__ import annotations

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


def test_docstrings_do_not_hold_the_answers():
    for check in (nb02.check_gradient_shapes, nb02.check_cross_entropy_delta,
                  nb02.check_tanh_backward, nb02.check_fixed_backward):
        doc = check.__doc__ or ""
        assert "tanh**2" not in doc and "1 - tanh" not in doc and "(Y_hat - Y)" not in doc
    assert "✔ correct" not in (nb02.__doc__ or "")


# --- exercise 1: one layer, three conventions -------------------------------------------------

SHAPES = {"delta": (32, 10), "ours": (128, 10), "pytorch": (10, 128), "nielsen": (10, 128)}


def test_gradient_shapes_correct_and_placeholder():
    assert nb02.check_gradient_shapes(SHAPES).status == CORRECT
    assert nb02.check_gradient_shapes(...).status == NOT_ATTEMPTED


@pytest.mark.parametrize("change, text", [
    ({"delta": (10, 32)}, "δ has one row per sample"),
    ({"ours": (10, 128)}, "the weight's own shape, (inputs, outputs)"),
    ({"pytorch": (128, 10)}, "stored (outputs, inputs)"),
    ({"nielsen": (128, 10)}, "a column times a row"),
    ({"nielsen": (10, 1)}, "nielsen: shape (10, 1)"),
])
def test_gradient_shapes_diagnoses(change, text):
    assert_diagnosis(nb02.check_gradient_shapes({**SHAPES, **change}), text)


def test_gradient_shapes_needs_the_keys():
    assert_diagnosis(nb02.check_gradient_shapes({"delta": (32, 10)}), "answer a dict")


# --- exercise 2: the cross-entropy delta --------------------------------------------------------


def test_cross_entropy_delta_correct_and_placeholder():
    assert nb02.check_cross_entropy_delta(lambda Yh, Y: (Yh - Y) / len(Y)).status == CORRECT
    assert nb02.check_cross_entropy_delta(...).status == NOT_ATTEMPTED
    assert nb02.check_cross_entropy_delta(placeholder_function).status == NOT_ATTEMPTED


@pytest.mark.parametrize("func, text", [
    (lambda Yh, Y: (Yh - Y) / len(Y) * Yh * (1 - Yh), "that is the squared-error δ_out"),
    (lambda Yh, Y: -(Y / Yh - (1 - Y) / (1 - Yh)) / len(Y), "that is ∂C/∂ŷ"),
    (lambda Yh, Y: Yh - Y, "the 1/m is missing"),
    (lambda Yh, Y: (Y - Yh) / len(Y), "wrong sign"),
    (lambda Yh, Y: (Yh - Y).T / len(Y), "shape (2, 6)"),
])
def test_cross_entropy_delta_diagnoses(func, text):
    assert_diagnosis(nb02.check_cross_entropy_delta(func), text)


def test_cross_entropy_delta_matches_a_numerical_derivative():
    Y_hat, Y = nb02._ce_cases()[0]
    z = np.log(Y_hat / (1 - Y_hat))            # the pre-activations behind Y_hat

    def cost(z_):
        s = sigmoid(z_)
        return -np.sum(Y * np.log(s) + (1 - Y) * np.log(1 - s)) / len(Y)

    eps, numeric = 1e-6, np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (cost(up) - cost(down)) / (2 * eps)
    assert nb02.check_cross_entropy_delta(lambda Yh, Y_: numeric).status == CORRECT


# --- exercise 3: a tanh hidden layer ------------------------------------------------------------


def tanh_backward(slope):
    def student(Y, cache, params):
        delta_out = (cache["Y_hat"] - Y) / len(Y) * sigmoid_prime(cache["Z_y"])
        delta_hidden = (delta_out @ params["V"].T) * slope(cache)
        return {"W": cache["X"].T @ delta_hidden, "b1": delta_hidden.sum(axis=0),
                "V": cache["H"].T @ delta_out, "b2": delta_out.sum(axis=0)}
    return student


def test_tanh_backward_correct_and_placeholder():
    assert nb02.check_tanh_backward(tanh_backward(lambda c: 1 - c["H"] ** 2)).status == CORRECT
    assert nb02.check_tanh_backward(
        tanh_backward(lambda c: 1 - np.tanh(c["Z_h"]) ** 2)).status == CORRECT
    assert nb02.check_tanh_backward(...).status == NOT_ATTEMPTED


def test_tanh_backward_agrees_with_central_differences(ctx):
    from helpers.gradcheck import numerical_gradient
    from helpers.network import loss

    p, X, Y = ctx["params"], ctx["X5"], ctx["Y5"]

    def cost_with(name):
        def cost(value):
            q = {**p, name: value}
            return loss(sigmoid(np.tanh(X @ q["W"] + q["b1"]) @ q["V"] + q["b2"]), Y)
        return cost

    cache = nb02._tanh_cache(ctx)
    want = nb02._backward_with_slope(Y, cache, p, 1 - cache["H"] ** 2)
    for name in ("W", "b1", "V", "b2"):
        assert np.allclose(numerical_gradient(cost_with(name), p[name].copy()), want[name])


@pytest.mark.parametrize("slope, text", [
    (lambda c: sigmoid_prime(c["Z_h"]), "uses the sigmoid's slope"),
    (lambda c: 1 - c["Z_h"] ** 2, "you squared the pre-activation z_h"),
    (lambda c: c["H"] * (1 - c["H"]), "H(1 − H) is the sigmoid's slope"),
    (lambda c: np.ones_like(c["H"]), "missing the slope of tanh"),
    (lambda c: 2 * (1 - c["H"] ** 2), "the gradient for W"),
])
def test_tanh_backward_diagnoses(slope, text):
    assert_diagnosis(nb02.check_tanh_backward(tanh_backward(slope)), text)


def test_tanh_backward_not_a_dict():
    assert_diagnosis(nb02.check_tanh_backward(lambda Y, c, p: [0]),
                     "return a dict")


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
    assert "δ_hidden is missing ⊙ σ′(z_h)" in feedback.message


@pytest.mark.parametrize("flag, text", [
    ("no_m", "without the /m every gradient is m = 5 times too large"),
    ("no_half", "is the ½ in the cost missing?"),
    ("no_out_prime", "δ_out is missing ⊙ σ′(z_y)"),
    ("no_hidden_prime", "δ_hidden is missing ⊙ σ′(z_h)"),
    ("prime_of_h", "not at the activation h = σ(z_h)"),
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
