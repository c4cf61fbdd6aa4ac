"""The numbers notebook 04 quotes, recomputed with helpers and found in its stored outputs."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from helpers.conv import col2im, conv2d_forward, convolve2d, correlate2d, im2col, output_size
from helpers.plots import im2col_nbytes

NB = "04"
IMAGE = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0],
                  [0, 1, 1, 0, 0]])
A = IMAGE[:3, :3]
B = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
B2 = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1]])
S = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 0]])


def test_the_window_is_the_seeds_patch(notebook_text):
    assert A.tolist() == [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
    assert "array([[1, 1, 1],\n       [0, 1, 1],\n       [0, 0, 1]])" in notebook_text(NB)


def test_np_dot_is_the_matrix_product(notebook_text):
    assert np.dot(A, B).tolist() == [[2, 1, 2], [1, 1, 1], [1, 0, 1]]
    assert "[[2 1 2]\n [1 1 1]\n [1 0 1]]" in notebook_text(NB)
    assert np.dot(A, B).sum() == 10
    assert "np.dot(A, B), a matrix product: [[2, 1, 2], [1, 1, 1], [1, 0, 1]] -> its sum: 10" in (
        notebook_text(NB))


def test_every_frobenius_form_gives_4(notebook_text):
    values = [np.sum(A * B), A.ravel() @ B.ravel(), np.vdot(A, B),
              np.tensordot(A, B, axes=2), np.einsum("ij,ij->", A, B), np.trace(A.T @ B),
              np.trace(np.dot(A, B.T))]
    assert all(v == 4 for v in values)
    text = notebook_text(NB)
    for name in ("np.sum(A * B)", "np.vdot(A, B)", "np.tensordot(A, B, axes=2)",
                 "np.einsum('ij,ij->', A, B)", "np.trace(A.T @ B)"):
        assert f"{name:28} -> 4" in text
    assert f"{'A.ravel() @ B.ravel()':28} -> 4" in text and "its trace: 4" in text


def test_the_seeds_dot_line_read_as_python_and_as_julia(notebook_text):
    # "for i in 0:3 ... dot(A[i:i+2, j:j+2], C)": Julia ranges include their end
    assert (len(range(0, 3)), len(range(0, 2))) == (3, 2)          # Python
    assert (len(range(0, 3 + 1)), len(range(0, 2 + 1))) == (4, 3)  # Julia
    assert IMAGE[0:2, 0:2].shape == (2, 2) and IMAGE[0:3, 0:3].shape == (3, 3)
    assert np.vdot(A, B) == 4 and np.dot(A, B).sum() == 10
    text = notebook_text(NB)
    assert ("as Python: range(0, 3) has 3 values, the slice i:i+2 has 2 -> window (2, 2) "
            "for a kernel (3, 3)") in text
    assert "as Julia:  0:3 has 4 values, the range i:i+2 has 3 -> window (3, 3)" in text
    assert "a sum over all entries (Julia's dot, np.vdot): 4   the layer's value: 4" in text


def test_corner_kernel_and_toeplitz_exercises(notebook_text):
    corner = np.array([[1, 0, 0], [0, 0, 0], [0, 0, 0]])
    assert np.array_equal(correlate2d(IMAGE, corner, "valid"), IMAGE[0:3, 0:3])
    assert np.array_equal(convolve2d(IMAGE, corner, "valid"), IMAGE[2:5, 2:5])
    text = notebook_text(NB)
    assert "✔ correct: a single 1 copies one pixel of each window" in text
    assert "✔ correct: each row holds the same 4 weights" in text
    assert "16 of the 36 entries are nonzero" in text
    assert "✔ correct: one matrix product (H·W, C) @ (C, F)" in text
    assert text.count("✔ correct") == 4


def test_trace_diagonal_is_the_column_sums(notebook_text):
    assert np.diag(A.T @ B).tolist() == np.sum(A * B, axis=0).tolist() == [1, 1, 2]
    assert "diagonal of A.T @ B:          [1 1 2]" in notebook_text(NB)


def test_the_seed_valid_output_and_the_loop(notebook_text):
    z = correlate2d(IMAGE, B, "valid")
    assert z.tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    assert np.array_equal(z, scipy.signal.convolve2d(IMAGE, B, "valid"))
    text = notebook_text(NB)
    assert "[[4 3 4]\n [2 4 3]\n [2 3 4]]" in text
    assert "loop == helpers.conv.correlate2d: True" in text


def test_asymmetric_kernel_correlation_3_convolution_4(notebook_text):
    assert correlate2d(A, B2, "valid").tolist() == [[3]]
    assert convolve2d(A, B2, "valid").tolist() == [[4]]
    assert scipy.signal.convolve2d(A, B2, "valid").tolist() == [[4]]
    text = notebook_text(NB)
    assert "np.sum(A * B2)                 = 3" in text
    assert "np.sum(A * B2[::-1, ::-1])     = 4" in text
    assert "helpers.conv.convolve2d(A, B2):    [[4]]" in text


def test_valid_on_two_3x3_arrays_is_not_empty(notebook_text):
    assert output_size(3, 3) == 1
    for kernel in (B, B2):
        assert scipy.signal.convolve2d(A, kernel, "valid").tolist() == [[4]]
    assert "B2: scipy [[4]]  helpers [[4]]  shape (1, 1)" in notebook_text(NB)


def test_a_symmetric_kernel_can_still_differ(notebook_text):
    assert np.array_equal(S, S.T) and not np.array_equal(S, S[::-1, ::-1])
    assert not np.array_equal(correlate2d(IMAGE, S, "valid"), convolve2d(IMAGE, S, "valid"))
    text = notebook_text(NB)
    assert "S == S.T:           True" in text and "S == S[::-1, ::-1]: False" in text


def test_the_layer_correlates(notebook_text):
    out, _ = conv2d_forward(A[None, None], B2[None, None], np.zeros(1, dtype=int))
    assert out.ravel().tolist() == [3]
    text = notebook_text(NB)
    assert "shape (N, F, H, W) = (1, 1, 1, 1) -> [3]" in text
    corr, conv = correlate2d(IMAGE, B2, "valid"), convolve2d(IMAGE, B2, "valid")
    assert int(np.sum(corr != conv)) == 6
    assert f"convolution (the index formula): {conv.tolist()}" in text
    assert f"cross-correlation (the layer):   {corr.tolist()}" in text
    assert "positions that differ: 6 of 9" in text


def depth_example():
    rng = np.random.default_rng(0)
    rng.normal(size=(3, 3))
    rng.normal(size=(6, 7))
    x = rng.integers(0, 3, size=(1, 3, 5, 5))
    w = rng.integers(-1, 2, size=(2, 3, 3, 3))
    return x, w, np.array([1, 0])


def test_cs231n_shaped_example(notebook_text):
    x, w, b = depth_example()
    assert output_size(5, 3, padding=1, stride=2) == 3
    out, _ = conv2d_forward(x, w, b, stride=2, padding=1)
    assert out.shape == (1, 2, 3, 3)
    x_pad = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    patch = x_pad[0, :, 2:5, 4:7]
    per_channel = [int(np.sum(patch[c] * w[0, c])) for c in range(3)]
    assert per_channel == [5, -1, 0] and out[0, 0, 1, 2] == 5
    text = notebook_text(NB)
    assert "per-channel sums: [5, -1, 0] + bias 1 = 5" in text
    assert "sum of per-channel correlations == conv2d_forward: True" in text
    assert str(out[0]) in text


def test_im2col_of_the_example(notebook_text):
    x, w, b = depth_example()
    cols = im2col(x, 3, 3, stride=2, padding=1)
    out, _ = conv2d_forward(x, w, b, stride=2, padding=1)
    gemm = (w.reshape(2, -1) @ cols + b[:, None]).reshape(2, 1, 3, 3).transpose(1, 0, 2, 3)
    assert cols.shape == (27, 9) and np.array_equal(gemm, out)
    text = notebook_text(NB)
    assert "X_col (27, 9)" in text
    assert "im2col + one matrix product == conv2d_forward: True" in text


def test_copies_per_pixel_and_bytes(notebook_text):
    ones = np.ones((1, 1, 5, 5))
    copies = col2im(np.ones_like(im2col(ones, 3, 3, padding=1)), ones.shape, 3, 3, padding=1)
    assert copies.max() == 9 and copies[0, 0, 0, 0] == 4
    shape = (32, 64, 56, 56)
    input_bytes = int(np.prod(shape)) * 4
    xcol_bytes = im2col_nbytes(shape, 3, 3, stride=1, padding=1, itemsize=4)
    assert (input_bytes, xcol_bytes, xcol_bytes // input_bytes) == (25690112, 231211008, 9)
    text = notebook_text(NB)
    assert "most copies of one pixel: 9" in text
    assert "25,690,112 bytes" in text and "231,211,008 bytes" in text
    assert "= 9× the input" in text


@pytest.mark.parametrize("line", [
    "random x, k: True", "image, B2:   True", "reshape + @ == conv2d_forward: True",
    "einsum      == conv2d_forward: True", "column 5 == the patch at (1, 2): True",
    "loops == im2col + matmul: True", "formula agrees with the small X_col above: True",
    "np.dot(A, B) == A @ B: True", "B[::-1, ::-1] == B: True",
    "index formula == helpers.conv.convolve2d: True", "same numbers as conv2d_forward: True",
    "-> (2, 9) = 18 dot products", "np.dot(W_row, X_col) == W_row @ X_col: True",
])
def test_every_printed_equality_is_true(notebook_text, line):
    assert line in notebook_text(NB)


def test_no_printed_equality_is_false(notebook_text):
    text = notebook_text(NB)
    for line in text.splitlines():
        if "==" in line and line.rstrip().endswith("False"):
            assert line.startswith("S == S[::-1, ::-1]"), line
