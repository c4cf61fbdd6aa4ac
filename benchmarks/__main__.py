"""``python -m benchmarks [--quick] [--only conv2d,layer] [--out DIR] [--report-only]``.

Asked for several suites, it runs each in a fresh Python process of its own: in one
process, the layer suite's forward pass ran 10-25% slower right after the conv1d suite
than on its own, so one suite's leftovers (memory, idle threads) must not reach the next.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import conv1d, conv2d, layer, machine, report, waits

SUITES = {"conv2d": conv2d.run, "conv1d": conv1d.run, "layer": layer.run, "waits": waits.run}
RESULTS = Path(__file__).resolve().parent / "results"
QUICK_RESULTS = Path(__file__).resolve().parents[1] / "build" / "bench-quick"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="reduced grid, seconds instead of minutes (default --out "
                             "build/bench-quick, so the committed results stay full runs)")
    parser.add_argument("--only", default=",".join(SUITES),
                        help=f"comma-separated suites among {', '.join(SUITES)} (default: all)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default benchmarks/results)")
    parser.add_argument("--report-only", action="store_true",
                        help="re-render the Markdown and the plot from results.json")
    parser.add_argument("--no-report", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = sorted(set(args.only) - set(SUITES))
    if unknown:
        parser.error(f"unknown suite(s) {', '.join(unknown)}; choose among {', '.join(SUITES)}")
    if args.out is None:
        args.out = QUICK_RESULTS if args.quick else RESULTS
    return args


def load(path: Path) -> dict:
    """Earlier results in the same folder, so ``--only`` updates just its suites."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def run_alone(name: str, args: argparse.Namespace) -> None:
    """One suite in a fresh Python process, which adds its part to results.json."""
    command = [sys.executable, "-m", "benchmarks", "--only", name, "--no-report", "--out",
               str(args.out.resolve())]
    subprocess.run(command + (["--quick"] if args.quick else []), check=True,
                   cwd=Path(__file__).resolve().parents[1])


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if len(args.only) > 1 and not args.report_only:
        for name in args.only:
            run_alone(name, args)
        args.report_only = True
    results = load(args.out / "results.json")
    if not args.report_only:
        for name in args.only:
            start = time.perf_counter()
            about = machine.describe()
            part = SUITES[name](quick=args.quick, log=lambda line: print(line, flush=True))
            results[name] = {"machine": about, "quick": args.quick,
                             "elapsed_seconds": time.perf_counter() - start} | part
    if args.no_report:  # a suite run alone by run_alone: the caller writes the report
        report.save(results, args.out)
        return 0
    for path in report.write(results, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
