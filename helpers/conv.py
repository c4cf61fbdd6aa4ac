"""Convolution and cross-correlation in 1D and 2D, im2col, and a convolutional layer.

Introduced across notebooks ``03_slide-a-kernel-over-an-image`` (2D correlation and
padding), ``04_decide-dot-product-or-elementwise`` (convolution versus correlation),
``05_choose-valid-same-or-full`` (1D modes and output sizes) and
``06_replace-the-matrix-with-a-convolution`` (tied weights, im2col, the layer).

Drop-in behaviour. ``convolve1d``/``correlate1d`` return what ``np.convolve`` and
``np.correlate`` return, and ``convolve2d``/``correlate2d`` what
``scipy.signal.convolve2d``/``correlate2d`` return with zero fill: the same values,
the same dtype (``np.result_type`` of the inputs, so integers in give exact integers
out, wrapping on overflow exactly as NumPy does), the same placement of even kernels
in ``same`` mode, and the same argument swaps when the kernel is the larger input.

Where we differ, on purpose:

- complex input raises ``TypeError`` (the course is real-valued);
- empty input raises ``ValueError`` (SciPy returns an empty array for some shapes);
- in 1D, two bool arrays give a bool array (logical OR of ANDs), as ``np.convolve``
  does; in 2D, two bool arrays or a float16 array raise ``TypeError``, where SciPy
  raises ``ValueError: convolve2d not available for this type``;
- 0-d (scalar) input raises ``ValueError`` (``np.convolve`` treats it as length 1);
- ``mode`` must be one of the strings 'full', 'same', 'valid' (lower case, as in
  NumPy and SciPy); NumPy's legacy integer modes 0, 1, 2 raise ``ValueError``.

Each function has ``method="loops"`` (nested loops that read like the formula) next
to ``method="fast"`` (vectorised; it picks direct sums or an FFT by a cost model,
:func:`choose_method`, calibrated by ``make bench``; see ``benchmarks/``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from helpers import _conv1d, _conv2d, _layer
from helpers._conv1d import MODES, pad_amounts
from helpers._validate import as_array, check_choice, check_int, result_dtype

__all__ = [
    "ConvCache", "choose_method", "col2im", "conv2d_backward", "conv2d_forward", "conv_matrix",
    "convolve1d", "convolve2d", "correlate1d", "correlate2d", "im2col", "output_size", "pad2d",
    "pad_amounts",
]

METHODS_1D = ("fast", "loops")
METHODS_2D = ("fast", "loops", "direct", "fft")
PAD_MODES = {"zero": "constant", "reflect": "reflect", "replicate": "edge", "wrap": "wrap"}


def _pair(x: Any, w: Any, names: tuple[str, str], ndim: int) -> tuple[np.ndarray, np.ndarray]:
    """Check both inputs and cast them to their common result dtype."""
    x, w = as_array(x, names[0], ndim), as_array(w, names[1], ndim)
    dtype = result_dtype(x, w)
    return x.astype(dtype, copy=False), w.astype(dtype, copy=False)


def _both_bool(x: Any, w: Any) -> bool:
    """True when both inputs are bool arrays: NumPy then answers in bool (OR of ANDs)."""
    try:
        return np.asarray(x).dtype == np.bool_ and np.asarray(w).dtype == np.bool_
    except ValueError:  # ragged input: as_array explains it
        return False


def _scipy_types(a: Any, k: Any) -> None:
    """Refuse the dtypes ``scipy.signal.convolve2d``/``correlate2d`` refuse."""
    try:
        a, k = np.asarray(a), np.asarray(k)
    except ValueError:  # ragged input: as_array explains it
        return
    if a.dtype == np.bool_ and k.dtype == np.bool_:
        raise TypeError("a and k are both bool arrays, which scipy.signal does not support "
                        "either; convert one with .astype(int)")
    if np.float16 in (a.dtype, k.dtype) and np.result_type(a, k) == np.float16:
        raise TypeError("a and k: float16 is not supported (nor by scipy.signal); "
                        "convert with .astype(np.float32)")


# ---------------------------------------------------------------- 1D: notebook 05


def convolve1d(x: Any, w: Any, mode: str = "full", method: str = "fast") -> np.ndarray:
    """Convolve two 1D sequences: y[n] = sum_j x[n - j] * w[j]. Same as ``np.convolve``.

    Introduced in notebook ``05_choose-valid-same-or-full``.

    Parameters
    ----------
    x, w : array_like, 1D, non-empty, real
        Signal and kernel. If ``w`` is longer than ``x`` the two are swapped first,
        as ``np.convolve`` does (convolution is commutative, so only the length of
        ``same`` and ``valid`` output changes: it follows the longer input).
    mode : {'full', 'same', 'valid'}
        Output length N+K-1, max(N, K), or max(N, K) - min(N, K) + 1.
    method : {'fast', 'loops'}
        ``'loops'`` is the formula as nested loops. ``'fast'`` slides the flipped kernel
        directly (NumPy's own loop for up to 8 taps, BLAS matrix-vector products of the
        windows above that) or, for long float kernels where a cost model predicts it is
        faster, uses an overlap-add FFT.

    Returns
    -------
    numpy.ndarray
        1D, dtype ``np.result_type(x, w)`` (bool for two bool inputs, as in NumPy).

    Examples
    --------
    >>> convolve1d([1, 2, 3, 4], [5, 6, 7])
    array([ 5, 16, 34, 52, 45, 28])
    >>> convolve1d([1, 2, 3, 4], [5, 6, 7], "same")
    array([16, 34, 52, 45])
    >>> convolve1d([1, 2, 3, 4], [5, 6, 7], "valid", method="loops")
    array([34, 52])
    """
    as_bool, (x, w) = _both_bool(x, w), _pair(x, w, ("x", "w"), 1)
    check_choice(mode, "mode", MODES)
    check_choice(method, "method", METHODS_1D)
    if len(w) > len(x):
        x, w = w, x
    left, right = pad_amounts(len(x), len(w), mode)
    kernel = _conv1d.convolve_loops if method == "loops" else _conv1d.convolve_fast
    with np.errstate(over="ignore", invalid="ignore"):  # wrap and inf*0 silently, as NumPy
        out = kernel(x, w, left, right)
    return out != 0 if as_bool else out


def correlate1d(x: Any, w: Any, mode: str = "valid", method: str = "fast") -> np.ndarray:
    """Cross-correlate two 1D sequences: y[i] = sum_j x[i + j] * w[j]. Same as ``np.correlate``.

    Introduced in notebook ``05_choose-valid-same-or-full``.

    This is what a CNN layer computes: the kernel slides over the signal unflipped.

    Parameters
    ----------
    x, w : array_like, 1D, non-empty, real
        Signal and kernel. If ``w`` is longer than ``x``, NumPy computes
        ``correlate(w, x)`` and reverses it; we do the same, so even the ``same`` and
        ``valid`` outputs (of length max(N, K) and K - N + 1) match ``np.correlate``.
    mode : {'valid', 'same', 'full'}
        Defaults to ``'valid'``, like ``np.correlate``.
    method : {'fast', 'loops'}

    Returns
    -------
    numpy.ndarray
        1D, dtype ``np.result_type(x, w)`` (bool for two bool inputs, as in NumPy).

    Examples
    --------
    >>> correlate1d([1, 2, 3, 4], [5, 6, 7])  # 1*5 + 2*6 + 3*7 = 38
    array([38, 56])
    >>> correlate1d([1, 2, 3, 4], [5, 6, 7], "full", method="loops")
    array([ 7, 20, 38, 56, 39, 20])
    """
    as_bool, (x, w) = _both_bool(x, w), _pair(x, w, ("x", "w"), 1)
    check_choice(mode, "mode", MODES)
    check_choice(method, "method", METHODS_1D)
    kernel = _conv1d.correlate_loops if method == "loops" else _conv1d.correlate_fast
    with np.errstate(over="ignore", invalid="ignore"):  # wrap and inf*0 silently, as NumPy
        if len(w) > len(x):
            out = kernel(w, x, *pad_amounts(len(w), len(x), mode))[::-1].copy()
        else:
            out = kernel(x, w, *pad_amounts(len(x), len(w), mode))
    return out != 0 if as_bool else out


def output_size(n: int, k: int, padding: int = 0, stride: int = 1, dilation: int = 1) -> int:
    """Number of kernel positions along one axis: floor((n + 2p - d(k-1) - 1) / s) + 1.

    Introduced in notebook ``03_slide-a-kernel-over-an-image``.

    Parameters
    ----------
    n, k : int
        Input length and kernel length, both >= 1.
    padding : int
        Zeros added on *each* side, >= 0.
    stride, dilation : int
        Step between positions and spacing between kernel taps, both >= 1.

    Raises
    ------
    ValueError
        If the (dilated) kernel is longer than the padded input: no position fits.

    Examples
    --------
    >>> output_size(4, 3), output_size(4, 3, padding=1), output_size(4, 3, padding=2)
    (2, 4, 6)
    >>> output_size(5, 3, padding=1, stride=2)  # CS231n demo: 5x5 input, 3x3, pad 1, stride 2
    3
    """
    n, k = check_int(n, "n", 1), check_int(k, "k", 1)
    padding = check_int(padding, "padding", 0)
    stride, dilation = check_int(stride, "stride", 1), check_int(dilation, "dilation", 1)
    span = dilation * (k - 1) + 1
    if span > n + 2 * padding:
        raise ValueError(f"k: the kernel spans {span} entries (dilation * (k - 1) + 1) but the "
                         f"padded input has only n + 2 * padding = {n + 2 * padding}")
    return (n + 2 * padding - span) // stride + 1


# ---------------------------------------------------------------- 1D as a matrix: notebook 06


def conv_matrix(w: Any, n: int, mode: str = "full") -> np.ndarray:
    """The matrix M with ``M @ x == convolve1d(x, w, mode)`` for every x of length n.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``.

    M is a Toeplitz matrix: M[i, j] = w[i + start - j] where that index exists, 0
    elsewhere. So a convolution is a matrix product whose weights are *tied* (each
    diagonal repeats one kernel weight) and mostly *zero* (outside the band).

    Parameters
    ----------
    w : array_like, 1D, non-empty, real
    n : int
        Length of the signals x the matrix will multiply, >= 1.
    mode : {'full', 'same', 'valid'}

    Returns
    -------
    numpy.ndarray
        Shape ``(len(convolve1d(x, w, mode)), n)``, dtype of ``w`` (int64 for bool).

    Examples
    --------
    >>> M = conv_matrix([5, 6, 7], 4, "valid")
    >>> M
    array([[7, 6, 5, 0],
           [0, 7, 6, 5]])
    >>> M @ np.array([1, 2, 3, 4])
    array([34, 52])
    """
    w = as_array(w, "w", 1)
    w = w.astype(result_dtype(w), copy=False)
    n = check_int(n, "n", 1)
    check_choice(mode, "mode", MODES)
    k = len(w)
    short, long = min(n, k), max(n, k)
    left, right = pad_amounts(long, short, mode)
    start = short - 1 - left  # first row of the full convolution that mode keeps
    rows = np.arange(long + left + right - short + 1)[:, None] + start
    lag = rows - np.arange(n)[None, :]  # M[i, j] multiplies x[j] by w[lag]
    inside = (lag >= 0) & (lag < k)
    return np.where(inside, w[np.clip(lag, 0, k - 1)], np.zeros((), dtype=w.dtype))


# ---------------------------------------------------------------- 2D: notebooks 03 and 04


def _check_2d(a: Any, k: Any, mode: str, method: str) -> tuple[np.ndarray, np.ndarray, bool]:
    """Check inputs; return them and whether SciPy would swap them (valid mode only)."""
    _scipy_types(a, k)
    a, k = _pair(a, k, ("a", "k"), 2)
    check_choice(mode, "mode", MODES)
    check_choice(method, "method", METHODS_2D)
    if mode != "valid":
        return a, k, False
    a_ge = all(m >= n for m, n in zip(a.shape, k.shape, strict=True))
    k_ge = all(n >= m for m, n in zip(a.shape, k.shape, strict=True))
    if not (a_ge or k_ge):
        raise ValueError(f"mode 'valid': one of a (shape {a.shape}) and k (shape {k.shape}) "
                         "must be at least as large as the other in every dimension")
    return a, k, not a_ge


def correlate2d(a: Any, k: Any, mode: str = "full", method: str = "fast") -> np.ndarray:
    """Cross-correlate: out[i, j] = sum_{u,v} a[i + u, j + v] * k[u, v] (as a CNN layer does).

    Introduced in notebook ``03_slide-a-kernel-over-an-image``.

    Same result and dtype as ``scipy.signal.correlate2d(a, k, mode)`` (zero fill).

    Parameters
    ----------
    a, k : array_like, 2D, non-empty, real
        Image and kernel. In ``'valid'`` mode, if k is at least as large as a in every
        dimension the two are swapped (and the output flipped), as in SciPy; if each
        is larger in one dimension a ``ValueError`` is raised, as in SciPy.
    mode : {'full', 'same', 'valid'}
        ``'same'`` has a's shape; an even kernel gets the extra zero row/column on the
        bottom/right, as in SciPy (``np.correlate`` puts it on the left in 1D).
    method : {'fast', 'loops', 'direct', 'fft'}
        ``'fast'`` picks ``'direct'`` (the sums themselves) or ``'fft'`` by a cost
        model (:func:`choose_method`); integers use FFT only when rounding gives the
        exact result, and NaN or inf always go direct, so that they stay local.

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
    with np.errstate(over="ignore", invalid="ignore"):  # wrap and inf*0 silently, as SciPy
        out = _conv2d.correlate(a, k, _conv2d.pads_for(k.shape, mode, "correlate"), method)
    return out[::-1, ::-1].copy() if swap else out


def convolve2d(a: Any, k: Any, mode: str = "full", method: str = "fast") -> np.ndarray:
    """Convolve: out[m, n] = sum_{u,v} a[m - u, n - v] * k[u, v] (the kernel is flipped).

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

    Same result and dtype as ``scipy.signal.convolve2d(a, k, mode)`` (zero fill).
    Equal to ``correlate2d`` with ``k[::-1, ::-1]`` in modes full and valid; in mode
    same with an even kernel the placement differs by one row/column, as in SciPy.

    Parameters
    ----------
    a, k : array_like, 2D, non-empty, real
        In ``'valid'`` mode they are swapped if k is the larger in every dimension
        (convolution is commutative); mixed sizes raise ``ValueError``, as in SciPy.
    mode : {'full', 'same', 'valid'}
    method : {'fast', 'loops', 'direct', 'fft'}

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
    with np.errstate(over="ignore", invalid="ignore"):  # wrap and inf*0 silently, as SciPy
        return _conv2d.convolve(a, k, _conv2d.pads_for(k.shape, mode, "convolve"), method)


def choose_method(a_shape: tuple[int, int], k_shape: tuple[int, int], mode: str = "full",
                  dtype: Any = np.float64) -> str:
    """What ``method="fast"`` computes a 2D correlation or convolution with: 'direct' or 'fft'.

    Introduced in notebook ``03_slide-a-kernel-over-an-image``.

    A cost model, like SciPy's ``choose_conv_method``, of the two algorithms of
    :func:`correlate2d`. Direct sums cost about one multiply-add per kernel entry per
    output, so they grow with the kernel's area; the FFT costs about n log n for the n
    points of the padded image, whatever the kernel. So small kernels go direct and large
    ones go FFT; where they cross depends on the image size. The constants were fitted to
    timings (``python -m benchmarks.calibrate``; ``make bench`` checks the choice). This
    answers for finite values: NaN, inf, or integers too large for an exact FFT always go
    direct.

    Parameters
    ----------
    a_shape, k_shape : pair of int
        Shapes of the image and the kernel (swapped as ``correlate2d`` swaps them).
    mode : {'full', 'same', 'valid'}
    dtype : dtype-like
        The result dtype (``np.result_type`` of the inputs).

    Examples
    --------
    >>> choose_method((512, 512), (3, 3), "same"), choose_method((512, 512), (31, 31), "same")
    ('direct', 'fft')
    """
    shapes = [tuple(check_int(d, name, 1) for d in np.atleast_1d(shape).tolist())
              for shape, name in ((a_shape, "a_shape"), (k_shape, "k_shape"))]
    if any(len(shape) != 2 for shape in shapes):
        raise ValueError(f"a_shape and k_shape must be pairs of ints; got {a_shape}, {k_shape}")
    (a2, k2), dtype = shapes, result_dtype(np.empty(0, dtype))
    check_choice(mode, "mode", MODES)
    if mode == "valid" and all(n >= m for m, n in zip(a2, k2, strict=True)):
        a2, k2 = k2, a2
    direct, fft = _conv2d.predicted_seconds(a2, k2, _conv2d.pads_for(k2, mode, "correlate"),
                                            dtype)
    return "fft" if fft < direct else "direct"


def pad2d(a: Any, padding: Any, mode: str = "zero") -> np.ndarray:
    """Pad the last two axes of ``a`` (rows and columns), e.g. before sliding a kernel.

    Introduced in notebook ``03_slide-a-kernel-over-an-image``.

    Parameters
    ----------
    a : array_like, at least 2D, non-empty, real
        Only the last two axes are padded, so a batch (N, C, H, W) works too.
    padding : int, (rows, cols) or ((top, bottom), (left, right))
        Non-negative integers.
    mode : {'zero', 'reflect', 'replicate', 'wrap'}
        ``np.pad`` modes ``constant`` (zeros), ``reflect`` (mirror without repeating
        the edge), ``edge`` (repeat the edge value) and ``wrap`` (periodic).

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
    arr = as_array(a, "a", 2, at_least=True)
    check_choice(mode, "mode", tuple(PAD_MODES))
    pads = _padding_pairs(padding)
    return np.pad(arr, ((0, 0),) * (arr.ndim - 2) + pads, mode=PAD_MODES[mode])


def _padding_pairs(padding: Any) -> tuple[tuple[int, int], tuple[int, int]]:
    """Normalise an int, a (rows, cols) pair or ((top, bottom), (left, right))."""
    shape = np.shape(np.asarray(padding, dtype=object))
    if shape == ():
        pairs = [[padding, padding], [padding, padding]]
    elif shape == (2,):
        pairs = [[padding[0], padding[0]], [padding[1], padding[1]]]
    elif shape == (2, 2):
        pairs = [list(pair) for pair in padding]
    else:
        raise ValueError("padding must be an int, (rows, cols) or ((top, bottom), "
                         f"(left, right)); got {padding!r}")
    (top, bottom), (left, right) = [[check_int(p, "padding", 0) for p in pair] for pair in pairs]
    return (top, bottom), (left, right)


# ---------------------------------------------------------------- the layer: notebook 06


def im2col(x: Any, kh: int, kw: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """Copy every kernel window of a batch into one column of a matrix.

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

    Layout: the result has shape ``(C*kh*kw, N*out_h*out_w)``. Row ``(c*kh + u)*kw + v``
    holds input channel c at kernel offset (u, v), the order of ``w.reshape(F, -1)``
    for w of shape (F, C, kh, kw). Column ``(n*out_h + i)*out_w + j`` is the window
    of image n at output position (i, j). So ``w.reshape(F, -1) @ im2col(x, ...)`` is
    the whole layer as one matrix product (GEMM), of shape (F, N*out_h*out_w).

    Parameters
    ----------
    x : array_like, shape (N, C, H, W), non-empty, real
    kh, kw : int
        Kernel height and width, >= 1.
    stride : int
        Step between windows, >= 1.
    padding : int
        Zeros added on each side of H and W, >= 0.

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
    x = as_array(x, "x", 4)
    x = x.astype(result_dtype(x), copy=False)
    kh, kw = check_int(kh, "kh", 1), check_int(kw, "kw", 1)
    stride, padding = check_int(stride, "stride", 1), check_int(padding, "padding", 0)
    for size, k, name, axis in ((x.shape[2], kh, "kh", "H"), (x.shape[3], kw, "kw", "W")):
        if k > size + 2 * padding:
            raise ValueError(f"k: the kernel spans {name}={k} entries but the padded input has "
                             f"only {axis} + 2 * padding = {size + 2 * padding}")
    n, c, h, w = x.shape
    out = output_size(h, kh, padding, stride), output_size(w, kw, padding, stride)
    geo = _layer.geometry((c, h, w), (kh, kw), out, stride, padding)
    cols = np.zeros((c, kh, kw, n, *out), dtype=x.dtype)  # the matrix's layout; 0 = padding
    _layer.copy_windows(cols.transpose(3, 0, 1, 2, 4, 5), x, geo)
    return cols.reshape(c * kh * kw, -1)


def col2im(cols: Any, x_shape: tuple[int, int, int, int], kh: int, kw: int,
           stride: int = 1, padding: int = 0) -> np.ndarray:
    """Add every column back onto the window it came from: the adjoint of :func:`im2col`.

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

    Where windows overlap, their entries add up, which is exactly how the gradient of
    an input pixel collects the contributions of every window that used it.

    Examples
    --------
    >>> col2im(np.ones((4, 4)), (1, 1, 3, 3), 2, 2)[0, 0]  # how many windows cover each pixel
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]])
    """
    n, c, h, w = (check_int(d, "x_shape", 1) for d in x_shape)
    oh, ow = output_size(h, kh, padding, stride), output_size(w, kw, padding, stride)
    cols = as_array(cols, "cols", 2)
    if cols.shape != (c * kh * kw, n * oh * ow):
        raise ValueError(f"cols must have shape (C*kh*kw, N*out_h*out_w) = "
                         f"{(c * kh * kw, n * oh * ow)}; got {cols.shape}")
    x = np.zeros((n, c, h, w), dtype=result_dtype(cols))
    geo = _layer.geometry((c, h, w), (kh, kw), (oh, ow), stride, padding)
    _layer.add_windows(x, cols.reshape(c, kh, kw, n, oh, ow).transpose(3, 0, 1, 2, 4, 5), geo)
    return x


class ConvCache(NamedTuple):
    """What :func:`conv2d_backward` needs from the forward pass."""

    x: np.ndarray
    w: np.ndarray
    stride: int
    padding: int
    cols: np.ndarray | None  # None: conv2d_backward rebuilds im2col(x) block by block


def _check_layer(x: Any, w: Any, b: Any, stride: Any, padding: Any) -> tuple:
    """Validate the layer's inputs and return them as arrays of one dtype."""
    x, w, b = as_array(x, "x", 4), as_array(w, "w", 4), as_array(b, "b", 1)
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"channel mismatch: x has C={x.shape[1]} channels (shape {x.shape}, "
                         f"N, C, H, W) but w expects C={w.shape[1]} (shape {w.shape}, "
                         "F, C, kh, kw)")
    if b.shape != (w.shape[0],):
        raise ValueError(f"b must have shape (F,) = ({w.shape[0]},) to match w of shape "
                         f"{w.shape}; got {b.shape}")
    stride, padding = check_int(stride, "stride", 1), check_int(padding, "padding", 0)
    for axis, name in ((2, "H"), (3, "W")):
        if w.shape[axis] > x.shape[axis] + 2 * padding:
            raise ValueError(f"w: kernel size {w.shape[axis]} is larger than the padded input "
                             f"{name} + 2*padding = {x.shape[axis] + 2 * padding}")
    dtype = result_dtype(x, w, b)
    return x.astype(dtype, copy=False), w.astype(dtype, copy=False), b.astype(dtype), stride, padding


def conv2d_forward(x: Any, w: Any, b: Any, stride: int = 1, padding: int = 0, *,
                   method: str = "fast") -> tuple[np.ndarray, ConvCache]:
    """A convolutional layer's forward pass (cross-correlation, as CNN layers compute it).

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

    out[n, f, i, j] = b[f] + sum_{c,u,v} xpad[n, c, i*stride + u, j*stride + v] * w[f, c, u, v]

    Parameters
    ----------
    x : array_like, shape (N, C, H, W)
    w : array_like, shape (F, C, kh, kw)
    b : array_like, shape (F,)
    stride : int, >= 1
    padding : int, >= 0
        Zeros on each side of H and W.
    method : {'fast', 'loops'}
        ``'fast'``: im2col, then matrix products (GEMM), a block of images at a time,
        on as many threads as BLAS would use (see ``helpers/_layer.py``).
        ``'loops'``: the formula.

    Returns
    -------
    out : numpy.ndarray, shape (N, F, out_h, out_w)
        with ``out_h = output_size(H, kh, padding, stride)``, likewise out_w.
    cache : ConvCache
        For :func:`conv2d_backward`.

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
    check_choice(method, "method", METHODS_1D)
    x, w, b, stride, padding = _check_layer(x, w, b, stride, padding)
    if method == "loops":
        return _forward_loops(x, w, b, stride, padding), ConvCache(x, w, stride, padding, None)
    out = np.empty((len(x), len(w), output_size(x.shape[2], w.shape[2], padding, stride),
                    output_size(x.shape[3], w.shape[3], padding, stride)), dtype=x.dtype)
    return _layer.forward(x, w, b, stride, padding, out), ConvCache(x, w, stride, padding, None)


def _forward_loops(x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int,
                   padding: int) -> np.ndarray:
    """The reference: one window times one filter, summed, for every output entry."""
    f, _, kh, kw = w.shape
    oh = output_size(x.shape[2], kh, padding, stride)
    ow = output_size(x.shape[3], kw, padding, stride)
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    out = np.zeros((x.shape[0], f, oh, ow), dtype=x.dtype)
    for n in range(x.shape[0]):
        for g in range(f):
            for i in range(oh):
                for j in range(ow):
                    window = xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
                    out[n, g, i, j] = np.sum(window * w[g]) + b[g]
    return out


def conv2d_backward(dout: Any, cache: ConvCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of a loss with respect to x, w and b, given dL/dout.

    The 2D, many-channel version of the tied-weight gradients of notebook
    ``06_replace-the-matrix-with-a-convolution``.

    With D = dout arranged as (F, N*out_h*out_w), the forward pass was
    out = W @ cols + b, so dW = D @ cols.T, db = row sums of D, and
    dcols = W.T @ D, which :func:`col2im` adds back onto the input windows.
    Each weight is shared by every window, so its gradient sums over all of them.

    Parameters
    ----------
    dout : array_like, shape (N, F, out_h, out_w)
    cache : ConvCache
        The second value returned by :func:`conv2d_forward`.

    Returns
    -------
    dx, dw, db : numpy.ndarray
        Shapes of x, w and b; all three have the dtype of ``cols @ dout`` (so int8
        in, int8 out, wrapping like the forward pass).

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
    if not isinstance(cache, ConvCache):
        raise TypeError(f"cache must be the ConvCache returned by conv2d_forward; "
                        f"got {type(cache).__name__}")
    x, w, stride, padding, _ = cache
    f, c, kh, kw = w.shape
    oh = output_size(x.shape[2], kh, padding, stride)
    expected = (x.shape[0], f, oh, output_size(x.shape[3], kw, padding, stride))
    dout = as_array(dout, "dout", 4)
    if dout.shape != expected:
        raise ValueError(f"dout must have the shape of out, (N, F, out_h, out_w) = {expected}; "
                         f"got {dout.shape}")
    return _layer.backward(dout, x, w, stride, padding)
