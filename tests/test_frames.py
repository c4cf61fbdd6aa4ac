"""The frame model (helpers.widgets.frames) against NumPy and SciPy, without any widget."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import conv
from helpers.widgets.frames import DOT, MODES, fmt, frames_1d, frames_2d

X, W = [1, 2, 3, 4], [5, 6, 7]  # the seed of notebook 05
A = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
K = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]  # the seed of notebook 03


def reference_1d(x, w, mode, flip, stride=1):
    return (np.convolve if flip else np.correlate)(x, w, mode)[::stride]


def reference_2d(a, k, mode, flip, stride=1):
    f = scipy.signal.convolve2d if flip else scipy.signal.correlate2d
    return f(a, k, mode)[::stride, ::stride]


def check_every_frame(f, expected):
    """Final output, one O(k) sum per frame, and the NaN pattern of the output so far."""
    np.testing.assert_array_equal(f.output, expected)
    assert f.n_steps == expected.size
    flat = expected.reshape(-1)
    for step in range(f.n_steps):
        frame = f.frame(step)
        assert frame.index == np.unravel_index(step, expected.shape)
        assert frame.values.shape == frame.kernel.shape == f.kernel.shape
        assert frame.total == pytest.approx(flat[step], abs=1e-9)
        assert frame.value == flat[step]
    for step in {0, f.n_steps // 2, f.n_steps - 1}:
        so_far = f.output_so_far(step).reshape(-1)
        assert np.isnan(so_far).sum() == f.n_steps - step - 1
        np.testing.assert_array_equal(so_far[: step + 1], flat[: step + 1])


# ----------------------------------------------------------------------- the seeds


def test_seed_1d_formula_is_at_step_2_only():
    f = frames_1d(X, W, mode="full", flip=True)
    formulas = [f.frame(s).formula for s in range(f.n_steps)]
    assert formulas[2] == "y[2] = 1\u00b77 + 2\u00b76 + 3\u00b75 = 34"
    assert formulas.count("y[2] = 1·7 + 2·6 + 3·5 = 34") == 1
    assert formulas[0] == "y[0] = 0·7 + 0·6 + 1·5 = 5"
    assert DOT == "\u00b7"


def test_seed_1d_full_convolution():
    f = frames_1d(X, W, mode="full", flip=True)
    check_every_frame(f, np.array([5.0, 16, 34, 52, 45, 28]))
    assert f.pad == ((2, 2),)
    np.testing.assert_array_equal(f.kernel, [7, 6, 5])
    np.testing.assert_array_equal(f.is_padding, [1, 1, 0, 0, 0, 0, 1, 1])


def test_seed_2d_valid_correlation():
    f = frames_2d(A, K, mode="valid", flip=False)
    check_every_frame(f, np.array([[4.0, 3, 4], [2, 4, 3], [2, 3, 4]]))
    assert f.frame(0).formula == "C[0,0] = 1·1 + 1·0 + 1·1 + 0·0 + 1·1 + 1·0 + 0·1 + 0·0 + 1·1 = 4"
    assert f.frame(4).formula.startswith("C[1,1] = ")
    assert f.pad == ((0, 0), (0, 0)) and not f.is_padding.any()


def test_seed_2d_every_mode_flip_and_stride():
    for mode, flip, stride in itertools.product(MODES, (True, False), (1, 2, 3, 4)):
        f = frames_2d(A, K, mode, flip, stride)
        check_every_frame(f, reference_2d(A, K, mode, flip, stride))


# ------------------------------------------------------ every size, every setting


def test_1d_every_small_size_mode_flip_and_stride():
    """Includes even kernels in 'same' and kernels longer than the input (NumPy swaps)."""
    rng = np.random.default_rng(0)
    for n, k in itertools.product(range(1, 7), repeat=2):
        x, w = rng.integers(-5, 6, n), rng.integers(-5, 6, k)
        for mode, flip, stride in itertools.product(MODES, (True, False), (1, 2, 3)):
            check_every_frame(frames_1d(x, w, mode, flip, stride),
                              reference_1d(x, w, mode, flip, stride))


@settings(max_examples=150, deadline=None)
@given(st.tuples(st.integers(1, 5), st.integers(1, 5)), st.tuples(st.integers(1, 5),
       st.integers(1, 5)), st.sampled_from(MODES), st.booleans(), st.integers(1, 3),
       st.integers(0, 2**32 - 1))
def test_2d_matches_scipy(ashape, kshape, mode, flip, stride, seed):
    rng = np.random.default_rng(seed)
    a, k = rng.normal(size=ashape), rng.normal(size=kshape)
    mixed = (np.subtract(ashape, kshape).min() < 0 < np.subtract(ashape, kshape).max())
    f = frames_2d(a, k, mode, flip, stride)
    if mode == "valid" and mixed:  # SciPy raises: the frames say so instead
        with pytest.raises(ValueError):
            reference_2d(a, k, mode, flip)
        assert f.n_steps == 0 and f.message and f.output.shape == (0, 0)
        return
    expected = reference_2d(a, k, mode, flip, stride)
    np.testing.assert_allclose(f.output, expected, atol=1e-12)
    for step in range(f.n_steps):
        assert f.frame(step).total == pytest.approx(f.output.reshape(-1)[step], abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from(MODES), st.booleans())
def test_output_length_and_padding(n, k, mode, flip):
    f = frames_1d(np.ones(n), np.ones(k), mode, flip)
    lengths = {"full": n + k - 1, "same": max(n, k), "valid": max(n, k) - min(n, k) + 1}
    assert f.n_steps == lengths[mode]
    assert f.padded.size == f.n_steps + k - 1  # one window per output
    if k <= n:  # the same zeros as helpers.conv says
        assert f.pad == (conv.pad_amounts(n, k, mode),)


def test_convolution_is_correlation_with_the_flipped_kernel():
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=6), rng.normal(size=4)
    for mode in MODES:
        conv_frames = frames_1d(x, w, mode, flip=True)
        corr_frames = frames_1d(x, w[::-1], mode, flip=False)
        np.testing.assert_allclose(conv_frames.output, corr_frames.output)
        np.testing.assert_array_equal(conv_frames.kernel, corr_frames.kernel)


# ---------------------------------------------------- kernel longer than the input


@pytest.mark.parametrize("mode", ["valid", "same"])
def test_kernel_longer_than_input_follows_numpy_and_says_so(mode):
    f = frames_1d([1, 2], [1, 2, 3, 4, 5], mode, flip=False)
    check_every_frame(f, reference_1d([1, 2], [1, 2, 3, 4, 5], mode, False))
    assert "swaps" in f.note and "NumPy" in f.note
    assert frames_1d([1, 2], [1, 2, 3, 4, 5], "full").note == ""


def test_kernel_longer_than_input_valid_pads_the_input():
    """'valid' keeps the K - N + 1 positions where all of x lies under w."""
    f = frames_1d([1, 2], [1, 2, 3, 4, 5], "valid", flip=False)
    assert f.pad == ((3, 3),) and f.n_steps == 4
    assert f.frame(1).formula == "y[1] = 0·1 + 0·2 + 1·3 + 2·4 + 0·5 = 11"


def test_2d_kernel_larger_in_every_direction_follows_scipy_swap():
    a, k = np.arange(4.0).reshape(2, 2), np.arange(12.0).reshape(3, 4)
    for flip in (True, False):
        f = frames_2d(a, k, "valid", flip)
        check_every_frame(f, reference_2d(a, k, "valid", flip))
        assert "SciPy swaps" in f.note


# ------------------------------------------------------------ impossible settings


def test_2d_valid_with_mixed_sizes_has_no_frames_and_a_message():
    f = frames_2d(A, [[1, 1, 1, 1, 1, 1]], "valid")
    assert f.n_steps == 0 and f.output.shape == (0, 0)
    assert "'valid'" in f.message and "5×5" in f.message and "1×6" in f.message
    assert f.output_so_far(0).shape == (0, 0)
    with pytest.raises(ValueError, match="step"):
        f.frame(0)
    assert frames_2d(A, [[1, 1, 1, 1, 1, 1]], "same").message == ""


def test_stride_keeps_at_least_one_position():
    f = frames_2d(A, K, "valid", stride=10)
    assert f.output.shape == (1, 1) and f.message == ""
    assert "[::10, ::10]" in f.note and "[::10, ::10]" in f.reference


# ------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("args", "error", "name"), [
    ((["a", "b"], W), TypeError, "x"),
    ((X, [1j, 2]), TypeError, "w"),
    (([[1, 2]], W), ValueError, "x"),
    (([], W), ValueError, "x"),
    (([1, np.nan], W), ValueError, "x"),
    ((X, W, "middle"), ValueError, "mode"),
    ((X, W, "full", 1), TypeError, "flip"),
    ((X, W, "full", True, 0), ValueError, "stride"),
    ((X, W, "full", True, 1.5), TypeError, "stride"),
])
def test_bad_input_raises_naming_the_argument(args, error, name):
    with pytest.raises(error, match=name):
        frames_1d(*args)


def test_bad_2d_input_and_bad_step():
    with pytest.raises(ValueError, match="a must be a 2D"):
        frames_2d([1, 2, 3], K)
    with pytest.raises(ValueError, match="k must not be empty"):
        frames_2d(A, np.zeros((0, 3)))
    f = frames_1d(X, W)
    for step in (-1, 6):
        with pytest.raises(ValueError, match="step"):
            f.frame(step)
    with pytest.raises(TypeError, match="step"):
        f.output_so_far(1.0)


# --------------------------------------------------------------------- formatting


def test_fmt_and_negative_factors():
    assert [fmt(v) for v in (34.0, -0.0, 1 / 3, 2.5, 0.1 + 0.2, -2.25, 1e-5, 123456.0)] == \
        ["34", "0", "0.333", "2.5", "0.3", "-2.25", "1e-05", "123456"]
    assert fmt(np.nan) == ""
    f = frames_1d([-1, 2], [3, -4], "valid", flip=False)
    assert f.frame(0).formula == "y[0] = (-1)·3 + 2·(-4) = -11"


@pytest.mark.parametrize(("index", "error"), [
    ((1,), ValueError),            # one coordinate for a 2D output
    ((3, 0), ValueError),          # outside the 3x3 output
    ((0, -1), ValueError),
    ((0.5, 1), TypeError),
    (7, TypeError),
])
def test_step_of_refuses_a_position_outside_the_output(index, error):
    f = frames_2d(A, K)
    assert f.step_of((2, 1)) == 7
    with pytest.raises(error, match="index"):
        f.step_of(index)


def test_step_of_with_a_kernel_larger_than_the_input_along_one_axis():
    f = frames_2d(A, [[1, 1, 1, 1, 1, 1]], mode="valid")
    with pytest.raises(ValueError, match="index: there are no output cells"):
        f.step_of((0, 0))
    wide = frames_2d(A, [[1, 1, 1, 1, 1, 1]], mode="same")   # possible: one step per cell
    assert wide.step_of((4, 4)) == 24 and wide.frame(24).total == wide.output[4, 4]
