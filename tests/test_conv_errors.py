"""Bad input: every public function of helpers.conv raises an error that names the argument
and says what was expected. Nothing is silently broadcast into a wrong answer."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from helpers.conv import (
    col2im,
    conv2d_backward,
    conv2d_forward,
    conv_matrix,
    convolve1d,
    convolve2d,
    correlate1d,
    correlate2d,
    im2col,
    output_size,
    pad2d,
    pad_amounts,
)

X1, W1 = [1, 2, 3, 4], [5, 6, 7]
A2, K2 = np.ones((4, 4)), np.ones((2, 2))
ONE_D = [convolve1d, correlate1d]
TWO_D = [convolve2d, correlate2d]
MODE_MSG = r"mode must be one of 'full', 'same', 'valid'; got 'vlaid'"


def layer(x_shape=(2, 3, 5, 5), w_shape=(4, 3, 3, 3), b_shape=(4,)):
    return np.ones(x_shape), np.ones(w_shape), np.zeros(b_shape)


# ------------------------------------------------------------------ mode and method


@pytest.mark.parametrize("f", ONE_D)
def test_unknown_mode_1d(f):
    with pytest.raises(ValueError, match=MODE_MSG):
        f(X1, W1, "vlaid")


@pytest.mark.parametrize("f", TWO_D)
def test_unknown_mode_2d(f):
    with pytest.raises(ValueError, match=MODE_MSG):
        f(A2, K2, "vlaid")


def test_unknown_mode_helpers():
    with pytest.raises(ValueError, match=MODE_MSG):
        conv_matrix(W1, 4, "vlaid")
    with pytest.raises(ValueError, match=MODE_MSG):
        pad_amounts(4, 3, "vlaid")
    with pytest.raises(ValueError, match="mode must be one of 'zero', 'reflect', 'replicate', "
                                         "'wrap'; got 'edge'"):
        pad2d(A2, 1, "edge")


@pytest.mark.parametrize("f", ONE_D)
def test_unknown_method_1d(f):
    with pytest.raises(ValueError, match="method must be one of 'fast', 'loops'; got 'fft'"):
        f(X1, W1, "full", "fft")


@pytest.mark.parametrize("f", TWO_D)
def test_unknown_method_2d(f):
    with pytest.raises(ValueError, match="method must be one of 'fast', 'loops', 'direct', "
                                         "'fft'; got 'quick'"):
        f(A2, K2, "full", "quick")


def test_unknown_method_layer():
    with pytest.raises(ValueError, match="method must be one of 'fast', 'loops'"):
        conv2d_forward(*layer(), method="gemm")


def test_mode_must_be_a_string():
    with pytest.raises(ValueError, match="mode must be one of .* got 1"):
        convolve1d(X1, W1, 1)


# ------------------------------------------------------------------ arrays: empty, ndim, dtype


@pytest.mark.parametrize("f", ONE_D)
def test_empty_1d(f):
    with pytest.raises(ValueError, match=r"x must not be empty"):
        f([], W1)
    with pytest.raises(ValueError, match=r"w must not be empty"):
        f(X1, [])


@pytest.mark.parametrize("f", TWO_D)
def test_empty_2d(f):
    with pytest.raises(ValueError, match=r"a must not be empty; got shape \(0, 3\)"):
        f(np.ones((0, 3)), K2)
    with pytest.raises(ValueError, match=r"k must not be empty"):
        f(A2, np.ones((2, 0)))


def test_empty_layer():
    with pytest.raises(ValueError, match="x must not be empty"):
        conv2d_forward(*layer(x_shape=(0, 3, 5, 5)))


@pytest.mark.parametrize("f", ONE_D)
def test_wrong_ndim_1d(f):
    with pytest.raises(ValueError, match=r"x must be a 1D array; got 2D with shape \(2, 2\)"):
        f([[1, 2], [3, 4]], W1)
    with pytest.raises(ValueError, match="w must be a 1D array; got 0D"):
        f(X1, 5)


@pytest.mark.parametrize("f", TWO_D)
def test_wrong_ndim_2d(f):
    with pytest.raises(ValueError, match="a must be a 2D array; got 1D"):
        f([1, 2, 3], K2)
    with pytest.raises(ValueError, match="k must be a 2D array; got 3D"):
        f(A2, np.ones((1, 2, 2)))


def test_wrong_ndim_layer():
    x, w, b = layer()
    with pytest.raises(ValueError, match="x must be a 4D array; got 3D"):
        conv2d_forward(x[0], w, b)
    with pytest.raises(ValueError, match="w must be a 4D array; got 3D"):
        conv2d_forward(x, w[0], b)
    with pytest.raises(ValueError, match="b must be a 1D array; got 0D"):
        conv2d_forward(x, w, 0.0)  # a scalar bias is not broadcast silently
    with pytest.raises(ValueError, match="x must be a 4D array"):
        im2col(np.ones((3, 5, 5)), 2, 2)


@pytest.mark.parametrize("bad", [["a", "b"], np.array([1, 2], dtype=object),
                                 np.array(["2020-01-01"], dtype="datetime64[D]")])
def test_non_numeric_dtype(bad):
    with pytest.raises(TypeError, match="x must hold real numbers"):
        convolve1d(bad, W1)
    with pytest.raises(TypeError, match="w must hold real numbers"):
        correlate1d(X1, bad)


def test_non_numeric_2d_and_layer():
    with pytest.raises(TypeError, match="k must hold real numbers"):
        correlate2d(A2, [["a", "b"]])
    x, w, b = layer()
    with pytest.raises(TypeError, match="b must hold real numbers"):
        conv2d_forward(x, w, np.array(["0"] * 4))


def test_ragged_list():
    with pytest.raises(TypeError, match="a must be a numeric array"):
        convolve2d([[1, 2], [3]], K2)


def test_complex_is_rejected():
    with pytest.raises(TypeError, match="x must hold real numbers; complex"):
        convolve1d(np.array([1 + 2j, 3]), W1)
    with pytest.raises(TypeError, match="k must hold real numbers; complex"):
        correlate2d(A2, K2 * 1j)


def test_bool_is_accepted_as_int():
    assert convolve1d([True, False], [True]).tolist() == [1, 0]


# ------------------------------------------------------------------ the layer


def test_channel_mismatch():
    with pytest.raises(ValueError, match="channel mismatch: x has C=3 .* w expects C=2"):
        conv2d_forward(*layer(w_shape=(4, 2, 3, 3)))


def test_bias_shape_mismatch():
    with pytest.raises(ValueError, match=r"b must have shape \(F,\) = \(4,\) .* got \(1,\)"):
        conv2d_forward(*layer(b_shape=(1,)))  # no broadcasting of a length-1 bias


@pytest.mark.parametrize("stride", [0, -1])
def test_stride_below_one(stride):
    with pytest.raises(ValueError, match=f"stride must be an integer >= 1; got {stride}"):
        conv2d_forward(*layer(), stride=stride)
    with pytest.raises(ValueError, match="stride must be an integer >= 1"):
        output_size(5, 3, stride=stride)


@pytest.mark.parametrize("stride", [1.5, 2.0, "2", True])
def test_stride_not_an_integer(stride):
    with pytest.raises(TypeError, match="stride must be an integer >= 1"):
        conv2d_forward(*layer(), stride=stride)
    with pytest.raises(TypeError, match="stride must be an integer"):
        im2col(np.ones((1, 1, 4, 4)), 2, 2, stride=stride)


def test_negative_padding():
    with pytest.raises(ValueError, match="padding must be an integer >= 0; got -1"):
        conv2d_forward(*layer(), padding=-1)
    with pytest.raises(ValueError, match="padding must be an integer >= 0; got -1"):
        pad2d(A2, -1)
    with pytest.raises(ValueError, match="padding must be an integer >= 0"):
        output_size(5, 3, padding=-1)


def test_kernel_larger_than_padded_input():
    with pytest.raises(ValueError, match=r"w: kernel size 5 is larger than the padded input "
                                         r"H \+ 2\*padding = 4"):
        conv2d_forward(*layer(x_shape=(1, 3, 2, 9), w_shape=(4, 3, 5, 3)), padding=1)
    with pytest.raises(ValueError, match=r"k: kernel size 4 is larger than the padded input n \+ 2\*padding = 4 \(with dilation 2 it spans 7"):
        output_size(4, 4, dilation=2)
    with pytest.raises(ValueError, match="kh: kernel size 4 is larger than the padded input H"):
        im2col(np.ones((1, 1, 3, 3)), 4, 1)


def test_dout_shape_and_cache():
    out, cache = conv2d_forward(*layer())
    with pytest.raises(ValueError, match=r"dout must have the shape of out.*\(2, 4, 3, 3\)"):
        conv2d_backward(out[:, :2], cache)
    with pytest.raises(TypeError, match="cache must be the ConvCache returned by conv2d_forward"):
        conv2d_backward(out, (1, 2, 3))


def test_col2im_checks_shape():
    with pytest.raises(ValueError, match=r"cols must have shape \(C\*kh\*kw, N\*out_h\*out_w\)"):
        col2im(np.ones((4, 5)), (1, 1, 3, 3), 2, 2)


# ------------------------------------------------------------------ sizes and helpers


def test_valid_2d_with_mixed_sizes():
    with pytest.raises(ValueError, match=r"mode 'valid': one of a \(shape \(3, 5\)\) and k "
                                         r"\(shape \(4, 2\)\) must be at least as large"):
        correlate2d(np.ones((3, 5)), np.ones((4, 2)), "valid")


def test_pad_amounts_kernel_longer():
    with pytest.raises(ValueError, match=r"k \(kernel length 5\) must be <= n \(signal length 3\)"):
        pad_amounts(3, 5, "same")


@pytest.mark.parametrize(("kwargs", "exc", "msg"), [
    ({"n": 0, "k": 3}, ValueError, "n must be an integer >= 1; got 0"),
    ({"n": 4, "k": 0}, ValueError, "k must be an integer >= 1; got 0"),
    ({"n": 4.0, "k": 3}, TypeError, "n must be an integer >= 1"),
    ({"n": 4, "k": 3, "dilation": 0}, ValueError, "dilation must be an integer >= 1"),
])
def test_output_size_arguments(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        output_size(**kwargs)


def test_conv_matrix_n():
    with pytest.raises(ValueError, match="n must be an integer >= 1; got 0"):
        conv_matrix(W1, 0)
    with pytest.raises(TypeError, match="n must be an integer"):
        conv_matrix(W1, 4.5)


def test_im2col_kernel_size():
    with pytest.raises(ValueError, match="kh must be an integer >= 1; got 0"):
        im2col(np.ones((1, 1, 3, 3)), 0, 2)


def test_pad2d_padding_forms():
    with pytest.raises(ValueError, match="padding must be an int, .* got"):
        pad2d(A2, (1, 2, 3))
    with pytest.raises(TypeError, match="padding must be an integer"):
        pad2d(A2, 1.5)
    with pytest.raises(ValueError, match=r"a must be a 2D \(or more\) array; got 1D"):
        pad2d([1, 2, 3], 1)


def test_fft_method_refuses_inexact_integers():
    big = np.full((20, 20), 2**40)
    with pytest.raises(ValueError, match="method='fft' cannot reproduce"):
        correlate2d(big, big[:5, :5], "same", "fft")
    odd = big + np.arange(400).reshape(20, 20)  # the fast path wraps exactly like SciPy's int64
    np.testing.assert_array_equal(correlate2d(odd, odd[:5, :5], "same", "fast"),
                                  scipy.signal.correlate2d(odd, odd[:5, :5], "same"))


def test_nan_is_not_an_error():
    assert np.isnan(convolve1d([np.nan, 1.0], [1.0])[0])
    assert np.isnan(correlate2d([[np.nan]], [[1.0]])[0, 0])
    out, _ = conv2d_forward(np.full((1, 1, 2, 2), np.nan), np.ones((1, 1, 1, 1)), [0.0])
    assert np.isnan(out).all()
