"""The convolutional layer: im2col layout, forward against correlate2d, backward against
central differences."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers.conv import (
    col2im,
    conv2d_backward,
    conv2d_forward,
    correlate2d,
    im2col,
    output_size,
)
from helpers.gradcheck import numerical_gradient, relative_error


@st.composite
def layers(draw, max_side: int = 7):
    """Random (x, w, b, stride, padding) for which the kernel fits the padded input."""
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w_ = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, padding = draw(st.integers(1, 3)), draw(st.integers(0, 2))
    assume(kh <= h + 2 * padding and kw <= w_ + 2 * padding)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((n, c, h, w_))
    return x, rng.standard_normal((f, c, kh, kw)), rng.standard_normal(f), stride, padding


def reference_forward(x, w, b, stride, padding):
    """A CNN layer from SciPy's correlate2d: pad, correlate each channel, sum, subsample."""
    out = []
    for image in x:
        maps = []
        for g in range(w.shape[0]):
            acc = sum(scipy.signal.correlate2d(np.pad(image[c], padding), w[g, c], "valid")
                      for c in range(x.shape[1]))
            maps.append(acc[::stride, ::stride] + b[g])
        out.append(maps)
    return np.array(out)


@settings(max_examples=60, deadline=None)
@given(layer=layers(), method=st.sampled_from(["fast", "loops"]))
def test_forward_matches_correlate2d_summed_over_channels(layer, method):
    x, w, b, stride, padding = layer
    out, _ = conv2d_forward(x, w, b, stride, padding, method=method)
    want = reference_forward(x, w, b, stride, padding)
    assert out.shape == want.shape == (x.shape[0], w.shape[0],
                                       output_size(x.shape[2], w.shape[2], padding, stride),
                                       output_size(x.shape[3], w.shape[3], padding, stride))
    np.testing.assert_allclose(out, want, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(layer=layers())
def test_im2col_gemm_equals_loops(layer):
    x, w, b, stride, padding = layer
    fast, _ = conv2d_forward(x, w, b, stride, padding)
    loops, _ = conv2d_forward(x, w, b, stride, padding, method="loops")
    np.testing.assert_allclose(fast, loops, rtol=1e-12, atol=1e-12)
    assert fast.flags.c_contiguous


@settings(max_examples=40, deadline=None)
@given(layer=layers())
def test_im2col_layout_one_column_per_window(layer):
    x, w, _, s, p = layer
    f, c, kh, kw = w.shape
    n = x.shape[0]
    oh, ow = output_size(x.shape[2], kh, p, s), output_size(x.shape[3], kw, p, s)
    cols = im2col(x, kh, kw, s, p)
    assert cols.shape == (c * kh * kw, n * oh * ow)
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    for m, i, j in np.ndindex(n, oh, ow):
        window = xp[m, :, i * s:i * s + kh, j * s:j * s + kw]
        np.testing.assert_array_equal(cols[:, (m * oh + i) * ow + j], window.ravel())
    gemm = w.reshape(f, -1) @ cols  # documented use: one GEMM gives every output
    np.testing.assert_allclose(gemm.reshape(f, n, oh, ow).transpose(1, 0, 2, 3),
                               reference_forward(x, w, np.zeros(f), s, p), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(layer=layers())
def test_col2im_is_the_adjoint_of_im2col(layer):
    # <im2col(x), Y> == <x, col2im(Y)> for all x, Y: col2im is im2col transposed.
    x, w, _, s, p = layer
    kh, kw = w.shape[2:]
    cols = im2col(x, kh, kw, s, p)
    y = np.random.default_rng(0).standard_normal(cols.shape)
    back = col2im(y, x.shape, kh, kw, s, p)
    assert back.shape == x.shape
    np.testing.assert_allclose(np.sum(cols * y), np.sum(x * back), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize("seed", [0, 1])
def test_backward_matches_central_differences(stride, padding, seed):
    rng = np.random.default_rng(100 * stride + 10 * padding + seed)
    n, c, f = rng.integers(1, 3), rng.integers(1, 4), rng.integers(1, 4)
    kh, kw = rng.integers(1, 4, 2)
    h, w_ = rng.integers(max(1, kh - 2 * padding), 7), rng.integers(max(1, kw - 2 * padding), 7)
    x, w = rng.standard_normal((n, c, h, w_)), rng.standard_normal((f, c, kh, kw))
    b = rng.standard_normal(f)
    out, cache = conv2d_forward(x, w, b, stride, padding)
    G = rng.standard_normal(out.shape)  # loss = sum(out * G), so dloss/dout = G

    def loss(x=x, w=w, b=b):
        return float(np.sum(conv2d_forward(x, w, b, stride, padding)[0] * G))

    dx, dw, db = conv2d_backward(G, cache)
    assert relative_error(dx, numerical_gradient(lambda v: loss(x=v), x)) < 1e-7
    assert relative_error(dw, numerical_gradient(lambda v: loss(w=v), w)) < 1e-7
    assert relative_error(db, numerical_gradient(lambda v: loss(b=v), b)) < 1e-7


def test_backward_after_loops_forward():
    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((2, 2, 5, 4)), rng.standard_normal((3, 2, 2, 3)), np.ones(3)
    G = rng.standard_normal((2, 3, 3, 2))
    fast = conv2d_backward(G, conv2d_forward(x, w, b, 2, 1)[1])
    loops = conv2d_backward(G, conv2d_forward(x, w, b, 2, 1, method="loops")[1])
    for a, c in zip(fast, loops, strict=True):
        np.testing.assert_allclose(a, c, rtol=1e-12)


def test_cs231n_demo_shapes():
    # CS231n "Convolutional Networks", Convolution Demo: a 5x5x3 input (padded by 1 to
    # 7x7x3), two 3x3x3 filters, stride 2 -> a 3x3x2 output volume, (5 - 3 + 2)/2 + 1 = 3.
    x = np.ones((1, 3, 5, 5))
    out, cache = conv2d_forward(x, np.ones((2, 3, 3, 3)), [1.0, 0.0], stride=2, padding=1)
    assert out.shape == (1, 2, 3, 3)
    # all-ones check: a corner window sees 2x2 real pixels per channel, the centre 3x3.
    np.testing.assert_array_equal(out[0, 1], [[12, 18, 12], [18, 27, 18], [12, 18, 12]])
    np.testing.assert_array_equal(out[0, 0], out[0, 1] + 1)  # bias 1 on filter 0
    assert im2col(x, 3, 3, 2, 1).shape == (3 * 3 * 3, 9)  # 27 rows, one column per window
    assert cache.x.shape == x.shape


def test_d2l_corr2d_through_the_layer():
    # d2l.ai "Convolutions for Images" corr2d example, as a 1-image, 1-channel, 1-filter layer.
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    out, _ = conv2d_forward(x, np.array([[[[0.0, 1.0], [2.0, 3.0]]]]), [0.0])
    np.testing.assert_array_equal(out[0, 0], [[19, 25], [37, 43]])


def test_seed_001_depth_is_a_dot_product():
    # Seed 001: across channels a conv layer sums the per-channel correlations (a dot
    # product along the depth); a 1x1 convolution is a matrix product over channels.
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((1, 3, 4, 4)), rng.standard_normal((2, 3, 1, 1))
    out, _ = conv2d_forward(x, w, np.zeros(2))
    np.testing.assert_allclose(out[0], np.einsum("fc,chw->fhw", w[:, :, 0, 0], x[0]))
    x5 = np.stack([np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0],
                             [0, 1, 1, 0, 0]])] * 2)[None]
    k = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
    out, _ = conv2d_forward(x5, np.stack([k, k])[None], [0])
    np.testing.assert_array_equal(out[0, 0], 2 * correlate2d(x5[0, 0], k, "valid"))


def test_dtypes():
    x, w = np.ones((1, 1, 3, 3), np.float32), np.ones((1, 1, 2, 2), np.float32)
    out, cache = conv2d_forward(x, w, np.zeros(1, np.float32))
    assert out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv2d_backward(np.ones_like(out), cache))
    out, _ = conv2d_forward(np.ones((1, 1, 3, 3), int), np.ones((1, 1, 2, 2), int), [1])
    assert out.dtype == np.int64 and out[0, 0].tolist() == [[5, 5], [5, 5]]


def test_blocked_layer_matches_one_big_product(monkeypatch):
    # conv2d_forward/backward work a few images at a time; force several uneven blocks.
    from helpers.conv import fast  # the block size is internal; this test names why

    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((7, 2, 6, 5)), rng.standard_normal((3, 2, 3, 2)), rng.random(3)
    dout = rng.standard_normal((7, 3, 3, 3))
    one_block = conv2d_forward(x, w, b, stride=2, padding=1)
    grads = conv2d_backward(dout, one_block[1])
    monkeypatch.setattr(fast, "BLOCK", 2 * 2 * 3 * 2 * 3 * 3)  # two images per block
    blocked = conv2d_forward(x, w, b, stride=2, padding=1)
    np.testing.assert_allclose(blocked[0], one_block[0], rtol=1e-13)
    for got, want in zip(conv2d_backward(dout, blocked[1]), grads, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)
    cols = im2col(x, 3, 2, 2, 1)
    want = (w.reshape(3, -1) @ cols).reshape(3, 7, 3, 3).transpose(1, 0, 2, 3) + b[:, None, None]
    np.testing.assert_allclose(blocked[0], want, rtol=1e-13)


def test_layouts_and_blocks_back_and_forth(monkeypatch):
    # Switch layouts and block sizes back and forth; every call must still be exact,
    # including offsets that see only padding.
    from helpers.conv import fast

    rng = np.random.default_rng(5)
    cases = [((1, 4, 12, 12), (2, 4, 3, 3), 1, 1),  # a big buffer first: later blocks fit
             ((3, 2, 5, 4), (2, 2, 3, 3), 1, 1), ((3, 2, 5, 4), (2, 2, 3, 3), 2, 2),
             ((2, 1, 1, 1), (2, 1, 3, 3), 3, 2),  # offsets that see only padding
             ((3, 2, 4, 5), (3, 2, 2, 3), 1, 0)]
    for xs, ws, stride, padding in cases + cases[::-1]:
        for entries in (1, 10**6, 1):  # one image per block, all in one block, one again
            monkeypatch.setattr(fast, "BLOCK", entries)
            x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])
            out, cache = conv2d_forward(x, w, b, stride, padding)
            loops, _ = conv2d_forward(x, w, b, stride, padding, method="loops")
            np.testing.assert_allclose(out, loops, rtol=1e-12, atol=1e-12)
            dout = rng.standard_normal(out.shape)
            d = dout.transpose(1, 0, 2, 3).reshape(ws[0], -1)  # (F, N*out_h*out_w)
            cols = im2col(x, ws[2], ws[3], stride, padding)  # im2col's own copy, np.pad
            want = (col2im(w.reshape(ws[0], -1).T @ d, xs, ws[2], ws[3], stride, padding),
                    (d @ cols.T).reshape(ws), dout.sum(axis=(0, 2, 3)))
            for got, expected in zip(conv2d_backward(dout, cache), want, strict=True):
                np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
