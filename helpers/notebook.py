"""The setup every notebook runs first: version checks, print options, plot style.

Introduced in notebook 00_start-here; every notebook's setup cell calls :func:`setup`.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

#: Okabe–Ito colours: distinguishable with every common colour-vision deficiency.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
             "#000000")

_MINIMUM = {"numpy": (2, 0), "scipy": (1, 13), "matplotlib": (3, 9), "ipywidgets": (8, 1)}


def _major_minor(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()) or 0)


def check_versions() -> None:
    """Raise a clear error when an installed package is older than the course needs.

    Examples
    --------
    >>> check_versions()
    """
    for package, minimum in _MINIMUM.items():
        found = version(package)
        if _major_minor(found) < minimum:
            need = ".".join(map(str, minimum))
            raise RuntimeError(
                f"{package} {found} is too old; the course needs {package} >= {need}. "
                "Run `make lab` from the repository, which installs requirements.txt."
            )


def setup(precision: int = 4) -> None:
    """Check versions, fix NumPy's print options and a colour-blind-safe plot style.

    Examples
    --------
    >>> setup()
    >>> import numpy as np
    >>> np.array([1 / 3])
    array([0.3333])
    """
    import numpy as np

    check_versions()
    np.set_printoptions(precision=precision, suppress=True, linewidth=100)
    _style_matplotlib()


def _style_matplotlib() -> None:
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "axes.prop_cycle": cycler(color=OKABE_ITO),
        "figure.dpi": 90,
        "figure.figsize": (6.4, 3.6),
        "image.cmap": "cividis",
        "axes.grid": False,
        "font.size": 11,
    })


def show(fig, alt: str) -> None:
    """Display a matplotlib figure sharp on a projector, with a text alternative, and close it.

    Introduced in notebook 00_start-here; every notebook shows its figures this way, so
    that a screen reader (and an exported deck) can say what a figure shows.

    The figure is stored as a PNG at twice its display resolution (what matplotlib's
    ``retina`` format does) and shown at its normal size, inside an HTML ``<img>`` that
    carries ``alt``: JupyterLab ignores an image output's ``alt`` metadata and nbconvert
    replaces it with a placeholder, while an ``<img alt>`` reaches the screen reader in
    JupyterLab, RISE, exported HTML and reveal.js decks alike. ``text/plain`` holds the
    same sentence for a reader that shows no images.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    alt : str
        What the figure shows, in one or two sentences (not "a plot"): the reader who
        cannot see it should learn what a sighted reader learns.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> show(fig, "")
    Traceback (most recent call last):
    ...
    ValueError: alt must say what the figure shows; got ''
    >>> fig, ax = plt.subplots(figsize=(2, 1), dpi=100)
    >>> html = figure_html(fig, 'Two "bars"')  # stored at 400 pixels, shown at 200
    >>> html.startswith('<img src="data:image/png;base64,'), html[-39:]
    (True, 'width="200" alt="Two &quot;bars&quot;">')
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must say what the figure shows; got {alt!r}")
    html = figure_html(fig, alt, bbox_inches="tight")
    plt.close(fig)
    display({"text/html": html, "text/plain": f"[figure] {alt}"}, raw=True)


def figure_html(fig, alt: str, **savefig: Any) -> str:
    """An ``<img>`` of ``fig`` at twice its resolution, shown at its size, with ``alt``."""
    import base64
    import io
    from html import escape

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=2 * fig.dpi, metadata={"Software": None}, **savefig)
    png = buffer.getvalue()
    width = int.from_bytes(png[16:20], "big") // 2  # the PNG's width, in CSS pixels
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" width="{width}" alt="{escape(alt)}">'
