"""Edge cases of the public interface, compared with NumPy, SciPy and brute force.

Regression tests from a QA pass: dtypes, argument swaps, views, non-finite values,
large integers on the FFT path, and bad input. Tests marked ``xfail(strict=True)``
pin known bugs in the 2D FFT path (``helpers/_conv2d.py``) until they are fixed.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import scipy.signal

from helpers.activations import sigmoid, sigmoid_prime
from helpers.conv import (
    conv2d_backward,
    conv2d_forward,
    conv_matrix,
    convolve1d,
    convolve2d,
    correlate1d,
    correlate2d,
    im2col,
    output_size,
)
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.network import backward, forward, init_params, loss, train

MODES = ("full", "same", "valid")
PAIRS_1D = ((convolve1d, np.convolve), (correlate1d, np.correlate))
PAIRS_2D = ((convolve2d, scipy.signal.convolve2d), (correlate2d, scipy.signal.correlate2d))


def assert_identical(got, want):
    """Same dtype, same shape, same values (NaN where NaN)."""
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(got, want)


def random_ints(rng, dtype, shape):
    """Values spanning the whole range of an integer dtype (so products wrap)."""
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, shape, dtype=dtype, endpoint=True)


# ------------------------------------------------------------------ 1D


@pytest.mark.parametrize("method", ["fast", "loops"])
@pytest.mark.parametrize("mode", MODES)
def test_1d_every_length_pair_matches_numpy(mode, method):
    # Kernel longer than, equal to and shorter than the signal; even and odd; length 1.
    rng = np.random.default_rng(0)
    for n, k in itertools.product(range(1, 8), repeat=2):
        x, w = rng.integers(-9, 10, n), rng.integers(-9, 10, k)
        for ours, ref in PAIRS_1D:
            assert_identical(ours(x, w, mode, method), ref(x, w, mode))


@pytest.mark.parametrize("method", ["fast", "loops"])
@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.uint16, np.int32, np.uint64])
def test_1d_small_integers_wrap_exactly_like_numpy(dtype, method):
    rng = np.random.default_rng(1)
    for n, k in [(20, 5), (5, 20), (9, 9), (12, 4)]:
        x, w = random_ints(rng, dtype, n), random_ints(rng, dtype, k)
        for mode in MODES:
            for ours, ref in PAIRS_1D:
                with np.errstate(all="ignore"):
                    want = ref(x, w, mode)
                assert_identical(ours(x, w, mode, method), want)


@pytest.mark.parametrize("dtypes", [(np.float32, np.float32), (np.float16, np.float16),
                                    (np.int8, np.float32), (np.uint8, np.int8),
                                    (np.int64, np.uint64), (np.float16, np.int16),
                                    (np.bool_, np.int8), (np.bool_, np.float32)])
def test_1d_mixed_dtypes_follow_numpy(dtypes):
    rng = np.random.default_rng(2)
    x = rng.integers(0, 4, 11).astype(dtypes[0])
    w = rng.integers(0, 4, 4).astype(dtypes[1])
    for mode in MODES:
        for ours, ref in PAIRS_1D:
            for a, b in ((x, w), (w, x)):
                got, want = ours(a, b, mode), ref(a, b, mode)
                assert got.dtype == want.dtype
                np.testing.assert_allclose(got.astype(float), want.astype(float), rtol=1e-3)


def test_1d_views_lists_and_tuples():
    base = np.arange(30.0) ** 1.5
    views = [base[::-3], base[1::4], np.asfortranarray(base[:9]), base.reshape(5, 6)[:, 2]]
    for x, w in itertools.product(views, [base[::-7], (1.5, -2.0), [3.0]]):
        for mode in MODES:
            for ours, ref in PAIRS_1D:
                np.testing.assert_allclose(ours(x, w, mode), ref(x, w, mode), rtol=1e-13)


def test_1d_nonfinite_stay_local_like_numpy():
    x = np.arange(12.0)
    x[3], x[8] = np.inf, np.nan
    w = np.array([1.0, 0.0, -2.0, 0.5])
    for mode in MODES:
        for ours, ref in PAIRS_1D:
            for a, b in ((x, w), (w, x)):
                np.testing.assert_array_equal(ours(a, b, mode), ref(a, b, mode))


@pytest.mark.parametrize("func", [convolve1d, correlate1d])
def test_1d_zero_d_input_raises_documented(func):
    # np.convolve treats a scalar as length 1; we raise (documented in helpers.conv).
    with pytest.raises(ValueError, match="x must be a 1D array; got 0D"):
        func(3.0, [1.0, 2.0])
    with pytest.raises(ValueError, match="w must be a 1D array; got 0D"):
        func([1.0, 2.0], np.float64(3.0))


@pytest.mark.parametrize("mode", ["Full", "SAME", "f", "valid ", 0, 2, None])
def test_1d_mode_spelling_raises_listing_modes(mode):
    # NumPy rejects the capitalised spellings too (and we also reject its integer modes).
    for func in (convolve1d, correlate1d):
        with pytest.raises(ValueError, match="mode must be one of 'full', 'same', 'valid'"):
            func([1, 2, 3], [1, 1], mode)
    with pytest.raises(ValueError, match="method must be one of 'fast', 'loops'"):
        convolve1d([1, 2, 3], [1, 1], method="Fast")


# ------------------------------------------------------------------ 2D


@pytest.mark.parametrize("mode", MODES)
def test_2d_every_small_shape_pair_matches_scipy(mode):
    # Includes kernels larger than the image in one or both dimensions, and even kernels.
    rng = np.random.default_rng(3)
    for ah, aw, kh, kw in itertools.product(range(1, 5), repeat=4):
        a, k = rng.integers(-3, 4, (ah, aw)), rng.integers(-3, 4, (kh, kw))
        for ours, ref in PAIRS_2D:
            try:
                want = ref(a, k, mode)
            except ValueError:
                with pytest.raises(ValueError, match="must be at least as large as the other"):
                    ours(a, k, mode)
                continue
            for method in ("fast", "direct", "fft"):
                assert_identical(ours(a, k, mode, method), want)


@pytest.mark.parametrize("method", ["fast", "loops", "direct"])
@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.uint16, np.int64])
def test_2d_small_integers_wrap_exactly_like_scipy(dtype, method):
    rng = np.random.default_rng(4)
    a, k = random_ints(rng, dtype, (7, 6)), random_ints(rng, dtype, (3, 4))
    for mode in MODES:
        for ours, ref in PAIRS_2D:
            assert_identical(ours(a, k, mode, method), ref(a, k, mode))


def test_2d_views_and_fortran_order():
    base = np.random.default_rng(5).integers(-5, 5, (40, 40))
    images = [base.T, base[::-1, ::-2], np.asfortranarray(base), base[::3, 1::2]]
    kernels = [base[:5, :3].T, base[::-9, ::-13], np.asfortranarray(base[:4, :2])]
    for a, k in itertools.product(images, kernels):
        for mode in MODES:
            for ours, ref in PAIRS_2D:
                assert_identical(ours(a, k, mode), ref(a, k, mode))


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_2d_nonfinite_pixel_stays_local_with_big_kernel(value):
    rng = np.random.default_rng(6)
    # 64x64 with 31x31: large enough that method="fast" would like the FFT.
    a, k = rng.standard_normal((64, 64)), rng.standard_normal((31, 31))
    a[5, 50] = value
    for mode in MODES:
        for ours, ref in PAIRS_2D:
            got, want = ours(a, k, mode), ref(a, k, mode)
            np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
            np.testing.assert_array_equal(np.isinf(got), np.isinf(want))
            finite = np.isfinite(want)
            np.testing.assert_allclose(got[finite], want[finite], rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(("dtype", "high"), [(np.int64, 10**9), (np.int64, 2**20),
                                             (np.int32, 1000), (np.uint64, 10**9)])
def test_2d_large_integers_exact_with_big_kernel(dtype, high):
    rng = np.random.default_rng(7)
    a = rng.integers(0, high, (64, 64)).astype(dtype)
    k = rng.integers(0, min(high, 1000), (31, 31)).astype(dtype)
    for mode in MODES:
        for ours, ref in PAIRS_2D:
            assert_identical(ours(a, k, mode), ref(a, k, mode))


def test_2d_float32_on_fft_path_keeps_dtype_and_precision():
    rng = np.random.default_rng(8)
    a = rng.standard_normal((128, 128)).astype(np.float32)
    k = rng.standard_normal((31, 31)).astype(np.float32)
    for mode in MODES:
        for ours, ref in PAIRS_2D:
            got, want = ours(a, k, mode), ref(a, k, mode)
            exact = ref(a.astype(float), k.astype(float), mode)
            assert got.dtype == want.dtype == np.float32
            assert np.abs(got - exact).max() <= 2 * np.abs(want - exact).max() + 1e-6


def test_2d_huge_finite_values_do_not_overflow_on_fft_path():
    rng = np.random.default_rng(9)
    a, k = np.full((64, 64), 1e307), rng.random((31, 31)) * 1e-10
    got, want = correlate2d(a, k, "same"), scipy.signal.correlate2d(a, k, "same")
    assert np.isfinite(want).all()
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_2d_fft_path_keeps_exact_zeros():
    a = np.zeros((100, 100))
    a[:5, :5] = 1.0
    k = np.ones((31, 31))
    np.testing.assert_allclose(correlate2d(a, k, "same"), scipy.signal.correlate2d(a, k, "same"))


def test_2d_wrong_dimensions_and_types_raise_naming_argument():
    with pytest.raises(ValueError, match="a must be a 2D array; got 1D"):
        convolve2d([1, 2, 3], [[1]])
    with pytest.raises(ValueError, match="k must be a 2D array; got 0D"):
        correlate2d([[1, 2]], 1)
    with pytest.raises(ValueError, match="a must not be empty"):
        correlate2d(np.zeros((0, 3)), [[1]])
    with pytest.raises(TypeError, match="k must hold real numbers"):
        convolve2d([[1, 2]], [["x"]])
    with pytest.raises(ValueError, match="mode must be one of 'full', 'same', 'valid'"):
        convolve2d([[1, 2]], [[1]], "Same")


# ------------------------------------------------------------------ sizes, matrices, im2col


def test_output_size_matches_counting_positions():
    for n, k, p, s, d in itertools.product(range(1, 9), range(1, 6), range(4), range(1, 5),
                                           range(1, 4)):
        span = d * (k - 1) + 1
        count = len(range(0, n + 2 * p - span + 1, s))
        if count == 0:
            with pytest.raises(ValueError, match="is larger than the padded input"):
                output_size(n, k, p, s, d)
        else:
            assert output_size(n, k, p, s, d) == count


@pytest.mark.parametrize(("args", "exc", "match"), [
    ((0, 1), ValueError, "n must be an integer >= 1"),
    ((3, 1, -1), ValueError, "padding must be an integer >= 0"),
    ((3, 1, 0, 0), ValueError, "stride must be an integer >= 1"),
    ((3, 1, 0, 1, 0), ValueError, "dilation must be an integer >= 1"),
    ((3.0, 1), TypeError, "n must be an integer"),
])
def test_output_size_bad_arguments(args, exc, match):
    with pytest.raises(exc, match=match):
        output_size(*args)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.float32, np.int64])
def test_conv_matrix_every_mode_and_length(dtype):
    rng = np.random.default_rng(10)
    for k, n in itertools.product(range(1, 7), repeat=2):
        w = rng.integers(0, 5, k).astype(dtype)
        for mode in MODES:
            M = conv_matrix(w, n, mode)
            assert M.dtype == w.dtype
            x = rng.integers(0, 5, n).astype(dtype)
            # OpenBLAS's float32 kernels can raise a spurious "invalid value" flag on an
            # exact result (numpy#24067, seen here once in many runs); the values decide.
            with np.errstate(invalid="ignore"):
                product = M @ x
            assert_identical(product, np.convolve(x, w, mode))


def _im2col_loops(x, kh, kw, stride, padding):
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh = (xp.shape[2] - kh) // stride + 1
    ow = (xp.shape[3] - kw) // stride + 1
    cols = [xp[n, :, i * stride:i * stride + kh, j * stride:j * stride + kw].ravel()
            for n in range(x.shape[0]) for i in range(oh) for j in range(ow)]
    return np.array(cols).T


def test_im2col_matches_loops_with_stride_and_padding():
    rng = np.random.default_rng(11)
    for kh, kw, stride, padding in itertools.product([1, 2, 3], [1, 3], [1, 2, 3], [0, 1, 4]):
        x = rng.integers(-5, 5, (2, 3, 5, 6))
        assert_identical(im2col(x, kh, kw, stride, padding), _im2col_loops(x, kh, kw, stride,
                                                                          padding))


def test_im2col_kernel_too_large_names_kh_or_kw():
    with pytest.raises(ValueError, match=r"kh: kernel size 4 is larger than the padded input H"):
        im2col(np.ones((1, 1, 3, 5)), 4, 1)
    with pytest.raises(ValueError, match=r"kw: kernel size 6 is larger than the padded input W"):
        im2col(np.ones((1, 1, 3, 5)), 1, 6)
    assert im2col(np.ones((1, 1, 3, 5)), 4, 6, padding=1).shape == (24, 2 * 2)


# ------------------------------------------------------------------ the conv layer


def _layer_reference(x, w, b, stride, padding):
    """Per-channel scipy valid correlations, subsampled by the stride, plus the bias."""
    xp = np.pad(x.astype(float), ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh = output_size(x.shape[2], w.shape[2], padding, stride)
    ow = output_size(x.shape[3], w.shape[3], padding, stride)
    out = np.empty((x.shape[0], w.shape[0], oh, ow))
    for n, f in itertools.product(range(x.shape[0]), range(w.shape[0])):
        full = sum(scipy.signal.correlate2d(xp[n, c], w[f, c].astype(float), "valid")
                   for c in range(x.shape[1]))
        out[n, f] = full[::stride, ::stride][:oh, :ow] + b[f]
    return out


@pytest.mark.parametrize(("shape_x", "shape_w", "stride", "padding"), [
    ((1, 1, 7, 7), (1, 1, 3, 3), 2, 0),   # N = C = F = 1
    ((2, 3, 7, 6), (4, 3, 3, 2), 3, 1),   # stride does not divide evenly
    ((1, 2, 4, 5), (2, 2, 3, 3), 1, 4),   # padding bigger than the kernel
    ((2, 2, 5, 5), (3, 2, 1, 1), 2, 0),   # 1x1 kernel
    ((1, 1, 3, 3), (1, 1, 5, 5), 1, 1),   # kernel larger than the unpadded input
])
@pytest.mark.parametrize("method", ["fast", "loops"])
def test_conv2d_forward_matches_scipy(shape_x, shape_w, stride, padding, method):
    rng = np.random.default_rng(12)
    x, w = rng.standard_normal(shape_x), rng.standard_normal(shape_w)
    b = rng.standard_normal(shape_w[0])
    out, _ = conv2d_forward(x, w, b, stride, padding, method=method)
    np.testing.assert_allclose(out, _layer_reference(x, w, b, stride, padding), rtol=1e-12,
                               atol=1e-12)


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int64, np.float32])
def test_conv2d_integer_and_bool_inputs(dtype):
    rng = np.random.default_rng(13)
    x = rng.integers(0, 2, (2, 2, 5, 5)).astype(dtype)
    w = rng.integers(0, 2, (3, 2, 2, 2)).astype(dtype)
    b = np.ones(3, dtype)
    out, cache = conv2d_forward(x, w, b, 2, 1)
    loops, _ = conv2d_forward(x, w, b, 2, 1, method="loops")
    assert_identical(out, loops)
    np.testing.assert_array_equal(out, _layer_reference(x, w, b.astype(float), 2, 1))
    dx, dw, db = conv2d_backward(np.ones_like(out), cache)
    assert dx.dtype == dw.dtype == db.dtype == out.dtype  # db used to widen int8 to int64
    assert (dx.shape, dw.shape, db.shape) == (x.shape, w.shape, b.shape)


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 1), (3, 0), (2, 3)])
def test_conv2d_backward_matches_central_differences(stride, padding):
    rng = np.random.default_rng(14)
    x, w = rng.standard_normal((2, 2, 5, 6)), rng.standard_normal((3, 2, 3, 2))
    b = rng.standard_normal(3)
    out, cache = conv2d_forward(x, w, b, stride, padding)
    dout = rng.standard_normal(out.shape)
    grads = conv2d_backward(dout, cache)

    def cost(_):
        return float(np.sum(conv2d_forward(x, w, b, stride, padding)[0] * dout))

    for analytic, point in zip(grads, (x, w, b), strict=True):
        assert relative_error(analytic, numerical_gradient(cost, point, 1e-5)) < 1e-8


def test_conv2d_backward_rejects_dout_of_wrong_shape():
    out, cache = conv2d_forward(np.ones((2, 1, 4, 4)), np.ones((3, 1, 2, 2)), np.zeros(3))
    for bad in (out[:1], out.transpose(1, 0, 2, 3), out[..., :2], out.reshape(2, 3, -1),
                out.sum(axis=0)):
        with pytest.raises(ValueError, match="dout must"):
            conv2d_backward(bad, cache)
    with pytest.raises(TypeError, match="cache must be the ConvCache"):
        conv2d_backward(out, tuple(cache))


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"stride": 0}, ValueError, "stride must be an integer >= 1"),
    ({"padding": -1}, ValueError, "padding must be an integer >= 0"),
    ({"stride": 1.0}, TypeError, "stride must be an integer"),
    ({"x": np.ones((1, 3, 3))}, ValueError, "x must be a 4D array"),
    ({"x": np.ones((1, 2, 3, 3))}, ValueError, "channel mismatch"),
    ({"b": 0.0}, ValueError, "b must be a 1D array"),
    ({"b": [0.0, 0.0]}, ValueError, r"b must have shape \(F,\)"),
    ({"w": np.ones((1, 1, 4, 2))}, ValueError, "kernel size 4 is larger"),
    ({"x": np.full((1, 1, 3, 3), "a")}, TypeError, "x must hold real numbers"),
])
def test_conv2d_forward_bad_input(kwargs, exc, match):
    args = {"x": np.ones((1, 1, 3, 3)), "w": np.ones((1, 1, 2, 2)), "b": [0.0]} | kwargs
    with pytest.raises(exc, match=match):
        conv2d_forward(**args)


# ------------------------------------------------------------------ activations


def test_sigmoid_extremes_raise_no_warning():
    z = np.array([-1e3, -745.2, -1.0, 0.0, 1.0, 710.0, 1e3])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s, ds = sigmoid(z), sigmoid_prime(z)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(ds))
    assert s[0] == 0.0 and s[-1] == 1.0 and ds[0] == ds[-1] == 0.0
    middle = np.array([-1.0, 0.0, 1.0])
    np.testing.assert_allclose(s[2:5], 1 / (1 + np.exp(-middle)), rtol=1e-15)
    np.testing.assert_allclose(ds[2:5], s[2:5] * (1 - s[2:5]), rtol=1e-15)


def test_sigmoid_accepts_ints_lists_and_scalars():
    assert sigmoid(np.array([0, 2], np.int8)).tolist() == pytest.approx([0.5, 1 / (1 + np.exp(-2))])
    assert sigmoid([[0, 0]]).shape == (1, 2)
    value = sigmoid(0.5)
    assert isinstance(value, float) and value == pytest.approx(1 / (1 + np.exp(-0.5)))


@pytest.mark.parametrize("bad", ["a", [1, "a"], [[1], [1, 2]], np.array([1j]), None])
def test_sigmoid_rejects_non_numeric_naming_z(bad):
    with pytest.raises(TypeError, match="z must"):
        sigmoid(bad)


# ------------------------------------------------------------------ gradcheck


def test_relative_error_edge_values():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, -2.0], [1.5, -2.0]) == 0.5 / 4.0  # max|a-b| / max(|a|+|b|)
    assert np.isnan(relative_error([np.inf], [np.inf]))  # quietly NaN, never "fine"
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(3), np.zeros((3, 1)))
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(3), np.zeros(1))


@pytest.mark.parametrize(("a", "name"), [(["x"], "a"), ([[1.0], [1.0, 2.0]], "a"),
                                         ([1j], "a")])
def test_relative_error_non_numeric_names_argument(a, name):
    with pytest.raises(TypeError, match=f"{name} must"):
        relative_error(a, [1.0])
    with pytest.raises(TypeError, match="b must"):
        relative_error([1.0], a)


def test_numerical_gradient_edge_inputs():
    assert numerical_gradient(lambda v: float(v) ** 3, np.array(2.0)) == pytest.approx(12.0)
    x = np.array([1, 2, 3])  # ints would truncate x + h: refused, not silently wrong
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        numerical_gradient(lambda v: np.sum(v ** 2), x)
    with pytest.raises(TypeError, match="x must be a float64 numpy array"):
        numerical_gradient(lambda v: np.sum(v ** 2), [1.0, 2.0])
    with pytest.raises(ValueError, match="x must be writeable"):
        numerical_gradient(np.sum, np.broadcast_to(np.ones(1), (3,)))
    with pytest.raises(TypeError, match="f must be a callable"):
        numerical_gradient(3.0, np.ones(2))
    with pytest.raises(ValueError, match="h must be a positive"):
        numerical_gradient(np.sum, np.ones(2), h=0.0)


# ------------------------------------------------------------------ network


def test_network_gradients_match_central_differences():
    rng = np.random.default_rng(15)
    X, Y = rng.standard_normal((6, 3)), np.eye(2)[rng.integers(0, 2, 6)]
    p = init_params(seed=3)
    grads = backward(Y, forward(X, p), p)
    for key in p:
        q = {k: v.copy() for k, v in p.items()}
        num = numerical_gradient(lambda _, q=q: loss(forward(X, q)["Y_hat"], Y), q[key])
        assert grads[key].shape == p[key].shape
        assert relative_error(grads[key], num) < 1e-7


def test_forward_one_sample_and_wrong_features():
    p = init_params()
    cache = forward(np.array([1.0, 2.0, 3.0]), p)
    assert cache["X"].shape == (1, 3) and cache["Y_hat"].shape == (1, 2)
    np.testing.assert_allclose(cache["Z_h"], np.array([[1.0, 2.0, 3.0]]) @ p["W"] + p["b1"])
    for X in (np.ones((5, 4)), np.ones(4), np.ones((3, 1))):
        with pytest.raises(ValueError, match="X must have 3 features"):
            forward(X, p)
    # The cache of one sample holds (1, n) arrays: its target must be (1, n_out) too.
    with pytest.raises(ValueError, match=r"Y must have the same shape as Y_hat, \(1, 2\)"):
        backward(np.array([1.0, 0.0]), cache, p)
    assert backward(np.array([[1.0, 0.0]]), cache, p)["W"].shape == (3, 4)


@pytest.mark.parametrize(("key", "value", "match"), [
    ("W", np.ones((4, 4)), "X must have 4 features"),
    ("b1", np.ones((1, 4)), r"params\['b1'\] must be a 1D array"),
    ("V", np.ones((3, 2)), r"params\['V'\] must have 4 rows"),
    ("b2", np.ones(3), r"params\['b2'\] must have shape \(2,\)"),
])
def test_forward_rejects_inconsistent_params(key, value, match):
    p = init_params() | {key: value}
    with pytest.raises(ValueError, match=match):
        forward(np.ones((2, 3)), p)


@pytest.mark.parametrize(("Y_hat", "Y"), [(np.ones((3, 2)), np.ones(2)),
                                          (np.ones((3, 2)), np.ones((1, 2))),
                                          (np.ones((3, 2)), np.ones((2, 3))),
                                          (np.ones((3, 1)), np.ones(3))])
def test_loss_never_broadcasts(Y_hat, Y):
    with pytest.raises(ValueError, match="Y must have the same shape as Y_hat"):
        loss(Y_hat, Y)


def test_loss_formula_and_type():
    Y_hat, Y = np.array([[0.8, 0.4], [0.1, 0.9]]), np.array([[1, 0], [0, 1]])
    value = loss(Y_hat, Y)
    assert type(value) is float
    assert value == pytest.approx(((0.2**2 + 0.4**2) + (0.1**2 + 0.1**2)) / 4)


@pytest.mark.parametrize(("lr", "epochs", "exc", "match"), [
    (0.0, 1, ValueError, "lr must be a positive"), (-1.0, 1, ValueError, "lr must be a positive"),
    (np.nan, 1, ValueError, "lr must be a positive"), ("1", 1, TypeError, "lr must be"),
    (1.0, -1, ValueError, "epochs must be an integer >= 0"),
    (1.0, 2.0, TypeError, "epochs must be an integer"),
])
def test_train_bad_hyperparameters(lr, epochs, exc, match):
    X, Y = np.ones((2, 3)), np.eye(2)
    with pytest.raises(exc, match=match):
        train(X, Y, init_params(), lr, epochs)


def test_train_zero_epochs_and_no_mutation():
    p = init_params()
    before = {k: v.copy() for k, v in p.items()}
    trained, history = train(np.ones((2, 3)), np.eye(2), p, 0.5, 0)
    assert history.shape == (0,)
    assert all(np.array_equal(trained[k], before[k]) and np.array_equal(p[k], before[k])
               for k in p)
    with pytest.raises(ValueError, match=r"Y must have shape \(2, 2\)"):
        train(np.ones((2, 3)), np.eye(2)[:1], p, 0.5, 1)
