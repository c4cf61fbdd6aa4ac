"""The transposed convolution (notebook 07): loops, the vectorised path, an explicit M.T
built from the forward layer, and the adjoint identity <Mx, y> = <x, M.T y>."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.conv import (
    conv2d_forward,
    conv_matrix,
    conv_transpose1d,
    conv_transpose2d,
    convolve1d,
    output_size,
    transposed_size,
)


def random_case(rng):
    """Random (x, w, stride, padding, output_padding, dilation) with a non-empty output."""
    while True:
        s, d = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        op = int(rng.integers(0, max(s, d)))
        kh, kw, h, wd = (int(v) for v in rng.integers(1, 4, 4))
        p = int(rng.integers(0, 3))
        if min(transposed_size(n, k, s, 0, op, d) for n, k in ((h, kh), (wd, kw))) > 2 * p:
            break
    n, c_in, c_out = (int(v) for v in rng.integers(1, 3, 3))
    x = rng.standard_normal((n, c_in, h, wd))
    return x, rng.standard_normal((c_in, c_out, kh, kw)), s, p, op, d


def forward_matrix(w, out_shape, s, p, d, in_hw):
    """M with M @ z.ravel() == conv2d_forward(z, w as (F=C_in, C=C_out, ...))[:H, :W].

    Built one basis image at a time from the forward layer, which never mentions the
    transposed convolution: column j is the layer's response to the j-th unit image.
    """
    c_in, c_out = w.shape[:2]
    cols = []
    for j in range(c_out * out_shape[0] * out_shape[1]):
        e = np.zeros(c_out * out_shape[0] * out_shape[1])
        e[j] = 1.0
        y, _ = conv2d_forward(e.reshape(1, c_out, *out_shape), w, np.zeros(c_in), s, p, d)
        cols.append(y[0, :, :in_hw[0], :in_hw[1]].ravel())  # output_padding >= s adds rows
    return np.array(cols).T


@pytest.mark.parametrize("seed", range(40))
def test_loops_fast_and_explicit_transpose_agree(seed):
    rng = np.random.default_rng(seed)
    x, w, s, p, op, d = random_case(rng)
    fast = conv_transpose2d(x, w, None, s, p, op, d)
    loops = conv_transpose2d(x, w, None, s, p, op, d, method="loops")
    np.testing.assert_allclose(fast, loops, rtol=1e-12, atol=1e-12)
    h_out, w_out = fast.shape[2:]
    assert (h_out, w_out) == (transposed_size(x.shape[2], w.shape[2], s, p, op, d),
                              transposed_size(x.shape[3], w.shape[3], s, p, op, d))
    M = forward_matrix(w, (h_out, w_out), s, p, d, x.shape[2:])
    for n in range(len(x)):
        np.testing.assert_allclose(fast[n].ravel(), M.T @ x[n].ravel(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", range(40))
def test_adjoint_identity(seed):
    # <conv(z), x> == <z, conv_transpose(x)> for every z of the transposed output's shape
    rng = np.random.default_rng(1000 + seed)
    x, w, s, p, op, d = random_case(rng)
    up = conv_transpose2d(x, w, None, s, p, op, d)
    z = rng.standard_normal(up.shape)
    down, _ = conv2d_forward(z, w, np.zeros(w.shape[0]), s, p, d)
    lhs = np.sum(down[:, :, :x.shape[2], :x.shape[3]] * x)
    np.testing.assert_allclose(lhs, np.sum(z * up), rtol=1e-11)


@pytest.mark.parametrize("seed", range(40))
def test_1d_is_the_transpose_of_the_strided_layer_matrix(seed):
    rng = np.random.default_rng(2000 + seed)
    k, s, n_y = (int(v) for v in rng.integers(1, 5, 3))
    full = transposed_size(n_y, k, s)
    p = int(rng.integers(0, (full + 1) // 2))
    y, w = rng.standard_normal(n_y), rng.standard_normal(k)
    # the layer correlates: its matrix is conv_matrix of the flipped kernel, every s-th row,
    # with the padding's columns dropped
    M = conv_matrix(w[::-1], full, "valid")[::s][:, p:full - p]
    want = M.T @ y
    for method in ("fast", "loops"):
        np.testing.assert_allclose(conv_transpose1d(y, w, s, p, method=method), want,
                                   rtol=1e-12, atol=1e-12)
    x = rng.standard_normal(M.shape[1])
    np.testing.assert_allclose(np.dot(M @ x, y), np.dot(x, conv_transpose1d(y, w, s, p)),
                               rtol=1e-11)


def test_1d_stride_1_is_the_full_convolution():
    y, w = np.array([-2, 6]), np.array([5, 6, 7])
    assert conv_transpose1d(y, w).tolist() == convolve1d(y, w).tolist() == [-10, 18, 22, 42]
    assert np.array_equal(conv_matrix(w, 2, "full") @ y, conv_transpose1d(y, w))


def test_sizes_round_trip():
    # a transposed convolution maps the layer's output size back to its input size
    for n in range(3, 12):
        for k in (1, 2, 3, 4):
            for s in (1, 2, 3):
                for p in (0, 1):
                    if k > n + 2 * p:
                        continue
                    m = output_size(n, k, p, s)
                    op = (n + 2 * p - k) % s  # the rows the floor dropped
                    assert transposed_size(m, k, s, p, op) == n


def test_integers_stay_integers():
    x = np.arange(8).reshape(1, 2, 2, 2)
    w = np.arange(24).reshape(2, 3, 2, 2) - 10
    for method in ("fast", "loops"):
        out = conv_transpose2d(x, w, [1, 0, -1], 2, method=method)
        assert out.dtype == np.int64
        want = conv_transpose2d(x.astype(float), w.astype(float), [1.0, 0, -1], 2)
        assert np.array_equal(out, want)
    assert conv_transpose1d([1, 2], [1, 1, 1], 2).dtype == np.int64
    assert conv_transpose1d([True, False], [True, True]).dtype == np.int64


def test_bias_adds_per_output_channel():
    x, w = np.ones((1, 1, 2, 2)), np.ones((1, 2, 1, 1))
    out = conv_transpose2d(x, w, [10.0, -1.0])
    assert out[0, 0].tolist() == [[11, 11], [11, 11]] and out[0, 1].tolist() == [[0, 0], [0, 0]]


X, W = np.ones((1, 2, 3, 3)), np.ones((2, 1, 3, 3))


@pytest.mark.parametrize("kwargs, error, words", [
    ({"output_padding": 2, "stride": 2}, ValueError, "output_padding must be smaller"),
    ({"output_padding": 1}, ValueError, "output_padding must be smaller"),
    ({"output_padding": -1}, ValueError, "output_padding must be an integer >= 0"),
    ({"stride": 0}, ValueError, "stride must be an integer >= 1"),
    ({"dilation": 0}, ValueError, "dilation must be an integer >= 1"),
    ({"padding": -1}, ValueError, "padding must be an integer >= 0"),
    ({"padding": 3}, ValueError, "padding"),
    ({"stride": 1.5}, TypeError, "stride must be an integer"),
    ({"method": "magic"}, ValueError, "method must be one of"),
])
def test_bad_arguments_name_themselves(kwargs, error, words):
    with pytest.raises(error, match=words):
        conv_transpose2d(X, W, **kwargs)


def test_output_padding_below_dilation_is_allowed():
    out = conv_transpose2d(X, W, None, stride=1, output_padding=1, dilation=2)
    assert out.shape == (1, 1, 8, 8)


def test_mismatched_shapes():
    with pytest.raises(ValueError, match="channel mismatch.*C_in=2.*C_in=3"):
        conv_transpose2d(X, np.ones((3, 1, 3, 3)))
    with pytest.raises(ValueError, match=r"b must have shape \(C_out,\) = \(1,\)"):
        conv_transpose2d(X, W, [1.0, 2.0])
    with pytest.raises(ValueError, match="x must be a 4D array"):
        conv_transpose2d(X[0], W)
    with pytest.raises(ValueError, match="w must not be empty"):
        conv_transpose2d(X, np.ones((2, 1, 0, 3)))
    with pytest.raises(TypeError, match="x must hold real numbers"):
        conv_transpose2d(X.astype(complex), W)


def test_1d_bad_input():
    with pytest.raises(ValueError, match="padding.*leaves no output"):
        conv_transpose1d([1, 2], [1, 1], padding=2)
    with pytest.raises(ValueError, match="y must be a 1D array"):
        conv_transpose1d([[1, 2]], [1, 1])
    with pytest.raises(ValueError, match="stride must be an integer >= 1"):
        conv_transpose1d([1, 2], [1, 1], stride=-1)
    with pytest.raises(ValueError, match="w must not be empty"):
        conv_transpose1d([1, 2], [])


def test_huge_outputs_are_refused_before_allocating():
    with pytest.raises(ValueError, match="y: the result would have shape"):
        conv_transpose1d([1, 2], [1], stride=10**12)
    with pytest.raises(ValueError, match="x: the result would have shape"):
        conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 1, 1)), stride=10**9)
