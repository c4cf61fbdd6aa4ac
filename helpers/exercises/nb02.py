"""Checks for the exercises of notebook ``02_backpropagate-with-the-hadamard-product``.

Each check returns feedback (see :mod:`helpers.exercises.core`) and never raises.
The numbers match the notebook: the first five tumours of
:func:`helpers.data.load_breast_cancer3` and :func:`helpers.network.init_params` with
``seed=0``.

Examples
--------
>>> import numpy as np
>>> check_sigmoid_prime(lambda z: z * (1 - z))
✘ not yet: you computed z(1 − z). The formula s(1 − s) needs the activation s = σ(z), not the pre-activation z: use σ(z)(1 − σ(z)).
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
    correct,
    exercise,
    incorrect,
)
from helpers.exercises.nb01 import _call_elementwise

LR = 2.0  # the learning rate of exercise 1
KEYS = ("W", "b1", "V", "b2")
BUGS = {
    "no_m": "∂C/∂ŷ must be (ŷ − y)/m: the cost is a mean over the m samples, so without "
            "the /m every gradient is m = 5 times too large.",
    "no_half": "the gradient is 2× too large: is the ½ in the cost missing? In "
               "C = 1/(2m) Σ(ŷ − y)² the ½ cancels the 2 from the square, so "
               "∂C/∂ŷ = (ŷ − y)/m.",
    "no_out_prime": "δ_out is missing ⊙ σ′(y′): δ_out = (ŷ − y)/m ⊙ σ′(y′).",
    "no_hidden_prime": "δ_hidden is missing ⊙ σ′(h′): the gradient passes back through the "
                       "hidden sigmoid too, δ_hidden = (δ_out Vᵀ) ⊙ σ′(h′).",
    "prime_of_h": "σ′ must be evaluated at the pre-activation h′ (cache['Z_h']), not at "
                  "the activation h = σ(h′) (cache['H']).",
}


def context() -> dict[str, Any]:
    """The notebook's objects: params, tumour 0 (x, y, cache1), five tumours (X5, Y5, cache5).

    ``y_t1`` and ``cache_t1`` are tumour 1 alone, for exercise 3.

    Gradients ``grads1`` and ``grads5`` come from :func:`helpers.network.backward`.
    """
    from helpers.data import load_breast_cancer3
    from helpers.network import backward, forward, init_params

    X, Y = load_breast_cancer3()[:2]
    p = init_params(seed=0)
    x, y, X5, Y5 = X[:1], Y[:1], X[:5], Y[:5]
    cache1, cache5 = forward(x, p), forward(X5, p)
    return {"params": p, "x": x, "y": y, "cache1": cache1, "grads1": backward(y, cache1, p),
            "X5": X5, "Y5": Y5, "cache5": cache5, "grads5": backward(Y5, cache5, p),
            "y_t1": Y[1:2], "cache_t1": forward(X[1:2], p)}


@exercise
def check_gradient_step(V_new: Any) -> Feedback:
    """Exercise 1: one gradient-descent step on V with η = 2, from the five-tumour batch."""
    c = context()
    V, dV = c["params"]["V"], c["grads5"]["V"]
    return compare_array(V_new, V - LR * dV, alternatives={
        "you stepped uphill: gradient descent subtracts η ∂C/∂V, it does not add it.":
            V + LR * dV,
        "the learning rate is missing: the step is η ∂C/∂V with η = 2.": V - dV,
        "that is only the change −η ∂C/∂V. Add it to the old V.": -LR * dV,
        "you used grads1, the gradient of tumour 0 alone. The step uses the five-tumour "
        "gradient grads5['V'].": V - LR * c["grads1"]["V"],
    }, name="V_new")


@exercise
def check_sigmoid_prime(my_sigmoid_prime: Any) -> Feedback:
    """Exercise 2: the derivative of the sigmoid, elementwise."""
    z = np.linspace(-4.0, 4.0, 9).reshape(3, 3)
    out = _call_elementwise(my_sigmoid_prime, z)
    s = sigmoid(z)
    return compare_array(out, sigmoid_prime(z), alternatives={
        "you computed z(1 − z). The formula s(1 − s) needs the activation s = σ(z), not "
        "the pre-activation z: use σ(z)(1 − σ(z)).": z * (1 - z),
        "this is σ(z) itself, not its derivative. Multiply by 1 − σ(z).": s,
        "this is 1 − σ(z). Multiply it by σ(z) to get the derivative.": 1 - s,
        "check the sign inside: σ′(z) = σ(z)(1 − σ(z)), with a minus, not 1 + σ(z).":
            s * (1 + s),
        "every value has the wrong sign: σ is increasing, so σ′(z) > 0.": -s * (1 - s),
    })


@exercise
def check_weight_gradient(dV: Any) -> Feedback:
    """Exercise 3: ∂C/∂V for tumour 1 alone as the outer product hᵀ δ_out, shape (4, 2)."""
    c = context()
    cache, y = c["cache_t1"], c["y_t1"]
    h, h_pre = cache["H"], cache["Z_h"]
    delta = (cache["Y_hat"] - y) * sigmoid_prime(cache["Z_y"])
    got = as_array(dV, "dV")
    if got.size == 2 and np.allclose(got.ravel(), delta.ravel()):
        return incorrect("this is δ_out, with 2 numbers, but V has 4×2 = 8 entries. The "
                         "Hadamard product gives δ; ∂C/∂V is the outer product hᵀ δ_out "
                         "(h.T @ delta_out).")
    return compare_array(got, h.T @ delta, alternatives={
        "these are tumour 0's numbers (the h.T @ delta_out computed earlier in the "
        "notebook). Run forward on tumour 1, X[1:2], and use its label Y[1:2].":
            c["grads1"]["V"],
        "you used ŷ − y instead of δ_out: the ⊙ σ′(y′) is missing.":
            h.T @ (cache["Y_hat"] - y),
        "you used the pre-activation h′. V multiplies the activation h = σ(h′), so "
        "∂C/∂V = hᵀ δ_out.": h_pre.T @ delta,
    }, name="dV")


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
    """Every set of bugs that can occur together (h′ versus h needs a hidden σ′)."""
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
