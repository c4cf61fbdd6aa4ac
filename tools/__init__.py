"""Maintenance scripts for the course's notebooks: navigation, execution, editions, slides.

These are not math and are not installed: maintainers run them from the repository root
(``python -m tools.<script>``), and the tests import them the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
START = "00_start-here.ipynb"


def course_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """The course notebooks in reading order: ``NN_verb-phrase.ipynb``, sorted by NN."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def read(path: Path) -> dict:
    """Load a notebook as plain JSON (nbformat 4)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write(path: Path, nb: dict) -> None:
    """Write a notebook exactly as Jupyter and ``make notebooks`` do (via nbformat)."""
    import nbformat

    nbformat.write(nbformat.from_dict(nb), str(path))


def source(cell: dict) -> str:
    """A cell's source as one string (nbformat allows a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags(cell: dict) -> list[str]:
    """A cell's tags (empty list when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def title(nb: dict) -> str:
    """The text of the first level-1 heading in the notebook."""
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown" or "navigation" in tags(cell):
            continue
        for line in source(cell).splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    raise ValueError("notebook has no '# Title' heading")
