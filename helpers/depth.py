"""Pictures and byte counts for a convolution's depth and its im2col matrix.

Introduced in notebook ``04_decide-dot-product-or-elementwise``: a small matrix drawn
with its numbers (:func:`draw_matrix`), the im2col matrix with one window outlined
(:func:`draw_im2col`), and the memory im2col costs, computed from shapes alone
(:func:`im2col_nbytes`). The math itself lives in :mod:`helpers.conv`.

matplotlib is imported only inside the drawing functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from helpers.conv import output_size

__all__ = ["draw_im2col", "draw_matrix", "im2col_nbytes", "im2col_row_labels"]


def im2col_nbytes(x_shape: Sequence[int], kh: int, kw: int, stride: int = 1,
                  padding: int = 0, itemsize: int = 8) -> int:
    """Bytes that ``im2col(x, kh, kw, stride, padding)`` needs, computed from the shapes.

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

    The matrix has ``C*kh*kw`` rows and ``N*out_h*out_w`` columns, so nothing needs to
    be allocated to know its size.

    Parameters
    ----------
    x_shape : (N, C, H, W)
    kh, kw : int
        Kernel height and width.
    stride, padding : int
        As in :func:`helpers.conv.im2col`.
    itemsize : int
        Bytes per number: 8 for float64 (NumPy's default), 4 for float32.

    Examples
    --------
    A 3×3 layer of ResNet-50 (64 channels, 56×56, padding 1), batch of 32, float32:

    >>> im2col_nbytes((32, 64, 56, 56), 3, 3, stride=1, padding=1, itemsize=4)
    231211008
    >>> 32 * 64 * 56 * 56 * 4  # the input itself: 9 times less
    25690112
    """
    if len(x_shape) != 4:
        raise ValueError(f"x_shape must be (N, C, H, W); got {tuple(x_shape)}")
    n, c, h, w = (int(d) for d in x_shape)
    if min(n, c, h, w) < 1 or itemsize < 1:
        raise ValueError(f"x_shape entries and itemsize must be >= 1; got {tuple(x_shape)}, "
                         f"itemsize={itemsize}")
    oh, ow = output_size(h, kh, padding, stride), output_size(w, kw, padding, stride)
    return c * kh * kw * n * oh * ow * int(itemsize)


def im2col_row_labels(c: int, kh: int, kw: int) -> list[str]:
    """Names of the rows of ``im2col``: channel, then kernel offset (row, column).

    The order is that of ``w.reshape(F, -1)`` for ``w`` of shape ``(F, C, kh, kw)``.

    Examples
    --------
    >>> im2col_row_labels(2, 1, 2)
    ['c0 (0,0)', 'c0 (0,1)', 'c1 (0,0)', 'c1 (0,1)']
    """
    return [f"c{ch} ({u},{v})" for ch in range(c) for u in range(kh) for v in range(kw)]


def _cell_text(ax: Any, a: np.ndarray, fmt: str, fontsize: float) -> None:
    """Write each value in its cell, dark on light cells and light on dark ones."""
    lo, hi = float(np.min(a)), float(np.max(a))
    mid = (lo + hi) / 2
    for (r, c), v in np.ndenumerate(a):
        color = "black" if v >= mid and hi > lo else "white"
        ax.text(c, r, fmt.format(v), ha="center", va="center", color=color, fontsize=fontsize)


def _outline(ax: Any, r0: int, c0: int, h: int, w: int, color: str, label: str = "") -> None:
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), w, h, fill=False, edgecolor=color,
                           linewidth=3, linestyle="--", label=label or None))


def draw_matrix(ax: Any, a: Any, title: str = "", highlight: tuple[int, int, int, int] | None = None,
                fmt: str = "{:g}", fontsize: float = 11, color: str = "#D55E00") -> Any:
    """Draw a small matrix as a heat map with every value written in its cell.

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

    Parameters
    ----------
    ax : matplotlib Axes
    a : array_like, 2D
    title : str
    highlight : (row, col, height, width), optional
        A window to outline with a thick dashed border (not colour alone).
    fmt : str
        Format of the numbers, e.g. ``"{:g}"`` or ``"{:.1f}"``.

    Returns
    -------
    The ``AxesImage``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> im = draw_matrix(ax, [[1, 0], [0, 1]], "identity", highlight=(0, 0, 1, 1))
    >>> [t.get_text() for t in ax.texts]
    ['1', '0', '0', '1']
    >>> plt.close(fig)
    """
    a = np.asarray(a)
    if a.ndim != 2:
        raise ValueError(f"a must be 2D; got shape {a.shape}")
    im = ax.imshow(a, cmap="cividis")
    _cell_text(ax, a, fmt, fontsize)
    ax.set_xticks(range(a.shape[1]))
    ax.set_yticks(range(a.shape[0]))
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title(title)
    if highlight is not None:
        _outline(ax, *highlight, color=color)
    return im


def draw_im2col(ax: Any, cols: Any, column: int | None = None, row_labels: Sequence[str] = (),
                title: str = "X_col = im2col(x): one window per column",
                fontsize: float = 7, color: str = "#D55E00") -> Any:
    """Draw an im2col matrix with its numbers and one column (one window) outlined.

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

    Parameters
    ----------
    ax : matplotlib Axes
    cols : array_like, 2D, shape (C*kh*kw, number of windows)
    column : int, optional
        The window to outline and name in the legend.
    row_labels : sequence of str, optional
        One label per row, e.g. from :func:`im2col_row_labels`.

    Returns
    -------
    The ``AxesImage``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from helpers.conv import im2col
    >>> cols = im2col(np.arange(9).reshape(1, 1, 3, 3), 2, 2)
    >>> fig, ax = plt.subplots()
    >>> im = draw_im2col(ax, cols, column=1, row_labels=im2col_row_labels(1, 2, 2))
    >>> len(ax.texts), ax.get_legend().get_texts()[0].get_text()
    (16, 'column 1 = window 1')
    >>> plt.close(fig)
    """
    cols = np.asarray(cols)
    if cols.ndim != 2:
        raise ValueError(f"cols must be 2D; got shape {cols.shape}")
    im = ax.imshow(cols, cmap="cividis", aspect="auto")
    _cell_text(ax, cols, "{:g}", fontsize)
    ax.set_xticks(range(cols.shape[1]))
    ax.set_xlabel("column = one window (output position)")
    if len(row_labels):
        if len(row_labels) != cols.shape[0]:
            raise ValueError(f"row_labels has {len(row_labels)} entries; cols has "
                             f"{cols.shape[0]} rows")
        ax.set_yticks(range(cols.shape[0]), row_labels, fontsize=fontsize)
    ax.set_ylabel("row = channel, kernel offset")
    ax.set_title(title)
    if column is not None:
        _outline(ax, 0, column, cols.shape[0], 1, color, f"column {column} = window {column}")
        ax.legend(loc="upper right", bbox_to_anchor=(1.0, 1.12), fontsize=8, frameon=False)
    return im
