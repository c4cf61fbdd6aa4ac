"""The checks of notebook 03: right answers pass, placeholders wait, each usual mistake is named."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.exercises import nb03
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED

A, K, S = nb03.A, nb03.K, nb03.S


def said(feedback, *words):
    """The feedback is a diagnosis that contains every one of ``words``."""
    assert feedback.status == INCORRECT, feedback
    for word in words:
        assert word in feedback.message, (word, feedback.message)
    return True


# ---------------------------------------------------------------- exercise 1: the window


def test_window_correct():
    window = A[1:4, 0:3]
    assert nb03.check_window(window, np.sum(window * K)).status == CORRECT
    assert nb03.check_window(window.tolist(), 2).status == CORRECT


@pytest.mark.parametrize("args", [(..., ...), (A[1:4, 0:3], ...), (..., 2), (None, 2)])
def test_window_not_attempted(args):
    assert nb03.check_window(*args).status == NOT_ATTEMPTED


def test_window_two_by_two_is_off_by_one():
    assert said(nb03.check_window(A[1:3, 0:2], 0), "off by one", "2×2", "A[1:4]")


def test_window_rows_and_columns_swapped():
    assert said(nb03.check_window(A[0:3, 1:4], 3), "C[0, 1]", "row")


def test_window_first_position():
    assert said(nb03.check_window(A[0:3, 0:3], 4), "first window")


def test_window_other_wrong_values_are_located():
    wrong = A[1:4, 0:3].copy()
    wrong[2, 2] = 7
    assert said(nb03.check_window(wrong, 2), "window_1_0", "index (2, 2)")


def test_value_is_the_hadamard_product_without_the_sum():
    window = A[1:4, 0:3]
    assert said(nb03.check_window(window, window * K), "Hadamard product", "sum")


def test_value_is_a_matrix_product():
    window = A[1:4, 0:3]
    assert said(nb03.check_window(window, np.dot(window, K)), "np.dot", "matrix product")


def test_value_of_the_swapped_position():
    assert said(nb03.check_window(A[1:4, 0:3], 3), "C[0, 1]", "rows come first")


def test_value_other_number():
    assert said(nb03.check_window(A[1:4, 0:3], 5), "nine products")


def test_value_not_a_number_never_raises():
    assert said(nb03.check_window(A[1:4, 0:3], "two"), "numbers")


# ---------------------------------------------------------------- exercise 2: reflect padding


def test_reflect_correct():
    expected = [[5, 4, 5, 6, 5], [2, 1, 2, 3, 2], [5, 4, 5, 6, 5], [8, 7, 8, 9, 8],
                [5, 4, 5, 6, 5]]
    assert nb03.check_reflect_padding(expected).status == CORRECT
    assert nb03.check_reflect_padding(np.pad(S, 1, mode="reflect")).status == CORRECT


def test_reflect_not_attempted():
    assert nb03.check_reflect_padding(...).status == NOT_ATTEMPTED


@pytest.mark.parametrize(("mode", "words"), [
    ("edge", ("replicate", "without repeating")),
    ("symmetric", ("replicate",)),  # for one pixel, NumPy's 'symmetric' equals 'edge'
    ("wrap", ("wrap",)),
    ("constant", ("zero padding",)),
])
def test_reflect_other_modes_are_named(mode, words):
    assert said(nb03.check_reflect_padding(np.pad(S, 1, mode=mode)), *words)


def test_reflect_padded_on_one_side_only():
    assert said(nb03.check_reflect_padding(np.pad(S, ((1, 0), (1, 0)), mode="reflect")),
                "shape (4, 4) but expected (5, 5)")


# ---------------------------------------------------------------- exercise 3: output shape


def test_shape_correct():
    assert nb03.check_output_shape((200, 170)).status == CORRECT
    assert nb03.check_output_shape([np.int64(200), 170.0]).status == CORRECT
    assert nb03.expected_output_shape() == (200, 170)


def test_shape_not_attempted():
    assert nb03.check_output_shape(...).status == NOT_ATTEMPTED


def test_shape_rounded_up():
    rounded_up = tuple(math.ceil((n + 2 * 2 - 7) / 3) + 1 for n in (600, 512))
    assert rounded_up == (200, 171)
    assert said(nb03.check_output_shape(rounded_up), "you rounded up", "floor", "169.67")


def test_shape_missing_plus_one():
    assert said(nb03.check_output_shape((199, 169)), "+1 is missing")


def test_shape_missing_padding():
    assert said(nb03.check_output_shape((198, 169)), "padding is missing")


def test_shape_padding_counted_once():
    assert said(nb03.check_output_shape((199, 170)), "counted once", "2·2")


def test_shape_stride_ignored():
    assert said(nb03.check_output_shape((598, 510)), "stride 1")


def test_shape_height_and_width_swapped():
    assert said(nb03.check_output_shape((170, 200)), "swapped", "(rows, columns)")


def test_shape_not_whole_numbers():
    assert said(nb03.check_output_shape((200, 170.67)), "whole numbers", "floor")


def test_shape_not_a_shape_never_raises():
    assert said(nb03.check_output_shape("200 by 170"), "tuple of whole numbers")


def test_shape_other_wrong_answer():
    feedback = nb03.check_output_shape((300, 170))
    assert said(feedback, "rows 300 is not", "⌊(600 + 2·2 − 7) / 3⌋ + 1", "columns 170 is right")
    assert "200" not in feedback.message     # the feedback never gives the answer away


# ---------------------------------------------------------------- exercise 4: strided loop


def correlate_stride(a, k, stride):
    """The reference answer, as the solution cell writes it."""
    kh, kw = k.shape
    out_h = (a.shape[0] - kh) // stride + 1
    out_w = (a.shape[1] - kw) // stride + 1
    out = np.zeros((out_h, out_w), dtype=np.result_type(a, k))
    for i in range(out_h):
        for j in range(out_w):
            window = a[i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[i, j] = np.sum(window * k)
    return out


def test_stride_correct():
    assert nb03.check_correlate_stride(correlate_stride).status == CORRECT


def test_stride_matches_the_seed_numbers():
    assert np.array_equal(correlate_stride(A, K, 2), [[4, 4], [2, 4]])
    assert np.array_equal(nb03.expected_stride(A, K, 2), [[4, 4], [2, 4]])


def test_stride_not_attempted():
    assert nb03.check_correlate_stride(...).status == NOT_ATTEMPTED

    def unfinished(a, k, stride):
        ...

    assert nb03.check_correlate_stride(unfinished).status == NOT_ATTEMPTED


def test_stride_ignored():
    def stride_one(a, k, stride):
        return correlate_stride(a, k, 1)

    assert said(nb03.check_correlate_stride(stride_one), "stride-1 output", "i*stride")


def test_stride_window_moves_one_pixel():
    def one_pixel_steps(a, k, stride):
        shape = correlate_stride(a, k, stride).shape
        return correlate_stride(a, k, 1)[:shape[0], :shape[1]]

    assert said(nb03.check_correlate_stride(one_pixel_steps), "one pixel per step")


def test_stride_rounded_up_and_windows_run_off_the_edge():
    def rounded_up(a, k, stride):
        kh, kw = k.shape
        out_h = math.ceil((a.shape[0] - kh) / stride) + 1
        out_w = math.ceil((a.shape[1] - kw) / stride) + 1
        out = np.zeros((out_h, out_w))
        for i in range(out_h):
            for j in range(out_w):
                out[i, j] = np.sum(a[i * stride:i * stride + kh, j * stride:j * stride + kw] * k)
        return out

    assert said(nb03.check_correlate_stride(rounded_up), "ran off the edge", "round")


def test_stride_rounded_up_with_zero_padding():
    def rounded_up_padded(a, k, stride):
        kh, kw = k.shape
        out_h = math.ceil((a.shape[0] - kh) / stride) + 1
        out_w = math.ceil((a.shape[1] - kw) / stride) + 1
        a = np.pad(a, ((0, kh), (0, kw)))
        out = np.zeros((out_h, out_w))
        for i in range(out_h):
            for j in range(out_w):
                out[i, j] = np.sum(a[i * stride:i * stride + kh, j * stride:j * stride + kw] * k)
        return out

    assert said(nb03.check_correlate_stride(rounded_up_padded), "you rounded the number of "
                "steps up", "floor")


def test_stride_flipped_kernel():
    def flipped(a, k, stride):
        return correlate_stride(a, k[::-1, ::-1], stride)

    assert said(nb03.check_correlate_stride(flipped), "convolution", "as it is")


def test_stride_other_error_is_reported_not_raised():
    def broken(a, k, stride):
        raise KeyError("oops")

    assert said(nb03.check_correlate_stride(broken), "KeyError")


def test_stride_other_wrong_values_are_located():
    def off(a, k, stride):
        return correlate_stride(a, k, stride) + (a.shape == (8, 9))

    assert said(nb03.check_correlate_stride(off), "image of shape (8, 9)", "values differ")
