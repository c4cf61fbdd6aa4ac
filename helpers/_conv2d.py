"""Private 2D kernels for :mod:`helpers.conv`: loops, direct, FFT, and the chooser.

Every function here assumes checked input: ``a`` and ``k`` are 2D, non-empty arrays
of the result dtype. ``pads = ((top, bottom), (left, right))`` is the zero padding of
``a`` before the kernel slides over it (correlation form); the output has shape
``(H + top + bottom - kh + 1, W + left + right - kw + 1)``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import fft as sp_fft

Pads = tuple[tuple[int, int], tuple[int, int]]

# Rough costs in seconds, measured on a 2-core laptop-class CPU with NumPy 2.4 and
# SciPy 1.17; only their ratio matters to the chooser (see ``choose_method``).
DIRECT_SECONDS_PER_MULTIPLY_ADD = 0.65e-9
DIRECT_SECONDS_PER_SLICE = 1.5e-6  # NumPy call overhead per kernel offset and row block
FFT_SECONDS_PER_POINT_LOG2 = 0.45e-9  # per transform; a correlation needs three
FFT_SECONDS_OVERHEAD = 60e-6
FFT_PARALLEL_POINTS = 2**20  # use all cores (workers=-1) from 1024x1024 transforms up
FFT_ERROR_FACTOR = 8  # generous constant in the FFT rounding-error estimate (fft_is_safe)
BLOCK_ELEMENTS = 2**14  # direct method: rows per block so a block stays in cache


def pads_for(kshape: tuple[int, int], mode: str, op: str) -> Pads:
    """SciPy's padding per axis: full ``k-1`` both sides; same centres like SciPy; valid 0.

    SciPy's ``correlate2d`` puts the larger share of an even kernel's padding on the
    bottom/right, ``convolve2d`` on the top/left (which is where the flipped kernel
    needs it).
    """
    def one(k: int) -> tuple[int, int]:
        if mode == "full":
            return k - 1, k - 1
        if mode == "valid":
            return 0, 0
        return ((k - 1) // 2, k // 2) if op == "correlate" else (k // 2, (k - 1) // 2)

    return one(kshape[0]), one(kshape[1])


def out_shape(ashape: tuple[int, int], kshape: tuple[int, int], pads: Pads) -> tuple[int, int]:
    """Output shape of a padded valid correlation."""
    return tuple(n + p[0] + p[1] - k + 1 for n, k, p in zip(ashape, kshape, pads, strict=True))


def correlate_loops(a: np.ndarray, k: np.ndarray, pads: Pads) -> np.ndarray:
    """out[i, j] = sum_{u,v} a[i + u - top, j + v - left] * k[u, v] (zero outside a)."""
    (top, _), (left, _) = pads
    out = np.zeros(out_shape(a.shape, k.shape, pads), dtype=a.dtype)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            for u in range(k.shape[0]):
                for v in range(k.shape[1]):
                    r, c = i + u - top, j + v - left
                    if 0 <= r < a.shape[0] and 0 <= c < a.shape[1]:
                        out[i, j] += a[r, c] * k[u, v]
    return out


def convolve_loops(a: np.ndarray, k: np.ndarray, pads: Pads) -> np.ndarray:
    """out[i, j] = sum_{u,v} a[s - u, t - v] * k[u, v] with (s, t) the full-output index."""
    kh, kw = k.shape
    (top, _), (left, _) = pads
    out = np.zeros(out_shape(a.shape, k.shape, pads), dtype=a.dtype)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            s, t = i + kh - 1 - top, j + kw - 1 - left  # index in the full convolution
            for u in range(kh):
                for v in range(kw):
                    if 0 <= s - u < a.shape[0] and 0 <= t - v < a.shape[1]:
                        out[i, j] += a[s - u, t - v] * k[u, v]
    return out


def zero_pad(a: np.ndarray, pads: Pads) -> np.ndarray:
    """``np.pad(a, pads)`` with zeros, minus np.pad's overhead (it matters for small a)."""
    if not any(map(any, pads)):
        return a
    (top, bottom), (left, right) = pads
    out = np.zeros((a.shape[0] + top + bottom, a.shape[1] + left + right), dtype=a.dtype)
    out[top:top + a.shape[0], left:left + a.shape[1]] = a
    return out


def correlate_direct(a: np.ndarray, k: np.ndarray, pads: Pads) -> np.ndarray:
    """Sum of kh*kw shifted slices of the padded image, each times one kernel weight.

    Works in blocks of rows so that the running sum stays in the CPU cache.
    """
    ap = zero_pad(a, pads)
    oh, ow = out_shape(a.shape, k.shape, pads)
    out = np.empty((oh, ow), dtype=a.dtype)
    step = max(1, BLOCK_ELEMENTS // ow)
    for r0 in range(0, oh, step):
        block = out[r0:r0 + step]
        _direct_block(ap[r0:r0 + block.shape[0] + k.shape[0] - 1], k, block)
    return out


def _direct_block(ap: np.ndarray, k: np.ndarray, out: np.ndarray) -> None:
    """out = sum_{u,v} k[u, v] * ap[u:u+rows, v:v+cols], with one scratch buffer."""
    rows, cols = out.shape
    np.multiply(ap[:rows, :cols], k[0, 0], out=out)
    tmp = np.empty_like(out)
    for u in range(k.shape[0]):
        for v in range(k.shape[1]):
            if u or v:
                np.multiply(ap[u:u + rows, v:v + cols], k[u, v], out=tmp)
                out += tmp


def fft_lengths(ashape: tuple[int, int], kshape: tuple[int, int], pads: Pads) -> tuple:
    """Shortest fast circular lengths whose wrap-around misses the wanted outputs."""
    lengths = []
    for n, kk, (before, _), m in zip(ashape, kshape, pads, out_shape(ashape, kshape, pads),
                                     strict=True):
        m0 = kk - 1 - before  # first wanted index of the full correlation
        lengths.append(sp_fft.next_fast_len(max(n + kk - 1 - m0, m0 + m), real=True))
    return tuple(lengths)


def correlate_fft(a: np.ndarray, k: np.ndarray, pads: Pads) -> np.ndarray:
    """Correlation as a product of real 2D FFTs (of the image and the flipped kernel)."""
    shape = fft_lengths(a.shape, k.shape, pads)
    workers = -1 if math.prod(shape) >= FFT_PARALLEL_POINTS else None
    spec = sp_fft.rfft2(a, shape, workers=workers) * sp_fft.rfft2(k[::-1, ::-1], shape,
                                                                   workers=workers)
    full = sp_fft.irfft2(spec, shape, workers=workers)
    (top, _), (left, _) = pads
    r0, c0 = k.shape[0] - 1 - top, k.shape[1] - 1 - left
    oh, ow = out_shape(a.shape, k.shape, pads)
    return np.ascontiguousarray(full[r0:r0 + oh, c0:c0 + ow])


def fft_is_safe(a: np.ndarray, k: np.ndarray) -> bool:
    """Would the FFT give what direct sums give? (Symmetric in a and k.)

    Floats: only if all values are finite (one NaN would spread over the whole FFT
    output). Integers: only if the result cannot wrap around in its dtype and the
    float64 FFT's rounding error, about eps * log2(size) * ||a|| * ||k||, stays far
    below 1/2, so that rounding recovers the exact integers.
    """
    if a.dtype.kind == "f":
        return bool(np.isfinite(a).all() and np.isfinite(k).all())
    af, kf = np.abs(a.astype(np.float64)), np.abs(k.astype(np.float64))
    largest = min(af.max() * kf.sum(), kf.max() * af.sum())
    error = FFT_ERROR_FACTOR * np.finfo(np.float64).eps * math.log2(4 * (a.size + k.size))
    error *= float(np.linalg.norm(af)) * float(np.linalg.norm(kf))
    return bool(largest <= np.iinfo(a.dtype).max and error < 0.25)


def choose_method(a: np.ndarray, k: np.ndarray, pads: Pads) -> str:
    """'direct' or 'fft', whichever a simple cost model predicts is faster."""
    oh, ow = out_shape(a.shape, k.shape, pads)
    blocks = math.ceil(oh / max(1, BLOCK_ELEMENTS // ow))
    direct = k.size * (oh * ow * DIRECT_SECONDS_PER_MULTIPLY_ADD
                       + blocks * DIRECT_SECONDS_PER_SLICE)
    points = math.prod(fft_lengths(a.shape, k.shape, pads))
    fft = 3 * points * math.log2(max(points, 2)) * FFT_SECONDS_PER_POINT_LOG2
    fft += FFT_SECONDS_OVERHEAD
    return "fft" if fft < direct and fft_is_safe(a, k) else "direct"


def correlate(a: np.ndarray, k: np.ndarray, pads: Pads, method: str) -> np.ndarray:
    """Dispatch to loops, direct or FFT; integer FFT results are rounded back to ints."""
    if method == "loops":
        return correlate_loops(a, k, pads)
    if method == "fast":
        method = choose_method(a, k, pads)
    if method == "direct":
        return correlate_direct(a, k, pads)
    if not fft_is_safe(a, k):
        raise ValueError("method='fft' cannot reproduce the direct result for these inputs "
                         "(integers too large, or NaN/inf); use method='fast' or 'direct'")
    if a.dtype.kind == "f":
        return correlate_fft(a, k, pads).astype(a.dtype, copy=False)
    return np.rint(correlate_fft(a.astype(np.float64), k.astype(np.float64), pads)).astype(
        a.dtype)


def convolve(a: np.ndarray, k: np.ndarray, pads: Pads, method: str) -> np.ndarray:
    """Convolution = correlation with the kernel flipped in both axes."""
    if method == "loops":
        return convolve_loops(a, k, pads)
    return correlate(a, k[::-1, ::-1], pads, method)
