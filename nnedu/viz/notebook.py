"""`setup_notebook()`: the one call at the top of every lecture notebook.

It makes a notebook give the same numbers and pictures on every student's machine:

- **one BLAS thread.** The lecture's matrices are small, so one thread is faster than a pool, and
  a matrix product summed by one thread in one order does not change with the number of cores.
- **matplotlib's own font** (DejaVu Sans, shipped inside matplotlib) for every figure, so a
  laptop with other fonts installed draws the same picture.
- **graphs laid out with the same font** (see `nnedu.viz.fonts`).
"""

from __future__ import annotations

from typing import Any

_blas_limit: Any = None  # the threadpoolctl limit, kept alive for the kernel's lifetime


def setup_notebook(threads: int = 1) -> None:
    """Fix BLAS threads, the figures' font and style for a lecture notebook (prints nothing)."""
    global _blas_limit
    import matplotlib as mpl
    from threadpoolctl import threadpool_limits

    from nnedu.viz.fonts import use_bundled_font

    _blas_limit = threadpool_limits(threads, user_api="blas")
    mpl.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "mathtext.fontset": "dejavusans",
        "svg.hashsalt": "nnedu",
        "figure.dpi": 100,
    })
    use_bundled_font()
