"""Checks for the exercises of notebook ``02_backpropagate-with-the-hadamard-product``.

Each check returns feedback (see :mod:`helpers.exercises.core`) and never raises.
The numbers match the notebook: the first five tumours of
:func:`helpers.data.load_breast_cancer3` and :func:`helpers.network.init_params` with
``seed=0``.

Examples
--------
>>> check_cross_entropy_delta(lambda Y_hat, Y: (Y_hat - Y) / len(Y) * Y_hat * (1 - Y_hat))
✘ not yet: that is the squared-error δ_out. With the cross-entropy cost, ∂C/∂ŷ is different: work it out, then multiply by σ′(z_y) = ŷ(1 − ŷ) and simplify.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import product
from typing import Any

import numpy as np

from helpers.activations import sigmoid, sigmoid_prime
from helpers.exercises.core import (
    Feedback,
    StudentCodeError,
    as_array,
    call_student,
    compare_array,
    compare_shape,
    correct,
    exercise,
    incorrect,
)

KEYS = ("W", "b1", "V", "b2")
BUGS = {
    "no_m": "∂C/∂ŷ must be (ŷ − y)/m: the cost is a mean over the m samples, so without "
            "the /m every gradient is m = 5 times too large.",
    "no_half": "the gradient is 2× too large: is the ½ in the cost missing? In "
               "C = 1/(2m) Σ(ŷ − y)² the ½ cancels the 2 from the square, so "
               "∂C/∂ŷ = (ŷ − y)/m.",
    "no_out_prime": "δ_out is missing ⊙ σ′(z_y): δ_out = (ŷ − y)/m ⊙ σ′(z_y).",
    "no_hidden_prime": "δ_hidden is missing ⊙ σ′(z_h): the gradient passes back through the "
                       "hidden sigmoid too, δ_hidden = (δ_out Vᵀ) ⊙ σ′(z_h).",
    "prime_of_h": "σ′ must be evaluated at the pre-activation z_h (cache['Z_h']), not at "
                  "the activation h = σ(z_h) (cache['H']).",
}


def context() -> dict[str, Any]:
    """The notebook's objects: params, tumour 0 (x, y, cache1), five tumours (X5, Y5, cache5).

    Gradients ``grads1`` and ``grads5`` come from :func:`helpers.network.backward`.
    """
    from helpers.data import load_breast_cancer3
    from helpers.network import backward, forward, init_params

    X, Y = load_breast_cancer3()[:2]
    p = init_params(seed=0)
    x, y, X5, Y5 = X[:1], Y[:1], X[:5], Y[:5]
    cache1, cache5 = forward(x, p), forward(X5, p)
    return {"params": p, "x": x, "y": y, "cache1": cache1, "grads1": backward(y, cache1, p),
            "X5": X5, "Y5": Y5, "cache5": cache5, "grads5": backward(Y5, cache5, p)}


LAYER = (128, 10, 32)  # exercise 1: inputs, outputs, batch size


@exercise
def check_gradient_shapes(answer: Any) -> Feedback:
    """Exercise 1: the shapes of one layer's gradients in three conventions."""
    n_in, n_out, m = LAYER
    want = {"delta": (m, n_out), "ours": (n_in, n_out), "pytorch": (n_out, n_in),
            "nielsen": (n_out, n_in)}
    if not isinstance(answer, Mapping) or set(answer) != set(want):
        raise StudentCodeError(f"answer a dict with the keys {sorted(want)}.")
    why = {"delta": "δ has one row per sample and one column per output unit.",
           "ours": "in the Aᵀδ form the gradient has the weight's own shape, (inputs, outputs).",
           "pytorch": "PyTorch's .grad has the shape of its weight, stored (outputs, inputs).",
           "nielsen": "Nielsen's δ aᵀ is a column times a row: (outputs × 1)(1 × inputs)."}
    for key in ("delta", "ours", "pytorch", "nielsen"):
        feedback = compare_shape(answer[key], want[key])
        if not feedback:
            return incorrect(f"{key}: {feedback.message} Hint: {why[key]}")
    return correct()


def _ce_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(5)
    Y = np.eye(2)[rng.integers(0, 2, size=6)]
    return [(sigmoid(rng.normal(size=(6, 2))), Y)]


@exercise
def check_cross_entropy_delta(delta_out_ce: Any) -> Feedback:
    """Exercise 2: δ_out = ∂C/∂Z_y for the cross-entropy cost with sigmoid outputs."""
    for Y_hat, Y in _ce_cases():
        m = Y.shape[0]
        got = call_student(delta_out_ce, Y_hat.copy(), Y.copy())
        dC_dyhat = -(Y / Y_hat - (1 - Y) / (1 - Y_hat)) / m
        slope = Y_hat * (1 - Y_hat)
        feedback = compare_array(got, (Y_hat - Y) / m, alternatives={
            "that is the squared-error δ_out. With the cross-entropy cost, ∂C/∂ŷ is "
            "different: work it out, then multiply by σ′(z_y) = ŷ(1 − ŷ) and simplify.":
                (Y_hat - Y) / m * slope,
            "that is ∂C/∂ŷ. δ_out is ∂C/∂z_y: multiply by σ′(z_y) = ŷ(1 − ŷ).": dC_dyhat,
            "the 1/m is missing: the cost is a mean over the m samples.": Y_hat - Y,
            "every value has the wrong sign: the cost has a minus in front.": (Y - Y_hat) / m,
        }, name="δ_out")
        if not feedback:
            return feedback
    return correct()


def _tanh_cache(c: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The five-tumour cache recomputed with a tanh hidden layer."""
    p, X = c["params"], c["X5"]
    Z_h = X @ p["W"] + p["b1"]
    H = np.tanh(Z_h)
    Z_y = H @ p["V"] + p["b2"]
    return {"X": X, "Z_h": Z_h, "H": H, "Z_y": Z_y, "Y_hat": sigmoid(Z_y)}


def _backward_with_slope(Y, cache, params, slope: np.ndarray) -> dict[str, np.ndarray]:
    delta_out = (cache["Y_hat"] - Y) / Y.shape[0] * sigmoid_prime(cache["Z_y"])
    delta_hidden = (delta_out @ params["V"].T) * slope
    return {"W": cache["X"].T @ delta_hidden, "b1": delta_hidden.sum(axis=0),
            "V": cache["H"].T @ delta_out, "b2": delta_out.sum(axis=0)}


@exercise
def check_tanh_backward(backward_tanh: Any) -> Feedback:
    """Exercise 3: the backward pass of the network with a tanh hidden layer."""
    c = context()
    Y, params = c["Y5"], c["params"]
    cache = _tanh_cache(c)
    got = call_student(backward_tanh, Y, cache, params)
    if not isinstance(got, Mapping) or not all(k in got for k in KEYS):
        raise StudentCodeError("return a dict with the keys 'W', 'b1', 'V' and 'b2'.")
    wrong_slopes = {
        "δ_hidden uses the sigmoid's slope; this hidden layer is tanh, whose slope is "
        "1 − tanh²(z).": sigmoid_prime(cache["Z_h"]),
        "the slope 1 − tanh²(z) must be evaluated at tanh(z_h), the activation H: you "
        "squared the pre-activation z_h instead.": 1 - cache["Z_h"] ** 2,
        "H(1 − H) is the sigmoid's slope written with its activation; tanh's slope "
        "is different.": cache["H"] * (1 - cache["H"]),
        "δ_hidden is missing the slope of tanh (a Hadamard product).": np.ones_like(cache["H"]),
    }
    got = {k: as_array(got[k], f"the gradient for {k}") for k in KEYS}
    want = _backward_with_slope(Y, cache, params, 1 - cache["H"] ** 2)
    for message, slope in wrong_slopes.items():
        if _matches(got, _backward_with_slope(Y, cache, params, slope)):
            return incorrect(message)
    for k in KEYS:
        feedback = compare_array(got[k], want[k], name=f"the gradient for {k}")
        if not feedback:
            return incorrect(f"the gradient for {k}: {feedback.message}")
    return correct()


def _flagged_backward(Y, cache, params, flags: frozenset[str]) -> dict[str, np.ndarray]:
    """The Hadamard-form backward pass, with the bugs named in ``flags`` put in."""
    m = 1 if "no_m" in flags else Y.shape[0]
    dY_hat = (2 if "no_half" in flags else 1) * (cache["Y_hat"] - Y) / m
    out_prime = 1.0 if "no_out_prime" in flags else sigmoid_prime(cache["Z_y"])
    delta_out = dY_hat * out_prime
    if "no_hidden_prime" in flags:
        hidden_prime = 1.0
    else:
        hidden_prime = sigmoid_prime(cache["H" if "prime_of_h" in flags else "Z_h"])
    delta_hidden = (delta_out @ params["V"].T) * hidden_prime
    return {"W": cache["X"].T @ delta_hidden, "b1": delta_hidden.sum(axis=0),
            "V": cache["H"].T @ delta_out, "b2": delta_out.sum(axis=0)}


def _bug_combinations():
    """Every set of bugs that can occur together (z_h versus h needs a hidden σ′)."""
    names = list(BUGS)
    for mask in product((False, True), repeat=len(names)):
        flags = frozenset(n for n, on in zip(names, mask, strict=True) if on)
        if flags and not {"no_hidden_prime", "prime_of_h"} <= flags:
            yield flags


def _matches(got: Mapping, want: Mapping) -> bool:
    return all(np.shape(got[k]) == want[k].shape and np.allclose(got[k], want[k]) for k in KEYS)


@exercise
def check_fixed_backward(fixed_backward: Any) -> Feedback:
    """Exercise 4: the repaired backward pass returns the gradients of helpers.network."""
    from helpers.network import backward

    c = context()
    Y, cache, params = c["Y5"], c["cache5"], c["params"]
    got = call_student(fixed_backward, Y, cache, params)
    if not isinstance(got, Mapping) or not all(k in got for k in KEYS):
        raise StudentCodeError("return a dict with the keys 'W', 'b1', 'V' and 'b2', like "
                               "helpers.network.backward.")
    got = {k: as_array(got[k], f"the gradient for {k}") for k in KEYS}
    want = backward(Y, cache, params)
    if _matches(got, want):
        return correct()
    for flags in _bug_combinations():
        if _matches(got, _flagged_backward(Y, cache, params, flags)):
            found = [BUGS[name] for name in BUGS if name in flags]
            if len(found) == 1:
                return incorrect(found[0])
            return incorrect(f"{len(found)} problems: " + " ".join(
                f"({i}) {msg}" for i, msg in enumerate(found, start=1)))
    for k in KEYS:
        feedback = compare_array(got[k], want[k], name=f"the gradient for {k}")
        if not feedback:
            return incorrect(f"the gradient for {k}: {feedback.message}")
    return correct()  # every gradient is within the tolerance of compare_array
