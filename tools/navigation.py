"""Write the navigation cells (‹ previous · contents · next ›) of every notebook.

Run ``make nav`` (``python -m tools.navigation``); ``--check`` only reports
stale cells. ``tests/test_notebook_structure.py`` fails when a cell is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools import START, course_notebooks, read, source, tags, title, write

TAG = "navigation"
CONTENTS = "contents"


def _link(path: Path | None, arrow: str) -> str:
    if path is None:
        return ""
    name = title(read(path))
    return f"{arrow[0]} [{name}]({path.name}) {arrow[1]}".strip()


def nav_text(paths: list[Path], i: int) -> str:
    """The markdown of the navigation cell for ``paths[i]``."""
    prev = paths[i - 1] if i > 0 else None
    nxt = paths[i + 1] if i + 1 < len(paths) else None
    parts = [_link(prev, "‹ "), f"[Contents]({START})", _link(nxt, " ›")]
    return " · ".join(p for p in parts if p)


def nav_cell(text: str) -> dict:
    """A markdown cell tagged ``navigation`` and skipped in slides."""
    meta = {"slideshow": {"slide_type": "skip"}, "tags": [TAG]}
    return {"cell_type": "markdown", "metadata": meta, "source": text}


def with_navigation(nb: dict, text: str) -> dict:
    """The notebook with exactly one navigation cell at the top and one at the bottom."""
    body = [c for c in nb["cells"] if TAG not in tags(c)]
    top, bottom = nav_cell(text), nav_cell(text)
    top["id"], bottom["id"] = "navigation-top", "navigation-bottom"
    return {**nb, "cells": [top, *body, bottom]}


def summary(nb: dict) -> str:
    """The sentence under a notebook's title: why the topic matters."""
    for cell in nb["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown" and text.startswith("# "):
            body = "\n".join(text.splitlines()[1:]).strip()
            return " ".join(body.split("\n\n")[0].split())  # the first paragraph
    return ""


def contents_text(paths: list[Path]) -> str:
    """The table of contents of the start page, built from the notebooks themselves."""
    rows = ["| | Notebook | Why it matters |", "|---|---|---|"]
    for path in paths[1:]:
        nb = read(path)
        rows.append(f"| {path.name[:2]} | [{title(nb)}]({path.name}) | {summary(nb)} |")
    return "\n".join(rows)


def with_contents(nb: dict, text: str) -> dict:
    """The start page with its ``contents`` cell set to ``text``."""
    cells = [dict(c, source=text) if CONTENTS in tags(c) else c for c in nb["cells"]]
    return {**nb, "cells": cells}


def _contents_stale(paths: list[Path]) -> bool:
    cells = [c for c in read(paths[0])["cells"] if CONTENTS in tags(c)]
    return len(cells) != 1 or source(cells[0]) != contents_text(paths)


def stale(paths: list[Path] | None = None) -> list[str]:
    """Names of the notebooks whose navigation cells are missing or out of date."""
    paths = course_notebooks() if paths is None else paths
    out = []
    for i, path in enumerate(paths):
        nb = read(path)
        cells = nb["cells"]
        text = nav_text(paths, i)
        ends = [cells[0], cells[-1]] if cells else []
        if not all(TAG in tags(c) and source(c) == text for c in ends):
            out.append(path.name)
        elif sum(TAG in tags(c) for c in cells) != 2:
            out.append(path.name)
    if paths and _contents_stale(paths) and paths[0].name not in out:
        out.append(paths[0].name)
    return out


def main(argv: list[str]) -> int:
    paths = course_notebooks()
    if "--check" in argv:
        bad = stale(paths)
        for name in bad:
            print(f"stale navigation: {name} (run `make nav`)")
        return 1 if bad else 0
    outdated = stale(paths)
    for i, path in enumerate(paths):
        if path.name not in outdated:
            continue
        new = with_navigation(read(path), nav_text(paths, i))
        write(path, with_contents(new, contents_text(paths)) if i == 0 else new)
        print(f"navigation updated: {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
