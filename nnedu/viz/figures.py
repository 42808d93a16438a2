"""Where the lecture's figures go: `figures/` at the top of the project."""

from __future__ import annotations

import io
import os
from pathlib import Path

from matplotlib.figure import Figure

from nnedu._files import atomic_write_bytes


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


def save_figure(fig: Figure, name: str, dpi: int = 110) -> Path:
    """Save `fig` as `figures/<name>.png` (no timestamp or version inside) and return the path.
    The write is atomic: a failed save leaves an existing figure as it was."""
    path = figures_dir() / (name if name.endswith(".png") else f"{name}.png")
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return atomic_write_bytes(path, png.getvalue())
