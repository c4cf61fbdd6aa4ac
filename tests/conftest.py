"""Shared fixtures: read what a notebook printed, so tests can pin the numbers in its prose."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run on loaded 2-core CI machines: no per-example deadline, and under CI
# the same examples every run, so a failure is reproducible rather than a flake.
settings.register_profile("course", deadline=None, print_blob=True,
                          derandomize=os.environ.get("CI", "").lower() in ("1", "true"))
settings.load_profile("course")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def stored_outputs(name: str) -> str:
    """All text a stored notebook printed or displayed (text/plain, stream, markdown, html)."""
    path = next(NOTEBOOKS.glob(f"{name}*.ipynb"))
    nb = json.loads(path.read_text(encoding="utf-8"))
    chunks = []
    for cell in nb["cells"]:
        streams = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
        chunks.append(streams)  # a print split over two stream outputs is joined back
        for out in cell.get("outputs", []):
            for kind in ("text/plain", "text/markdown", "text/html", "text/latex"):
                chunks.append("".join(out.get("data", {}).get(kind, "")))
    return "\n".join(chunks)


def prose(name: str) -> str:
    """All markdown of the notebook whose file name starts with ``name``."""
    path = next(NOTEBOOKS.glob(f"{name}*.ipynb"))
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def fmt(a) -> str:
    """An array as the notebooks print it (helpers.notebook.setup's print options)."""
    import numpy as np

    with np.printoptions(precision=4, suppress=True, linewidth=100):
        return str(np.asarray(a))


def assert_same_numbers(got, want, inputs, terms: int, ulps: float) -> None:
    """Same dtype and shape as the reference; exact for integers, and for floats close
    within ``ulps`` machine epsilons of the largest possible sum of ``terms`` products."""
    import numpy as np

    assert got.dtype == want.dtype
    assert got.shape == want.shape
    if got.dtype.kind in "iu":
        np.testing.assert_array_equal(got, want)
        return
    # abs in float64: np.abs(np.int8(-128)) is -128, which made the tolerance vanish
    scale = terms
    for v in inputs:
        scale *= float(np.max(np.abs(v.astype(np.float64))))
    atol = ulps * np.finfo(got.dtype).eps * max(scale, 1.0)
    np.testing.assert_allclose(got, want, rtol=0, atol=atol)


@pytest.fixture
def notebook_text():
    """``notebook_text("05")`` is every text output of notebook 05, as one string."""
    return stored_outputs
