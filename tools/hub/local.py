"""A throw-away class on this machine for the hub tests and the load test.

``LocalHub`` runs ``python -m tools.hub`` (what ``make hub`` runs) for a class of system
users it creates, in a state folder of its own, on ports of its own, and removes all of it
afterwards: the hub, the proxy, every student's processes (by process id), the users and
their homes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools import ROOT
from tools.hub import publish_course, remove_student, user_processes
from tools.hub.client import Hub, HubError, Student


def free_port_block(size: int = 3) -> int:
    """A port p with p .. p+size-1 all free on 127.0.0.1 (hub, proxy API, hub API)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + size >= 65535:
            continue
        try:
            for offset in range(size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port + offset))
        except OSError:
            continue
        return port
    raise RuntimeError("no free block of ports on 127.0.0.1")


class LocalHub:
    """A hub for ``students`` (system user names this class creates and removes)."""

    def __init__(self, students: list[str], log: Path | None = None):
        self.students = list(students)
        self.port = free_port_block()
        self.dir = Path(tempfile.mkdtemp(prefix="course-hub-"))
        self.dir.chmod(0o755)
        self.state = self.dir / "state"
        self.source = self.dir / "instructor"  # the instructor's clone: updates come from here
        self.log_path = log or self.dir / "hub.log"
        self.proc: subprocess.Popen | None = None
        self.hub = Hub(f"http://127.0.0.1:{self.port}")

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> None:
        for name in self.students:  # a previous run that crashed may have left them
            remove_student(name)
        if not self.source.exists():
            subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT),
                            str(self.source)], check=True)
            for key, value in (("user.name", "Instructor"), ("user.email", "instructor@localhost")):
                subprocess.run(["git", "-C", str(self.source), "config", key, value], check=True)
        self.launch()
        self.hub.admin_token = (self.state / "admin-token").read_text().strip()

    def launch(self) -> None:
        """Run the launcher, as ``make hub`` does, and wait until the hub answers."""
        log = open(self.log_path, "a")
        env = {k: v for k, v in os.environ.items() if not k.startswith("COURSE_HUB_")}
        env.pop("CLASS_PASSWORD", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tools.hub", "--students", " ".join(self.students),
             "--port", str(self.port), "--state", str(self.state), "--source", str(self.source)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 300
        while not self.hub.up():
            if self.proc.poll() is not None:
                raise HubError(f"the hub exited with {self.proc.returncode}; see {self.log_path}")
            if time.monotonic() > deadline:
                raise HubError(f"the hub did not start; see {self.log_path}")
            time.sleep(0.3)

    def stop_hub(self) -> None:
        """Stop the hub process only (SIGTERM), as an admin's restart does."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(60)

    def restart(self) -> float:
        """Stop the hub and start it again from the same state; return the seconds it was away."""
        t0 = time.monotonic()
        self.stop_hub()
        self.launch()
        return time.monotonic() - t0

    def close(self) -> None:
        """Remove everything: hub, proxy, the students' processes, users and homes."""
        self.stop_hub()
        pid_file = self.state / "proxy.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            except (ProcessLookupError, ValueError):
                pass
        for name in self.students:
            remove_student(name)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> LocalHub:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the class -----------------------------------------------------------------------
    def passwords(self) -> dict[str, str]:
        lines = (self.state / "passwords.txt").read_text().splitlines()
        return dict(line.split(maxsplit=1) for line in lines if line.strip())

    def login(self, name: str) -> Student:
        return self.hub.login(name, self.passwords()[name])

    @property
    def repo_url(self) -> str:
        """The link students pull from (nbgitpuller's ``repo=``)."""
        return f"file://{self.state / 'course.git'}"

    def publish(self) -> None:
        """Push the instructor's committed updates to the repository students pull from."""
        publish_course(self.state, self.source)

    def server_pid(self, name: str) -> int:
        """The process id of the student's single-user server."""
        for pid in user_processes(name):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"jupyterhub.singleuser" in cmd:
                return pid
        raise HubError(f"no server process for {name}")

    def kill_server(self, name: str) -> None:
        """Kill the student's server process with SIGKILL, as a crash would."""
        os.kill(self.server_pid(name), signal.SIGKILL)


def listening_addresses(ports: set[int]) -> dict[int, str]:
    """The local address each listening TCP socket on ``ports`` is bound to (from /proc)."""
    found = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            fields = line.split()
            address, port = fields[1].split(":")
            if fields[3] != "0A" or int(port, 16) not in ports:  # 0A: LISTEN
                continue
            if len(address) == 8:
                ip = ".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0))
            else:
                ip = "::1" if address == "0" * 24 + "01000000" else address
            found[int(port, 16)] = ip
    return found


def server_port(url: str) -> int:
    """The port of a server URL such as http://127.0.0.1:41234/user/ada/."""
    return int(re.search(r":(\d+)/", url).group(1))
