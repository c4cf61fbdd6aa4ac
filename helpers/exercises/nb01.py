"""Checks for the exercises of notebook ``01_multiply-through-a-3-4-2-network``.

Each check returns feedback (see :mod:`helpers.exercises.core`) and never raises. The
exercises carry the notebook's ideas to new cases: a network of another size, a
softmax over a batch, the collapse of a linear network, and PyTorch's weight layout.

Examples
--------
>>> check_softmax(lambda z: z)
✘ not yet: the rows of your result do not sum to 1 (row 0 sums to -0.7468). Each row of a softmax is a set of shares of one sample.
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
    correct,
    exercise,
    incorrect,
)

MNIST = (784, 128, 10)  # exercise 1: inputs, hidden units, outputs
BATCH = 32
MATMUL_HINT = ("the shapes do not line up. Weights stored as (outputs, inputs) must be "
               "transposed before a row-convention product.")


def _mnist_expected() -> dict[str, Any]:
    n_in, n_h, n_out = MNIST
    return {"W": (n_in, n_h), "V": (n_h, n_out), "Z_h": (BATCH, n_h),
            "Y_hat": (BATCH, n_out), "params": n_in * n_h + n_h + n_h * n_out + n_out}


@exercise
def check_mnist_shapes(answer: Any) -> Feedback:
    """Exercise 1: shapes and parameter count of a 784-128-10 network, batch of 32."""
    want = _mnist_expected()
    if not isinstance(answer, dict) or set(answer) != set(want):
        raise StudentCodeError(f"answer a dict with the keys {sorted(want)}.")
    for key in ("W", "V", "Z_h", "Y_hat"):
        got = answer[key]
        if key in ("W", "V") and tuple(got) == want[key][::-1]:
            return incorrect(f"{key}: {tuple(got)} is PyTorch's (outputs, inputs) layout. In "
                             "this course's row convention a weight matrix has one row per "
                             "unit on its left.")
        feedback = compare_shape(got, want[key])
        if not feedback:
            return incorrect(f"{key}: {feedback.message}")
    n_in, n_h, n_out = MNIST
    if answer["params"] == n_in * n_h + n_h * n_out:
        return incorrect("params: that counts the weights only. Each hidden and output unit "
                         "also has a bias.")
    if answer["params"] != want["params"]:
        return incorrect(f"params: {answer['params']} is not the count. Add the entries of "
                         "both weight matrices and both bias vectors.")
    return correct()


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _softmax_mistakes(z: np.ndarray) -> dict[str, np.ndarray]:
    e = np.exp(z - z.max())
    return {
        "you normalised each column, over the samples. A softmax normalises each row: one "
        "sample's outputs share 1 among themselves.": e / e.sum(axis=0, keepdims=True),
        "you divided by the sum of the whole array, so the whole batch sums to 1. Each "
        "row (each sample) must sum to 1.": e / e.sum(),
        "that is the sigmoid of each entry. Its rows need not sum to 1; a softmax divides "
        "exp(z) by its row sum.": sigmoid(z),
    }


@exercise
def check_softmax(my_softmax: Any) -> Feedback:
    """Exercise 2: a softmax over the rows of a batch of pre-activations."""
    rng = np.random.default_rng(2)
    for z in (rng.normal(size=(4, 3)), np.array([[1000.0, 1001.0, 1002.0], [0.0, 0.0, 0.0]])):
        with np.errstate(all="ignore"):  # an overflowing softmax is feedback, not a warning
            got = call_student(my_softmax, z.copy())
        got = as_array(got, "the value your function returned")
        if got.shape == z.shape and not np.all(np.isfinite(got)):
            return incorrect("your function returns nan or inf for z = [1000, 1001, 1002]: "
                             "exp(1000) overflows. The softmax of z equals the softmax of "
                             "z − c for any c per row; pick c so that no exp overflows.")
        if got.shape == z.shape and not np.allclose(got.sum(axis=1), 1):
            mistake = _softmax_mistakes(z)
            for message, value in mistake.items():
                if np.allclose(got, value):
                    return incorrect(message)
            return incorrect(f"the rows of your result do not sum to 1 (row 0 sums to "
                             f"{got[0].sum():.4g}). Each row of a softmax is a set of shares "
                             "of one sample.")
        feedback = compare_array(got, _softmax(z), name="the value your function returned")
        if not feedback:
            return feedback
    return correct()


def _random_params(seed: int = 3) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2)),
            rng.normal(size=2))


def _deep_params(seed: int = 6) -> tuple[np.ndarray, ...]:
    """W1 (3×4), b1, W2 (4×5), b2, W3 (5×2), b3, for exercise 3."""
    rng = np.random.default_rng(seed)
    sizes = (3, 4, 5, 2)
    out: list[np.ndarray] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        out += [rng.normal(size=(n_in, n_out)), rng.normal(size=n_out)]
    return tuple(out)


@exercise
def check_collapse(collapse: Any) -> Feedback:
    """Exercise 3: the single layer (U, c) that three layers without a sigmoid between equal."""
    W1, b1, W2, b2, W3, b3 = params = _deep_params()
    result = call_student(collapse, *(a.copy() for a in params))
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise StudentCodeError("return two arrays, U and c, as a tuple: return U, c")
    U, c = (as_array(r, name) for r, name in zip(result, ("U", "c"), strict=True))
    feedback = compare_array(U, W1 @ W2 @ W3, name="U")
    if not feedback:
        return incorrect(f"U: {feedback.message}")
    return compare_array(c, (b1 @ W2 + b2) @ W3 + b3, alternatives={
        "c: only b3 survives in your answer, but b1 and b2 pass through the later weight "
        "matrices. Multiply the layers out and collect every term without X.": b3,
        "c: b1 is missing: it passes through W2 and then W3.": b2 @ W3 + b3,
        "c: the last bias b3 is missing.": (b1 @ W2 + b2) @ W3,
        "c: b2 is missing: it passes through W3.": b1 @ W2 @ W3 + b3,
    }, name="c")


@exercise
def check_torch_layout_forward(forward_torch: Any) -> Feedback:
    """Exercise 4: the forward pass with weights stored (outputs, inputs), samples in rows."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(5, 3))
    W, b1, V, b2 = _random_params()
    try:
        out = call_student(forward_torch, X, W.T.copy(), b1, V.T.copy(), b2)
    except StudentCodeError as err:
        if "matmul" in str(err) or "not aligned" in str(err) or "broadcast" in str(err):
            raise StudentCodeError(f"{err}. Hint: {MATMUL_HINT}") from err
        raise
    want = sigmoid(sigmoid(X @ W + b1) @ V + b2)
    return compare_array(out, want, alternatives={
        "your result has one column per sample, the column convention. The rows must stay "
        "samples, as in the input X.": want.T,
        "the hidden layer skips the sigmoid.": sigmoid((X @ W + b1) @ V + b2),
        "these are the output pre-activations z_y: the sigmoid is missing at the end.":
            sigmoid(X @ W + b1) @ V + b2,
    }, name="the value your function returned")
