"""The frame model of a transposed convolution: each input entry stamps a scaled kernel.

Introduced in notebook ``07_transpose-the-convolution``. Where :mod:`helpers.widgets.frames` slides
a kernel over an input and *reads* one window per step, a transposed convolution *writes*:
at step t the input entry ``x[index]`` adds ``x[index] * w`` onto the output canvas at
``index * stride``, and overlapping stamps add up. With stride 2 and a 3-tap kernel the
cells are covered unevenly (1, 1, 2, 1, 2, ...): the checkerboard artefact.

The canvas is the uncropped output, ``transposed_size(n, k, stride)`` cells per axis;
``padding`` then crops that many cells from each side (:attr:`Stamps.is_cropped`), which
gives :func:`helpers.conv.conv_transpose1d` and ``conv_transpose2d``. Pure: no ipywidgets,
no matplotlib. The shape of the model follows :class:`helpers.widgets.frames.Frames`
(``n_steps``, ``index``, ``window``, ``frame``, ``output_so_far``).

Examples
--------
>>> s = stamps_1d([1, 2], [1, 1, 1], stride=2)
>>> s.n_steps, s.frame(1).formula
(2, 'y[2:5] += x[1]·w = 2·[1, 1, 1]')
>>> s.output_so_far(0), s.output_so_far(1)
(array([1., 1., 1., 0., 0.]), array([1., 1., 3., 2., 2.]))
>>> s.counts
array([1, 1, 2, 1, 1])
>>> stamps_1d([1, 2, 3, 4], [1, 1, 1], stride=2).note
'Each entry of x stamps itself times w, 2 cells apart; overlapping stamps add. Away from the borders the cells get 1, 2 stamps: uneven cover, the checkerboard artefact.'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from helpers import conv
from helpers.checks import check_int
from helpers.widgets.frames import DOT, _as_input, _check_names, fmt


@dataclass(frozen=True, eq=False)
class Stamp:
    """One step: which input entry stamps, where, with what, and the canvas after it.

    ``window`` indexes :attr:`Stamps.canvas`-shaped arrays; ``stamp = value * kernel``;
    ``output`` and ``counts`` are the canvas and the number of stamps per cell so far.
    """

    step: int
    index: tuple[int, ...]
    window: tuple[slice, ...]
    value: float
    kernel: np.ndarray
    stamp: np.ndarray
    output: np.ndarray
    counts: np.ndarray
    formula: str
    stamps: Stamps = field(repr=False)


@dataclass(frozen=True, eq=False)
class Stamps:
    """All stamps of one transposed convolution; build with :func:`stamps_1d`/`_2d`.

    ``canvas`` is the final uncropped output, ``is_cropped`` marks the cells that
    ``padding`` removes, ``output`` is what is left (the library's result), and
    ``counts`` says how many stamps land on each canvas cell. ``note`` tells the student
    what to watch (uneven cover, cropping); ``message`` is always '' (bad settings raise),
    kept so that a view written for :class:`helpers.widgets.frames.Frames` can show either.
    """

    x: np.ndarray
    w: np.ndarray
    stride: int
    padding: int
    names: tuple[str, str, str]
    canvas: np.ndarray
    is_cropped: np.ndarray
    output: np.ndarray
    counts: np.ndarray
    reference: str = ""
    note: str = ""
    message: str = ""

    @property
    def n_steps(self) -> int:
        """One step per input entry, in row-major order."""
        return self.x.size

    def check_step(self, step: Any) -> int:
        """Return ``step`` as an int in ``0 .. n_steps - 1``, or raise naming it."""
        step = check_int(step, "step", 0)
        if step >= self.n_steps:
            raise ValueError(f"step must be < n_steps = {self.n_steps}; got {step}")
        return step

    def index(self, step: int) -> tuple[int, ...]:
        """The input entry that stamps at ``step``."""
        return tuple(int(i) for i in np.unravel_index(self.check_step(step), self.x.shape))

    def window(self, step: int) -> tuple[slice, ...]:
        """The canvas cells that the stamp of ``step`` lands on."""
        return tuple(slice(i * self.stride, i * self.stride + k)
                     for i, k in zip(self.index(step), self.w.shape, strict=True))

    def _first(self, step: int, values: np.ndarray) -> np.ndarray:
        """``values`` (shaped like x) with every entry after ``step`` set to 0."""
        out = np.zeros(self.x.size, dtype=values.dtype)
        out[:self.check_step(step) + 1] = values.reshape(-1)[:step + 1]
        return out.reshape(self.x.shape)

    def output_so_far(self, step: int) -> np.ndarray:
        """The canvas (uncropped) after the stamps of steps 0 .. ``step``; it starts at 0."""
        return _transpose(self._first(step, self.x), self.w, self.stride)

    def counts_so_far(self, step: int) -> np.ndarray:
        """How many of the stamps 0 .. ``step`` cover each canvas cell."""
        ones = self._first(step, np.ones(self.x.shape, dtype=np.int64))
        return _transpose(ones, np.ones(self.w.shape, dtype=np.int64), self.stride)

    def frame(self, step: int) -> Stamp:
        """Everything shown at ``step``: the entry, its stamp, the canvas so far."""
        index, window = self.index(step), self.window(step)
        value = float(self.x[index])
        inp, k, out = self.names
        where = ", ".join(f"{s.start}:{s.stop}" for s in window)
        formula = f"{out}[{where}] += {inp}[{','.join(map(str, index))}]{DOT}{k} = {fmt(value)}"
        if self.w.ndim == 1:
            formula += DOT + "[" + ", ".join(fmt(v) for v in self.w) + "]"
        else:
            formula += f"{DOT}{k}"
        return Stamp(step, index, window, value, self.w, value * self.w, self.output_so_far(step),
                     self.counts_so_far(step), formula, self)


def _transpose(x: np.ndarray, w: np.ndarray, stride: int) -> np.ndarray:
    """The uncropped transposed convolution of one 1D or 2D channel (:mod:`helpers.conv`)."""
    if x.ndim == 1:
        return conv.conv_transpose1d(x, w, stride)
    return conv.conv_transpose2d(x[None, None], w[None, None], None, stride)[0, 0]


def _build(x: Any, w: Any, stride: Any, padding: Any, ndim: int,
           names: tuple[str, str, str]) -> Stamps:
    """Check the input, stamp everything once, and crop ``padding`` from each side."""
    names = _check_names(names)
    x, w = _as_input(x, names[0], ndim), _as_input(w, names[1], ndim)
    stride, padding = check_int(stride, "stride", 1), check_int(padding, "padding", 0)
    for n, k in zip(x.shape, w.shape, strict=True):
        conv.transposed_size(n, k, stride, padding)  # raises if padding leaves nothing
    canvas = _transpose(x, w, stride)
    counts = _transpose(np.ones(x.shape, np.int64), np.ones(w.shape, np.int64), stride)
    keep = (slice(padding, canvas.shape[0] - padding),) + (
        (slice(padding, canvas.shape[1] - padding),) if ndim == 2 else ())
    is_cropped = np.ones(canvas.shape, dtype=bool)
    is_cropped[keep] = False
    inp, k = names[:2]
    call = (f"conv_transpose1d({inp}, {k}" if ndim == 1
            else f"conv_transpose2d({inp}[None, None], {k}[None, None]")
    reference = f"helpers.conv.{call}, stride={stride}, padding={padding})"
    return Stamps(x, w, stride, padding, names, canvas, is_cropped, canvas[keep], counts,
                  reference, _note(counts, w.shape, stride, padding, names))


def _note(counts: np.ndarray, kshape: tuple[int, ...], stride: int, padding: int,
          names: tuple[str, str, str]) -> str:
    """What to watch: how the stamps overlap away from the borders, and what padding crops."""
    inner = counts[tuple(slice(k - 1, n - k + 1) for n, k in zip(counts.shape, kshape,
                                                                 strict=True))]
    cover = sorted(set(inner.ravel().tolist()))
    cells = "cell" if stride == 1 else "cells"
    note = (f"Each entry of {names[0]} stamps itself times {names[1]}, {stride} {cells} apart; "
            "overlapping stamps add.")
    if len(cover) > 1:
        note += (f" Away from the borders the cells get {', '.join(map(str, cover))} stamps: "
                 "uneven cover, the checkerboard artefact.")
    if padding:
        note += (f" padding={padding} crops {padding} {'cell' if padding == 1 else 'cells'} "
                 "from each side (hatched).")
    return note


def stamps_1d(x: Any, w: Any, stride: int = 1, padding: int = 0,
              names: tuple[str, str, str] = ("x", "w", "y")) -> Stamps:
    """The stamps of ``conv_transpose1d(x, w, stride, padding)``, one per entry of ``x``.

    Introduced in notebook ``07_transpose-the-convolution``. ``x`` and ``w`` are real,
    finite, non-empty 1D arrays; ``names`` are what the input, kernel and output are
    called in the formulas (the notebook's own names).

    Examples
    --------
    >>> s = stamps_1d([1, 2, 3], [1, 2, 1], stride=2, padding=1)
    >>> s.canvas, s.output
    (array([1., 2., 3., 4., 5., 6., 3.]), array([2., 3., 4., 5., 6.]))
    >>> s.frame(2).window, s.frame(2).stamp
    ((slice(4, 7, None),), array([3., 6., 3.]))
    """
    return _build(x, w, stride, padding, 1, names)


def stamps_2d(a: Any, k: Any, stride: int = 1, padding: int = 0,
              names: tuple[str, str, str] = ("A", "K", "C")) -> Stamps:
    """The stamps of a one-channel ``conv_transpose2d``, one per pixel of ``a``, row by row.

    Introduced in notebook ``07_transpose-the-convolution``; ``names`` as in :func:`stamps_1d`.

    Examples
    --------
    >>> s = stamps_2d(np.ones((2, 2)), np.ones((3, 3)), stride=2)
    >>> s.counts
    array([[1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1],
           [2, 2, 4, 2, 2],
           [1, 1, 2, 1, 1],
           [1, 1, 2, 1, 1]])
    >>> s.frame(1).formula
    'C[0:3, 2:5] += A[0,1]·K = 1·K'
    """
    return _build(a, k, stride, padding, 2, names)
