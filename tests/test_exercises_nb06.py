"""The checks of notebook 06: right answers pass, placeholders wait, each usual mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.conv import conv_matrix, convolve1d, correlate1d
from helpers.convnet import layer_matrix
from helpers.exercises import nb06
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED

W1, N1 = nb06.W1, nb06.N1


def said(feedback, *words):
    """The feedback is a diagnosis that contains every one of ``words``."""
    assert feedback.status == INCORRECT, feedback
    for word in words:
        assert word in feedback.message, (word, feedback.message)
    return True


# ---------------------------------------------------------------- exercise 1: the matrix


def test_matrix_correct():
    answer = [[3, -1, 2, 0, 0], [0, 3, -1, 2, 0], [0, 0, 3, -1, 2]]
    assert nb06.check_conv_matrix(answer).status == CORRECT


def test_matrix_not_attempted():
    assert nb06.check_conv_matrix(...).status == NOT_ATTEMPTED


def test_matrix_transposed():
    assert said(nb06.check_conv_matrix(conv_matrix(W1, N1, "valid").T), "transpose",
                "one row per output")


def test_matrix_flipped_is_correlation():
    assert said(nb06.check_conv_matrix(layer_matrix(W1, N1)), "cross-correlation",
                "flips the kernel")


def test_matrix_full_mode():
    assert said(nb06.check_conv_matrix(conv_matrix(W1, N1, "full")), "full mode")


def test_matrix_same_mode():
    assert said(nb06.check_conv_matrix(conv_matrix(W1, N1, "same")), "same mode")


def test_matrix_one_wrong_entry_is_located():
    wrong = conv_matrix(W1, N1, "valid").copy()
    wrong[1, 4] = 5
    assert said(nb06.check_conv_matrix(wrong), "index (1, 4)")


# ---------------------------------------------------------------- exercise 2: parameters


def test_count_correct():
    assert nb06.check_parameter_count((9800, 3)).status == CORRECT


def test_count_not_attempted():
    assert nb06.check_parameter_count(...).status == NOT_ATTEMPTED


def test_count_swapped():
    assert said(nb06.check_parameter_count((3, 9800)), "swapped")


def test_count_nonzero_entries_of_m():
    assert said(nb06.check_parameter_count((9800, 294)), "non-zero entries", "tied")


@pytest.mark.parametrize("answer", [(9898, 3), (9898, 4), (9900, 3)])
def test_count_with_biases_is_diagnosed(answer):
    assert said(nb06.check_parameter_count(answer), "biases", "n·m = 9800")


def test_count_dense_as_a_sum():
    assert said(nb06.check_parameter_count((198, 3)), "n·m")


def test_count_dense_square():
    assert said(nb06.check_parameter_count((10000, 3)), "98")


def test_count_other_dense_value():
    assert said(nb06.check_parameter_count((9700, 3)), "dense")


def test_count_other_conv_value():
    assert said(nb06.check_parameter_count((9800, 4)), "one kernel of length 3")


@pytest.mark.parametrize("answer", ["many", (9800,)])
def test_count_malformed(answer):
    assert said(nb06.check_parameter_count(answer), "two")


# ---------------------------------------------------------------- exercise 3: tied gradient


def tied_gradient(a, delta, k):
    return sum(d * a[i:i + k] for i, d in enumerate(delta))


def test_tied_correct():
    assert nb06.check_tied_gradient(tied_gradient).status == CORRECT
    assert nb06.check_tied_gradient(lambda a, d, k: np.correlate(a, d, "valid")).status == CORRECT


def test_tied_not_attempted():
    assert nb06.check_tied_gradient(...).status == NOT_ATTEMPTED


def test_tied_forgot_to_sum_over_positions():
    assert said(nb06.check_tied_gradient(nb06._per_position), "forgot to sum over positions")


def test_tied_only_the_first_position():
    assert said(nb06.check_tied_gradient(lambda a, d, k: d[0] * a[:k]), "position 0 alone")


def test_tied_mean_instead_of_sum():
    assert said(nb06.check_tied_gradient(lambda a, d, k: nb06._per_position(a, d, k).mean(0)),
                "average")


def test_tied_reversed():
    assert said(nb06.check_tied_gradient(lambda a, d, k: correlate1d(a, d, "valid")[::-1]),
                "reversed", "no flip")


def test_tied_convolution_instead_of_correlation():
    assert said(nb06.check_tied_gradient(lambda a, d, k: convolve1d(a, d, "valid")),
                "convolve1d(a, delta, 'valid')")


def test_tied_errors_become_feedback():
    assert said(nb06.check_tied_gradient(lambda a, d, k: a[k + 100]), "IndexError")


def test_tied_diagnoses_are_distinct_from_the_answer():
    for a, delta, k in nb06._gradient_cases():
        want = correlate1d(a, delta, "valid")
        rows = nb06._per_position(a, delta, k)
        for wrong in (rows[0], rows.mean(axis=0), want[::-1], convolve1d(a, delta, "valid")):
            assert not np.allclose(wrong, want)


# ---------------------------------------------------------------- exercise 4: 2D matrix

ANSWER4 = [[1, 2, 0, 3, 4, 0, 0, 0, 0],
           [0, 1, 2, 0, 3, 4, 0, 0, 0],
           [0, 0, 0, 1, 2, 0, 3, 4, 0],
           [0, 0, 0, 0, 1, 2, 0, 3, 4]]


def test_block_toeplitz_correct_and_agrees_with_scipy():
    from scipy.signal import correlate2d

    assert nb06.check_block_toeplitz(ANSWER4).status == CORRECT
    image = np.random.default_rng(0).normal(size=(3, 3))
    np.testing.assert_allclose(np.array(ANSWER4) @ image.ravel(),
                               correlate2d(image, nb06.KERNEL4, "valid").ravel())


def test_block_toeplitz_not_attempted():
    assert nb06.check_block_toeplitz(...).status == NOT_ATTEMPTED


def test_block_toeplitz_mistakes():
    M = np.array(ANSWER4)
    assert said(nb06.check_block_toeplitz(M.T), "transpose")
    flipped = nb06._block_toeplitz(nb06.KERNEL4[::-1, ::-1], 3)
    assert said(nb06.check_block_toeplitz(flipped), "convolution")
    assert said(nb06.check_block_toeplitz(nb06._block_toeplitz(nb06.KERNEL4.T, 3)),
                "row by row")
    assert said(nb06.check_block_toeplitz([[1, 2]]), "shape")


def test_checks_docstrings_hold_no_answers():
    for check in (nb06.check_conv_matrix, nb06.check_parameter_count,
                  nb06.check_tied_gradient, nb06.check_block_toeplitz):
        assert "9800" not in (check.__doc__ or "") and "[[1, 2, 0" not in (check.__doc__ or "")
    assert "9800" not in nb06.__doc__
