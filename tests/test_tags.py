"""Every public function of the math modules names the notebook that introduces it, and
that notebook is the first one whose code uses the function (d2l's tags, kept honest)."""

from __future__ import annotations

import importlib
import inspect
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("activations", "network", "gradcheck", "convnet", "conv", "kernels", "data",
           "plots", "notebook")
TAG = re.compile(r"\bnotebooks? `{0,2}(\d\d)")


def _code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


# the start page (00) only previews; a function is introduced where the course teaches it
CODE = {p.name[:2]: _code(p) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        if not p.name.startswith("00")}


def uses(code: str, module: str, name: str) -> bool:
    """Does this code call helpers.<module>.<name>, by attribute or by a from-import?"""
    if re.search(rf"\b{module}\.{name}\b", code):
        return True
    imports = re.findall(rf"from helpers\.{module} import (\([^)]*\)|[^\n]*)", code)
    return any(re.search(rf"\b{name}\b", names) for names in imports)


def public_functions():
    for name in MODULES:
        module = importlib.import_module(f"helpers.{name}")
        names = getattr(module, "__all__", None) or dir(module)
        for attr in names:
            obj = getattr(module, attr)
            if (not attr.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
                    and obj.__module__.startswith(module.__name__)):
                yield pytest.param(name, attr, obj, id=f"{name}.{attr}")


@pytest.mark.parametrize(("module", "name", "obj"), list(public_functions()))
def test_the_tag_names_the_first_notebook_that_uses_it(module, name, obj):
    doc = inspect.getdoc(obj) or ""
    tags = TAG.findall(doc + " " + (inspect.getdoc(inspect.getmodule(obj)) or ""))
    assert tags, f"helpers.{module}.{name}: the docstring names no notebook ('notebook NN')"
    used = [nb for nb, code in CODE.items() if uses(code, module, name)]
    if tags[0] == "00":  # the start page's own setup
        return
    if used:  # helpers used only by other helpers (or by tests) carry their module's tag
        assert tags[0] == used[0], (
            f"helpers.{module}.{name} says notebook {tags[0]} introduces it, but notebook "
            f"{used[0]} is the first to use it")
