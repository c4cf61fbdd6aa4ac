"""Every notebook, run in JupyterLab in headless Chromium, the way a student runs it.

For each notebooks/NN_*.ipynb (a temporary copy): run all cells, wait for the kernel to go
idle, then check that no cell raised, that every widget was drawn by the widget frontend,
and, where a sliding-kernel widget is shown, that Play moves the step and that the mode
and the flip change the view. A screenshot goes to build/screenshots/NN_*.png.

The ``test_selftest_*`` tests break things on purpose (a cell that raises, a Play that is
not linked to the step slider, a widget callback that raises, the widget frontend switched
off) and check that the same checks fail; ``test_selftest_sliding_kernels_work`` is their
positive control.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import (
    course_notebooks,
    stored_widget_outputs,
    uses_sliding_kernel,
    write_notebook,
)

pytestmark = pytest.mark.browser

NOTEBOOKS = course_notebooks()
PARAMS = [pytest.param(path, id=path.stem) for path in NOTEBOOKS] or [
    pytest.param(None, id="no-notebooks",
                 marks=pytest.mark.skip(reason="no notebooks/NN_*.ipynb yet"))]

#: helpers.widgets puts CSS classes on the widget (sk-widget, sk-play, sk-step, sk-mode,
#: sk-flip, sk-view, ...) and the checks prefer them; the 2D widget here has them removed,
#: so the fallback selectors (ipywidgets' own classes) are exercised too.
UNHOOK = """
def unhooked(sk):
    for w in [sk, *sk.children, *(c for b in sk.children for c in getattr(b, "children", ()))]:
        w._dom_classes = tuple(c for c in w._dom_classes if not c.startswith("sk-"))
    return sk
"""
DEMO = [
    "from helpers.widgets import SlidingKernel1D, SlidingKernel2D\n" + UNHOOK,
    'SlidingKernel1D([1, 2, 3, 4, 5], [1, 0, -1], mode="full", flip=True)',
    "unhooked(SlidingKernel2D([[1, 2, 0, 3], [4, 1, 0, 2], [0, 2, 1, 1], [3, 0, 2, 4]],\n"
    "                         [[1, 0], [2, -1]], mode=\"valid\", flip=False))",
]


@pytest.mark.parametrize("source", PARAMS)
def test_notebook_in_lab(open_notebook, source: Path):
    nb = open_notebook(f"notebooks/{source.name}")
    try:
        nb.run_all()
        report = nb.report()
        nb.check_no_errors(report)
        nb.check_widgets_rendered(stored_widget_outputs(source), report)
        widget = nb.playable_sliding_kernel()
        if uses_sliding_kernel(source):
            assert widget is not None, (f"{source.name} builds a SlidingKernel but shows no "
                                        "widget with a Play button and more than one step")
        if widget is not None:
            nb.check_play_advances(widget)
            nb.check_control_changes_view(widget, "mode")
            nb.check_control_changes_view(widget, "flip")
            nb.check_no_errors()
    finally:
        nb.screenshot(f"{source.stem}.png")


# ---------------------------------------------------------------------------- self-tests

def test_selftest_sliding_kernels_work(open_notebook, lab_root):
    """Positive control: both widgets render, play and react to mode and flip."""
    write_notebook(lab_root / "selftest" / "widgets.ipynb", DEMO)
    nb = open_notebook("selftest/widgets.ipynb")
    assert nb.run_all()
    nb.check_no_errors()
    assert nb.check_widgets_rendered(expected=2) == 2
    widgets = nb.sliding_kernels()
    assert widgets.count() == 2
    for i in range(2):
        nb.check_play_advances(widgets.nth(i))
        nb.check_control_changes_view(widgets.nth(i), "mode")
        nb.check_control_changes_view(widgets.nth(i), "flip")
    nb.check_no_errors()


def test_selftest_detects_a_cell_that_raises(open_notebook, lab_root):
    """A copy of a course notebook with `raise ValueError` after its first code cell."""
    target = lab_root / "selftest" / "raises.ipynb"
    if NOTEBOOKS:
        nb_json = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
        first = next((i for i, c in enumerate(nb_json["cells"]) if c["cell_type"] == "code"), 0)
        nb_json["cells"].insert(first + 1, {
            "cell_type": "code", "execution_count": None, "id": "deliberate-breakage",
            "metadata": {}, "outputs": [], "source": ['raise ValueError("deliberate breakage")']})
        target.write_text(json.dumps(nb_json), encoding="utf-8")
    else:
        write_notebook(target, ["x = 1", 'raise ValueError("deliberate breakage")', "x + 1"])
    nb = open_notebook("selftest/raises.ipynb")
    assert nb.run_all() is False, "run-all should report the failing cell"
    with pytest.raises(AssertionError, match="ValueError: deliberate breakage"):
        nb.check_no_errors()


def test_selftest_detects_broken_play_and_raising_callback(open_notebook, lab_root):
    """Play unlinked from the step slider, and a flip callback that raises: both checks fail."""
    write_notebook(lab_root / "selftest" / "broken_widget.ipynb", [
        "from helpers.widgets import SlidingKernel1D\n"
        "sk = SlidingKernel1D([1, 2, 3, 4, 5], [1, 0, -1])\n"
        "sk.link.unlink()  # deliberate breakage: Play no longer drives the step\n"
        "sk.flip_buttons.observe(lambda change: 1 / 0, names='value')  # and flip raises\n"
        "sk"])
    nb = open_notebook("selftest/broken_widget.ipynb")
    assert nb.run_all()
    nb.check_no_errors()
    nb.check_widgets_rendered(expected=1)
    widget = nb.sliding_kernels().first
    with pytest.raises(AssertionError, match="Play did not advance the step"):
        nb.check_play_advances(widget, timeout=3)
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        nb.check_control_changes_view(widget, "flip")


def test_selftest_detects_missing_widget_frontend(lab_root, lab_context, tmp_path):
    """A second server with @jupyter-widgets/jupyterlab-manager disabled: widgets must fail."""
    from .conftest import LabNotebook
    from .labserver import LabServer

    root = tmp_path / "root"
    write_notebook(root / "selftest" / "widgets.ipynb", DEMO[:2])
    server = LabServer(root, disabled_extensions=["@jupyter-widgets/jupyterlab-manager"])
    server.start()
    nb = None
    try:
        nb = LabNotebook(server, lab_context, "selftest/widgets.ipynb").open()
        assert nb.run_all()
        with pytest.raises(AssertionError, match="widget is shown as plain text"):
            nb.check_widgets_rendered(expected=1)
    finally:
        if nb is not None:
            nb.close()
        left = server.stop()
        shutil.rmtree(root, ignore_errors=True)
    assert not left, f"processes survived the second server: {left}"
