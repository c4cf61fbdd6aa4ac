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
        doc = (ast.get_docstring(node) or "").split("\n\n")[0].strip()  # the task, no examples
        body = [f'    """{doc}"""'] if doc and ">>>" not in doc else []
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


def answers(nb: dict) -> set[str]:
    """The literal values the solution cells assign or return (numbers, lists, tuples).

    Only literals longer than two characters count: an expression such as ``x.shape``
    or a name also appears in the lesson itself and gives nothing away.

    >>> sorted(answers({"cells": [{"cell_type": "code", "metadata": {"tags": ["solution"]},
    ...     "source": "shape = (4, 2)\\ndef f(z):\\n    return z * 2\\nk = 3\\nn = 9800"}]}))
    ['(4, 2)', '9800']
    """
    found = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "solution" not in tags(cell):
            continue
        for node in ast.walk(ast.parse(source(cell))):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.Return) and node.value:
                try:
                    ast.literal_eval(node.value)
                except ValueError:
                    continue
                found.add(ast.unparse(node.value))
    return {text for text in found if len(text) > 2}


def leaks(student: dict, secrets: set[str]) -> list[str]:
    """Where the student edition still shows one of ``secrets`` (sources and outputs)."""
    import json

    found = []
    for index, cell in enumerate(student["cells"]):
        text = source(cell) + json.dumps(cell.get("outputs", []), ensure_ascii=False)
        found += [f"cell {index}: {secret!r}" for secret in sorted(secrets) if secret in text]
    return found


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
        nb = read(path)
        student = student_notebook(nb)
        found = leaks(student, answers(nb))
        if found:
            print(f"warning: {path.name} shows an answer outside its solution cells: "
                  + "; ".join(found[:5]), file=sys.stderr)
        write(target, student)
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
