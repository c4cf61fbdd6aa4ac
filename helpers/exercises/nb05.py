"""Checks for the exercises of notebook ``05_choose-valid-same-or-full``.

Each check returns *correct*, *not attempted yet* or a specific diagnosis, and never
raises (see :mod:`helpers.exercises.core`).

Examples
--------
>>> check_full_convolution(...)
… not attempted yet: replace the `...` placeholder with your answer, then run this cell again.
>>> check_full_convolution([3, 1, 8, -1, 3])
✘ not yet: off by one: 5 values, but full mode has N + K − 1 = 6, from y[0] = x[0]·w[0] to y[5] = x[3]·w[2]: keep every partial overlap at both ends.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.conv import convolve1d, correlate1d
from helpers.exercises.core import (
    as_array,
    check_cases,
    compare_array,
    correct,
    exercise,
    incorrect,
    whole_numbers,
)

#: Exercise 1: the signal and kernel to convolve by hand.
X1, W1 = np.array([1, 0, 2, -1]), np.array([3, 1, 2])

#: Exercise 2: a signal of N samples and a kernel of K weights.
N2, K2 = 50, 7

#: Exercise 4: PyTorch's "same" cross-correlation of this signal with a kernel of 4 weights.
X4, W4 = np.array([1, 0, 0, 2, 0, 0]), np.array([1, 2, 3, 4])


# ---------------------------------------------------------------- exercise 1


@exercise
def check_full_convolution(answer: Any) -> Any:
    """Exercise 1: the full convolution of X1 with W1, computed by hand."""
    n, k = len(X1), len(W1)
    want = convolve1d(X1, W1, "full")
    got = as_array(answer, "full_answer")
    if got.ndim == 1 and abs(got.size - (n + k - 1)) == 1:
        return incorrect(f"off by one: {got.size} values, but full mode has N + K − 1 = "
                         f"{n + k - 1}, from y[0] = x[0]·w[0] to y[{n + k - 2}] = "
                         f"x[{n - 1}]·w[{k - 1}]: keep every partial overlap at both ends.")
    mistakes = {
        "the values match cross-correlation: did you forget to flip the kernel? Convolution "
        "reads the kernel backwards: y[n] = Σ_j x[n − j]·w[j].": correlate1d(X1, W1, "full"),
        f"this is the 'same' output ({n} values). Full keeps every position where the kernel "
        f"touches the signal: N + K − 1 = {n + k - 1} values.": convolve1d(X1, W1, "same"),
        f"this is the 'valid' output ({n - k + 1} values). Full also keeps the positions that "
        f"overlap the zero padding: N + K − 1 = {n + k - 1} values.": convolve1d(X1, W1, "valid"),
        "this is the full output written backwards: y[0] is the first overlap, x[0]·w[0] = "
        f"{X1[0] * W1[0]}, and y[{n + k - 2}] the last, x[{n - 1}]·w[{k - 1}] = "
        f"{X1[-1] * W1[-1]}.": want[::-1],
    }
    feedback = compare_array(got, want, alternatives=mistakes, name="full_answer")
    if feedback:
        return correct(f"all N + K − 1 = {n + k - 1} values, with the kernel flipped.")
    return feedback


# ---------------------------------------------------------------- exercise 2


def _expected_lengths() -> tuple[int, int, int]:
    """The answer to exercise 2: the lengths NumPy returns for N2 and K2."""
    x, w = np.zeros(N2), np.zeros(K2)
    return tuple(len(np.convolve(x, w, mode)) for mode in ("full", "same", "valid"))


@exercise
def check_lengths(lengths: Any) -> Any:
    """Exercise 2: the tuple (full, same, valid) of output lengths for N2 and K2."""
    got = whole_numbers(lengths, "(full, same, valid)", 3)
    full, same, valid = want = _expected_lengths()
    if got == want:
        return correct(f"N + K − 1 = {full}, max(N, K) = {same}, N − K + 1 = {valid}.")
    if got == (valid, same, full):
        return incorrect("full and valid are swapped: full pads K − 1 zeros on each side and "
                         "grows, valid uses no padding and shrinks.")
    if got[1] == full:
        return incorrect(f"same = {got[1]} is N + K − 1, the length of full. 'Same' pads "
                         f"(K − 1)/2 zeros on each side, so the output has N = {N2} values.")
    if got[1] == valid:
        return incorrect(f"same = {got[1]} is N − K + 1, the length of valid. 'Same' pads "
                         f"(K − 1)/2 zeros on each side, so the output has N = {N2} values.")
    return _length_slips(got, want)


def _length_slips(got: tuple[int, ...], want: tuple[int, ...]) -> Any:
    names = ("full", "same", "valid")
    for name, g, w in zip(names, got, want, strict=True):
        if g != w and abs(g - w) == 1:
            return incorrect(f"off by one in {name}: {g} instead of {w}. Count the positions: "
                             "the first one, plus one per step; N + K − 1 and N − K + 1 both "
                             "carry that +1.")
    wrong = [f"{name} = {g} (expected {w})" for name, g, w in zip(names, got, want, strict=True)
             if g != w]
    return incorrect(", ".join(wrong) + ". Pad, then count the positions.")


# ---------------------------------------------------------------- exercise 3


def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """The seed's example, an asymmetric integer case and a float case."""
    rng = np.random.default_rng(5)
    return [(np.array([1, 2, 3, 4]), np.array([5, 6, 7])),
            (np.array([2, -1, 0, 3, 1, 4, -2]), np.array([1, 0, -2, 1])),
            (rng.normal(size=9), rng.normal(size=2))]


@exercise
def check_correlate_valid(func: Any) -> Any:
    """Exercise 3: ``correlate_valid(x, w)``, the valid cross-correlation, written as loops."""
    return check_cases(func, _cases(), _check_case,
                       "your loops agree with np.correlate on three cases, the seed's included.")


def _check_case(result: Any, x: np.ndarray, w: np.ndarray) -> Any:
    n, k = len(x), len(w)
    want = correlate1d(x, w, "valid")
    case = f"for x = {np.round(x, 3).tolist()} and w = {np.round(w, 3).tolist()}: "
    got = as_array(result, "the result")
    if got.shape == (n - k,):
        return incorrect(case + f"off by one: {n - k} output(s) but there are N − K + 1 = "
                         f"{n - k + 1} windows. range(N - K) misses the last one; use "
                         "range(N - K + 1).")
    mistakes = {
        "your function flips the kernel: that is convolution (on the seed it gives 34, not "
        "38). Cross-correlation slides w as it is: y[i] = Σ_j x[i + j]·w[j].":
            convolve1d(x, w, "valid"),
        f"you returned the full output ({n + k - 1} values): valid uses no zero padding, "
        f"only the {n - k + 1} windows that lie inside x.": correlate1d(x, w, "full"),
        "the output is reversed: did you compute correlate(w, x)? The kernel slides along the "
        "signal, so loop over the windows x[i:i + K].": want[::-1],
    }
    feedback = compare_array(got, want, alternatives=mistakes, name="the result")
    return feedback if feedback else incorrect(case + feedback.message)


# ---------------------------------------------------------------- exercise 4


def _same_with(x: np.ndarray, w: np.ndarray, before: int, op: Any = correlate1d) -> np.ndarray:
    """A 'same' output computed with explicit zeros: ``before`` in front, the rest after."""
    return op(np.pad(x, (before, len(w) - 1 - before)), w, "valid")


@exercise
def check_torch_same(answer: Any) -> Any:
    """Exercise 4: PyTorch's ``F.conv1d(x, w, padding="same")`` for X4 and W4, by hand."""
    k = len(W4)
    want = _same_with(X4, W4, (k - 1) // 2)
    got = as_array(answer, "torch_same")
    if got.ndim == 1 and got.size != len(X4):
        return incorrect(f"{got.size} values, but 'same' returns one per sample: {len(X4)}.")
    mistakes = {
        f"this is np.correlate(x, w, 'same'): NumPy puts K // 2 = {k // 2} zeros before the "
        f"signal. PyTorch puts (K − 1) // 2 = {(k - 1) // 2} before and the larger share "
        "after, so the same numbers come out one sample further left.": _same_with(X4, W4, k // 2),
        "the kernel is reversed: F.conv1d computes a cross-correlation, w as it is, with no "
        "flip.": _same_with(X4, W4, (k - 1) // 2, convolve1d),
        "this is np.convolve(x, w, 'same'): it flips the kernel, and NumPy's padding is not "
        "PyTorch's either.": convolve1d(X4, W4, "same"),
    }
    feedback = compare_array(got, want, alternatives=mistakes, name="torch_same")
    if feedback:
        return correct(f"PyTorch pads ({(k - 1) // 2}, {k // 2}): NumPy's output shifted one "
                       "sample to the left.")
    return feedback
