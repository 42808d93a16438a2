"""Where the lecture's figures go: `figures/` at the top of the project.

`save_figure` keeps a figure that is already there when the new drawing is the same to the eye:
another CPU's BLAS kernel moves a curve by a fraction of a pixel, which changes a few pixels'
anti-aliasing and every byte of the compressed PNG. Rewriting the file for that would leave a
student's clone with changed files after every run (and merge conflicts on the next pull).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from nnedu._files import atomic_write_bytes

# A drawing is "the same" when at most this fraction of its pixels differ by more than
# PIXEL_TOLERANCE (of 255) in a channel: anti-aliasing noise stays far below it, a moved label,
# point or curve far above it.
CHANGED_FRACTION = 0.002
PIXEL_TOLERANCE = 64


def figures_dir() -> Path:
    """`$NNEDU_FIGURES`, else the `figures/` folder of the project the working directory is in
    (found by walking up to `pyproject.toml`), else `./figures`."""
    if os.environ.get("NNEDU_FIGURES"):
        path = Path(os.environ["NNEDU_FIGURES"])
    else:
        here = Path.cwd().resolve()
        path = here / "figures"
        for folder in (here, *here.parents):
            if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
                path = folder / "figures"
                break
    path.mkdir(parents=True, exist_ok=True)
    return path


def same_to_the_eye(a: bytes, b: bytes) -> bool:
    """Whether two PNGs have the same size and differ in at most `CHANGED_FRACTION` of their
    pixels by more than `PIXEL_TOLERANCE`."""
    from PIL import Image

    try:
        first, second = (np.asarray(Image.open(io.BytesIO(x)).convert("RGBA"), dtype=np.int16)
                         for x in (a, b))
    except OSError:  # not a readable PNG: not the same
        return False
    if first.shape != second.shape:
        return False
    changed = (np.abs(first - second) > PIXEL_TOLERANCE).any(axis=-1)
    return changed.mean() <= CHANGED_FRACTION


def save_figure(fig: Figure, name: str, dpi: int = 110) -> Path:
    """Save `fig` as `figures/<name>.png` (no timestamp or version inside) and return the path.

    An existing file is kept when the new drawing is the same to the eye (see `same_to_the_eye`),
    unless `$NNEDU_REWRITE_FIGURES` is set (how `make notebooks` regenerates every figure). The
    write is atomic (`nnedu._files`): a temporary file in the same folder, renamed over the old
    one, so a failed save never leaves half a picture and keeps the previous figure.
    """
    path = figures_dir() / (name if name.endswith(".png") else f"{name}.png")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    data = buffer.getvalue()
    if path.is_file() and not os.environ.get("NNEDU_REWRITE_FIGURES"):
        old = path.read_bytes()
        if old == data or same_to_the_eye(old, data):
            return path
    return atomic_write_bytes(path, data)
