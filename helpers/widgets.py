"""Sliding-kernel widgets: watch a kernel slide over an input, one product-sum at a time.

Introduced in notebook ``03_slide-a-kernel-over-an-image`` (:class:`SlidingKernel2D`);
the flip is the subject of ``04_decide-dot-product-or-elementwise`` and
:class:`SlidingKernel1D` with its modes of ``05_choose-valid-same-or-full``.

This is a thin ipywidgets view of :mod:`helpers.frames`: the frames hold the numbers,
the view turns them into HTML tables. A step changes three small HTML strings, so
``Play`` (linked to the step slider in the browser with ``jslink``) runs smoothly at
10 frames per second. Without a live kernel, :meth:`~SlidingKernel1D.save_animation`
writes the same frames to a GIF and :meth:`~SlidingKernel1D.frame_figure` draws one.

Importing this module imports ipywidgets but not matplotlib (only the two drawing
methods do).

Design notes
------------
- Each step handler builds three strings from cells formatted once per rebuild (about
  0.1 ms headless, 0.3 ms with a live kernel), so Play at 10 frames/s and a dragged
  slider (``continuous_update=True``) never queue work in the kernel.
- Changing mode, flip or stride rebuilds the frames and keeps the output index, each
  coordinate clamped into the new output (``y[2]`` stays ``y[2]``; ``C[8,8]`` in a 7×7
  output becomes ``C[6,6]``).
- Impossible settings (2D 'valid' with mixed sizes) show a plain message instead of a
  traceback; a kernel longer than the input follows NumPy/SciPy's swap and says so.
- Every highlighted cell has a bold border as well as a colour (Okabe–Ito), padding is
  italic on a hatched grey background, and every number stays visible.

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

import functools
import io
import textwrap
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np

from helpers import frames as fm
from helpers._validate import check_choice, check_int

__all__ = ["SlidingKernel1D", "SlidingKernel2D"]

# Okabe–Ito colours (safe for common colour-vision deficiencies), plus greys.
ORANGE, SKY, GREEN, VERMILLION = "#E69F00", "#56B4E9", "#009E73", "#D55E00"

#: Every kind of cell: (fill, edge, bold, italic, hatched). Shared by HTML and matplotlib.
KINDS = {
    "real": ("#FFFFFF", "#888888", False, False, False),    # a cell of the input
    "pad": ("#E4E4E4", "#888888", False, True, True),       # a zero added by the mode
    "win": (ORANGE, "#000000", True, False, False),         # input under the kernel
    "winpad": (ORANGE, "#000000", True, True, True),        # padding under the kernel
    "kernel": ("#BFE6D9", GREEN, False, False, False),      # a kernel weight
    "done": ("#FFFFFF", "#888888", False, False, False),    # output computed
    "todo": ("#F2F2F2", "#BBBBBB", False, False, False),    # output not computed yet
    "now": (SKY, "#000000", True, False, False),            # output computed at this step
    "blank": ("none", "none", False, False, False),         # empty spacer
}
TIPS = {"real": "input", "pad": "zero padding", "win": "under the kernel",
        "winpad": "zero padding under the kernel", "kernel": "kernel weight",
        "done": "computed", "todo": "not computed yet", "now": "computed at this step",
        "blank": ""}


def _css(kind: str) -> str:
    fill, edge, bold, italic, hatched = KINDS[kind]
    if kind == "blank":
        return "border:none;min-width:2.4em"
    css = ["min-width:2.4em;height:2em;padding:0 4px;text-align:center;",
           f"border:1px solid {edge};"]
    if hatched:
        css.append(f"background:repeating-linear-gradient(45deg,{fill} 0 4px,#FFFFFF 4px 7px);")
    else:
        css.append(f"background:{fill};")
    css.append("color:#000;" if bold or not italic else "color:#555;")
    if bold:
        css.append("font-weight:bold;box-shadow:inset 0 0 0 3px #000;")
    if italic:
        css.append("font-style:italic;")
    return "".join(css)


#: ``<td>`` opening tags, built once: a cell is then one string join.
_TD = {kind: f'<td class="sk-{kind}" title="{TIPS[kind]}" style="{_css(kind)}">'
       for kind in KINDS}
_TABLE = ('<table style="border-collapse:separate;border-spacing:2px;font-family:monospace;'
          'font-size:14px;display:inline-table;margin:0 12px 6px 0">')
_LABEL = '<th style="text-align:right;padding-right:6px;white-space:nowrap">'
_INDEX = '<td style="text-align:center;font-size:11px;color:#555">'


def _cells(kind: np.ndarray | list, texts: np.ndarray) -> list[str]:
    """One ``<td>`` per entry, row-major; ``kind`` is one kind or an array of kinds."""
    kinds = np.broadcast_to(np.asarray(kind, dtype=object), texts.shape).reshape(-1)
    return [f"{_TD[k]}{t}</td>" for k, t in zip(kinds, texts.reshape(-1), strict=True)]


def _table(cells: list[str], ncols: int, caption: str = "", labels: list[str] | None = None,
           head: str = "") -> str:
    """An HTML table of ``cells`` (row-major), with an optional label per row."""
    rows = [head]
    for r in range(len(cells) // ncols):
        label = f"{_LABEL}{labels[r]}</th>" if labels else ""
        rows.append(f"<tr>{label}{''.join(cells[r * ncols:(r + 1) * ncols])}</tr>")
    cap = ('<caption style="caption-side:top;text-align:left;white-space:nowrap">'
           f"{caption}</caption>")
    return f"{_TABLE}{cap if caption else ''}{''.join(rows)}</table>"


def _pad_words(f: fm.Frames) -> str:
    """Say how the input was padded, in words."""
    if not any(b or a for b, a in f.pad):
        return f"{f.names[0]} is not padded."
    if f.x.ndim == 1:
        (b, a), = f.pad
        return f"{f.names[0]} is padded with {b} zero(s) before and {a} after (grey, hatched)."
    (t, bo), (le, r) = f.pad
    return (f"{f.names[0]} is padded with {t} row(s) of zeros above, {bo} below, {le} column(s) "
            f"left and {r} right (grey, hatched).")


class _SlidingKernel(W.VBox):
    """Controls and HTML views shared by the 1D and 2D widgets; see the subclasses."""

    _make_frames = staticmethod(fm.frames_1d)

    def __init__(self, x: Any, w: Any, mode: str, flip: bool, stride: int) -> None:
        frames = self._make_frames(x, w, mode, flip, stride)  # bad input raises here
        super().__init__(layout=W.Layout(max_width="1000px"))
        self._frames, self._step, self._busy = frames, 0, False
        self._make_controls(frames)
        self.info, self.input_view, self.kernel_view = W.HTML(), W.HTML(), W.HTML()
        self.formula_view, self.output_view = W.HTML(), W.HTML()

        def row(children: list[W.Widget]) -> W.HBox:
            return W.HBox(children, layout=W.Layout(flex_flow="row wrap", align_items="center"))

        self.children = [
            self.info,
            row([self.play, self.prev_button, self.slider, self.next_button, self.speed]),
            row([self.mode_menu, self.flip_buttons, self.stride_box]),
            *self._arrange(),
        ]
        # Class names for the browser tests and for styling: sk-widget, sk-play, sk-step ...
        self.add_class("sk-widget")
        for control, name in ((self.play, "play"), (self.slider, "step"),
                              (self.mode_menu, "mode"), (self.flip_buttons, "flip"),
                              (self.stride_box, "stride"), (self.speed, "speed")):
            control.add_class(f"sk-{name}")
        for view in (self.info, self.input_view, self.kernel_view, self.formula_view,
                     self.output_view):
            view.add_class("sk-view")
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
        """A control changed: rebuild the frames, keeping the output index where possible."""
        if self._busy:
            return
        f = self._frames
        settings = {"mode": f.mode, "flip": f.flip, "stride": f.stride, name: value}
        try:
            new = self._make_frames(f.x, f.w, **settings)
        except (TypeError, ValueError) as exc:  # never a traceback from a control
            self.info.value = self._message_html(str(exc))
            return
        keep = f.index(self._step) if f.n_steps else None
        self._install(new, new.step_of(keep) if keep and new.n_steps else 0)

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
        self.info.value = self._info_html(f)
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
        self.mode_menu.value = check_choice(value, "mode", fm.MODES)

    @property
    def flip(self) -> bool:
        """True for a convolution, False for a cross-correlation; setting it rebuilds."""
        return self._frames.flip

    @flip.setter
    def flip(self, value: bool) -> None:
        self.flip_buttons.value = fm.check_flip(value)

    @property
    def stride(self) -> int:
        """How many cells the kernel jumps (>= 1); setting it rebuilds."""
        return self._frames.stride

    @stride.setter
    def stride(self, value: int) -> None:
        value = check_int(value, "stride", 1)
        self.stride_box.max = max(self.stride_box.max, value)
        self.stride_box.value = value

    # ------------------------------------------------------------------ HTML views

    def _arrange(self) -> list[W.Widget]:
        """Lay out the four views (the 1D widget stacks them; 2D overrides)."""
        return [self.input_view, self.kernel_view, self.formula_view, self.output_view]

    def _prepare(self, f: fm.Frames) -> None:
        """Build every cell's HTML once per rebuild, so that a step only joins strings."""
        padded = np.atleast_2d(f.padded_text)
        self._ncols = padded.shape[1]
        pad = np.atleast_2d(f.is_padding)
        self._in_plain = _cells(np.where(pad, "pad", "real"), padded)
        self._in_window = _cells(np.where(pad, "winpad", "win"), padded)
        out = f.output_text
        self._out = {kind: _cells(kind, out) for kind in ("done", "now")}
        self._out["todo"] = _cells("todo", np.full(out.shape, "", dtype=object))
        self._out_cols = out.shape[-1] if out.ndim == 2 else max(out.size, 1)

    def _show(self, step: int) -> None:
        """Show ``step``: the window, the formula and the output so far (three strings)."""
        self._step, f = step, self._frames
        if f.n_steps == 0:
            self.input_view.value = self._input_html(None)
            self.formula_view.value = self.output_view.value = ""
            return
        frame = f.frame(step)
        self.input_view.value = self._input_html(frame.window)
        self.formula_view.value = ('<div style="font-family:monospace;font-size:15px;'
                                   f'padding:4px 0">{frame.formula}</div>')
        o = self._out
        cells = o["done"][:step] + [o["now"][step]] + o["todo"][step + 1:]
        self.output_view.value = self._output_html(cells)

    def _window_cells(self, window: tuple[slice, ...] | None) -> list[str]:
        """The padded input's cells with the window highlighted."""
        cells = list(self._in_plain)
        if window is not None:
            rows, cols = (window if len(window) == 2 else (slice(0, 1), window[0]))
            for r in range(rows.start, rows.stop):
                start, stop = r * self._ncols + cols.start, r * self._ncols + cols.stop
                cells[start:stop] = self._in_window[start:stop]
        return cells

    def _info_html(self, f: fm.Frames) -> str:
        turn = "reversed" if f.x.ndim == 1 else "rotated by 180°"
        what = (f"convolution: the kernel is flipped ({turn}), then slides" if f.flip
                else "cross-correlation: the kernel slides as it is")
        parts = [f"<b>{f.names[2]} = {escape(f.reference)}</b> &nbsp;({what})",
                 f'<div style="color:#333">{escape(_pad_words(f))} {escape(f.note)}</div>']
        if f.message:
            parts.append(self._message_html(f.message))
        return "".join(parts)

    @staticmethod
    def _message_html(text: str) -> str:
        return (f'<div class="sk-message" style="border-left:4px solid {VERMILLION};'
                f'padding:4px 8px;margin:4px 0;background:#FFF6E5">⚠ {escape(text)}</div>')

    def _kernel_html(self, f: fm.Frames) -> str:
        k, name = f.w, f.names[1]
        tables = [_table(_cells("kernel", np.atleast_2d(f.w_text)),
                         np.atleast_2d(k).shape[1], f"<b>{name}</b> (kernel)")]
        if f.flip:
            tables.append(_table(_cells("kernel", np.atleast_2d(f.kernel_text)),
                                 np.atleast_2d(k).shape[1], f"<b>{name}</b> flipped"))
        return "".join(tables)

    # ------------------------------------------------------------------ drawings

    def frame_figure(self, step: int | None = None):
        """A static matplotlib Figure of one frame (default: the current step).

        Made without pyplot, so a notebook shows it once, as a PNG, when it is the
        last expression of a cell; ``fig.savefig(...)`` writes it for a slide.
        """
        f = self._frames
        step = self._step if step is None else (f.check_step(step) if f.n_steps else 0)
        fig = _figure_class()()
        _Picture(fig, f).show(step)
        return fig

    def filmstrip(self, max_frames: int = 6, columns: int = 2, dpi: int = 100,
                  tile_width: float = 5.5):
        """The frames as small multiples: the static stand-in for the live widget.

        GitHub, nbviewer and exported slides cannot run Python, so each notebook shows
        this figure beside the widget. It holds up to ``max_frames`` steps, evenly
        spread, always including the first and the last, each at most ``tile_width``
        inches wide. Drawn with pyplot, so a cell ending in ``plt.show()`` displays it.
        """
        import matplotlib.pyplot as plt

        steps = _spread(self.n_steps, max_frames)
        images = [_rasterize(self.frame_figure(s), dpi) for s in steps]
        columns = min(columns, len(images))
        rows = -(-len(images) // columns)
        height, width = max(i.shape[0] for i in images), max(i.shape[1] for i in images)
        tile = min(tile_width, width / dpi)  # inches per frame; keeps the PNG light
        fig, axes = plt.subplots(rows, columns, squeeze=False,
                                 figsize=(columns * tile, rows * (tile * height / width + 0.3)))
        for ax in axes.flat:
            ax.set_axis_off()
        for ax, step, image in zip(axes.flat, steps, images, strict=False):
            ax.imshow(image)
            ax.set_title(f"step {step + 1} of {max(self.n_steps, 1)}", fontsize=9)
        fig.tight_layout()
        return fig

    def save_animation(self, path: str | Path, fps: float = 2, dpi: int = 80) -> Path:
        """Write every frame to a GIF (matplotlib's PillowWriter); return the path.

        For a notebook read without a live kernel, or for slides. Raises ``ValueError``
        when the setting is impossible (there are no frames to write).
        """
        from matplotlib.animation import PillowWriter
        from matplotlib.figure import Figure

        f = self._frames
        if not f.n_steps:
            raise ValueError(f"nothing to animate: {f.message}")
        if not isinstance(fps, int | float) or not 0 < fps <= 60:
            raise ValueError(f"fps must be a number in (0, 60]; got {fps!r}")
        path = Path(path)
        fig = Figure()
        picture, writer = _Picture(fig, f), PillowWriter(fps=fps)
        with writer.saving(fig, str(path), dpi):
            for step in range(f.n_steps):
                picture.show(step)
                writer.grab_frame()
        return path


class SlidingKernel1D(_SlidingKernel):
    """A kernel ``w`` sliding along a signal ``x``, step by step (a VBox of widgets).

    Introduced in notebook ``05_choose-valid-same-or-full``.

    The numbers are those of ``np.convolve`` (``flip=True``) or ``np.correlate``
    (``flip=False``), including NumPy's placement of even kernels in ``same`` mode
    and its swap when ``w`` is longer than ``x`` (explained in the widget; see
    :mod:`helpers.frames`). Bad input (not numeric, complex, not 1D, empty, NaN or
    inf, unknown mode, stride < 1) raises ``TypeError``/``ValueError`` naming the
    argument; every 1D setting has frames.

    Parameters
    ----------
    x, w : array_like, 1D
    mode : {'full', 'same', 'valid'}
    flip : bool
        True: convolution; False: cross-correlation.
    stride : int, >= 1
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
                 stride: int = 1) -> None:
        super().__init__(x, w, mode, flip, stride)

    def _input_html(self, window: tuple[slice, ...] | None) -> str:
        """x padded, with indices above and the applied kernel under the window."""
        f, n = self._frames, self._ncols
        left = f.pad[0][0]
        head = "".join(f"{_INDEX}{i - left if 0 <= i - left < f.x.size else ''}</td>"
                       for i in range(n))
        cells = self._window_cells(window)
        labels = [f.names[0]]
        if window is not None:
            (s,) = window
            blank = _TD["blank"] + "</td>"
            kernel = _cells("kernel", f.kernel_text)
            cells += [blank] * s.start + kernel + [blank] * (n - s.stop)
            labels.append(f"{f.names[1]} flipped" if f.flip else f.names[1])
        return _table(cells, n, "", labels, f"<tr><th></th>{head}</tr>")

    def _output_html(self, cells: list[str]) -> str:
        head = "".join(f"{_INDEX}{i}</td>" for i in range(len(cells)))
        return _table(cells, len(cells), "", [self._frames.names[2]],
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
                 stride: int = 1) -> None:
        super().__init__(a, k, mode, flip, stride)

    def _arrange(self) -> list[W.Widget]:
        grids = W.HBox([self.input_view, self.kernel_view, self.output_view],
                       layout=W.Layout(flex_flow="row wrap", align_items="flex-start"))
        return [grids, self.formula_view]

    def _input_html(self, window: tuple[slice, ...] | None) -> str:
        return _table(self._window_cells(window), self._ncols,
                      f"<b>{self._frames.names[0]}</b> (input)")

    def _output_html(self, cells: list[str]) -> str:
        return _table(cells, self._out_cols, f"<b>{self._frames.names[2]}</b> (output)")


# ---------------------------------------------------------------------- matplotlib

_CELL_INCH, _MAX_WIDTH = 0.45, 12.0  # inches: one cell, and the widest figure (slides)


@functools.cache
def _figure_class() -> type:
    """A matplotlib Figure that shows itself as a PNG in Jupyter, even without pyplot."""
    from matplotlib.figure import Figure

    class FrameFigure(Figure):
        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png")
            return buffer.getvalue()

    return FrameFigure


def _layout(f: fm.Frames) -> list[tuple[str, float, float, str]]:
    """Where each grid goes, in cell units: (what, x, y, label). 1D stacks, 2D goes across."""
    parts = [("input", f.padded, f.names[0]), ("w", f.w, f.names[1])]
    if f.flip:
        parts.append(("flipped", f.kernel, f"{f.names[1]} flipped"))
    parts.append(("output", f.output if f.output.size else np.zeros((1, 1)), f.names[2]))
    placed, at = [], 0.0
    for what, array, label in parts:
        rows, cols = np.atleast_2d(array).shape
        placed.append((what, at, 0.0, label) if f.x.ndim == 2 else (what, 0.0, at, label))
        at += (cols if f.x.ndim == 2 else rows) + (1.5 if f.x.ndim == 2 else 1.0)
    return placed


def _limits(f: fm.Frames) -> tuple[float, float, float, float]:
    """Data limits (left, right, top, bottom) around all grids, in cells; at least 15 wide."""
    what, x, y, _ = _layout(f)[-1]
    sizes = [np.atleast_2d(a).shape for a in (f.padded, f.w, f.output if f.output.size else [0])]
    if f.x.ndim == 2:
        right, bottom = x + sizes[2][1], max(r for r, _ in sizes)
    else:
        right, bottom = max(c for _, c in sizes), y + 1
    return -0.5, max(right + 0.5, 15.5), -0.8, bottom + 0.2


def _caption(f: fm.Frames, step: int, width: int) -> str:
    """The formula (or the message), wrapped to ``width`` characters."""
    return textwrap.fill(f.frame(step).formula if f.n_steps else f.message, width)


def _figure_size(f: fm.Frames) -> tuple[float, float, int, float]:
    """Figure width and height (inches), text lines reserved below, and the cell size."""
    left, right, top, bottom = _limits(f)
    cell = min(_CELL_INCH, _MAX_WIDTH / (right - left))
    width = cell * (right - left)
    steps = range(f.n_steps) if f.n_steps else [0]
    lines = max(_caption(f, s, int(width / 0.085)).count("\n") + 1 for s in steps)
    return width, cell * (bottom - top) + 0.45 + 0.2 * lines, lines, cell


class _Picture:
    """The frames drawn with matplotlib: built once, then :meth:`show` updates one step.

    Shared by 1D and 2D (1D is a 1×n grid). Cells are patch collections, so a step
    only recolours cells, rewrites the output texts and moves two outlines.
    """

    def __init__(self, fig: Any, f: fm.Frames) -> None:
        from matplotlib.patches import Rectangle
        from matplotlib.transforms import Affine2D

        left, right, top, bottom = _limits(f)
        width, height, lines, cell = _figure_size(f)
        self.f, self.wrap, self.size = f, int(width / 0.085), 20 * cell  # 9 pt in 0.45" cells
        self.shift, self.fills, self.texts = Affine2D(), {}, {}
        fig.set_size_inches(width, height)
        below = (0.1 + 0.2 * lines) / height
        ax = fig.add_axes((0, below, 1, 1 - below - 0.35 / height), xlim=(left, right),
                          ylim=(bottom, top))
        ax.set_axis_off()
        self.origin = {what: (x0, y0) for what, x0, y0, _ in _layout(f)}
        for what, x0, y0, label in _layout(f):
            self._grid(ax, what, x0, y0, label)
        kernel_rows, kernel_cols = np.atleast_2d(f.kernel).shape
        self.window = ax.add_patch(Rectangle((0, 0), kernel_cols, kernel_rows, fill=False,
                                             linewidth=3, zorder=3))
        self.now = ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, linewidth=3, zorder=3))
        self.caption = fig.text(0.01, 0.1 / height, "", fontsize=10, family="monospace",
                                va="bottom")
        fig.text(0.01, 1 - 0.1 / height, f"{f.names[2]} = {f.reference}", fontsize=10, va="top")

    def _grid(self, ax: Any, what: str, x0: float, y0: float, label: str) -> None:
        """Cells (one patch collection), their numbers, a label, and hatching on padding."""
        import matplotlib as mpl
        from matplotlib.collections import PatchCollection
        from matplotlib.patches import Rectangle

        f = self.f
        texts, kinds = self._content(what, f.frame(0) if f.n_steps else None, 0)
        slides = f.x.ndim == 1 and what == ("flipped" if f.flip else "w")
        move = self.shift + ax.transData if slides else ax.transData  # 1D: under the window
        ax.text(x0, y0 - 0.1, label, fontsize=self.size + 1, fontweight="bold", va="bottom",
                transform=move)
        cells = list(np.ndindex(texts.shape))
        rects = [Rectangle((x0 + c, y0 + r), 1, 1) for r, c in cells]
        self.fills[what] = ax.add_collection(PatchCollection(
            rects, facecolor=[KINDS[k][0] for k in kinds.flat], linewidth=0.8, zorder=1,
            edgecolor=GREEN if what in ("w", "flipped") else "#888888", transform=move))
        pad = (np.atleast_2d(f.is_padding) if what == "input" else np.zeros(texts.shape, bool))
        self.texts[what] = [
            ax.text(x0 + c + 0.5, y0 + r + 0.5, texts[r, c], ha="center", va="center",
                    fontsize=self.size, color="#333" if pad[r, c] else "#000", zorder=4,
                    fontstyle="italic" if pad[r, c] else "normal", transform=move)
            for r, c in cells]
        if pad.any():
            with mpl.rc_context({"hatch.color": "#FFFFFF"}):  # white stripes on padding
                ax.add_collection(PatchCollection(
                    [rect for rect, p in zip(rects, pad.flat, strict=True) if p], zorder=2,
                    facecolor="none", edgecolor="#FFFFFF", linewidth=0, hatch="///"))

    def _content(self, what: str, frame: fm.Frame | None, step: int) -> tuple:
        """Texts and kinds (2D arrays) of one grid at one step."""
        f = self.f
        if what == "input":
            return _input_kinds(f, frame)
        if what == "output":
            return _output_kinds(f, step)
        texts = np.atleast_2d(f.w_text if what == "w" else f.kernel_text)
        return texts, np.full(texts.shape, "kernel", dtype=object)

    def show(self, step: int) -> None:
        """Recolour the input and output, refill the output, move the outlines."""
        f = self.f
        frame = f.frame(step) if f.n_steps else None
        for what in ("input", "output"):
            texts, kinds = self._content(what, frame, step)
            self.fills[what].set_facecolor([KINDS[k][0] for k in kinds.flat])
        for text, value in zip(self.texts["output"], texts.flat, strict=True):
            text.set_text(value)
        self.window.set_visible(frame is not None)
        self.now.set_visible(frame is not None)
        if frame is not None:  # 1D is row 0 of a 1×n grid
            wr, wc = [0, *(s.start for s in frame.window)][-2:]
            orow, ocol = [0, *frame.index][-2:]
            x0, y0 = self.origin["input"]
            self.window.set_xy((x0 + wc, y0 + wr))
            x0, y0 = self.origin["output"]
            self.now.set_xy((x0 + ocol, y0 + orow))
            self.shift.clear().translate(wc, 0)
        self.caption.set_text(_caption(f, step, self.wrap))


def _input_kinds(f: fm.Frames, frame: fm.Frame | None) -> tuple[np.ndarray, np.ndarray]:
    """Texts and kinds of the padded input: real, pad, and the window over them."""
    pad = np.atleast_2d(f.is_padding)
    kinds = np.where(pad, "pad", "real").astype(object)
    if frame is not None:
        window = frame.window if f.x.ndim == 2 else (slice(0, 1), frame.window[0])
        kinds[window] = np.where(pad[window], "winpad", "win")
    return np.atleast_2d(f.padded_text), kinds


def _output_kinds(f: fm.Frames, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Texts and kinds of the output so far: done, now, todo (blank)."""
    if not f.n_steps:
        return np.full((1, 1), "", dtype=object), np.full((1, 1), "todo", dtype=object)
    order = np.arange(f.n_steps).reshape(np.atleast_2d(f.output).shape)
    kinds = np.where(order < step, "done", np.where(order == step, "now", "todo"))
    texts = np.where(order <= step, np.atleast_2d(f.output_text), "")
    return texts.astype(object), kinds.astype(object)


def _spread(n_steps: int, most: int) -> list[int]:
    """Up to ``most`` step numbers spread evenly over ``n_steps``, first and last included.

    >>> _spread(9, 4)
    [0, 3, 5, 8]
    >>> _spread(0, 4)
    [0]
    """
    if n_steps <= most:
        return list(range(max(n_steps, 1)))
    return [int(v) for v in np.linspace(0, n_steps - 1, most).round()]


def _rasterize(fig: Any, dpi: int) -> np.ndarray:
    """A Figure as an RGBA image array, without showing it."""
    from matplotlib.image import imread

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    buffer.seek(0)
    image = imread(buffer)
    ink = np.argwhere(image[..., :3].min(axis=-1) < 0.98)  # crop the white margins
    if not ink.size:
        return image
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    margin = 6
    return image[max(top - margin, 0):bottom + margin, max(left - margin, 0):right + margin]
