"""Sliding-kernel widgets: watch a kernel slide over an input, one product-sum at a time.

Introduced in notebook ``03_slide-a-kernel-over-an-image`` (:class:`SlidingKernel2D`);
the flip is the subject of ``04_decide-dot-product-or-elementwise`` and
:class:`SlidingKernel1D` with its modes of ``05_choose-valid-same-or-full``.

What a notebook shows is the browser player of :mod:`helpers.widgets.player`: every
frame of every mode, flip and stride is computed here once, and the browser plays them
without waiting for Python, in JupyterLab, RISE, exported HTML and offline decks alike.

The ipywidgets controls kept here (``play``, ``slider``, ``mode_menu`` ...) are the
kernel's copy of the state, for code: ``sk.mode = "full"`` or ``sk.step = 3`` rebuild
the frames, update the HTML views (``input_view``, ``formula_view`` ...) and redraw the
player at that setting and step. The player's own buttons do not report back to Python.

Each input is checked once, where it enters: the constructor and the setters hand it to
:func:`~helpers.widgets.frames.frames_1d`/``frames_2d``, which raise ``TypeError`` or
``ValueError`` naming it; a control in the browser can only offer valid values.

Examples
--------
>>> sk = SlidingKernel1D([1, 2, 3, 4], [5, 6, 7], mode="full", flip=True)
>>> sk.n_steps
6
>>> sk.step = 2
>>> sk.frame.formula
'y[2] = 1·7 + 2·6 + 3·5 = 34'
>>> sk.output_so_far
array([ 5., 16., 34., nan, nan, nan])
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np

from helpers.checks import check_int
from helpers.widgets import drawing
from helpers.widgets import frames as fm
from helpers.widgets import player as hp

__all__ = ["SlidingKernel1D", "SlidingKernel2D"]


class _PlayerBox(W.VBox):
    """A box whose view is a browser player (:func:`helpers.widgets.player.player_html`).

    A live kernel draws the widget, whose :attr:`view` (an Output) holds the player; every
    other reader (an exported page, a deck, nbval) gets the same player as ``text/html``.
    Subclasses give ``_player_html()`` and ``__repr__``.
    """

    def _repr_mimebundle_(self, **kwargs: Any) -> dict:
        """The widget view for a live kernel, and the same player as plain HTML for the rest."""
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/html"] = self._player_html()
        self._refresh()
        return bundle

    def _refresh(self) -> None:
        """Redraw the player in :attr:`view` at the current setting and step."""
        self._shown = True
        self.view.outputs = ({"output_type": "display_data", "metadata": {},
                              "data": {"text/html": self._player_html(),
                                       "text/plain": repr(self)}},)


class _SlidingKernel(_PlayerBox):
    """State, controls and HTML shared by the 1D and 2D widgets; see the subclasses."""

    _make_frames = staticmethod(fm.frames_1d)

    def __init__(self, x: Any, w: Any, mode: str, flip: bool, stride: int,
                 names: tuple[str, str, str]) -> None:
        frames = self._make_frames(x, w, mode, flip, stride, names)  # bad input raises here
        super().__init__(layout=W.Layout(max_width="1000px"))
        self._frames, self._step, self._busy, self._data = frames, 0, False, {}
        self._make_controls(frames)
        self.info, self.input_view, self.kernel_view = W.HTML(), W.HTML(), W.HTML()
        self.formula_view, self.output_view = W.HTML(), W.HTML()
        self.view = W.Output()  # the browser player, redrawn when Python changes the state
        self.children = [self.view]
        self.add_class("sk-widget")
        self._install(frames, 0)

    # ------------------------------------------------------------------ controls

    def _make_controls(self, f: fm.Frames) -> None:
        """Create the controls and wire them; Play drives the slider in the browser."""
        self.play = W.Play(interval=500, min=0, max=0, show_repeat=False,
                           tooltip="Play / pause: one step per frame",
                           layout=W.Layout(width="110px"))
        self.slider = W.IntSlider(min=0, max=0, description="step", continuous_update=True,
                                  tooltip="Which output cell is computed",
                                  layout=W.Layout(width="330px"))
        self.link = W.jslink((self.play, "value"), (self.slider, "value"))
        self.prev_button = W.Button(icon="step-backward", tooltip="Previous step",
                                    layout=W.Layout(width="40px"))
        self.next_button = W.Button(icon="step-forward", tooltip="Next step",
                                    layout=W.Layout(width="40px"))
        self.speed = W.IntSlider(value=2, min=1, max=10, description="frames/s",
                                 tooltip="Playing speed in frames per second",
                                 layout=W.Layout(width="250px"))
        self.mode_menu = W.Dropdown(options=fm.MODES, value=f.mode, description="mode",
                                    tooltip="valid: no padding · same: pad to keep the size · "
                                            "full: every overlap", layout=W.Layout(width="170px"))
        self.flip_buttons = W.ToggleButtons(
            options=[("convolution", True), ("cross-correlation", False)], value=f.flip,
            tooltips=["The kernel is flipped, then slides", "The kernel slides as it is"],
            style={"button_width": "130px"})
        self.stride_box = W.BoundedIntText(value=f.stride, min=1, max=max(4, f.stride),
                                           description="stride",
                                           tooltip="How many cells the kernel jumps",
                                           layout=W.Layout(width="140px"))
        self.slider.observe(self._on_slider, names="value")
        self.speed.observe(self._on_speed, names="value")
        self.prev_button.on_click(lambda _: self._nudge(-1))
        self.next_button.on_click(lambda _: self._nudge(+1))
        for control, name in ((self.mode_menu, "mode"), (self.flip_buttons, "flip"),
                              (self.stride_box, "stride")):
            control.observe(lambda change, name=name: self._on_setting(name, change["new"]),
                            names="value")

    def _on_slider(self, change: dict) -> None:
        if not self._busy:
            self._show(change["new"])

    def _on_speed(self, change: dict) -> None:
        self.play.interval = round(1000 / change["new"])

    def _nudge(self, delta: int) -> None:
        if self.n_steps:
            self.step = min(max(self._step + delta, 0), self.n_steps - 1)

    def _on_setting(self, name: str, value: Any) -> None:
        """A control changed: rebuild, showing a message (never a traceback) if refused."""
        if not self._busy:
            try:
                self._rebuild(**{name: value})
            except (TypeError, ValueError) as exc:
                self.info.value = hp.message_html(str(exc))

    def _rebuild(self, **change: Any) -> None:
        """New frames for a changed setting, keeping the output index (clamped into range)."""
        f = self._frames
        settings = {"mode": f.mode, "flip": f.flip, "stride": f.stride, **change}
        new = self._make_frames(f.x, f.w, **settings, names=f.names)  # checks the setting
        step = 0
        if f.n_steps and new.n_steps:
            keep = zip(f.index(self._step), new.output.shape, strict=True)
            step = new.step_of(tuple(min(i, n - 1) for i, n in keep))
        self._install(new, step)

    def _install(self, f: fm.Frames, step: int) -> None:
        """Show new frames: sync the controls, build the static HTML, show ``step``."""
        self._frames, self._busy = f, True
        try:
            self.mode_menu.value, self.flip_buttons.value = f.mode, f.flip
            self.stride_box.max = max(self.stride_box.max, f.stride)
            self.stride_box.value = f.stride
            for control in (self.slider, self.play):
                control.value, control.max, control.value = 0, max(f.n_steps - 1, 0), step
            for control in (self.play, self.slider, self.prev_button, self.next_button):
                control.disabled = f.n_steps == 0
        finally:
            self._busy = False
        self._prepare(f)
        self.info.value = hp.info_html(f)
        self.kernel_view.value = self._kernel_html(f)
        self._show(step)

    # ------------------------------------------------------------------ public API

    def __repr__(self) -> str:  # the text/plain shown where widgets cannot be drawn
        return (f"{type(self).__name__}(mode={self.mode!r}, flip={self.flip}, "
                f"stride={self.stride}, step={self.step}, n_steps={self.n_steps})")

    @property
    def step(self) -> int:
        """The current step, ``0 <= step < n_steps``; setting it updates the view."""
        return self._step

    @step.setter
    def step(self, value: int) -> None:
        if self.n_steps == 0 and check_int(value, "step", 0) == 0:
            return
        self.slider.value = self._frames.check_step(value)  # the observer redraws

    @property
    def n_steps(self) -> int:
        """Number of steps: one per output cell; 0 when the setting is impossible."""
        return self._frames.n_steps

    @property
    def output_so_far(self) -> np.ndarray:
        """The output up to and including :attr:`step` (row-major), NaN elsewhere."""
        return self._frames.output_so_far(self._step)

    @property
    def message(self) -> str:
        """Why nothing can be shown (e.g. 2D 'valid' with mixed sizes); '' when fine."""
        return self._frames.message

    @property
    def frames(self) -> fm.Frames:
        """The frame model being shown."""
        return self._frames

    @property
    def frame(self) -> fm.Frame | None:
        """The current frame, or None when there are no steps."""
        return self._frames.frame(self._step) if self.n_steps else None

    @property
    def mode(self) -> str:
        """'valid', 'same' or 'full'; setting it rebuilds the frames."""
        return self._frames.mode

    @mode.setter
    def mode(self, value: str) -> None:
        self._rebuild(mode=value)

    @property
    def flip(self) -> bool:
        """True for a convolution, False for a cross-correlation; setting it rebuilds."""
        return self._frames.flip

    @flip.setter
    def flip(self, value: bool) -> None:
        self._rebuild(flip=value)

    @property
    def stride(self) -> int:
        """How many cells the kernel jumps (>= 1); setting it rebuilds."""
        return self._frames.stride

    @stride.setter
    def stride(self, value: int) -> None:
        self._rebuild(stride=value)

    # ------------------------------------------------------------------ the player

    def _strides(self) -> int:
        return max(4, self._frames.stride)

    def _player_html(self) -> str:
        """Every setting's frames (computed once per widget), starting at the current one."""
        f, strides = self._frames, self._strides()
        if len(self._data) < 6 * strides:
            with np.errstate(all="ignore"):
                for mode in fm.MODES:
                    for flip in (True, False):
                        for stride in range(1, strides + 1):
                            key = hp.config_key(mode, flip, stride)
                            if key not in self._data:
                                self._data[key] = hp.config(
                                    self._make_frames(f.x, f.w, mode, flip, stride,
                                                      f.names))
        start = hp.config_key(f.mode, f.flip, f.stride)
        static = (f'<div class="skp-info">{self.info.value}</div>'
                  + hp.controls_html(start, self._step, f.n_steps, strides)
                  + '<p class="skp-status"></p><div class="skp-live" aria-live="polite"></div>'
                  + f'<div class="skp-grids">{self._static_grids()}</div>'
                  + '<div class="skp-formula"></div>')
        what = "a signal" if f.x.ndim == 1 else "an image"
        label = f"A kernel sliding over {what}, step by step"
        return hp.player_html(self._data, start, self._step, static, label)

    def _static_grids(self) -> str:
        return "".join(v.value for v in self._arrange_views())

    def _arrange_views(self) -> list[W.HTML]:
        """The HTML views in reading order (the 1D widget stacks them; 2D overrides)."""
        return [self.input_view, self.kernel_view, self.formula_view, self.output_view]

    def _prepare(self, f: fm.Frames) -> None:
        """Build every cell's HTML once per rebuild, so that a step only joins strings."""
        padded = np.atleast_2d(f.padded_text)
        self._ncols = padded.shape[1]
        pad = np.atleast_2d(f.is_padding)
        self._in_plain = hp.cells(np.where(pad, "pad", "real"), padded)
        self._in_window = hp.cells(np.where(pad, "winpad", "win"), padded)
        out = f.output_text
        self._out = {kind: hp.cells(kind, out) for kind in ("done", "now")}
        self._out["todo"] = hp.cells("todo", np.full(out.shape, "", dtype=object))
        self._out_cols = out.shape[-1] if out.ndim == 2 else max(out.size, 1)

    def _show(self, step: int) -> None:
        """Show ``step``: the window, the formula and the output so far (three strings)."""
        self._step, f = step, self._frames
        if f.n_steps == 0:
            self.input_view.value = self._input_html(None)
            self.formula_view.value = self.output_view.value = ""
            if getattr(self, "_shown", False):
                self._refresh()
            return
        frame = f.frame(step)
        self.input_view.value = self._input_html(frame.window)
        self.formula_view.value = ('<div style="font-family:monospace;font-size:15px;'
                                   f'padding:4px 0">{frame.formula}</div>')
        o = self._out
        cells = o["done"][:step] + [o["now"][step]] + o["todo"][step + 1:]
        self.output_view.value = self._output_html(cells)
        if getattr(self, "_shown", False):
            self._refresh()

    def _window_cells(self, window: tuple[slice, ...] | None) -> list[str]:
        """The padded input's cells with the window highlighted."""
        cells = list(self._in_plain)
        if window is not None:
            rows, cols = (window if len(window) == 2 else (slice(0, 1), window[0]))
            for r in range(rows.start, rows.stop):
                start, stop = r * self._ncols + cols.start, r * self._ncols + cols.stop
                cells[start:stop] = self._in_window[start:stop]
        return cells

    def _kernel_html(self, f: fm.Frames) -> str:
        k, name = f.w, f.names[1]
        tables = [hp.table(hp.cells("kernel", np.atleast_2d(f.w_text)),
                         np.atleast_2d(k).shape[1], f"<b>{name}</b> (kernel)")]
        if f.flip:
            tables.append(hp.table(hp.cells("kernel", np.atleast_2d(f.kernel_text)),
                                 np.atleast_2d(k).shape[1], f"<b>{name}</b> flipped"))
        return "".join(tables)

    # ------------------------------------------------------------------ drawings

    def frame_figure(self, step: int | None = None):
        """A static matplotlib Figure of one frame (default: the current step).

        Made without pyplot, so a notebook shows it once, as a PNG, when it is the
        last expression of a cell; ``fig.savefig(...)`` writes it for a slide.
        """
        f = self._frames
        if step is not None:
            step = check_int(step, "step", 0)
            if f.n_steps:
                f.check_step(step)
            elif step:
                raise ValueError(f"step must be 0: there are no frames ({f.message})")
        return drawing.frame_figure(f, self._step if step is None else step)

    def filmstrip(self, max_frames: int = 6, columns: int = 2, dpi: int = 100,
                  tile_width: float = 5.5):
        """The frames as small multiples: the static stand-in for the live widget.

        See :func:`helpers.widgets.drawing.filmstrip`.
        """
        return drawing.filmstrip(self._frames, max_frames, columns, dpi, tile_width)

    def save_animation(self, path: str | Path, fps: float = 2, dpi: int = 80) -> Path:
        """Write every frame to a GIF; see :func:`helpers.widgets.drawing.save_animation`."""
        return drawing.save_animation(self._frames, path, fps, dpi)


class SlidingKernel1D(_SlidingKernel):
    """A kernel ``w`` sliding along a signal ``x``, step by step (a VBox of widgets).

    Introduced in notebook ``05_choose-valid-same-or-full``.

    The numbers are those of ``np.convolve`` (``flip=True``) or ``np.correlate``
    (``flip=False``), including NumPy's placement of even kernels in ``same`` mode
    and its swap when ``w`` is longer than ``x`` (explained in the widget; see
    :mod:`helpers.widgets.frames`). Bad input (not numeric, complex, not 1D, empty, NaN or
    inf, unknown mode, stride < 1) raises ``TypeError``/``ValueError`` naming the
    argument; every 1D setting has frames.

    Parameters
    ----------
    x, w : array_like, 1D
    mode : {'full', 'same', 'valid'}
    flip : bool
        True: convolution; False: cross-correlation.
    stride : int, >= 1
    names : three str
        What the signal, kernel and output are called: the notebook's own names.
        Keep every ``stride``-th output.

    Attributes
    ----------
    step, n_steps, output_so_far, message, mode, flip, stride, frames, frame
        See the properties. ``play``, ``slider`` (joined by ``link``), ``prev_button``,
        ``next_button``, ``speed``, ``mode_menu``, ``flip_buttons``, ``stride_box``
        are the controls; ``info``, ``input_view``, ``kernel_view``, ``formula_view``,
        ``output_view`` the HTML views.

    Examples
    --------
    >>> sk = SlidingKernel1D([1, 2, 3, 4], [5, 6, 7], mode="valid", flip=False)
    >>> sk.step = sk.n_steps - 1
    >>> sk.output_so_far
    array([38., 56.])
    >>> sk.mode = "full"           # rebuilds, and stays on output y[1]
    >>> sk.step, sk.frame.formula
    (1, 'y[1] = 0·5 + 1·6 + 2·7 = 20')
    """

    _make_frames = staticmethod(fm.frames_1d)

    def __init__(self, x: Any, w: Any, mode: str = "full", flip: bool = True,
                 stride: int = 1, names: tuple[str, str, str] = ("x", "w", "y")) -> None:
        super().__init__(x, w, mode, flip, stride, names)

    def _input_html(self, window: tuple[slice, ...] | None) -> str:
        """x padded, with indices above and the applied kernel under the window."""
        f, n = self._frames, self._ncols
        left = f.pad[0][0]
        head = "".join(f"{hp.INDEX}{i - left if 0 <= i - left < f.x.size else ''}</td>"
                       for i in range(n))
        cells = self._window_cells(window)
        labels = [f.names[0]]
        if window is not None:
            (s,) = window
            blank = hp.TD["blank"] + "</td>"
            kernel = hp.cells("kernel", f.kernel_text)
            cells += [blank] * s.start + kernel + [blank] * (n - s.stop)
            labels.append(f"{f.names[1]} flipped" if f.flip else f.names[1])
        return hp.table(cells, n, "", labels, f"<tr><th></th>{head}</tr>")

    def _output_html(self, cells: list[str]) -> str:
        head = "".join(f"{hp.INDEX}{i}</td>" for i in range(len(cells)))
        return hp.table(cells, len(cells), "", [self._frames.names[2]],
                      f"<tr><th></th>{head}</tr>")


class SlidingKernel2D(_SlidingKernel):
    """A kernel ``k`` sliding over an image ``a``, step by step (a VBox of widgets).

    Introduced in notebook ``03_slide-a-kernel-over-an-image``.

    The numbers are those of ``scipy.signal.correlate2d`` (``flip=False``) or
    ``convolve2d`` (``flip=True``) for each mode, with ``[::stride, ::stride]``.
    Impossible settings ('valid' with ``k`` larger than ``a`` in one direction and
    smaller in the other) still build: the widget shows a plain :attr:`message`,
    ``n_steps == 0`` and ``output_so_far`` has shape ``(0, 0)``. Bad input raises
    ``TypeError``/``ValueError`` naming the argument, as for :class:`SlidingKernel1D`.

    Parameters
    ----------
    a, k : array_like, 2D
    mode : {'valid', 'same', 'full'}
    flip : bool
        True: convolution (kernel rotated by 180°); False: cross-correlation.
    stride : int, >= 1
    names : three str
        What the grids are called (image, kernel, output): the notebook's own names.

    Examples
    --------
    >>> A = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
    >>> sk = SlidingKernel2D(A, [[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    >>> sk.step = 8
    >>> sk.output_so_far
    array([[4., 3., 4.],
           [2., 4., 3.],
           [2., 3., 4.]])
    >>> SlidingKernel2D(A, [[1, 1, 1, 1, 1, 1]]).n_steps   # 1x6 kernel, 'valid': no position
    0
    """

    _make_frames = staticmethod(fm.frames_2d)

    def __init__(self, a: Any, k: Any, mode: str = "valid", flip: bool = False,
                 stride: int = 1, names: tuple[str, str, str] = ("A", "K", "C")) -> None:
        super().__init__(a, k, mode, flip, stride, names)

    def _arrange_views(self) -> list[W.HTML]:
        return [self.input_view, self.kernel_view, self.output_view, self.formula_view]

    def _input_html(self, window: tuple[slice, ...] | None) -> str:
        return hp.table(self._window_cells(window), self._ncols,
                      f"<b>{self._frames.names[0]}</b> (input)")

    def _output_html(self, cells: list[str]) -> str:
        return hp.table(cells, self._out_cols, f"<b>{self._frames.names[2]}</b> (output)")
