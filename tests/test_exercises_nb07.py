"""The checks of notebook 07: right answers pass, placeholders wait, each usual mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.conv import convolve2d, correlate2d
from helpers.exercises import nb07
from helpers.exercises.core import CORRECT, INCORRECT, NOT_ATTEMPTED


def said(feedback, *words):
    """The feedback is a diagnosis that contains every one of ``words``."""
    assert feedback.status == INCORRECT, feedback
    for word in words:
        assert word in feedback.message, (word, feedback.message)
    return True


# ---------------------------------------------------------------- exercise 1: sizes


def test_sizes():
    assert nb07.check_sizes((5, 4, 9)).status == CORRECT
    assert nb07.check_sizes(...).status == NOT_ATTEMPTED
    assert said(nb07.check_sizes((6, 4, 9)), "rounded", "floored")
    assert said(nb07.check_sizes((4, 4, 9)), "+1 is missing")
    assert said(nb07.check_sizes((5, 8, 9)), "without dilation")
    assert said(nb07.check_sizes((5, 2, 9)), "d·k overcounts")
    assert said(nb07.check_sizes((5, 4, 10)), "n·s")
    assert said(nb07.check_sizes((5, 4, 11)), "padding is missing")
    assert said(nb07.check_sizes((5, 4, 13)), "you added it")
    assert said(nb07.check_sizes((5, 4)), "three")
    assert said(nb07.check_sizes("five"), "whole numbers")


# ---------------------------------------------------------------- exercise 2: zero insertion


def zero_insert(d, s):
    out = np.zeros(((d.shape[0] - 1) * s + 1, (d.shape[1] - 1) * s + 1), dtype=d.dtype)
    out[::s, ::s] = d
    return out


def test_zero_insert_correct_and_placeholder():
    assert nb07.check_zero_insert(zero_insert).status == CORRECT
    assert nb07.check_zero_insert(...).status == NOT_ATTEMPTED
    assert nb07.check_zero_insert(lambda d, s: None).status == NOT_ATTEMPTED


def test_zero_insert_mistakes():
    def trailing(d, s):
        out = np.zeros((d.shape[0] * s, d.shape[1] * s))
        out[::s, ::s] = d
        return out

    assert said(nb07.check_zero_insert(trailing), "between")
    assert said(nb07.check_zero_insert(lambda d, s: np.kron(d, np.ones((s, s)))), "repeated")
    assert said(nb07.check_zero_insert(lambda d, s: zero_insert(d, s)[:, ::s]), "columns")
    assert said(nb07.check_zero_insert(lambda d, s: 1 / 0), "ZeroDivisionError")


# ---------------------------------------------------------------- exercise 3: receptive field


def test_receptive_field():
    def formula(kernels, strides):
        size, step = 1, 1
        for k, s in zip(kernels, strides, strict=True):
            size, step = size + (k - 1) * step, step * s
        return size

    assert nb07.check_receptive_field(formula).status == CORRECT
    assert nb07._measured_field([3, 3], [1, 1]) == 5
    assert nb07._measured_field([3, 3, 3], [2, 2, 2]) == 15
    assert nb07._measured_field([5, 3], [1, 2]) == formula([5, 3], [1, 2]) == 7
    assert said(nb07.check_receptive_field(lambda k, s: sum(k)), "k − 1")
    assert said(nb07.check_receptive_field(lambda k, s: 1 + sum(x - 1 for x in k)),
                "strides are missing")
    assert said(nb07.check_receptive_field(
        lambda k, s: 1 + sum((x - 1) * int(np.prod(s[:i + 1])) for i, x in enumerate(k))),
        "below")
    assert said(nb07.check_receptive_field(lambda k, s: int(np.prod(k))), "every path")
    assert said(nb07.check_receptive_field(lambda k, s: "many"), "whole number")


# ---------------------------------------------------------------- exercise 4: strided gradient


def fitted(a, shape):
    out = np.zeros(shape)
    out[:a.shape[0], :a.shape[1]] = a[:shape[0], :shape[1]]
    return out


def test_strided_gradient_correct():
    def answer(delta, w, s, shape):
        return fitted(convolve2d(zero_insert(delta, s), w, "full"), shape)

    assert nb07.check_strided_input_gradient(answer).status == CORRECT


@pytest.mark.parametrize("wrong, words", [
    (lambda d, w, s, shape: fitted(correlate2d(zero_insert(d, s), w, "full"), shape),
     ["correlation", "flipped"]),
    (lambda d, w, s, shape: fitted(convolve2d(d, w, "full"), shape), ["stride is missing"]),
    (lambda d, w, s, shape: convolve2d(zero_insert(d, s), w, "full"), ["floor", "x_shape"]),
    (lambda d, w, s, shape: np.zeros(shape), ["values differ"]),
])
def test_strided_gradient_mistakes(wrong, words):
    assert said(nb07.check_strided_input_gradient(wrong), *words)
