"""Re-execute notebooks in place with a fresh kernel: ``make notebooks``.

What is stored is what a reader without a kernel can use, and it is the same bytes on
every run, so that a review shows only real changes:

- no per-cell timing metadata;
- no ipywidgets state and no widget views (their model ids are random on every run):
  the sliding-kernel widgets also give their player as ``text/html``, which plays in
  exported pages and decks, and a live kernel redraws the widget anyway.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def strip_widget_views(nb) -> int:
    """Drop widget views from every output, and the notebook's widget state; return the count."""
    dropped = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if WIDGET_MIME in output.get("data", {}):
                del output["data"][WIDGET_MIME]
                output.get("metadata", {}).pop(WIDGET_MIME, None)
                dropped += 1
    nb.metadata.pop("widgets", None)
    return dropped


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
        store_widget_state=False,
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    strip_widget_views(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    for name in argv:
        seconds = execute(Path(name))
        print(f"executed {name} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
