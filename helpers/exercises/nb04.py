"""Checks for the exercises of notebook ``04_decide-dot-product-or-elementwise``.

Each check returns feedback (correct, not attempted yet, or a specific diagnosis) and
never raises. The expected answers come from :mod:`helpers.conv`.

Examples
--------
>>> import numpy as np
>>> check_window_response(lambda image, kernel, i, j: np.sum(
...     image[i:i + kernel.shape[0], j:j + kernel.shape[1]] * kernel))
✔ correct: the window and the kernel are multiplied element by element and summed.
>>> check_im2col_shape(...)
… not attempted yet: replace the `...` placeholder with your answer, then run this cell again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.conv import conv2d_forward, convolve2d, correlate2d, output_size
from helpers.exercises.core import (
    StudentCodeError,
    as_array,
    call_student,
    compare_array,
    compare_value,
    correct,
    exercise,
    incorrect,
)

#: The 5×5 image and the asymmetric kernel of seed 001 (the notebook's I and K2).
IMAGE = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0],
                  [0, 1, 1, 0, 0]])
K2 = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1]])

# ---------------------------------------------------------------- exercise 1

NP_DOT = ("you used np.dot on 2D arrays: that is the matrix product (rows of the window "
          "times columns of the kernel), a 3×3 matrix, not one number. Multiply element by "
          "element with * and add everything up with np.sum.")
NP_DOT_SUMMED = ("that is the sum of the matrix product np.dot(window, kernel): it pairs "
                 "rows with columns, not equal positions. Use np.sum(window * kernel).")
FLIPPED = ("that is the convolution value: you flipped the kernel. A CNN layer slides "
           "the kernel as it is (cross-correlation).")
TRANSPOSED = ("that is the response at (j, i): the first index picks the row "
              "(image[i:...]), the second the column.")
TWO_BY_TWO = ("off by one: your window is 2×2, the kernel is 3×3. A slice i:i+2 stops "
              "before i+2; use i:i+kh with kh = kernel.shape[0].")
HARD_CODED = ("your window is 3×3 but this kernel is 2×3: take the window's size from "
              "kernel.shape instead of writing 3.")


NOT_SUMMED = ("you returned the element-wise products (the Hadamard product); add them up "
              "with np.sum to get the one number of this output position.")


def _window_cases() -> list[tuple[np.ndarray, np.ndarray, int, int]]:
    rect = np.array([[1, -1, 2], [0, 3, 1]])
    image = np.arange(30).reshape(5, 6) % 7
    return [(IMAGE, K2, 0, 2), (image, rect, 2, 1), (IMAGE, K2, 1, 0)]


def _first_match(got: np.ndarray, pairs: list[tuple[str, Any]]) -> str | None:
    """The message of the first known mistake whose value equals ``got``, if any."""
    for message, value in pairs:
        value = np.asarray(value)
        if got.shape == value.shape and np.allclose(got, value):
            return message
    return None


def _one_window(func: Any, image: np.ndarray, kernel: np.ndarray, i: int, j: int) -> Any:
    """Call the student's function; turn the usual slicing errors into a diagnosis."""
    try:
        return call_student(func, image.copy(), kernel.copy(), i, j)
    except StudentCodeError as err:
        text = str(err).replace(" ", "")
        if "(2,2)(3,3)" in text or "(3,3)(2,2)" in text:
            raise StudentCodeError(TWO_BY_TWO) from err
        if "(3,3)(2,3)" in text or "(2,3)(3,3)" in text:
            raise StudentCodeError(HARD_CODED) from err
        raise


@exercise
def check_window_response(window_response: Any) -> Any:
    """Exercise 1: ``window_response(image, kernel, i, j)``, one output of the layer."""
    for image, kernel, i, j in _window_cases():
        got = as_array(_one_window(window_response, image, kernel, i, j), "your result")
        kh, kw = kernel.shape
        window = image[i:i + kh, j:j + kw]
        arrays = [(NOT_SUMMED, window * kernel)]
        if kh == kw:
            arrays.insert(0, (NP_DOT, np.dot(window, kernel)))
        message = _first_match(got, arrays)
        if message:
            return incorrect(message)
        want = correlate2d(image, kernel, "valid")
        wrong = {FLIPPED: convolve2d(image, kernel, "valid")[i, j]}
        if window.shape[0] == kw:
            wrong[NP_DOT_SUMMED] = np.dot(window, kernel).sum()
        if j < want.shape[0] and i < want.shape[1]:
            wrong[TRANSPOSED] = want[j, i]
        wrong = {msg: v for msg, v in wrong.items() if v != want[i, j]}
        feedback = compare_value(got, want[i, j], wrong)
        if not feedback:
            return incorrect(f"for the window at ({i}, {j}): {feedback.message}")
    return correct("the window and the kernel are multiplied element by element and summed.")


# ---------------------------------------------------------------- exercise 2

FLIP_ROWS = ("you flipped only the rows (upside down, np.flipud). Convolution flips both "
             "axes: k[::-1, ::-1].")
FLIP_COLS = ("you flipped only the columns (left-right, np.fliplr). Convolution flips both "
             "axes: k[::-1, ::-1].")
TRANSPOSE = ("you transposed the kernel (k.T). A flip reverses the order along each axis; "
             "it does not swap rows with columns.")
ROT90 = ("you rotated by 90°. Flipping both axes is a rotation by 180°: np.rot90(k, 2), "
         "or k[::-1, ::-1].")
UNCHANGED = "your function returns the kernel unchanged."


@exercise
def check_flip_kernel(flip_kernel: Any) -> Any:
    """Exercise 2: ``flip_kernel(k)`` turns a correlation kernel into a convolution one."""
    for k in (np.array([[1, 2, 3], [4, 5, 6]]), K2):
        got = as_array(call_student(flip_kernel, k.copy()), "your result")
        want = k[::-1, ::-1]
        mistakes = [(UNCHANGED, k), (FLIP_ROWS, k[::-1]), (FLIP_COLS, k[:, ::-1]),
                    (TRANSPOSE, k.T), (ROT90, np.rot90(k)), (ROT90, np.rot90(k, -1))]
        message = _first_match(got, [(m, v) for m, v in mistakes
                                     if v.shape != want.shape or not np.array_equal(v, want)])
        if message:
            return incorrect(message)
        feedback = compare_array(got, want)
        if not feedback:
            return feedback
    a = np.arange(30).reshape(5, 6) % 4
    same = np.array_equal(correlate2d(a, K2[::-1, ::-1], "valid"), convolve2d(a, K2, "valid"))
    return correct(f"correlating with flip_kernel(k) equals convolving with k: {same}.")


# ---------------------------------------------------------------- exercise 3

IM2COL_X_SHAPE = (2, 3, 16, 16)  # N, C, H, W: two 16×16 RGB thumbnails
IM2COL_K, IM2COL_STRIDE, IM2COL_PADDING = 7, 2, 3  # the first layer of ResNet


def _im2col_shape(n: int, c: int, h: int, k: int, stride: int, padding: int) -> tuple:
    side = output_size(h, k, padding, stride)
    return c * k * k, n * side * side


def im2col_answer() -> tuple[int, int]:
    """The shape of ``im2col`` for exercise 3: ``(C*k*k, N*out_h*out_w)``.

    Examples
    --------
    >>> im2col_answer()
    (147, 128)
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

CONV1X1_SHAPES = (3, 2, 4, 2)  # C, H, W, F

RESHAPE_MIX = ("the values are scrambled: x.reshape(H*W, C) keeps NumPy's memory order, "
               "so it mixes channels and pixels. Reshape to (C, H*W) instead: "
               "x.reshape(C, -1), one column per pixel.")
INNER_MISMATCH = ("the inner sizes of @ must agree: (F, C) @ (C, H·W). Use w as it is "
                  "(not w.T) on the left.")
NOT_RESHAPED = "right numbers, but reshape the result back to (F, H, W)."
CHANNELS_LAST = ("right numbers in channels-last order (H, W, F); the course keeps "
                 "channels first: (F, H, W).")


def conv1x1_expected(x: Any, w: Any) -> np.ndarray:
    """A 1×1 convolution from the layer: ``conv2d_forward`` with kernels of shape (F, C, 1, 1).

    Examples
    --------
    >>> conv1x1_expected(np.ones((2, 1, 3)), np.array([[1.0, 2.0]]))
    array([[[3., 3., 3.]]])
    """
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    out, _ = conv2d_forward(x[None], w[:, :, None, None], np.zeros(w.shape[0]))
    return out[0]


@exercise
def check_conv1x1(conv1x1: Any) -> Any:
    """Exercise 4: ``conv1x1(x, w)`` with x (C, H, W), w (F, C) returns (F, H, W)."""
    c, h, wd, f = CONV1X1_SHAPES
    rng = np.random.default_rng(4)
    x = rng.integers(-3, 4, size=(c, h, wd)).astype(float)
    w = rng.integers(-2, 3, size=(f, c)).astype(float)
    want = conv1x1_expected(x, w)
    try:
        got = as_array(call_student(conv1x1, x.copy(), w.copy()), "your result")
    except StudentCodeError as err:
        if "mismatch" in str(err) or "not aligned" in str(err):
            raise StudentCodeError(INNER_MISMATCH) from err
        raise
    mixed = x.reshape(h * wd, c) @ w.T
    message = _first_match(got, [
        (RESHAPE_MIX, mixed.T.reshape(f, h, wd)), (RESHAPE_MIX, mixed.reshape(f, h, wd)),
        (NOT_RESHAPED, want.reshape(f, h * wd)), (CHANNELS_LAST, want.transpose(1, 2, 0)),
    ])
    if message:
        return incorrect(message)
    feedback = compare_array(got, want)
    if feedback:
        return correct("one matrix product (F, C) @ (C, H·W) does the whole 1×1 convolution.")
    return feedback
