"""2D convolution and correlation: against SciPy, the fast paths, pinned published numbers."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
from conftest import assert_same_numbers
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.conv import (
    choose_method,
    convolve2d,
    correlate2d,
    fast,  # which inputs the FFT refuses: an internal rule, named here
    pad2d,
)

MODES = ("full", "same", "valid")
METHODS = ("fast", "loops", "direct", "fft")
DTYPES = (np.int8, np.int16, np.int64, np.float32, np.float64)
PAIRS = [(convolve2d, scipy.signal.convolve2d), (correlate2d, scipy.signal.correlate2d)]

# seed 001: the deeplearning.ai 5x5 binary image and its 3x3 "X" kernel
A = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
K = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]


def images(max_side: int = 7, dtypes=DTYPES):
    def build(dtype):
        dtype = np.dtype(dtype)
        if dtype.kind == "f":
            elements = st.floats(-100, 100, width=dtype.itemsize * 8)
        else:
            info = np.iinfo(dtype)
            elements = st.integers(max(info.min, -(2**30)), min(info.max, 2**30))
        shape = st.tuples(st.integers(1, max_side), st.integers(1, max_side))
        return arrays(dtype, shape, elements=elements)
    return st.sampled_from(dtypes).flatmap(build)


def assert_same(got: np.ndarray, want: np.ndarray, a: np.ndarray, k: np.ndarray) -> None:
    assert_same_numbers(got, want, (a, k), terms=min(a.size, k.size), ulps=32)


@settings(max_examples=200, deadline=None)
@given(a=images(), k=images(), mode=st.sampled_from(MODES), method=st.sampled_from(METHODS),
       pair=st.sampled_from(PAIRS))
def test_matches_scipy(a, k, mode, method, pair):
    ours, theirs = pair
    try:
        want = theirs(a, k, mode)
    except ValueError:  # 'valid' with each input larger in one dimension
        with pytest.raises(ValueError, match="mode 'valid'"):
            ours(a, k, mode, method)
        return
    dtype = np.result_type(a, k)
    big = fast.fft_is_safe(a.astype(dtype), k.astype(dtype))
    if method == "fft" and not big:  # integers too large for an exact FFT: refuse, loudly
        with pytest.raises(ValueError, match="method='fft'"):
            ours(a, k, mode, method)
        return
    assert_same(ours(a, k, mode, method), want, a, k)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("kshape", [(2, 2), (2, 3), (4, 1), (4, 4), (3, 5)])
@pytest.mark.parametrize("ashape", [(5, 6), (3, 3), (1, 7)])
def test_even_kernels_in_same_mode_follow_scipy(ashape, kshape, method):
    # SciPy's correlate2d puts an even kernel's extra padding on the bottom/right and
    # convolve2d on the top/left; np.correlate (1D) differs from correlate2d here.
    a = np.arange(1, np.prod(ashape) + 1).reshape(ashape)
    k = (np.arange(1, np.prod(kshape) + 1) ** 2).reshape(kshape)  # distinct: placement shows
    for ours, theirs in PAIRS:
        np.testing.assert_array_equal(ours(a, k, "same", method), theirs(a, k, "same"))


def test_same_mode_even_kernel_pinned():
    a, k = np.arange(1, 10).reshape(3, 3), [[1, 10], [100, 1000]]
    np.testing.assert_array_equal(correlate2d(a, k, "same"),
                                  [[5421, 6532, 603], [8754, 9865, 906], [87, 98, 9]])
    np.testing.assert_array_equal(convolve2d(a, k, "same"),
                                  [[1, 12, 23], [104, 1245, 2356], [407, 4578, 5689]])


@pytest.mark.parametrize("method", METHODS)
def test_valid_mode_swaps_when_kernel_is_larger(method):
    a, k = np.arange(1, 10).reshape(3, 3), np.array([[1, 10], [100, 1000]])
    # SciPy: correlate2d(small, big, 'valid') = correlate2d(big, small, 'valid') flipped.
    np.testing.assert_array_equal(correlate2d(k, a, "valid", method), [[9865, 8754], [6532, 5421]])
    np.testing.assert_array_equal(convolve2d(k, a, "valid", method), convolve2d(a, k, "valid"))
    # ... and the kernel-larger case in 'same' keeps the first input's shape (no swap).
    assert correlate2d(k, a, "same", method).shape == (2, 2)


@settings(max_examples=60, deadline=None)
@given(a=images(dtypes=(np.int64,)), k=images(dtypes=(np.int64,)), mode=st.sampled_from(MODES))
def test_identities(a, k, mode):
    np.testing.assert_array_equal(convolve2d(a, k), correlate2d(a, k[::-1, ::-1]))
    np.testing.assert_array_equal(convolve2d(a, k), convolve2d(k, a))  # full: commutative
    if mode == "valid" and not (a.shape[0] >= k.shape[0] and a.shape[1] >= k.shape[1]):
        return
    want = {"full": np.add(a.shape, k.shape) - 1, "same": a.shape,
            "valid": np.subtract(a.shape, k.shape) + 1}[mode]
    assert convolve2d(a, k, mode).shape == tuple(want) == correlate2d(a, k, mode).shape


@pytest.mark.parametrize("method", METHODS)
def test_seed_001_numbers(method):
    # Seed 001 (deeplearning.ai example): valid correlation of the 5x5 image with the X kernel.
    want = [[4, 3, 4], [2, 4, 3], [2, 3, 4]]
    np.testing.assert_array_equal(correlate2d(A, K, "valid", method), want)
    np.testing.assert_array_equal(convolve2d(A, K, "valid", method), want)  # K is symmetric
    # Seed 001, asymmetric kernel: sum(A3 * B2) = 3 but the convolution is 4. (The seed
    # printed [] for both convolve2d calls; SciPy gives [[4]] for each.)
    a3, b2 = [[1, 1, 1], [0, 1, 1], [0, 0, 1]], [[1, 0, 0], [0, 1, 0], [1, 0, 1]]
    assert int(np.sum(np.multiply(a3, b2))) == 3
    assert correlate2d(a3, b2, "valid", method).tolist() == [[3]]
    assert convolve2d(a3, b2, "valid", method).tolist() == [[4]]
    assert convolve2d(a3, K, "valid", method).tolist() == [[4]]


@pytest.mark.parametrize("method", METHODS)
def test_d2l_corr2d(method):
    # d2l.ai "Convolutions for Images" (section 7.2; 6.2 in the first edition): corr2d,
    # 0*0 + 1*1 + 3*2 + 4*3 = 19.
    X, Kd = [[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1], [2, 3]]
    assert correlate2d(X, Kd, "valid", method).tolist() == [[19, 25], [37, 43]]
    # d2l.ai, same section: edge detection with K = [[1, -1]] on a 6x8 image of ones
    # with a black (zero) stripe in columns 2-5 gives 1 at the 1->0 edge, -1 at 0->1.
    img = np.ones((6, 8))
    img[:, 2:6] = 0
    edges = correlate2d(img, [[1.0, -1.0]], "valid", method)
    want = np.tile([0.0, 1, 0, 0, 0, -1, 0], (6, 1))
    np.testing.assert_allclose(edges, want, atol=1e-12)  # the FFT path rounds to ~1e-16


@pytest.mark.parametrize("method", METHODS)
def test_sobel_on_a_step_edge(method):
    # The Sobel x-kernel (Sobel & Feldman; e.g. Gonzalez & Woods, Digital Image
    # Processing) responds with 1 + 2 + 1 = 4 to a unit step from 0 to 1, wherever the
    # 3x3 window straddles the step, and 0 on flat regions. Convolution flips it: -4.
    gx = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    step = np.tile([0, 0, 0, 1, 1, 1], (5, 1))
    assert correlate2d(step, gx, "valid", method).tolist() == [[0, 4, 4, 0]] * 3
    assert convolve2d(step, gx, "valid", method).tolist() == [[0, -4, -4, 0]] * 3


def test_fast_picks_fft_for_large_kernels_and_agrees_with_direct():
    rng = np.random.default_rng(0)
    a, k = rng.standard_normal((200, 180)), rng.standard_normal((25, 21))
    for mode in MODES:
        assert choose_method(a.shape, k.shape, mode) == "fft"
        np.testing.assert_allclose(correlate2d(a, k, mode), correlate2d(a, k, mode, "direct"),
                                   rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(convolve2d(a, k, mode), scipy.signal.convolve2d(a, k, mode),
                                   rtol=1e-10, atol=1e-10)
    small = rng.standard_normal((3, 3))
    assert choose_method(a.shape, small.shape) == "direct"


def test_integers_stay_exact_on_every_path():
    rng = np.random.default_rng(1)
    k = rng.integers(-9, 10, (21, 21))
    small = rng.integers(0, 256, (150, 150))  # FFT is safe: rounded back to exact ints
    assert choose_method(small.shape, k.shape, "same", small.dtype) == "direct"  # integers: exact sums
    out = correlate2d(small, k, "same")
    assert out.dtype == np.int64
    np.testing.assert_array_equal(out, scipy.signal.correlate2d(small, k, "same"))
    huge = small * 2**40  # FFT could not round exactly: the fast path falls back to direct
    assert choose_method(huge.shape, k.shape, "same", huge.dtype) == "direct"
    np.testing.assert_array_equal(correlate2d(huge, k, "same"),
                                  scipy.signal.correlate2d(huge, k, "same"))


@pytest.mark.parametrize("method", ["fast", "loops", "direct"])
def test_nan_stays_local_like_scipy(method):
    a = np.ones((40, 40))
    a[5, 5] = np.nan
    k = np.ones((15, 15))  # large enough that "fast" would like the FFT, which would smear NaN
    got, want = correlate2d(a, k, "same", method), scipy.signal.correlate2d(a, k, "same")
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got[~np.isnan(got)], want[~np.isnan(want)])


def test_dtypes_scipy_refuses_raise_a_clear_type_error():
    # SciPy raises "convolve2d not available for this type"; we raise, naming a and k.
    for a, k in ((np.ones((3, 3), np.float16), np.ones((2, 2), np.float16)),
                 (np.ones((2, 2), bool), np.ones((2, 2), bool))):
        for func in (correlate2d, convolve2d):
            with pytest.raises(TypeError, match="a and k"):
                func(a, k)
    mixed = convolve2d(np.ones((2, 2), bool), np.ones((2, 2), int))  # bool with int: as SciPy
    np.testing.assert_array_equal(mixed, scipy.signal.convolve2d(np.ones((2, 2), bool),
                                                                 np.ones((2, 2), int)))


@pytest.mark.parametrize(("ours", "numpy_mode"), [("zero", "constant"), ("reflect", "reflect"),
                                                  ("replicate", "edge"), ("wrap", "wrap")])
@pytest.mark.parametrize("padding", [0, 1, 2, (1, 2), ((0, 2), (3, 1))])
def test_pad2d_wraps_np_pad(ours, numpy_mode, padding):
    a = np.arange(20).reshape(4, 5)
    pairs = {0: ((0, 0), (0, 0)), 1: ((1, 1), (1, 1)), 2: ((2, 2), (2, 2)),
             (1, 2): ((1, 1), (2, 2))}.get(padding, padding)
    np.testing.assert_array_equal(pad2d(a, padding, ours), np.pad(a, pairs, mode=numpy_mode))
    batch = np.stack([a, a + 1])[None]  # (1, 2, 4, 5): only the last two axes are padded
    assert pad2d(batch, padding, ours).shape == (1, 2) + np.pad(a, pairs).shape


def test_pad2d_edge_padding_pinned():
    # Notebook 03: edge ("replicate") padding repeats the border pixels outward.
    np.testing.assert_array_equal(pad2d([[1, 2], [3, 4]], 1, "replicate"),
                                  [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]])
    np.testing.assert_array_equal(pad2d([[1, 2, 3]], ((0, 0), (2, 2)), "reflect"),
                                  [[3, 2, 1, 2, 3, 2, 1]])
    # zero padding, then a valid correlation, is correlate2d's 'same' for odd kernels
    padded = pad2d(A, 1)
    np.testing.assert_array_equal(correlate2d(padded, K, "valid"), correlate2d(A, K, "same"))
