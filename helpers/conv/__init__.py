"""Convolution and correlation in 1D and 2D, im2col, and the convolutional layer (03-07).

Each function checks its input once (with :mod:`helpers.checks`), then hands it to a room
that trusts it: :mod:`~helpers.geometry` (padding, sizes), :mod:`~helpers.conv.loops`
(``method="loops"``, the formulas) or :mod:`~helpers.conv.fast` (``method="fast"``).
Results are NumPy's ``convolve``/``correlate`` and SciPy's ``convolve2d``/``correlate2d``:
values, dtype (integers wrap as NumPy's do), even kernels' placement, swaps. The FFT is
equal to rounding; whole numbers stay exact; NaN, inf and near-overflow values go direct.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from helpers import checks, geometry
from helpers.conv import fast, loops
from helpers.geometry import MODES

__all__ = [
    "ConvCache", "choose_method", "col2im", "conv2d_backward", "conv2d_forward", "conv_matrix",
    "conv_transpose1d", "conv_transpose2d", "convolve1d", "convolve2d", "correlate1d",
    "correlate2d", "im2col", "output_size", "pad2d", "pad_amounts", "transposed_size",
]

METHODS = ("fast", "loops")
METHODS_2D = ("fast", "loops", "direct", "fft")
PAD_MODES = {"zero": "constant", "reflect": "reflect", "replicate": "edge", "wrap": "wrap"}


# --- the checks at the entry (the rest are in helpers.checks)
def _check_1d(x: Any, w: Any, mode: str, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Inputs of a 1D function (two bool arrays stay bool: sums of products are OR of AND)."""
    checks.check_choice(mode, "mode", MODES)
    checks.check_choice(method, "method", METHODS)
    return checks.check_pair(x, w, ("x", "w"), 1)


def _check_2d(a: Any, k: Any, mode: str, method: str) -> tuple[np.ndarray, np.ndarray, bool]:
    """Inputs of a 2D function, and whether SciPy would swap them (valid mode only)."""
    checks.check_choice(mode, "mode", MODES)
    checks.check_choice(method, "method", METHODS_2D)
    a, k, swap = checks.check_images(a, k, mode == "valid")
    if method == "fft" and not fast.fft_is_safe(a, k):
        raise ValueError("method='fft' cannot reproduce the direct result for these inputs "
                         "(integers, NaN/inf, or values near overflow); use 'fast' or 'direct'")
    return a, k, swap


# --- geometry: notebooks 03 and 05
def pad_amounts(n: int, k: int, mode: str) -> tuple[int, int]:
    """Zeros (left, right) around a length-n signal before a length-k window slides (notebook 05).

    NumPy's placement: 'full' k - 1 each side, 'valid' none, 'same' k // 2 left and
    (k - 1) // 2 right, so an even kernel's extra zero goes left (PyTorch's goes right).

    Examples
    --------
    >>> pad_amounts(4, 3, "full"), pad_amounts(4, 3, "same"), pad_amounts(4, 3, "valid")
    ((2, 2), (1, 1), (0, 0))
    >>> pad_amounts(5, 4, "same")
    (2, 1)
    """
    n, k = checks.check_ints((n, "n", 1), (k, "k", 1))
    checks.check_choice(mode, "mode", MODES)
    if mode != "full" and k > n:
        raise ValueError(f"k (kernel length {k}) must be <= n (signal length {n}) for mode "
                         f"{mode!r}: NumPy swaps the two arguments when the kernel is longer")
    return geometry.pad_amounts(n, k, mode)


def output_size(n: int, k: int, padding: int = 0, stride: int = 1, dilation: int = 1) -> int:
    """Kernel positions along one axis, floor((n + 2p - d(k-1) - 1) / s) + 1 (notebook 03);
    ``ValueError`` if the dilated kernel, d(k - 1) + 1 entries, outgrows the padded input.

    Examples
    --------
    >>> output_size(4, 3), output_size(4, 3, padding=1), output_size(4, 3, padding=2)
    (2, 4, 6)
    >>> output_size(5, 3, padding=1, stride=2)  # CS231n demo: 5x5 input, 3x3, pad 1, stride 2
    3
    >>> output_size(7, 3, dilation=2)  # taps 0, 2, 4: a 5-wide window
    3
    """
    n, k, padding, stride, dilation = checks.check_ints((n, "n", 1), (k, "k", 1), (padding, "padding", 0),
                                             (stride, "stride", 1), (dilation, "dilation", 1))
    return geometry.output_size(n, k, padding, stride, dilation)


def transposed_size(n: int, k: int, stride: int = 1, padding: int = 0, output_padding: int = 0,
                    dilation: int = 1) -> int:
    """A transposed convolution's length, (n-1)s - 2p + d(k-1) + output_padding + 1 (notebook 07).

    Examples
    --------
    >>> transposed_size(3, 3, stride=2), transposed_size(3, 3, stride=2, padding=1)
    (7, 5)
    """
    return checks.check_transposed_size(n, k, stride, padding, output_padding, dilation)


def choose_method(a_shape: Any, k_shape: Any, mode: str = "full",
                  dtype: Any = np.float64) -> str:
    """What ``method="fast"`` uses, 'direct' (shift-and-add) or 'fft'; 1D shapes are ints.

    Introduced in notebook 03. Direct sums cost a multiply-add per kernel entry and output,
    the FFT about 2 log2(P) for the P points of the full output: floats take the FFT once
    the kernel has more entries. Integers go direct (exact, wrapping like NumPy), as do
    NaN, inf and near-overflow values. The kernel is what slides after NumPy's or SciPy's swap.

    Examples
    --------
    >>> choose_method((512, 512), (3, 3)), choose_method((512, 512), (31, 31), "same")
    ('direct', 'fft')
    >>> choose_method(10_000, 301), choose_method(10_000, 301, dtype=int)
    ('fft', 'direct')
    """
    a, k, one_d = checks.check_shapes(a_shape, k_shape)
    checks.check_choice(mode, "mode", MODES)
    dtype = checks.check_dtype(dtype)
    if one_d or (mode == "valid" and all(m <= n for m, n in zip(a, k, strict=True))):
        a, k = (a, k) if np.prod(a) >= np.prod(k) else (k, a)
    return "fft" if fast.use_fft(tuple(k), tuple(a), dtype) else "direct"


# --- 1D: notebook 05
def convolve1d(x: Any, w: Any, mode: str = "full", method: str = "fast") -> np.ndarray:
    """Convolve two 1D sequences: y[n] = sum_j x[n - j] * w[j]. Same as ``np.convolve``.

    Introduced in notebook ``05_choose-valid-same-or-full``. ``mode`` 'full', 'same' or
    'valid' gives N+K-1, max(N, K) or max(N, K) - min(N, K) + 1 entries (the longer input
    is the signal). ``method`` 'loops' is the formula; 'fast' is shift-and-add, or the FFT
    for long float kernels (:func:`choose_method`).

    Examples
    --------
    >>> convolve1d([1, 2, 3, 4], [5, 6, 7])
    array([ 5, 16, 34, 52, 45, 28])
    >>> convolve1d([1, 2, 3, 4], [5, 6, 7], "same")
    array([16, 34, 52, 45])
    >>> convolve1d([1, 2, 3, 4], [5, 6, 7], "valid", method="loops")
    array([34, 52])
    """
    x, w = _check_1d(x, w, mode, method)
    if len(w) > len(x):
        x, w = w, x
    left, right = geometry.pad_amounts(len(x), len(w), mode)
    with np.errstate(over="ignore", invalid="ignore"):  # wrap and inf*0 silently, as NumPy
        return (loops.convolve1d(x, w, left, right) if method == "loops"
                else fast.correlate1d(x, w[::-1], left, right))


def correlate1d(x: Any, w: Any, mode: str = "valid", method: str = "fast") -> np.ndarray:
    """Cross-correlate as a CNN layer does: y[i] = sum_j x[i + j] * w[j] (notebook 05).

    Same as ``np.correlate``, its default mode 'valid' and its answer for a longer w included.

    Examples
    --------
    >>> correlate1d([1, 2, 3, 4], [5, 6, 7])  # 1*5 + 2*6 + 3*7 = 38
    array([38, 56])
    >>> correlate1d([1, 2, 3, 4], [5, 6, 7], "full", method="loops")
    array([ 7, 20, 38, 56, 39, 20])
    """
    x, w = _check_1d(x, w, mode, method)
    swap = len(w) > len(x)  # NumPy computes correlate(w, x) and reverses it
    if swap:
        x, w = w, x
    kernel = loops.correlate1d if method == "loops" else fast.correlate1d
    with np.errstate(over="ignore", invalid="ignore"):
        out = kernel(x, w, *geometry.pad_amounts(len(x), len(w), mode))
    return out[::-1].copy() if swap else out


# --- 1D as a matrix: notebook 06
def conv_matrix(w: Any, n: int, mode: str = "full") -> np.ndarray:
    """The matrix M with ``M @ x == convolve1d(x, w, mode)`` for every x of length n (notebook 06).

    M is Toeplitz, M[i, j] = w[i + start - j] in the band and 0 outside: a matrix product
    whose weights are *tied* (each diagonal repeats one weight) and mostly *zero*.

    Examples
    --------
    >>> M = conv_matrix([5, 6, 7], 4, "valid")
    >>> M
    array([[7, 6, 5, 0],
           [0, 7, 6, 5]])
    >>> M @ np.array([1, 2, 3, 4])
    array([34, 52])
    """
    w = checks.as_array(w, "w", 1)
    w = w.astype(checks.result_dtype(w), copy=False)
    n = checks.check_int(n, "n", 1)
    checks.check_choice(mode, "mode", MODES)
    k = len(w)
    short, long = min(n, k), max(n, k)
    left, right = geometry.pad_amounts(long, short, mode)
    rows = long + left + right - short + 1
    checks.check_size((rows, n), "n")
    lag = (np.arange(rows)[:, None] + short - 1 - left) - np.arange(n)[None, :]
    inside = (lag >= 0) & (lag < k)  # M[i, j] multiplies x[j] by w[lag]
    return np.where(inside, w[np.clip(lag, 0, k - 1)], np.zeros((), dtype=w.dtype))


# --- 2D: notebooks 03 and 04
def correlate2d(a: Any, k: Any, mode: str = "full", method: str = "fast") -> np.ndarray:
    """Cross-correlate: out[i, j] = sum_{u,v} a[i + u, j + v] * k[u, v] (as a CNN layer does).

    Introduced in notebook ``03_slide-a-kernel-over-an-image``. Same result and dtype as
    ``scipy.signal.correlate2d(a, k, mode)``: in 'same' mode an even kernel's extra zero
    goes bottom/right; in 'valid' mode a larger k is swapped with a (output flipped).
    ``method`` is 'loops', 'direct' (shift-and-add), 'fft', or 'fast': the better of the
    two by :func:`choose_method`.

    Examples
    --------
    >>> A = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
    >>> K = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    >>> correlate2d(A, K, "valid")
    array([[4, 3, 4],
           [2, 4, 3],
           [2, 3, 4]])
    >>> A3 = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]  # seed 001, asymmetric kernel: 3 ...
    >>> correlate2d(A3, [[1, 0, 0], [0, 1, 0], [1, 0, 1]], "valid", method="loops")
    array([[3]])
    """
    a, k, swap = _check_2d(a, k, mode, method)
    if swap:
        a, k = k, a
    pads = geometry.scipy_pads(k.shape, mode, "correlate")
    with np.errstate(over="ignore", invalid="ignore"):  # wrap and inf*0 silently, as SciPy
        out = (loops.correlate2d(a, k, pads) if method == "loops"
               else fast.correlate2d(a, k, pads, method))
    return out[::-1, ::-1].copy() if swap else out


def convolve2d(a: Any, k: Any, mode: str = "full", method: str = "fast") -> np.ndarray:
    """Convolve: out[m, n] = sum_{u,v} a[m - u, n - v] * k[u, v] (the kernel is flipped).

    Introduced in notebook 03 (and set against correlation in 04). As
    ``scipy.signal.convolve2d``; arguments as :func:`correlate2d`.

    Examples
    --------
    >>> A3 = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]  # seed 001: ... but convolution gives 4
    >>> convolve2d(A3, [[1, 0, 0], [0, 1, 0], [1, 0, 1]], "valid")
    array([[4]])
    >>> convolve2d([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1], [2, 3]])
    array([[ 0,  0,  1,  2],
           [ 0,  5, 11, 11],
           [ 6, 23, 29, 23],
           [12, 32, 37, 24]])
    """
    a, k, swap = _check_2d(a, k, mode, method)
    if swap:
        a, k = k, a
    pads = geometry.scipy_pads(k.shape, mode, "convolve")
    with np.errstate(over="ignore", invalid="ignore"):
        if method == "loops":
            return loops.convolve2d(a, k, pads)
        return fast.correlate2d(a, k[::-1, ::-1], pads, method)


def pad2d(a: Any, padding: Any, mode: str = "zero") -> np.ndarray:
    """Pad the last two axes of ``a`` (notebook 03): by an int, (rows, cols) or ((top,
    bottom), (left, right)), with 'zero', 'reflect' (mirror without repeating the edge),
    'replicate' (repeat the edge) or 'wrap' (periodic).

    Examples
    --------
    >>> pad2d([[1, 2], [3, 4]], 1, "replicate")
    array([[1, 1, 2, 2],
           [1, 1, 2, 2],
           [3, 3, 4, 4],
           [3, 3, 4, 4]])
    >>> pad2d([[1, 2], [3, 4]], ((0, 0), (1, 0)))
    array([[0, 1, 2],
           [0, 3, 4]])
    """
    arr = checks.as_array(a, "a", 2, at_least=True)
    checks.check_choice(mode, "mode", tuple(PAD_MODES))
    pads = checks.check_padding(padding)
    checks.check_size(arr.shape[:-2] + tuple(n + sum(p) for n, p in zip(arr.shape[-2:], pads,
                                                                  strict=True)), "padding")
    return np.pad(arr, ((0, 0),) * (arr.ndim - 2) + pads, mode=PAD_MODES[mode])


# --- the layer: notebooks 04, 06, 07
def im2col(x: Any, kh: int, kw: int, stride: int = 1, padding: int = 0,
           dilation: int = 1) -> np.ndarray:
    """Copy every kernel window of a batch (N, C, H, W) into one column (notebook 04).

    Shape (C*kh*kw, N*out_h*out_w): row (c*kh + u)*kw + v is channel c at tap (u, v), the
    order of ``w.reshape(F, -1)``; column (n*out_h + i)*out_w + j is image n's window at
    (i, j). So ``w.reshape(F, -1) @ im2col(x, ...)`` is the layer as one matrix product.

    Examples
    --------
    >>> x = np.arange(9).reshape(1, 1, 3, 3)
    >>> im2col(x, 2, 2)  # 4 windows of 2x2, one per column
    array([[0, 1, 3, 4],
           [1, 2, 4, 5],
           [3, 4, 6, 7],
           [4, 5, 7, 8]])
    >>> np.array([[0, 1, 2, 3]]) @ im2col(x, 2, 2)  # d2l.ai corr2d: [[19, 25], [37, 43]]
    array([[19, 25, 37, 43]])
    """
    x = checks.as_array(x, "x", 4)
    _, kh, kw, stride, padding, dilation, out = checks.check_window(x.shape, kh, kw, stride, padding,
                                                              dilation)
    x = x.astype(checks.result_dtype(x), copy=False)
    return fast.im2col(fast.pad(x, padding), kh, kw, out, stride, dilation)


def col2im(cols: Any, x_shape: tuple[int, int, int, int], kh: int, kw: int,
           stride: int = 1, padding: int = 0, dilation: int = 1) -> np.ndarray:
    """Add every column back onto its window: the adjoint of :func:`im2col` (notebook 04).

    Where windows overlap their entries add up, so col2im is not im2col's inverse: it is how
    an input pixel's gradient collects every window that used it.

    Examples
    --------
    >>> col2im(np.ones((4, 4)), (1, 1, 3, 3), 2, 2)[0, 0]  # how many windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    (n, c, h, w), kh, kw, stride, padding, dilation, out = checks.check_window(
        x_shape, kh, kw, stride, padding, dilation)
    cols = checks.as_array(cols, "cols", 2)
    if cols.shape != (c * kh * kw, n * out[0] * out[1]):
        raise ValueError(f"cols must have shape (C*kh*kw, N*out_h*out_w) = "
                         f"{(c * kh * kw, n * out[0] * out[1])}; got {cols.shape}")
    xp = np.zeros((n, c, h + 2 * padding, w + 2 * padding), dtype=checks.result_dtype(cols))
    xp = fast.col2im(cols, xp, kh, kw, out, stride, dilation)
    return np.ascontiguousarray(xp[:, :, padding:padding + h, padding:padding + w])


class ConvCache(NamedTuple):
    """What :func:`conv2d_backward` needs from :func:`conv2d_forward` (notebook 04)."""

    x: np.ndarray
    w: np.ndarray
    stride: int
    padding: int
    dilation: int = 1


def conv2d_forward(x: Any, w: Any, b: Any, stride: int = 1, padding: int = 0, dilation: int = 1,
                   *, method: str = "fast") -> tuple[np.ndarray, ConvCache]:
    """A convolutional layer's forward pass (cross-correlation, as CNN layers compute it).

    Introduced in notebook ``03_slide-a-kernel-over-an-image``; im2col in 04, dilation in 07.
    x is (N, C, H, W), w (F, C, kh, kw), b (F,); ``padding`` zeros go on each side.
    out[n, f, i, j] = b[f] + sum_{c,u,v} xpad[n, c, i*s + u*d, j*s + v*d] * w[f, c, u, v],
    of shape (N, F, out_h, out_w) by :func:`output_size`: the values of PyTorch's
    ``F.conv2d``. ``method`` 'fast' is im2col plus one matrix product per block of
    images. Returns out and the cache for :func:`conv2d_backward`.

    Examples
    --------
    >>> x = np.arange(9.0).reshape(1, 1, 3, 3)  # d2l.ai "Convolutions for Images"
    >>> out, _ = conv2d_forward(x, np.array([[[[0.0, 1], [2, 3]]]]), np.zeros(1))
    >>> out[0, 0]
    array([[19., 25.],
           [37., 43.]])
    >>> conv2d_forward(np.ones((1, 3, 5, 5)), np.ones((2, 3, 3, 3)), [1, 0], 2, 1)[0].shape
    (1, 2, 3, 3)
    """
    checks.check_choice(method, "method", METHODS)
    x, w, b, stride, padding, dilation, size = checks.check_layer(x, w, b, stride, padding, dilation)
    cache = ConvCache(x, w, stride, padding, dilation)
    with np.errstate(over="ignore", invalid="ignore"):
        if method == "loops":
            return loops.layer_forward(x, w, b, stride, padding, dilation), cache
        out = np.empty((len(x), len(w), *size), dtype=x.dtype)
        return fast.layer_forward(x, w, b, stride, padding, dilation, out), cache


def conv2d_backward(dout: Any, cache: ConvCache, *, method: str = "fast") -> tuple:
    """Gradients (dx, dw, db) of a loss, given dL/dout and the forward pass's cache.

    Introduced in notebook ``07_transpose-the-convolution`` (06 does it in 1D). With D = dout
    as (F, N*out_h*out_w) and out = W @ cols + b: dW = D @ cols.T, db = D's row sums and
    dx = col2im(W.T @ D). Each weight serves every window, so its gradient sums them.

    Examples
    --------
    >>> x, w = np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))
    >>> out, cache = conv2d_forward(x, w, [0.0])
    >>> dx, dw, db = conv2d_backward(np.ones_like(out), cache)
    >>> dx[0, 0], db
    (array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]]), array([4.]))
    """
    checks.check_choice(method, "method", METHODS)
    dout = checks.check_gradient(dout, cache, isinstance(cache, ConvCache))
    args = (dout, cache.x, cache.w, cache.stride, cache.padding, cache.dilation)
    with np.errstate(over="ignore", invalid="ignore"):
        return loops.layer_backward(*args) if method == "loops" else fast.layer_backward(*args)


# --- transposed: notebook 07
def conv_transpose1d(y: Any, w: Any, stride: int = 1, padding: int = 0, *,
                     method: str = "fast") -> np.ndarray:
    """x = M.T @ y for the matrix M of a 1D layer (notebook 07): each y[i] stamps y[i] * w
    onto x at i * stride, and overlapping stamps add. The adjoint of that strided, padded
    correlation, not its inverse; PyTorch's ``F.conv_transpose1d`` on one channel.

    Examples
    --------
    >>> conv_transpose1d([1, 2], [1, 1, 1], stride=2)  # stamps [1 1 1] and [2 2 2] overlap once
    array([1, 1, 3, 2, 2])
    """
    y, w = (v.astype(checks.result_dtype(v), copy=False) for v in checks.check_pair(y, w, ("y", "w"), 1))
    stride, padding = checks.check_ints((stride, "stride", 1), (padding, "padding", 0))
    checks.check_choice(method, "method", METHODS)
    checks.check_size((transposed_size(len(y), len(w), stride, padding) + 2 * padding,), "y")
    kernel = loops.conv_transpose1d if method == "loops" else fast.conv_transpose1d
    with np.errstate(over="ignore", invalid="ignore"):
        return kernel(y, w, stride, padding)


def conv_transpose2d(x: Any, w: Any, b: Any = None, stride: int = 1, padding: int = 0,
                     output_padding: int = 0, dilation: int = 1, *,
                     method: str = "fast") -> np.ndarray:
    """Transposed convolution: each input pixel stamps a scaled kernel onto the output.

    Introduced in notebook ``07_transpose-the-convolution``. x is (N, C_in, H, W), w is
    (C_in, C_out, kh, kw) as in PyTorch's ``ConvTranspose2d``; out is (N, C_out, H_out,
    W_out) by :func:`transposed_size`, the values of ``F.conv_transpose2d``: col2im of
    W.T @ x, the gradient :func:`conv2d_backward` sends to its input.

    Examples
    --------
    >>> x = np.array([[[[1, 2], [3, 4]]]])
    >>> conv_transpose2d(x, np.ones((1, 1, 2, 2), dtype=int))[0, 0]
    array([[ 1,  3,  2],
           [ 4, 10,  6],
           [ 3,  7,  4]])
    """
    x, w, b = checks.check_transposed(x, w, b)
    checks.check_choice(method, "method", METHODS)
    size = [transposed_size(n, k, stride, padding, output_padding, dilation)
            for n, k in zip(x.shape[2:], w.shape[2:], strict=True)]
    checks.check_size((len(x), w.shape[1], *size), "x")
    kernel = loops.conv_transpose2d if method == "loops" else fast.conv_transpose2d
    with np.errstate(over="ignore", invalid="ignore"):
        return kernel(x, w, stride, padding, output_padding, dilation) + b[:, None, None]
