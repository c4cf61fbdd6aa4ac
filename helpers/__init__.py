"""The tested math behind the course *The multiplications inside a neural network*.

Each module holds one idea, and each function names the notebook that introduces it:

- :mod:`helpers.geometry` -- where a kernel goes: padding per mode, output sizes (03-07)
- :mod:`helpers.checks` -- the input checks of every public function, written once
- :mod:`helpers.activations` -- the sigmoid and its derivative (notebook 01)
- :mod:`helpers.network` -- the 3-4-2 network, forward and Hadamard-form backward (01, 02)
- :mod:`helpers.gradcheck` -- central differences and the relative error (02)
- :mod:`helpers.conv` -- 1D/2D convolution and correlation, im2col, the layer and its
  transpose (03-07): ``loops`` (the reference) and ``fast`` inside
- :mod:`helpers.convnet` -- the 1D convolutional network of notebook 06
- :mod:`helpers.kernels` -- named filters: blur, sharpen, Sobel, moving average (03, 05)
- :mod:`helpers.widgets` -- the sliding-kernel widgets (03-05) over pure frame models
  (``frames``; ``stamps``, the transposed convolution of 07)
- :mod:`helpers.plots` -- the course's figures (network diagrams, boundaries, im2col)
- :mod:`helpers.data` -- loaders for the files in ``data/``
- :mod:`helpers.notebook` -- the setup cell and ``show(fig, alt)``
- :mod:`helpers.exercises` -- checks that give specific feedback on the exercises

``import helpers`` stays fast: it imports no submodule, so NumPy, SciPy, ipywidgets
and matplotlib are loaded only by the modules that need them.
"""

__version__ = "0.1.0"
