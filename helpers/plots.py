"""Figures for the notebooks: the 3-4-2 diagram, a decision boundary, number grids.

Introduced in notebooks ``01_multiply-through-a-3-4-2-network`` (:func:`draw_network`),
``02_backpropagate-with-the-hadamard-product`` (:func:`plot_decision_boundary`) and
``03_slide-a-kernel-over-an-image`` (:func:`show_numbers`).

Only notebooks import this module. matplotlib is imported inside the functions, so
``import helpers.plots`` stays cheap. Colours come from the Okabe–Ito palette, and a
second cue (marker shape, line style or a text label) always goes with them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers.conv import output_size
from helpers.notebook import OKABE_ITO

BLUE, ORANGE, GREEN, VERMILLION = OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[3]
CLASS_STYLE = ((VERMILLION, "^"), (BLUE, "o"))  # class 0, class 1: colour and marker
GAP = 2.2  # horizontal distance between layers in draw_network
HATCHES = ("//", None)  # class 0 regions are hatched, so colour is not the only cue


def _layer_y(n: int) -> np.ndarray:
    """Vertical positions of n nodes, centred on 0, one unit apart (top node first)."""
    return (n - 1) / 2 - np.arange(n)


def draw_network(ax: Any, sizes: Sequence[int] = (3, 4, 2),
                 highlight: tuple[int, int] | None = (2, 3)) -> Any:
    """Draw a fully connected n_in-n_h-n_out network with its weight matrices labelled.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Nodes are circles named x_i, h_j and ŷ_k; every connection is a line. The bundle
    between input and hidden layer is labelled ``W (3×4)``, the next one ``V (4×2)``.
    One input-to-hidden line is drawn thick and dashed, and labelled w_ij, to show
    which index is which: w_ij connects input i to hidden unit j (row i, column j of W).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    sizes : (n_in, n_h, n_out), default (3, 4, 2)
    highlight : (i, j) or None, default (2, 3)
        The weight w_ij to emphasise (1-based, as in the formulas), or None.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``, with the axis frame turned off.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = draw_network(ax)
    >>> sorted(t.get_text() for t in ax.texts if t.get_text()[:1] in "WV")
    ['V (4×2)', 'W (3×4)']
    >>> plt.close(fig)
    """
    from matplotlib.patches import Circle

    n_in, n_h, n_out = sizes
    ys = [_layer_y(n) for n in sizes]
    xs = (0.0, GAP, 2 * GAP)
    for layer in (0, 1):
        for i, y0 in enumerate(ys[layer]):
            for j, y1 in enumerate(ys[layer + 1]):
                on = layer == 0 and highlight == (i + 1, j + 1)
                ax.plot([xs[layer], xs[layer + 1]], [y0, y1], color=ORANGE if on else "0.65",
                        lw=2.5 if on else 0.8, ls="--" if on else "-", zorder=1)
    names = ("x", "h", r"\hat{y}")
    for x, name, y in zip(xs, names, ys, strict=True):
        for i, y0 in enumerate(y):
            ax.add_patch(Circle((x, y0), 0.28, facecolor="white", edgecolor=BLUE, lw=1.5,
                                zorder=2))
            ax.text(x, y0, rf"${name}_{i + 1}$", ha="center", va="center", zorder=3)
    top = max(n_in, n_h, n_out) / 2
    for layer, label in enumerate((f"W ({n_in}×{n_h})", f"V ({n_h}×{n_out})")):
        ax.text((xs[layer] + xs[layer + 1]) / 2, top + 0.1, label, ha="center", fontsize=12,
                fontweight="bold")
    captions = (f"input\nx\n1×{n_in}", f"hidden\nh = σ(h′)\n1×{n_h}",
                f"output\nŷ = σ(y′)\n1×{n_out}")
    for x, caption in zip(xs, captions, strict=True):
        ax.text(x, -top - 0.05, caption, ha="center", va="top", fontsize=10)
    if highlight is not None:
        i, j = highlight
        t = 0.5  # label the highlighted line at its middle
        ax.text(t * GAP, (1 - t) * ys[0][i - 1] + t * ys[1][j - 1] + 0.12,
                rf"$w_{{{i}{j}}}$", ha="center", va="bottom", fontsize=12, zorder=4,
                bbox={"facecolor": "white", "edgecolor": ORANGE, "boxstyle": "round,pad=0.2"})
    ax.set_xlim(-0.5, 2 * GAP + 0.5)
    ax.set_ylim(-top - 1.3, top + 0.6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return ax


def plot_decision_boundary(ax: Any, predict: Callable[[np.ndarray], np.ndarray],
                           X: Any, labels: Any, class_names: Sequence[str] = ("0", "1"),
                           feature_names: Sequence[str] = ("feature 1", "feature 2"),
                           resolution: int = 200, margin: float = 0.5) -> Any:
    """Shade where ``predict`` says class 0 or 1 on a 2D grid, and scatter the points.

    The class-0 region is also hatched and the boundary drawn as a black line, so the
    figure reads without colour; points differ in marker as well as colour.

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    predict : callable
        Maps an array of shape (k, 2) (grid points) to k class labels 0 or 1. To look at
        a 2D slice of a 3-feature model, fix the third feature inside ``predict``.
    X : array_like, shape (m, 2)
        The points to scatter (they also set the plotted range, plus ``margin``).
    labels : array_like of int, shape (m,)
        True class of each point: class 0 is drawn as triangles, class 1 as circles.
    class_names, feature_names : pairs of str
        Legend entries and axis labels.
    resolution : int, default 200
        Grid points per axis.
    margin : float, default 0.5
        Extra space around the points, in data units.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    >>> ax = plot_decision_boundary(ax, lambda P: (P[:, 0] > 0).astype(int), X, [0, 1])
    >>> ax.get_xlabel(), [t.get_text() for t in ax.get_legend().get_texts()]
    ('feature 1', ['0 (true)', '1 (true)', 'predicted 0', 'predicted 1'])
    >>> plt.close(fig)
    """
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    if X.ndim != 2 or X.shape[1] != 2 or labels.shape != (X.shape[0],):
        raise ValueError(f"X must have shape (m, 2) and labels shape (m,); got {X.shape} "
                         f"and {labels.shape}")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution),
                         np.linspace(lo[1], hi[1], resolution))
    Z = np.asarray(predict(np.column_stack([g0.ravel(), g1.ravel()]))).reshape(g0.shape)
    from matplotlib.patches import Patch

    colours = [CLASS_STYLE[0][0], CLASS_STYLE[1][0]]
    ax.contourf(g0, g1, Z, levels=[-0.5, 0.5, 1.5], colors=colours, alpha=0.18,
                hatches=HATCHES)
    if Z.min() != Z.max():
        ax.contour(g0, g1, Z, levels=[0.5], colors="black", linewidths=1.5)
    handles = []
    for k, (colour, marker) in enumerate(CLASS_STYLE):
        rows = labels == k
        handles.append(ax.scatter(X[rows, 0], X[rows, 1], s=14, c=colour, marker=marker,
                                  alpha=0.8, label=f"{class_names[k]} (true)",
                                  edgecolors="none"))
    for k, colour in enumerate(colours):
        handles.append(Patch(facecolor=colour, alpha=0.25, hatch=HATCHES[k],
                             label=f"predicted {class_names[k]}"))
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.9)
    return ax


def _cell_grid(ax: Any, rows: int, cols: int) -> None:
    """Grey lines between the cells of a rows×cols image, ticks on the cell centres."""
    ax.set_xticks(np.arange(cols + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="grey", linewidth=0.8)
    ax.tick_params(which="minor", length=0)
    ax.set(xticks=range(cols), yticks=range(rows), xlabel="column", ylabel="row")


def show_numbers(ax: Any, M: Any, title: str, lit: Any = None, pad: int = 0,
                 fmt: str = "{:g}", size: float = 11) -> Any:
    """Draw a 2D array as a grid of its numbers: windows, kernels, padded images.

    Introduced in notebook ``03_slide-a-kernel-over-an-image``. Cells where ``lit`` is
    nonzero are orange *and* bold; a frame of ``pad`` cells is grey, hatched and italic,
    with a thick line around the real cells. So colour is never the only cue.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> window, K = np.array([[1, 1, 1], [0, 1, 1], [0, 0, 1]]), np.eye(3, dtype=int)
    >>> ax = show_numbers(ax, window * K, "window ∘ K", lit=window * K)
    >>> [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    ['1', '1', '1']
    >>> plt.close(fig)
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Rectangle

    M = np.asarray(M)
    rows, cols = M.shape
    on = np.zeros(M.shape, bool) if lit is None else np.asarray(lit, bool)
    is_pad = np.ones(M.shape, bool)
    is_pad[pad:rows - pad, pad:cols - pad] = False
    ax.imshow(np.where(on, 2, is_pad), vmin=0, vmax=2,
              cmap=ListedColormap(["white", "#E4E4E4", ORANGE]))
    for i, j in np.argwhere(is_pad):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="//",
                               edgecolor="#AAAAAA", linewidth=0))
    if pad:  # a thick frame around the real cells
        ax.add_patch(Rectangle((pad - 0.5, pad - 0.5), cols - 2 * pad, rows - 2 * pad,
                               fill=False, linewidth=2))
    for (i, j), value in np.ndenumerate(M):
        ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=size,
                fontweight="bold" if on[i, j] else "normal",
                fontstyle="italic" if is_pad[i, j] else "normal")
    _cell_grid(ax, rows, cols)
    ax.set_title(title, fontsize=10)
    return ax


# --- notebook 03: the filter gallery ---


def _kernel_texts(k: np.ndarray) -> tuple[np.ndarray, str]:
    """Labels that fit a kernel's cells: integers as they are, 1/n, or ×1000 rounded."""
    if np.allclose(k, np.round(k)):
        return np.round(k).astype(int).astype(str), ""
    if np.allclose(k, k.flat[0]):
        return np.full(k.shape, f"1/{round(1 / k.flat[0])}"), ""
    return np.round(k * 1000).astype(int).astype(str), " (×1000)"


def draw_filter_gallery(image: Any, kernels: dict[str, Any], rows: slice,
                        cols: slice) -> Any:
    """Each kernel's weights (top row) above its output on a crop of ``image`` (bottom row).

    Introduced in notebook ``03_slide-a-kernel-over-an-image``. The outputs are the
    "valid" correlation of a slightly larger patch, so every panel shows exactly the
    pixels ``image[rows, cols]``, each drawn as a square (no smoothing), which keeps a
    3×3 blur visible. Kernels whose weights sum to 0 (edge detectors) give signed
    outputs, drawn on a grey scale centred on 0; the others on black 0 to white 1.

    Parameters
    ----------
    image : array_like, 2D, values in [0, 1]
    kernels : dict of name -> 2D array (odd sizes)
    rows, cols : slice
        The crop, in image coordinates, at least half a kernel from the border.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from helpers.kernels import box_blur
    >>> fig = draw_filter_gallery(np.eye(12), {"box blur": box_blur(3)}, slice(2, 8), slice(2, 8))
    >>> [t.get_text() for t in fig.axes[0].texts][:2], fig.axes[1].get_title()
    (['1/9', '1/9'], 'box blur')
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from helpers.conv import correlate2d

    image = np.asarray(image, dtype=np.float64)
    fig, axes = plt.subplots(2, len(kernels), figsize=(2.1 * len(kernels), 4.6), squeeze=False)
    for (name, k), ax_k, ax_img in zip(kernels.items(), axes[0], axes[1], strict=True):
        k = np.asarray(k, dtype=np.float64)
        texts, scale = _kernel_texts(k)
        show_numbers(ax_k, texts, f"{name}{scale}", fmt="{}", size=13 if k.shape[0] < 5 else 10)
        h = k.shape[0] // 2
        patch = image[rows.start - h:rows.stop + h, cols.start - h:cols.stop + h]
        out = correlate2d(patch, k, "valid")
        signed = bool(np.isclose(k.sum(), 0))  # an edge detector: output around 0
        lim = np.abs(out).max() if signed else 1.0
        ax_img.imshow(out, cmap="gray", vmin=-lim if signed else 0.0, vmax=lim,
                      interpolation="nearest")
        ax_img.set_title(name + (" (grey = 0)" if signed else ""), fontsize=11)
        ax_img.set_axis_off()
        ax_k.set(xticks=[], yticks=[], xlabel="", ylabel="")
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.94, wspace=0.12, hspace=0.18)
    return fig


# --- notebook 04: im2col, drawn and sized ---

def im2col_nbytes(x_shape: Sequence[int], kh: int, kw: int, stride: int = 1,
                  padding: int = 0, itemsize: int = 8) -> int:
    """Bytes that ``im2col(x, kh, kw, stride, padding)`` needs, computed from the shapes.

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

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

    Introduced in notebook ``04_decide-dot-product-or-elementwise``.

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


# --- notebooks 01-02 ---

#: The forward chain of the 3-4-2 network: (operation, tensor after it, its shape).
GRAPH_STEPS = (("$\\cdot W + b_1$", "$Z_h$", "m×4"), ("$\\sigma$", "$H$", "m×4"),
               ("$\\cdot V + b_2$", "$Z_y$", "m×2"), ("$\\sigma$", "$\\hat Y$", "m×2"),
               ("cost", "$C$", "scalar"))
#: What flows back along each edge, right to left (the gradient of C for that tensor).
GRAPH_GRADS = ("$\\delta_{hid} = \\partial C/\\partial H \\odot \\sigma'(Z_h)$",
               "$\\partial C/\\partial H = \\delta_{out} V^\\top$",
               "$\\delta_{out} = \\partial C/\\partial \\hat Y \\odot \\sigma'(Z_y)$",
               "$\\partial C/\\partial \\hat Y = (\\hat Y - Y)/m$",
               "$\\partial C/\\partial C = 1$")
#: Parameters: (operation index, name and shape, gradient and shape).
GRAPH_PARAMS = ((0, "$W$ (3×4), $b_1$ (4,)",
                 "$\\partial C/\\partial W = X^\\top \\delta_{hid}$ (3×4)\n"
                 "$\\partial C/\\partial b_1 = \\sum_n \\delta_{hid}$ (4,)"),
                (2, "$V$ (4×2), $b_2$ (2,)",
                 "$\\partial C/\\partial V = H^\\top \\delta_{out}$ (4×2)\n"
                 "$\\partial C/\\partial b_2 = \\sum_n \\delta_{out}$ (2,)"))


def _graph_arrow(ax: Any, start: tuple[float, float], end: tuple[float, float],
                 colour: str, dashed: bool = False) -> None:
    ax.annotate("", xy=end, xytext=start, arrowprops={
        "arrowstyle": "-|>", "color": colour, "lw": 1.6, "ls": "--" if dashed else "-"})


def draw_backward_graph(ax: Any) -> Any:
    """Draw the 3-4-2 network as a computational graph: shapes forward, gradients back.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``.

    Operations are boxes; every edge is labelled with the tensor it carries and its
    shape (for a batch of m rows). Solid black arrows run forward, above the chain;
    dashed orange arrows run back, below it, labelled with the gradient of the cost that
    flows along them. The parameters enter from above, and their gradients leave
    upwards, in the Aᵀδ form of the notebook.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax = draw_backward_graph(ax)
    >>> sum("m×4" in t.get_text() for t in ax.texts)   # Z_h and H, forward and back
    4
    >>> plt.close(fig)
    """
    xs = 2.4 * np.arange(len(GRAPH_STEPS)) + 1.2          # operation boxes
    ax.text(0, 0.42, "$X$ (m×3)", ha="center", fontsize=10)
    for k, (op, name, shape) in enumerate(GRAPH_STEPS):
        ax.text(xs[k], 0, op, ha="center", va="center", fontsize=11,
                bbox={"boxstyle": "round", "fc": "#F2F2F2", "ec": "black"})
        _graph_arrow(ax, (xs[k] - 1.9 if k else -0.3, 0.2), (xs[k] - 0.5, 0.2), "black")
        ax.text(xs[k] + 1.2, 0.42, f"{name} ({shape})", ha="center", fontsize=10)
        _graph_arrow(ax, (xs[k] + 1.9, -0.2), (xs[k] + 0.5, -0.2), ORANGE, dashed=True)
        ax.text(xs[k] + 1.2, -0.45 - 0.4 * (k % 2), f"{GRAPH_GRADS[k]} ({shape})",
                ha="center", va="top", fontsize=9, color="#8A4F00")
    _graph_arrow(ax, (xs[-1] + 0.5, 0.2), (xs[-1] + 1.9, 0.2), "black")
    for k, name, grad in GRAPH_PARAMS:
        ax.text(xs[k] - 0.35, 1.55, name, ha="right", fontsize=10)
        _graph_arrow(ax, (xs[k] - 0.15, 1.45), (xs[k] - 0.15, 0.35), "black")
        _graph_arrow(ax, (xs[k] + 0.15, 0.35), (xs[k] + 0.15, 1.45), ORANGE, dashed=True)
        ax.text(xs[k] + 0.35, 1.05, grad, ha="left", va="bottom", fontsize=9, color="#8A4F00")
    ax.set_xlim(-0.9, xs[-1] + 2.2)
    ax.set_ylim(-1.4, 2.2)
    ax.axis("off")
    return ax


# --- notebooks 05-06 ---


def draw_tied_matrix(ax: Any, M: Any, w: Sequence[float], title: str) -> Any:
    """Draw the matrix of a convolution: each entry coloured by the kernel weight it holds.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``. Every cell shows
    its value (colour is never the only cue); the entries that hold no weight are grey
    zeros, labelled "not a parameter" in the legend. Assumes distinct, non-zero weights.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = draw_tied_matrix(ax, [[5, 0], [6, 5], [0, 6]], [5, 6], "M")
    >>> len(ax.patches), ax.get_title()
    (6, 'M')
    >>> plt.close(fig)
    """
    from matplotlib.patches import Patch, Rectangle

    M = np.asarray(M)
    colours = {v: OKABE_ITO[i] for i, v in enumerate(np.asarray(w).tolist())}
    grey = "#E4E4E4"
    for (i, j), v in np.ndenumerate(M):
        face = colours.get(v.item(), grey) if v != 0 else grey
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=face, edgecolor="white"))
        ax.text(j, i, str(v), ha="center", va="center", fontsize=12,
                color="#555555" if v == 0 else "black", fontweight="normal" if v == 0 else "bold")
    ax.set(xlim=(-0.5, M.shape[1] - 0.5), ylim=(M.shape[0] - 0.5, -0.5), aspect="equal",
           xticks=range(M.shape[1]), yticks=range(M.shape[0]), title=title,
           xlabel="input j (multiplies x[j])", ylabel="output i")
    handles = [Patch(color=c, label=f"w[{k}] = {v}") for k, (v, c) in enumerate(colours.items())]
    handles.append(Patch(color=grey, label="0 (not a parameter)"))
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=9)
    return ax


def window_centres(n_out: int, n: int, k: int, mode: str, dt: float = 1.0) -> np.ndarray:
    """Where the window of each of the ``n_out`` outputs is centred, in units of ``dt``.

    Introduced in notebook ``05_choose-valid-same-or-full``: output i of a convolution of a
    signal of n samples in ``mode`` covers samples i - left .. i - left + k - 1, where
    ``left`` is the padding before the signal (:func:`helpers.conv.pad_amounts`).

    Examples
    --------
    >>> window_centres(6, 4, 3, "full").tolist()  # full mode starts 2 samples early
    [-1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    >>> window_centres(2, 4, 3, "valid").tolist()
    [1.0, 2.0]
    """
    from helpers.conv import pad_amounts

    left, _ = pad_amounts(n, k, mode)
    return (np.arange(n_out) - left + (k - 1) / 2) * dt


def plot_edges(axes: Any, t: np.ndarray, x: np.ndarray, kernels: dict, span: float = 0.5) -> Any:
    """Draw the end of ``x`` with its full, same and valid convolutions, one axis per kernel.

    Introduced in notebook ``05_choose-valid-same-or-full``. Each output is drawn at the
    centre of its window (:func:`window_centres`), so the three modes line up with the
    recording; only the last ``span`` of the time axis ``t`` is shown. Modes differ in
    marker and line style as well as colour.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = plt.subplots(1, 1, squeeze=False)
    >>> t = np.arange(20) / 10
    >>> _ = plot_edges(axes[0], t, np.ones(20), {"average": np.ones(3) / 3}, span=1.0)
    >>> [line.get_label() for line in axes[0, 0].get_lines()][:4]
    ['EEG (PG7)', 'full (22 outputs)', 'same (20 outputs)', 'valid (18 outputs)']
    >>> plt.close(fig)
    """
    from helpers.conv import convolve1d

    styles = {"full": ("o", "-"), "same": ("s", "--"), "valid": ("^", ":")}
    tail = t > t[-1] - span
    for ax, (name, k) in zip(axes, kernels.items(), strict=True):
        ax.plot(t[tail], x[tail], color="0.6", linewidth=1, label="EEG (PG7)")
        for mode, (marker, line) in styles.items():
            y = convolve1d(x, k, mode)
            centres = window_centres(len(y), len(x), len(k), mode, t[1] - t[0])
            shown = centres > t[-1] - span
            ax.plot(centres[shown], y[shown], marker=marker, linestyle=line, markersize=3.5,
                    linewidth=1.2, label=f"{mode} ({len(y)} outputs)")
        ax.axvline(t[-1], color="black", linewidth=0.8)
        ax.set(title=f"{name}, K = {len(k)}: the end of the recording",
               ylabel="amplitude (a.u.)", xlim=(t[-1] - 0.9 * span, t[-1] + 0.16 * span))
        ax.legend(loc="upper left", fontsize=8, ncol=2)
    return axes


def plot_map_and_head(axes: Any, z_h: Any, start: int, head: Any, trained: int) -> Any:
    """Left: one signal's feature map with the pattern's start; right: the head per position.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution`` (when the pattern
    moves). ``head`` holds one weight per position; positions from ``trained`` on are
    drawn in another colour over a grey band, so the two groups differ in more than colour.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, axes = plt.subplots(1, 2)
    >>> _ = plot_map_and_head(axes, [0.0, -5.0, 1.0], 1, [2.0, 2.0, 0.0], trained=2)
    >>> len(axes[0].patches), axes[1].get_legend().get_texts()[0].get_text()
    (3, 'moved positions (2-2)')
    >>> plt.close(fig)
    """
    left, right = axes
    z_h, head = np.asarray(z_h), np.asarray(head)
    left.bar(np.arange(len(z_h)), z_h, color=GREEN)
    left.axvline(start, color="black", linestyle="--", label="pattern start")
    left.set(xlabel="position", ylabel="z_h = x ⋆ w + b", title="the feature map follows the pattern")
    left.legend(fontsize=8)
    colours = [BLUE if i < trained else VERMILLION for i in range(len(head))]
    right.bar(np.arange(len(head)), head, color=colours)
    right.axvspan(trained - 0.5, len(head) - 0.5, color="0.85", zorder=0,
                  label=f"moved positions ({trained}-{len(head) - 1})")
    right.set(xlabel="position", ylabel="V[:, 1] - V[:, 0]", title="the dense head does not")
    right.legend(fontsize=8)
    return axes
