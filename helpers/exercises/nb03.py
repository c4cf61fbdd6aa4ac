"""Checks for the exercises of notebook ``03_slide-a-kernel-over-an-image``.

Each check returns *correct*, *not attempted yet* or a specific diagnosis, and never
raises (see :mod:`helpers.exercises.core`).

Examples
--------
>>> check_window(..., ...)
… not attempted yet: replace the `...` placeholder with your answer, then run this cell again.
>>> check_output_shape((6, 5, 4))
✘ not yet: the output of a 2D filter has a 2D shape, (rows, columns); got 3 number(s).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from helpers.conv import conv2d_forward, correlate2d, output_size, pad2d
from helpers.exercises.core import (
    StudentCodeError,
    as_array,
    call_student,
    compare_array,
    compare_shape,
    correct,
    exercise,
    incorrect,
)

#: The seed's 5×5 binary image and 3×3 kernel (seeds 000 and 001).
A = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]])
K = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])

#: Exercise 2: the small array to pad by hand.
S = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])

#: Exercise 3: the photo's shape and the layer's settings.
PHOTO_SHAPE, KERNEL, PADDING, STRIDE = (600, 512), 7, 2, 3


# ---------------------------------------------------------------- exercise 1


@exercise
def check_window(window: Any, value: Any) -> Any:
    """Exercise 1: the window under the kernel for output C[1, 0], and C[1, 0] itself."""
    got = as_array(window, "window_1_0")
    want = A[1:4, 0:3]
    if got.shape == (2, 2):
        return incorrect("off by one: your window is 2×2, the kernel is 3×3. A Python slice "
                         "stops *before* its end, so rows 1, 2, 3 are A[1:4], not A[1:3].")
    if got.shape == (3, 3) and np.array_equal(got, A[0:3, 1:4]):
        return incorrect("this is the window of C[0, 1]: the first index is the row (m), the "
                         "second the column (n). C[1, 0] starts one row down, in column 0.")
    if got.shape == (3, 3) and np.array_equal(got, A[0:3, 0:3]):
        return incorrect("this is the first window, under C[0, 0]. For C[1, 0] move the "
                         "kernel one row down: A[1:4, 0:3].")
    feedback = compare_array(got, want, name="window_1_0")
    if not feedback:
        return incorrect(f"window_1_0: {feedback.message}")
    return _check_value(value, want)


def _check_value(value: Any, window: np.ndarray) -> Any:
    got = as_array(value, "value_1_0")
    if got.shape == (3, 3) and np.array_equal(got, window * K):
        return incorrect("value_1_0 is the Hadamard product window * K, a 3×3 array. The "
                         "filter's output is one number: the *sum* of that product.")
    if got.shape == (3, 3) and np.array_equal(got, window @ K):
        return incorrect("you used np.dot (or @) on 2D arrays: that is a matrix product, "
                         "another 3×3 array. The filter needs np.sum(window * K).")
    if got.size != 1:
        return incorrect(f"value_1_0 should be a single number; got shape {got.shape}.")
    if float(got) == float(correlate2d(A, K, "valid")[0, 1]):
        return incorrect("3 is C[0, 1]: rows come first. C[1, 0] is one row down.")
    expected = int(np.sum(window * K))
    if float(got) == expected:
        return correct(f"C[1, 0] = {expected}, the entry in row 1, column 0 of the output.")
    return incorrect(f"value_1_0 is {got.item()!r}; add up the nine products of "
                     "window * K: which ones are 1?")


# ---------------------------------------------------------------- exercise 2


@exercise
def check_reflect_padding(padded: Any) -> Any:
    """Exercise 2: S padded by one pixel on every side with reflect padding."""
    return compare_array(padded, pad2d(S, 1, "reflect"), name="padded", alternatives={
        "this is replicate padding (np.pad mode 'edge'): the border value is copied outwards. "
        "Reflect mirrors around the border pixel without repeating it, so the value beyond 1 "
        "is 5 (one step in on the diagonal).": pad2d(S, 1, "replicate"),
        "this is wrap padding: the far side comes round, as on a torus. Reflect mirrors "
        "around the border instead.": pad2d(S, 1, "wrap"),
        "this is zero padding. Reflect fills the border with mirrored pixels.":
            pad2d(S, 1, "zero"),
    })


# ---------------------------------------------------------------- exercise 3


def _shapes(rounding) -> tuple[int, int]:
    return tuple(rounding((n + 2 * PADDING - KERNEL) / STRIDE) + 1 for n in PHOTO_SHAPE)


def expected_output_shape() -> tuple[int, int]:
    """The answer to exercise 3, from :func:`helpers.conv.output_size`."""
    return tuple(output_size(n, KERNEL, PADDING, STRIDE) for n in PHOTO_SHAPE)


def _shape_mistakes() -> dict[tuple[int, int], str]:
    h, w = PHOTO_SHAPE
    k, p, s = KERNEL, PADDING, STRIDE
    exact = (w + 2 * p - k) / s
    return {
        _shapes(math.ceil): (
            f"you rounded up: ({w} + 2·{p} − {k}) / {s} = {exact:.2f} and the kernel cannot "
            f"take the last, incomplete step, so take the floor: {math.floor(exact)} steps "
            f"after the first position, {math.floor(exact) + 1} in all."),
        tuple((n + 2 * p - k) // s for n in PHOTO_SHAPE): (
            "one short in each direction: the +1 is missing. It counts the first position, "
            "before any step is taken."),
        tuple((n - k) // s + 1 for n in PHOTO_SHAPE): (
            f"the padding is missing: add 2·{p} to each side length before subtracting the "
            "kernel."),
        tuple((n + p - k) // s + 1 for n in PHOTO_SHAPE): (
            f"the padding is counted once: {p} pixels go on *each* side, so add 2·{p}."),
        tuple(n + 2 * p - k + 1 for n in PHOTO_SHAPE): (
            f"this is the shape for stride 1: with stride {s} the kernel jumps {s} pixels at "
            f"a time, so divide by {s} (and round down)."),
    }


@exercise
def check_output_shape(shape: Any) -> Any:
    """Exercise 3: the output shape for the photo, a 7×7 kernel, padding 2, stride 3."""
    want = expected_output_shape()
    try:
        got = tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        return compare_shape(shape, want)
    if len(got) != len(want):
        return incorrect(f"the output of a 2D filter has a 2D shape, (rows, columns); got "
                         f"{len(got)} number(s).")
    if any(not float(n).is_integer() for n in shape):
        return incorrect("a shape holds whole numbers: round the division down (floor).")
    if got == want:
        return correct()
    mistakes = _shape_mistakes()
    if got in mistakes:
        return incorrect(mistakes[got])
    if got == want[::-1]:
        return incorrect("height and width are swapped: a NumPy shape is (rows, columns), "
                         f"and the photo is {PHOTO_SHAPE[0]} rows by {PHOTO_SHAPE[1]} columns.")
    return incorrect(_axis_hints(got, want))


def _axis_hints(got: tuple[int, ...], want: tuple[int, ...]) -> str:
    """Which axis is wrong, and the formula to redo it with, without giving the answer."""
    k, p, s = KERNEL, PADDING, STRIDE
    parts = []
    for axis, n, g, w in zip(("rows", "columns"), PHOTO_SHAPE, got, want, strict=True):
        parts.append(f"{axis} {g} is right" if g == w else
                     f"{axis} {g} is not: redo ⌊({n} + 2·{p} − {k}) / {s}⌋ + 1")
    return "; ".join(parts) + "."


# ---------------------------------------------------------------- exercise 4


def _cases() -> list[tuple[np.ndarray, np.ndarray, int]]:
    """The seed's example, then a non-square image with an asymmetric kernel."""
    rng = np.random.default_rng(3)
    b = rng.integers(-3, 4, size=(8, 9))
    k = np.array([[1, 2], [0, -1], [3, 1]])
    return [(A, K, 2), (b, k, 2), (b, k, 3)]


def expected_stride(a: np.ndarray, k: np.ndarray, stride: int) -> np.ndarray:
    """Strided cross-correlation from :func:`helpers.conv.conv2d_forward` (one channel)."""
    out, _ = conv2d_forward(a[None, None], k[None, None], np.zeros(1, dtype=a.dtype), stride)
    return out[0, 0]


@exercise
def check_correlate_stride(func: Any) -> Any:
    """Exercise 4: ``correlate_stride(a, k, stride)``, valid cross-correlation with a stride."""
    for a, k, s in _cases():
        try:
            result = call_student(func, a.copy(), k.copy(), s)
        except StudentCodeError as err:
            if "broadcast" in str(err):
                return incorrect(f"{err}. A window ran off the edge of the image and came out "
                                 "smaller than the kernel: did you round the number of steps up?")
            raise
        feedback = _check_stride_case(result, a, k, s)
        if not feedback:
            return feedback
    return correct("your loop agrees with helpers.conv.conv2d_forward on three cases.")


def _check_stride_case(result: Any, a: np.ndarray, k: np.ndarray, s: int) -> Any:
    want = expected_stride(a, k, s)
    full = correlate2d(a, k, "valid")
    oh, ow = want.shape
    case = f"for an image of shape {a.shape}, kernel {k.shape}, stride {s}: "
    ceil_shape = tuple(-(-(n - m) // s) + 1 for n, m in zip(a.shape, k.shape, strict=True))
    got = as_array(result, "the result")
    if got.shape == full.shape and got.shape != want.shape:
        return incorrect(case + "this is the stride-1 output: the stride is ignored. Start "
                         "window (i, j) at row i*stride, column j*stride.")
    if got.shape == want.shape and np.allclose(got, full[:oh, :ow]):
        return incorrect(case + "right shape, but the window moves one pixel per step: start "
                         "window (i, j) at row i*stride, column j*stride.")
    if got.shape == ceil_shape and ceil_shape != want.shape:
        return incorrect(case + f"shape {got.shape} but expected {want.shape}: you rounded the "
                         "number of steps up. Only whole windows count: floor, then +1.")
    flipped = expected_stride(a, k[::-1, ::-1], s)
    if got.shape == want.shape and np.allclose(got, flipped) and not np.allclose(got, want):
        return incorrect(case + "the values match convolution (the kernel flipped). The "
                         "formula C[m, n] = Σ A[m+u, n+v]·K[u, v] uses the kernel as it is.")
    feedback = compare_array(got, want, name="the result")
    return feedback if feedback else incorrect(case + feedback.message)
