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
    assert said(nb06.check_tied_gradient(nb06.per_position), "forgot to sum over positions")


def test_tied_only_the_first_position():
    assert said(nb06.check_tied_gradient(lambda a, d, k: d[0] * a[:k]), "position 0 alone")


def test_tied_mean_instead_of_sum():
    assert said(nb06.check_tied_gradient(lambda a, d, k: nb06.per_position(a, d, k).mean(0)),
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
        rows = nb06.per_position(a, delta, k)
        for wrong in (rows[0], rows.mean(axis=0), want[::-1], convolve1d(a, delta, "valid")):
            assert not np.allclose(wrong, want)


# ---------------------------------------------------------------- exercise 4: input gradient


def test_input_correct():
    assert nb06.check_input_gradient(lambda d, w: convolve1d(d, w, "full")).status == CORRECT

    def by_matrix(d, w):
        return layer_matrix(w, len(d) + len(w) - 1).T @ d

    assert nb06.check_input_gradient(by_matrix).status == CORRECT


def test_input_not_attempted():
    assert nb06.check_input_gradient(...).status == NOT_ATTEMPTED


def test_input_correlation_instead_of_convolution():
    assert said(nb06.check_input_gradient(lambda d, w: correlate1d(d, w, "full")),
                "did you forget to flip the kernel?")


def test_input_same_mode():
    assert said(nb06.check_input_gradient(lambda d, w: convolve1d(d, w, "same")),
                "'same' output", "full mode")


def test_input_valid_mode():
    assert said(nb06.check_input_gradient(lambda d, w: convolve1d(d, w, "valid")),
                "'valid' output", "full mode")


def test_input_matrix_not_transposed():
    def no_transpose(d, w):
        return layer_matrix(w, len(d) + len(w) - 1) @ np.ones(len(d) + len(w) - 1)

    assert said(nb06.check_input_gradient(no_transpose), "shape")
