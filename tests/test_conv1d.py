"""1D convolution and correlation: against NumPy, identities, conv_matrix, pinned numbers."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import assert_same_numbers
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.lib.stride_tricks import sliding_window_view

from helpers.conv import (
    conv_matrix,
    convolve1d,
    correlate1d,
    output_size,
    pad_amounts,
)

MODES = ("full", "same", "valid")
METHODS = ("fast", "loops")
DTYPES = (np.int8, np.uint8, np.int32, np.int64, np.float32, np.float64)


def signals(min_len: int = 1, max_len: int = 12, dtypes=DTYPES):
    """1D arrays of a random dtype; integers may overflow (NumPy wraps, and so must we)."""
    def build(dtype):
        dtype = np.dtype(dtype)
        if dtype.kind == "f":
            elements = st.floats(-100, 100, width=dtype.itemsize * 8)
        else:
            info = np.iinfo(dtype)
            elements = st.integers(max(info.min, -(2**40)), min(info.max, 2**40))
        return arrays(dtype, st.integers(min_len, max_len), elements=elements)
    return st.sampled_from(dtypes).flatmap(build)


def assert_same(got: np.ndarray, want: np.ndarray, x: np.ndarray, w: np.ndarray) -> None:
    """Same dtype and shape; exact for integers, close (scaled by the inputs) for floats."""
    assert_same_numbers(got, want, (x, w), terms=len(w), ulps=8)


@settings(max_examples=150, deadline=None)
@given(x=signals(), w=signals(), mode=st.sampled_from(MODES), method=st.sampled_from(METHODS))
def test_convolve1d_matches_np_convolve(x, w, mode, method):
    assert_same(convolve1d(x, w, mode, method), np.convolve(x, w, mode), x, w)


@settings(max_examples=150, deadline=None)
@given(x=signals(), w=signals(), mode=st.sampled_from(MODES), method=st.sampled_from(METHODS))
def test_correlate1d_matches_np_correlate(x, w, mode, method):
    assert_same(correlate1d(x, w, mode, method), np.correlate(x, w, mode), x, w)


@pytest.mark.parametrize("method", METHODS)
def test_defaults_are_numpys(method):
    x, w = [1, 2, 3, 4, 5], [1, -2]
    np.testing.assert_array_equal(convolve1d(x, w, method=method), np.convolve(x, w))
    np.testing.assert_array_equal(correlate1d(x, w, method=method), np.correlate(x, w))


@pytest.mark.parametrize("method", METHODS)
def test_even_kernel_same_mode_placement(method):
    # Worked by hand: correlate slides [1, 10] over [0, 1, 2, 3] (one zero on the left):
    # 0*1 + 1*10 = 10, 1 + 20 = 21, 2 + 30 = 32. Convolution slides the flipped [10, 1].
    assert correlate1d([1, 2, 3], [1, 10], "same", method).tolist() == [10, 21, 32]
    assert convolve1d([1, 2, 3], [1, 10], "same", method).tolist() == [1, 12, 23]
    for n in range(4, 8):
        for k in (2, 4):
            x, w = np.arange(1, n + 1), 10 ** np.arange(k)
            assert correlate1d(x, w, "same", method).tolist() == np.correlate(x, w, "same").tolist()
            assert convolve1d(x, w, "same", method).tolist() == np.convolve(x, w, "same").tolist()


@pytest.mark.parametrize("method", METHODS)
def test_kernel_longer_than_signal_follows_numpy(method):
    # np.correlate(x, w) with len(w) > len(x) is correlate(w, x) reversed, in every mode.
    x, w = [1, 2], [1, 10, 100, 1000]
    assert correlate1d(x, w, "full", method).tolist() == [1000, 2100, 210, 21, 2]
    assert correlate1d(x, w, "same", method).tolist() == [2100, 210, 21, 2]
    assert correlate1d(x, w, "valid", method).tolist() == [2100, 210, 21]
    # np.convolve swaps the arguments: the output follows the longer input.
    assert convolve1d(x, w, "full", method).tolist() == [1, 12, 120, 1200, 2000]
    assert convolve1d(x, w, "same", method).tolist() == [1, 12, 120, 1200]
    assert convolve1d(x, w, "valid", method).tolist() == [12, 120, 1200]


@pytest.mark.parametrize("method", METHODS)
def test_seed_002_numbers(method):
    # Seed 002: x = [1, 2, 3, 4], W = [5, 6, 7]; full convolution [5, 16, 34, 52, 45, 28]
    # (MATLAB conv gives the same), and the "1*5 + 2*6 + 3*7 = 38" of the answer is a
    # correlation, not a convolution.
    x, w = [1, 2, 3, 4], [5, 6, 7]
    assert convolve1d(x, w, "full", method).tolist() == [5, 16, 34, 52, 45, 28]
    assert convolve1d(x, w, "same", method).tolist() == [16, 34, 52, 45]
    assert convolve1d(x, w, "valid", method).tolist() == [34, 52]
    assert correlate1d(x, w, "valid", method).tolist() == [38, 56]


@settings(max_examples=80, deadline=None)
@given(x=signals(dtypes=(np.int64,)), w=signals(dtypes=(np.int64,)),
       mode=st.sampled_from(MODES))
def test_convolution_is_correlation_with_flipped_kernel(x, w, mode):
    np.testing.assert_array_equal(convolve1d(x, w, "full"), correlate1d(x, w[::-1], "full"))
    if len(x) >= len(w):  # NumPy swaps differently for the two when the kernel is longer
        np.testing.assert_array_equal(convolve1d(x, w, mode), correlate1d(x, w[::-1], mode))


@settings(max_examples=80, deadline=None)
@given(x=signals(dtypes=(np.int64,)), w=signals(dtypes=(np.int64,)),
       mode=st.sampled_from(MODES), method=st.sampled_from(METHODS))
def test_convolution_commutes_and_lengths(x, w, mode, method):
    n, k = len(x), len(w)
    np.testing.assert_array_equal(convolve1d(x, w, mode, method), convolve1d(w, x, mode, method))
    want = {"full": n + k - 1, "same": max(n, k), "valid": max(n, k) - min(n, k) + 1}[mode]
    assert len(convolve1d(x, w, mode, method)) == want
    assert len(correlate1d(x, w, mode, method)) == want
    if n >= k:  # the lengths the course quotes: N+K-1, N, N-K+1
        assert want == {"full": n + k - 1, "same": n, "valid": n - k + 1}[mode]


@settings(max_examples=60, deadline=None)
@given(data=st.data(), n=st.integers(1, 10), k=st.integers(1, 10), mode=st.sampled_from(MODES),
       a=st.integers(-5, 5), b=st.integers(-5, 5))
def test_linearity(data, n, k, mode, a, b):
    ints = arrays(np.int64, n, elements=st.integers(-1000, 1000))
    x, y = data.draw(ints), data.draw(ints)
    w = data.draw(arrays(np.int64, k, elements=st.integers(-1000, 1000)))
    for f in (convolve1d, correlate1d):
        np.testing.assert_array_equal(f(a * x + b * y, w, mode),
                                      a * f(x, w, mode) + b * f(y, w, mode))


@settings(max_examples=100, deadline=None)
@given(data=st.data(), n=st.integers(1, 10), k=st.integers(1, 10), mode=st.sampled_from(MODES))
def test_conv_matrix_reproduces_convolve1d(data, n, k, mode):
    x = data.draw(arrays(np.int64, n, elements=st.integers(-1000, 1000)))
    w = data.draw(arrays(np.int64, k, elements=st.integers(-1000, 1000)))
    M = conv_matrix(w, n, mode)
    np.testing.assert_array_equal(M @ x, convolve1d(x, w, mode))
    np.testing.assert_array_equal(M @ x, np.convolve(x, w, mode))


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 10), k=st.integers(1, 10), mode=st.sampled_from(MODES))
def test_conv_matrix_has_tied_and_zero_weights(n, k, mode):
    w = np.arange(1, k + 1)  # all non-zero and distinct, so the pattern is visible
    full = conv_matrix(w, n, "full")
    for i, j in np.ndindex(full.shape):  # full: M[i, j] = w[i - j] inside the band, else 0
        assert full[i, j] == (w[i - j] if 0 <= i - j < k else 0)
    M = conv_matrix(w, n, mode)
    for d in range(-M.shape[0] + 1, M.shape[1]):  # tied: every diagonal is one constant
        assert len(set(np.diagonal(M, d).tolist())) == 1
    assert np.count_nonzero(M) <= k * n  # zero: at most one copy of w per column
    rows = [r.tolist() for r in full]  # the other modes keep consecutive rows of full
    start = next(i for i in range(len(rows)) if rows[i:i + len(M)] == M.tolist())
    assert start + len(M) <= len(rows)


def test_conv_matrix_pinned():
    # Seed 002's answer: a convolutional layer is a matrix product with tied and zero weights.
    np.testing.assert_array_equal(conv_matrix([5, 6, 7], 4, "same"),
                                  [[6, 5, 0, 0], [7, 6, 5, 0], [0, 7, 6, 5], [0, 0, 7, 6]])
    assert (conv_matrix([5, 6, 7], 4) @ np.array([1, 2, 3, 4])).tolist() == [5, 16, 34, 52, 45, 28]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("n", "k"), [(1, 1), (4, 3), (5, 4), (6, 2), (7, 7)])
def test_pad_amounts_reproduce_numpy(n, k, mode):
    rng = np.random.default_rng(n * 10 + k)
    x, w = rng.integers(-9, 10, n), rng.integers(-9, 10, k)
    left, right = pad_amounts(n, k, mode)
    windows = sliding_window_view(np.pad(x, (left, right)), k)
    np.testing.assert_array_equal(windows @ w, np.correlate(x, w, mode))
    np.testing.assert_array_equal(windows @ w[::-1], np.convolve(x, w, mode))


def test_pad_amounts_pinned():
    assert [pad_amounts(4, 3, m) for m in MODES] == [(2, 2), (1, 1), (0, 0)]
    assert pad_amounts(6, 4, "same") == (2, 1)
    assert pad_amounts(2, 5, "full") == (4, 4)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 15), k=st.integers(1, 6), p=st.integers(0, 3), s=st.integers(1, 4),
       d=st.integers(1, 3))
def test_output_size_counts_positions(n, k, p, s, d):
    span = d * (k - 1) + 1
    if span > n + 2 * p:
        with pytest.raises(ValueError, match="k: kernel size .* is larger than the padded input"):
            output_size(n, k, p, s, d)
        return
    dilated = np.zeros(span)
    dilated[::d] = 1.0  # a dilated kernel is an ordinary one with d - 1 zeros between taps
    positions = correlate1d(np.pad(np.ones(n), p), dilated, "valid")[::s]
    assert output_size(n, k, p, s, d) == len(positions)


def test_output_size_pinned():
    # d2l.ai "Padding and Stride" (section 7.3; 6.3 in the first edition): 8x8 input, 3x3 kernel, padding 1, stride 2 -> 4x4.
    assert output_size(8, 3, padding=1, stride=2) == 4
    # CS231n: 7x7 input, 3x3 filter, stride 2 -> 3x3; 5x5 input, pad 1, stride 2 -> 3x3.
    assert output_size(7, 3, stride=2) == 3
    assert output_size(5, 3, padding=1, stride=2) == 3
    assert output_size(4, 3) == 2 and output_size(4, 3, padding=2) == 6


@pytest.mark.parametrize("method", METHODS)
def test_nan_and_inf_propagate_like_numpy(method):
    x, w = np.array([1.0, np.nan, 3.0, np.inf]), np.array([0.0, 1.0])
    np.testing.assert_array_equal(convolve1d(x, w, "full", method), np.convolve(x, w))
    np.testing.assert_array_equal(correlate1d(x, w, "same", method), np.correlate(x, w, "same"))


@pytest.mark.parametrize("method", METHODS)
def test_bool_follows_numpy(method):
    # np.convolve of two bool arrays gives bool (logical OR of ANDs); so do we.
    for x, w in ([[True, True], [True, True]], [[True, False, False], [False, True]]):
        for ours, theirs in ((convolve1d, np.convolve), (correlate1d, np.correlate)):
            for mode in ("full", "same", "valid"):
                got, want = ours(x, w, mode, method), theirs(np.array(x), np.array(w), mode)
                assert got.dtype == want.dtype == np.bool_ and got.tolist() == want.tolist()
    mixed = convolve1d(np.array([True, False]), np.array([3, 4], np.int8), method=method)
    ref = np.convolve(np.array([True, False]), np.array([3, 4], np.int8))
    assert mixed.dtype == ref.dtype and mixed.tolist() == ref.tolist()


def test_accepts_lists_tuples_and_views():
    x = np.arange(10)[::2]  # a strided view
    assert convolve1d(x, (1, 1)).tolist() == np.convolve(x, [1, 1]).tolist()
    assert correlate1d(x.tolist(), [1.5]).dtype == np.float64
