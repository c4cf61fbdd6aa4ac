"""helpers.plots, im2col section: byte counts against real im2col arrays, and the two drawings."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.conv import im2col
from helpers.plots import draw_im2col, draw_matrix, im2col_nbytes, im2col_row_labels


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 3), c=st.integers(1, 3), h=st.integers(3, 8), w=st.integers(3, 8),
       k=st.integers(1, 3), stride=st.integers(1, 3), padding=st.integers(0, 2))
def test_nbytes_matches_the_array_im2col_builds(n, c, h, w, k, stride, padding):
    x = np.zeros((n, c, h, w))
    cols = im2col(x, k, k, stride, padding)
    assert im2col_nbytes(x.shape, k, k, stride, padding) == cols.nbytes
    assert im2col_nbytes(x.shape, k, k, stride, padding, itemsize=4) == cols.astype(
        np.float32).nbytes


def test_nbytes_of_a_stride_one_same_layer_is_k_squared_times_the_input():
    shape = (32, 64, 56, 56)
    assert im2col_nbytes(shape, 3, 3, 1, 1, itemsize=4) == 9 * np.prod(shape) * 4


@pytest.mark.parametrize("bad", [(1, 3, 5), (0, 3, 5, 5)])
def test_nbytes_rejects_bad_shapes(bad):
    with pytest.raises(ValueError, match="x_shape"):
        im2col_nbytes(bad, 3, 3)


def test_row_labels_follow_the_order_of_w_reshape():
    labels = im2col_row_labels(3, 3, 3)
    assert len(labels) == 27
    w = np.arange(27).reshape(1, 3, 3, 3)
    assert labels[int(w.reshape(1, -1)[0, 14])] == "c1 (1,2)"


def test_draw_matrix_writes_every_value_and_outlines_the_window():
    fig, ax = plt.subplots()
    draw_matrix(ax, np.arange(6).reshape(2, 3), "t", highlight=(0, 1, 2, 2))
    assert [t.get_text() for t in ax.texts] == ["0", "1", "2", "3", "4", "5"]
    assert len(ax.patches) == 1 and ax.get_xlabel() and ax.get_ylabel()
    plt.close(fig)


def test_draw_im2col_outlines_one_column_and_labels_rows():
    cols = im2col(np.arange(18).reshape(1, 2, 3, 3), 2, 2)
    fig, ax = plt.subplots()
    draw_im2col(ax, cols, column=2, row_labels=im2col_row_labels(2, 2, 2))
    assert len(ax.texts) == cols.size
    assert ax.patches[0].get_x() == pytest.approx(1.5)
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "c0 (0,0)"
    plt.close(fig)


def test_draw_functions_reject_wrong_shapes():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="2D"):
        draw_matrix(ax, [1, 2, 3])
    with pytest.raises(ValueError, match="row_labels"):
        draw_im2col(ax, np.ones((4, 2)), row_labels=["a"])
    plt.close(fig)
