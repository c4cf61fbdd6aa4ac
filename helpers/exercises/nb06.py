"""Checks for the exercises of notebook ``06_replace-the-matrix-with-a-convolution``.

Each check returns *correct*, *not attempted yet* or a specific diagnosis, and never
raises (see :mod:`helpers.exercises.core`).

Examples
--------
>>> check_parameter_count(...)
… not attempted yet: replace the `...` placeholder with your answer, then run this cell again.
>>> check_parameter_count((100, 3))
✘ not yet: dense: 100 is not n·m = 100·98.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.conv import conv_matrix, convolve1d, correlate1d
from helpers.convnet import layer_matrix
from helpers.exercises.core import (
    as_array,
    check_cases,
    compare_array,
    correct,
    exercise,
    incorrect,
    whole_numbers,
)

#: Exercise 1: the kernel and the signal length of the matrix to build by hand.
W1, N1 = np.array([2, -1, 3]), 5

#: Exercise 2: a layer from N2 inputs to M2 outputs, or one kernel of K2 weights.
N2, K2 = 100, 3
M2 = N2 - K2 + 1


# ---------------------------------------------------------------- exercise 1


@exercise
def check_conv_matrix(answer: Any) -> Any:
    """Exercise 1: M with M @ x == convolve1d(x, W1, "valid") for x of length N1."""
    want = conv_matrix(W1, N1, "valid")
    got = as_array(answer, "M_1")
    rows = len(want)
    mistakes = {
        f"this is the transpose, shape {want.T.shape}: M has one row per output ({rows}) and "
        f"one column per input sample ({N1}), so that M @ x works.": want.T,
        "each row holds w in reading order, 2, −1, 3: that is the matrix of cross-correlation. "
        "Convolution flips the kernel, so each row reads 3, −1, 2.": layer_matrix(W1, N1),
        f"this is the matrix of full mode ({N1 + len(W1) - 1} rows, including the positions "
        f"that overlap the padding). Valid keeps only the {rows} rows where the kernel fits "
        "inside x.": conv_matrix(W1, N1, "full"),
        f"this is the matrix of same mode ({N1} rows). Valid keeps only the {rows} rows where "
        "the kernel fits inside x.": conv_matrix(W1, N1, "same"),
    }
    feedback = compare_array(got, want, alternatives=mistakes, name="M_1")
    if feedback:
        return correct(f"{np.count_nonzero(want)} non-zero entries, but only {len(W1)} "
                       "different weights: one per diagonal.")
    return feedback


# ---------------------------------------------------------------- exercise 2


@exercise
def check_parameter_count(counts: Any) -> Any:
    """Exercise 2: (dense weights, convolution weights) for N2 -> M2 outputs, no biases."""
    got = whole_numbers(counts, "(dense, convolution)", 2)
    dense, conv = N2 * M2, K2
    if got == (dense, conv):
        return correct(f"{dense} weights against {conv}, about {round(dense / conv)} times fewer.")
    if got == (conv, dense):
        return incorrect("the two numbers are swapped: the dense layer is the large one.")
    if got[1] == M2 * K2:
        return incorrect(f"{M2 * K2} = {M2}·{K2} is the number of non-zero entries of M. They "
                         f"repeat the same {K2} weights (tied), and a shared weight is one "
                         "parameter.")
    if got[0] == N2 + M2:
        return incorrect(f"{N2 + M2} = n + m adds the inputs and the outputs. A dense layer "
                         "has one weight per (input, output) pair: n·m.")
    if got[0] == N2 * N2:
        return incorrect(f"{N2}·{N2} assumes {N2} outputs, but the layer has {M2} (the valid "
                         f"length N − K + 1). The dense layer to compare has n·m weights.")
    if got[0] in (dense + M2, dense + N2):
        return incorrect("that count includes biases; the exercise leaves them out. Count only "
                         f"the weights: n·m = {dense} for the dense layer, k = {conv} for the "
                         "kernel.")
    if got[0] != dense:
        return incorrect(f"dense: {got[0]} is not n·m = {N2}·{M2}.")
    return incorrect(f"convolution: {got[1]} weights, but one kernel of length {K2} is all "
                     "the layer learns (no biases here).")


# ---------------------------------------------------------------- exercise 3


def _gradient_cases() -> list[tuple[np.ndarray, np.ndarray, int]]:
    """(a, delta, k): an integer case and a float case, both with several positions."""
    rng = np.random.default_rng(6)
    return [(np.array([2, -1, 0, 3, 1, 4]), np.array([1, -2, 3, 2]), 3),
            (rng.normal(size=8), rng.normal(size=5), 4)]


def _per_position(a: np.ndarray, delta: np.ndarray, k: int) -> np.ndarray:
    """Row i: the gradient that position i alone gives the kernel, delta[i] * a[i:i + k]."""
    return np.array([d * a[i:i + k] for i, d in enumerate(delta)])


@exercise
def check_tied_gradient(func: Any) -> Any:
    """Exercise 3: ``tied_gradient(a, delta, k)`` = dC/dw for z = a ⋆ w (valid correlation)."""
    return check_cases(func, _gradient_cases(), _check_tied,
                       "every shared weight collects the gradients of all the positions it is "
                       "used at.")


def _check_tied(result: Any, a: np.ndarray, delta: np.ndarray, k: int) -> Any:
    want = correlate1d(a, delta, "valid")
    rows = _per_position(a, delta, k)
    case = f"for a of length {len(a)}, delta of length {len(delta)}, k = {k}: "
    got = as_array(result, "the result")
    mistakes = {
        f"shape {rows.shape}: one row per position. You forgot to sum over positions: a tied "
        "weight gets the *sum* of these rows, np.sum(..., axis=0).": rows,
        "this is the gradient from position 0 alone, delta[0]·a[0:k]. The weight is shared by "
        "every position: add the contributions of all of them.": rows[0],
        f"this is the average over the {len(delta)} positions: a shared weight's gradient is "
        "their sum, not their mean.": rows.mean(axis=0),
        "the right numbers, reversed: that is the rule for a layer that convolves (flips w). "
        "This layer correlates: dC/dw[j] = Σ_i delta[i]·a[i + j], no flip.": want[::-1],
        "the values match convolve1d(a, delta, 'valid'), which flips delta. The rule is a "
        "correlation: dC/dw[j] = Σ_i delta[i]·a[i + j].": convolve1d(a, delta, "valid"),
    }
    feedback = compare_array(got, want, alternatives=mistakes, name="the result")
    return feedback if feedback else incorrect(case + feedback.message)


# ---------------------------------------------------------------- exercise 4

#: Exercise 4: a 2x2 kernel that slides over 3x3 images (valid cross-correlation).
KERNEL4 = np.array([[1, 2], [3, 4]])


def _block_toeplitz(kernel: np.ndarray, size: int) -> np.ndarray:
    """The matrix M with M @ image.ravel() == correlate2d(image, kernel, "valid").ravel()."""
    k = len(kernel)
    out = size - k + 1
    M = np.zeros((out * out, size * size), dtype=np.result_type(kernel))
    for r, c in np.ndindex(out, out):
        window = np.zeros((size, size), dtype=M.dtype)
        window[r:r + k, c:c + k] = kernel
        M[r * out + c] = window.ravel()
    return M


@exercise
def check_block_toeplitz(answer: Any) -> Any:
    """Exercise 4: the matrix of a 2D valid cross-correlation on 3x3 images, as a 4x9 list."""
    want = _block_toeplitz(KERNEL4, 3)
    got = as_array(answer, "M_4")
    flipped = _block_toeplitz(KERNEL4[::-1, ::-1], 3)
    by_columns = _block_toeplitz(KERNEL4.T, 3)
    mistakes = {
        f"this is the transpose, shape {want.T.shape}: one row per output pixel (4) and one "
        "column per input pixel (9), so that M @ image.ravel() works.": want.T,
        "each row holds the kernel rotated by 180 degrees: that is the matrix of a 2D "
        "convolution. A CNN layer correlates: each row holds the kernel as it is.": flipped,
        "the image was read column by column: NumPy's ravel reads row by row, so pixel "
        "(i, j) is entry 3·i + j.": by_columns,
    }
    feedback = compare_array(got, want, alternatives=mistakes, name="M_4")
    if feedback:
        return correct("4 rows of 9, 16 non-zero entries and 4 different weights. Cut into "
                       "2×3 blocks of 2×3 entries, each block repeats along its diagonals, "
                       "and so do the blocks: doubly block-Toeplitz.")
    return feedback
