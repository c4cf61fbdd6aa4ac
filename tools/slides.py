"""Build one offline reveal.js deck per notebook: ``make slides``.

nbconvert's decks load reveal.js, require.js, jQuery, MathJax and the widget
renderer from CDNs, which fail when a lecture hall's network does. This script
installs the pinned copies from ``deck_assets/package.json`` with npm into
``<out>/_assets`` and points every deck at them, so a deck opens from disk with
no network. The widgets show the state saved when the notebook was executed.

Without npm it says so and writes decks that load the same files from CDNs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tools import course_notebooks

ASSETS = Path(__file__).with_name("deck_assets")
MODULES = "_assets/node_modules"
LOCAL_URLS = {
    "reveal_url_prefix": f"{MODULES}/reveal.js",
    "require_js_url": f"{MODULES}/requirejs/require.js",
    "jquery_url": f"{MODULES}/jquery/dist/jquery.min.js",
    "mathjax_url": f"{MODULES}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "widget_renderer_url": f"{MODULES}/@jupyter-widgets/html-manager/dist/embed-amd.js",
    "font_awesome_url": f"{MODULES}/font-awesome/css/font-awesome.css",
}
# The course has no Mermaid diagrams; nbconvert would still import Mermaid from a CDN.
_MERMAID = re.compile(r'<script type="module">\s*import mermaid.*?</script>', re.DOTALL)


def install_assets(out: Path) -> bool:
    """``npm ci`` the pinned deck assets into ``out/_assets``; False when npm is missing."""
    npm = shutil.which("npm")
    if npm is None:
        return False
    target = out / "_assets"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ASSETS / name, target / name)
    stamp = target / "node_modules" / ".package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < (ASSETS / "package-lock.json").stat().st_mtime:
        cmd = [npm, "ci", "--omit=dev", "--no-audit", "--no-fund", "--ignore-scripts"]
        subprocess.run(cmd, cwd=target, check=True, stdout=subprocess.DEVNULL)
    _place_widget_fonts(target / "node_modules", out)
    return True


def _place_widget_fonts(modules: Path, out: Path) -> None:
    """Copy the widget renderer's icon fonts to where it looks for them.

    The renderer defines AMD modules named ``@jupyter-widgets/...``; require.js
    resolves those names against the deck's folder, so the fonts it loads (Font
    Awesome, for the play and step buttons) are fetched from ``<out>/@jupyter-widgets/``.
    """
    dist = modules / "@jupyter-widgets" / "html-manager" / "dist"
    (out / "@jupyter-widgets").mkdir(parents=True, exist_ok=True)
    for font in dist.iterdir():
        if font.suffix in {".woff", ".woff2", ".ttf", ".eot", ".svg"}:
            shutil.copy2(font, out / "@jupyter-widgets" / font.name)


def build_deck(notebook: Path, out: Path, offline: bool) -> Path:
    """Write ``out/<notebook stem>.slides.html`` and return its path."""
    from nbconvert import SlidesExporter

    # 'white' loads its font from reveal.js's own files; nbconvert's default theme,
    # 'simple', imports Google Fonts, which an offline deck cannot reach.
    exporter = SlidesExporter(reveal_scroll=True, reveal_number="c/t", reveal_theme="white")
    for trait, url in LOCAL_URLS.items() if offline else ():
        setattr(exporter, trait, url)
    html, _ = exporter.from_filename(str(notebook))
    deck = out / f"{notebook.stem}.slides.html"
    deck.write_text(_MERMAID.sub("", html), encoding="utf-8")
    return deck


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "build/slides")
    out.mkdir(parents=True, exist_ok=True)
    offline = install_assets(out)
    if not offline:
        print("npm was not found, so the decks load reveal.js, require.js, jQuery, MathJax and "
              "the widget renderer from public CDNs and need a network connection.\n"
              "Install Node.js with npm and run `make slides` again for offline decks.")
    for notebook in course_notebooks():
        deck = build_deck(notebook, out, offline)
        print(f"wrote {deck} ({'offline' if offline else 'needs network'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
