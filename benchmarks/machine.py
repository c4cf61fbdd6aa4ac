"""What the benchmarks ran on: CPU, cores, load, library versions, BLAS."""

from __future__ import annotations

import datetime
import os
import platform
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what platform reports."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas() -> str:
    """NumPy's BLAS, e.g. 'scipy-openblas 0.3.31 (Haswell MAX_THREADS=64)'."""
    import numpy as np

    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{info.get('name', '?')} {info.get('version', '')}".strip()
    except Exception:  # noqa: BLE001 - older NumPy or an unusual build: not worth failing
        return "unknown"


def threads() -> dict[str, int]:
    """Threads per native library (threadpoolctl, if installed), e.g. {'openblas': 2}."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return {}
    return {pool["internal_api"]: pool["num_threads"] for pool in threadpool_info()}


def describe() -> dict:
    """A JSON-friendly description of this machine and run."""
    import numpy as np
    import scipy

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "blas": blas(),
        "threads": threads(),
        "platform": platform.platform(),
    }


def one_line(m: dict) -> str:
    """'AMD EPYC, 2 cores, NumPy 2.4.6, SciPy 1.17.1, scipy-openblas 0.3.31'."""
    return (f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, NumPy {m['numpy']}, "
            f"SciPy {m['scipy']}, BLAS {m['blas']}")
