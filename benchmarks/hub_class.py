"""A class of 20 on a real JupyterHub, measured: ``make bench-hub`` (needs root).

    python -m benchmarks.hub_class [--students 20] [--faults] [--out benchmarks/results]

The hub is started the way ``make hub`` starts it (:class:`tools.hub.local.LocalHub`), for
system users it creates and removes. Then, through the hub's REST API and each server's
APIs, as browsers would:

1. every student logs in with their password and starts their server, all at once: the
   time until the last server answers is *the start time of the class*;
2. every student pulls the course with nbgitpuller;
3. one student runs every course notebook alone: the CPU seconds of that student's server
   and kernels is *one student's CPU*;
4. every student runs every course notebook at the same time, cell by cell over the
   kernel's websocket, each output compared with the stored one as strict nbval does.
   The wall time is set against the CPU-bound limit, 20 x one student's CPU / cores
   (goal: within 1.5x); a sampler reads each student's resident memory from /proc every
   0.5 s (*peak memory per student*: server plus kernel); every notebook that raised or
   changed an output is a *failure* (goal: none).

``--faults`` adds, during step 4, the two faults of the small test at class size: one
student's server is killed mid-run (that student starts again, finds their edit, and
runs the rest), and the hub is restarted mid-run.
Results: ``hub_class.json`` in ``--out``, and a summary on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools import course_notebooks
from tools.hub.local import LocalHub

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU seconds of ``pid`` and of its children it has waited for (kernels it shut down)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICK  # utime, stime, cutime, cstime


def resident_bytes(names: list[str]) -> dict[str, int]:
    """Each user's resident memory now: the sum over their processes (one pass over /proc)."""
    uids = {}
    for name in names:
        try:
            uids[pwd.getpwnam(name).pw_uid] = name
        except KeyError:  # removed already (the run is ending)
            pass
    out = dict.fromkeys(names, 0)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = uids.get(entry.stat().st_uid)
            if name:
                out[name] += int((entry / "statm").read_text().split()[1]) * PAGE
        except (FileNotFoundError, ProcessLookupError, IndexError):
            pass
    return out


class MemorySampler(threading.Thread):
    """Peak resident memory per student, sampled every ``every`` seconds."""

    def __init__(self, names: list[str], every: float = 0.5):
        super().__init__(daemon=True)
        self.names, self.every = names, every
        self.peak = dict.fromkeys(names, 0)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for name, size in resident_bytes(self.names).items():
                self.peak[name] = max(self.peak[name], size)
            self.done.wait(self.every)

    def stop(self) -> dict[str, int]:
        self.done.set()
        self.join()
        return self.peak


def run_course(student, notebooks: list[str], log: list) -> list:
    """One student runs the notebooks in order; each result or exception is kept."""
    results = []
    for path in notebooks:
        try:
            results.append(student.run_notebook(path))
        except Exception as exc:  # noqa: BLE001 - a failure to report, not to stop the class
            results.append(exc)
        log.append((student.name, path, time.monotonic()))
    return results


def failures_of(results: dict[str, list]) -> list[str]:
    out = []
    for name, runs in results.items():
        for run in runs:
            if isinstance(run, Exception):
                out.append(f"{name}: {type(run).__name__}: {run}")
            elif not run.ok:
                out.append(f"{name}: {run.path}: errors {run.errors} mismatches {run.mismatches}")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--faults", action="store_true",
                        help="kill a server and restart the hub during the class run")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument("--log", type=Path, default=Path("build") / "hub-class.log",
                        help="the hub's and the servers' log")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("make bench-hub needs root: it creates system users and runs each student's "
              "server as that user", file=sys.stderr)
        return 2
    # a stopped run still removes its users and servers (LocalHub's exit)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names = [f"nnhub-s{i:02d}" for i in range(1, args.students + 1)]
    notebooks = [f"course/notebooks/{p.name}" for p in course_notebooks()]
    cores = os.cpu_count() or 1
    report: dict = {"students": len(names), "notebooks": len(notebooks), "cores": cores,
                    "load_before": os.getloadavg()}
    args.log.parent.mkdir(parents=True, exist_ok=True)
    args.log.write_text("")
    with LocalHub(names, log=args.log.resolve()) as hub:
        students = [hub.login(name) for name in names]

        # 1. the whole class starts its servers at once
        t0 = time.monotonic()
        with ThreadPoolExecutor(len(students)) as pool:
            each = list(pool.map(lambda s: s.start(), students))
        report["start_all_s"] = time.monotonic() - t0
        report["start_each_s"] = {"min": min(each), "max": max(each)}
        # what starting costs: the servers' own CPU, and so the CPU-bound limit of the start
        report["start_cpu_s"] = sum(cpu_seconds(hub.server_pid(s.name)) for s in students)
        report["start_limit_s"] = report["start_cpu_s"] / cores
        print(f"{len(names)} servers started in {report['start_all_s']:.1f} s "
              f"(each {min(each):.1f}-{max(each):.1f} s)", flush=True)

        # 2. nbgitpuller copies the course into every home
        t0 = time.monotonic()
        with ThreadPoolExecutor(len(students)) as pool:
            list(pool.map(lambda s: s.pull(hub.repo_url), students))
        report["pull_all_s"] = time.monotonic() - t0
        print(f"course pulled into {len(names)} homes in {report['pull_all_s']:.1f} s",
              flush=True)

        # 3. one student alone: the CPU the course costs one student
        solo = students[0]
        pid = hub.server_pid(solo.name)
        cpu0, t0 = cpu_seconds(pid), time.monotonic()
        solo_runs = run_course(solo, notebooks, [])
        report["solo_wall_s"] = time.monotonic() - t0
        report["solo_cpu_s"] = cpu_seconds(pid) - cpu0
        report["solo_kernel_cpu_s"] = sum(getattr(r, "kernel_cpu", 0) for r in solo_runs)
        report["solo_failures"] = failures_of({solo.name: solo_runs})
        print(f"one student alone: {report['solo_wall_s']:.1f} s wall, "
              f"{report['solo_cpu_s']:.1f} CPU s (kernels {report['solo_kernel_cpu_s']:.1f})",
              flush=True)

        # 4. the whole class runs the whole course at once
        pids = {s.name: hub.server_pid(s.name) for s in students}
        cpu_before = {n: cpu_seconds(p) for n, p in pids.items()}
        sampler = MemorySampler(names)
        sampler.start()
        progress: list = []
        results: dict[str, list] = {}
        faults: dict = {}

        def course(student):
            results[student.name] = run_course(student, notebooks, progress)

        t0 = time.monotonic()
        threads = [threading.Thread(target=course, args=(s,)) for s in students]
        for t in threads:
            t.start()
        if args.faults:
            faults = inject_faults(hub, students, notebooks, progress, results)
        for t in threads:
            t.join()
        wall = time.monotonic() - t0
        peaks = sampler.stop()
        cpu_class = 0.0
        for name, pid in pids.items():
            try:
                cpu_class += cpu_seconds(pid) - cpu_before[name]
            except FileNotFoundError:
                pass  # the server killed by --faults
        limit = len(names) * report["solo_cpu_s"] / cores
        report.update({
            "class_wall_s": wall,
            "class_cpu_s": cpu_class,
            "cpu_bound_limit_s": limit,
            "ratio_to_limit": wall / limit,
            # the part of the machine the class got: below 1 when others used the cores too
            "machine_share": cpu_class / (wall * cores),
            "class_cpu_per_student_s": cpu_class / len(names),
            "peak_memory_per_student_mb": {
                "max": max(peaks.values()) / 2**20,
                "mean": sum(peaks.values()) / len(peaks) / 2**20},
            "peak_memory_class_mb": sum(peaks.values()) / 2**20,
            "failures": failures_of({k: v for k, v in results.items()
                                     if k != faults.get("victim")}),
            "notebook_runs": sum(len(v) for v in results.values()),
            "websocket_drops": [f"{name}: {run.path}: {drop}" for name, runs in results.items()
                                for run in runs for drop in getattr(run, "drops", [])],
            "faults": faults,
            "load_after": os.getloadavg(),
        })
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "hub_class.json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    print(summary(report))
    return 0 if not report["failures"] and not report["solo_failures"] else 1


def inject_faults(hub, students, notebooks, progress, results) -> dict:
    """Kill one server a third of the way in and restart the hub halfway; then check the
    victim's edit survived, and let the victim start again and run the rest."""
    victim = students[-1]
    total = len(students) * len(notebooks)
    note = f"{victim.name}'s own notes, written before the crash."
    nb = victim.read(notebooks[0])
    nb["cells"].append({"cell_type": "markdown", "metadata": {"tags": ["mywork"]},
                        "source": note, "id": "mywork01"})
    victim.save_notebook(notebooks[0], nb)
    while len(progress) < total // 3:
        time.sleep(0.2)
    hub.kill_server(victim.name)
    killed_at = len(progress)
    while len(progress) < total // 2:
        time.sleep(0.2)
    away = hub.restart()
    # the victim's thread ends with errors from the killed server; then they start again
    while victim.name not in results:
        time.sleep(0.5)
    victim.start()
    kept = any("".join(c["source"]) == note for c in victim.read(notebooks[0])["cells"])
    rerun = run_course(victim, notebooks, [])
    back = all(hub.login(s.name).reachable() for s in students)
    return {"victim": victim.name, "killed_after_runs": killed_at, "hub_away_s": away,
            "edit_kept": kept, "victim_rerun_failures": failures_of({victim.name: rerun}),
            "everyone_back_in": back}


def summary(r: dict) -> str:
    mem = r["peak_memory_per_student_mb"]
    lines = [
        f"Class of {r['students']} on {r['cores']} cores, {r['notebooks']} notebooks each "
        f"(load before {r['load_before'][0]:.1f}):",
        f"  start all servers:  {r['start_all_s']:.1f} s ({r['start_cpu_s']:.0f} CPU s of "
        f"servers: a CPU-bound limit of {r['start_limit_s']:.1f} s)",
        f"  pull the course:    {r['pull_all_s']:.1f} s",
        f"  one student alone:  {r['solo_wall_s']:.1f} s wall, {r['solo_cpu_s']:.1f} CPU s",
        f"  whole class:        {r['class_wall_s']:.1f} s wall against a CPU-bound limit of "
        f"{r['cpu_bound_limit_s']:.1f} s ({r['ratio_to_limit']:.2f}x; goal <= 1.5x)",
        f"  class CPU:          {r['class_cpu_s']:.0f} CPU s ({r['class_cpu_per_student_s']:.1f} "
        f"per student against {r['solo_cpu_s']:.1f} alone); the class had "
        f"{100 * r['machine_share']:.0f}% of the machine (load after "
        f"{r['load_after'][0]:.1f})",
        f"  peak memory:        {mem['max']:.0f} MB per student at most, {mem['mean']:.0f} MB "
        f"on average, {r['peak_memory_class_mb']:.0f} MB for the class",
        f"  failures:           {len(r['failures'])} of {r['notebook_runs']} notebook runs",
    ]
    lines += [f"    {f}" for f in r["failures"][:20]]
    lines.append(f"  websocket drops:    {len(r['websocket_drops'])} (resumed, as JupyterLab "
                 "does, with the server's buffered messages)")
    lines += [f"    {d}" for d in r["websocket_drops"][:20]]
    if r["faults"]:
        f = r["faults"]
        lines.append(f"  faults: {f['victim']}'s server killed after {f['killed_after_runs']} "
                     f"runs (edit kept: {f['edit_kept']}, rerun failures: "
                     f"{len(f['victim_rerun_failures'])}); hub restarted, away "
                     f"{f['hub_away_s']:.1f} s; everyone back in: {f['everyone_back_in']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
