"""Checks for the exercises of notebook ``04_decide-dot-product-or-elementwise``.

Each check returns feedback (correct, not attempted yet, or a specific diagnosis) and
never raises. The expected answers come from :mod:`helpers.conv`.

Examples
--------
>>> check_corner_kernel(..., ...)
… not attempted yet: replace the `...` placeholder with your answer, then run this cell again.
>>> check_toeplitz([[1, 2], [3, 4]])
✘ not yet: shape (2, 2) but expected (4, 9).
>>> check_im2col_shape(...)
… not attempted yet: replace the `...` placeholder with your answer, then run this cell again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.conv import conv2d_forward, correlate2d, output_size
from helpers.exercises.core import (
    StudentCodeError,
    as_array,
    call_student,
    compare_array,
    correct,
    exercise,
    incorrect,
)

#: The 5×5 image of seed 001, as notebook 04 names it (``image``).
IMAGE = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0],
                  [0, 1, 1, 0, 0]])


def _first_match(got: np.ndarray, pairs: list[tuple[str, Any]]) -> str | None:
    """The message of the first known mistake whose value equals ``got``, if any."""
    for message, value in pairs:
        value = np.asarray(value)
        if got.shape == value.shape and np.allclose(got, value):
            return message
    return None


# ---------------------------------------------------------------- exercise 1

#: Exercise 1: a kernel with a single 1, in its top-left corner.
CORNER = np.array([[1, 0, 0], [0, 0, 0], [0, 0, 0]])

CORNER_NOT_FLIPPED = ("conv_corner equals the cross-correlation: the kernel was not flipped. "
                      "Convolution slides the kernel turned by 180°, so its single 1 moves "
                      "to the opposite corner.")
CORNER_SWAPPED = ("the two answers are swapped: cross-correlation uses the kernel as it is, "
                  "convolution the kernel turned by 180°.")
CORNER_ROWS = ("this is the kernel flipped upside down only: a half turn also flips left "
               "to right, so the 1 lands in the opposite corner, not the same column.")
CORNER_COLS = ("this is the kernel flipped left to right only: a half turn also flips upside "
               "down, so the 1 lands in the opposite corner, not the same row.")


def _corner_outputs() -> dict[str, np.ndarray]:
    """The valid outputs for the corner kernel as it is and under each kind of flip."""
    k = CORNER
    return {name: correlate2d(IMAGE, kernel, "valid") for name, kernel in (
        ("as is", k), ("half turn", k[::-1, ::-1]), ("rows", k[::-1]), ("cols", k[:, ::-1]))}


@exercise
def check_corner_kernel(corr_corner: Any, conv_corner: Any) -> Any:
    """Exercise 1: the predicted valid correlation and convolution of the image with CORNER."""
    out = _corner_outputs()
    corr, conv = as_array(corr_corner, "corr_corner"), as_array(conv_corner, "conv_corner")
    if (corr.shape == conv.shape == (3, 3) and np.array_equal(corr, out["half turn"])
            and np.array_equal(conv, out["as is"])):
        return incorrect(CORNER_SWAPPED)
    feedback = compare_array(corr, out["as is"], name="corr_corner", alternatives={
        "corr_corner: this is the convolution. A CNN layer's correlation uses the kernel as "
        "it is: its 1 sits on the window's top-left pixel.": out["half turn"]})
    if not feedback:
        return incorrect(f"corr_corner: {feedback.message}")
    feedback = compare_array(conv, out["half turn"], name="conv_corner", alternatives={
        CORNER_NOT_FLIPPED: out["as is"], CORNER_ROWS: out["rows"], CORNER_COLS: out["cols"]})
    if not feedback:
        return incorrect(f"conv_corner: {feedback.message}")
    return correct("a single 1 copies one pixel of each window: the window's top-left pixel "
                   "for the correlation, its bottom-right pixel for the convolution.")


# ---------------------------------------------------------------- exercise 2

#: Exercise 2: the 2×2 kernel that slides over a 3×3 image.
TOEPLITZ_KERNEL = np.array([[1, 2], [3, 4]])
TOEPLITZ_SIDE = 3

TOEPLITZ_TRANSPOSED = ("M is transposed: M @ x.ravel() must give the 4 outputs, so M has one "
                       "row per output and one column per pixel, shape (4, 9).")
TOEPLITZ_FLIPPED = ("these rows hold the kernel turned by 180°: that matrix computes the "
                    "convolution. The layer's correlation uses k as it is.")
TOEPLITZ_CONTIGUOUS = ("each row holds the four weights side by side, as if the window were "
                       "4 consecutive pixels of x.ravel(). The window's second row starts one "
                       "image row later: 3 entries after its first row, not right after it.")
TOEPLITZ_ONE_STEP = ("the rows shift by one entry each time, as for a 1D signal. Moving the "
                     "window one column right shifts a row by 1 entry, but moving it one row "
                     "down shifts it by a whole image row, 3 entries.")


def toeplitz_expected() -> np.ndarray:
    """The matrix of exercise 2, computed from its definition (not printed here)."""
    n, k = TOEPLITZ_SIDE, TOEPLITZ_KERNEL
    units = np.eye(n * n, dtype=int).reshape(n * n, n, n)
    return np.stack([correlate2d(e, k, "valid").ravel() for e in units], axis=1)


def _toeplitz_mistakes() -> dict[str, np.ndarray]:
    n, k = TOEPLITZ_SIDE, TOEPLITZ_KERNEL
    flat = np.zeros((4, n * n), dtype=int)
    shifted = np.zeros((4, n * n), dtype=int)
    for r, start in enumerate((0, 1, 3, 4)):
        flat[r, start:start + 4] = k.ravel()
    for r in range(4):
        shifted[r, [r, r + 1, r + n, r + n + 1]] = k.ravel()
    turned = np.stack([correlate2d(e, k[::-1, ::-1], "valid").ravel()
                       for e in np.eye(n * n, dtype=int).reshape(n * n, n, n)], axis=1)
    return {TOEPLITZ_FLIPPED: turned, TOEPLITZ_CONTIGUOUS: flat, TOEPLITZ_ONE_STEP: shifted}


@exercise
def check_toeplitz(M: Any) -> Any:
    """Exercise 2: the matrix M with M @ x.ravel() == correlate2d(x, k, 'valid').ravel()."""
    got, want = as_array(M, "M"), toeplitz_expected()
    if got.shape == want.T.shape:
        return incorrect(TOEPLITZ_TRANSPOSED)
    feedback = compare_array(got, want, name="M", alternatives=_toeplitz_mistakes())
    if feedback:
        return correct("each row holds the same 4 weights, placed under its window: 16 of the "
                       "36 entries are nonzero, and the pattern repeats block by block along "
                       "the diagonal, so M is doubly block-Toeplitz.")
    if got.shape != want.shape or feedback.message in _toeplitz_mistakes():
        return feedback
    r = next(r for r in range(want.shape[0]) if not np.array_equal(got[r], want[r]))
    i, j = divmod(r, want.shape[0] // 2)
    return incorrect(f"row {r} (output ({i}, {j})) is not right: its window's top-left pixel "
                     f"is x[{i}, {j}], entry {i * TOEPLITZ_SIDE + j} of x.ravel().")


# ---------------------------------------------------------------- exercise 3

IM2COL_X_SHAPE = (2, 3, 16, 16)  # N, C, H, W: two 16×16 RGB thumbnails
IM2COL_K, IM2COL_STRIDE, IM2COL_PADDING = 7, 2, 3  # the first layer of ResNet


def _im2col_shape(n: int, c: int, h: int, k: int, stride: int, padding: int) -> tuple:
    side = output_size(h, k, padding, stride)
    return c * k * k, n * side * side


def im2col_answer() -> tuple[int, int]:
    """The shape of ``im2col`` for exercise 3, from its formula ``(C*k*k, N*out_h*out_w)``.

    The value is not printed here: the student edition imports this module.
    """
    n, c, h, _ = IM2COL_X_SHAPE
    return _im2col_shape(n, c, h, IM2COL_K, IM2COL_STRIDE, IM2COL_PADDING)


def _im2col_mistakes() -> dict[tuple, str]:
    n, c, h, _ = IM2COL_X_SHAPE
    k, s, p = IM2COL_K, IM2COL_STRIDE, IM2COL_PADDING
    rows, cols = im2col_answer()
    side = output_size(h, k, p, s)
    return {
        (cols, rows): "transposed: helpers.conv.im2col puts one window per column, so the rows "
                      "are the C·kh·kw numbers of a window and the columns are the windows.",
        _im2col_shape(n, c, h, k, s, 0): "you forgot the padding: with 3 zeros on each side "
                                         "the input is 22 wide, not 16.",
        (rows, n * (side - 1) ** 2): "off by one: output_size is (n + 2p − k) // s + 1; "
                                     "the + 1 counts the first position.",
        _im2col_shape(n, c, h, k, 1, p): "you forgot the stride: with stride 2 only every "
                                         "second position is kept.",
        (rows, side * side): "you forgot the batch: each of the N images adds its own "
                             "windows, so there are N·out_h·out_w columns.",
        (k * k, cols): "you forgot the channels: a window spans all C input channels, so it "
                       "has C·kh·kw numbers.",
    }


@exercise
def check_im2col_shape(shape: Any) -> Any:
    """Exercise 3: the shape of ``im2col(x, 7, 7, stride=2, padding=3)`` for x (2, 3, 16, 16)."""
    try:
        got = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        return incorrect(f"a shape is a tuple of two whole numbers like (27, 9); got {shape!r}.")
    want = im2col_answer()
    if got == want:
        return correct("147 rows (3·7·7 numbers per window) and 128 columns (2·8·8 windows).")
    if len(got) != 2:
        return incorrect(f"im2col returns a matrix, so its shape has 2 numbers; got {len(got)}.")
    for mistake, message in _im2col_mistakes().items():
        if got == tuple(mistake):
            return incorrect(message)
    return incorrect(f"shape {got} but expected another one: rows = C·kh·kw, "
                     "columns = N·out_h·out_w, with out_h from output_size.")


# ---------------------------------------------------------------- exercise 4

CONV1X1_SHAPES = (2, 4, 3, 5)  # H, W, C, F: channels last, every size different

RESHAPE_MIX = ("the values are scrambled: x is channels-last, so the C values of one pixel "
               "sit side by side in memory. x.reshape(C, -1) cuts that memory into the wrong "
               "pieces and mixes pixels with channels; a reshape to (H*W, C) gives one row "
               "per pixel.")
INNER_MISMATCH = ("the inner sizes of @ must agree. With one row per pixel, (H·W, C), the "
                  "weights must come as (C, F) on the right.")
NOT_RESHAPED = "right numbers, one row per pixel; now reshape the result to (H, W, F)."
CHANNELS_FIRST = ("right numbers in channels-first order (F, H, W). This exercise keeps "
                  "TensorFlow's layout: the output is channels-last too, (H, W, F).")


def conv1x1_expected(x: Any, w: Any) -> np.ndarray:
    """A channels-last 1×1 convolution from the layer: x (H, W, C), w (F, C) -> (H, W, F).

    The layer, ``conv2d_forward``, works channels-first, so x is transposed in and the
    output transposed out.

    Examples
    --------
    >>> conv1x1_expected(np.ones((1, 3, 2)), np.array([[1.0, 2.0]]))
    array([[[3.],
            [3.],
            [3.]]])
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    out, _ = conv2d_forward(x.transpose(2, 0, 1)[None], w[:, :, None, None],
                            np.zeros(w.shape[0]))
    return out[0].transpose(1, 2, 0)


@exercise
def check_conv1x1(conv1x1_hwc: Any) -> Any:
    """Exercise 4: ``conv1x1_hwc(x, w)`` with x (H, W, C), w (F, C) returns (H, W, F)."""
    h, wd, c, f = CONV1X1_SHAPES
    rng = np.random.default_rng(4)
    x = rng.integers(-3, 4, size=(h, wd, c)).astype(float)
    w = rng.integers(-2, 3, size=(f, c)).astype(float)
    want = conv1x1_expected(x, w)
    try:
        got = as_array(call_student(conv1x1_hwc, x.copy(), w.copy()), "your result")
    except StudentCodeError as err:
        if "mismatch" in str(err) or "not aligned" in str(err):
            raise StudentCodeError(INNER_MISMATCH) from err
        raise
    mixed = w @ x.reshape(c, -1)                       # (F, H·W) from the wrong pieces
    message = _first_match(got, [
        (RESHAPE_MIX, mixed.reshape(h, wd, f)), (RESHAPE_MIX, mixed.T.reshape(h, wd, f)),
        (NOT_RESHAPED, want.reshape(h * wd, f)), (CHANNELS_FIRST, want.transpose(2, 0, 1)),
    ])
    if message:
        return incorrect(message)
    feedback = compare_array(got, want)
    if feedback:
        return correct("one matrix product (H·W, C) @ (C, F) does the whole 1×1 convolution, "
                       "with no transposes of x.")
    return feedback
