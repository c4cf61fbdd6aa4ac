"""Private 1D kernels for :mod:`helpers.conv`: the loop versions and the fast versions.

Every function here assumes checked input: ``x`` and ``w`` are 1D, non-empty, of
the result dtype, and ``len(x) >= len(w)`` (the public functions swap first, as NumPy
does). ``left`` and ``right`` are the zero padding from :func:`pad_amounts`.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from scipy import fft as sp_fft

from helpers._validate import all_finite, check_choice, check_int

MODES = ("full", "same", "valid")

# The cost model of ``choose_method``, in seconds, fitted to single-thread timings on the
# machine of benchmarks/results (2-core AMD EPYC, NumPy 2.4, SciPy 1.17).
NUMPY_KERNEL_MAX = 8  # up to this kernel length NumPy's own C loop is the fastest direct way
NUMPY_SECONDS_PER_MULTIPLY_ADD = 0.25e-9
DIRECT_SECONDS_PER_MULTIPLY_ADD = 0.12e-9  # longer kernels: k matrix-vector products
DIRECT_SECONDS_PER_OUTPUT = 1.3e-9
DIRECT_SECONDS_PER_PRODUCT = 1.5e-6
FFT_SECONDS_PER_POINT_LOG2 = 1.3e-9  # forward and inverse transform of the blocks
FFT_SECONDS_PER_BLOCK = 3e-6
FFT_SECONDS_OVERHEAD = 40e-6
FFT_PARALLEL_POINTS = 2**20  # use all cores (workers=-1) from a million points up
OA_MIN_LENGTH, OA_KERNEL_FACTOR = 1024, 8
FFT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))  # overlap-add FFT length: max(1024, 8 * k)


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
    """Convolution = correlation with the flipped kernel."""
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
    """Direct or FFT, as :func:`choose_method` says; FFT only for finite floats."""
    if choose_method(len(x), len(w), x.dtype) == "fft" and all_finite(x, w):
        return correlate_fft(x, w, left, right)
    return correlate_direct(x, w, left, right)


def correlate_direct(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """The windows times ``w``, without the FFT.

    Up to ``NUMPY_KERNEL_MAX`` taps this is NumPy's own C loop (``np.correlate``): for
    short kernels nothing in NumPy is faster, so the course does not redo it. Longer
    kernels take k matrix-vector products (BLAS's, for floats): the windows that start at
    j, j + k, j + 2k, ... do not overlap, so they are the rows of an ordinary
    (m, k) matrix, a reshape of the padded signal with no copy, and their outputs are
    y[j::k]. One product of all the (overlapping) windows at once would not be: BLAS
    needs rows that are at least a row apart.
    """
    k = len(w)
    if k <= NUMPY_KERNEL_MAX:  # pad_amounts' three cases, back to the mode's name
        modes = {(k // 2, (k - 1) // 2): "same", (k - 1, k - 1): "full", (0, 0): "valid"}
        return np.correlate(x, w, modes[left, right])
    xp, w = np.pad(x, (left, right)), np.ascontiguousarray(w)  # w[::-1] is not BLAS's
    y = np.empty(len(xp) - k + 1, dtype=xp.dtype)
    for j in range(min(k, len(y))):
        rows = (len(y) - j + k - 1) // k  # windows starting at j, j + k, j + 2k, ...
        y[j::k] = xp[j:j + rows * k].reshape(rows, k) @ w
    return y


def block_length(n: int, k: int) -> int:
    """FFT length of one overlap-add block: max(1024, 8k), or the whole signal if shorter."""
    return sp_fft.next_fast_len(min(n + k - 1, max(OA_MIN_LENGTH, OA_KERNEL_FACTOR * k)),
                                real=True)


def correlate_fft(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """Overlap-add: cut x into blocks of b, correlate every block with w by one batch of
    FFTs of length L = b + k - 1, and add each block's last k - 1 outputs to the next."""
    n, k, length = len(x), len(w), block_length(len(x), len(w))
    b = length - k + 1
    blocks = -(-n // b)
    workers = -1 if blocks * length >= FFT_PARALLEL_POINTS else None
    padded = np.zeros(blocks * b, dtype=x.dtype)
    padded[:n] = x
    spec = sp_fft.rfft(padded.reshape(blocks, b), length, axis=1, workers=workers)
    spec *= sp_fft.rfft(w[::-1], length)
    y = sp_fft.irfft(spec, length, axis=1, workers=workers, overwrite_x=True)
    full = np.zeros((blocks + 1, b), dtype=y.dtype)  # the full correlation, row by row
    full[:blocks] = y[:, :b]
    full[1:, :k - 1] += y[:, b:]
    start = k - 1 - left
    return full.reshape(-1)[start:start + n + left + right - k + 1].copy()


@functools.lru_cache(maxsize=512)
def predicted_seconds(n: int, k: int) -> tuple[float, float]:
    """The cost model for floats: estimated seconds (direct, fft) for the full output.

    Direct: k multiply-adds per output (NumPy's loop up to ``NUMPY_KERNEL_MAX`` taps;
    above, a fixed cost per output and per matrix-vector product too). FFT: L log2 L
    per block of length L (forward and inverse), a fixed cost per block and per call.
    """
    if k <= NUMPY_KERNEL_MAX:
        direct = (n + k - 1) * k * NUMPY_SECONDS_PER_MULTIPLY_ADD
    else:
        direct = ((n + k - 1) * (k * DIRECT_SECONDS_PER_MULTIPLY_ADD + DIRECT_SECONDS_PER_OUTPUT)
                  + k * DIRECT_SECONDS_PER_PRODUCT)
    length = block_length(n, k)
    blocks = -(-n // (length - k + 1))
    fft = blocks * (length * math.log2(length) * FFT_SECONDS_PER_POINT_LOG2
                    + FFT_SECONDS_PER_BLOCK)
    return direct, fft + FFT_SECONDS_OVERHEAD


def choose_method(n: int, k: int, dtype: Any = np.float64) -> str:
    """'direct' or 'fft' for a length-n signal and a length-k kernel (n >= k).

    Integers always take the direct path (exact, and wrapping as NumPy wraps); floats
    take the FFT when the cost model predicts it is faster.

    >>> choose_method(10_000, 3), choose_method(10_000, 301), choose_method(10_000, 301, int)
    ('direct', 'fft', 'direct')
    """
    if np.dtype(dtype) not in FFT_DTYPES:
        return "direct"
    direct, fft = predicted_seconds(n, k)
    return "fft" if fft < direct else "direct"
