"""The sliding-kernel widgets of notebooks 03 to 05: a kernel sliding over an input.

- :mod:`~helpers.widgets.frames` -- the pure frame model: windows, products, sums (no widgets)
- :mod:`~helpers.widgets.controls` -- :class:`SlidingKernel1D` and :class:`SlidingKernel2D`
- :mod:`~helpers.widgets.player` -- the HTML cells and the player that runs in the browser
- :mod:`~helpers.widgets.drawing` -- the same frames drawn with matplotlib: figure, filmstrip, GIF

``from helpers.widgets import SlidingKernel2D`` imports ipywidgets but not matplotlib.
"""

from helpers.widgets.controls import SlidingKernel1D, SlidingKernel2D

__all__ = ["SlidingKernel1D", "SlidingKernel2D"]
