"""The checks of notebook 05: right answers pass, placeholders wait, each usual mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.conv import convolve1d, correlate1d
from helpers.exercises import nb05
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED

X1, W1 = nb05.X1, nb05.W1


def said(feedback, *words):
    """The feedback is a diagnosis that contains every one of ``words``."""
    assert feedback.status == INCORRECT, feedback
    for word in words:
        assert word in feedback.message, (word, feedback.message)
    return True


# ---------------------------------------------------------------- exercise 1: full by hand


def test_full_correct():
    assert nb05.check_full_convolution([3, 1, 8, -1, 3, -2]).status == CORRECT
    assert nb05.check_full_convolution(np.convolve(X1, W1)).status == CORRECT


@pytest.mark.parametrize("answer", [..., None])
def test_full_not_attempted(answer):
    assert nb05.check_full_convolution(answer).status == NOT_ATTEMPTED


def test_full_cross_correlation_is_diagnosed():
    assert said(nb05.check_full_convolution(correlate1d(X1, W1, "full")),
                "the values match cross-correlation: did you forget to flip the kernel?")


def test_full_same_mode_is_diagnosed():
    assert said(nb05.check_full_convolution(convolve1d(X1, W1, "same")), "'same' output",
                "N + K − 1 = 6")


def test_full_valid_mode_is_diagnosed():
    assert said(nb05.check_full_convolution(convolve1d(X1, W1, "valid")), "'valid' output")


def test_full_reversed_is_diagnosed():
    assert said(nb05.check_full_convolution(convolve1d(X1, W1)[::-1]), "backwards")


def test_full_one_value_short_is_an_off_by_one():
    assert said(nb05.check_full_convolution([3, 1, 8, -1, 3]), "off by one")


def test_full_one_value_short_names_the_length():
    assert said(nb05.check_full_convolution([3, 1, 8, -1, 3]), "N + K − 1 = 6", "both ends")


def test_full_one_wrong_value_is_located():
    assert said(nb05.check_full_convolution([3, 1, 8, 1, 3, -2]), "index (3,)")


def test_full_text_is_not_a_crash():
    assert said(nb05.check_full_convolution("3, 1, 8"), "numbers")


# ---------------------------------------------------------------- exercise 2: the lengths


def test_lengths_correct():
    assert nb05.check_lengths((56, 50, 44)).status == CORRECT
    assert nb05.check_lengths([56, 50, 44]).status == CORRECT


def test_lengths_not_attempted():
    assert nb05.check_lengths(...).status == NOT_ATTEMPTED


def test_lengths_same_confused_with_full():
    assert said(nb05.check_lengths((56, 56, 44)), "N + K − 1", "length of full")


def test_lengths_same_confused_with_valid():
    assert said(nb05.check_lengths((56, 44, 44)), "N − K + 1", "length of valid")


def test_lengths_full_and_valid_swapped():
    assert said(nb05.check_lengths((44, 50, 56)), "swapped")


@pytest.mark.parametrize("answer, mode", [((56, 50, 43), "valid"), ((57, 50, 44), "full"),
                                          ((55, 50, 44), "full")])
def test_lengths_off_by_one(answer, mode):
    assert said(nb05.check_lengths(answer), "off by one", mode)


def test_lengths_other_wrong_values_are_listed():
    assert said(nb05.check_lengths((60, 50, 44)), "full = 60 (expected 56)")


@pytest.mark.parametrize("answer", ["abc", (56, 50)])
def test_lengths_malformed(answer):
    assert said(nb05.check_lengths(answer), "three")


# ---------------------------------------------------------------- exercise 3: correlation loop


def correlate_valid(x, w):
    return np.array([np.sum(x[i:i + len(w)] * w) for i in range(len(x) - len(w) + 1)])


def test_correlate_correct():
    assert nb05.check_correlate_valid(correlate_valid).status == CORRECT


def test_correlate_not_attempted():
    assert nb05.check_correlate_valid(...).status == NOT_ATTEMPTED

    def unfinished(x, w):
        return None

    assert nb05.check_correlate_valid(unfinished).status == NOT_ATTEMPTED


def test_correlate_flipped_kernel_is_convolution():
    assert said(nb05.check_correlate_valid(lambda x, w: np.convolve(x, w, "valid")),
                "flips the kernel", "34, not 38")


def test_correlate_range_off_by_one():
    def short(x, w):
        return np.array([np.sum(x[i:i + len(w)] * w) for i in range(len(x) - len(w))])

    assert said(nb05.check_correlate_valid(short), "off by one", "range(N - K + 1)")


def test_correlate_full_mode():
    assert said(nb05.check_correlate_valid(lambda x, w: np.correlate(x, w, "full")),
                "full output")


def test_correlate_reversed_output():
    assert said(nb05.check_correlate_valid(lambda x, w: correlate_valid(x, w)[::-1]),
                "reversed")


def test_correlate_errors_become_feedback():
    def broken(x, w):
        raise IndexError("index 4 is out of bounds")

    assert said(nb05.check_correlate_valid(broken), "IndexError")


# ---------------------------------------------------------------- exercise 4: PyTorch's same


def torch_same(x, w):
    """PyTorch's documented placement for padding="same": (K - 1) // 2 zeros before."""
    before = (len(w) - 1) // 2
    return correlate1d(np.pad(x, (before, len(w) - 1 - before)), w, "valid")


def test_torch_same_correct():
    assert torch_same(nb05.X4, nb05.W4).tolist() == [2, 9, 6, 4, 2, 0]
    assert nb05.check_torch_same([2, 9, 6, 4, 2, 0]).status == CORRECT


def test_torch_same_not_attempted():
    assert nb05.check_torch_same(...).status == NOT_ATTEMPTED


def test_torch_same_numpy_placement():
    numpy_same = np.correlate(nb05.X4, nb05.W4, "same")
    assert numpy_same.tolist() == [3, 2, 9, 6, 4, 2]
    assert said(nb05.check_torch_same(numpy_same), "np.correlate", "one sample further left")


def test_torch_same_flipped_kernel():
    flipped = correlate1d(np.pad(nb05.X4, (1, 2)), nb05.W4[::-1], "valid")
    assert said(nb05.check_torch_same(flipped), "no flip")
    assert said(nb05.check_torch_same(np.convolve(nb05.X4, nb05.W4, "same")), "np.convolve")


def test_torch_same_wrong_length():
    assert said(nb05.check_torch_same([2, 9, 6]), "one per sample")


def test_torch_same_docstring_holds_no_answer():
    assert "9, 6, 4" not in (nb05.check_torch_same.__doc__ or "") + nb05.__doc__
