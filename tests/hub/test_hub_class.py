"""A class of three on a real JupyterHub (``make test-hub``): logins kept apart, the course
copied and updated by nbgitpuller, notebooks run through the servers' kernel API with their
stored outputs reproduced, and nothing lost when a server is killed or the hub restarts.
"""

from __future__ import annotations

import json
import os
import pwd
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tools import course_notebooks
from tools.hub.client import HubError, comparable, run_code_in, sanitize_patterns, text_of
from tools.hub.local import listening_addresses

pytestmark = pytest.mark.hub

NOTEBOOKS = [f"course/notebooks/{p.name}" for p in course_notebooks()]
DENIED = (403, 404)


def test_each_student_logs_in_with_their_own_password(class_hub):
    words = class_hub.passwords()
    first, second = list(words)[:2]
    assert words[first] != words[second]
    with pytest.raises(HubError, match="403"):
        class_hub.hub.login(first, words[second])  # someone else's password
    with pytest.raises(HubError, match="403"):
        class_hub.hub.login("root", words[first])  # not on the class list
    student = class_hub.login(first)
    assert student.model()["admin"] is False


def test_an_unauthenticated_request_gets_nothing(class_hub, students):
    name = students[0].name
    hub = class_hub.hub.url
    for url in (f"{hub}/hub/api/users", f"{hub}/hub/api/users/{name}",
                f"{hub}/user/{name}/api/contents/course",
                f"{hub}/user/{name}/files/course/README.md",
                f"{hub}/user/{name}/api/kernels"):
        r = requests.get(url, allow_redirects=False, timeout=30)
        assert r.status_code in (302, 403, 404), url
        assert "README" not in r.text and "notebooks" not in r.text, url
        if r.status_code == 302:  # a browser is sent to the hub to log in (OAuth)
            assert r.headers["Location"].startswith("/hub/"), r.headers["Location"]
    r = requests.post(f"{hub}/hub/api/users/{name}/server", timeout=30)
    assert r.status_code == 403


def test_a_students_token_cannot_open_another_students_server(class_hub, students):
    owner, other = students[0], students[1]
    hub = class_hub.hub
    # the other student's token, used on the owner's server and the owner's hub records
    for path in ("api/contents/course", f"api/contents/{NOTEBOOKS[1]}", "api/kernels",
                 "api/sessions", "files/course/README.md", "lab"):
        r = other.session.get(owner.server_url(path), allow_redirects=False, timeout=30)
        assert r.status_code in DENIED, path
    r = other.session.post(owner.server_url("api/kernels"), json={"name": "python3"},
                           timeout=30)
    assert r.status_code in DENIED
    for method, path in (("GET", f"/users/{owner.name}"), ("POST", f"/users/{owner.name}/server"),
                         ("DELETE", f"/users/{owner.name}/server"),
                         ("POST", f"/users/{owner.name}/tokens"), ("GET", "/users")):
        r = hub.api(method, path, other.token)
        assert r.status_code in DENIED, (method, path)
    assert owner.reachable()  # the owner's server was not stopped by any of that


def test_each_server_runs_as_its_student_in_a_home_no_one_else_can_read(class_hub, students):
    owner, other = students[0], students[1]
    for student in students:
        account = pwd.getpwnam(student.name)
        assert os.stat(f"/proc/{class_hub.server_pid(student.name)}").st_uid == account.pw_uid
        home = Path(account.pw_dir)
        assert home.stat().st_uid == account.pw_uid and home.stat().st_mode & 0o077 == 0
    target = Path(pwd.getpwnam(owner.name).pw_dir) / NOTEBOOKS[1]
    assert target.exists()
    out = text_of(run_code_in(other, "import getpass, os\n"
                                     f"print(getpass.getuser(), os.getcwd())\n"
                                     f"open({str(target)!r}).read()"))
    assert f"{other.name} {pwd.getpwnam(other.name).pw_dir}" in out
    assert "PermissionError" in out


def test_the_hub_proxy_and_servers_listen_on_loopback_only(class_hub, students):
    pids = {class_hub.proc.pid, int((class_hub.state / "proxy.pid").read_text())}
    pids |= {class_hub.server_pid(s.name) for s in students}
    ports = set()
    for pid in pids:
        ports |= socket_ports(pid)
    assert {class_hub.port, class_hub.port + 1, class_hub.port + 2} <= ports
    addresses = listening_addresses(ports)
    assert len(addresses) >= len(students) + 3
    assert set(addresses.values()) <= {"127.0.0.1", "::1"}, addresses


def socket_ports(pid: int) -> set[int]:
    """The TCP ports process ``pid`` listens on (its socket inodes, looked up in /proc/net)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:
                ports.add(int(fields[1].split(":")[1], 16))
    return ports


def test_every_student_runs_a_notebook_and_reproduces_its_stored_outputs(students):
    picks = [NOTEBOOKS[i % len(NOTEBOOKS)] for i in range(1, len(students) + 1)]
    with ThreadPoolExecutor(len(students)) as pool:
        runs = list(pool.map(lambda sp: sp[0].run_notebook(sp[1]), zip(students, picks, strict=True)))
    for run in runs:
        assert run.cells > 0
        assert run.ok, (run.path, run.errors, run.mismatches)


def test_the_comparison_notices_a_changed_output():
    patterns = sanitize_patterns()
    stored = [{"output_type": "stream", "name": "stdout", "text": "x = 3\n"},
              {"output_type": "execute_result", "execution_count": 4, "metadata": {},
               "data": {"text/plain": "array([1, 2])", "image/png": "abc"}}]
    same = [{"output_type": "stream", "name": "stdout", "text": "x = "},
            {"output_type": "stream", "name": "stdout", "text": "3\n"},
            {"output_type": "execute_result", "execution_count": 9, "metadata": {},
             "data": {"text/plain": "array([1, 2])", "image/png": "other"}}]
    assert comparable(same, patterns) == comparable(stored, patterns)
    changed = json.loads(json.dumps(same))
    changed[2]["data"]["text/plain"] = "array([1, 3])"
    assert comparable(changed, patterns) != comparable(stored, patterns)


def test_a_pull_brings_the_instructors_update_and_keeps_the_students_edit(class_hub, students):
    editor, other = students[2], students[0]
    path = NOTEBOOKS[1]
    nb = editor.read(path)
    mine = next(i for i, c in enumerate(nb["cells"])
                if c["cell_type"] == "markdown" and "navigation" not in c["metadata"].get("tags", []))
    theirs = len(nb["cells"]) - 2  # far from the student's cell: git merges it cleanly
    nb["cells"][mine]["source"] = "My own notes, which no pull may overwrite.\n"
    editor.save_notebook(path, nb)

    # the instructor changes the same cell and another one, adds a file, and publishes
    local = class_hub.source / "notebooks" / Path(path).name
    theirs_nb = json.loads(local.read_text())
    theirs_nb["cells"][mine]["source"] = ["The instructor rewrote this cell.\n"]
    theirs_nb["cells"][theirs]["source"] = ["An update from the instructor.\n"]
    local.write_text(json.dumps(theirs_nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    (class_hub.source / "notebooks" / "ERRATA.md").write_text("Errata for this week.\n")
    git = ["git", "-C", str(class_hub.source)]
    import subprocess

    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "--quiet", "-m", "Update for week 2"], check=True)
    class_hub.publish()

    editor.pull(class_hub.repo_url)
    other.pull(class_hub.repo_url)
    merged, untouched = editor.read(path), other.read(path)
    assert "".join(merged["cells"][mine]["source"]) == "My own notes, which no pull may overwrite.\n"
    assert "".join(merged["cells"][theirs]["source"]) == "An update from the instructor.\n"
    assert "".join(untouched["cells"][mine]["source"]) == "The instructor rewrote this cell.\n"
    for student in (editor, other):
        assert student.read("course/notebooks/ERRATA.md") == "Errata for this week.\n"


def wait_for_kernel(student, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        r = student.get("api/kernels")
        if r.status_code == 200 and r.json():
            return
        time.sleep(0.2)
    raise AssertionError(f"{student.name} never started a kernel")


def edit(student, path: str, note: str) -> None:
    nb = student.read(path)
    nb["cells"].append({"cell_type": "markdown", "metadata": {"tags": ["mywork"]},
                        "source": note, "id": uuid.uuid4().hex[:8]})
    student.save_notebook(path, nb)


def test_killing_one_server_mid_run_loses_nothing(class_hub, students):
    victim, others = students[0], students[1:]
    path = NOTEBOOKS[-1]
    edit(victim, path, f"{victim.name} was here before the crash.")
    results: dict[str, object] = {}

    def run(student, nb):
        try:
            results[student.name] = student.run_notebook(nb)
        except Exception as exc:  # the victim's run dies with its server
            results[student.name] = exc

    threads = [threading.Thread(target=run, args=(victim, path))]
    threads += [threading.Thread(target=run, args=(s, NOTEBOOKS[2])) for s in others]
    for t in threads:
        t.start()
    wait_for_kernel(victim)
    class_hub.kill_server(victim.name)
    for t in threads:
        t.join(600)
    for student in others:
        assert results[student.name].ok, results[student.name]
    assert not getattr(results[victim.name], "ok", False)

    victim.start()  # the student starts again
    notes = [c for c in victim.read(path)["cells"] if "mywork" in c["metadata"].get("tags", [])]
    assert notes and "".join(notes[0]["source"]) == f"{victim.name} was here before the crash."
    rerun = victim.run_notebook(NOTEBOOKS[0])
    assert rerun.ok, rerun


def test_restarting_the_hub_mid_run_loses_nothing(class_hub, students):
    runner = students[1]
    path = NOTEBOOKS[3]
    for student in students:
        edit(student, NOTEBOOKS[0], f"{student.name}: my work before the restart.")
    servers = {s.name: class_hub.server_pid(s.name) for s in students}
    results = {}
    thread = threading.Thread(target=lambda: results.setdefault("run", runner.run_notebook(path)))
    thread.start()
    wait_for_kernel(runner)
    class_hub.restart()
    thread.join(600)
    assert results["run"].ok, results["run"]  # the open notebook kept running meanwhile
    for student in students:
        assert class_hub.server_pid(student.name) == servers[student.name]  # servers survived
        assert student.ready() and student.reachable()  # old token still valid
        again = class_hub.login(student.name)  # and a fresh login works
        assert again.reachable()
        cells = again.read(NOTEBOOKS[0])["cells"]
        assert any("".join(c["source"]) == f"{student.name}: my work before the restart."
                   for c in cells)
