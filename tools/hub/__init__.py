"""Serve the course to a class on a real JupyterHub: ``make hub`` (``python -m tools.hub``).

Everything a local hub needs is prepared here, inside the project, and nothing is installed
globally: the proxy from npm (``package.json``) into ``.venv/hub-node``, a Python the
students' accounts may run, a bare copy of the course's git history for nbgitpuller, one
system user with a password per student, and an instructor's API token. The hub itself is
configured by ``jupyterhub_config.py`` next to this file, which reads what is prepared here
from environment variables named ``COURSE_HUB_*``.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from tools import ROOT

HERE = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
NODE_DIR = VENV / "hub-node"
PROXY = NODE_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
STUDENT_PYTHON_DIR = VENV / "hub" / "python"
DEFAULT_STATE = VENV / "hub" / "state"
DEFAULT_CLASS = HERE / "class.txt"
BRANCH = "main"  # the branch of the served course repository that students pull


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command, raising with its output when it fails."""
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def install_proxy() -> Path:
    """``npm ci`` configurable-http-proxy, pinned in package-lock.json, into .venv/hub-node."""
    stamp = NODE_DIR / ".installed"
    lock = HERE / "package-lock.json"
    if PROXY.exists() and stamp.exists() and stamp.read_text() == lock.read_text():
        return PROXY
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("make hub needs npm (Node.js) for configurable-http-proxy; install "
                         "Node.js 18 or newer and run make hub again")
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(HERE / name, NODE_DIR / name)
    run([npm, "ci", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=NODE_DIR)
    stamp.write_text(lock.read_text())
    return PROXY


def process_running(pid_file: Path, marker: bytes) -> int | None:
    """The process id in ``pid_file`` if that process runs and its command line has ``marker``."""
    try:
        pid = int(pid_file.read_text())
        if marker in Path(f"/proc/{pid}/cmdline").read_bytes():
            return pid
    except (FileNotFoundError, ValueError):
        pass
    return None


def ensure_proxy(state: Path, port: int) -> int:
    """Start configurable-http-proxy on 127.0.0.1 unless it already runs; return its pid.

    The proxy runs apart from the hub (in a session of its own, its pid in ``proxy.pid``),
    so that restarting the hub leaves every student's open connection alone: a hub that
    starts its own proxy replaces it on restart and drops them.
    """
    pid_file = state / "proxy.pid"
    pid = process_running(pid_file, b"configurable-http-proxy")
    if pid:
        return pid
    env = dict(os.environ, CONFIGPROXY_AUTH_TOKEN=(state / "proxy-token").read_text().strip())
    log = open(state / "proxy.log", "a")
    proc = subprocess.Popen(
        [str(install_proxy()), "--ip", "127.0.0.1", "--port", str(port),
         "--api-ip", "127.0.0.1", "--api-port", str(port + 1),
         "--error-target", f"http://127.0.0.1:{port + 2}/hub/error"],
        env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True)
    pid_file.write_text(str(proc.pid))
    return proc.pid


def stop_all(state: Path) -> None:
    """``make hub-stop``: stop the hub, the proxy and every student's server (by process id)."""
    import signal

    for name, marker in (("hub.pid", b"jupyterhub"), ("proxy.pid", b"configurable-http-proxy")):
        pid = process_running(state / name, marker)
        if pid:
            os.kill(pid, signal.SIGTERM)
    words = state / "passwords.txt"
    names = [line.split()[0] for line in words.read_text().splitlines()] if words.exists() else []
    for name in names:
        if not user_exists(name):
            continue
        for pid in user_processes(name):
            try:
                if b"jupyterhub.singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGTERM)
            except (FileNotFoundError, ProcessLookupError):
                pass


def world_usable(path: Path) -> bool:
    """True when any account may reach ``path``: every folder above it is searchable by others."""
    path = Path(os.path.realpath(path))
    for folder in [path, *path.parents]:
        if folder.is_dir() and not folder.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def course_site_packages() -> Path:
    """The site-packages folder of the project's .venv (the course environment)."""
    found = sorted(VENV.glob("lib/python3*/site-packages"))
    if not found:
        raise SystemExit("no .venv found; run make setup-dev first")
    return found[0]


def student_python() -> Path:
    """A Python interpreter the students' accounts can run, seeing the course .venv's packages.

    The .venv's own interpreter is used when students can reach it. When its base Python lives
    somewhere private (pyenv under /root, say), that base is copied once, without its own
    packages, into .venv/hub/python, and a ``.pth`` file there adds the .venv's site-packages:
    the same interpreter version and the same course packages, readable by every student.
    The copy loads its own libpython through LD_LIBRARY_PATH (the binary's RUNPATH names the
    private folder, and the system's libpython would be found instead).
    """
    base = Path(os.path.realpath(VENV / "bin" / "python"))
    if world_usable(base):
        return VENV / "bin" / "python"
    prefix = base.parent.parent
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    target = STUDENT_PYTHON_DIR
    stamp = target / ".copied-from"
    if not (stamp.exists() and stamp.read_text() == str(prefix)):
        if target.exists():
            shutil.rmtree(target)
        skip = shutil.ignore_patterns("site-packages", "test", "tests", "idle_test", "__pycache__")
        shutil.copytree(prefix / "bin", target / "bin", symlinks=True)
        (target / "lib").mkdir()
        for item in (prefix / "lib").iterdir():
            if item.name.startswith("libpython"):
                shutil.copy2(item, target / "lib" / item.name, follow_symlinks=False)
        shutil.copytree(prefix / "lib" / version, target / "lib" / version,
                        symlinks=True, ignore=skip)
        (target / "lib" / version / "site-packages").mkdir()
        pth = target / "lib" / version / "site-packages" / "course-venv.pth"
        pth.write_text(f"import site; site.addsitedir({str(course_site_packages())!r})\n")
        make_readable(target)
        stamp.write_text(str(prefix))  # last: a copy cut short is made again next time
    return target / "bin" / version


def publish_course(state: Path, source: Path = ROOT) -> Path:
    """Push the project's committed HEAD to ``state/course.git`` (bare), the repository that
    nbgitpuller clones and pulls from; students get read access only."""
    repo = state / "course.git"
    if not (repo / "HEAD").exists():
        run(["git", "init", "--quiet", "--bare", f"--initial-branch={BRANCH}", str(repo)])
    run(["git", "-C", str(source), "push", "--quiet", "--force", str(repo), f"HEAD:{BRANCH}"])
    make_readable(repo)
    # git refuses a repository another account owns; only system or global configuration may
    # say otherwise, so the servers get a system file (GIT_CONFIG_SYSTEM) trusting this one
    (state / "gitconfig").write_text(
        f"[include]\n\tpath = /etc/gitconfig\n[safe]\n\tdirectory = {repo}\n")
    (state / "gitconfig").chmod(0o644)
    return repo


def make_readable(folder: Path) -> None:
    """Give every account read access to ``folder`` (and search access to its folders)."""
    run(["chmod", "-R", "a+rX", str(folder)])


def read_class(path: Path) -> list[str]:
    """Student user names from a class list: one a line, ``#`` starts a comment."""
    names = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if name:
            names.append(name)
    return names


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def ensure_student(name: str, password: str) -> None:
    """Create the system user ``name`` with a home of its own (mode 700) and set its password."""
    if not user_exists(name):
        run(["useradd", "--create-home", "--shell", "/bin/bash",
             "--comment", "course student", name])
    home = Path(pwd.getpwnam(name).pw_dir)
    home.chmod(0o700)  # other students cannot list or read it
    run(["chpasswd"], input=f"{name}:{password}\n")


def remove_student(name: str) -> None:
    """Stop every process of ``name`` (by process id) and delete the user and their home."""
    import time

    for _ in range(50):  # userdel refuses while the user still has processes
        if not user_exists(name):
            return
        kill_user_processes(name)
        time.sleep(0.2)
        if subprocess.run(["userdel", "--remove", name], capture_output=True).returncode in (0, 6):
            return  # 6: no such user (removed meanwhile)
    raise RuntimeError(f"could not remove the user {name}")


def user_processes(name: str) -> list[int]:
    """Process ids owned by the user ``name``."""
    uid = pwd.getpwnam(name).pw_uid
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    pids.append(int(entry.name))
            except FileNotFoundError:
                continue
    return pids


def kill_user_processes(name: str) -> None:
    import signal

    for pid in user_processes(name):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def passwords(state: Path, names: list[str], fixed: str | None = None) -> dict[str, str]:
    """One password per student, kept in ``state/passwords.txt`` (root only, mode 600).

    ``fixed`` (the CLASS_PASSWORD variable) gives every student the same password, for a demo.
    """
    path = state / "passwords.txt"
    known = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                name, word = line.split(maxsplit=1)
                known[name] = word
    for name in names:
        if fixed:
            known[name] = fixed
        else:
            known.setdefault(name, secrets.token_urlsafe(9))
    path.write_text("".join(f"{n} {known[n]}\n" for n in names))
    path.chmod(0o600)
    return {n: known[n] for n in names}


def admin_token(state: Path, name: str = "admin-token") -> str:
    """The instructor's API token (``state/admin-token``, mode 600), made once; also the
    hub's token for its proxy (``proxy-token``), kept so that a restarted hub finds the proxy."""
    path = state / name
    if not path.exists():
        path.write_text(secrets.token_hex(32) + "\n")
    path.chmod(0o600)
    return path.read_text().strip()


def hub_environment(state: Path, students: list[str], port: int) -> dict[str, str]:
    """The variables jupyterhub_config.py reads."""
    python = student_python()
    # the copied interpreter finds its libpython through this, not the private original's path
    libs = str(STUDENT_PYTHON_DIR / "lib") if python.is_relative_to(STUDENT_PYTHON_DIR) else ""
    return {
        "COURSE_HUB_LIBRARY_PATH": libs,
        "COURSE_HUB_STATE": str(state),
        "COURSE_HUB_PORT": str(port),
        "COURSE_HUB_STUDENTS": " ".join(students),
        "COURSE_HUB_PYTHON": str(python),
        "COURSE_HUB_VENV": str(VENV),
        "COURSE_HUB_REPO": str(state / "course.git"),
    }


def prepare(state: Path, students: list[str], port: int, password: str | None = None,
            source: Path = ROOT) -> dict[str, str]:
    """Everything the hub needs before it starts; returns the environment for jupyterhub."""
    if os.geteuid() != 0:
        raise SystemExit("make hub runs each student's server as that student's system user, "
                         "which needs root (the hub runs as root, like a university's hub)")
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o755)  # students read course.git; the secrets inside are mode 600
    words = passwords(state, students, password)
    for name in students:
        ensure_student(name, words[name])
    admin_token(state)
    admin_token(state, "proxy-token")
    publish_course(state, source)
    env = hub_environment(state, students, port)
    ensure_proxy(state, port)
    return env
