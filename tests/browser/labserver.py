"""Start a throw-away JupyterLab server for the browser tests (``make test-browser``).

The server is configured with ``jupyterlab.galata.configure_jupyter_server`` (the set-up
JupyterLab's own UI tests use: ``window.jupyterapp`` exposed, no browser opened), and then
made private and quiet:

- it listens on a free port of 127.0.0.1 and requires a random token;
- news, update checks and the terminal are off, so it never calls the network;
- settings, workspaces, runtime files and IPython's profile live in a temporary folder, so
  nothing in ``~`` is read or written, nothing in ``.venv`` is written, and no workspace
  is restored;
- it runs in its own process group; :meth:`LabServer.stop` shuts the kernels down, ends the
  group (SIGTERM, then SIGKILL) and returns any process that survived.

Use it as a context manager::

    with LabServer(root_dir) as lab:
        print(lab.url("lab/tree/notebooks/01_x.ipynb"))
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

#: Settings written into the server's private settings folder (``JUPYTERLAB_SETTINGS_DIR``).
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    # No news feed, no update check: the browser must not reach the network.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    # Attach every cell to the DOM so tests can see every output, not just the visible ones.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # The extension manager would query PyPI when opened.
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}

_CONFIG = """\
# Written by tests/browser/labserver.py for one test run; deleted afterwards.
import tempfile
from jupyterlab.galata import configure_jupyter_server

# galata makes temporary folders and files (even a root folder it does not use): keep
# them in this server's state folder, which is deleted when the server stops.
_tempdir, tempfile.tempdir = tempfile.tempdir, {galata_tmp!r}
try:
    configure_jupyter_server(c)  # noqa: F821 -- `c` is the config object Jupyter passes in
finally:
    tempfile.tempdir = _tempdir

c.ServerApp.ip = "127.0.0.1"
c.ServerApp.port = {port}
c.ServerApp.port_retries = 0
c.ServerApp.open_browser = False
c.ServerApp.root_dir = {root_dir!r}
c.ServerApp.terminals_enabled = False
c.ServerApp.allow_root = True  # containers and CI often run as root
c.IdentityProvider.token = {token!r}
c.LabApp.workspaces_dir = {workspaces_dir!r}
c.LabApp.user_settings_dir = {settings_dir!r}
c.LabApp.news_url = None
c.LabApp.extension_manager = "readonly"  # never query PyPI
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
c.LabApp.expose_app_in_browser = True
c.ServerApp.shutdown_no_activity_timeout = 0
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """One JupyterLab server in its own process group, with a private state folder.

    Parameters
    ----------
    root_dir:
        The folder the server shows (and where notebooks run).
    disabled_extensions:
        Lab extensions to switch off (``page_config.json``), e.g.
        ``["@jupyter-widgets/jupyterlab-manager"]`` to check that a test notices.
    startup_timeout:
        Seconds to wait for ``/api/status`` to answer.
    """

    def __init__(self, root_dir: str | os.PathLike, *, disabled_extensions=(),
                 startup_timeout: float = 90.0):
        self.root_dir = Path(root_dir).resolve()
        self.disabled_extensions = list(disabled_extensions)
        self.startup_timeout = startup_timeout
        self.token = secrets.token_hex(16)
        self.port: int | None = None
        self.proc: subprocess.Popen | None = None
        self.state_dir: Path | None = None
        self.log_path: Path | None = None
        self._log = None

    # -- URLs and the REST API ---------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str = "lab", **query: str) -> str:
        """Absolute URL of ``path`` with the token in the query string."""
        params = "&".join([*(f"{k}={v}" if v != "" else k for k, v in query.items()),
                           f"token={self.token}"])
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path.lstrip('/')}{sep}{params}"

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Call the server's REST API; returns the decoded JSON (or None)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.base_url + path.lstrip("/"), data=data, method=method,
            headers={"Authorization": f"token {self.token}",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            text = response.read().decode()
        return json.loads(text) if text.strip() else None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server wrote (stdout and stderr together)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    # -- start and stop --------------------------------------------------------------------
    def _write_state(self, port: int) -> dict[str, str]:
        state = self.state_dir
        config_dir, settings_dir = state / "config", state / "settings"
        workspaces_dir, runtime_dir = state / "workspaces", state / "runtime"
        for folder in (config_dir, settings_dir, workspaces_dir, runtime_dir,
                       state / "data", state / "ipython", state / "galata"):
            folder.mkdir(parents=True, exist_ok=True)
        (config_dir / "jupyter_server_config.py").write_text(_CONFIG.format(
            port=port, root_dir=str(self.root_dir), token=self.token,
            galata_tmp=str(state / "galata"),
            workspaces_dir=str(workspaces_dir), settings_dir=str(settings_dir)))
        if self.disabled_extensions:
            (config_dir / "labconfig").mkdir(exist_ok=True)
            (config_dir / "labconfig" / "page_config.json").write_text(json.dumps(
                {"disabledExtensions": {name: True for name in self.disabled_extensions}}))
        for plugin, values in LAB_SETTINGS.items():
            package, name = plugin.rsplit("/", 1)
            target = settings_dir / package / f"{name}.jupyterlab-settings"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(values))
        bin_dir = str(Path(sys.executable).parent)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTER", "JPY_")) and k not in ("MPLBACKEND", "IPYTHONDIR")}
        env.update(
            PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""),
            JUPYTER_CONFIG_DIR=str(config_dir),
            JUPYTER_DATA_DIR=str(state / "data"),
            JUPYTER_RUNTIME_DIR=str(runtime_dir),
            JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
            JUPYTERLAB_WORKSPACES_DIR=str(workspaces_dir),
            JUPYTERLAB_GALATA_ROOT_DIR=str(self.root_dir),
            IPYTHONDIR=str(state / "ipython"),
            PYDEVD_DISABLE_FILE_VALIDATION="1",
            PYTHONUNBUFFERED="1",
        )
        return env

    def start(self) -> LabServer:
        """Start the server and wait until ``/api/status`` answers."""
        self.state_dir = Path(tempfile.mkdtemp(prefix="labserver-"))
        self.log_path = self.state_dir / "server.log"
        last_error = ""
        for _attempt in range(3):  # a free port can be taken between probe and bind
            self.port = free_port()
            env = self._write_state(self.port)
            self._log = open(self.log_path, "ab")  # noqa: SIM115 -- closed in stop()
            exe = shutil.which("jupyter-lab", path=env["PATH"]) or "jupyter-lab"
            self.proc = subprocess.Popen(
                [exe, "--no-browser"], cwd=self.root_dir, env=env,
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                start_new_session=True)
            deadline = time.monotonic() + self.startup_timeout
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    self.api("GET", "api/status", timeout=2)
                    atexit.register(self._kill_at_exit)  # also when a test run is interrupted
                    return self
                except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                    time.sleep(0.25)
            last_error = self.log_tail()
            self._terminate_group()
        self.stop()
        raise RuntimeError(f"JupyterLab did not start; its log ends with:\n{last_error}")

    def kernel_ids(self) -> list[str]:
        try:
            return [k["id"] for k in self.api("GET", "api/kernels")]
        except (urllib.error.URLError, OSError, ValueError):
            return []

    def shutdown_kernels(self) -> None:
        """Shut every kernel down through the REST API (sessions first, then kernels)."""
        try:
            for session in self.api("GET", "api/sessions"):
                self.api("DELETE", f"api/sessions/{session['id']}", timeout=20)
        except (urllib.error.URLError, OSError, ValueError):
            pass
        for kernel_id in self.kernel_ids():
            try:
                self.api("DELETE", f"api/kernels/{kernel_id}", timeout=20)
            except (urllib.error.URLError, OSError, ValueError):
                pass

    def _terminate_group(self, grace: float = 10.0) -> None:
        proc = self.proc
        if proc is None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                continue
            # The leader is gone; give its group a moment, then make sure it is empty.
            if not _group_members(proc.pid):
                break
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def survivors(self) -> list[tuple[int, str]]:
        """Processes still alive from this server: its group, or kernels using its runtime dir."""
        found = {}
        if self.proc is not None:
            for pid in _group_members(self.proc.pid):
                found[pid] = _cmdline(pid)
        if self.state_dir is not None:
            marker = str(self.state_dir)
            for pid, cmd in _all_processes():
                if marker in cmd and pid != os.getpid():
                    found[pid] = cmd
        return sorted(found.items())

    def _kill_at_exit(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.stop()

    def stop(self) -> list[tuple[int, str]]:
        """Stop kernels and server; kill stragglers. Returns what survived (should be [])."""
        if self.proc is not None and self.proc.poll() is None:
            self.shutdown_kernels()
        self._terminate_group()
        for pid, _cmd in self.survivors():  # kernels live in their own sessions
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while self.survivors() and time.monotonic() < deadline:
            time.sleep(0.1)
        left = self.survivors()
        if self.state_dir is not None and not left:
            shutil.rmtree(self.state_dir, ignore_errors=True)
        atexit.unregister(self._kill_at_exit)
        return left

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _cmdline(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def _all_processes():
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            pid = int(entry.name)
            if _is_zombie(pid):
                continue
            yield pid, _cmdline(pid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] in ("Z", "X")


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group is ``pgid`` (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


if __name__ == "__main__":  # python tests/browser/labserver.py [root]: try it by hand
    with LabServer(sys.argv[1] if len(sys.argv) > 1 else ".") as lab:
        print(lab.url("lab"), flush=True)
        try:
            while lab.proc.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
