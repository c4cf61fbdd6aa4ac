"""Fixtures for the hub tests (``make test-hub``: ``pytest -m hub tests/hub``).

One real JupyterHub per run (:class:`tools.hub.local.LocalHub`, started the way ``make hub``
starts it) for a class of three system users the fixture creates, and removes afterwards
with their homes and processes. The hub runs each student's server as that student, so the
tests need root; without it they are skipped with the reason, except under ``CI=true``,
where that is a failure. ``make test`` leaves them out (they run in ``make test-hub``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CLASS = ["nnhub-t1", "nnhub-t2", "nnhub-t3"]  # prefixed so that no real account is touched


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_requirement() -> str | None:
    """Why a real hub cannot run here (None when it can)."""
    if os.geteuid() != 0:
        return ("HUB TESTS SKIPPED: they create system users and run each student's server as "
                "that user, which needs root (run `sudo make test-hub`, or in a container)")
    for tool in ("useradd", "userdel", "chpasswd", "git", "npm"):
        if shutil.which(tool) is None:
            return f"HUB TESTS SKIPPED: `{tool}` is missing"
    return None


def pytest_collection_modifyitems(config, items):
    """Keep the hub tests out of runs that did not ask for them with ``-m hub``."""
    if "hub" in (config.option.markexpr or ""):
        return
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.path)).parents]
    if ours:
        items[:] = [item for item in items if item not in ours]
        config.hook.pytest_deselected(items=ours)


@pytest.fixture(scope="session")
def class_hub():
    """A running hub for CLASS; fails under CI, skips elsewhere, when it cannot run."""
    problem = missing_requirement()
    if problem is not None:
        if in_ci():
            pytest.fail(problem.replace("SKIPPED", "FAILED (CI=true)"), pytrace=False)
        pytest.skip(problem)
    from tools.hub.local import LocalHub

    hub = LocalHub(CLASS)
    try:
        hub.start()
        yield hub
    finally:
        log = hub.log_path.read_text(errors="replace") if hub.log_path.exists() else ""
        hub.close()
        if os.environ.get("HUB_TEST_LOG"):
            Path(os.environ["HUB_TEST_LOG"]).write_text(log)


@pytest.fixture(scope="session")
def students(class_hub):
    """The three students, logged in with their passwords, servers started, course pulled."""
    from concurrent.futures import ThreadPoolExecutor

    logged = [class_hub.login(name) for name in CLASS]

    def ready(student):
        student.start()
        student.pull(class_hub.repo_url)
        return student

    with ThreadPoolExecutor(len(logged)) as pool:
        return list(pool.map(ready, logged))
