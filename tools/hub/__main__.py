"""``python -m tools.hub``: prepare and start the course's JupyterHub on 127.0.0.1 (make hub).

    python -m tools.hub [--class FILE | --students "ada ben"] [--port 8000] [--state DIR]

Running it again while a hub from the same state folder runs restarts that hub: the old
one is stopped, the students' servers and the proxy keep running, and the new hub takes
them over, so nobody loses a running kernel or a file.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from tools import ROOT
from tools.hub import BRANCH, DEFAULT_CLASS, DEFAULT_STATE, HERE, prepare, read_class, stop_all


def stop_previous(pid_file: Path) -> None:
    """Stop the hub recorded in ``pid_file`` if it still runs (a restart), and wait for it."""
    try:
        pid = int(pid_file.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ValueError):
        return
    if b"jupyterhub" not in cmdline:
        return
    print(f"stopping the hub already running from this state folder (pid {pid})", flush=True)
    os.kill(pid, signal.SIGTERM)
    for _ in range(300):
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def die_with_parent() -> None:
    """Ask Linux to send SIGTERM when the parent (make) dies, so the hub never lingers."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class", dest="class_file", type=Path, default=DEFAULT_CLASS,
                        help="class list, one student user name a line")
    parser.add_argument("--students", default=os.environ.get("STUDENTS", ""),
                        help="student names separated by spaces (instead of --class)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("HUB_PORT", 8000)))
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE,
                        help="folder for the hub's database, secrets and course repository")
    parser.add_argument("--source", type=Path, default=ROOT,
                        help="git repository whose HEAD the students pull")
    parser.add_argument("--stop", action="store_true",
                        help="stop the hub, the proxy and every student's server, then exit")
    args = parser.parse_args(argv)
    if args.stop:
        stop_all(args.state.resolve())
        return 0
    students = args.students.split() or read_class(args.class_file)
    state = args.state.resolve()
    env = prepare(state, students, args.port, os.environ.get("CLASS_PASSWORD") or None,
                  args.source)
    pid_file = state / "hub.pid"
    stop_previous(pid_file)

    base = f"http://127.0.0.1:{args.port}"
    pull = f"{base}/hub/user-redirect/git-pull?" + urlencode({
        "repo": f"file://{env['COURSE_HUB_REPO']}", "branch": BRANCH, "targetpath": "course",
        "urlpath": "lab/tree/course/notebooks/00_start-here.ipynb"})
    print(f"""
The course's JupyterHub: {base}/hub/login  (127.0.0.1 only; Ctrl+C stops the hub)
  students ({len(students)}): {' '.join(students)}
  passwords:    {state / 'passwords.txt'}  (one 'name password' a line, root only)
  admin token:  {state / 'admin-token'}  (the instructor's API token)
  course link:  {pull}
  publish an update: git push --force {env['COURSE_HUB_REPO']} HEAD:{BRANCH}
""", flush=True)
    pid_file.write_text(str(os.getpid()))
    os.chdir(state)
    os.environ.update(env)
    die_with_parent()
    os.execv(sys.executable, [sys.executable, "-m", "jupyterhub",
                              "-f", str(HERE / "jupyterhub_config.py")])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
