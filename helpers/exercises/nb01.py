"""Checks for the exercises of notebook ``01_multiply-through-a-3-4-2-network``.

Each check returns feedback (see :mod:`helpers.exercises.core`) and never raises.
The numbers match the notebook: tumour 0 of :func:`helpers.data.load_breast_cancer3`
and the weights of :func:`helpers.network.init_params` with ``seed=0``.

Examples
--------
>>> check_batch_shape((10, 4))
✔ correct
>>> check_batch_shape((10, 3))
✘ not yet: (10, 3) is the shape of X itself. Multiplying by W (3×4) keeps the 10 rows and turns the 3 columns into W's 4 columns.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.activations import sigmoid
from helpers.exercises.core import (
    Feedback,
    StudentCodeError,
    as_array,
    call_student,
    compare_array,
    compare_shape,
    exercise,
    incorrect,
)

MATH_HINT = ("use np.exp, not math.exp: the math module works on one number at a time, "
             "np.exp on a whole array.")
STAR_HINT = ("`*` multiplies entry by entry (the Hadamard product, with broadcasting); the "
             "matrix product is `@`.")
MATMUL_HINT = ("the matrix shapes do not line up. In the row convention a batch X (m×3) is "
               "multiplied as X @ W with W (3×4), then H @ V with V (4×2): no transpose needed.")


def _sample_and_weights() -> tuple[np.ndarray, np.ndarray]:
    """Tumour 0 as a (1, 3) row and the notebook's W (3, 4)."""
    from helpers.data import load_breast_cancer3
    from helpers.network import init_params

    X = load_breast_cancer3()[0]
    return X[:1], init_params(seed=0)["W"]


@exercise
def check_batch_shape(answer: Any) -> Feedback:
    """Exercise 1: the shape of ``X_batch @ W`` for 10 samples and W of shape (3, 4)."""
    known = {
        (10, 3): "(10, 3) is the shape of X itself. Multiplying by W (3×4) keeps the 10 rows "
                 "and turns the 3 columns into W's 4 columns.",
        (3, 4): "(3, 4) is the shape of W. The product has one row per sample.",
        (1, 4): "(1, 4) is the result for one sample; a batch of 10 samples gives 10 rows.",
        (10, 2): "(10, 2) is the output layer's shape (after V). X @ W is the hidden layer.",
    }
    try:
        got = tuple(int(n) for n in answer)
    except (TypeError, ValueError):
        return compare_shape(answer, (10, 4))
    if got in known:
        return incorrect(known[got])
    return compare_shape(got, (10, 4))


def _call_elementwise(func: Any, z: np.ndarray) -> np.ndarray:
    """Call the student's elementwise function; explain math.exp and shape mistakes."""
    try:
        out = call_student(func, z)
    except StudentCodeError as err:
        if "0-dimensional" in str(err) or "length-1" in str(err) or "size-1" in str(err):
            raise StudentCodeError(f"{err}. Hint: {MATH_HINT}") from err
        raise
    out = as_array(out, "the value your function returned")
    if out.shape != z.shape:
        raise StudentCodeError(f"your function returned shape {out.shape} for an input of "
                               f"shape {z.shape}: an elementwise function keeps the shape.")
    return out


@exercise
def check_sigmoid(my_sigmoid: Any) -> Feedback:
    """Exercise 2: a sigmoid that works elementwise on arrays."""
    z = np.linspace(-4.0, 4.0, 9).reshape(3, 3)
    out = _call_elementwise(my_sigmoid, z)
    return compare_array(out, sigmoid(z), alternatives={
        "your curve falls as z grows: that is 1/(1 + exp(+z)) = 1 − σ(z). The sigmoid has "
        "a minus sign in the exponent: σ(z) = 1/(1 + exp(−z)).": sigmoid(-z),
        "you computed exp(z): the denominator needs 1 + exp(−z), not exp(−z) alone.": np.exp(z),
        "that is tanh(z), which runs from −1 to 1. The sigmoid runs from 0 to 1: "
        "σ(z) = (1 + tanh(z/2))/2.": np.tanh(z),
    })


@exercise
def check_column_preactivation(h_col: Any) -> Feedback:
    """Exercise 3: tumour 0's pre-activation in the column convention, Wᵀ x, shape (4, 1)."""
    x, W = _sample_and_weights()
    want = W.T @ x.T
    got = as_array(h_col, "h_col")
    if got.shape == (4,) and np.allclose(got, want.ravel()):
        return incorrect("the numbers are right, but an array of shape (4,) has no "
                         "orientation. The column convention needs a column of shape (4, 1): "
                         "use x.reshape(3, 1) or x.T.")
    return compare_array(got, want, alternatives={
        "these are the activations σ(h′). The question asks for the pre-activation "
        "h′ = Wᵀx, before the sigmoid.": sigmoid(want),
    }, name="h_col")


def _forward_variants(X, W, b1, V, b2) -> dict[str, np.ndarray]:
    """The usual wrong forward passes, keyed by the diagnosis each deserves."""
    H = sigmoid(X @ W + b1)
    return {
        "your hidden layer skips the sigmoid: compute H = σ(X @ W + b1) before "
        "multiplying by V.": sigmoid((X @ W + b1) @ V + b2),
        "these are the output pre-activations y′: apply the sigmoid once more to get "
        "ŷ = σ(H @ V + b2).": H @ V + b2,
        "both biases are missing: add b1 after X @ W and b2 after H @ V.":
            sigmoid(sigmoid(X @ W) @ V),
        "the hidden bias b1 is missing: H = σ(X @ W + b1).": sigmoid(sigmoid(X @ W) @ V + b2),
        "the output bias b2 is missing: ŷ = σ(H @ V + b2).": sigmoid(H @ V),
    }


@exercise
def check_forward_pass(forward_pass: Any) -> Feedback:
    """Exercise 4: ``forward_pass(X, W, b1, V, b2)`` returns Ŷ for a batch, shape (m, 2)."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 3))
    W, V = rng.normal(size=(3, 4)), rng.normal(size=(4, 2))
    b1, b2 = rng.normal(size=4), rng.normal(size=2)
    try:
        out = call_student(forward_pass, X, W, b1, V, b2)
    except StudentCodeError as err:
        if "matmul" in str(err) or "not aligned" in str(err):
            raise StudentCodeError(f"{err}. Hint: {MATMUL_HINT}") from err
        if "broadcast" in str(err):
            raise StudentCodeError(f"{err}. Hint: {STAR_HINT}") from err
        raise
    want = sigmoid(sigmoid(X @ W + b1) @ V + b2)
    return compare_array(out, want, alternatives=_forward_variants(X, W, b1, V, b2),
                         name="the value your function returned")

