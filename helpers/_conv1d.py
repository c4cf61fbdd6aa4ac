"""Private 1D kernels for :mod:`helpers.conv`: the loop versions and the fast versions.

Every function here assumes checked input: ``x`` and ``w`` are 1D, non-empty, of
the result dtype, and ``len(x) >= len(w)`` (the public functions swap first, as NumPy
does). ``left`` and ``right`` are the zero padding from :func:`pad_amounts`.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from helpers._validate import check_choice, check_int

MODES = ("full", "same", "valid")


def pad_amounts(n: int, k: int, mode: str) -> tuple[int, int]:
    """Zeros to add (left, right) to a length-``n`` signal before sliding a length-``k`` window.

    Introduced in notebook ``05_choose-valid-same-or-full``.

    This is NumPy's placement: ``full`` pads ``k - 1`` on both sides, ``valid`` pads
    nothing, and ``same`` pads ``k // 2`` on the left and ``(k - 1) // 2`` on the right,
    so an even-length kernel sits one step further right than it would with the larger
    share on the right. The same padding serves :func:`convolve1d` (slide the *flipped*
    kernel) and :func:`correlate1d` (slide the kernel as it is).

    Parameters
    ----------
    n, k : int
        Signal length and kernel length, both >= 1. For ``same`` and ``valid``,
        ``k <= n`` (NumPy swaps the two arguments when the kernel is longer).
    mode : {'full', 'same', 'valid'}

    Returns
    -------
    tuple of int
        ``(left, right)``; the output has ``n + left + right - k + 1`` entries.

    Examples
    --------
    >>> pad_amounts(4, 3, "full"), pad_amounts(4, 3, "same"), pad_amounts(4, 3, "valid")
    ((2, 2), (1, 1), (0, 0))
    >>> pad_amounts(5, 4, "same")
    (2, 1)
    """
    n, k = check_int(n, "n", 1), check_int(k, "k", 1)
    check_choice(mode, "mode", MODES)
    if mode == "full":
        return k - 1, k - 1
    if k > n:
        raise ValueError(f"k (kernel length {k}) must be <= n (signal length {n}) for mode "
                         f"{mode!r}: NumPy swaps the two arguments when the kernel is longer")
    return (k // 2, (k - 1) // 2) if mode == "same" else (0, 0)


def convolve_loops(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """y[i] = sum_j x[t - j] * w[j] with t = i + k - 1 - left; x is zero outside its range."""
    n, k = len(x), len(w)
    y = np.zeros(n + left + right - k + 1, dtype=x.dtype)
    for i in range(len(y)):
        t = i + k - 1 - left  # index of y[i] in the full convolution
        for j in range(k):
            if 0 <= t - j < n:
                y[i] += x[t - j] * w[j]
    return y


def convolve_fast(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """Convolution = correlation with the flipped kernel: one matrix-vector product."""
    return correlate_fast(x, w[::-1], left, right)


def correlate_loops(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """y[i] = sum_j x[i + j - left] * w[j]; x is zero outside its range."""
    n, k = len(x), len(w)
    y = np.zeros(n + left + right - k + 1, dtype=x.dtype)
    for i in range(len(y)):
        for j in range(k):
            if 0 <= i + j - left < n:
                y[i] += x[i + j - left] * w[j]
    return y


def correlate_fast(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """Stack every window of the padded signal as a row, then multiply by ``w``."""
    windows = sliding_window_view(np.pad(x, (left, right)), len(w))  # (n_out, k), no copy
    return windows @ w
