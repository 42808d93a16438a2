"""nbval settings for the lecture notebooks.

Text outputs are compared (after the sanitizers in `sanitize.cfg`); pictures, HTML renderings
of the same tables, and stderr (progress bars, warnings) are not: they are checked by the
asserting cells instead. Cells tagged `nbval-ignore-output` (machine-dependent numbers such as
timings) run but are not compared; an assert beside them pins the fact.

When pytest's output is not a terminal (CI, a log file), failures are reported without ANSI colour
codes: nbval's own and the kernel's tracebacks (`NO_COLOR`, read by `setup_notebook`).
"""

import os
import re
import sys

import nbval.plugin

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TQDM_DISABLE", "1")

SKIP = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf", "text/html",
        "application/javascript", "application/vnd.jupyter.widget-view+json", "stderr")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def pytest_configure(config):
    if config.option.color == "no" or (config.option.color == "auto"
                                       and not sys.stdout.isatty()):
        config.option.color = "no"
        os.environ.setdefault("NO_COLOR", "1")
        _repr_failure = nbval.plugin.IPyNbCell.repr_failure

        def plain_repr_failure(self, excinfo, *args, **kwargs):
            return _ANSI.sub("", str(_repr_failure(self, excinfo, *args, **kwargs)))

        nbval.plugin.IPyNbCell.repr_failure = plain_repr_failure


def pytest_collectstart(collector):
    if getattr(collector, "fspath", None) and collector.fspath.ext == ".ipynb":
        collector.skip_compare += SKIP
