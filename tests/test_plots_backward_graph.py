"""helpers.plots.draw_backward_graph: the computational graph of notebook 02."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from helpers.plots import GRAPH_GRADS, GRAPH_STEPS, draw_backward_graph


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def texts(ax):
    return [t.get_text() for t in ax.texts]


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
