"""The vectorised paths, three ideas of the notebooks (inputs checked, of one dtype):
shift-and-add for small kernels (notebook 03's sum of products, at every position at
once), im2col plus one matrix product for the layer (04), and the FFT for large kernels,
whose cost hardly depends on the kernel (:func:`use_fft` says when).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import fft as sp_fft

from helpers.geometry import transposed_size, windows

BLOCK = 2**19  # im2col entries per block of images (4 MiB of float64), in cache for the product


def use_fft(kshape: tuple[int, ...], shape: tuple[int, ...], dtype: np.dtype) -> bool:
    """The FFT of the full output's P points costs about 2 log2(P) multiply-adds per point,
    direct sums one per kernel entry: floats take the FFT once the kernel has more."""
    points = math.prod(n + k - 1 for n, k in zip(shape, kshape, strict=True))
    return np.dtype(dtype).kind == "f" and math.prod(kshape) > 2 * math.log2(points)


# --- shift-and-add --------------------------------------------------------------------


def correlate1d(x: np.ndarray, w: np.ndarray, left: int, right: int) -> np.ndarray:
    """Tap j adds w[j] * x onto the outputs it reaches. Nothing multiplies a padding zero,
    so NaN, inf and overflow stay where ``np.correlate`` puts them."""
    n, k = len(x), len(w)
    if use_fft((k,), (n,), x.dtype) and fft_is_safe(x, w):
        return correlate_fft(x, w, (left, right))
    y = np.zeros(n + left + right - k + 1, dtype=x.dtype)
    for j in range(k):
        lo, hi = max(0, left - j), min(len(y), left - j + n)
        if lo < hi:
            y[lo:hi] += w[j] * x[lo + j - left:hi + j - left]
    return y


def correlate2d(a: np.ndarray, k: np.ndarray, pads: tuple, method: str) -> np.ndarray:
    """``method`` is 'fast' (the rule decides), 'direct' or 'fft' (already known to be safe)."""
    if method == "fft" or (method == "fast" and use_fft(k.shape, a.shape, a.dtype)
                           and fft_is_safe(a, k)):
        return correlate_fft(a, k, *pads)
    ap = np.pad(a, pads)
    out = np.empty((ap.shape[0] - k.shape[0] + 1, ap.shape[1] - k.shape[1] + 1), a.dtype)
    rows = max(1, 2**14 // out.shape[1])  # a block of rows at a time: the sum stays in cache
    for r in range(0, out.shape[0], rows):
        _shift_and_add(ap[r:r + rows + k.shape[0] - 1], k, out[r:r + rows])
    return out


def _shift_and_add(ap: np.ndarray, k: np.ndarray, out: np.ndarray) -> None:
    """out = sum over taps (u, v) of k[u, v] times ap shifted by (u, v)."""
    rows, cols = out.shape
    out[...] = 0
    tmp = np.empty_like(out)
    for u in range(k.shape[0]):
        for v in range(k.shape[1]):
            out += np.multiply(ap[u:u + rows, v:v + cols], k[u, v], out=tmp)


def conv_transpose1d(y: np.ndarray, w: np.ndarray, stride: int, padding: int) -> np.ndarray:
    """Tap j adds w[j] * y onto every stride-th output, starting at j; then crop padding."""
    n, k = len(y), len(w)
    full = np.zeros(transposed_size(n, k, stride), dtype=y.dtype)
    for j in range(k):
        full[j:j + stride * (n - 1) + 1:stride] += w[j] * y
    return full[padding:len(full) - padding]


# --- the FFT -----------------------------------------------------------------------------


def correlate_fft(a: np.ndarray, k: np.ndarray, *pads: tuple[int, int]) -> np.ndarray:
    """Correlation as a product of spectra (image, flipped kernel), in 1D or 2D: equal to
    rounding, and whole numbers rounded back exactly when :func:`fft_error` allows."""
    if a.dtype.kind != "f":  # integers known to be safe: exact after rounding
        return np.rint(correlate_fft(a.astype(np.float64), k.astype(np.float64), *pads)
                       ).astype(a.dtype)
    full = [n + kk - 1 for n, kk in zip(a.shape, k.shape, strict=True)]
    shape = [sp_fft.next_fast_len(m, real=True) for m in full]
    axes = tuple(range(a.ndim))
    spectrum = sp_fft.rfftn(a, shape, axes=axes) * sp_fft.rfftn(k[(slice(None, None, -1),) * a.ndim],
                                                                shape, axes=axes)
    out = sp_fft.irfftn(spectrum, shape, axes=axes).astype(a.dtype, copy=False)
    crop = tuple(slice(kk - 1 - before, m - (kk - 1 - after))
                 for kk, (before, after), m in zip(k.shape, pads, full, strict=True))
    out = np.ascontiguousarray(out[crop])
    whole = np.array_equal(k, np.rint(k)) and np.array_equal(a, np.rint(a))
    return np.rint(out, out=out) if whole and fft_error(a, k) < 0.25 else out


def fft_error(a: np.ndarray, k: np.ndarray) -> float:
    """A generous bound on the FFT's rounding error: 8 eps log2(size) ||a|| ||k||."""
    eps = np.finfo(a.dtype).eps * 8 * math.log2(4 * (a.size + k.size))
    return eps * float(np.linalg.norm(a)) * float(np.linalg.norm(k))


def fft_is_safe(a: np.ndarray, k: np.ndarray) -> bool:
    """Would the FFT give the direct sums? Floats: if finite and far from overflow (one NaN
    or 1e300 would spread over the whole output). Integers: if rounding recovers them."""
    with np.errstate(over="ignore", invalid="ignore"):
        bound = float(np.abs(a, dtype=np.float64).sum()) * float(np.abs(k, dtype=np.float64).sum())
    if a.dtype.kind != "f":
        af, kf = a.astype(np.float64), k.astype(np.float64)
        return bound <= np.iinfo(a.dtype).max and fft_error(af, kf) < 0.25
    return math.isfinite(bound) and bound < float(np.finfo(a.dtype).max) / 2**20


# --- im2col plus one matrix product ---------------------------------------------------------


def pad(x: np.ndarray, padding: int) -> np.ndarray:
    """Zeros around the last two axes of a batch (N, C, H, W)."""
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))


def im2col(xp: np.ndarray, kh: int, kw: int, out: tuple[int, int], stride: int,
           dilation: int, cols: np.ndarray | None = None) -> np.ndarray:
    """Columns (C*kh*kw, N*oh*ow) of the padded batch ``xp``: one strided copy per tap,
    written into ``cols`` if given (it must reshape without a copy)."""
    n, c = xp.shape[:2]
    cols = np.empty((c * kh * kw, n * out[0] * out[1]), xp.dtype) if cols is None else cols
    taps = np.reshape(cols, (c, kh, kw, n, *out), copy=False)
    rows, across = windows(out[0], kh, stride, dilation), windows(out[1], kw, stride, dilation)
    for u, r in enumerate(rows):
        for v, s in enumerate(across):
            taps[:, u, v] = xp[:, :, r, s].transpose(1, 0, 2, 3)
    return cols.reshape(c * kh * kw, -1)


def col2im(cols: np.ndarray, xp: np.ndarray, kh: int, kw: int, out: tuple[int, int],
           stride: int, dilation: int) -> np.ndarray:
    """Add every column back onto its window of ``xp`` (zeros, padded shape), in place."""
    n, c = xp.shape[:2]
    cols = cols.reshape(c, kh, kw, n, *out)
    rows, across = windows(out[0], kh, stride, dilation), windows(out[1], kw, stride, dilation)
    for u, r in enumerate(rows):
        for v, s in enumerate(across):
            xp[:, :, r, s] += cols[:, u, v].transpose(1, 0, 2, 3)
    return xp


def conv_transpose2d(x: np.ndarray, w: np.ndarray, stride: int, padding: int,
                     output_padding: int, dilation: int) -> np.ndarray:
    """col2im of W.T @ x: each pixel's channels times the kernel, added onto its window."""
    n, c_in, h, wd = x.shape
    _, c_out, kh, kw = w.shape
    size = [transposed_size(m, k, stride, 0, output_padding, dilation)
            for m, k in ((h, kh), (wd, kw))]
    cols = w.reshape(c_in, -1).T @ x.transpose(1, 0, 2, 3).reshape(c_in, -1)
    full = col2im(cols, np.zeros((n, c_out, *size), x.dtype), kh, kw, (h, wd), stride, dilation)
    return full[:, :, padding:size[0] - padding, padding:size[1] - padding]


def layer_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int, padding: int,
                  dilation: int, out: np.ndarray) -> np.ndarray:
    """out = [W b] @ [im2col(x); 1], a block of images at a time: the bias is the weight of
    an input that is always 1, so the one matrix product adds it too."""
    f, c, kh, kw = w.shape
    xp, size = pad(x, padding), out.shape[2:]
    k, per_image = c * kh * kw, size[0] * size[1]
    step = max(1, BLOCK // (k * per_image))
    weights = np.concatenate([w.reshape(f, k), b[:, None]], axis=1)
    cols = np.empty((k + 1, step, per_image), dtype=x.dtype)  # one block's columns, reused
    cols[k] = 1
    for i in range(0, len(x), step):
        m = min(step, len(x) - i)
        im2col(xp[i:i + m], kh, kw, size, stride, dilation, cols=cols[:k, :m])
        product = weights @ cols[:, :m].reshape(k + 1, -1)
        out[i:i + m] = product.reshape(f, m, *size).transpose(1, 0, 2, 3)
    return out


def layer_backward(dout: np.ndarray, x: np.ndarray, w: np.ndarray, stride: int, padding: int,
                   dilation: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dW = D @ cols.T, db = row sums of D, dX = col2im(W.T @ D), with D = dout as (F, N*P)."""
    f, c, kh, kw = w.shape
    xp, d = pad(x, padding), dout.transpose(1, 0, 2, 3).reshape(f, -1)
    cols = im2col(xp, kh, kw, dout.shape[2:], stride, dilation)
    dw = (d @ cols.T).reshape(w.shape)
    dxp = col2im(w.reshape(f, -1).T @ d, np.zeros_like(xp, dtype=dw.dtype), kh, kw,
                 dout.shape[2:], stride, dilation)
    dx = dxp[:, :, padding:padding + x.shape[2], padding:padding + x.shape[3]]
    return np.ascontiguousarray(dx), dw, d.sum(axis=1, dtype=d.dtype)
