"""The setup every notebook runs first: version checks, print options, plot style.

Introduced in notebook 00_start-here; every notebook's setup cell calls :func:`setup`.
"""

from __future__ import annotations

from importlib.metadata import version

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
