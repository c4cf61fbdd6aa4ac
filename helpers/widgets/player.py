"""The sliding-kernel widgets as HTML: styled cells, tables, and a player that runs in the browser.

Introduced with the widgets in notebook ``03_slide-a-kernel-over-an-image``.

The kernel computes every frame once (every mode, flip and stride of one input and
kernel, a few kilobytes of text) and :func:`player_html` stores them in the cell's
output with a small script. The browser then plays, steps and scrubs on its own: a step
changes a few class names and one line of text in one synchronous update, so it is
always painted whole and never waits for Python. The same output works in JupyterLab,
in RISE, in an exported HTML page and in an offline reveal.js deck. Where scripts do
not run (a notebook opened untrusted, GitHub), the first frame is shown as a static
table and a note says that the controls need the notebook to be run.

One script plays two views. ``'slide'`` (notebooks 03 to 05, :func:`config`): a kernel
reads one window per output cell. ``'stamp'`` (notebook 07, :func:`stamp_config`): each
input entry writes a scaled kernel onto the output, and the counts of stamps per cell
show the checkerboard. The controls, the timing, the keyboard and the announcements are
shared; each view only builds its tables and paints one step.

Every highlighted cell has a thick border as well as a colour (Okabe–Ito), padding is
italic on a hatched grey background (cropped cells: dashed and hatched), and every
number stays visible.
"""

from __future__ import annotations

import hashlib
import json
from html import escape
from typing import Any

import numpy as np

from helpers.widgets import frames as fm
from helpers.widgets.stamps import Stamps

# Okabe–Ito colours (safe for common colour-vision deficiencies), plus greys.
ORANGE, SKY, GREEN, VERMILLION = "#E69F00", "#56B4E9", "#009E73", "#D55E00"

#: Every kind of cell: (fill, edge, bold, italic, hatched). Shared by HTML and matplotlib.
KINDS = {
    "real": ("#FFFFFF", "#888888", False, False, False),    # a cell of the input
    "pad": ("#E4E4E4", "#888888", False, True, True),       # a zero added by the mode
    "win": (ORANGE, "#000000", True, False, False),         # input under the kernel
    "winpad": (ORANGE, "#000000", True, True, True),        # padding under the kernel
    "kernel": ("#BFE6D9", GREEN, False, False, False),      # a kernel weight
    "done": ("#FFFFFF", "#888888", False, False, False),    # output computed
    "todo": ("#F2F2F2", "#BBBBBB", False, False, False),    # output not computed yet
    "now": (SKY, "#000000", True, False, False),            # output computed at this step
    "blank": ("none", "none", False, False, False),         # empty spacer
}
TIPS = {"real": "input", "pad": "zero padding", "win": "under the kernel",
        "winpad": "zero padding under the kernel", "kernel": "kernel weight",
        "done": "computed", "todo": "not computed yet", "now": "computed at this step",
        "blank": ""}


def _css(kind: str) -> str:
    fill, edge, bold, italic, hatched = KINDS[kind]
    if kind == "blank":
        return "border:none;min-width:2.4em"
    css = ["min-width:2.4em;height:2em;padding:0 4px;text-align:center;",
           f"border:1px solid {edge};"]
    if hatched:
        css.append(f"background:repeating-linear-gradient(45deg,{fill} 0 4px,#FFFFFF 4px 7px);")
    else:
        css.append(f"background:{fill};")
    css.append("color:#000;" if bold or not italic else "color:#444;")
    if bold:
        css.append("font-weight:bold;box-shadow:inset 0 0 0 3px #000;")
    if italic:
        css.append("font-style:italic;")
    return "".join(css)


#: ``<td>`` opening tags, built once: a cell is then one string join.
TD = {kind: f'<td class="sk-{kind}" title="{TIPS[kind]}" style="{_css(kind)}">'
      for kind in KINDS}
_TABLE = ('<table style="border-collapse:separate;border-spacing:2px;font-family:monospace;'
          'font-size:14px;display:inline-table;margin:0 12px 6px 0">')
_LABEL = '<th scope="row" style="text-align:right;padding-right:6px;white-space:nowrap">'
INDEX = '<td style="text-align:center;font-size:11px;color:#444">'


def cells(kind: np.ndarray | list | str, texts: np.ndarray) -> list[str]:
    """One ``<td>`` per entry, row-major; ``kind`` is one kind or an array of kinds."""
    kinds = np.broadcast_to(np.asarray(kind, dtype=object), texts.shape).reshape(-1)
    return [f"{TD[k]}{t}</td>" for k, t in zip(kinds, texts.reshape(-1), strict=True)]


def table(tds: list[str], ncols: int, caption: str = "", labels: list[str] | None = None,
          head: str = "") -> str:
    """An HTML table of ``tds`` (row-major), with an optional label per row."""
    rows = [head]
    for r in range(len(tds) // ncols):
        label = f"{_LABEL}{labels[r]}</th>" if labels else ""
        rows.append(f"<tr>{label}{''.join(tds[r * ncols:(r + 1) * ncols])}</tr>")
    cap = ('<caption style="caption-side:top;text-align:left;white-space:nowrap">'
           f"{caption}</caption>")
    return f"{_TABLE}{cap if caption else ''}{''.join(rows)}</table>"


def pad_words(f: fm.Frames) -> str:
    """Say how the input was padded, in words."""
    if not any(b or a for b, a in f.pad):
        return f"{f.names[0]} is not padded."
    if f.x.ndim == 1:
        (b, a), = f.pad
        return f"{f.names[0]} is padded with {b} zero(s) before and {a} after (grey, hatched)."
    (t, bo), (le, r) = f.pad
    return (f"{f.names[0]} is padded with {t} row(s) of zeros above, {bo} below, {le} column(s) "
            f"left and {r} right (grey, hatched).")


def message_html(text: str) -> str:
    """A visible notice (an impossible setting, a refused value): never a traceback."""
    return (f'<div class="sk-message" role="status" style="border-left:4px solid {VERMILLION};'
            f'padding:4px 8px;margin:4px 0;background:#FFF6E5"><b>Note:</b> {escape(text)}</div>')


def info_html(f: fm.Frames) -> str:
    """The library call, what the operation does, the padding and the notes."""
    turn = "reversed" if f.x.ndim == 1 else "rotated by 180°"
    what = (f"convolution: the kernel is flipped ({turn}), then slides" if f.flip
            else "cross-correlation: the kernel slides as it is")
    parts = [f"<b>{f.names[2]} = {escape(f.reference)}</b> &nbsp;({what})",
             f'<div style="color:#333">{escape(pad_words(f))} {escape(f.note)}</div>']
    if f.message:
        parts.append(message_html(f.message))
    return "".join(parts)


# ------------------------------------------------------------------ the browser player


def _grid(texts: np.ndarray) -> list[list[str]]:
    return [[str(t) for t in row] for row in np.atleast_2d(texts)]


def config(f: fm.Frames) -> dict[str, Any]:
    """What the browser needs to draw every step of ``f``: texts only, no numbers to compute."""
    return {"names": list(f.names), "flip": f.flip, "stride": f.stride, "oned": f.x.ndim == 1,
            "padded": _grid(f.padded_text), "pad": np.atleast_2d(f.is_padding).astype(int).tolist(),
            "w": _grid(f.w_text), "kernel": _grid(f.kernel_text),
            "out": _grid(f.output_text) if f.n_steps else [], "left": f.pad[-1][0],
            "n": int(f.x.shape[-1]), "info": info_html(f), "message": f.message}


def texts_of(values: np.ndarray) -> list[list[str]]:
    """:func:`~helpers.widgets.frames.fmt` of every entry, as rows (1D is one row)."""
    return [[fm.fmt(v) for v in row] for row in np.atleast_2d(values)]


def stamp_info_html(s: Stamps) -> str:
    """The library call and what to watch (uneven cover, cropping) for the stamps ``s``."""
    inp, k, out = s.names
    return (f"<b>{out} = {escape(s.reference)}</b> &nbsp;(transposed convolution: each entry "
            f"of {inp} stamps a scaled copy of {k})"
            f'<div style="color:#333">{escape(s.note)}</div>')


def stamp_config(s: Stamps) -> dict[str, Any]:
    """What the browser needs to draw every stamp of ``s``: the model's texts, step by step.

    Step ``t`` gives where its stamp lands (``at``, the top-left canvas cell), the stamp,
    and the output and the counts of the cells it covers *after* it. The browser replays
    steps 0 .. t to paint step t: it copies texts and computes no number.
    """
    steps = []
    for t in range(s.n_steps):
        f = s.frame(t)
        inp, k = s.names[:2]
        steps.append({"at": ([0] + [w.start for w in f.window])[-2:],
                      "who": f"{inp}[{','.join(map(str, f.index))}]{fm.DOT}{k}",
                      "stamp": texts_of(f.stamp), "out": texts_of(f.output[f.window]),
                      "count": texts_of(f.counts[f.window]), "formula": f.formula})
    return {"names": list(s.names), "oned": s.x.ndim == 1, "x": texts_of(s.x),
            "w": texts_of(s.w), "crop": np.atleast_2d(s.is_cropped).astype(int).tolist(),
            "steps": steps, "info": stamp_info_html(s), "message": s.message}


def stamp_message_config(s: Stamps, stride: int, padding: int, message: str) -> dict[str, Any]:
    """A setting with nothing to stamp onto (``padding`` crops everything): the why, no steps."""
    return {"names": list(s.names), "oned": s.x.ndim == 1, "x": texts_of(s.x),
            "w": texts_of(s.w), "crop": [[0]], "steps": [], "message": message,
            "info": (f"<b>Transposed convolution, stride={stride}, padding={padding}</b>"
                     + message_html(message))}


def config_key(mode: str, flip: bool, stride: int) -> str:
    """The key of one setting in the player's data, e.g. ``'full/1/2'``."""
    return f"{mode}/{int(flip)}/{stride}"


_SEEN: dict[str, int] = {}


def player_html(data: dict[str, Any], start: str, step: int, static: str, label: str,
                kind: str = "slide") -> str:
    """The self-contained player: static first frame, the frames as JSON, and the script.

    ``kind`` chooses the view the script draws: ``'slide'`` (a kernel reads windows,
    :func:`config`) or ``'stamp'`` (each input entry writes a scaled kernel,
    :func:`stamp_config`); the controls, the timing and the keyboard are shared.

    The element id is a hash of the content (and a count of identical players shown in
    this process), so re-executing a notebook stores the same bytes.
    """
    payload = json.dumps({"kind": kind, "configs": data, "start": start, "step": step},
                         separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha1(payload.encode()).hexdigest()[:10]
    _SEEN[digest] = _SEEN.get(digest, 0) + 1
    uid = f"skp-{digest}-{_SEEN[digest]}"
    safe = payload.replace("</", "<\\/")
    return (f'<div class="skp" id="{uid}" role="group" aria-label="{escape(label)}">'
            f"<style>{_PLAYER_CSS}</style>{static}"
            f'<script type="application/json" class="skp-data">{safe}</script>'
            f"<script>{_PLAYER_JS.replace('__UID__', uid)}</script></div>")


def _options(values: list[tuple[str, str]], chosen: str) -> str:
    return "".join(f'<option value="{v}"{" selected" if v == chosen else ""}>{t}</option>'
                   for v, t in values)


def transport_html(step: int, n_steps: int) -> str:
    """Play, Previous, the step, Next and the speed: the same in every player."""
    fps = _options([(str(v), str(v)) for v in (1, 2, 5, 10, 30)], "2")
    return (
        f'<div class="skp-row" {_OWN_KEYS}>'
        '<button type="button" class="skp-play sk-play" disabled>Play</button>'
        '<button type="button" class="skp-prev" disabled>Previous</button>'
        '<label class="skp-step-label">Step '
        f'<input type="range" class="skp-step sk-step" min="0" max="{max(n_steps - 1, 0)}" '
        f'value="{step}" disabled></label>'
        '<button type="button" class="skp-next" disabled>Next</button>'
        f'<label>Speed <select class="skp-fps sk-speed" disabled>{fps}</select> frames/s</label>'
        '</div>')


def settings_html(settings: list[tuple[str, str, list[tuple[str, str]], str]]) -> str:
    """One select per setting, ``(name, label, [(value, text), ...], chosen)``.

    The player's key of a setting is the selects' values joined by ``/`` in this order,
    so every combination must be in its data. Then the no-script note.
    """
    selects = "".join(
        f'<label>{label} <select class="skp-{name} sk-{name} skp-setting" disabled>'
        f"{_options(values, chosen)}</select></label>" for name, label, values, chosen in settings)
    return (f'<div class="skp-row" {_OWN_KEYS}>{selects}</div>'
            '<p class="skp-nojs">The controls need the notebook to be run (or the exported page '
            'to be opened in a browser): this is the first step, drawn without them.</p>')


def controls_html(start: str, step: int, n_steps: int, strides: int) -> str:
    """The sliding player's controls, disabled until the script runs (then it enables them)."""
    mode, flip, stride = start.split("/")
    return transport_html(step, n_steps) + settings_html([
        ("mode", "Mode", [(m, m) for m in fm.MODES], mode),
        ("flip", "Operation", [("1", "convolution"), ("0", "cross-correlation")], flip),
        ("stride", "Stride", [(str(s), str(s)) for s in range(1, strides + 1)], stride)])


#: JupyterLab and RISE read Enter, Space and arrows as notebook shortcuts; inside the
#: controls' rows they belong to the focused control (Lumino's documented opt-out).
_OWN_KEYS = 'data-lm-suppress-shortcuts="true"'

_PLAYER_CSS = """
.skp{max-width:1000px;font-size:14px;color:#000;background:#fff;padding:4px}
.skp .skp-row{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px;margin:4px 0}
.skp button,.skp select{font:inherit;color:#000;background:#f4f4f4;border:1px solid #555;
 border-radius:3px;padding:2px 8px;min-height:28px}
.skp button:focus-visible,.skp select:focus-visible,.skp input:focus-visible{
 outline:3px solid #0072B2;outline-offset:2px}
.skp input[type=range]{width:220px;vertical-align:middle}
.skp button:disabled,.skp select:disabled,.skp input:disabled{opacity:.6}
.skp .skp-status{font-weight:bold;margin:4px 0}
.skp .skp-formula{font-family:monospace;font-size:15px;padding:4px 0;overflow-wrap:anywhere;
 flex-basis:100%}
.skp .skp-grids{display:flex;flex-wrap:wrap;align-items:flex-start}
.skp .skp-nojs{color:#333;font-style:italic;margin:2px 0}
.skp .skp-live{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.skp table{border-collapse:separate;border-spacing:2px;font-family:monospace;font-size:14px;
 display:inline-table;margin:0 12px 6px 0}
.skp caption{caption-side:top;text-align:left;white-space:nowrap}
.skp th{text-align:right;padding-right:6px;white-space:nowrap;font-weight:bold}
.skp td{min-width:2.4em;height:2em;padding:0 4px;text-align:center;border:1px solid #888;
 background:#fff;color:#000}
.skp .skp-grids table{table-layout:auto;border-collapse:separate;margin:0 12px 6px 0}
.skp .skp-grids td{text-align:center;vertical-align:middle;border-bottom:1px solid #888}
.skp .skp-grids th{border:none;background:none}
.skp td.sk-pad,.skp td.sk-winpad{font-style:italic;color:#444;background:repeating-linear-gradient(
 45deg,#E4E4E4 0 4px,#fff 4px 7px)}
.skp td.sk-win,.skp td.sk-winpad,.skp td.sk-now{font-weight:bold;color:#000;border-color:#000;
 box-shadow:inset 0 0 0 3px #000}
.skp td.sk-win{background:#E69F00}
.skp td.sk-winpad{background:repeating-linear-gradient(45deg,#E69F00 0 4px,#fff 4px 7px)}
.skp td.sk-kernel{background:#BFE6D9;border-color:#009E73}
.skp td.sk-todo{background:#F2F2F2;border-color:#BBB}
.skp td.sk-now{background:#56B4E9}
.skp td.sk-blank{border:none;background:none}
.skp td.sk-index{border:none;background:none;font-size:11px;color:#444;height:auto}
.skp td.sk-n0{color:#444}
.skp td.sk-n1{background:#EDEDED}
.skp td.sk-n2{background:#D0D0D0}
.skp td.sk-n3{background:#B8B8B8}
.skp td.sk-n4{background:#A0A0A0}
.skp td.sk-hit{font-weight:bold;border-color:#000;box-shadow:inset 0 0 0 3px #000}
.skp td.sk-cropped{border-style:dashed;font-style:italic;background-image:repeating-linear-gradient(
 45deg,rgba(0,0,0,.14) 0 2px,transparent 2px 7px)}
"""

_PLAYER_JS = r"""
(function () {
  // The script's own player (a widget shown twice repeats its id), else the id.
  const me = document.currentScript;
  const root = (me && me.closest(".skp")) || document.getElementById("__UID__");
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  const data = JSON.parse(root.querySelector(".skp-data").textContent);
  const $ = (c) => root.querySelector(c);
  const ui = {play: $(".skp-play"), prev: $(".skp-prev"), next: $(".skp-next"),
    step: $(".skp-step"), fps: $(".skp-fps")};
  const settings = Array.from(root.querySelectorAll(".skp-setting"));
  const status = $(".skp-status"), live = $(".skp-live"), formula = $(".skp-formula");
  const grids = $(".skp-grids"), info = $(".skp-info");
  let cfg, step = 0, timer = null;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function makeTable(caption) {
    const t = el("table");
    if (caption) { const c = el("caption"); c.innerHTML = caption; t.appendChild(c); }
    return t;
  }
  function gridTable(texts, kind, caption, label) {
    const t = makeTable(caption), cellsOut = [];
    texts.forEach((row, r) => {
      const tr = el("tr");
      if (label) tr.appendChild(el("th", "", r === 0 ? label : ""));
      row.forEach((v, c) => {
        const td = el("td", "sk-" + (typeof kind === "function" ? kind(r, c) : kind), v);
        tr.appendChild(td); cellsOut.push(td);
      });
      t.appendChild(tr);
    });
    return [t, cellsOut];
  }
  function indexRow(count, offset, n) {  // a row of small indices over a 1D table
    const head = el("tr"); head.appendChild(el("th"));
    for (let i = 0; i < count; i++) {
      const j = i - offset;
      head.appendChild(el("td", "sk-index", j >= 0 && j < n ? String(j) : ""));
    }
    return head;
  }

  // A view draws one setting (build) and one step (paint, which returns the step's text).
  const VIEWS = {};

  VIEWS.slide = function () {  // a kernel slides and reads one window per output cell
    let inCells = [], outCells = [], kRow, shown = [];
    const factor = (t) => (t.startsWith("-") ? "(" + t + ")" : t);
    function build() {
      const n = cfg.names, pad = cfg.pad, cols = cfg.padded[0].length;
      const padKind = (r, c) => (pad[r][c] ? "pad" : "real");
      let t;
      if (cfg.oned) {
        t = makeTable("");
        t.appendChild(indexRow(cols, cfg.left, cfg.n));
        const tr = el("tr"); tr.appendChild(el("th", "", n[0])); inCells = [];
        cfg.padded[0].forEach((v, c) => {
          const td = el("td", "sk-" + padKind(0, c), v); tr.appendChild(td); inCells.push(td);
        });
        t.appendChild(tr);
        kRow = el("tr"); kRow.appendChild(el("th", "", cfg.flip ? n[1] + " flipped" : n[1]));
        t.appendChild(kRow);
        grids.appendChild(t);
      } else {
        [t, inCells] = gridTable(cfg.padded, padKind, "<b>" + n[0] + "</b> (input)");
        grids.appendChild(t);
      }
      const kernels = el("div");
      kernels.appendChild(gridTable(cfg.w, "kernel", "<b>" + n[1] + "</b> (kernel)")[0]);
      if (cfg.flip) kernels.appendChild(gridTable(cfg.kernel, "kernel", "<b>" + n[1] + "</b> flipped")[0]);
      grids.appendChild(kernels);
      if (cfg.out.length) {
        let o;
        if (cfg.oned) {
          o = makeTable("");
          const tr = el("tr"); tr.appendChild(el("th", "", n[2])); outCells = [];
          cfg.out[0].forEach(() => { const td = el("td", "sk-todo"); tr.appendChild(td); outCells.push(td); });
          o.appendChild(indexRow(cfg.out[0].length, 0, cfg.out[0].length)); o.appendChild(tr);
        } else {
          [o, outCells] = gridTable(cfg.out.map((r) => r.map(() => "")), "todo", "<b>" + n[2] + "</b> (output)");
        }
        if (cfg.oned) { grids.appendChild(formula); grids.appendChild(o); }
        else { grids.appendChild(o); grids.after(formula); }
      } else { outCells = []; }
      shown = [];
    }
    function paint(step) {
      const oc = cfg.out[0].length, r = Math.floor(step / oc), c = step % oc;
      const kh = cfg.kernel.length, kw = cfg.kernel[0].length, s0 = cfg.stride;
      const r0 = cfg.oned ? 0 : r * s0, c0 = (cfg.oned ? step : c) * s0;
      const cols = cfg.padded[0].length, terms = [];
      for (const [td, base] of shown) td.className = base;
      shown = [];
      for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        const td = inCells[(r0 + i) * cols + c0 + j], isPad = cfg.pad[r0 + i][c0 + j];
        td.className = isPad ? "sk-winpad" : "sk-win";
        shown.push([td, isPad ? "sk-pad" : "sk-real"]);
        terms.push(factor(cfg.padded[r0 + i][c0 + j]) + "\u00b7" + factor(cfg.kernel[i][j]));
      }
      outCells.forEach((td, k) => {
        const kind = k < step ? "sk-done" : k === step ? "sk-now" : "sk-todo";
        if (td.className !== kind) td.className = kind;
        const text = k <= step ? cfg.out[Math.floor(k / oc)][k % oc] : "";
        if (td.textContent !== text) td.textContent = text;
      });
      if (cfg.oned) {
        const row = [kRow.firstChild];
        for (let i = 0; i < cols; i++) {
          const j = i - c0;
          row.push(j >= 0 && j < kw ? el("td", "sk-kernel", cfg.kernel[0][j]) : el("td", "sk-blank"));
        }
        kRow.replaceChildren(...row);
      }
      const where = cfg.oned ? String(step) : r + "," + c;
      return cfg.names[2] + "[" + where + "] = " + terms.join(" + ") + " = " + cfg.out[r][c];
    }
    return {build, paint, total: () => outCells.length,
      // a new setting keeps the output cell (clamped into the new output)
      keep: (s) => [Math.floor(s / cfg.out[0].length), s % cfg.out[0].length],
      restore: (old) => {
        const oc = cfg.out[0].length, r = Math.min(old[0], cfg.out.length - 1);
        const c = Math.min(old[1], oc - 1);
        return cfg.oned ? c : r * oc + c;
      }};
  };

  VIEWS.stamp = function () {  // each input entry writes a scaled kernel; stamps add
    let xCells = [], outCells = [], countCells = [], stampCells = [], stampCaption = null;
    const blank = (rows) => rows.map((r) => r.map(() => ""));
    function build() {
      const n = cfg.names;
      outCells = []; countCells = []; stampCells = []; stampCaption = null;
      let t;
      if (cfg.oned) {
        t = makeTable("");
        t.appendChild(indexRow(cfg.x[0].length, 0, cfg.x[0].length));
        const tr = el("tr"); tr.appendChild(el("th", "", n[0])); xCells = [];
        cfg.x[0].forEach((v) => { const td = el("td", "sk-real", v); tr.appendChild(td); xCells.push(td); });
        t.appendChild(tr);
      } else {
        [t, xCells] = gridTable(cfg.x, "real", "<b>" + n[0] + "</b> (input)");
      }
      grids.appendChild(t);
      grids.appendChild(gridTable(cfg.w, "kernel", "<b>" + n[1] + "</b> (kernel)")[0]);
      if (!cfg.steps.length) return;
      const rows = cfg.crop.length, cols = cfg.crop[0].length;
      if (cfg.oned) {  // one table: the stamp under its place, the output, the counts
        const o = makeTable("");
        o.appendChild(indexRow(cols, 0, cols));
        const lines = [["stamp", stampCells], [n[2], outCells], ["stamps", countCells]];
        for (const [label, store] of lines) {
          const tr = el("tr"); tr.appendChild(el("th", "", label));
          for (let i = 0; i < cols; i++) { const td = el("td"); tr.appendChild(td); store.push(td); }
          o.appendChild(tr);
        }
        grids.appendChild(formula); grids.appendChild(o);
      } else {
        const canvas = Array.from({length: rows}, () => new Array(cols).fill(""));
        [t, stampCells] = gridTable(blank(cfg.w), "now", "stamp");
        stampCaption = t.querySelector("caption");
        grids.appendChild(t);
        [t, outCells] = gridTable(canvas, "todo", "<b>" + n[2] + "</b> (output so far)");
        grids.appendChild(t);
        [t, countCells] = gridTable(canvas, "n0", "<b>stamps</b> per cell so far");
        grids.appendChild(t);
        grids.after(formula);
      }
    }
    function paint(step) {
      const cols = cfg.crop[0].length, crop = cfg.crop.flat(), size = crop.length;
      const texts = new Array(size).fill("0"), counts = new Array(size).fill("0");
      const when = new Array(size).fill(-1);
      for (let t = 0; t <= step; t++) {  // the model's numbers after each stamp, in order
        const st = cfg.steps[t], [r0, c0] = st.at;
        st.out.forEach((row, i) => row.forEach((v, j) => {
          const k = (r0 + i) * cols + c0 + j;
          texts[k] = v; counts[k] = st.count[i][j]; when[k] = t;
        }));
      }
      const st = cfg.steps[step], cut = (k) => (crop[k] ? " sk-cropped" : "");
      outCells.forEach((td, k) => {
        td.className = (when[k] === step ? "sk-now" : when[k] >= 0 ? "sk-done" : "sk-todo") + cut(k);
        td.textContent = texts[k];
      });
      countCells.forEach((td, k) => {
        td.className = "sk-n" + Math.min(Number(counts[k]), 4) + (when[k] === step ? " sk-hit" : "") + cut(k);
        td.textContent = counts[k];
      });
      xCells.forEach((td, k) => { td.className = k === step ? "sk-win" : "sk-real"; });
      if (cfg.oned) {
        const c0 = st.at[1], kw = st.stamp[0].length;
        stampCells.forEach((td, i) => {
          const j = i - c0, inside = j >= 0 && j < kw;
          td.className = inside ? "sk-now" : "sk-blank";
          td.textContent = inside ? st.stamp[0][j] : "";
        });
      } else {
        const flat = st.stamp.flat();
        stampCells.forEach((td, k) => { td.textContent = flat[k]; });
        stampCaption.innerHTML = "<b>stamp</b> " + st.who;
      }
      return st.formula;
    }
    return {build, paint, total: () => (cfg.steps.length && outCells.length ? cfg.steps.length : 0),
      keep: (s) => s, restore: (old) => Math.min(old, cfg.steps.length - 1)};
  };

  const view = VIEWS[data.kind || "slide"]();
  function build(key) {
    cfg = data.configs[key];
    grids.replaceChildren(); formula.textContent = ""; info.innerHTML = cfg.info;
    view.build();
    const total = view.total();
    for (const c of [ui.play, ui.prev, ui.next, ui.step]) c.disabled = total === 0;
    ui.step.max = Math.max(total - 1, 0);
  }
  function show(s, announce) {
    const total = view.total();
    if (!total) {
      status.textContent = "No steps: " + cfg.message; live.textContent = status.textContent;
      return;
    }
    step = Math.min(Math.max(s, 0), total - 1);
    const text = view.paint(step);
    formula.textContent = text;
    ui.step.value = step;
    ui.step.setAttribute("aria-valuetext", "step " + (step + 1) + " of " + total);
    status.textContent = "Step " + (step + 1) + " of " + total;
    if (announce) live.textContent = "Step " + (step + 1) + " of " + total + ": " + text;
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    ui.play.textContent = "Play"; ui.play.setAttribute("aria-pressed", "false");
  }
  function play() {
    const total = view.total();
    if (!total) return;
    if (step >= total - 1) show(0, false);
    ui.play.textContent = "Pause"; ui.play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => {
      if (step >= view.total() - 1) { stop(); show(step, true); return; }
      show(step + 1, false);
    }, 1000 / Number(ui.fps.value));
  }
  function key() { return settings.map((c) => c.value).join("/"); }
  function rebuild() {
    const old = view.total() ? view.keep(step) : null;
    stop(); build(key());
    show(view.total() && old !== null ? view.restore(old) : 0, true);
  }
  ui.play.addEventListener("click", () => (timer === null ? play() : (stop(), show(step, true))));
  ui.prev.addEventListener("click", () => { stop(); show(step - 1, true); });
  ui.next.addEventListener("click", () => { stop(); show(step + 1, true); });
  ui.step.addEventListener("input", () => { stop(); show(Number(ui.step.value), true); });
  ui.fps.addEventListener("change", () => { if (timer !== null) { stop(); play(); } });
  for (const c of settings) c.addEventListener("change", rebuild);
  // Keys pressed on a control are the control's: a notebook or a slideshow around the
  // player would read Enter, Space and the arrows as its own commands (and cancel the
  // button's click), so they stop here, and Enter and Space press the button.
  root.addEventListener("keydown", (e) => {
    if (!e.target.closest("button, select, input")) return;
    e.stopPropagation();
    if (e.target.tagName === "BUTTON" && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      if (!e.repeat || e.key === "Enter") e.target.click();
    }
  });
  root.addEventListener("keyup", (e) => {
    if (e.target.closest("button, select, input")) e.stopPropagation();
  });
  for (const c of [...Object.values(ui), ...settings]) c.disabled = false;
  const nojs = $(".skp-nojs"); if (nojs) nojs.remove();
  build(data.start); show(data.step, false);
  root.skPlayer = {show: (s) => show(s, true), play, stop, get step() { return step; },
    get nSteps() { return view.total(); }, get formula() { return formula.textContent; }};
})();
"""
