"""The numbers notebook 05 quotes: recomputed with helpers, and found in its stored outputs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from helpers.conv import convolve1d, correlate1d, output_size, pad_amounts
from helpers.data import load_eeg
from helpers.kernels import moving_average

X, W = np.array([1, 2, 3, 4]), np.array([5, 6, 7])


@pytest.mark.parametrize("mode, expected", [
    ("full", [5, 16, 34, 52, 45, 28]),    # the seed's x * W
    ("same", [16, 34, 52, 45]),
    ("valid", [34, 52]),
])
def test_the_seed_in_every_mode(notebook_text, mode, expected):
    assert convolve1d(X, W, mode).tolist() == expected
    assert np.convolve(X, W, mode).tolist() == expected
    assert str(np.array(expected)) in notebook_text("05")


def test_lengths_and_padding(notebook_text):
    assert [pad_amounts(4, 3, m) for m in ("full", "same", "valid")] == [(2, 2), (1, 1), (0, 0)]
    assert [output_size(4, 3, padding=p) for p in (0, 1, 2)] == [2, 4, 6]
    text = notebook_text("05")
    assert "full   zeros 2+2  padded [0 0 1 2 3 4 0 0]  4 + 4 - 3 + 1 = 6" in text
    assert "valid  zeros 0+0  padded [1 2 3 4]          4 + 0 - 3 + 1 = 2" in text
    assert "output_size(4, 3, padding=p) for p = 0, 1, 2: [2, 4, 6]" in text
    assert "full : 4 samples -> 6 outputs (longer)" in text
    assert all(output_size(n, 3, padding=1) == n for n in range(3, 100))
    assert "a CNN layer with K = 3 and padding=1 keeps every length: True" in text


def test_correlation_gives_38_and_convolution_34(notebook_text):
    assert correlate1d(X, W).tolist() == [38, 56]           # 1·5 + 2·6 + 3·7
    assert convolve1d(X, W, "valid").tolist() == [34, 52]   # 1·7 + 2·6 + 3·5
    text = notebook_text("05")
    assert "y[2] = 1·7 + 2·6 + 3·5 = 34" in text            # the widget's frame, full mode
    assert convolve1d(X, W, "valid")[0] == convolve1d(X, W, "full")[2] == 34  # y_valid[0] = y_full[2]
    assert "convolution, valid mode:  [34 52] == y_full[2:4]: True" in text
    assert "correlate1d(x, w, 'valid'): [38 56]" in text
    assert (X[:3] * W).tolist() == [5, 12, 21] and (X[:3] * W).sum() == 38
    assert "x[0:3] * w = [ 5 12 21] (K numbers) | their sum: 38 (one output)" in text


def test_correlation_is_convolution_with_the_flipped_kernel(notebook_text):
    for mode in ("full", "same", "valid"):
        assert np.array_equal(correlate1d(X, W, mode), convolve1d(X, W[::-1], mode))
    assert "valid: correlate1d(x, w) == convolve1d(x, w[::-1]): True" in notebook_text("05")


def test_matlab_xcorr_padding_gives_seven_entries(notebook_text):
    padded = convolve1d(X, np.append(W, 0)[::-1])
    assert padded.tolist() == [0, 7, 20, 38, 56, 39, 20]
    assert str(padded) in notebook_text("05")


def test_defaults(notebook_text):
    assert len(np.convolve(X, W)) == 6 and len(np.correlate(X, W)) == 2
    assert len(signal.convolve(X, W)) == 6 and len(signal.correlate(X, W)) == 6
    assert "signal.correlate(x, w):  6 outputs (full)" in notebook_text("05")


def test_even_kernel_placement(notebook_text):
    impulse = np.zeros(8, dtype=int)
    impulse[3] = 1
    w4 = np.array([1, 2, 3, 4])
    assert np.convolve(impulse, w4, "same").tolist() == [0, 0, 1, 2, 3, 4, 0, 0]
    assert np.correlate(impulse, w4, "same").tolist() == [0, 0, 4, 3, 2, 1, 0, 0]
    assert signal.correlate(impulse, w4, "same").tolist() == [0, 0, 4, 3, 2, 1, 0, 0]
    assert signal.correlate2d(impulse[None], w4[None], "same")[0].tolist() == [0, 4, 3, 2, 1, 0,
                                                                               0, 0]
    assert pad_amounts(8, 4, "same") == (2, 1)
    text = notebook_text("05")
    assert "np.convolve        [0 0 1 2 3 4 0 0]   at index 3: w[1] = 2" in text
    assert "signal.correlate2d [0 4 3 2 1 0 0 0]   at index 3: w[1] = 2" in text
    assert "pad_amounts(8, 4, 'same') = (2, 1)" in text


def test_pytorch_same_placement_for_an_even_kernel(notebook_text):
    impulse = np.zeros(8, dtype=int)
    impulse[3] = 1
    w4 = np.array([1, 2, 3, 4])
    torch_same = correlate1d(np.pad(impulse, (1, 2)), w4, "valid")   # left = (K - 1) // 2
    assert torch_same.tolist() == [0, 4, 3, 2, 1, 0, 0, 0]
    assert np.array_equal(torch_same, signal.correlate2d(impulse[None], w4[None], "same")[0])
    text = notebook_text("05")
    assert "PyTorch pads (1, 2): [0 4 3 2 1 0 0 0]" in text
    assert "NumPy   pads (2, 1): [0 0 4 3 2 1 0 0]   (np.correlate agrees: True)" in text
    assert "PyTorch's output is NumPy's shifted one sample to the left: True" in text


def test_eeg_edge_effects(notebook_text):
    t, eeg = load_eeg()
    pg7, ma = eeg[2], moving_average(9)
    assert [len(convolve1d(pg7, ma, m)) for m in ("full", "same", "valid")] == [808, 800, 792]
    same_last = convolve1d(pg7, ma, "same")[-1]
    assert np.isclose(same_last, pg7[-5:].sum() / 9)
    assert np.isclose(convolve1d(pg7, ma, "valid")[-1], pg7[-9:].mean())
    assert np.isclose(convolve1d(pg7, [1.0, -1.0])[-1], -pg7[-1])
    text = notebook_text("05")
    assert f"last sample x[N-1] = {pg7[-1]:.3f}" in text
    assert f"same mode, last output  = {same_last:.3f}" in text
    assert f"{pg7[-1]:.3f}" == "1.042"   # quoted in the prose: "the recording ends at 1.042"
