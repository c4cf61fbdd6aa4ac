"""The numbers notebook 07 quotes: recomputed with helpers, and found in its stored outputs."""

from __future__ import annotations

import numpy as np

from helpers.conv import (
    col2im,
    conv2d_backward,
    conv2d_forward,
    conv_matrix,
    conv_transpose1d,
    conv_transpose2d,
    convolve1d,
    convolve2d,
    correlate1d,
    im2col,
    output_size,
    transposed_size,
)
from helpers.data import load_grace_hopper_gray
from helpers.widgets.stamps import stamps_1d, stamps_2d

X1, W1, DELTA1 = np.array([1, 2, 3, 4]), np.array([5, 6, 7]), np.array([-2, 6])
M = conv_matrix(W1[::-1], 4, "valid")


def test_where_06_stopped(notebook_text):
    assert (M @ X1).tolist() == [38, 56]
    assert (M.T @ DELTA1).tolist() == conv_transpose1d(DELTA1, W1).tolist() == [-10, 18, 22, 42]
    text = notebook_text("07")
    assert "M @ x = [38 56] | M.T @ delta = [-10  18  22  42]" in text
    assert "M.T @ y = [-10  18  22  42] | conv_transpose1d(y, w) = [-10  18  22  42]" in text


def test_the_tiny_2d_case_by_hand(notebook_text):
    x = np.arange(1, 10).reshape(1, 1, 3, 3)
    w = np.array([[[[1, 0], [-1, 2]]]])
    delta = np.array([[[[2, -1], [0, 1]]]])
    # by hand: dW_00 = 2·1 + (-1)·2 + 0·4 + 1·5, dX_11 = 2·2 + (-1)·(-1) + 0·0 + 1·1
    assert 2 * 1 + (-1) * 2 + 0 * 4 + 1 * 5 == 5 and 2 * 2 + (-1) * (-1) + 0 * 0 + 1 * 1 == 6
    dx, dw, db = conv2d_backward(delta, conv2d_forward(x, w, [0])[1])
    assert dw[0, 0].tolist() == [[5, 7], [11, 13]] and db.tolist() == [2]
    assert dx[0, 0].tolist() == [[2, -1, 0], [-2, 6, -2], [0, -1, 2]]
    cols = w.reshape(1, -1).T @ delta.reshape(1, -1)
    assert np.array_equal(col2im(cols, x.shape, 2, 2), dx)
    text = notebook_text("07")
    assert "dW = delta @ X_col.T = [[5, 7], [11, 13]] | db = 2" in text
    assert ("conv2d_backward: dW = [[5, 7], [11, 13]] | db = [2] | dX = [[2, -1, 0], "
            "[-2, 6, -2], [0, -1, 2]]") in text
    assert text.count("relative error < 1e-7: True") == 3


def test_col2im_adds(notebook_text):
    x5 = np.arange(25).reshape(1, 1, 5, 5)
    cover = col2im(np.ones((9, 9), dtype=int), x5.shape, 3, 3)[0, 0]
    assert cover[2, 2] == 9 and cover[0, 0] == 1
    assert np.array_equal(col2im(im2col(x5, 3, 3), x5.shape, 3, 3)[0, 0], cover * x5[0, 0])
    text = notebook_text("07")
    assert str(cover) in text
    assert "col2im(im2col(x)) == x: False | == cover * x: True" in text
    Y = np.arange(81).reshape(9, 9)
    inner = np.sum(im2col(x5, 3, 3) * Y)
    assert inner == np.sum(x5 * col2im(Y, x5.shape, 3, 3)) == 47520
    assert "<im2col(x), Y> = 47520 | <x, col2im(Y)> = 47520" in text


def test_sizes_with_stride_dilation_and_transposed(notebook_text):
    assert output_size(7, 3, dilation=2) == 3
    assert output_size(7, 3, stride=2) == output_size(8, 3, stride=2) == 3
    assert (2 * 2 - 0 + 2 + 0 + 1) == transposed_size(3, 3, stride=2) == 7
    assert transposed_size(3, 3, stride=2, output_padding=1) == 8
    assert transposed_size(3, 3, stride=2, padding=1) == 5
    text = notebook_text("07")
    assert "n=7, k=3, dilation 2: 3" in text
    assert "n=7, k=3, stride 2:   3 | n=8, k=3, stride 2: 3" in text
    assert ("transposed: transposed_size(3, 3, stride=2) = 7 | with output_padding=1: 8 | "
            "with padding=1: 5") in text


def test_stride_2_backward_is_a_full_convolution_of_zero_inserted_delta(notebook_text):
    w = np.array([[1, 2, 0], [0, 1, -1], [2, 0, 1]])
    delta = np.array([[1, 2], [3, 4]])
    up = np.zeros((3, 3), dtype=int)
    up[::2, ::2] = delta
    want = convolve2d(up, w, "full")
    for side in (5, 6):
        x = np.zeros((1, 1, side, side), dtype=int)
        dx = conv2d_backward(delta[None, None], conv2d_forward(x, w[None, None], [0], 2)[1])[0]
        assert np.array_equal(dx[0, 0, :5, :5], want) and not dx[0, 0, 5:].any()
    assert want[2].tolist() == [5, 6, 9, 8, 2]
    text = notebook_text("07")
    assert str(want) in text
    assert "equals conv2d_backward's dx: True" in text
    assert "last row and column all zero: True" in text
    assert "dilation=2 equals the spread kernel: True" in text
    assert "dx == full convolution of delta with the spread kernel: True" in text


def test_transposed_1d_with_stride(notebook_text):
    M2 = conv_matrix(W1[::-1], 7, "valid")[::2]
    y = np.array([1, 2, 3])
    assert (M2.T @ y).tolist() == conv_transpose1d(y, W1, 2).tolist() == [5, 6, 17, 12, 29, 18, 21]
    up = np.zeros(5, dtype=int)
    up[::2] = y
    assert convolve1d(up, W1).tolist() == [5, 6, 17, 12, 29, 18, 21]
    text = notebook_text("07")
    assert "conv_transpose1d(y, w, stride=2) = [ 5  6 17 12 29 18 21]" in text
    assert "convolve1d(zero-inserted y, w):   [ 5  6 17 12 29 18 21]" in text


def test_four_ways_and_the_pytorch_example(notebook_text):
    out = conv_transpose2d(np.array([[[[1.0, 2], [3, 4]]]]), np.ones((1, 1, 3, 3)), stride=2)
    assert out[0, 0].tolist() == [[1, 1, 3, 2, 2], [1, 1, 3, 2, 2], [4, 4, 10, 6, 6],
                                  [3, 3, 7, 4, 4], [3, 3, 7, 4, 4]]
    text = notebook_text("07")
    assert "loops == fast: True | M.T @ x == fast: True" in text
    assert "output (1, 2, 6, 8) from input (1, 3, 3, 4) | M is (36, 96)" in text
    lhs, rhs = text.split("<Mz, x> = ")[1].split("\n")[0].split(" | <z, M.T x> = ")
    assert lhs == rhs
    assert " [ 4.  4. 10.  6.  6.]" in text


def test_stamps_and_the_checkerboard(notebook_text):
    one = stamps_1d([1, 2, 3], [5, 6, 7], stride=2, names=("y", "w", "x"))
    assert 1 * 7 + 2 * 5 == one.output[2] == 17                  # by hand: x_2 = 1·7 + 2·5
    assert one.counts.tolist() == [1, 1, 2, 1, 2, 1, 1]
    film = stamps_2d([[1, 2], [3, 4]], np.ones((3, 3)), stride=2)
    assert film.frame(3).output[2, 2] == 1 + 2 + 3 + 4 == 10 and film.frame(1).output[0, 2] == 3
    assert sorted(set(film.counts.ravel().tolist())) == [1, 2, 4]
    text = notebook_text("07")
    assert "x[2:5] += y[1]·w = 2·[5, 6, 7]" in text      # the players' data, from the model
    assert "C[2:5, 2:5] += A[1,1]·K = 4·K" in text
    k3 = stamps_2d(np.ones((4, 4)), np.ones((3, 3)), stride=2).counts
    assert sorted(set(k3.ravel().tolist())) == [1, 2, 4]
    k4 = stamps_2d(np.ones((4, 4)), np.ones((4, 4)), stride=2).counts
    assert (k4[2:8, 2:8] == 4).all()
    assert stamps_1d(np.ones(3), [1, 1, 1], stride=2).counts.tolist() == [1, 1, 2, 1, 2, 1, 1]
    text = notebook_text("07")
    assert str(k3) in text and str(k4[2:8]) in text


def test_the_checkerboard_on_the_photo(notebook_text):
    small = load_grace_hopper_gray().reshape(150, 4, 128, 4).mean(axis=(1, 3))
    box = np.ones((1, 1, 3, 3))
    up = conv_transpose2d(small[None, None], box / 2.25, stride=2, padding=1,
                          output_padding=1)[0, 0]
    resized = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)
    smooth = conv2d_forward(resized[None, None], box / 9, [0.0], padding=1)[0][0, 0]

    def ratio(img):
        means = [img[i::2, j::2][2:-2, 2:-2].mean() for i in (0, 1) for j in (0, 1)]
        return max(means) / min(means)

    assert up.shape == smooth.shape == (300, 256)
    assert 3.9 < ratio(up) < 4.1 and ratio(smooth) < 1.01
    assert (f"brightest / darkest pixel parity: transposed {ratio(up):.2f}, "
            f"resize then convolve {ratio(smooth):.2f}") in notebook_text("07")
    tent = np.outer([0.5, 1, 0.5], [0.5, 1, 0.5])[None, None]
    inner = conv_transpose2d(np.ones((1, 1, 4, 4)), tent, stride=2)[0, 0, 1:-1, 1:-1]
    assert (inner == 1).all()
    assert "inner pixels: 1.0 to 1.0" in notebook_text("07")


def test_receptive_fields(notebook_text):
    k12 = convolve1d([1, 0, -1], [1, 2, 1])
    assert k12.tolist() == [1, 2, 0, -2, -1]
    x = np.random.default_rng(3).integers(-5, 6, size=12)
    assert np.array_equal(correlate1d(correlate1d(x, [1, 0, -1]), [1, 2, 1]), correlate1d(x, k12))

    def field(depth, s):
        reach = np.ones(1)
        for _ in range(depth):
            reach = conv_transpose1d(reach, np.ones(3), stride=s)
        return np.count_nonzero(reach)

    assert [field(d, 1) for d in (1, 2, 3, 4)] == [3, 5, 7, 9]
    assert [field(d, 2) for d in (1, 2, 3, 4)] == [3, 7, 15, 31]
    text = notebook_text("07")
    assert "w1 * w2 = [ 1  2  0 -2 -1]" in text
    for depth, one, two in ((1, 3, 3), (2, 5, 7), (3, 7, 15), (4, 9, 31)):
        assert f"{depth:>6} {one:>9} {two:>9}" in text


def test_the_misconceptions(notebook_text):
    assert (M @ M.T).tolist() == [[110, 72], [72, 110]]
    assert (M.T @ (M @ X1)).tolist() == [190, 508, 602, 392]
    M_full = conv_matrix(W1, 4)
    y = convolve1d(X1, W1)
    assert np.allclose(np.linalg.lstsq(M_full, y, rcond=None)[0], X1)
    assert (M_full.T @ y).tolist() == [359, 648, 797, 726]
    text = notebook_text("07")
    assert "[[110  72]\n [ 72 110]]" in text
    assert "M.T @ (M @ x) = [190 508 602 392]" in text
    assert "deconvolution (solve M_full x = y): [1. 2. 3. 4.]" in text
    assert "transposed convolution M_full.T @ y: [359 648 797 726]" in text


def test_the_exercise_checks_pass_in_the_stored_notebook(notebook_text):
    assert notebook_text("07").count("✔ correct") == 4
