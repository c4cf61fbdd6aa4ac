"""The stamp model of the transposed convolution (helpers.widgets.stamps), without a browser."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.conv import conv_transpose1d, conv_transpose2d
from helpers.widgets.stamps import stamps_1d, stamps_2d


@pytest.mark.parametrize("seed", range(20))
def test_stamps_add_up_to_the_transposed_convolution(seed):
    rng = np.random.default_rng(seed)
    s, k = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    x, w = rng.standard_normal(int(rng.integers(1, 6))), rng.standard_normal(k)
    p = int(rng.integers(0, (len(x) - 1) * s // 2 + (k + 1) // 2))
    st = stamps_1d(x, w, s, p)
    np.testing.assert_allclose(st.output, conv_transpose1d(x, w, s, p), atol=1e-12)
    running = np.zeros(st.canvas.shape)
    for step in range(st.n_steps):
        f = st.frame(step)
        assert f.index == (step,) and f.value == x[step]
        running[f.window] += f.stamp
        np.testing.assert_allclose(f.output, running, atol=1e-12)
    np.testing.assert_allclose(running, st.canvas, atol=1e-12)
    assert st.is_cropped.sum() == 2 * p


def test_2d_frames_follow_row_major_order_and_match_the_library():
    rng = np.random.default_rng(7)
    a, k = rng.integers(-3, 4, (3, 4)), rng.integers(-2, 3, (3, 2))
    st = stamps_2d(a, k, stride=2, padding=1)
    want = conv_transpose2d(a[None, None].astype(float), k[None, None].astype(float), None, 2, 1)
    np.testing.assert_array_equal(st.output, want[0, 0])
    assert [st.index(t) for t in range(5)] == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)]
    f = st.frame(5)
    assert f.window == (slice(2, 5), slice(2, 4))
    np.testing.assert_array_equal(f.stamp, a[1, 1] * k)
    assert f.formula == f"C[2:5, 2:4] += A[1,1]·K = {a[1, 1]}·K"
    assert st.is_cropped[0].all() and not st.is_cropped[1:-1, 1:-1].any()
    np.testing.assert_array_equal(st.frame(st.n_steps - 1).output, st.canvas)


def test_the_checkerboard_of_stride_2_kernel_3():
    st = stamps_2d(np.ones((3, 3)), np.ones((3, 3)), stride=2)
    assert st.counts[2].tolist() == [2, 2, 4, 2, 4, 2, 2]
    assert st.counts[1].tolist() == [1, 1, 2, 1, 2, 1, 1]
    assert stamps_1d(np.ones(4), np.ones(4), stride=2).counts.tolist() == [1, 1] + [2] * 6 + [1, 1]
    first = stamps_1d([1, 2, 3], [1, 1, 1], stride=2)
    assert first.counts_so_far(0).tolist() == [1, 1, 1, 0, 0, 0, 0]
    assert first.counts_so_far(1).tolist() == [1, 1, 2, 1, 1, 0, 0]


def test_formula_and_reference_1d():
    st = stamps_1d([1, -2.5], [1, 0, 2], stride=2)
    assert st.frame(1).formula == "y[2:5] += x[1]·w = -2.5·[1, 0, 2]"
    assert st.reference == "helpers.conv.conv_transpose1d(x, w, stride=2, padding=0)"


@pytest.mark.parametrize("call, error, words", [
    (lambda: stamps_1d([1, 2], [1, 1], padding=2), ValueError, "padding"),
    (lambda: stamps_1d([1, 2], [1, 1], stride=0), ValueError, "stride must be an integer >= 1"),
    (lambda: stamps_1d([1, np.nan], [1, 1]), ValueError, "x must contain only finite"),
    (lambda: stamps_1d([[1, 2]], [1, 1]), ValueError, "x must be a 1D array"),
    (lambda: stamps_2d([1, 2], [[1]]), ValueError, "A must be a 2D array"),
    (lambda: stamps_2d([[1]], [[1]], padding=-1), ValueError, "padding must be an integer"),
    (lambda: stamps_1d([1, 2], [1, 1]).frame(2), ValueError, "step must be < n_steps = 2"),
    (lambda: stamps_1d([1, 2], [1, 1]).frame(1.0), TypeError, "step must be an integer"),
])
def test_bad_input_names_the_argument(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_the_note_says_what_to_watch():
    even = stamps_2d(np.ones((4, 4)), np.ones((4, 4)), stride=2)
    assert "uneven" not in even.note and even.message == ""
    uneven = stamps_2d(np.ones((4, 4)), np.ones((3, 3)), stride=2, padding=1)
    assert "1, 2, 4 stamps" in uneven.note and "padding=1 crops 1 cell from" in uneven.note
    assert "uneven" not in stamps_1d([1, 2], [1, 1, 1]).note
