"""The check machinery: three outcomes, specific shape hints, and never a traceback."""

from __future__ import annotations

import numpy as np

from helpers.exercises.core import (
    check_cases,
    compare_array,
    compare_shape,
    compare_value,
    correct,
    exercise,
    incorrect,
)


@exercise
def check_square(func):
    return check_cases(func, [(np.array([1.0, 2.0]),), (np.array([3.0]),)],
                       lambda got, x: compare_array(got, x**2), "squares")


def test_placeholders_mean_not_attempted():
    assert check_square(...).status == "not attempted"
    assert check_square(None).status == "not attempted"

    def unwritten(x):
        ...

    assert check_square(unwritten).status == "not attempted"


def test_right_answer_and_specific_diagnoses():
    assert check_square(lambda x: x**2).status == "correct"
    assert "2× too large" in repr(check_square(lambda x: 2 * x**2))
    assert "wrong sign" in repr(check_square(lambda x: -(x**2)))


def test_student_errors_become_feedback_not_tracebacks():
    def broken(x):
        raise ZeroDivisionError("oops")

    feedback = check_square(broken)
    assert feedback.status == "incorrect" and "ZeroDivisionError: oops" in repr(feedback)
    assert check_square(42).status == "incorrect"  # not a function
    assert "numbers" in repr(check_square(lambda x: "text"))


def test_cases_get_copies_so_in_place_edits_cannot_leak():
    def squares_in_place(x):
        x **= 2
        return x

    assert check_square(squares_in_place).status == "correct"


def test_shape_hints():
    assert "row- versus column-vector" in repr(compare_shape((2, 3), (3, 2)))
    assert "off by one" in repr(compare_shape((2, 2), (3, 3)))
    assert "tuple of whole numbers" in repr(compare_shape("3x3", (3, 3)))
    assert compare_shape([4, 2], (4, 2)).status == "correct"


def test_values_and_alternatives():
    alt = {"the values match cross-correlation: did you forget to flip the kernel?": [38, 56]}
    assert "forget to flip" in repr(compare_array([38, 56], [34, 52], alt))
    assert "1 of 2 values differ" in repr(compare_array([34, 50], [34, 52]))
    assert compare_value(4.0, 4).status == "correct"
    assert "single number" in repr(compare_value([4, 4], 4))
    assert bool(correct()) and not bool(incorrect("no"))
