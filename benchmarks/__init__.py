"""Benchmarks for ``helpers.conv`` and for what a student waits for: ``make bench``.

Run ``python -m benchmarks`` (all suites, about 10 minutes on 2 cores) or
``python -m benchmarks --quick`` (a reduced grid, seconds), optionally with
``--only conv2d,layer`` and ``--out DIR``. Results go to ``benchmarks/results/``:

- ``results.json``: every measurement (machine-readable; the other files are made from it),
- ``results.md``: the tables,
- ``conv2d_crossover.png``: time against kernel size, direct versus FFT,
- ``README-section.md``: the short "Performance" section for the README.

How we time (see :mod:`benchmarks.timing`): every figure is the median of several
rounds after a warm-up call, and the methods of one comparison are interleaved
round by round, so a ratio is always taken between calls made at the same time.
Absolute times drift on a shared machine; the ratios are the headline.

Suites, one module each: :mod:`~benchmarks.conv2d`, :mod:`~benchmarks.conv1d`,
:mod:`~benchmarks.layer` (GFLOP/s against GEMM) and :mod:`~benchmarks.waits` (widget
steps, notebooks, ``import helpers``, ``make test``). :mod:`~benchmarks.report`
renders the files.
"""
