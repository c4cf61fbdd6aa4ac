"""The sliding-kernel frames drawn with matplotlib: one frame, a filmstrip, a GIF.

Introduced with the widgets in notebook ``03_slide-a-kernel-over-an-image``: GitHub,
nbviewer and printed notes cannot run a player, so the notebooks show a filmstrip of
the frames beside it. Importing this module does not import matplotlib; each function
imports it when called.
"""

from __future__ import annotations

import functools
import io
import numbers
import textwrap
from pathlib import Path
from typing import Any

import numpy as np

from helpers.checks import check_int
from helpers.widgets import frames as fm
from helpers.widgets.player import GREEN, KINDS

_CELL_INCH, _MAX_WIDTH = 0.45, 12.0  # inches: one cell, and the widest figure (slides)


@functools.cache
def _figure_class() -> type:
    """A matplotlib Figure that shows itself in Jupyter, even without pyplot.

    Jupyter shows it as an ``<img>`` at twice its resolution with :attr:`alt` (the step
    and its formula) as the text alternative, like :func:`helpers.notebook.show`.
    """
    from matplotlib.figure import Figure

    class FrameFigure(Figure):
        alt = "One step of a kernel sliding over an input."

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png")
            return buffer.getvalue()

        def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
            from helpers.notebook import figure_html

            return {"text/html": figure_html(self, self.alt), "text/plain": self.alt}

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


def _positive(value: Any, name: str) -> float:
    """``value`` as a float > 0, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number > 0; got {value!r}")
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a number > 0; got {value!r}")
    return float(value)


def frame_figure(f: fm.Frames, step: int):
    """A static Figure of one frame (``step`` already checked by the caller)."""
    fig = _figure_class()()
    with np.errstate(all="ignore"):
        _Picture(fig, f).show(step)
    what = (f"Step {step + 1} of {f.n_steps}: {f.frame(step).formula}" if f.n_steps
            else f.message)
    fig.alt = f"The kernel over the input and the output so far. {what}"
    return fig


def filmstrip(f: fm.Frames, max_frames: int = 6, columns: int = 2, dpi: int = 100,
              tile_width: float = 5.5):
    """The frames as small multiples: the static stand-in for the player.

    Up to ``max_frames`` steps (>= 1), evenly spread, always including the first and
    the last, in ``columns`` (>= 1) columns, each at most ``tile_width`` inches wide.
    Drawn with pyplot, so a cell ending in ``plt.show()`` displays it.
    """
    import matplotlib.pyplot as plt

    max_frames, columns = check_int(max_frames, "max_frames", 1), check_int(columns, "columns", 1)
    dpi, tile_width = _positive(dpi, "dpi"), _positive(tile_width, "tile_width")
    steps = _spread(f.n_steps, max_frames)
    images = [_rasterize(frame_figure(f, s), dpi) for s in steps]
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
        ax.set_title(f"step {step + 1} of {max(f.n_steps, 1)}", fontsize=9)
    fig.tight_layout()
    return fig


def save_animation(f: fm.Frames, path: str | Path, fps: float = 2, dpi: int = 80) -> Path:
    """Write every frame to a GIF (matplotlib's PillowWriter); return the path.

    Raises ``ValueError`` when the setting is impossible (there are no frames to write),
    and for ``fps`` outside (0, 60] or ``dpi`` < 1.
    """
    from matplotlib.animation import PillowWriter
    from matplotlib.figure import Figure

    if not f.n_steps:
        raise ValueError(f"nothing to animate: {f.message}")
    if isinstance(fps, bool) or not isinstance(fps, numbers.Real) or not 0 < fps <= 60:
        raise ValueError(f"fps must be a number in (0, 60]; got {fps!r}")
    dpi = check_int(dpi, "dpi", 1)
    path = Path(path)
    fig = Figure()
    picture, writer = _Picture(fig, f), PillowWriter(fps=fps)
    with writer.saving(fig, str(path), dpi), np.errstate(all="ignore"):
        for step in range(f.n_steps):
            picture.show(step)
            writer.grab_frame()
    return path
