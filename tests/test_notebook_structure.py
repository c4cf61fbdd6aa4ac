"""Every notebook follows the course's shape (STYLE.md, CONTRIBUTING.md) and is stored executed."""

from __future__ import annotations

import re

import pytest

from tools import course_notebooks, read, source, tags
from tools.navigation import stale

NOTEBOOKS = course_notebooks()
LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
IGNORABLE = re.compile(r"(Sliding|Stamping)Kernel|widget|perf_counter|timeit|%%?time\b", re.IGNORECASE)


def ids(paths):
    return [p.name[:2] for p in paths]


def test_the_course_has_a_start_page_and_seven_lessons():
    assert [p.name[:3] for p in NOTEBOOKS][:1] == ["00_"]
    assert len(LESSONS) == 7, [p.name for p in LESSONS]


def test_navigation_cells_are_current():
    assert stale() == [], "navigation cells are stale: run `make nav`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_cell_has_a_slide_type(path):
    cells = read(path)["cells"]
    missing = [i for i, c in enumerate(cells)
               if c["metadata"].get("slideshow", {}).get("slide_type") not in SLIDE_TYPES]
    assert not missing, f"cells without a valid slideshow.slide_type: {missing}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_stored_executed_without_errors_or_addresses(path):
    nb = read(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]
    assert all(c.get("execution_count") for c in code), "run `make notebooks`"
    for cell in code:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", source(cell)[:80]
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            assert " at 0x" not in text, f"an output shows a memory address: {text[:80]}"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_only_widget_and_timing_cells_ignore_output(path):
    for cell in read(path)["cells"]:
        if "nbval-ignore-output" in tags(cell) or "nbval-skip" in tags(cell):
            assert "nbval-skip" not in tags(cell), "cells are never skipped"
            assert IGNORABLE.search(source(cell)), source(cell)[:120]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebooks_import_helpers_without_touching_sys_path(path):
    text = "\n".join(source(c) for c in read(path)["cells"] if c["cell_type"] == "code")
    assert "sys.path" not in text
    if not path.name.startswith("00_"):
        assert "from helpers" in text or "import helpers" in text


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_opening_and_closing_sections(path):
    text = "\n".join(source(c) for c in read(path)["cells"] if c["cell_type"] == "markdown")
    for heading in ("What you will learn", "What you need", "Summary", "Exercises",
                    "Further reading"):
        assert re.search(rf"^##+ .*{heading}", text, re.MULTILINE), heading
    assert re.search(r"^# ", text, re.MULTILINE)


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_at_least_three_exercises_with_solutions_and_checks(path):
    cells = read(path)["cells"]
    solutions = [c for c in cells if "solution" in tags(c)]
    checks = [c for c in cells if "check" in tags(c)]
    assert len(solutions) >= 3 and len(checks) >= 3
    for cell in checks:
        assert "check" in source(cell), source(cell)
    stars = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    assert len(re.findall(r"^### Exercise .*★", stars, re.MULTILINE)) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_plotting_cell_stores_its_figure(path):
    # A headless backend (say MPLBACKEND=Agg leaking into the kernel) would store no
    # figure at all: GitHub and nbviewer readers would see empty cells.
    for cell in read(path)["cells"]:
        if cell["cell_type"] == "code" and "plt.show()" in source(cell):
            kinds = {k for out in cell.get("outputs", []) for k in out.get("data", {})}
            assert "image/png" in kinds, source(cell)[:120]
