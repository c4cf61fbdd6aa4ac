"""The student edition and the offline decks are built from the same notebooks and work."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tools import course_notebooks, read, source, tags
from tools.navigation import nav_text, stale, with_navigation
from tools.student import placeholder, student_notebook

LESSONS = [p for p in course_notebooks() if not p.name.startswith("00_")]


def test_placeholder_keeps_names_and_drops_answers():
    code = "import numpy as np\nanswer = np.array([1, 2])\ndef f(z):\n    return z * 2\nprint(answer)"
    text = placeholder(code)
    assert "answer = ..." in text and "def f(z):" in text
    assert "np.array([1, 2])" not in text and "return" not in text and "print" not in text
    namespace = {}
    exec(text, namespace)  # the placeholder itself runs
    assert namespace["answer"] is Ellipsis and namespace["f"](1) is None


@pytest.mark.parametrize("path", LESSONS, ids=[p.name[:2] for p in LESSONS])
def test_student_edition_hides_every_solution(path):
    nb = read(path)
    student = student_notebook(nb)
    for before, after in zip(nb["cells"], student["cells"], strict=True):
        if "solution" in tags(before) and before["cell_type"] == "code":
            assert source(after).startswith("# Your turn")
            assert after["outputs"] == []
        if "check" in tags(before):
            assert after["outputs"] == []


@pytest.mark.slow
def test_student_edition_runs_and_every_check_says_not_attempted(tmp_path):
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    from tools.student import build

    for path in build(tmp_path):
        if path.name.startswith("00_"):
            continue
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
        checks = [c for c in nb.cells if "check" in c.metadata.get("tags", [])]
        for cell in checks:
            text = json.dumps(cell.outputs)
            assert "not attempted yet" in text, (path.name, cell.source, text[:300])


def test_navigation_is_idempotent(tmp_path):
    paths = course_notebooks()
    for i, path in enumerate(paths):
        once = with_navigation(read(path), nav_text(paths, i))
        assert with_navigation(once, nav_text(paths, i)) == once
    assert stale(paths) == []


def test_a_stale_navigation_cell_is_caught(tmp_path):
    for path in course_notebooks():
        shutil.copy2(path, tmp_path / path.name)
    copies = sorted(tmp_path.glob("*.ipynb"))
    nb = json.loads(copies[2].read_text())
    nb["cells"][0]["source"] = "‹ [an old title](01_old.ipynb)"
    copies[2].write_text(json.dumps(nb))
    assert stale(copies) == [copies[2].name]


@pytest.mark.slow
def test_offline_decks_point_only_at_local_assets(tmp_path):
    if shutil.which("npm") is None:
        pytest.skip("npm is not installed: make slides falls back to CDN decks")
    from tools.slides import main

    assert main([str(tmp_path)]) == 0
    decks = sorted(tmp_path.glob("*.slides.html"))
    assert [d.name[:2] for d in decks] == [p.name[:2] for p in course_notebooks()]
    for deck in decks:
        html = deck.read_text()
        scripts = re.findall(r'<script[^>]+src="(https?://[^"]+)"', html)
        styles = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="(https?://[^"]+)"', html)
        assert scripts == [] and styles == [], (deck.name, scripts, styles)
        assert "cdnjs.cloudflare.com" not in html and "unpkg.com" not in html, deck.name
        assert (tmp_path / "_assets/reveal.js/dist/reveal.js").exists()
