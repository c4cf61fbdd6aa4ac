"""A student at the hub, driven through its REST APIs the way a browser drives it.

Used by the small class test (tests/hub/) and the 20-student load test
(benchmarks/hub_class.py): log in with a password, start the server, pull the course with
nbgitpuller, read and save notebooks through the contents API, and run a notebook cell by
cell over the kernel's websocket, comparing every output with the stored one as strict
nbval does (same skipped keys, same sanitising patterns, same tags).
"""

from __future__ import annotations

import configparser
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import requests
import websocket

from tools import ROOT

SANITIZE = ROOT / "tests" / "sanitize.cfg"
# the output keys strict nbval does not compare (nbval.plugin.IPyNbFile.skip_compare)
SKIP_COMPARE = {"metadata", "traceback", "prompt_number", "output_type", "name",
                "execution_count", "application/vnd.jupyter.widget-view+json",
                "image/png", "image/jpeg"}
CPU_PROBE = ("import resource as _r\n"
             "_s, _c = _r.getrusage(_r.RUSAGE_SELF), _r.getrusage(_r.RUSAGE_CHILDREN)\n"
             "print(_s.ru_utime + _s.ru_stime + _c.ru_utime + _c.ru_stime, _s.ru_maxrss)\n"
             "del _r, _s, _c")


class HubError(RuntimeError):
    """A request to the hub or a server failed."""


class KernelSocket:
    """A kernel's websocket as JupyterLab holds it: one client session id, and when the
    connection drops, a new connection with the same id, to which the server replays the
    messages it buffered meanwhile (jupyter_server buffers them per session id)."""

    def __init__(self, student: Student, kernel_id: str, timeout: float, tries: int = 5):
        self.session_id = uuid.uuid4().hex
        self.url = (student.server_url(f"api/kernels/{kernel_id}/channels")
                    .replace("http", "ws", 1) + f"?session_id={self.session_id}")
        self.header = [f"Authorization: token {student.token}"]
        self.timeout, self.tries = timeout, tries
        self.drops: list[str] = []  # why each connection ended early
        self.ws = websocket.create_connection(self.url, header=self.header, timeout=timeout)

    def reconnect(self, why: Exception) -> None:
        self.drops.append(f"{type(why).__name__}: {why}")
        if len(self.drops) > self.tries:
            raise HubError(f"the kernel's websocket dropped {len(self.drops)} times: "
                           f"{self.drops[-1]}") from why
        time.sleep(1)
        self.ws = websocket.create_connection(self.url, header=self.header,
                                              timeout=self.timeout)

    def send(self, data: str) -> None:
        try:
            self.ws.send(data)
        except (websocket.WebSocketException, OSError) as exc:
            self.reconnect(exc)
            self.ws.send(data)

    def recv(self) -> str:
        while True:
            try:
                return self.ws.recv()
            except websocket.WebSocketTimeoutException:
                raise
            except (websocket.WebSocketException, OSError) as exc:
                self.reconnect(exc)

    def close(self) -> None:
        self.ws.close()


def sanitize_patterns(path: Path = SANITIZE) -> list[tuple[str, str]]:
    """The regex/replacement pairs of tests/sanitize.cfg, as nbval reads them."""
    parser = configparser.ConfigParser()
    parser.read(path)
    return [(parser[s]["regex"], parser[s]["replace"]) for s in parser.sections()]


def comparable(outputs: list[dict], patterns: list[tuple[str, str]]) -> dict[str, list]:
    """Outputs as nbval compares them: streams of one name joined, ``\\r`` and ``\\b``
    applied, MIME data flattened, skipped keys dropped, every string sanitised."""
    import nbformat
    from nbval.plugin import coalesce_streams, transform_streams_for_comparison

    nodes = coalesce_streams([nbformat.from_dict(json.loads(json.dumps(o))) for o in outputs])
    flat: dict[str, list] = {}

    def clean(value):
        if isinstance(value, list):
            value = "".join(value)
        if isinstance(value, str):
            for regex, replace in patterns:
                value = re.sub(regex, replace, value)
        return value

    for out in transform_streams_for_comparison(nodes):
        for key, value in out.items():
            if key in SKIP_COMPARE:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in SKIP_COMPARE:
                        flat.setdefault(mime, []).append(clean(data))
            else:
                flat.setdefault(key, []).append(clean(value))
    return flat


@dataclass
class NotebookRun:
    """What running one notebook through a server's kernel gave."""

    path: str
    seconds: float = 0.0
    kernel_cpu: float = 0.0  # the kernel's own CPU seconds (user + system, with children)
    kernel_peak_kb: int = 0  # the kernel's peak resident memory
    cells: int = 0
    drops: list[str] = field(default_factory=list)  # websocket connections lost and resumed
    errors: list[str] = field(default_factory=list)  # cells that raised
    mismatches: list[str] = field(default_factory=list)  # cells whose outputs changed

    @property
    def ok(self) -> bool:
        return not self.errors and not self.mismatches


class Hub:
    """The hub at ``url`` (http://127.0.0.1:PORT)."""

    def __init__(self, url: str, admin_token: str | None = None, timeout: float = 60):
        self.url = url.rstrip("/")
        self.admin_token = admin_token
        self.timeout = timeout

    def api(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = {"Authorization": f"token {token}"} if token else {}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers,
                                timeout=self.timeout, **kwargs)

    def up(self) -> bool:
        try:
            return self.api("GET", "/").status_code == 200
        except requests.RequestException:
            return False

    def wait_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not self.up():
            if time.monotonic() > deadline:
                raise HubError(f"the hub at {self.url} did not answer within {seconds} s")
            time.sleep(0.3)

    def login(self, name: str, password: str) -> Student:
        """Log in with a password through the REST API; the token it gets is the student's."""
        r = self.api("POST", f"/users/{name}/tokens",
                     json={"auth": {"username": name, "password": password},
                           "note": "course client"})
        if r.status_code != 201:
            raise HubError(f"login of {name} failed: {r.status_code} {r.text[:200]}")
        return Student(self, name, r.json()["token"])


class Student:
    """One student: their name and API token, and the calls their browser makes."""

    def __init__(self, hub: Hub, name: str, token: str):
        self.hub, self.name, self.token = hub, name, token
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    # --- the hub -------------------------------------------------------------------
    def model(self) -> dict:
        r = self.hub.api("GET", f"/users/{self.name}", self.token)
        if r.status_code != 200:
            raise HubError(f"{self.name}: GET user {r.status_code}")
        return r.json()

    def ready(self) -> bool:
        server = self.model().get("servers", {}).get("", {})
        return bool(server.get("ready"))

    def reachable(self) -> bool:
        """The server answers through the proxy with this student's token."""
        try:
            return self.get("api/status").status_code == 200
        except requests.RequestException:
            return False

    def start(self, wait: float = 300) -> float:
        """Start the student's server and wait until it answers; return the seconds taken.

        The hub answers 400 while it still believes a killed server runs; it polls the
        process on each request, so asking again a moment later starts a new one."""
        t0 = time.monotonic()
        while True:
            r = self.hub.api("POST", f"/users/{self.name}/server", self.token)
            if r.status_code in (201, 202) or (r.status_code == 400 and self.reachable()):
                break
            if r.status_code != 400:
                raise HubError(f"{self.name}: start gave {r.status_code} {r.text[:200]}")
            if time.monotonic() - t0 > wait:
                raise HubError(f"{self.name}: the hub still says the server runs, but it "
                               "does not answer")
            time.sleep(1)
        while not (self.ready() and self.reachable()):  # ready in the hub, then via the proxy
            if time.monotonic() - t0 > wait:
                raise HubError(f"{self.name}: server not ready after {wait} s")
            time.sleep(0.3)
        return time.monotonic() - t0

    def stop(self) -> None:
        self.hub.api("DELETE", f"/users/{self.name}/server", self.token)
        for _ in range(120):
            if not self.model().get("servers"):
                return
            time.sleep(0.5)

    # --- the student's server --------------------------------------------------------
    def server_url(self, path: str = "") -> str:
        return f"{self.hub.url}/user/{quote(self.name)}/{path}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.server_url(path), timeout=self.hub.timeout, **kwargs)

    def pull(self, repo: str, branch: str = "main", target: str = "course") -> list[str]:
        """nbgitpuller's API (what its link's page calls): clone on first use, merge later."""
        query = urlencode({"repo": repo, "branch": branch, "targetpath": target})
        r = self.session.get(self.server_url(f"git-pull/api?{query}"), stream=True,
                             timeout=300)
        if r.status_code != 200:
            raise HubError(f"{self.name}: git-pull gave {r.status_code}")
        lines = []
        for raw in r.iter_lines(decode_unicode=True):
            if not raw or not raw.startswith("data:"):
                continue
            event = json.loads(raw[5:])
            lines.append(event.get("output", "").rstrip())
            if event.get("phase") == "error":
                raise HubError(f"{self.name}: pull failed: {event.get('message')}")
            if event.get("phase") == "finished":
                return lines
        raise HubError(f"{self.name}: pull stream ended without 'finished'")

    def read(self, path: str) -> dict:
        """A file through the contents API (a notebook comes back as its JSON)."""
        r = self.get(f"api/contents/{quote(path)}?content=1")
        if r.status_code != 200:
            raise HubError(f"{self.name}: GET {path} gave {r.status_code}")
        return r.json()["content"]

    def save_notebook(self, path: str, nb: dict) -> None:
        r = self.session.put(self.server_url(f"api/contents/{quote(path)}"),
                             json={"type": "notebook", "format": "json", "content": nb},
                             timeout=self.hub.timeout)
        if r.status_code not in (200, 201):
            raise HubError(f"{self.name}: saving {path} gave {r.status_code} {r.text[:200]}")

    def run_notebook(self, path: str, timeout: float = 900) -> NotebookRun:
        """Run every code cell of the stored notebook at ``path`` in a new kernel, as
        JupyterLab does (a session for the notebook, then execute requests over the kernel's
        websocket), and compare each cell's outputs with the stored ones."""
        nb = self.read(path)
        result = NotebookRun(path)
        patterns = sanitize_patterns()
        t0 = time.monotonic()
        r = self.session.post(self.server_url("api/sessions"), timeout=self.hub.timeout,
                              json={"path": path, "type": "notebook", "name": Path(path).name,
                                    "kernel": {"name": "python3"}})
        if r.status_code != 201:
            raise HubError(f"{self.name}: new session for {path} gave {r.status_code}")
        session_id, kernel_id = r.json()["id"], r.json()["kernel"]["id"]
        ws = KernelSocket(self, kernel_id, timeout)
        try:
            for index, cell in enumerate(nb["cells"]):
                if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
                    continue
                tags = set(cell.get("metadata", {}).get("tags", []))
                if "nbval-skip" in tags:
                    continue
                result.cells += 1
                outputs = execute(ws, "".join(cell["source"]), timeout)
                label = f"{path} cell {index}"
                if any(o["output_type"] == "error" for o in outputs):
                    if "raises-exception" not in tags:
                        err = next(o for o in outputs if o["output_type"] == "error")
                        result.errors.append(f"{label}: {err['ename']}: {err['evalue']}")
                    continue
                if "nbval-ignore-output" in tags:
                    continue
                if comparable(outputs, patterns) != comparable(cell.get("outputs", []),
                                                               patterns):
                    result.mismatches.append(label)
            probe = execute(ws, CPU_PROBE, timeout, store_history=False)
            text = "".join(o.get("text", "") for o in probe if o["output_type"] == "stream")
            cpu, peak = text.split()
            result.kernel_cpu, result.kernel_peak_kb = float(cpu), int(peak)
        finally:
            ws.close()
            result.drops = ws.drops
            self.session.delete(self.server_url(f"api/sessions/{session_id}"),
                                timeout=self.hub.timeout)
        result.seconds = time.monotonic() - t0
        return result


def run_code_in(student: Student, code: str, timeout: float = 120) -> list[dict]:
    """Run ``code`` in a new kernel of ``student``'s server (its folder: their home)."""
    r = student.session.post(student.server_url("api/kernels"), json={"name": "python3"},
                             timeout=student.hub.timeout)
    if r.status_code != 201:
        raise HubError(f"{student.name}: new kernel gave {r.status_code}")
    kernel_id = r.json()["id"]
    ws = KernelSocket(student, kernel_id, timeout)
    try:
        return execute(ws, code, timeout)
    finally:
        ws.close()
        student.session.delete(student.server_url(f"api/kernels/{kernel_id}"),
                               timeout=student.hub.timeout)


def text_of(outputs: list[dict]) -> str:
    """Everything a cell printed (streams, results, errors) as one string."""
    parts = []
    for o in outputs:
        parts.append(o.get("text", ""))
        parts.append(o.get("data", {}).get("text/plain", ""))
        if o["output_type"] == "error":
            parts.append(f"{o['ename']}: {o['evalue']}")
    return "".join(parts)


def execute(ws: KernelSocket, code: str, timeout: float,
            store_history: bool = True) -> list[dict]:
    """Send one execute_request over a kernel websocket; return the outputs it produced,
    in nbformat's shape, once the kernel is idle again and the reply has arrived."""
    msg_id = uuid.uuid4().hex
    ws.send(json.dumps({
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "student",
                   "session": ws.session_id, "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": store_history,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }))
    outputs: list[dict] = []
    idle = replied = False
    clear_pending = False
    deadline = time.monotonic() + timeout
    while not (idle and replied):
        if time.monotonic() > deadline:
            raise HubError(f"no answer from the kernel within {timeout} s")
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["header"]["msg_type"], msg["content"]
        if msg["channel"] == "shell" and kind == "execute_reply":
            replied = True
            continue
        if kind == "status":
            idle = content["execution_state"] == "idle"
            continue
        if kind == "clear_output":
            if content.get("wait"):
                clear_pending = True
            else:
                outputs.clear()
            continue
        if kind in ("stream", "display_data", "execute_result", "error") and clear_pending:
            outputs.clear()
            clear_pending = False
        if kind == "stream":
            outputs.append({"output_type": "stream", "name": content["name"],
                            "text": content["text"]})
        elif kind in ("display_data", "execute_result"):
            out = {"output_type": kind, "data": content["data"],
                   "metadata": content.get("metadata", {})}
            if kind == "execute_result":
                out["execution_count"] = content.get("execution_count")
            if content.get("transient", {}).get("display_id"):
                out["_display_id"] = content["transient"]["display_id"]
            outputs.append(out)
        elif kind == "update_display_data":
            display_id = content.get("transient", {}).get("display_id")
            for out in outputs:
                if out.get("_display_id") == display_id:
                    out["data"] = content["data"]
        elif kind == "error":
            outputs.append({"output_type": "error", "ename": content["ename"],
                            "evalue": content["evalue"], "traceback": content["traceback"]})
    return [{k: v for k, v in o.items() if k != "_display_id"} for o in outputs]
