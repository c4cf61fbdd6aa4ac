"""Checks for the exercises of notebook ``07_transpose-the-convolution``.

Each check returns *correct*, *not attempted yet* or a specific diagnosis, and never
raises (see :mod:`helpers.exercises.core`).

Examples
--------
>>> check_sizes(...)
… not attempted yet: replace the `...` placeholder with your answer, then run this cell again.
>>> check_receptive_field(lambda kernels, strides: sum(kernels))
✘ not yet: for kernels [3, 3] and strides [1, 1]: you added the kernel sizes. Neighbouring windows share entries: each layer adds k − 1 new ones, not k.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.conv import (
    conv2d_backward,
    conv2d_forward,
    conv_transpose1d,
    convolve2d,
    correlate2d,
    output_size,
)
from helpers.conv import transposed_size as t_size
from helpers.exercises.core import (
    as_array,
    check_cases,
    compare_array,
    correct,
    exercise,
    incorrect,
    whole_numbers,
)

#: Exercise 1: (n, k, padding, stride, dilation) of a layer, a dilated layer, and
#: (n, k, stride, padding) of a transposed convolution.
LAYER1 = (10, 3, 1, 2, 1)
DILATED1 = (10, 3, 0, 1, 3)
TRANSPOSED1 = (5, 3, 2, 1)


# ---------------------------------------------------------------- exercise 1


def _want_sizes() -> tuple[int, int, int]:
    return output_size(*LAYER1), output_size(*DILATED1), t_size(*TRANSPOSED1)


@exercise
def check_sizes(answer: Any) -> Any:
    """Exercise 1: (strided layer, dilated layer, transposed convolution) output sizes."""
    got = whole_numbers(answer, "(strided, dilated, transposed)", 3)
    want = _want_sizes()
    if got == want:
        return correct("the floor, the dilated span d(k − 1) + 1, and (n − 1)s − 2p + k.")
    n, k, p, s, _ = LAYER1
    if got[0] != want[0]:
        if got[0] == -(-(n + 2 * p - k) // s) + 1:
            return incorrect("strided layer: you rounded (n + 2p − k)/s up. The kernel must fit "
                             "inside the padded input, so the division is floored.")
        if got[0] == (n + 2 * p - k) // s:
            return incorrect("strided layer: the +1 is missing; it counts the first position.")
        if got[0] == n // s:
            return incorrect("strided layer: n / s ignores the kernel and the padding. Use "
                             "floor((n + 2p − k)/s) + 1.")
        return incorrect(f"strided layer: {got[0]} is not floor((n + 2p − k)/s) + 1.")
    n, k, _, _, d = DILATED1
    if got[1] != want[1]:
        if got[1] == n - k + 1:
            return incorrect("dilated layer: that is the size without dilation. A dilated "
                             "kernel spans d(k − 1) + 1 entries, not k.")
        if got[1] == n - d * k + 1:
            return incorrect("dilated layer: d·k overcounts the span by d − 1: the gaps lie "
                             "only between the taps, so the span is d(k − 1) + 1.")
        return incorrect(f"dilated layer: {got[1]} is not n − d(k − 1) − 1 + 1.")
    n, k, s, p = TRANSPOSED1
    if got[2] == n * s:
        return incorrect("transposed: n·s is how many entries a stride-s layer would have "
                         "read, not what the stamps cover. Use (n − 1)s − 2p + k.")
    if got[2] == t_size(n, k, s, 0):
        return incorrect("transposed: the padding is missing. In a transposed convolution "
                         "padding crops p entries from each side: − 2p.")
    if got[2] == t_size(n, k, s, p) + 2 * 2 * p:
        return incorrect("transposed: padding crops the output (− 2p); you added it.")
    return incorrect(f"transposed: {got[2]} is not (n − 1)s − 2p + k.")


# ---------------------------------------------------------------- exercise 2


def _zero_cases() -> list[tuple[np.ndarray, int]]:
    rng = np.random.default_rng(72)
    return [(np.array([[1, 2, 3], [4, 5, 6]]), 2), (rng.normal(size=(3, 2)), 3),
            (np.array([[7, -1]]), 1)]


def _spread(d: np.ndarray, s: int) -> np.ndarray:
    """d placed on a grid s times as coarse (the checks of exercises 2 and 4 compare with it)."""
    out = np.zeros(((d.shape[0] - 1) * s + 1, (d.shape[1] - 1) * s + 1), dtype=d.dtype)
    out[::s, ::s] = d
    return out


@exercise
def check_zero_insert(func: Any) -> Any:
    """Exercise 2: ``zero_insert(d, s)``, s − 1 zeros between neighbouring entries of d."""
    return check_cases(func, _zero_cases(), _check_zero,
                       "δ with s − 1 zeros between neighbours, and none after the last.")


def _check_zero(result: Any, d: np.ndarray, s: int) -> Any:
    want = _spread(d, s)
    trailing = np.zeros((d.shape[0] * s, d.shape[1] * s), dtype=d.dtype)
    trailing[::s, ::s] = d
    repeated = np.kron(d, np.ones((s, s), dtype=d.dtype))
    mistakes = {
        f"shape {trailing.shape}: s − 1 zeros follow the last row and column too. Zeros go "
        "only *between* entries: (h − 1)s + 1 rows.": trailing,
        "the entries are repeated (np.repeat or np.kron with ones): that is nearest-neighbour "
        "resizing. The gaps must hold zeros.": repeated,
        "the entries are repeated into the gaps: that is nearest-neighbour resizing. The gaps "
        "must hold zeros.": repeated[:want.shape[0], :want.shape[1]],
        "zeros went between the rows only; the columns need them too.":
            _spread(d, s)[:, ::s] if s > 1 else None,
    }
    mistakes = {m: v for m, v in mistakes.items() if v is not None and s > 1}
    feedback = compare_array(as_array(result, "the result"), want, alternatives=mistakes,
                             name="the result")
    return feedback if feedback else incorrect(f"for d of shape {d.shape} and s = {s}: "
                                               + feedback.message)


# ---------------------------------------------------------------- exercise 3


_FIELD_CASES = [([3, 3], [1, 1]), ([3, 3, 3], [2, 2, 2]), ([5, 3], [1, 2]), ([3, 3, 3], [2, 1, 1])]


def _measured_field(kernels: list[int], strides: list[int]) -> int:
    """Inputs that one output reaches, measured as in the notebook: send a 1 back through
    each layer's transposed convolution (kernels of ones) and count what it touches."""
    reach = np.ones(1)
    for k, s in zip(reversed(kernels), reversed(strides), strict=True):
        reach = conv_transpose1d(reach, np.ones(k), stride=s)
    return int(np.count_nonzero(reach))


@exercise
def check_receptive_field(func: Any) -> Any:
    """Exercise 3: ``receptive_field(kernels, strides)`` of one output of the last layer."""
    return check_cases(func, [(list(k), list(s)) for k, s in _FIELD_CASES], _check_field,
                       "each layer adds k − 1 steps of the product of the strides below it.")


def _check_field(result: Any, kernels: list[int], strides: list[int]) -> Any:
    case = f"for kernels {kernels} and strides {strides}: "
    try:
        got = int(result)
    except (TypeError, ValueError):
        return incorrect(case + f"return one whole number; got {result!r}.")
    want = _measured_field(kernels, strides)
    if got == want:
        return correct()
    including_own = 1 + sum((k - 1) * int(np.prod(strides[:i + 1])) for i, k in enumerate(kernels))
    slips = {
        sum(kernels): "you added the kernel sizes. Neighbouring windows share entries: each "
                      "layer adds k − 1 new ones, not k.",
        1 + sum(k - 1 for k in kernels): "the strides are missing. A stride-s layer below makes "
                                         "every step of the layers above it s entries wide.",
        including_own: "a layer's own stride does not widen its own window: multiply k − 1 by "
                       "the strides of the layers *below* it only.",
        int(np.prod(kernels)): "multiplying the kernel sizes counts every path, not every "
                               "entry: windows overlap, so add k − 1 per layer instead.",
    }
    return incorrect(case + slips.get(got, f"{got} entries, but one output sees {want}."))


# ---------------------------------------------------------------- exercise 4


def _gradient_cases() -> list[tuple[np.ndarray, np.ndarray, int, tuple[int, int]]]:
    """(delta, w, stride, x_shape): shapes where the floor drops rows, and asymmetric w."""
    rng = np.random.default_rng(74)
    return [(np.array([[1, -2], [0, 3]]), np.array([[1, 2, 0], [0, -1, 3], [2, 0, 1]]), 2, (5, 6)),
            (rng.normal(size=(3, 2)), rng.normal(size=(2, 3)), 3, (8, 6)),
            (rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), 1, (3, 3))]


@exercise
def check_strided_input_gradient(func: Any) -> Any:
    """Exercise 4: ``input_gradient(delta, w, stride, x_shape)`` for a strided 2D layer."""
    return check_cases(func, _gradient_cases(), _check_gradient,
                       "zeros between the entries of δ, a full convolution with w, and the "
                       "rows and columns that the floor dropped.")


def _check_gradient(result: Any, delta: np.ndarray, w: np.ndarray, s: int,
                    x_shape: tuple[int, int]) -> Any:
    x = np.zeros((1, 1, *x_shape))
    _, cache = conv2d_forward(x, w[None, None].astype(float), [0.0], s)
    want = conv2d_backward(delta[None, None].astype(float), cache)[0][0, 0]
    up = _spread(delta, s)
    core = convolve2d(up, w, "full")
    case = f"for delta {delta.shape}, w {w.shape}, stride {s}, x {x_shape}: "
    got = as_array(result, "the result")

    def padded(a: np.ndarray) -> np.ndarray:
        out = np.zeros(x_shape)
        out[:a.shape[0], :a.shape[1]] = a[:x_shape[0], :x_shape[1]]
        return out

    mistakes = {
        "the values of a full *correlation*: the kernel must be flipped. Each entry of δ sends "
        "δ·w back to its window, which is a convolution.": padded(correlate2d(up, w, "full")),
        "the stride is missing: without zeros between the entries of δ, the windows would be "
        "1 apart instead of s apart.": padded(convolve2d(delta, w, "full")),
    }
    mistakes = {m: v for m, v in mistakes.items() if not np.allclose(v, want)}
    if got.shape == core.shape and core.shape != want.shape:
        return incorrect(case + f"shape {core.shape}: the floor in the forward pass skipped the "
                         f"last rows or columns of x, whose gradient is 0. Pad with zeros up to "
                         f"x_shape = {x_shape}.")
    feedback = compare_array(got, want, alternatives=mistakes, name="the result")
    return feedback if feedback else incorrect(case + feedback.message)
