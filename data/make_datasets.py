"""Regenerate every data file in data/ deterministically.

Usage::

    python data/make_datasets.py            # writes into data/
    python data/make_datasets.py OUT_DIR    # writes into OUT_DIR (used by the tests)

Files
-----
breast_cancer_3features.csv
    Three fixed columns of scikit-learn's bundled copy of the Wisconsin Diagnostic
    Breast Cancer data (no download) plus the diagnosis (0 = malignant, 1 = benign).
pattern_signals.npz
    Three splits of helpers.data.make_pattern_signals (signals that carry a pattern or
    its mirror image), with the sizes, seeds and positions of helpers.data.pattern_splits:
    X_<split>, y_<split>, positions_<split> for train, test and moved, and the pattern.

Needs scikit-learn (only here, not in helpers) and the helpers package.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

from helpers.data import (
    BREAST_CANCER_FEATURES,
    BREAST_CANCER_FILE,
    PATTERN_FILE,
    make_pattern_signals,
    pattern_splits,
)

HERE = Path(__file__).resolve().parent


def write_breast_cancer(out_dir: Path) -> Path:
    """Write the three chosen features and the diagnosis, one tumour per row."""
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    names = list(data.feature_names)
    columns = [names.index(name) for name in BREAST_CANCER_FEATURES]
    path = out_dir / BREAST_CANCER_FILE
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([*BREAST_CANCER_FEATURES, "diagnosis"])
        for row, label in zip(data.data[:, columns], data.target, strict=True):
            writer.writerow([repr(float(v)) for v in row] + [int(label)])
    return path


def write_pattern_signals(out_dir: Path) -> Path:
    """Write the signals as an uncompressed .npz with fixed zip timestamps (byte-stable)."""
    arrays = {}
    for split, (n, seed, positions) in pattern_splits().items():
        X, y, pattern, starts = make_pattern_signals(n, 32, seed=seed, positions=positions)
        arrays |= {f"X_{split}": X, f"y_{split}": y.astype(np.int64),
                   f"positions_{split}": starts.astype(np.int64)}
    arrays["pattern"] = pattern
    path = out_dir / PATTERN_FILE
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2024, 1, 1, 0, 0, 0))
            zf.writestr(info, buf.getvalue())
    return path


def main(out_dir: Path = HERE) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_breast_cancer(out_dir), write_pattern_signals(out_dir)]


if __name__ == "__main__":
    for written in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"wrote {written}")
