"""Build the student edition: ``make student`` writes ``build/student/NN_*.ipynb``.

The instructor edition is what lives in ``notebooks/``. In the student edition
every cell tagged ``solution`` becomes a placeholder that keeps the names the
check cells use (``answer = ...``, or a function whose body is ``...``), and the
outputs of solution and check cells are cleared. Run top to bottom, every check
then says "not attempted yet".
"""

from __future__ import annotations

import ast
import copy
import shutil
import sys
from pathlib import Path

from tools import NOTEBOOKS, course_notebooks, read, source, tags, write

PROMPT = "# Your turn: replace each ... with your answer, then run the check below."


def _placeholder_lines(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef):
        args = ast.unparse(node.args)
        doc = ast.get_docstring(node)
        body = [f'    """{doc}"""'] if doc else []
        return [f"def {node.name}({args}):", *body, "    ...  # your code here", ""]
    if isinstance(node, ast.Assign | ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return [f"{ast.unparse(t)} = ..." for t in targets]
    if isinstance(node, ast.Import | ast.ImportFrom):
        return [ast.unparse(node)]
    return []


def placeholder(code: str) -> str:
    """The student's version of a solution cell: same names, no answers.

    Examples
    --------
    >>> print(placeholder("import numpy as np\\nshape = (4, 2)\\ndef f(z):\\n    return z * 2"))
    # Your turn: replace each ... with your answer, then run the check below.
    import numpy as np
    shape = ...
    def f(z):
        ...  # your code here
    """
    lines = [PROMPT]
    for node in ast.parse(code).body:
        lines += _placeholder_lines(node)
    return "\n".join(lines).rstrip() + "\n"


def student_cell(cell: dict) -> dict:
    """A copy of ``cell`` as the student edition shows it."""
    cell = copy.deepcopy(cell)
    kind = set(tags(cell))
    if "solution" in kind:
        if cell["cell_type"] == "code":
            cell["source"] = placeholder(source(cell))
        else:
            cell["source"] = "*Write your answer here.*"
    if kind & {"solution", "check"} and cell["cell_type"] == "code":
        cell["outputs"], cell["execution_count"] = [], None
    return cell


def student_notebook(nb: dict) -> dict:
    """The student edition of a whole notebook."""
    return {**nb, "cells": [student_cell(c) for c in nb["cells"]]}


def build(out: Path) -> list[Path]:
    """Write the student edition of every notebook into ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in course_notebooks(NOTEBOOKS):
        target = out / path.name
        write(target, student_notebook(read(path)))
        written.append(target)
    for extra in NOTEBOOKS.iterdir():
        if extra.is_file() and extra.suffix != ".ipynb":
            shutil.copy2(extra, out / extra.name)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "build/student")
    for path in build(out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
