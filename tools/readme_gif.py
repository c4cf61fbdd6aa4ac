"""Write the animation the README shows: ``make gif`` → ``data/sliding-kernel.gif``.

The same frames as the widget in notebook 03: the seed's 5×5 image, its 3×3 kernel,
cross-correlation in 'valid' mode, giving [[4, 3, 4], [2, 4, 3], [2, 3, 4]].
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools import ROOT

A = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]
K = [[1, 0, 1], [0, 1, 0], [1, 0, 1]]


def main(argv: list[str]) -> int:
    from helpers.widgets import SlidingKernel2D

    path = Path(argv[0]) if argv else ROOT / "data" / "sliding-kernel.gif"
    SlidingKernel2D(A, K, mode="valid", flip=False).save_animation(path, fps=1.5, dpi=70)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
