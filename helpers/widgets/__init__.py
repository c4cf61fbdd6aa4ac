"""The sliding-kernel widgets of notebooks 03 to 05, and their transposed form of notebook 07.

- :mod:`~helpers.widgets.frames` -- the pure frame model: windows, products, sums (no widgets)
- :mod:`~helpers.widgets.controls` -- :class:`SlidingKernel1D` and :class:`SlidingKernel2D`
- :mod:`~helpers.widgets.stamps` -- the pure model of a transposed convolution: one stamp per input entry
- :mod:`~helpers.widgets.stamping` -- :class:`StampingKernel1D` and :class:`StampingKernel2D`
- :mod:`~helpers.widgets.player` -- the HTML cells and the player that runs in the browser
- :mod:`~helpers.widgets.drawing` -- the same frames drawn with matplotlib: figure, filmstrip, GIF

``from helpers.widgets import SlidingKernel2D`` imports ipywidgets but not matplotlib.
"""

from helpers.widgets.controls import SlidingKernel1D, SlidingKernel2D
from helpers.widgets.stamping import StampingKernel1D, StampingKernel2D

__all__ = ["SlidingKernel1D", "SlidingKernel2D", "StampingKernel1D", "StampingKernel2D"]
