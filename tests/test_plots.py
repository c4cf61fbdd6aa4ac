"""helpers.plots: network diagram, computational graph, decision boundary, number grids
(notebooks 01-03)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Circle, Rectangle

from helpers.plots import (
    GRAPH_GRADS,
    GRAPH_STEPS,
    draw_backward_graph,
    draw_network,
    plot_decision_boundary,
    show_numbers,
)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draw_network_labels_both_weight_matrices_with_their_shapes(ax):
    draw_network(ax)
    assert "W (3×4)" in texts(ax) and "V (4×2)" in texts(ax)
    assert "$w_{23}$" in texts(ax)


def test_draw_network_has_one_circle_per_unit_and_one_line_per_weight(ax):
    draw_network(ax)
    assert sum(isinstance(p, Circle) for p in ax.patches) == 3 + 4 + 2
    assert len(ax.lines) == 3 * 4 + 4 * 2
    names = {t for t in texts(ax) if t.startswith("$")}
    assert {"$x_1$", "$x_3$", "$h_4$", r"$\hat{y}_2$"} <= names
    assert not ax.axison


def test_draw_network_highlights_one_dashed_line_or_none(ax):
    draw_network(ax, highlight=(1, 4))
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1 and "$w_{14}$" in texts(ax)
    ax.clear()
    draw_network(ax, highlight=None)
    assert not [line for line in ax.lines if line.get_linestyle() == "--"]
    assert not [t for t in texts(ax) if t.startswith("$w")]


def test_draw_network_other_sizes(ax):
    draw_network(ax, sizes=(2, 5, 3), highlight=None)
    assert "W (2×5)" in texts(ax) and "V (5×3)" in texts(ax)
    assert len(ax.lines) == 2 * 5 + 5 * 3


def test_decision_boundary_draws_regions_line_points_and_legend(ax):
    X = np.array([[-1.0, 0.0], [1.0, 0.5], [0.5, -1.0]])
    plot_decision_boundary(ax, lambda P: (P[:, 0] > 0).astype(int), X, [0, 1, 1],
                           class_names=("malignant", "benign"),
                           feature_names=("radius", "texture"), resolution=30)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("radius", "texture")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["malignant (true)", "benign (true)", "predicted malignant",
                      "predicted benign"]
    x_lo, x_hi = ax.get_xlim()
    assert x_lo <= -1.5 and x_hi >= 1.5          # the points plus the margin are visible


def test_decision_boundary_with_one_predicted_class_has_no_boundary_line(ax):
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    plot_decision_boundary(ax, lambda P: np.zeros(len(P), dtype=int), X, [0, 0],
                           resolution=10)
    assert ax.get_legend() is not None


@pytest.mark.parametrize("X, labels", [
    (np.zeros((3, 3)), [0, 1, 0]),          # three features: slice first
    (np.zeros((3, 2)), [0, 1]),             # one label too few
])
def test_decision_boundary_rejects_wrong_shapes(ax, X, labels):
    with pytest.raises(ValueError, match=r"shape \(m, 2\)"):
        plot_decision_boundary(ax, lambda P: np.zeros(len(P)), X, labels)


def test_show_numbers_writes_every_number_and_marks_lit_cells_in_bold(ax):
    window = np.array([[1, 1, 1], [0, 1, 1], [0, 0, 1]])
    kernel = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    show_numbers(ax, window * kernel, "window ∘ K", lit=window * kernel)
    assert texts(ax) == ["1", "0", "1", "0", "1", "0", "0", "0", "1"]
    bold = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
    assert bold == ["1"] * 4                       # the four products that add to the sum 4
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("column", "row", "window ∘ K")


def test_show_numbers_draws_padding_hatched_italic_and_framed(ax):
    padded = np.pad(np.arange(1, 7).reshape(2, 3), 1)
    show_numbers(ax, padded, "zero", pad=1, fmt="{:.0f}")
    italic = [t for t in ax.texts if t.get_fontstyle() == "italic"]
    assert len(italic) == padded.size - 6 and {t.get_text() for t in italic} == {"0"}
    hatched = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert len(hatched) == padded.size - 6
    frames = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_hatch()]
    assert len(frames) == 1 and (frames[0].get_width(), frames[0].get_height()) == (3, 2)


def test_filter_gallery_shows_each_kernel_above_its_output_on_the_crop():
    from helpers.kernels import box_blur, gaussian_blur, sobel_x
    from helpers.plots import draw_filter_gallery

    image = np.random.default_rng(0).random((30, 30))
    kernels = {"box": box_blur(3), "gauss": gaussian_blur(5, 1.0), "sobel": sobel_x()}
    fig = draw_filter_gallery(image, kernels, slice(5, 25), slice(4, 20))
    top, bottom = fig.axes[:3], fig.axes[3:6]
    assert [ax.get_title() for ax in top] == ["box", "gauss (×1000)", "sobel"]
    assert [t.get_text() for t in top[0].texts] == ["1/9"] * 9
    assert "162" in [t.get_text() for t in top[1].texts]     # the Gaussian's centre ×1000
    assert bottom[2].get_title() == "sobel (grey = 0)"
    for ax in bottom:
        assert ax.images[0].get_array().shape == (20, 16)    # exactly the crop
    plt.close(fig)


# --- the computational graph of notebook 02


def test_every_forward_edge_carries_its_shape(ax):
    draw_backward_graph(ax)
    shown = texts(ax)
    assert "$X$ (m×3)" in shown
    for _, name, shape in GRAPH_STEPS:
        assert f"{name} ({shape})" in shown


def test_every_edge_carries_its_gradient_back_with_the_same_shape(ax):
    draw_backward_graph(ax)
    shown = texts(ax)
    for grad, (_, _, shape) in zip(GRAPH_GRADS, GRAPH_STEPS, strict=True):
        assert f"{grad} ({shape})" in shown


def test_weight_gradients_are_written_a_transpose_delta(ax):
    draw_backward_graph(ax)
    joined = "\n".join(texts(ax))
    assert r"X^\top \delta_{hid}$ (3×4)" in joined and r"H^\top \delta_{out}$ (4×2)" in joined
    assert not ax.axison
