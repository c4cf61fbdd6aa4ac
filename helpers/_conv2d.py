"""Private 2D kernels for :mod:`helpers.conv`: loops, direct, FFT, and the chooser.

Every function here assumes checked input: ``a`` and ``k`` are 2D, non-empty arrays
of the result dtype. ``pads = ((top, bottom), (left, right))`` is the zero padding of
``a`` before the kernel slides over it (correlation form); the output has shape
``(H + top + bottom - kh + 1, W + left + right - kw + 1)``.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from scipy import fft as sp_fft

from helpers._validate import all_finite

Pads = tuple[tuple[int, int], tuple[int, int]]

# The cost model of ``choose_method``, in seconds, fitted to single-thread timings on the
# machine of benchmarks/results (2-core AMD EPYC, NumPy 2.4, SciPy 1.17, OpenBLAS 0.3).
# Only the ratio of the direct and FFT estimates matters, so the model carries over to
# other machines as long as BLAS and the FFT keep their relative speed.
BANDED_SECONDS_PER_MULTIPLY_ADD = 0.013e-9  # one BLAS multiply-add in a banded product
BANDED_SECONDS_PER_ROW_PASS = 1.2e-9  # per output entry and kernel row: write + accumulate
BANDED_SECONDS_PER_CALL = 2.5e-6  # per matrix product (one kernel row of one row block)
SHIFTED_SECONDS_PER_MULTIPLY_ADD = 0.65e-9  # integers, NaN/inf: one NumPy multiply + add
SHIFTED_SECONDS_PER_SLICE = 1.5e-6  # NumPy call overhead per kernel offset and row block
FFT_SECONDS_PER_POINT_LOG2 = 0.95e-9  # the whole FFT correlation, per point and log2(points)
FFT_SECONDS_OVERHEAD = 25e-6
FFT_SMALL_POINTS = 2**14  # below: transform image and kernel in one call (fewer calls)
FFT_PARALLEL_POINTS = 2**20  # use all cores (workers=-1) from 1024x1024 transforms up
FFT_PARALLEL_SPEEDUP = 1.0  # expected from workers=-1: 1.7 on an idle 2-core machine, 0.9
# on a busy one (benchmarks/calibrate.py); 1.0 keeps the model right in both cases
FFT_ERROR_FACTOR = 8  # generous constant in the FFT rounding-error estimate (fft_is_safe)
TILE = 8  # banded direct method: output columns per tile (the BLAS product's width)
BLOCK_ELEMENTS = 2**15  # banded: output entries per row block (256 KiB of float64: L2 cache)
BLOCK_MIN_ROWS = 32  # ... but at least this many rows, so that each BLAS product is not tiny
SHIFT_BLOCK_ELEMENTS = 2**14  # shifted-slices direct method: output entries per row block
BLAS_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


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
    """The direct sums: banded BLAS products for finite floats, shifted slices otherwise."""
    if a.dtype in BLAS_DTYPES and all_finite(a, k):
        return correlate_banded(a, k, pads)
    return correlate_shifted(a, k, pads)  # exact for integers; keeps NaN and inf local


def correlate_shifted(a: np.ndarray, k: np.ndarray, pads: Pads) -> np.ndarray:
    """Sum of kh*kw shifted slices of the padded image, each times one kernel weight.

    Works in blocks of rows so that the running sum stays in the CPU cache.
    """
    ap = zero_pad(a, pads)
    oh, ow = out_shape(a.shape, k.shape, pads)
    out = np.empty((oh, ow), dtype=a.dtype)
    step = max(1, SHIFT_BLOCK_ELEMENTS // ow)
    for r0 in range(0, oh, step):
        block = out[r0:r0 + step]
        _shifted_block(ap[r0:r0 + block.shape[0] + k.shape[0] - 1], k, block)
    return out


def _shifted_block(ap: np.ndarray, k: np.ndarray, out: np.ndarray) -> None:
    """out = sum_{u,v} k[u, v] * ap[u:u+rows, v:v+cols], with one scratch buffer."""
    rows, cols = out.shape
    np.multiply(ap[:rows, :cols], k[0, 0], out=out)
    tmp = np.empty_like(out)
    for u in range(k.shape[0]):
        for v in range(k.shape[1]):
            if u or v:
                np.multiply(ap[u:u + rows, v:v + cols], k[u, v], out=tmp)
                out += tmp


def band_matrices(k: np.ndarray, tile: int) -> np.ndarray:
    """B[u] of shape (tile + kw - 1, tile) such that ``row @ B[u]`` slides k[u] along row.

    B[u][j + v, j] = k[u, v]: column j holds kernel row u shifted down by j, so each
    matrix is banded (Toeplitz) and ``row @ B[u]`` gives ``tile`` correlation outputs.
    """
    kh, kw = k.shape
    band = np.zeros((kh, tile + kw - 1, tile), dtype=k.dtype)
    step = band.itemsize
    # a view of the band itself: [u, j, v] is B[u][j + v, j], at (j + v) * tile + j
    diagonal = np.ndarray((kh, tile, kw), band.dtype, band, 0,
                          (band.strides[0], (tile + 1) * step, tile * step))
    diagonal[...] = k[:, None, :]
    return band


def correlate_banded(a: np.ndarray, k: np.ndarray, pads: Pads) -> np.ndarray:
    """The direct sums as BLAS matrix products (float32/float64, finite values only).

    Each output row is cut into tiles of TILE entries. From kernel row u, a tile gets the
    TILE + kw - 1 image entries above it times the banded matrix B[u] (band_matrices).
    np.matmul batches these small products over all tiles of a block of rows, reading
    the image through a strided view (no copy). That is kh*(TILE + kw - 1) multiply-adds
    per output instead of kh*kw, but in BLAS, and only kh NumPy passes instead of 2*kh*kw.
    (A zero in B times NaN or inf would give NaN, hence finite values only.)
    """
    oh, ow = out_shape(a.shape, k.shape, pads)
    tile = min(TILE, ow)
    tiles = -(-ow // tile)
    (top, bottom), (left, right) = pads
    ap = np.ascontiguousarray(zero_pad(a, ((top, bottom), (left, right + tiles * tile - ow))))
    band, out = band_matrices(k, tile), np.empty((oh, ow), dtype=a.dtype)
    rows = block_rows(oh, tiles * tile)
    acc, tmp = np.empty((2, tiles, rows, tile), dtype=a.dtype)
    for r0 in range(0, oh, rows):
        n = min(rows, oh - r0)
        _banded_block(ap[r0:], band, acc[:, :n], tmp[:, :n])
        out[r0:r0 + n] = acc[:, :n].transpose(1, 0, 2).reshape(n, -1)[:, :ow]
    return out


def block_rows(oh: int, width: int) -> int:
    """Output rows per block of the banded method: about BLOCK_ELEMENTS entries."""
    return min(oh, max(BLOCK_MIN_ROWS, BLOCK_ELEMENTS // width))


def _banded_block(ap: np.ndarray, band: np.ndarray, acc: np.ndarray, tmp: np.ndarray) -> None:
    """acc[t, i] = sum_u ap[i + u, t*tile : t*tile + tile + kw - 1] @ band[u]."""
    tiles, rows, tile = acc.shape
    s0, s1 = ap.strides
    for u in range(band.shape[0]):  # np.ndarray: a strided view, faster than as_strided
        windows = np.ndarray((tiles, rows, band.shape[1]), ap.dtype, ap, u * s0,
                             (tile * s1, s0, s1))
        np.matmul(windows, band[u], out=tmp if u else acc)
        if u:
            acc += tmp


def fft_lengths(ashape: tuple[int, int], kshape: tuple[int, int], pads: Pads) -> tuple:
    """Shortest fast circular lengths whose wrap-around misses the wanted outputs."""
    lengths = []
    for n, kk, (before, _), m in zip(ashape, kshape, pads, out_shape(ashape, kshape, pads),
                                     strict=True):
        m0 = kk - 1 - before  # first wanted index of the full correlation
        lengths.append(sp_fft.next_fast_len(max(n + kk - 1 - m0, m0 + m), real=True))
    return tuple(lengths)


def _spectrum(x: np.ndarray, shape: tuple[int, int], workers: int | None) -> np.ndarray:
    """rfft2(x, shape), one axis at a time: the rows first, before the zero rows exist."""
    rows = sp_fft.rfft(x, shape[1], axis=1, workers=workers)
    return sp_fft.fft(rows, shape[0], axis=0, workers=workers, overwrite_x=True)


def correlate_fft(a: np.ndarray, k: np.ndarray, pads: Pads) -> np.ndarray:
    """Correlation as a product of real 2D FFTs (of the image and the flipped kernel).

    Large: each axis is transformed on its own so that no work is spent on known zeros
    (the kernel's kh rows are transformed before it is padded to the full height, and
    the inverse along the rows is taken only for the rows that are kept). Small: the
    image and the kernel are transformed together in one call, since there each call
    of scipy.fft costs more than the arithmetic it saves.
    """
    shape, (oh, ow) = fft_lengths(a.shape, k.shape, pads), out_shape(a.shape, k.shape, pads)
    (top, _), (left, _) = pads
    r0, c0 = k.shape[0] - 1 - top, k.shape[1] - 1 - left
    if math.prod(shape) < FFT_SMALL_POINTS:
        both = np.zeros((2, *shape), dtype=a.dtype)
        for i, x in enumerate((a[:shape[0], :shape[1]], k[::-1, ::-1][:shape[0], :shape[1]])):
            both[i, :x.shape[0], :x.shape[1]] = x  # cropped as rfft2(x, shape) would
        spec = sp_fft.rfft2(both)
        return np.ascontiguousarray(sp_fft.irfft2(spec[0] * spec[1], shape)[r0:r0 + oh,
                                                                             c0:c0 + ow])
    workers = -1 if math.prod(shape) >= FFT_PARALLEL_POINTS else None
    spec = _spectrum(a, shape, workers)
    spec *= _spectrum(k[::-1, ::-1], shape, workers)
    kept = sp_fft.ifft(spec, axis=0, workers=workers, overwrite_x=True)[r0:r0 + oh]
    return np.ascontiguousarray(sp_fft.irfft(kept, shape[1], axis=1, workers=workers)[:, c0:c0 + ow])


def fft_is_safe(a: np.ndarray, k: np.ndarray) -> bool:
    """Would the FFT give what direct sums give? (Symmetric in a and k.)

    Floats: only if all values are finite (one NaN would spread over the whole FFT
    output) and no partial sum can overflow (the transform adds up every pixel, so
    values near the float maximum would turn the whole output into NaN). Integers:
    only if the result cannot wrap around in its dtype and the float64 FFT's rounding
    error stays far below 1/2, so that rounding recovers the exact integers.
    """
    if a.dtype.kind == "f":
        if not all_finite(a, k):
            return False
        # |each transform| <= max|x| * x.size, so their product bounds every value met
        biggest = _max_abs(a) * a.size * _max_abs(k) * k.size
        return math.isfinite(biggest) and biggest < float(np.finfo(a.dtype).max) / 2**20
    af, kf = np.abs(a.astype(np.float64)), np.abs(k.astype(np.float64))
    largest = min(af.max() * kf.sum(), kf.max() * af.sum())
    return bool(largest <= np.iinfo(a.dtype).max and fft_error(af, kf, np.float64) < 0.25)


def fft_error(a: np.ndarray, k: np.ndarray, dtype: Any) -> float:
    """A generous bound on the FFT's rounding error: eps * log2(size) * ||a|| * ||k||."""
    eps = np.finfo(dtype).eps * FFT_ERROR_FACTOR * math.log2(4 * (a.size + k.size))
    return eps * float(np.linalg.norm(a.astype(np.float64))) * float(
        np.linalg.norm(k.astype(np.float64)))


def fft_rounds_exactly(a: np.ndarray, k: np.ndarray) -> bool:
    """Whole-number float inputs: the exact result is whole too, and the FFT's error is
    far below 1/2, so rounding the FFT result reproduces SciPy's direct sums exactly
    (exact zeros included)."""
    whole = all(np.array_equal(x, np.rint(x)) for x in (k, a))  # the small kernel first
    return whole and fft_error(a, k, a.dtype) < 0.25


def _max_abs(x: np.ndarray) -> float:
    """max |x| in two reductions, without an |x| temporary."""
    return max(abs(float(x.max())), abs(float(x.min())))


@functools.lru_cache(maxsize=512)
def predicted_seconds(ashape: tuple[int, int], kshape: tuple[int, int], pads: Pads,
                      dtype: np.dtype) -> tuple[float, float]:
    """The cost model: estimated seconds (direct, fft) for finite values of ``dtype``.

    Direct, banded (floats): per output and kernel row, TILE + kw - 1 BLAS multiply-adds
    and one NumPy pass, plus a fixed cost per product. Direct, shifted (other dtypes):
    two NumPy passes per output and kernel entry. FFT: n log2 n for n = the number of
    points of the transforms, faster by FFT_PARALLEL_SPEEDUP when they use all cores.
    """
    (kh, kw), (oh, ow) = kshape, out_shape(ashape, kshape, pads)
    if np.dtype(dtype) in BLAS_DTYPES:
        tile = min(TILE, ow)
        width = -(-ow // tile) * tile
        per_entry = ((tile + kw - 1) * BANDED_SECONDS_PER_MULTIPLY_ADD
                     + BANDED_SECONDS_PER_ROW_PASS)
        products = math.ceil(oh / block_rows(oh, width)) * kh
        direct = oh * width * kh * per_entry + products * BANDED_SECONDS_PER_CALL
    else:
        blocks = math.ceil(oh / max(1, SHIFT_BLOCK_ELEMENTS // ow))
        direct = kh * kw * (oh * ow * SHIFTED_SECONDS_PER_MULTIPLY_ADD
                            + blocks * SHIFTED_SECONDS_PER_SLICE)
    points = math.prod(fft_lengths(ashape, kshape, pads))
    fft = points * math.log2(max(points, 2)) * FFT_SECONDS_PER_POINT_LOG2
    if points >= FFT_PARALLEL_POINTS:
        fft /= FFT_PARALLEL_SPEEDUP
    return direct, fft + FFT_SECONDS_OVERHEAD


def choose_method(a: np.ndarray, k: np.ndarray, pads: Pads) -> str:
    """'direct' or 'fft', whichever the cost model predicts is faster (FFT only if safe)."""
    direct, fft = predicted_seconds(a.shape, k.shape, pads, a.dtype)
    return "fft" if fft < direct and fft_is_safe(a, k) else "direct"


def correlate(a: np.ndarray, k: np.ndarray, pads: Pads, method: str) -> np.ndarray:
    """Dispatch to loops, direct or FFT; integer FFT results are rounded back to ints."""
    if method == "loops":
        return correlate_loops(a, k, pads)
    if method == "fast":
        method = choose_method(a, k, pads)
    elif method == "fft" and not fft_is_safe(a, k):
        raise ValueError("method='fft' cannot reproduce the direct result for these inputs "
                         "(integers too large, or NaN/inf); use method='fast' or 'direct'")
    if method == "direct":
        return correlate_direct(a, k, pads)
    if a.dtype.kind == "f":
        out = correlate_fft(a, k, pads).astype(a.dtype, copy=False)
        return np.rint(out, out=out) if fft_rounds_exactly(a, k) else out
    return np.rint(correlate_fft(a.astype(np.float64), k.astype(np.float64), pads)).astype(
        a.dtype)


def convolve(a: np.ndarray, k: np.ndarray, pads: Pads, method: str) -> np.ndarray:
    """Convolution = correlation with the kernel flipped in both axes."""
    if method == "loops":
        return convolve_loops(a, k, pads)
    return correlate(a, k[::-1, ::-1], pads, method)
