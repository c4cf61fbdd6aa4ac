"""Stamping-kernel widgets: the sliding-kernel widget, transposed.

Introduced in notebook ``07_transpose-the-convolution``. Where :class:`SlidingKernel1D`
reads one window per step, a transposed convolution *writes*: at each step one input
entry stamps a scaled copy of the kernel onto the output, and overlapping stamps add.
Every number comes from the frame model :mod:`helpers.widgets.stamps`; the view is the
browser player of :mod:`helpers.widgets.player` (kind ``'stamp'``), with the same
Play, Previous, Next, step and speed controls, plus Stride and Padding. Each step
highlights the input entry, shows the stamp under the cells it lands on, the output so
far, and how many stamps cover each cell (numbers, not colour alone): with stride 2 and
a 3-tap kernel the counts alternate 1, 2: the checkerboard.

Every stride (1 to 4) and padding (0 to k - 1) is computed once in the kernel, so the
player works without one, in exported HTML and in the offline decks. A padding that
crops the whole output is not an error: the widget shows why in a message and has no
steps. Bad input (not numeric, NaN, wrong dimensions, stride < 1, padding < 0) raises
``TypeError``/``ValueError`` naming the argument, as for the sliding widgets.

Examples
--------
>>> sk = StampingKernel1D([1, 2, 3], [5, 6, 7], stride=2)
>>> sk.step = 1
>>> sk.frame.formula
'y[2:5] += x[1]·w = 2·[5, 6, 7]'
>>> sk.output_so_far
array([ 5.,  6., 17., 12., 14.,  0.,  0.])
>>> sk.counts_so_far
array([1, 1, 2, 1, 1, 0, 0])
>>> sk.padding = 4                  # crops more than the 7 cells: a message, no traceback
>>> sk.n_steps, sk.message
(0, 'padding: 4 on each side leaves no output (size -1)')
"""

from __future__ import annotations

from typing import Any

import ipywidgets as W
import numpy as np

from helpers.checks import check_int
from helpers.widgets import player as hp
from helpers.widgets import stamps as sm
from helpers.widgets.controls import _PlayerBox

__all__ = ["StampingKernel1D", "StampingKernel2D"]


class _StampingKernel(_PlayerBox):
    """State and HTML shared by the 1D and 2D stamping widgets; see the subclasses."""

    _make = staticmethod(sm.stamps_1d)

    def __init__(self, x: Any, w: Any, stride: int, padding: int,
                 names: tuple[str, str, str]) -> None:
        base = self._make(x, w, stride, 0, names)  # bad input raises here, naming it
        super().__init__(layout=W.Layout(max_width="1000px"))
        self._base, self._step, self._data = base, 0, {}
        self.view = W.Output()  # the browser player, redrawn when Python changes the state
        self.children = [self.view]
        self.add_class("sk-widget")
        self._set(stride, padding, 0)

    def _build(self, stride: int, padding: int) -> tuple[sm.Stamps | None, str]:
        """The stamps of one (checked) setting, or None and why the output is empty."""
        b = self._base
        try:
            return self._make(b.x, b.w, stride, padding, b.names), ""
        except ValueError as exc:  # the input is valid: only the cropped size can fail
            return None, str(exc)

    def _set(self, stride: Any, padding: Any, step: int) -> None:
        """Check and apply a setting (the widget is unchanged when a value is refused)."""
        stride, padding = check_int(stride, "stride", 1), check_int(padding, "padding", 0)
        self._stamps, self._message = self._build(stride, padding)
        self._stride, self._padding = stride, padding
        self._step = min(step, max(self.n_steps - 1, 0))
        if getattr(self, "_shown", False):
            self._refresh()

    # ------------------------------------------------------------------ public API

    def __repr__(self) -> str:  # the text/plain shown where widgets cannot be drawn
        return (f"{type(self).__name__}(stride={self.stride}, padding={self.padding}, "
                f"step={self.step}, n_steps={self.n_steps})")

    @property
    def stamps(self) -> sm.Stamps | None:
        """The frame model being shown (None when padding leaves no output)."""
        return self._stamps

    @property
    def n_steps(self) -> int:
        """One step per input entry; 0 when the setting leaves no output."""
        return self._stamps.n_steps if self._stamps is not None else 0

    @property
    def message(self) -> str:
        """Why there is nothing to show ('' when the setting is possible)."""
        return self._message

    @property
    def step(self) -> int:
        """The current step, ``0 <= step < n_steps``; setting it redraws the player."""
        return self._step

    @step.setter
    def step(self, value: int) -> None:
        if self._stamps is None:
            if check_int(value, "step", 0):
                raise ValueError(f"step must be 0: there are no steps ({self._message})")
            return
        self._set(self._stride, self._padding, self._stamps.check_step(value))

    @property
    def stride(self) -> int:
        """How far apart the stamps land (>= 1); setting it rebuilds, keeping the step."""
        return self._stride

    @stride.setter
    def stride(self, value: int) -> None:
        self._set(value, self._padding, self._step)

    @property
    def padding(self) -> int:
        """Cells cropped from each side of the output (>= 0); setting it rebuilds."""
        return self._padding

    @padding.setter
    def padding(self, value: int) -> None:
        self._set(self._stride, value, self._step)

    @property
    def frame(self) -> sm.Stamp | None:
        """The current stamp, or None when there are no steps."""
        return self._stamps.frame(self._step) if self.n_steps else None

    @property
    def output_so_far(self) -> np.ndarray:
        """The uncropped output after the stamps of steps 0 .. :attr:`step` (it starts at 0)."""
        return self._stamps.output_so_far(self._step) if self.n_steps else np.empty((0,))

    @property
    def counts_so_far(self) -> np.ndarray:
        """How many of the stamps 0 .. :attr:`step` cover each output cell."""
        return (self._stamps.counts_so_far(self._step) if self.n_steps
                else np.empty((0,), dtype=np.int64))

    # ------------------------------------------------------------------ the player

    def _choices(self) -> tuple[range, range]:
        """The strides and paddings the player offers (the current ones included)."""
        k = max(self._base.w.shape)
        return (range(1, max(4, self._stride) + 1),
                range(0, max(k - 1, self._padding, 1) + 1))

    def _player_html(self) -> str:
        """Every stride and padding (computed once per widget), starting at the current one."""
        strides, paddings = self._choices()
        for stride in strides:
            for padding in paddings:
                key = f"{stride}/{padding}"
                if key not in self._data:
                    s, message = self._build(stride, padding)
                    self._data[key] = (hp.stamp_config(s) if s is not None else
                                       hp.stamp_message_config(self._base, stride, padding,
                                                               message))
        start = f"{self._stride}/{self._padding}"
        controls = hp.transport_html(self._step, self.n_steps) + hp.settings_html([
            ("stride", "Stride", [(str(v), str(v)) for v in strides], str(self._stride)),
            ("padding", "Padding", [(str(v), str(v)) for v in paddings], str(self._padding))])
        static = (f'<div class="skp-info">{self._data[start]["info"]}</div>' + controls
                  + '<p class="skp-status"></p><div class="skp-live" aria-live="polite"></div>'
                  + self._static_html())
        what = "a signal" if self._base.x.ndim == 1 else "an image"
        label = f"A transposed convolution: a kernel stamped onto {what}, step by step"
        return hp.player_html(self._data, start, self._step, static, label, kind="stamp")

    def _static_html(self) -> str:
        """The current step as plain tables, for readers where scripts do not run."""
        b, s = self._base, self._stamps
        inp, k, out = b.names
        x_kinds = np.full(np.atleast_2d(b.x).shape, "real", dtype=object)
        tables = [hp.table(hp.cells("kernel", _texts(b.w)), _cols(b.w), f"<b>{k}</b> (kernel)")]
        formula = ""
        if s is not None:
            f = s.frame(self._step)
            x_kinds.reshape(-1)[self._step] = "win"
            covered = np.atleast_2d(f.counts) > 0
            now = np.zeros(covered.shape, dtype=bool)
            now[tuple([slice(0, 1), *f.window][-2:])] = True  # 1D is row 0
            kinds = np.where(now, "now", np.where(covered, "done", "todo"))
            tables += [hp.table(hp.cells(kinds, _texts(f.output)), _cols(f.output),
                                f"<b>{out}</b> (output so far)"),
                       hp.table(hp.cells(kinds, _texts(f.counts)), _cols(f.counts),
                                "<b>stamps</b> per cell so far")]
            formula = f.formula
        tables.insert(0, hp.table(hp.cells(x_kinds, _texts(b.x)), _cols(b.x),
                                  f"<b>{inp}</b> (input)"))
        return (f'<div class="skp-grids">{"".join(tables)}</div>'
                f'<div class="skp-formula">{formula}</div>')


def _texts(values: np.ndarray) -> np.ndarray:
    return np.array(hp.texts_of(values), dtype=object)


def _cols(values: np.ndarray) -> int:
    return np.atleast_2d(values).shape[1]


class StampingKernel1D(_StampingKernel):
    """Each entry of ``x`` stamps ``x[i] * w`` onto the output, step by step (a VBox).

    Introduced in notebook ``07_transpose-the-convolution``. The final output is
    :func:`helpers.conv.conv_transpose1d` ``(x, w, stride, padding)``; the widget shows
    the uncropped output with the ``padding`` cells of each side hatched.

    Parameters
    ----------
    x, w : array_like, 1D
        The input and the kernel (real, finite, non-empty).
    stride : int, >= 1
        How far apart neighbouring stamps land.
    padding : int, >= 0
        Cells cropped from each side of the output.
    names : three str
        What the input, kernel and output are called: the notebook's own names.

    Attributes
    ----------
    step, n_steps, stride, padding, stamps, frame, output_so_far, counts_so_far, message
        See the properties; ``view`` is the Output that holds the player.

    Examples
    --------
    >>> sk = StampingKernel1D([1, 2, 3], [5, 6, 7], stride=2, names=("y", "w", "x"))
    >>> sk.step = 2
    >>> sk.frame.formula, sk.output_so_far
    ('x[4:7] += y[2]·w = 3·[5, 6, 7]', array([ 5.,  6., 17., 12., 29., 18., 21.]))
    """

    _make = staticmethod(sm.stamps_1d)

    def __init__(self, x: Any, w: Any, stride: int = 1, padding: int = 0,
                 names: tuple[str, str, str] = ("x", "w", "y")) -> None:
        super().__init__(x, w, stride, padding, names)


class StampingKernel2D(_StampingKernel):
    """Each pixel of ``a`` stamps ``a[i, j] * k`` onto the output, row by row (a VBox).

    Introduced in notebook ``07_transpose-the-convolution``. The final output is the
    one-channel :func:`helpers.conv.conv_transpose2d` with ``stride`` and ``padding``.
    Parameters and attributes as for :class:`StampingKernel1D`; names ``('A', 'K', 'C')``.

    Examples
    --------
    >>> sk = StampingKernel2D([[1, 2], [3, 4]], np.ones((3, 3)), stride=2)
    >>> sk.step = 3
    >>> sk.output_so_far[2], sk.stamps.counts[2]
    (array([ 4.,  4., 10.,  6.,  6.]), array([2, 2, 4, 2, 2]))
    """

    _make = staticmethod(sm.stamps_2d)

    def __init__(self, a: Any, k: Any, stride: int = 1, padding: int = 0,
                 names: tuple[str, str, str] = ("A", "K", "C")) -> None:
        super().__init__(a, k, stride, padding, names)
