"""nbval settings for the lecture notebooks.

Text outputs are compared (after the sanitizers in `sanitize.cfg`); pictures, HTML renderings
of the same tables, and stderr (progress bars, warnings) are not: they are checked by the
asserting cells instead.
"""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TQDM_DISABLE", "1")

SKIP = ("image/png", "image/jpeg", "image/svg+xml", "application/pdf", "text/html",
        "application/javascript", "stderr")


def pytest_collectstart(collector):
    if getattr(collector, "fspath", None) and collector.fspath.ext == ".ipynb":
        collector.skip_compare += SKIP
