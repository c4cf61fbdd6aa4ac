"""Render results.json into results.md, README-section.md and the crossover plot.

Everything here is a pure function of the results dictionary, so the Markdown and
the plot can be rebuilt from ``results.json`` without measuring again
(``python -m benchmarks --report-only``).
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import conv2d, machine

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9",
             "bluish green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "reddish purple": "#CC79A7"}
STYLE = {  # method: (colour, marker, line style); never colour alone
    "fast": (OKABE_ITO["black"], "o", "-"),
    "direct": (OKABE_ITO["orange"], "s", "--"),
    "fft": (OKABE_ITO["sky blue"], "^", "--"),
    "loops": (OKABE_ITO["yellow"], "x", ":"),
    "correlate2d": (OKABE_ITO["vermillion"], "D", "-."),
    "fftconvolve": (OKABE_ITO["blue"], "v", "-."),
    "correlate": (OKABE_ITO["reddish purple"], "P", ":"),
}
DASH = "—"
GOAL_LAYER = 0.5  # the forward pass, as a fraction of GEMM (issue 16)
FILES = ("results.json", "results.md", "conv2d_crossover.png", "README-section.md")


def ms(seconds: float | None) -> str:
    """Milliseconds with three significant digits, or a dash."""
    if seconds is None:
        return DASH
    value = seconds * 1e3
    return f"{value:.3g}" if value < 1000 else f"{value:.0f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _run_line(part: dict) -> str:
    m = part["machine"]
    quick = " **quick run (reduced grid)**;" if part.get("quick") else ""
    return (f"_Run {m['date']} on {machine.one_line(m)};{quick} load average "
            f"{m['load_average_1min']} at the start; took {part['elapsed_seconds']:.0f} s._")


def conv2d_md(part: dict) -> list[str]:
    s = part["summary"]
    lines = ["## 2D cross-correlation against SciPy", "", _run_line(part), "",
             f"Mode `{part['mode']}`, {part['dtype']}, an n×n image and a k×k kernel. Times in "
             "ms (median of the rounds); **ratio** = `fast` / fastest SciPy routine, taken "
             "round by round (below 1: `fast` is faster). `fast` shows in brackets what it "
             f"chose. {DASH}: not run (scipy's correlate2d over "
             f"{conv2d.DIRECT_MAX_MACS:.0e} multiply-adds, where it would take seconds, or "
             f"the loops over {conv2d.LOOPS_MAX_MACS:.0e}).", "",
             f"**Worst ratio: {s['worst_ratio']:.2f}** at {s['worst_cell'][0]}² with "
             f"{s['worst_cell'][1]}×{s['worst_cell'][1]} (against {s['worst_best_scipy']}); "
             f"median {s['median_ratio']:.2f}; `fast` slower than the best SciPy routine in "
             f"{s['cells_slower_than_best_scipy']} of {s['cells']} cells." + _steadier(s), "",
             "Worst ratio per kernel size:", ""]
    lines += _table(["k", "worst ratio", "at image", "against"],
                    [[f"{k}×{k}", f"{v['worst_ratio']:.2f}", f"{v['n']}²", v["best_scipy"]]
                     for k, v in s["worst_by_kernel"].items()])
    lines += ["", "All cells:", ""]
    names = list(conv2d.OURS) + list(conv2d.SCIPY)
    rows = []
    for c in part["cells"]:
        t = c["seconds"]
        cells = [f"{c['n']}²", str(c["k"]), c.get("mode", "same"), f"{c['macs']:.1e}",
                 f"{ms(t['fast'])} ({c['chosen']})"]
        cells += [ms(t.get(name)) for name in names[1:]]
        cells += [c["best_scipy"], f"**{c['ratio_fast_to_best_scipy']:.2f}**",
                  c["scipy_auto_picks"]]
        rows.append(cells)
    header = ["image", "k", "mode", "MACs", "fast"] + names[1:] + ["best SciPy", "ratio",
                                                          "SciPy auto picks"]
    return lines + _table(header, rows) + [""]


def _steadier(s: dict) -> str:
    """The worst ratio of fastest rounds, a check on the medians (absent in old results)."""
    if "worst_ratio_of_fastest_rounds" not in s:
        return ""
    n, k = s["worst_cell_of_fastest_rounds"]
    return (" On a busy machine the times of one method are often bimodal (a core of its "
            "own, or half of one), so a median can jump between the modes; the ratio of "
            f"the methods' fastest rounds is steadier: worst {s['worst_ratio_of_fastest_rounds']:.2f}"
            f" at {n}² with {k}×{k}.")


def conv1d_md(part: dict) -> list[str]:
    s = part["summary"]
    lines = ["## 1D convolution against NumPy and SciPy", "", _run_line(part), "",
             f"Mode `{part['mode']}`, {part['dtype']}, a signal of length N and a kernel of "
             "length K. Times in ms; ratios are `fast` / other, round by round.", "",
             f"Worst ratio against the better of the two: **{s['worst_ratio']:.2f}** at "
             f"N={s['worst_cell'][0]}, K={s['worst_cell'][1]} (against {s['worst_best_other']}).",
             ""]
    rows = [[str(c["n"]), str(c["k"]), f"{ms(c['seconds']['fast'])} ({c['chosen']})",
             ms(c["seconds"].get("loops")), ms(c["seconds"]["np.convolve"]),
             ms(c["seconds"]["oaconvolve"]), f"{c['ratios_fast_to']['np.convolve']:.2f}",
             f"{c['ratios_fast_to']['oaconvolve']:.2f}"] for c in part["cells"]]
    return lines + _table(["N", "K", "fast", "loops", "np.convolve", "oaconvolve",
                           "fast / np.convolve", "fast / oaconvolve"], rows) + [""]


def layer_md(part: dict) -> list[str]:
    s = part["summary"]
    torch = s["torch"]
    lines = ["## The convolutional layer against GEMM", "", _run_line(part), "",
             "3×3, stride 1, padding 1, float64. GFLOP/s count 2·F·(C·k·k)·(N·oh·ow) "
             "forward and twice that backward; **fraction** = the pass's GFLOP/s / GEMM's "
             "GFLOP/s, where GEMM is `np.matmul` of (F, C·k·k) @ (C·k·k, N·oh·ow) timed in "
             "the same rounds, each sample after 0.2 s of quiet (OpenBLAS's idle threads spin "
             "for about 0.1 s after every multi-threaded call and would take a core from the "
             "next method). im2col share: im2col time / forward time. *Back to back*: the "
             "same fractions with no pause, so the layer often starts while the GEMM's "
             "threads still spin. The 1-BLAS-thread columns repeat the measurement with BLAS "
             "(and so the layer) on one core (threadpoolctl): the algorithm's share without "
             "any threading effect.", "",
             f"Lowest fraction: forward **{s['min_forward_fraction']:.2f}**, backward "
             f"**{s['min_backward_fraction']:.2f}**."
             + ("" if torch else " (PyTorch not installed: no torch column.)"), ""]
    single = all(r.get("fraction_of_gemm_one_blas_thread") for r in part["rows"])
    header = ["N, C, H=W, F", "GEMM GFLOP/s", "forward GFLOP/s", "forward fraction",
              "backward GFLOP/s", "backward fraction", "im2col share",
              "forward, back to back", "backward, back to back"]
    if single:
        header += ["forward, 1 BLAS thread", "backward, 1 BLAS thread"]
    if torch:
        header += ["torch forward fraction", "torch backward fraction"]
    rows = []
    for r in part["rows"]:
        g, f = r["gflops"], r["fraction_of_gemm"]
        row = [f"{r['N']}, {r['C']}, {r['H']}, {r['F']}", f"{g['gemm']:.1f}",
               f"{g['forward']:.1f}", f"**{f['forward']:.2f}**", f"{g['backward']:.1f}",
               f"**{f['backward']:.2f}**", f"{r['im2col_share_of_forward']:.2f}"]
        hot = r["fraction_of_gemm_back_to_back"]
        row += [f"{hot['forward']:.2f}", f"{hot['backward']:.2f}"]
        if single:
            one = r["fraction_of_gemm_one_blas_thread"]
            row += [f"{one['forward']:.2f}", f"{one['backward']:.2f}"]
        if torch:
            row += [f"{f.get('torch forward', float('nan')):.2f}",
                    f"{f.get('torch backward', float('nan')):.2f}"]
        rows.append(row)
    return lines + _table(header, rows) + [""]


def waits_md(part: dict) -> list[str]:
    goals = part["goals"]
    lines = ["## What people wait for", "", _run_line(part), "",
             f"Goals: a widget step ≤ {goals['widget_step_ms']:g} ms, a notebook ≤ "
             f"{goals['notebook_s']:g} s.", ""]
    rows = [[name, str(r["steps"]), f"{r['median_ms']:.2f}", f"{r['max_ms']:.2f}"]
            for name, r in part["widget_steps"].items()]
    lines += _table(["widget", "steps", "median step (ms)", "max step (ms)"], rows) + [""]
    imp = dict(part["imports"])
    base = imp.pop("python -c pass")["ms"]
    lines += ["; ".join(f"`import {name}`: **{_ms(r['ms'])}**" for name, r in imp.items())
              + f" (a fresh interpreter, minus `python -c pass` = {base:.0f} ms; median of "
              "runs; `helpers.conv` loads NumPy and SciPy).", ""]
    if part["notebooks_skipped"]:
        lines += ["Notebooks: skipped in the quick run.", ""]
    else:
        rows = [[name, DASH if r["seconds"] is None else f"{r['seconds']:.1f}",
                 "ok" if r["ok"] else f"failed: {r['error']}"]
                for name, r in part["notebooks"].items()]
        lines += _table(["notebook", "seconds (nbclient, fresh kernel, median of runs)",
                         "status"], rows)
        lines += [""]
    mt = part["make_test_seconds"]
    lines += ["`make test`: " + (f"{mt:.0f} s" if mt else "not measured yet") +
              " (read from build/make-test-seconds.txt).", ""]
    return lines


RENDER = {"conv2d": conv2d_md, "conv1d": conv1d_md, "layer": layer_md, "waits": waits_md}


def results_md(results: dict) -> str:
    lines = ["# Benchmarks", "",
             "Made by `make bench` (`python -m benchmarks`); rebuilt from `results.json`. "
             "Each time is the median of several rounds after a warm-up call; the methods of "
             "one comparison are interleaved round by round and each ratio is taken within a "
             "round. Absolute times drift on a shared machine, so read the ratios.", ""]
    for name, render in RENDER.items():
        if name in results:
            lines += render(results[name])
    if "conv2d" in results:
        lines += ["![time against kernel size](conv2d_crossover.png)", ""]
    return "\n".join(lines)


def readme_section(results: dict) -> str:
    """The short 'Performance' section that the README quotes."""
    parts = [results[name] for name in RENDER if name in results]
    if not parts:
        return "## Performance\n\nNo benchmark results yet: run `make bench`.\n"
    m = parts[0]["machine"]
    quick = "; **quick run, reduced grid: not for quoting**" if parts[0].get("quick") else ""
    minutes = sum(part["elapsed_seconds"] for part in parts) / 60
    lines = ["## Performance", "",
             f"`make bench` (about {minutes:.0f} minutes) times the course's code against NumPy "
             "and SciPy "
             f"and writes [benchmarks/results/](benchmarks/results/results.md). Last run: "
             f"{m['date'][:10]} on {machine.one_line(m)}, a machine shared with other jobs "
             f"(load average about {m['load_average_1min']:.0f}){quick}. Times are medians of "
             "interleaved rounds; ratios are taken within a round.", ""]
    for name, render in (("conv2d", _readme_2d), ("conv1d", _readme_1d),
                         ("layer", _readme_layer), ("waits", _readme_waits)):
        if name in results:
            lines += render(results[name])
    return "\n".join(lines)


def _readme_2d(p: dict) -> list[str]:
    s, by_k = p["summary"], p["summary"]["worst_by_kernel"]
    verdict = ("never slower than" if s["cells_slower_than_best_scipy"] == 0 else
               f"slower in {s['cells_slower_than_best_scipy']} of {s['cells']} cells than")
    return [f"**2D correlation.** `correlate2d(a, k, \"{p['mode']}\")` picks direct sums "
            "(shift-and-add) or an FFT by a one-line rule on the kernel's size. Over images "
            f"{p['images'][0]}² to {p['images'][-1]}² it is {verdict} the fastest of SciPy's "
            "`correlate2d`, `fftconvolve` and `correlate`. Time of ours / time of SciPy's "
            "best, worst case per kernel size (goal: at most 1.25):", ""] + _table(
        ["kernel"] + [f"{k}×{k}" for k in by_k],
        [["worst ratio"] + [f"{v['worst_ratio']:.2f}" for v in by_k.values()],
         ["at image"] + [f"{v['n']}²" for v in by_k.values()]]) + [
        "", f"Median over the {s['cells']} cells: {s['median_ratio']:.2f}. The plot "
        "`benchmarks/results/conv2d_crossover.png` shows where the FFT overtakes direct sums.",
        ""]


def _readme_1d(p: dict) -> list[str]:
    worst: dict[int, list[float]] = {}
    for c in p["cells"]:
        pair = worst.setdefault(c["k"], [0.0, 0.0])
        pair[0] = max(pair[0], c["ratios_fast_to"]["np.convolve"])
        pair[1] = max(pair[1], c["ratios_fast_to"]["oaconvolve"])
    ns = sorted({c["n"] for c in p["cells"]})
    return ["**1D convolution** (`convolve1d`, N = "
            f"{', '.join(_power_of_ten(n) for n in ns)}): shift-and-add for short kernels "
            "(one whole-signal multiply-add per tap), one FFT of the whole signal for long "
            "ones. Worst time ratio over N:", ""] + _table(
        ["kernel length K"] + [str(k) for k in worst],
        [["ours / np.convolve"] + [f"{v[0]:.2f}" for v in worst.values()],
         ["ours / oaconvolve"] + [f"{v[1]:.2f}" for v in worst.values()]]) + [""]


def _power_of_ten(n: int) -> str:
    """10000 -> '10⁴'; other numbers as they are."""
    exponent = len(str(n)) - 1
    if n != 10**exponent:
        return str(n)
    return "10" + str(exponent).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _readme_layer(p: dict) -> list[str]:
    one = all(r.get("fraction_of_gemm_one_blas_thread") for r in p["rows"])
    torch = p["summary"]["torch"]
    header = ["N, C, H=W, F", "forward", "backward", "forward, back to back"]
    header += ["forward, 1 BLAS thread", "backward, 1 BLAS thread"] if one else []
    header += ["PyTorch conv2d forward"] if torch else []
    rows = []
    for r in p["rows"]:
        f = r["fraction_of_gemm"]
        row = [f"{r['N']}, {r['C']}, {r['H']}, {r['F']}", f"{f['forward']:.2f}",
               f"{f['backward']:.2f}",
               f"{r['fraction_of_gemm_back_to_back']['forward']:.2f}"]
        if one:
            single = r["fraction_of_gemm_one_blas_thread"]
            row += [f"{single['forward']:.2f}", f"{single['backward']:.2f}"]
        if torch:
            row += [f"{f.get('torch forward', float('nan')):.2f}"]
        rows.append(row)
    return ["**Convolutional layer** (3×3, padding 1, float64): GFLOP/s of `conv2d_forward` "
            "and `conv2d_backward` as a fraction of this machine's own GEMM on the same "
            "im2col shapes, each sample after 0.2 s of quiet; *back to back*: no pause, "
            "while the GEMM's BLAS threads may still spin (goal for the forward pass: "
            f"{GOAL_LAYER}):",
            ""] + _table(header, rows) + ["", _layer_verdict(p), ""]


def _layer_verdict(p: dict) -> str:
    """One sentence: which shapes reach the goal, with threads and on one thread."""
    low = [r for r in p["rows"] if r["fraction_of_gemm"]["forward"] < GOAL_LAYER]
    one = [r["fraction_of_gemm_one_blas_thread"]["forward"] for r in p["rows"]
           if r.get("fraction_of_gemm_one_blas_thread")]
    shapes = ", ".join(f"({r['N']}, {r['C']}, {r['H']}, {r['F']})" for r in low)
    text = (f"The forward pass reaches {GOAL_LAYER} of GEMM on {len(p['rows']) - len(low)} of "
            f"{len(p['rows'])} shapes" + (f"; not on {shapes}." if low else "."))
    if one:
        text += f" On one BLAS thread it reaches at least {min(one):.2f} on every shape."
    return text


def _readme_waits(w: dict) -> list[str]:
    steps = "; ".join(f"{name.split(' (')[0]} {r['median_ms']:.2f} ms"
                      for name, r in w["widget_steps"].items())
    imports = ", ".join(f"`import {name}` {_ms(r['ms'])}" for name, r in w["imports"].items()
                        if name != "python -c pass")
    lines = [f"**Waiting.** One widget step (median; goal 5 ms): {steps}. {imports}.", ""]
    nbs = [(n, r) for n, r in w["notebooks"].items() if not n.startswith("(")]
    if nbs:
        start = w["notebooks"].get("(empty notebook: kernel start)", {}).get("seconds")
        lines += [f"Each notebook from a fresh kernel (goal 10 s; the kernel start alone "
                  f"takes {start:.1f} s):" if start else "Each notebook (goal 10 s):", ""]
        lines += _table(["notebook", "seconds"],
                        [[n, DASH if r["seconds"] is None else f"{r['seconds']:.1f}"]
                         for n, r in nbs]) + [""]
    mt = w["make_test_seconds"]
    lines += ["`make test`: " + (f"{mt:.0f} s." if mt else "not measured yet."), ""]
    return lines


def plot(part: dict, path: Path) -> None:
    """Time against kernel size, one line per method, one panel per image size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    images = part["plot_images"]
    fig, axes = plt.subplots(1, len(images), figsize=(5.2 * len(images), 4.8), squeeze=False)
    for ax, n in zip(axes[0], images, strict=True):
        cells = [c for c in part["cells"] if c["n"] == n and c.get("mode", "same") == "same"]
        for name, (colour, marker, style) in STYLE.items():
            points = [(c["k"], c["seconds"][name] * 1e3) for c in cells if name in c["seconds"]]
            if points:
                ks, ts = zip(*points, strict=True)
                ax.plot(ks, ts, color=colour, marker=marker, linestyle=style,
                        linewidth=2.6 if name == "fast" else 1.4, label=conv2d.LABELS[name])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(part["kernels"], [str(k) for k in part["kernels"]])
        ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
        ax.minorticks_off()
        ax.set_xlabel("kernel size k (a k×k kernel)")
        ax.set_ylabel("time per correlation (ms)")
        ax.set_title(f"{n}×{n} image, mode 'same', {part['dtype']}")
        ax.grid(True, which="major", alpha=0.3)
    legend = {}  # every method drawn in any panel, once
    for ax in axes[0]:
        legend |= dict(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
    fig.legend(legend.values(), legend.keys(), loc="lower center", ncol=4, fontsize=9,
               frameon=False)
    fig.suptitle("Direct versus FFT: time against kernel size (lower is faster)")
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _ms(ms: float) -> str:
    """Milliseconds to two significant figures at most, so 0.4 ms does not print as 0."""
    return f"{ms:.2g} ms" if ms < 10 else f"{ms:.0f} ms"


def save(results: dict, out: Path) -> Path:
    """Write results.json alone into ``out``; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILES[0]
    path.write_text(json.dumps(results, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    return path


def write(results: dict, out: Path) -> list[Path]:
    """Write the four files into ``out``; return their paths."""
    paths = [save(results, out), *(out / name for name in FILES[1:])]
    paths[1].write_text(results_md(results), encoding="utf-8")
    if "conv2d" in results:
        plot(results["conv2d"], paths[2])
    paths[3].write_text(readme_section(results), encoding="utf-8")
    return [p for p in paths if p.exists()]
