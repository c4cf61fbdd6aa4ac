"""Every notebook, run in JupyterLab in headless Chromium, the way a student runs it.

For each notebooks/NN_*.ipynb (a temporary copy): run all cells, wait for the kernel to go
idle, then check that no cell raised, that every widget was drawn by the widget frontend,
and, where a sliding-kernel player is shown, that Play moves the step and that the mode
and the operation (flip) change the view. A screenshot goes to build/screenshots/NN_*.png.

The ``test_selftest_*`` tests break things on purpose (a cell that raises, a Play that
never ticks, a player script that throws, the widget frontend switched off) and check that the same checks fail; ``test_selftest_sliding_kernels_work`` is their
positive control.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import (
    axe_violations,
    course_notebooks,
    describe_violations,
    stored_widget_outputs,
    uses_sliding_kernel,
    write_notebook,
)

pytestmark = pytest.mark.browser

NOTEBOOKS = course_notebooks()
PARAMS = [pytest.param(path, id=path.stem) for path in NOTEBOOKS] or [
    pytest.param(None, id="no-notebooks",
                 marks=pytest.mark.skip(reason="no notebooks/NN_*.ipynb yet"))]

DEMO = [
    "from helpers.widgets import SlidingKernel1D, SlidingKernel2D",
    'SlidingKernel1D([1, 2, 3, 4, 5], [1, 0, -1], mode="full", flip=True)',
    "SlidingKernel2D([[1, 2, 0, 3], [4, 1, 0, 2], [0, 2, 1, 1], [3, 0, 2, 4]],\n"
    "                [[1, 0], [2, -1]], mode=\"valid\", flip=False)",
]


#: The course's own content in JupyterLab: rendered markdown and outputs, not the editor,
#: prompts, toolbars or JupyterLab's panels.
COURSE_CONTENT = [".jp-Notebook .jp-MarkdownOutput", ".jp-Notebook .jp-OutputArea-output"]


@pytest.mark.parametrize("source", PARAMS)
def test_notebook_in_lab(open_notebook, axe_source, source: Path):
    nb = open_notebook(f"notebooks/{source.name}")
    try:
        nb.run_all()
        report = nb.report()
        nb.check_no_errors(report)
        nb.check_widgets_rendered(stored_widget_outputs(source), report)
        widget = nb.playable_sliding_kernel()
        if uses_sliding_kernel(source):
            assert widget is not None, (f"{source.name} builds a kernel widget but shows no "
                                        "widget with a Play button and more than one step")
        if widget is not None:
            nb.check_play_advances(widget)
            # a sliding kernel's mode and operation, or a stamping kernel's stride and padding
            stamping = not widget.locator(".skp-mode").count()
            for control in ("stride", "padding") if stamping else ("mode", "flip"):
                nb.check_control_changes_view(widget, control)
            nb.check_no_errors()
        found = axe_violations(nb.page, axe_source, COURSE_CONTENT)
        assert not found, f"axe-core in {source.name} after Run All:\n" + describe_violations(found)
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


def test_selftest_detects_broken_play_and_a_script_error(open_notebook, lab_root):
    """A player whose timer never fires, and one whose mode menu throws: both checks fail."""
    write_notebook(lab_root / "selftest" / "broken_widget.ipynb", [
        "from IPython.display import HTML\n"
        "from helpers.widgets import SlidingKernel1D\n"
        "html = SlidingKernel1D([1, 2, 3, 4, 5], [1, 0, -1])._repr_mimebundle_()['text/html']\n"
        "# deliberate breakage: Play never ticks, and a mode change throws\n"
        "html = html.replace('timer = setInterval(', 'timer = 0 && setInterval(')\n"
        "html = html.replace('function rebuild() {', 'function rebuild() { null.x;')\n"
        "HTML(html)"])
    nb = open_notebook("selftest/broken_widget.ipynb")
    assert nb.run_all()
    nb.check_no_errors()
    widget = nb.sliding_kernels().first
    with pytest.raises(AssertionError, match="Play did not advance the step"):
        nb.check_play_advances(widget, timeout=3)
    with pytest.raises(AssertionError, match="errors after mode"):
        nb.check_control_changes_view(widget, "mode")


def test_selftest_detects_missing_widget_frontend(lab_root, lab_context, tmp_path):
    """A second server with @jupyter-widgets/jupyterlab-manager disabled: widgets must fail."""
    from .conftest import LabNotebook
    from .labserver import LabServer

    root = tmp_path / "root"
    # a plain ipywidget: the sliding kernels also carry their player as HTML, which
    # JupyterLab shows when the widget frontend is missing (as it should)
    write_notebook(root / "selftest" / "widgets.ipynb",
                   ["import ipywidgets as W\nW.IntSlider(value=3, description='n')"])
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
