"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per run.

``make test-browser`` runs ``pytest -m browser tests/browser``. The session shares

- ``lab_server``: JupyterLab (:mod:`tests.browser.labserver`) on a free port of
  127.0.0.1, with a token, over a temporary copy of ``notebooks/`` (running a notebook
  never touches the repository's stored outputs);
- ``browser``: Debian's Chromium driven by Playwright's sync API.

Each test opens its own page (``open_notebook``). :class:`LabNotebook` holds every check
the tests make, so the self-tests in ``test_lab.py`` can show that each check fails on a
deliberately broken notebook.

Without Chromium (or Playwright) the tests are skipped and the run ends with a loud
``BROWSER TESTS SKIPPED`` line; under ``CI=true`` they fail instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
SCREENSHOTS = ROOT / "build" / "screenshots"

#: Flags for Chromium in a container without network: no sandbox (we may be root), no GPU,
#: and none of the background requests Chromium makes on its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
NO_CHROMIUM = "BROWSER TESTS SKIPPED: no Chromium found; install Debian's chromium"
NO_PLAYWRIGHT = ("BROWSER TESTS SKIPPED: the playwright Python package is missing; "
                 "run `make setup`")

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
TRACEBACK = "Traceback (most recent call last)"

#: How long one notebook may take to run top to bottom in the browser (s).
RUN_TIMEOUT = 240
#: How long Play may take to move the step (s); the players start at 2 frames/s.
PLAY_TIMEOUT = 6.0

_PROBLEM = pytest.StashKey[str]()


# ---------------------------------------------------------------------------- skipping

def course_notebooks() -> list[Path]:
    """notebooks/NN_*.ipynb, in order."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def find_chromium() -> str | None:
    """Debian's Chromium: /usr/bin/chromium, else `chromium` or `chromium-browser` on PATH.

    ``BROWSER_TESTS_CHROMIUM=/path/to/chromium`` chooses another one (a path that does not exist makes
    the tests behave as on a machine without Chromium).
    """
    if os.environ.get("BROWSER_TESTS_CHROMIUM"):
        path = os.environ["BROWSER_TESTS_CHROMIUM"]
        return path if os.access(path, os.X_OK) else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    if find_chromium() is None:
        return NO_CHROMIUM
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return NO_PLAYWRIGHT
    return None


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.path)).parents]
    problem = missing_requirement() if ours else None
    if problem is None:
        return
    config.stash[_PROBLEM] = problem
    if in_ci():
        return  # the `chromium` fixture fails every test instead
    for item in ours:
        item.add_marker(pytest.mark.skip(reason=problem))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After everything else (the short summary included): say loudly what did not run."""
    result = yield
    problem = config.stash.get(_PROBLEM, None)
    if problem is None:
        return result
    if in_ci():
        terminalreporter.write_sep("!", _ci_failure(problem), red=True, bold=True)
    else:
        terminalreporter.write_sep("!", problem, red=True, bold=True)
        terminalreporter.write_line("The notebooks, widgets, RISE and slide decks were NOT "
                                    "checked in a browser. `apt-get install chromium`, then "
                                    "`make test-browser`.", red=True)
    return result


def _ci_failure(problem: str) -> str:
    return (problem.replace("SKIPPED", "FAILED (CI=true)")
            + " -- under CI a missing browser is a failure, not a skip")


# ---------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the Chromium executable; fails (CI) or skips when there is none."""
    problem = missing_requirement()
    if problem is not None:
        if in_ci():
            pytest.fail(_ci_failure(problem), pytrace=False)
        pytest.skip(problem)
    return find_chromium()


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory) -> Path:
    """A temporary root for JupyterLab: a copy of notebooks/ plus a folder for self-tests."""
    root = tmp_path_factory.mktemp("lab-root")
    if NOTEBOOK_DIR.is_dir():
        shutil.copytree(NOTEBOOK_DIR, root / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    else:
        (root / "notebooks").mkdir()
    (root / "selftest").mkdir()
    return root


@pytest.fixture(scope="session")
def lab_server(chromium, lab_root):
    """One JupyterLab for the whole run; at the end no server or kernel process survives."""
    from .labserver import LabServer

    server = LabServer(lab_root).start()
    yield server
    left = server.stop()
    assert not left, f"processes survived the JupyterLab server: {left}"


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def lab_context(browser):
    """A browser context that can reach 127.0.0.1 only (and records what else was tried)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    context.blocked = []

    def block(route):
        context.blocked.append(route.request.url)
        route.abort()

    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]|data:|blob:|about:)"), block)
    yield context
    context.close()


@pytest.fixture
def open_notebook(lab_server, lab_context):
    """``open_notebook("notebooks/01_x.ipynb")`` -> :class:`LabNotebook`, opened in a new page.

    At the end of the test the kernel is shut down and the page closed.
    """
    opened: list[LabNotebook] = []

    def _open(path: str, server=None, context=None) -> LabNotebook:
        notebook = LabNotebook(server or lab_server, context or lab_context, path)
        opened.append(notebook)
        notebook.open()
        return notebook

    yield _open
    for notebook in opened:
        notebook.close()


# ---------------------------------------------------------------------------- notebooks

def stored_widget_outputs(path: Path) -> int:
    """How many widget views the stored notebook shows (its saved outputs)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(WIDGET_MIME in out.get("data", {})
               for cell in nb["cells"] for out in cell.get("outputs", []))


def uses_sliding_kernel(path: Path) -> bool:
    """True when a code cell builds a SlidingKernel1D/2D or a StampingKernel1D/2D."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return any(re.search(r"(Sliding|Stamping)Kernel[12]D\s*\(", "".join(cell["source"]))
               for cell in nb["cells"] if cell["cell_type"] == "code")


def write_notebook(path: Path, sources: list[str], markdown_first: str = "# Self-test") -> Path:
    """Write a small notebook (one markdown cell, then one code cell per source)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(markdown_first),
                *(nbformat.v4.new_code_cell(source) for source in sources)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


_OPEN_JS = """async (path) => {
  const app = window.jupyterapp;
  if (!app) throw new Error('window.jupyterapp is missing: galata configuration not applied');
  await app.started;
  await app.restored;
  let panel = null;
  for (const end = Date.now() + 60000; Date.now() < end; ) {
    const w = app.shell.currentWidget;
    if (w && w.context && w.sessionContext && w.context.path === path) { panel = w; break; }
    await new Promise(r => setTimeout(r, 100));
  }
  if (!panel) throw new Error('the notebook ' + path + ' did not open');
  await panel.context.ready;
  await panel.sessionContext.ready;
  await panel.revealed;
  const state = {panel, errors: []};
  // Errors outside cells: a widget callback that raises (the parent is a comm message).
  // Errors of executed cells are in their outputs and are read from there.
  panel.sessionContext.iopubMessage.connect((_, msg) => {
    const t = msg.header.msg_type, c = msg.content;
    const parent = (msg.parent_header || {}).msg_type || '';
    if (parent === 'execute_request') return;
    if (t === 'error') {
      state.errors.push(`${parent}: ${c.ename}: ${c.evalue}`);
    } else if (t === 'stream' && c.name === 'stderr' && c.text.includes('Traceback')) {
      state.errors.push(`${parent}: ${c.text.slice(0, 1500)}`);
    }
  });
  window.__labtest = state;
  const s = panel.sessionContext.session;
  return {session: s.id, kernel: s.kernel ? s.kernel.id : null};
}"""

_RUN_ALL_JS = """async (timeoutMs) => {
  const app = window.jupyterapp, {panel} = window.__labtest;
  app.shell.activateById(panel.id);
  const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('notebook:run-all-cells did not finish')), timeoutMs));
  return await Promise.race([app.commands.execute('notebook:run-all-cells'), timeout]);
}"""

_IDLE_JS = """() => {
  const {panel} = window.__labtest;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const indicator = panel.node.querySelector('.jp-Notebook-ExecutionIndicator');
  const busy = Array.from(panel.node.querySelectorAll('.jp-InputPrompt'))
      .some(p => p.textContent.includes('*'));
  return !!kernel && kernel.status === 'idle' && !busy &&
         (!indicator || indicator.dataset.status === 'idle');
}"""

_WIDGETS_SETTLED_JS = """() => {
  const {panel} = window.__labtest;
  return Array.from(panel.node.querySelectorAll('.jp-OutputArea-output'))
      .every(o => !o.textContent.startsWith('Loading widget...'));
}"""

_REPORT_JS = """() => {
  const {panel, errors} = window.__labtest;
  const cells = panel.content.widgets.map((cell, index) => {
    const model = cell.model, source = model.sharedModel.getSource();
    const r = {index, type: model.type, head: source.trim().split('\\n')[0].slice(0, 70)};
    if (model.type !== 'code') return r;
    r.count = model.executionCount;
    r.blank = source.trim() === '';
    r.outputs = model.outputs.toJSON().map(o => ({
      type: o.output_type, name: o.name || null, ename: o.ename || null,
      evalue: o.evalue || null, mimes: Object.keys(o.data || {}),
      text: o.output_type === 'stream' ? [].concat(o.text).join('').slice(0, 3000) : ''}));
    r.rendered = Array.from(cell.outputArea.node.children)
      .filter(child => child.classList.contains('jp-OutputArea-child'))
      .map(child => {
        const out = child.querySelector('.jp-OutputArea-output');
        return {mime: out ? (out.dataset.mimeType || null) : null,
                widget: !!(out && out.querySelector('.jupyter-widgets[class*="widget-"]')),
                text: (child.textContent || '').slice(0, 3000)};
      });
    return r;
  });
  return {cells, errors: errors.slice()};
}"""


class LabNotebook:
    """One notebook opened in JupyterLab in its own page, with the checks the tests make.

    Every ``check_*`` method raises ``AssertionError`` with a readable message.
    """

    def __init__(self, server, context, path: str):
        self.server, self.context, self.path = server, context, path
        self.page = None
        self.session_id = self.kernel_id = None

    # -- opening, running, closing --------------------------------------------------
    def open(self) -> LabNotebook:
        workspace = re.sub(r"[^A-Za-z0-9]+", "-", self.path).strip("-")
        self.page = self.context.new_page()
        self.page_errors = []
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.page.goto(self.server.url(f"lab/workspaces/{workspace}/tree/{self.path}", reset=""),
                       wait_until="domcontentloaded")
        self.page.wait_for_function("() => window.jupyterapp !== undefined", timeout=60_000)
        ids = self.page.evaluate(_OPEN_JS, self.path)
        self.session_id, self.kernel_id = ids["session"], ids["kernel"]
        return self

    def run_all(self, timeout: float = RUN_TIMEOUT) -> bool:
        """Run every cell (the `notebook:run-all-cells` command); wait for the kernel to idle.

        Returns what the command returned: False when a cell failed.
        """
        start = time.monotonic()
        ok = self.page.evaluate(_RUN_ALL_JS, int(timeout * 1000))
        left = max(timeout - (time.monotonic() - start), 5)
        self.page.wait_for_function(_IDLE_JS, timeout=left * 1000, polling=200)
        self.wait_for_widgets()
        return bool(ok)

    def wait_for_widgets(self, timeout: float = 20.0) -> None:
        """Wait until no output says 'Loading widget...' (it may stay: the checks report it)."""
        try:
            self.page.wait_for_function(_WIDGETS_SETTLED_JS, timeout=timeout * 1000, polling=200)
        except Exception:  # noqa: BLE001 -- reported by check_widgets_rendered
            pass

    def report(self) -> dict:
        """Cells, their outputs (model and DOM) and the errors seen on the kernel's iopub."""
        return self.page.evaluate(_REPORT_JS)

    def close(self) -> None:
        """Shut the kernel down (DELETE the session) and close the page."""
        if self.page is not None and not self.page.is_closed():
            self.page.close()
        if self.session_id:
            try:
                self.server.api("DELETE", f"api/sessions/{self.session_id}", timeout=30)
            except Exception:  # noqa: BLE001 -- already gone
                pass
            self.session_id = None
            end = time.monotonic() + 10
            while self.kernel_id in self.server.kernel_ids() and time.monotonic() < end:
                time.sleep(0.2)
            assert self.kernel_id not in self.server.kernel_ids(), (
                f"the kernel of {self.path} is still running after its session was deleted")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path

    # -- checks on the whole notebook ---------------------------------------------------
    def errors(self, report: dict | None = None) -> list[str]:
        """Every error in the run: error outputs, tracebacks, cells that did not run."""
        report = report or self.report()
        found, not_run = [], []
        for cell in report["cells"]:
            if cell["type"] != "code":
                continue
            where = f"cell {cell['index']} ({cell['head']!r})"
            for out in cell["outputs"]:
                if out["type"] == "error":
                    found.append(f"{where}: {out['ename']}: {out['evalue']}")
                elif out["type"] == "stream" and TRACEBACK in out["text"]:
                    found.append(f"{where}: a traceback on {out['name']}: {out['text'][:500]}")
            for shown in cell["rendered"]:
                if shown["mime"] == "application/vnd.jupyter.error" or TRACEBACK in shown["text"]:
                    found.append(f"{where}: shows a traceback: {shown['text'][:300]!r}")
                if "Error displaying widget" in shown["text"]:
                    found.append(f"{where}: {shown['text'][:200]!r}")
            if not cell["blank"] and cell["count"] is None:
                not_run.append(cell["index"])
        if not_run:
            found.append(f"{len(not_run)} code cell(s) did not run (no execution count): "
                         f"cells {', '.join(map(str, not_run[:12]))}"
                         f"{' ...' if len(not_run) > 12 else ''}"
                         f"{' -- run-all stops at the first error' if found else ''}")
        found += [f"the kernel reported an error outside a cell: {e[:800]}"
                  for e in report["errors"]]
        return list(dict.fromkeys(found))

    def check_no_errors(self, report: dict | None = None) -> None:
        __tracebackhide__ = True
        found = self.errors(report)
        if found:
            raise AssertionError(f"{self.path} has errors:\n  " + "\n  ".join(found))

    def check_widgets_rendered(self, expected: int = 0, report: dict | None = None) -> int:
        """Every widget output is drawn by the widget frontend; at least ``expected`` of them.

        Returns the number of widgets drawn.
        """
        __tracebackhide__ = True
        report = report or self.report()
        problems, drawn = [], 0
        for cell in report["cells"]:
            if cell["type"] != "code":
                continue
            where = f"cell {cell['index']} ({cell['head']!r})"
            pairs = list(zip(cell["outputs"], cell["rendered"], strict=False))
            if len(cell["outputs"]) != len(cell["rendered"]):
                problems.append(f"{where}: {len(cell['outputs'])} outputs but "
                                f"{len(cell['rendered'])} drawn")
            for out, shown in pairs:
                if WIDGET_MIME not in out["mimes"]:
                    continue
                if shown["widget"] and "Error displaying widget" not in shown["text"]:
                    drawn += 1
                elif shown["mime"] == "text/plain":
                    problems.append(f"{where}: the widget is shown as plain text "
                                    f"({shown['text'][:80]!r}): is the widget frontend "
                                    "(jupyterlab_widgets) installed and enabled?")
                else:
                    problems.append(f"{where}: the widget did not render: "
                                    f"{shown['text'][:120]!r}")
        if drawn < expected:
            problems.append(f"{drawn} widget(s) drawn, but the stored notebook shows {expected}")
        if problems:
            raise AssertionError(f"{self.path}: widgets not rendered:\n  " + "\n  ".join(problems))
        return drawn

    # -- the sliding-kernel widgets -----------------------------------------------------
    # helpers.widgets shows a player that runs in the browser (class "skp"): native
    # buttons, a range input for the step, selects for speed, mode, operation and stride.
    def sliding_kernels(self):
        """Locator of the sliding-kernel players whose script ran (they carry data-ready)."""
        return self.page.locator(".skp[data-ready]")

    @staticmethod
    def step_range(widget) -> tuple[float, float]:
        step = widget.locator(".skp-step")
        return float(step.get_attribute("min") or 0), float(step.evaluate("e => e.max"))

    def playable_sliding_kernel(self):
        """The first player with more than one step (None if there is none)."""
        widgets = self.sliding_kernels()
        for i in range(widgets.count()):
            low, high = self.step_range(widgets.nth(i))
            if high > low:
                return widgets.nth(i)
        return None

    @staticmethod
    def step_value(widget) -> float:
        return float(widget.locator(".skp-step").evaluate("e => e.value"))

    @staticmethod
    def view(widget) -> str:
        """What the player draws: its grids and its formula."""
        return widget.evaluate("e => e.querySelector('.skp-grids').innerHTML + "
                               "e.querySelector('.skp-formula').textContent")

    def _page_errors(self) -> list[str]:
        return list(getattr(self, "page_errors", []))

    def check_play_advances(self, widget, timeout: float = PLAY_TIMEOUT) -> None:
        """Press Play: the step must move within ``timeout`` s and the view follow."""
        __tracebackhide__ = True
        widget.scroll_into_view_if_needed()
        play = widget.locator(".skp-play")
        assert play.is_enabled(), "the Play button is disabled"
        step, view, errors = self.step_value(widget), self.view(widget), len(self._page_errors())
        play.click()
        end, now = time.monotonic() + timeout, step
        try:
            while time.monotonic() < end and now == step:
                time.sleep(0.05)
                now = self.step_value(widget)
            assert now != step, (f"Play did not advance the step: it stayed at "
                                 f"{step:g} for {timeout:g} s")
            assert self.view(widget) != view, (
                "Play moved the step but the grids/formula did not change")
        finally:
            if play.inner_text().strip() == "Pause":
                play.click()
        new = self._page_errors()[errors:]
        assert not new, "errors while playing:\n  " + "\n  ".join(new)

    def check_control_changes_view(self, widget, control: str) -> None:
        """Change a setting: ``'mode'`` or ``'flip'`` (the operation) of a sliding kernel,
        ``'stride'`` or ``'padding'`` of a stamping one; the view must change, no error."""
        __tracebackhide__ = True
        widget.scroll_into_view_if_needed()
        before, errors = self.view(widget), len(self._page_errors())
        if control not in ("mode", "flip", "stride", "padding"):
            raise ValueError(f"control must be 'mode', 'flip', 'stride' or 'padding', "
                             f"not {control!r}")
        menu = widget.locator(f".skp-{control}")
        assert menu.count(), f"no {control} menu in the player"
        labels = menu.locator("option").all_inner_texts()
        current = menu.evaluate("s => s.options[s.selectedIndex].text")
        target = next(label for label in labels if label != current)
        menu.select_option(label=target)
        what = f"{control} {current!r} -> {target!r}"
        after = self.view(widget)
        new = self._page_errors()[errors:]
        assert not new, f"errors after {what}:\n  " + "\n  ".join(new)
        assert TRACEBACK not in widget.inner_text(), f"a traceback in the widget after {what}"
        assert after != before, f"{what} did not change the widget's view"


# ---------------------------------------------------------------------------- axe-core

AXE_PACKAGE = Path(__file__).parent / "axe"
AXE_TOOLS = ROOT / "build" / "browser-tools"
#: What the audit fails on: axe-core's two highest impacts.
SEVERE = ("critical", "serious")


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from the npm registry (``npm ci`` of tests/browser/axe once)."""
    script = AXE_TOOLS / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            reason = "AXE AUDIT SKIPPED: npm is needed to fetch axe-core"
            if in_ci():
                pytest.fail(reason)
            pytest.skip(reason)
        import subprocess

        AXE_TOOLS.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(AXE_PACKAGE / name, AXE_TOOLS / name)
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                       cwd=AXE_TOOLS, check=True, capture_output=True, timeout=300)
    return script.read_text(encoding="utf-8")


_AXE_RUN_JS = """async ([include, exclude]) => {
  const context = {include: include.map(s => [s])};
  if (exclude.length) context.exclude = exclude.map(s => [s]);
  const result = await axe.run(context, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n')[1])}));
}"""


def axe_violations(page, axe: str, include: list[str], exclude: list[str] = ()) -> list[dict]:
    """Critical and serious axe-core violations inside ``include`` (CSS selectors)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe)
    found = page.evaluate(_AXE_RUN_JS, [list(include), list(exclude)])
    return [v for v in found if v["impact"] in SEVERE]


def describe_violations(violations: list[dict]) -> str:
    return "\n".join(f"  {v['impact']} {v['id']} x{len(v['nodes'])}: {v['help']}\n      "
                     + "\n      ".join(v["nodes"][:4]) for v in violations)
