"""The checks of notebook 04: right answers pass, placeholders wait, each usual mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import nb04
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED

CORR_CORNER = [[1, 1, 1], [0, 1, 1], [0, 0, 1]]     # image[0:3, 0:3]
CONV_CORNER = [[1, 1, 1], [1, 1, 0], [1, 0, 0]]     # image[2:5, 2:5]
M_TOEPLITZ = [[1, 2, 0, 3, 4, 0, 0, 0, 0],
              [0, 1, 2, 0, 3, 4, 0, 0, 0],
              [0, 0, 0, 1, 2, 0, 3, 4, 0],
              [0, 0, 0, 0, 1, 2, 0, 3, 4]]


def conv1x1_hwc(x, w):
    h, wd, c = x.shape
    return (x.reshape(h * wd, c) @ w.T).reshape(h, wd, w.shape[0])


CHECKS = [
    (nb04.check_toeplitz, M_TOEPLITZ),
    (nb04.check_im2col_shape, (147, 128)),
    (nb04.check_conv1x1, conv1x1_hwc),
]


@pytest.mark.parametrize(("check", "answer"), CHECKS)
def test_the_right_answer_is_correct(check, answer):
    assert check(answer).status == CORRECT


@pytest.mark.parametrize(("check", "answer"), CHECKS)
def test_the_placeholder_is_not_attempted(check, answer):
    assert check(...).status == NOT_ATTEMPTED


@pytest.mark.parametrize("check", [c for c, _ in CHECKS])
def test_a_function_returning_none_is_not_attempted(check):
    if check in (nb04.check_im2col_shape, nb04.check_toeplitz):
        assert check(None).status == NOT_ATTEMPTED
    else:
        assert check(lambda *args: None).status == NOT_ATTEMPTED


def diagnosis(feedback, text):
    assert feedback.status == INCORRECT, feedback
    assert text in feedback.message, feedback.message


# ---------------------------------------------------------------- exercise 1


def test_corner_right_answers_and_placeholders():
    assert nb04.check_corner_kernel(CORR_CORNER, CONV_CORNER).status == CORRECT
    assert nb04.check_corner_kernel(..., CONV_CORNER).status == NOT_ATTEMPTED
    assert nb04.check_corner_kernel(CORR_CORNER, ...).status == NOT_ATTEMPTED


def test_corner_answers_are_the_libraries_outputs():
    from scipy.signal import convolve2d, correlate2d
    assert np.array_equal(correlate2d(nb04.IMAGE, nb04.CORNER, "valid"), CORR_CORNER)
    assert np.array_equal(convolve2d(nb04.IMAGE, nb04.CORNER, "valid"), CONV_CORNER)


@pytest.mark.parametrize(("corr", "conv", "text"), [
    (CONV_CORNER, CORR_CORNER, "swapped"),
    (CORR_CORNER, CORR_CORNER, "the kernel was not flipped"),
    (CORR_CORNER, nb04.IMAGE[2:5, 0:3], "upside down only"),
    (CORR_CORNER, nb04.IMAGE[0:3, 2:5], "left to right only"),
    (CONV_CORNER, CONV_CORNER, "corr_corner: this is the convolution"),
    (CORR_CORNER, [[1, 1], [1, 0]], "conv_corner: shape (2, 2)"),
    (CORR_CORNER, np.array(CONV_CORNER) + 1, "conv_corner"),
])
def test_corner_diagnoses(corr, conv, text):
    diagnosis(nb04.check_corner_kernel(corr, conv), text)


def test_corner_feedback_never_gives_the_answer_in_the_docstring():
    assert "[[1, 1, 1], [1, 1, 0]" not in (nb04.check_corner_kernel.__doc__ or "")


# ---------------------------------------------------------------- exercise 2


def test_toeplitz_answer_is_the_definition():
    from scipy.signal import correlate2d
    rng = np.random.default_rng(0)
    for _ in range(5):
        x = rng.integers(-4, 5, size=(3, 3))
        assert np.array_equal(np.array(M_TOEPLITZ) @ x.ravel(),
                              correlate2d(x, nb04.TOEPLITZ_KERNEL, "valid").ravel())
    assert np.array_equal(nb04.toeplitz_expected(), M_TOEPLITZ)


def _flipped():
    m = np.zeros((4, 9), dtype=int)
    for r, start in enumerate((0, 1, 3, 4)):
        m[r, [start, start + 1, start + 3, start + 4]] = [4, 3, 2, 1]
    return m


def _row_wrong():
    m = np.array(M_TOEPLITZ)
    m[2] = np.roll(m[2], 1)
    return m


@pytest.mark.parametrize(("answer", "text"), [
    (np.array(M_TOEPLITZ).T, "M is transposed"),
    (_flipped(), "turned by 180°"),
    ([[1, 2, 3, 4, 0, 0, 0, 0, 0], [0, 1, 2, 3, 4, 0, 0, 0, 0],
      [0, 0, 0, 1, 2, 3, 4, 0, 0], [0, 0, 0, 0, 1, 2, 3, 4, 0]], "side by side"),
    ([[1, 2, 0, 3, 4, 0, 0, 0, 0], [0, 1, 2, 0, 3, 4, 0, 0, 0],
      [0, 0, 1, 2, 0, 3, 4, 0, 0], [0, 0, 0, 1, 2, 0, 3, 4, 0]], "shift by one entry"),
    (_row_wrong(), "row 2 (output (1, 0))"),
    ([[1, 2], [3, 4]], "shape (2, 2) but expected (4, 9)"),
])
def test_toeplitz_diagnoses(answer, text):
    diagnosis(nb04.check_toeplitz(answer), text)


def test_checker_docstrings_hold_no_answers():
    docs = " ".join((f.__doc__ or "") for f in (nb04.check_corner_kernel, nb04.check_toeplitz,
                                                  nb04.toeplitz_expected))
    assert "1, 2, 0, 3, 4" not in docs and "[[1, 1, 1], [1, 1, 0]" not in docs


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


def test_conv1x1_channels_first_reshape_scrambles():
    def mixed(x, w):
        h, wd, c = x.shape
        return (w @ x.reshape(c, -1)).T.reshape(h, wd, w.shape[0])
    diagnosis(nb04.check_conv1x1(mixed), "the values are scrambled")


def test_conv1x1_not_reshaped_back():
    def flat(x, w):
        return x.reshape(-1, x.shape[2]) @ w.T
    diagnosis(nb04.check_conv1x1(flat), "now reshape the result to (H, W, F)")


def test_conv1x1_channels_first_output():
    def first(x, w):
        return np.einsum("fc,hwc->fhw", w, x)
    diagnosis(nb04.check_conv1x1(first), "channels-first order")


def test_conv1x1_untransposed_weights():
    def untransposed(x, w):
        return x.reshape(-1, x.shape[2]) @ w
    diagnosis(nb04.check_conv1x1(untransposed), "the inner sizes of @ must agree")


def test_conv1x1_expected_matches_einsum():
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(2, 4, 3)), rng.normal(size=(5, 3))
    assert np.allclose(nb04.conv1x1_expected(x, w), np.einsum("fc,hwc->hwf", w, x))
