"""The checks of notebook 04: right answers pass, placeholders wait, each usual mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import nb04
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED


def window_response(image, kernel, i, j):
    kh, kw = kernel.shape
    return np.sum(image[i:i + kh, j:j + kw] * kernel)


def flip_kernel(k):
    return k[::-1, ::-1]


def conv1x1(x, w):
    c, h, wd = x.shape
    return (w @ x.reshape(c, -1)).reshape(w.shape[0], h, wd)


CHECKS = [
    (nb04.check_window_response, window_response),
    (nb04.check_flip_kernel, flip_kernel),
    (nb04.check_im2col_shape, (147, 128)),
    (nb04.check_conv1x1, conv1x1),
]


@pytest.mark.parametrize(("check", "answer"), CHECKS)
def test_the_right_answer_is_correct(check, answer):
    assert check(answer).status == CORRECT


@pytest.mark.parametrize(("check", "answer"), CHECKS)
def test_the_placeholder_is_not_attempted(check, answer):
    assert check(...).status == NOT_ATTEMPTED


@pytest.mark.parametrize("check", [c for c, _ in CHECKS])
def test_a_function_returning_none_is_not_attempted(check):
    if check is nb04.check_im2col_shape:
        assert check(None).status == NOT_ATTEMPTED
    else:
        assert check(lambda *args: None).status == NOT_ATTEMPTED


def diagnosis(feedback, text):
    assert feedback.status == INCORRECT, feedback
    assert text in feedback.message, feedback.message


# ---------------------------------------------------------------- exercise 1


def test_window_np_dot_on_2d_arrays():
    def used_dot(image, kernel, i, j):
        return np.dot(image[i:i + 3, j:j + 3], kernel)
    diagnosis(nb04.check_window_response(used_dot), "you used np.dot on 2D arrays")


def test_window_np_dot_summed():
    def dot_summed(image, kernel, i, j):
        kh, kw = kernel.shape
        return np.dot(image[i:i + kh, j:j + kw], kernel).sum()
    diagnosis(nb04.check_window_response(dot_summed), "sum of the matrix product")


def test_window_elementwise_products_not_summed():
    def not_summed(image, kernel, i, j):
        return image[i:i + 3, j:j + 3] * kernel
    diagnosis(nb04.check_window_response(not_summed), "add them up with np.sum")


def test_window_flipped_kernel():
    def flipped(image, kernel, i, j):
        kh, kw = kernel.shape
        return np.sum(image[i:i + kh, j:j + kw] * kernel[::-1, ::-1])
    diagnosis(nb04.check_window_response(flipped), "that is the convolution value")


def test_window_swapped_indices():
    def swapped(image, kernel, i, j):
        kh, kw = kernel.shape
        return np.sum(image[j:j + kh, i:i + kw] * kernel)
    diagnosis(nb04.check_window_response(swapped), "the response at (j, i)")


def test_window_two_by_two_slice():
    def seed_slice(image, kernel, i, j):
        return np.sum(image[i:i + 2, j:j + 2] * kernel)
    diagnosis(nb04.check_window_response(seed_slice), "off by one: your window is 2×2")


def test_window_hard_coded_three():
    def hard_coded(image, kernel, i, j):
        return np.sum(image[i:i + 3, j:j + 3] * kernel)
    diagnosis(nb04.check_window_response(hard_coded), "take the window's size from kernel.shape")


def test_window_other_errors_are_feedback_not_tracebacks():
    def broken(image, kernel, i, j):
        raise KeyError("oops")
    diagnosis(nb04.check_window_response(broken), "your function raised KeyError")


# ---------------------------------------------------------------- exercise 2


@pytest.mark.parametrize(("wrong", "text"), [
    (np.flipud, "only the rows"),
    (np.fliplr, "only the columns"),
    (np.transpose, "you transposed the kernel"),
    (np.rot90, "you rotated by 90°"),
    (lambda k: np.rot90(k, -1), "you rotated by 90°"),
    (lambda k: k, "unchanged"),
])
def test_flip_diagnoses(wrong, text):
    diagnosis(nb04.check_flip_kernel(wrong), text)


def test_flip_other_values_get_the_generic_hint():
    diagnosis(nb04.check_flip_kernel(lambda k: 2 * k[::-1, ::-1]), "2× too large")


# ---------------------------------------------------------------- exercise 3


@pytest.mark.parametrize(("shape", "text"), [
    ((128, 147), "transposed"),
    ((147, 50), "you forgot the padding"),
    ((147, 98), "off by one"),
    ((147, 512), "you forgot the stride"),
    ((147, 64), "you forgot the batch"),
    ((49, 128), "you forgot the channels"),
    ((147, 128, 1), "2 numbers"),
    ("shape", "a shape is a tuple"),
    ((1, 2), "rows = C·kh·kw"),
])
def test_im2col_shape_diagnoses(shape, text):
    diagnosis(nb04.check_im2col_shape(shape), text)


def test_im2col_answer_is_the_shape_im2col_builds():
    from helpers.conv import im2col
    x = np.zeros(nb04.IM2COL_X_SHAPE)
    cols = im2col(x, nb04.IM2COL_K, nb04.IM2COL_K, nb04.IM2COL_STRIDE, nb04.IM2COL_PADDING)
    assert cols.shape == nb04.im2col_answer() == (147, 128)


# ---------------------------------------------------------------- exercise 4


def test_conv1x1_reshape_without_transpose_scrambles():
    def mixed(x, w):
        c, h, wd = x.shape
        return (x.reshape(h * wd, c) @ w.T).T.reshape(w.shape[0], h, wd)
    diagnosis(nb04.check_conv1x1(mixed), "the values are scrambled")


def test_conv1x1_not_reshaped_back():
    def flat(x, w):
        return w @ x.reshape(x.shape[0], -1)
    diagnosis(nb04.check_conv1x1(flat), "reshape the result back to (F, H, W)")


def test_conv1x1_channels_last():
    def last(x, w):
        return np.einsum("fc,chw->hwf", w, x)
    diagnosis(nb04.check_conv1x1(last), "channels-last")


def test_conv1x1_transposed_weights():
    def transposed(x, w):
        return w.T @ x.reshape(x.shape[0], -1)
    diagnosis(nb04.check_conv1x1(transposed), "the inner sizes of @ must agree")


def test_conv1x1_expected_matches_einsum():
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(3, 2, 4)), rng.normal(size=(5, 3))
    assert np.allclose(nb04.conv1x1_expected(x, w), np.einsum("fc,chw->fhw", w, x))
