"""The frame model behind the sliding-kernel widgets (notebooks 03 to 05).

Introduced in notebook ``03_slide-a-kernel-over-an-image`` (2D frames); the flip
appears in ``04_decide-dot-product-or-elementwise`` and the 1D frames and modes in
``05_choose-valid-same-or-full``.

A *frame* is one step of a kernel sliding over an input: the cells under the
kernel, their products with the kernel, the sum of the products, and the output
computed so far. This module imports neither ipywidgets nor matplotlib, so tests
drive it without a browser; :mod:`helpers.widgets` only draws what it returns.

One story for every mode
------------------------
The kernel *as applied* (flipped for a convolution, unchanged for a
cross-correlation) slides over the input, which is padded with zeros so that the
output positions are exactly those of NumPy (1D: ``np.convolve``/``np.correlate``)
or SciPy (2D: ``scipy.signal.convolve2d``/``correlate2d``). Per axis, with input
length ``N`` and kernel length ``K``:

- ``full``: ``N + K - 1`` outputs; ``K - 1`` zeros on each side.
- ``same``: NumPy gives ``max(N, K)`` outputs, SciPy gives ``N``. For ``K <= N``
  the input gets ``K // 2`` zeros before and ``(K - 1) // 2`` after
  (:func:`helpers.conv.pad_amounts`), except SciPy's 2D *correlation*, which puts
  the larger share after: ``(K - 1) // 2`` before and ``K // 2`` after.
- ``valid``: ``max(N, K) - min(N, K) + 1`` outputs; no padding when ``K <= N``.

So with an even kernel, SciPy's ``convolve2d(a, k, 'same')`` is *not*
``correlate2d(a, k[::-1, ::-1], 'same')`` (the window sits one cell apart), and with
``K > N`` and ``N`` even neither is NumPy's ``np.convolve(x, w, 'same')`` equal to
``np.correlate(x, w[::-1], 'same')``; the frames reproduce each library exactly.

**Kernel longer than the input.** NumPy swaps ``x`` and ``w`` when ``len(w) >
len(x)`` (and SciPy swaps in 2D ``valid`` mode when the kernel is at least as large
in every direction). The final numbers stay those of "the kernel slides over the
zero-padded input", so the frames keep that story and say so in :attr:`Frames.note`:
``valid`` then keeps the ``K - N + 1`` positions where *all* of the input lies under
the kernel, drawn as the input padded with ``K - N`` zeros on each side.

**Impossible settings.** Only one: 2D ``valid`` when the kernel is larger than the
input in one direction and smaller in the other (SciPy raises). The frames then
have ``n_steps == 0``, an output of shape ``(0, 0)`` and a plain
:attr:`Frames.message`. Bad input (not numeric, complex, wrong number of
dimensions, empty, NaN or inf, unknown mode, stride < 1) raises ``TypeError`` or
``ValueError`` naming the argument.

**Stride** ``s`` keeps every ``s``-th output position: the same as
``np.convolve(x, w, mode)[::s]`` or ``correlate2d(a, k, mode)[::s, ::s]``.

Examples
--------
The seed numbers: ``x = [1, 2, 3, 4]``, ``w = [5, 6, 7]``, full convolution.

>>> f = frames_1d([1, 2, 3, 4], [5, 6, 7], mode="full", flip=True)
>>> f.n_steps, f.pad
(6, ((2, 2),))
>>> f.frame(2).formula
'y[2] = 1·7 + 2·6 + 3·5 = 34'
>>> f.output_so_far(2)
array([ 5., 16., 34., nan, nan, nan])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from helpers import conv, geometry
from helpers.checks import as_array, check_choice, check_int

MODES = geometry.MODES[::-1]  # the menu lists them as they grow: valid, same, full
DOT = "\u00b7"  # the middle dot of the formulas: 1·7 + 2·6


def fmt(v: float) -> str:
    """Format a number compactly: integers as integers, else up to 3 decimals.

    NaN (an output not computed yet) becomes the empty string.

    Examples
    --------
    >>> [fmt(v) for v in (34.0, -0.0, 1 / 3, 2.5, -1e-5, float("nan"))]
    ['34', '0', '0.333', '2.5', '-1e-05', '']
    """
    v = float(v)
    if not math.isfinite(v):
        return "" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if 1e-3 <= abs(v) < 1e5:
        return f"{v:.3f}".rstrip("0").rstrip(".")
    return f"{v:.3g}"


def _texts(a: np.ndarray) -> np.ndarray:
    """``fmt`` of every entry, as an object array of the same shape."""
    out = np.empty(a.shape, dtype=object)
    out.reshape(-1)[:] = [fmt(v) for v in a.reshape(-1)]
    return out


def _factors(texts: np.ndarray) -> np.ndarray:
    """Texts as factors of a product: negative numbers in parentheses, ``2·(-1)``."""
    out = texts.copy()
    out.reshape(-1)[:] = [f"({t})" if t.startswith("-") else t for t in texts.reshape(-1)]
    return out


def _pads(n: int, k: int, mode: str, flip: bool, library: str) -> tuple[int, int]:
    """Zeros (before, after) along one axis so that output ``i`` is the window at ``i``.

    NumPy's placement is :func:`helpers.conv.pad_amounts`; when the kernel is longer,
    NumPy slides ``x`` over ``w`` instead (padded by ``pad_amounts(k, n, mode)``, and
    ``np.correlate`` reverses the result), which this turns back into "``w`` over ``x``".
    SciPy's 2D placement is :func:`helpers.geometry.scipy_pads`; ``valid`` with a
    larger kernel keeps the positions where all of the input lies under the kernel.

    >>> _pads(4, 3, "same", True, "numpy"), _pads(2, 5, "valid", False, "numpy")
    ((1, 1), (3, 3))
    >>> _pads(5, 4, "same", True, "scipy"), _pads(5, 4, "same", False, "scipy")
    ((2, 1), (1, 2))
    """
    if mode == "full" or (k <= n and library == "numpy"):
        return geometry.pad_amounts(n, k, mode)
    if library == "numpy":  # kernel longer: NumPy swaps the two arguments
        left, right = geometry.pad_amounts(k, n, mode)
        before = k - n + (left if flip else right)
        n_out = k if mode == "same" else k - n + 1
        return before, n_out + k - 1 - n - before
    if mode == "same":
        return geometry.scipy_pads((k,), mode, "convolve" if flip else "correlate")[0]
    return (0, 0) if k <= n else (k - n, k - n)


@dataclass(frozen=True, eq=False)
class Frame:
    """One step: the window under the kernel, the products, their sum, the formula.

    Attributes
    ----------
    step : int
        Position in the sequence of frames, ``0 <= step < n_steps``.
    index : tuple of int
        The output cell being computed (row-major order of the strided output).
    window : tuple of slice
        The cells of :attr:`Frames.padded` under the kernel.
    values, kernel, products : ndarray
        Padded input under the kernel, kernel as applied, and their elementwise product.
    total : float
        ``products.sum()``, computed here in O(k).
    value : float
        The output cell from :mod:`helpers.conv` (equal to ``total`` up to rounding).
    formula : str
        For example ``'y[2] = 1·7 + 2·6 + 3·5 = 34'``; terms in window order (row-major).
    """

    step: int
    index: tuple[int, ...]
    window: tuple[slice, ...]
    values: np.ndarray
    kernel: np.ndarray
    products: np.ndarray
    total: float
    value: float
    formula: str
    frames: Frames = field(repr=False)

    @property
    def output_so_far(self) -> np.ndarray:
        """The output with cells up to and including this step filled, NaN elsewhere."""
        return self.frames.output_so_far(self.step)


@dataclass(frozen=True, eq=False)
class Frames:
    """All frames of one kernel sliding over one input; build with :func:`frames_1d`/`_2d`.

    Computing a frame is O(kernel size): the final :attr:`output` is computed once by
    :mod:`helpers.conv`, and :meth:`output_so_far` masks it with NaN.

    Attributes
    ----------
    x, w : ndarray
        The input and the kernel as given (float64).
    mode, flip, stride : str, bool, int
        ``flip=True`` is a convolution (the kernel slides flipped), ``False`` a
        cross-correlation.
    names : tuple of str
        Input, kernel and output names: ``('x', 'w', 'y')`` or ``('A', 'K', 'C')``.
    kernel : ndarray
        The kernel as applied: ``w`` flipped along every axis when ``flip``.
    pad : tuple of (int, int)
        Zeros added (before, after) along each axis.
    padded, is_padding : ndarray
        The padded input, and a mask that is True on the added zeros.
    output : ndarray
        The final (strided) output, float64; shape ``(0,) * ndim`` when impossible.
    message : str
        Why there is nothing to show ('' when the setting is possible).
    note : str
        What the student should know about this setting (swaps, stride); may be ''.
    reference : str
        The library call that gives the same output, e.g. ``np.convolve(x, w, mode='full')``.
    padded_text, w_text, kernel_text, output_text : ndarray of str
        :func:`fmt` of :attr:`padded`, :attr:`w`, :attr:`kernel` and :attr:`output`.
    """

    x: np.ndarray
    w: np.ndarray
    mode: str
    flip: bool
    stride: int
    names: tuple[str, str, str]
    kernel: np.ndarray
    pad: tuple[tuple[int, int], ...]
    padded: np.ndarray
    is_padding: np.ndarray
    output: np.ndarray
    message: str = ""
    note: str = ""
    reference: str = ""
    padded_text: np.ndarray = field(init=False, repr=False)
    w_text: np.ndarray = field(init=False, repr=False)
    kernel_text: np.ndarray = field(init=False, repr=False)
    output_text: np.ndarray = field(init=False, repr=False)
    _in_factors: np.ndarray = field(init=False, repr=False)
    _k_factors: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Formatted once per build, so that a frame only joins strings.
        object.__setattr__(self, "padded_text", _texts(self.padded))
        object.__setattr__(self, "w_text", _texts(self.w))
        object.__setattr__(self, "kernel_text", _texts(self.kernel))
        object.__setattr__(self, "output_text", _texts(self.output))
        object.__setattr__(self, "_in_factors", _factors(self.padded_text))
        object.__setattr__(self, "_k_factors", _factors(self.kernel_text).reshape(-1))

    @property
    def n_steps(self) -> int:
        """Number of frames: one per output cell (0 when the setting is impossible)."""
        return self.output.size

    def check_step(self, step: Any) -> int:
        """Return ``step`` as an int in ``0 .. n_steps - 1``, or raise naming it."""
        step = check_int(step, "step", 0)
        if step >= self.n_steps:
            why = self.message or f"there are {self.n_steps} steps"
            raise ValueError(f"step must be < n_steps = {self.n_steps} ({why}); got {step}")
        return step

    def index(self, step: int) -> tuple[int, ...]:
        """The output cell computed at ``step`` (row-major order)."""
        return tuple(int(i) for i in np.unravel_index(self.check_step(step), self.output.shape))

    def step_of(self, index: Any) -> int:
        """The step that computes output ``index`` (one integer per axis, inside the output).

        >>> f = frames_2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0], [0, 1]])
        >>> f.step_of((1, 0))
        2
        >>> f.step_of((2, 0))
        Traceback (most recent call last):
        ...
        ValueError: index must lie inside the output of shape (2, 2); got (2, 0)
        """
        shape = self.output.shape
        if self.n_steps == 0:
            raise ValueError(f"index: there are no output cells ({self.message})")
        if not isinstance(index, tuple | list) or not all(
                isinstance(i, int | np.integer) and not isinstance(i, bool) for i in index):
            raise TypeError(f"index must be a tuple of {len(shape)} integers; got {index!r}")
        index = tuple(int(i) for i in index)
        if len(index) != len(shape) or not all(0 <= i < n for i, n in zip(index, shape, strict=True)):
            raise ValueError(f"index must lie inside the output of shape {shape}; got {index}")
        return int(np.ravel_multi_index(index, shape))

    def window(self, step: int) -> tuple[slice, ...]:
        """The cells of :attr:`padded` under the kernel at ``step``."""
        return tuple(slice(i * self.stride, i * self.stride + k)
                     for i, k in zip(self.index(step), self.kernel.shape, strict=True))

    def output_so_far(self, step: int) -> np.ndarray:
        """The output with the first ``step + 1`` cells (row-major) filled, NaN elsewhere.

        With no frames (an impossible setting) this is the empty :attr:`output`.
        """
        if self.n_steps == 0:
            return self.output.copy()
        step = self.check_step(step)
        out = np.full(self.output.shape, np.nan)
        out.reshape(-1)[: step + 1] = self.output.reshape(-1)[: step + 1]
        return out

    def frame(self, step: int) -> Frame:
        """Everything shown at ``step``: window, products, sum, formula (O(kernel size))."""
        index, window = self.index(step), self.window(step)
        values = self.padded[window]
        with np.errstate(over="ignore", invalid="ignore"):  # 1e300 * 1e300 is inf, quietly
            products = values * self.kernel
            total = float(products.sum())
        terms = zip(self._in_factors[window].reshape(-1), self._k_factors, strict=True)
        where = ",".join(map(str, index))
        formula = (f"{self.names[2]}[{where}] = "
                   f"{' + '.join(a + DOT + b for a, b in terms)} = {self.output_text[index]}")
        return Frame(step, index, window, values, self.kernel, products,
                     total, float(self.output[index]), formula, self)


def _as_input(a: Any, name: str, ndim: int) -> np.ndarray:
    """A finite, non-empty, real float64 array with ``ndim`` dimensions, or raise."""
    arr = as_array(a, name, ndim).astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf), so that "
                         "NaN can mark the outputs not computed yet")
    return arr


def check_flip(flip: Any) -> bool:
    """Return ``flip`` as a bool, or raise ``TypeError`` naming it (no 0/1, no strings)."""
    if not isinstance(flip, bool | np.bool_):
        raise TypeError(f"flip must be True (convolution) or False (cross-correlation); "
                        f"got {flip!r}")
    return bool(flip)


def _check_options(mode: Any, flip: Any, stride: Any) -> tuple[str, bool, int]:
    """Validate the three settings shared by the 1D and 2D frames."""
    return check_choice(mode, "mode", MODES), check_flip(flip), check_int(stride, "stride", 1)


def _build(x, w, mode, flip, stride, library, names, final, note, reference) -> Frames:
    """Pad the input for the library's placement and wrap the final output."""
    pad = tuple(_pads(n, k, mode, flip, library) for n, k in zip(x.shape, w.shape, strict=True))
    output = np.asarray(final, dtype=np.float64)[(slice(None, None, stride),) * x.ndim]
    if stride > 1:
        every = ", ".join(f"::{stride}" for _ in range(x.ndim))
        note = (note + " " if note else "") + (
            f"Stride {stride}: the kernel jumps {stride} cells at a time, so only outputs "
            f"0, {stride}, {2 * stride}, … of stride 1 remain, the same as [{every}].")
    return Frames(x, w, mode, flip, stride, names, np.flip(w) if flip else w, pad,
                  np.pad(x, pad), np.pad(np.zeros(x.shape, bool), pad, constant_values=True),
                  output, "", note, reference)


def _swap_note(big: str, small: str, mode: str, pad: tuple[tuple[int, int], ...],
               library: str, larger: str = "longer") -> str:
    """Explain a library's swap of input and kernel when the kernel is the larger."""
    zeros = " and ".join(f"{b} before, {a} after" for b, a in pad)
    if mode == "valid":
        keeps = f"keeps the positions where all of {small} lies under {big}"
    else:
        keeps = f"returns max(N, K) outputs, one per cell of {big}"
    return (f"{big} is {larger} than {small}, so {library} swaps their roles: '{mode}' {keeps}. "
            f"Shown here as {big} sliding over {small} padded with zeros ({zeros}).")


def frames_1d(x: Any, w: Any, mode: str = "full", flip: bool = True,
              stride: int = 1, names: tuple[str, str, str] = ("x", "w", "y")) -> Frames:
    """The frames of ``w`` sliding along ``x``, matching ``np.convolve``/``np.correlate``.

    Introduced in notebook ``05_choose-valid-same-or-full``.

    Parameters
    ----------
    x, w : array_like, 1D
        Input and kernel: real, finite, non-empty. ``w`` may be longer than ``x``:
        the frames then follow NumPy's swap (see the module docstring).
    mode : {'full', 'same', 'valid'}
    flip : bool
        True: convolution (``np.convolve``), the kernel slides flipped.
        False: cross-correlation (``np.correlate``), the kernel slides as it is.
    stride : int, >= 1
        Keep every ``stride``-th output: ``np.convolve(x, w, mode)[::stride]``.
    names : three str
        What the signal, the kernel and the output are called where the frames are shown.

    Returns
    -------
    Frames

    Examples
    --------
    >>> f = frames_1d([1, 2, 3, 4], [5, 6, 7], mode="valid", flip=False)
    >>> f.output, f.frame(1).formula
    (array([38., 56.]), 'y[1] = 2·5 + 3·6 + 4·7 = 56')
    >>> frames_1d([1, 2], [1, 1, 1, 1], mode="valid").output  # NumPy swaps: 4 - 2 + 1 = 3
    array([3., 3., 3.])
    """
    x, w = _as_input(x, "x", 1), _as_input(w, "w", 1)
    mode, flip, stride = _check_options(mode, flip, stride)
    names = _check_names(names)
    with np.errstate(over="ignore", invalid="ignore"):
        final = (conv.convolve1d if flip else conv.correlate1d)(x, w, mode)
    note = ""
    if w.size > x.size and mode != "full":
        note = _swap_note(names[1], names[0], mode, (_pads(x.size, w.size, mode, flip, "numpy"),),
                          "NumPy")
    call = "np.convolve" if flip else "np.correlate"
    step = f"[::{stride}]" if stride > 1 else ""
    return _build(x, w, mode, flip, stride, "numpy", names, final, note,
                  f"{call}({names[0]}, {names[1]}, mode={mode!r}){step}")


def frames_2d(a: Any, k: Any, mode: str = "valid", flip: bool = False,
              stride: int = 1, names: tuple[str, str, str] = ("A", "K", "C")) -> Frames:
    """The frames of ``k`` sliding over ``a``, matching ``scipy.signal.correlate2d``/``convolve2d``.

    Introduced in notebook ``03_slide-a-kernel-over-an-image``.

    Parameters
    ----------
    a, k : array_like, 2D
        Input image and kernel: real, finite, non-empty.
    mode : {'valid', 'same', 'full'}
        ``'valid'`` with ``k`` larger than ``a`` in one direction and smaller in the
        other is impossible (SciPy raises): the frames then have ``n_steps == 0``,
        an output of shape ``(0, 0)`` and a :attr:`Frames.message`.
    flip : bool
        True: convolution (``convolve2d``, kernel rotated by 180°); False: correlation.
    stride : int, >= 1
        Keep every ``stride``-th output along each axis: ``correlate2d(...)[::s, ::s]``.
    names : three str
        What the image, the kernel and the output are called where the frames are shown:
        a notebook passes its own variable names.

    Returns
    -------
    Frames

    Examples
    --------
    The seed: a 5x5 image and a 3x3 "X" kernel.

    >>> A = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
    >>> K = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]
    >>> f = frames_2d(A, K, mode="valid", flip=False)
    >>> f.output
    array([[4., 3., 4.],
           [2., 4., 3.],
           [2., 3., 4.]])
    >>> f.frame(0).formula
    'C[0,0] = 1·1 + 1·0 + 1·1 + 0·0 + 1·1 + 1·0 + 0·1 + 0·0 + 1·1 = 4'
    >>> frames_2d(A, [[1, 1, 1, 1, 1, 1]], mode="valid").message[:40]
    "'valid' needs K to fit inside A in every"
    """
    a, k = _as_input(a, "a", 2), _as_input(k, "k", 2)
    mode, flip, stride = _check_options(mode, flip, stride)
    names = _check_names(names)
    call = "convolve2d" if flip else "correlate2d"
    step = f"[::{stride}, ::{stride}]" if stride > 1 else ""
    reference = f"scipy.signal.{call}({names[0]}, {names[1]}, mode={mode!r}){step}"
    a_fits = all(n >= m for n, m in zip(a.shape, k.shape, strict=True))
    k_fits = all(m >= n for n, m in zip(a.shape, k.shape, strict=True))
    if mode == "valid" and not (a_fits or k_fits):
        return _impossible(a, k, mode, flip, stride, reference, names)
    with np.errstate(over="ignore", invalid="ignore"):
        final = (conv.convolve2d if flip else conv.correlate2d)(a, k, mode)
    note = ""
    if mode == "valid" and not a_fits:
        pads = tuple(_pads(n, m, mode, flip, "scipy") for n, m in zip(a.shape, k.shape, strict=True))
        note = _swap_note(names[1], names[0], mode, pads, "SciPy", "larger")
    return _build(a, k, mode, flip, stride, "scipy", names, final, note, reference)


def _check_names(names: Any) -> tuple[str, str, str]:
    """Three non-empty names (input, kernel, output), or a TypeError naming ``names``."""
    if (not isinstance(names, tuple | list) or len(names) != 3
            or not all(isinstance(n, str) and n for n in names)):
        raise TypeError(f"names must be three non-empty strings (input, kernel, output); "
                        f"got {names!r}")
    return tuple(names)


def _impossible(a, k, mode, flip, stride, reference, names=("A", "K", "C")) -> Frames:
    """Frames with nothing to show, and a message that says why."""
    shape = "×".join(map(str, a.shape)), "×".join(map(str, k.shape))
    A, K = names[:2]
    message = (f"'valid' needs {K} to fit inside {A} in every direction (or {A} inside {K}): "
               f"{A} is {shape[0]} and {K} is {shape[1]}, so there is no position where the "
               f"kernel covers only real cells. Choose 'same' or 'full', which pad {A} with zeros.")
    return Frames(a, k, mode, flip, stride, names, np.flip(k) if flip else k,
                  ((0, 0), (0, 0)), a, np.zeros(a.shape, bool), np.empty((0, 0)),
                  message, "", reference)
