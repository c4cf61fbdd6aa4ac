"""requirements.txt and environment.yml must list the same packages with the same ranges;
requirements-dev.txt adds the test and maintenance tools on top, each line explained."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SPEC = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*([<>=!~][^#\s]*)?")


def _parse(line: str) -> tuple[str, str] | None:
    line = line.split("#", 1)[0].strip()
    if not line or line.startswith("-"):
        return None
    match = SPEC.match(line)
    name, spec = match.group(1), match.group(2) or ""
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def requirements() -> dict[str, str]:
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return dict(p for p in map(_parse, lines) if p)


def environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            parsed = _parse(item)
            if parsed and parsed[0] not in {"python", "pip"}:
                found[parsed[0]] = parsed[1]
    return found


def test_same_packages_and_ranges():
    req, env = requirements(), environment()
    assert set(req) == set(env), (
        f"only in requirements.txt: {sorted(set(req) - set(env))}; "
        f"only in environment.yml: {sorted(set(env) - set(req))}"
    )
    assert req == env


def test_every_requirement_says_why_it_is_there():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                assert "#" in line, f"{name}: no comment on: {line}"


def test_dev_requirements_build_on_the_course_and_repeat_none_of_it():
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert any(line.startswith("-r requirements.txt") for line in lines)
    dev = dict(p for p in map(_parse, lines) if p)
    assert not set(dev) & set(requirements()), "a course package is listed twice"


def test_environment_pins_python_311_from_conda_forge():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]


def test_no_binder_folder_hides_the_root_files():
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert (ROOT / "postBuild").exists()
