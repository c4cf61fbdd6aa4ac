"""The fast paths of helpers.conv at sizes the small property tests never reach:
several row blocks of shift-and-add, the FFT in 2D and in 1D. All against NumPy and SciPy."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

from helpers.conv import choose_method, convolve1d, convolve2d, correlate1d, correlate2d

MODES = ("full", "same", "valid")


def close(got, want, rtol=1e-10):
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=0, atol=rtol * np.max(np.abs(want)))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("shape", "kshape"), [((300, 157), (5, 3)), ((70, 1030), (3, 7)),
                                               ((9, 9), (9, 2))])
def test_shift_and_add_in_row_blocks_matches_scipy(shape, kshape, dtype):
    rng = np.random.default_rng(0)
    a, k = rng.standard_normal(shape).astype(dtype), rng.standard_normal(kshape).astype(dtype)
    for mode in MODES:
        want = scipy.signal.correlate2d(a, k, mode)
        close(correlate2d(a, k, mode, "direct"), want, 1e-10 if dtype == np.float64 else 1e-4)


@pytest.mark.parametrize("shape", [(150, 140), (1030, 1025)])
def test_fft_matches_scipy(shape):
    rng = np.random.default_rng(1)
    a, k = rng.standard_normal(shape), rng.standard_normal((9, 4))
    for mode in MODES:  # (an even kernel: fftconvolve would place 'same' differently)
        want = (scipy.signal.correlate2d(a, k, mode) if a.size < 30_000
                else correlate2d(a, k, mode, "direct"))  # checked against SciPy above
        close(correlate2d(a, k, mode, "fft"), want)
    close(convolve2d(a, k, "full", "fft"), scipy.signal.fftconvolve(a, k, "full"))


def test_fast_keeps_nan_local_on_the_direct_path():
    a = np.ones((100, 100))
    a[50, 50] = np.nan
    out = correlate2d(a, np.ones((3, 3)), "same")
    assert np.isnan(out).sum() == 9  # the 3x3 windows that contain the NaN, as in SciPy


@pytest.mark.parametrize(("n", "k"), [(5000, 301), (4000, 1001), (1500, 1500), (300, 257)])
def test_1d_fft_matches_numpy(n, k):
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal(n), rng.standard_normal(k)
    assert choose_method(n, k) == "fft"
    for mode in MODES:
        close(convolve1d(x, w, mode), np.convolve(x, w, mode))
        close(correlate1d(x, w, mode), np.correlate(x, w, mode))
        close(correlate1d(w, x, mode), np.correlate(w, x, mode))  # the swapped case


def test_1d_fast_falls_back_to_direct_for_nan_and_integers():
    x, w = np.ones(5000), np.ones(301)
    x[100] = np.nan
    got, want = convolve1d(x, w), np.convolve(x, w)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))  # NaN stays local
    xi, wi = np.arange(5000) % 7, np.arange(301) % 5
    np.testing.assert_array_equal(convolve1d(xi, wi), np.convolve(xi, wi))  # exact


@pytest.mark.parametrize("k", [1, 2, 8, 9, 16, 31])
@pytest.mark.parametrize("dtype", [np.float64, np.int64])
def test_1d_both_ways_match_numpy(k, dtype):
    # Whole numbers, so both paths (shift-and-add, and the FFT rounded back) are exact;
    # lengths shorter than, equal to and longer than the kernel.
    rng = np.random.default_rng(k)
    for n in (k, k + 1, 3 * k + 2, 1000):
        x, w = rng.integers(-9, 9, n).astype(dtype), rng.integers(-9, 9, k).astype(dtype)
        for mode in MODES:
            np.testing.assert_array_equal(convolve1d(x, w, mode), np.convolve(x, w, mode))
            np.testing.assert_array_equal(correlate1d(x, w, mode), np.correlate(x, w, mode))


def test_the_convolution_stack_stays_small_enough_to_read():
    # Issue 16's budget: public API, geometry, loops and fast paths in at most 800 lines,
    # docstrings included. A new fast path has to earn its lines against this.
    from pathlib import Path

    import helpers.conv
    import helpers.geometry
    files = [*Path(helpers.conv.__file__).parent.glob("*.py"), Path(helpers.geometry.__file__)]
    lines = sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)
    assert lines <= 800, f"helpers/conv/*.py and helpers/geometry.py have {lines} lines (budget 800)"
