"""`setup_notebook()`: the one call at the top of every lecture notebook.

It makes a notebook give the same numbers and pictures on every student's machine:

- **one BLAS thread.** The lecture's matrices are small, so one thread is faster than a pool, and
  a matrix product summed by one thread in one order does not change with the number of cores.
- **matplotlib's own font** (DejaVu Sans, shipped inside matplotlib) for every figure, so a
  laptop with other fonts installed draws the same picture.
- **graphs laid out with the same font** (see `nnedu.viz.fonts`).
- **a failed assert shows what it compared** (see `nnedu.viz.asserts`), in plain text when the
  notebook runs under a program that is not a terminal (`NO_COLOR` set, as `make` does in CI).
"""

from __future__ import annotations

import os
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
    _install_assert_handler()


def _install_assert_handler() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # not in IPython: nothing to install
        return
    shell = get_ipython()
    if shell is None:
        return
    from nnedu.viz.asserts import show_assertion_values

    shell.set_custom_exc((AssertionError,), show_assertion_values)
    if os.environ.get("NO_COLOR"):
        shell.run_line_magic("colors", "nocolor")
