"""What helpers.conv promises on every path ``method="fast"`` may take (issue 16):
exact whole numbers, overflow as NumPy, FFT results equal to rounding with a stated
tolerance, and a clear error for input that would crash, mislead or allocate terabytes."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from helpers import conv

FFT_RTOL = 1e-12  # the FFT path: relative to the largest output, in float64


@pytest.mark.parametrize("n", [3, 29, 301, 2000])
def test_whole_numbers_give_whole_numbers_exactly_in_1d(n):
    ones = np.ones(n)
    np.testing.assert_array_equal(conv.convolve1d(ones, ones), np.convolve(ones, ones))
    np.testing.assert_array_equal(conv.correlate1d(ones, ones, "full"),
                                  np.correlate(ones, ones, "full"))


@pytest.mark.parametrize("side", [5, 40, 130])
def test_whole_numbers_give_whole_numbers_exactly_in_2d(side):
    rng = np.random.default_rng(side)
    a, k = rng.integers(-9, 10, (side, side)).astype(float), np.ones((21, 21))
    assert conv.choose_method(a.shape, k.shape) == "fft"  # whole numbers rounded back
    for mode in ("full", "same", "valid") if side >= 21 else ("full", "same"):
        np.testing.assert_array_equal(conv.correlate2d(a, k, mode),
                                      scipy.signal.correlate2d(a, k, mode))


def test_overflow_gives_inf_where_numpy_does():
    big = np.full(29, 1e300)
    with np.errstate(over="ignore"):
        want = np.convolve(big, big)
    got = conv.convolve1d(big, big)
    np.testing.assert_array_equal(got, want)  # inf everywhere, never NaN
    got2 = conv.correlate2d(np.full((30, 30), 1e300), np.full((7, 7), 1e300), "same")
    assert np.isinf(got2).all()


def test_fft_is_equal_to_rounding_next_to_large_values():
    # An FFT spreads rounding error over the whole output: exact zeros next to 1e12
    # come back as about 1e-4, which direct sums would give as 0. Stated tolerance:
    x = np.zeros(300)
    x[100], x[101] = 1e12, 0.5
    w = np.linspace(-1, 1, 101)
    assert conv.choose_method(len(x), len(w)) == "fft"
    got, want = conv.convolve1d(x, w), np.convolve(x, w)
    np.testing.assert_allclose(got, want, rtol=0, atol=FFT_RTOL * np.abs(want).max())


def test_masked_arrays_are_refused_not_unmasked():
    masked = np.ma.array([1.0, 2.0, 3.0], mask=[0, 1, 0])
    with pytest.raises(TypeError, match="x is a masked array"):
        conv.convolve1d(masked, [1.0, 1.0])
    with pytest.raises(TypeError, match="k is a masked array"):
        conv.correlate2d(np.ones((3, 3)), np.ma.ones((2, 2)))


@pytest.mark.parametrize(("call", "name"), [
    (lambda: conv.conv_matrix([1.0], 10**12), "n"),
    (lambda: conv.pad2d(np.ones((2, 2)), 10**6), "padding"),
    (lambda: conv.im2col(np.ones((1, 1, 1, 1)), 1, 1, padding=10**5), "x"),
])
def test_sizes_that_would_allocate_terabytes_are_refused_first(call, name):
    with pytest.raises(ValueError, match=f"{name}: the result would have shape"):
        call()


@pytest.mark.parametrize("x_shape", [None, (1, 3, 3), (1, 1, 3, 3, 1), "1133"])
def test_col2im_names_a_bad_x_shape(x_shape):
    with pytest.raises(TypeError, match=r"x_shape must be a tuple \(N, C, H, W\)"):
        conv.col2im(np.ones((4, 4)), x_shape, 2, 2)


@pytest.mark.parametrize("dtype", ["U5", complex, object])
def test_choose_method_refuses_non_real_dtypes(dtype):
    with pytest.raises(TypeError, match="dtype must be a real numeric dtype"):
        conv.choose_method((64, 64), (3, 3), dtype=dtype)


def test_backward_refuses_a_cache_it_did_not_make():
    x, w = np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))
    out, cache = conv.conv2d_forward(x, w, [0.0])
    for bad in [(x, w, 1, 0), cache._replace(w=np.ones((1, 2, 2, 2))),
                cache._replace(x=x.tolist()), cache._replace(w=w.astype(np.float32))]:
        with pytest.raises(TypeError, match="cache must be the ConvCache"):
            conv.conv2d_backward(np.ones_like(out), bad)


def test_each_fast_path_agrees_with_its_loops():
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2)), rng.random(4)
    for stride, padding, dilation in [(1, 0, 1), (2, 1, 1), (1, 2, 2), (3, 1, 2)]:
        fast, cache = conv.conv2d_forward(x, w, b, stride, padding, dilation)
        slow, _ = conv.conv2d_forward(x, w, b, stride, padding, dilation, method="loops")
        np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)
        dout = rng.standard_normal(fast.shape)
        for got, want in zip(conv.conv2d_backward(dout, cache),
                             conv.conv2d_backward(dout, cache, method="loops"), strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        y = rng.standard_normal((2, 4, 3, 4))
        wt = rng.standard_normal((4, 3, 3, 2))
        np.testing.assert_allclose(
            conv.conv_transpose2d(y, wt, None, stride, padding, 0, dilation),
            conv.conv_transpose2d(y, wt, None, stride, padding, 0, dilation, method="loops"),
            rtol=1e-12, atol=1e-12)
