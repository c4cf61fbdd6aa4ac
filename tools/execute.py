"""Re-execute notebooks in place with a fresh kernel: ``make notebooks``.

Outputs and widget state are stored, per-cell timing metadata is not (it would
change the files on every run without changing what a student sees).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def execute(path: Path, timeout: int = 300) -> float:
    """Run one notebook top to bottom in its own folder; return the seconds taken."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        coalesce_streams=True,
        store_widget_state=True,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    for name in argv:
        seconds = execute(Path(name))
        print(f"executed {name} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
