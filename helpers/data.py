"""Loaders for the course's data: the files in ``data/`` and matplotlib's sample data.

- :func:`load_breast_cancer3` -- three features of the Wisconsin breast-cancer data
  (notebooks ``01_multiply-through-a-3-4-2-network`` and
  ``02_backpropagate-with-the-hadamard-product``)
- :func:`load_grace_hopper_gray` -- a grayscale photo for 2D convolution (notebook 03)
- :func:`load_eeg` -- four EEG traces for 1D convolution (notebook 05)
- :func:`make_pattern_signals`, :func:`load_pattern_signals` -- noisy signals that carry
  a short pattern or its mirror image, for a one-kernel convolutional network (notebook 06)

``data/make_datasets.py`` regenerates every file in ``data/``; see ``data/README.md``
for provenance and licenses.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from helpers.checks import check_int, check_positive

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
BREAST_CANCER_FILE = "breast_cancer_3features.csv"
BREAST_CANCER_FEATURES = ("mean radius", "mean texture", "mean smoothness")
BREAST_CANCER_CLASSES = ("malignant", "benign")  # diagnosis 0 and 1, as in scikit-learn
PATTERN_FILE = "pattern_signals.npz"
PATTERN = np.array([2.0, -1.0, 2.0, 2.0])  # not ± its own reversal, the decoy [2, 2, -1, 2]
PATTERN_SEED = 2024
PATTERN_NOISE = 0.3
EEG_CHANNELS = ("PG3", "PG5", "PG7", "PG9")  # trace labels of matplotlib's gallery


def load_breast_cancer3(standardize: bool = True):
    """Load three features of the Wisconsin Diagnostic Breast Cancer data (569 tumours).

    Introduced in notebook ``01_multiply-through-a-3-4-2-network``.

    Reads ``data/breast_cancer_3features.csv``. The features describe the cell nuclei
    in a digitized image of a fine-needle aspirate: *mean radius* (size), *mean
    texture* (standard deviation of the gray values) and *mean smoothness* (local
    variation in the radius lengths).

    Parameters
    ----------
    standardize : bool, default True
        If True, each column is shifted and scaled to mean 0 and standard deviation 1,
        using the mean and the population standard deviation (ddof=0) of all 569 rows
        (no train/test split is made here). Unscaled, the radius (about 6 to 28)
        would swamp the smoothness (about 0.05 to 0.16) in X @ W.

    Returns
    -------
    X : numpy.ndarray, shape (569, 3), float64
    Y : numpy.ndarray, shape (569, 2), float64
        One-hot rows: column 0 = malignant (212 rows), column 1 = benign (357 rows).
    feature_names : tuple of str
    class_names : tuple of str
        ``("malignant", "benign")``, matching the CSV's diagnosis 0 and 1.

    Examples
    --------
    >>> X, Y, features, classes = load_breast_cancer3()
    >>> X.shape, Y.shape, classes
    ((569, 3), (569, 2), ('malignant', 'benign'))
    >>> print(np.round(X.mean(axis=0), 12) + 0.0, X.std(axis=0), Y.sum(axis=0))
    [0. 0. 0.] [1. 1. 1.] [212. 357.]
    >>> print(load_breast_cancer3(standardize=False)[0][0])
    [17.99    10.38     0.1184]
    """
    with open(DATA_DIR / BREAST_CANCER_FILE, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], np.array(rows[1:], dtype=np.float64)
    X, labels = body[:, :3], body[:, 3].astype(int)
    if standardize:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
    Y = np.eye(2)[labels]
    return X, Y, tuple(header[:3]), BREAST_CANCER_CLASSES


def train_test_split(*arrays: Any, test_fraction: float = 0.25, seed: int = 0):
    """Shuffle the rows of equally long arrays the same way and split each in two.

    Introduced in notebook ``02_backpropagate-with-the-hadamard-product``. A small,
    deterministic stand-in for scikit-learn's function of the same name: the rows are
    permuted by ``np.random.default_rng(seed).permutation``, and the last
    round(m * test_fraction) of them form the test part.

    Returns
    -------
    list
        ``[a_train, a_test, b_train, b_test, ...]``, in the order of ``arrays``.

    Examples
    --------
    >>> X_train, X_test, y_train, y_test = train_test_split(np.arange(8), np.arange(8) % 2)
    >>> X_train.tolist(), X_test.tolist(), y_test.tolist()
    ([2, 4, 3, 6, 5, 0], [1, 7], [1, 1])
    """
    if not arrays:
        raise ValueError("train_test_split needs at least one array")
    arrays = tuple(np.asarray(a) for a in arrays)
    m = len(arrays[0])
    if any(a.ndim == 0 or len(a) != m for a in arrays):
        raise ValueError("arrays must all have the same number of rows; got lengths "
                         f"{[a.shape[0] if a.ndim else None for a in arrays]}")
    fraction = check_positive(test_fraction, "test_fraction")
    n_test = round(m * fraction)
    if not 0 < n_test < m:
        raise ValueError(f"test_fraction={test_fraction} leaves {n_test} of {m} rows for the"
                         " test part; it must leave at least one row in each part")
    order = np.random.default_rng(seed).permutation(m)
    train, test = order[:m - n_test], order[m - n_test:]
    return [part for a in arrays for part in (a[train], a[test])]


def make_pattern_signals(n_signals: int = 600, length: int = 32, seed: int = PATTERN_SEED,
                         noise: float = PATTERN_NOISE, pattern: Any = PATTERN,
                         positions: Any = None):
    """Generate noisy signals that carry either ``pattern`` or its mirror image, the decoy.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution`` (a one-kernel
    convolutional network).

    Every signal is Gaussian noise with standard deviation ``noise``. In exactly
    n_signals // 2 of them, chosen at random, ``pattern`` is added (label 1); in all the
    others the **decoy** ``pattern[::-1]`` is added (label 0), each starting at a position
    drawn uniformly from ``positions``. The decoy holds the same values in the opposite
    order, so everything that ignores the order of the samples (energy, maximum,
    histogram, even the power spectrum) is distributed the same in both classes: a
    detector has to read the order.

    Parameters
    ----------
    n_signals, length : int
        Number of signals and samples per signal.
    seed : int
        Seed for :func:`numpy.random.default_rng`; the same arguments give the same data.
    noise : float > 0
    pattern : array_like, 1D
        It must differ from its own reversal, or the two classes would be identical.
    positions : array_like of int, optional
        Allowed start positions, each in 0 .. length - len(pattern). Default: all of
        them. Pass, say, ``range(20, 29)`` for positions never seen in training.

    Returns
    -------
    X : numpy.ndarray, shape (n_signals, length)
    y : numpy.ndarray of int, shape (n_signals,)
        1 if the signal carries the pattern, 0 if it carries the decoy.
    pattern : numpy.ndarray
    positions : numpy.ndarray of int, shape (n_signals,)
        Where the pattern (y == 1) or the decoy (y == 0) starts.

    Examples
    --------
    >>> X, y, pattern, pos = make_pattern_signals(6, length=10, seed=1, positions=[3])
    >>> X.shape, y.tolist(), pos.tolist()
    ((6, 10), [1, 0, 0, 0, 1, 1], [3, 3, 3, 3, 3, 3])
    >>> print(pattern, pattern[::-1])  # the pattern and the decoy
    [ 2. -1.  2.  2.] [ 2.  2. -1.  2.]
    """
    n_signals = check_int(n_signals, "n_signals", minimum=1)
    length = check_int(length, "length", minimum=1)
    noise = check_positive(noise, "noise")
    pattern = np.asarray(pattern, dtype=np.float64)
    if pattern.ndim != 1 or np.array_equal(pattern, pattern[::-1]):
        raise ValueError("pattern must be a 1D array that differs from its own reversal; got "
                         f"{pattern.tolist()}")
    allowed = _allowed_positions(positions, length, len(pattern))
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n_signals) >= n_signals - n_signals // 2).astype(int)
    X = noise * rng.standard_normal((n_signals, length))
    starts = rng.choice(allowed, size=n_signals)
    for row, (label, start) in enumerate(zip(y, starts, strict=True)):
        X[row, start:start + len(pattern)] += pattern if label else pattern[::-1]
    return X, y, pattern, starts


def _allowed_positions(positions: Any, length: int, k: int) -> np.ndarray:
    if not 1 <= k <= length:
        raise ValueError(f"pattern must have between 1 and length={length} samples; got {k}")
    if positions is None:
        return np.arange(length - k + 1)
    allowed = np.asarray(list(positions))
    if allowed.size == 0 or allowed.dtype.kind not in "iu":
        raise ValueError(f"positions must be a non-empty list of integers; got {positions!r}")
    if allowed.min() < 0 or allowed.max() > length - k:
        raise ValueError(f"positions must lie in 0..{length - k} (length {length} minus "
                         f"pattern length {k}); got {allowed.tolist()}")
    return allowed


def pattern_splits() -> dict[str, tuple[int, int, range]]:
    """How ``data/pattern_signals.npz`` is made: split -> (signals, seed, start positions).

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``. The training
    and test signals put the pattern (or the decoy) at samples 0-19 only; the "moved"
    signals put it at 20-28, positions that no training signal uses.

    Examples
    --------
    >>> pattern_splits()["moved"]
    (150, 2026, range(20, 29))
    """
    return {"train": (450, PATTERN_SEED, range(0, 20)),
            "test": (150, PATTERN_SEED + 1, range(0, 20)),
            "moved": (150, PATTERN_SEED + 2, range(20, 29))}


def load_pattern_signals(split: str = "train"):
    """Load one split of ``data/pattern_signals.npz``: signals of length 32, pattern or decoy.

    Introduced in notebook ``06_replace-the-matrix-with-a-convolution``. Each split was
    written by ``make_pattern_signals(n, 32, seed, positions=...)`` with the arguments
    of :func:`pattern_splits` (see ``data/make_datasets.py``).

    Parameters
    ----------
    split : {"train", "test", "moved"}
        450 training signals and 150 test signals with the pattern or the decoy at
        samples 0-19; 150 "moved" signals with it at samples 20-28, never seen in training.

    Returns
    -------
    X, y, pattern, positions
        As in :func:`make_pattern_signals`.

    Examples
    --------
    >>> X, y, pattern, pos = load_pattern_signals("train")
    >>> X.shape, int(y.sum()), pattern.tolist(), int(pos.max())
    ((450, 32), 225, [2.0, -1.0, 2.0, 2.0], 19)
    >>> load_pattern_signals("moved")[3].min()
    np.int64(20)
    """
    splits = pattern_splits()
    if split not in splits:
        raise ValueError(f"split must be one of {list(splits)}; got {split!r}")
    with np.load(DATA_DIR / PATTERN_FILE) as d:
        return d[f"X_{split}"], d[f"y_{split}"], d["pattern"], d[f"positions_{split}"]


def load_grace_hopper_gray() -> np.ndarray:
    """Return matplotlib's sample photo of Grace Hopper as float64 grayscale in [0, 1].

    Introduced in notebook ``03_slide-a-kernel-over-an-image`` (2D convolution). The photo (600 x 512 pixels, RGB
    JPEG) ships with matplotlib (``cbook.get_sample_data('grace_hopper.jpg')``); it is
    converted with the ITU-R BT.601 luminance weights
    gray = 0.299 R + 0.587 G + 0.114 B, after dividing the 8-bit values by 255.

    Examples
    --------
    >>> img = load_grace_hopper_gray()
    >>> img.shape, img.dtype, bool(0 <= img.min() and img.max() <= 1)
    ((600, 512), dtype('float64'), True)
    """
    import matplotlib.image as mpimg
    from matplotlib import cbook

    rgb = mpimg.imread(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False))
    rgb = np.asarray(rgb, dtype=np.float64)[..., :3]
    if rgb.max() > 1.0:  # JPEGs load as uint8 0..255
        rgb = rgb / 255.0
    return np.clip(rgb @ np.array([0.299, 0.587, 0.114]), 0.0, 1.0)


def load_eeg():
    """Return matplotlib's sample EEG: 4 channels x 800 samples over 10 seconds.

    Introduced in notebook ``05_choose-valid-same-or-full`` (1D convolution).

    ``eeg.dat`` holds 3200 raw float64 values (25,600 bytes, little-endian as the file
    is stored), read as 800 rows (time) by 4 columns (channels), exactly as
    matplotlib's gallery example *MRI with EEG* does. That example spreads the 800
    samples over 10 s (so 80 samples per second, t = 0, 0.0125, ..., 9.9875 s) and
    labels the traces PG3, PG5, PG7 and PG9. matplotlib documents neither the
    units, the original sampling rate nor the recording's origin, so treat the time
    axis as the gallery's convention and the amplitudes as arbitrary units.

    Returns
    -------
    t : numpy.ndarray, shape (800,)
        Time in seconds.
    channels : numpy.ndarray, shape (4, 800)
        One row per channel (PG3, PG5, PG7, PG9), ready for ``np.convolve(channels[0], k)``.

    Examples
    --------
    >>> t, eeg = load_eeg()
    >>> t.shape, eeg.shape, float(t[1])
    ((800,), (4, 800), 0.0125)
    """
    from matplotlib import cbook

    path = cbook.get_sample_data("eeg.dat", asfileobj=False)
    data = np.fromfile(path, dtype="<f8").reshape(800, 4)
    t = 10.0 * np.arange(800) / 800
    return t, np.ascontiguousarray(data.T)

