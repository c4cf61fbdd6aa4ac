"""Build one offline reveal.js deck per notebook: ``make slides``.

nbconvert's decks load reveal.js, require.js, jQuery and MathJax from CDNs, which fail
when a lecture hall's network does. This script installs the pinned copies of
``deck_assets/package.json`` with npm (once, into ``build/deck-npm``) and copies into
``<out>/_assets`` only the files the decks load, so the deck folder is small and opens
from disk with no network. The sliding-kernel widgets are stored as their HTML player,
which plays in a deck with no kernel and no widget renderer.

Each deck also gets:

- links to the other decks (``NN_x.slides.html``) where the notebook links to ``NN_x.ipynb``;
- a projector theme (``deck_assets/projector.css``): larger code, colours that keep
  at least 4.5:1 contrast, underlined links, no ``In [ ]`` prompts, slides 1280x720.

Without npm it says so and writes decks that load the same files from CDNs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tools import course_notebooks

ROOT = Path(__file__).resolve().parents[1]
ASSETS = Path(__file__).with_name("deck_assets")
NPM_CACHE = ROOT / "build" / "deck-npm"
LOCAL = "_assets"
LOCAL_URLS = {
    "reveal_url_prefix": f"{LOCAL}/reveal.js",
    "require_js_url": f"{LOCAL}/requirejs/require.js",
    "jquery_url": f"{LOCAL}/jquery/dist/jquery.min.js",
    "mathjax_url": f"{LOCAL}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
}
#: What the decks load, relative to node_modules (folders are copied whole).
NEEDED = [
    "reveal.js/dist/reveal.js", "reveal.js/dist/reveal.css", "reveal.js/dist/theme/white.css",
    "reveal.js/dist/theme/fonts/source-sans-pro", "reveal.js/plugin/notes/notes.js",
    "reveal.js/LICENSE",
    "requirejs/require.js", "jquery/dist/jquery.min.js", "jquery/LICENSE.txt",
    "mathjax/MathJax.js", "mathjax/LICENSE", "mathjax/config/TeX-AMS_CHTML-full.js",
    "mathjax/config/Safe.js",
    "mathjax/jax/input/TeX", "mathjax/jax/output/CommonHTML", "mathjax/jax/element",
    "mathjax/fonts/HTML-CSS/TeX/woff", "mathjax/extensions/Safe.js",
    "mathjax/extensions/MathMenu.js", "mathjax/extensions/MathZoom.js",
    "mathjax/extensions/AssistiveMML.js", "mathjax/extensions/a11y", "mathjax/extensions/TeX",
    "mathjax/extensions/CHTML-preview.js", "mathjax/extensions/fast-preview.js",
    "mathjax/extensions/tex2jax.js", "mathjax/extensions/MathEvents.js",
    "mathjax/extensions/toMathML.js", "mathjax/extensions/HelpDialog.js",
]
# The course has no Mermaid diagrams; nbconvert would still import Mermaid from a CDN.
_MERMAID = re.compile(r'<script type="module">\s*import mermaid.*?</script>', re.DOTALL)
#: A link to a course notebook (``03_x.ipynb`` or ``./03_x.ipynb#part``), in a deck's HTML.
_NOTEBOOK_LINK = re.compile(r'href="(?:\./)?(\d\d_[A-Za-z0-9_-]+)\.ipynb(#[^"]*)?"')


def install_assets(out: Path) -> bool:
    """Copy what the decks load into ``out/_assets``; False when npm is missing."""
    npm = shutil.which("npm")
    if npm is None:
        return False
    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ASSETS / name, NPM_CACHE / name)
    modules = NPM_CACHE / "node_modules"
    stamp = modules / ".package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < (ASSETS / "package-lock.json").stat().st_mtime:
        cmd = [npm, "ci", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts"]
        subprocess.run(cmd, cwd=NPM_CACHE, check=True, stdout=subprocess.DEVNULL)
    target = out / LOCAL
    shutil.rmtree(target, ignore_errors=True)
    for part in NEEDED:
        source, dest = modules / part, target / part
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest)
        else:
            shutil.copy2(source, dest)
    shutil.copy2(ASSETS / "projector.css", target / "projector.css")
    return True


def build_deck(notebook: Path, out: Path, offline: bool) -> Path:
    """Write ``out/<notebook stem>.slides.html`` and return its path."""
    from nbconvert import SlidesExporter

    # 'white' loads its font from reveal.js's own files; nbconvert's default theme,
    # 'simple', imports Google Fonts, which an offline deck cannot reach.
    exporter = SlidesExporter(reveal_scroll=True, reveal_number="c/t", reveal_theme="white",
                              reveal_width="1280", reveal_height="720")
    for trait, url in LOCAL_URLS.items() if offline else ():
        setattr(exporter, trait, url)
    html, _ = exporter.from_filename(str(notebook))
    html = _MERMAID.sub("", html)
    html = _NOTEBOOK_LINK.sub(lambda m: f'href="{m[1]}.slides.html{m[2] or ""}"', html)
    css = (f'<link rel="stylesheet" href="{LOCAL}/projector.css">' if offline else
           f"<style>{(ASSETS / 'projector.css').read_text(encoding='utf-8')}</style>")
    html = html.replace("</head>", f"{css}\n</head>", 1)
    html = html.replace('<html>', '<html lang="en">', 1)
    deck = out / f"{notebook.stem}.slides.html"
    deck.write_text(html, encoding="utf-8")
    return deck


def folder_size(folder: Path) -> int:
    """Bytes in ``folder``, every file counted once."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "build/slides")
    out.mkdir(parents=True, exist_ok=True)
    offline = install_assets(out)
    if not offline:
        print("npm was not found, so the decks load reveal.js, require.js, jQuery and MathJax "
              "from public CDNs and need a network connection.\n"
              "Install Node.js with npm and run `make slides` again for offline decks.")
    for notebook in course_notebooks():
        deck = build_deck(notebook, out, offline)
        print(f"wrote {deck} ({'offline' if offline else 'needs network'})")
    print(f"{out}: {folder_size(out) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
