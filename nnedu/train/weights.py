"""A model's weights: copy them out and back in, save them to and load them from `.npz` files.

A file holds one array per parameter, named `<layer index>.<layer>.<parameter>` (e.g.
`0.Linear.W`), written and read with `allow_pickle=False`, so loading a file runs no code.
Loading checks the names, shapes and dtypes against the model before it changes anything.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from nnedu.nn.parameter import Parameter


class WeightsFileError(ValueError):
    """A weights file that does not fit the model, or is not a readable `.npz` file."""


def named_parameters(model: object) -> list[tuple[str, Parameter]]:
    """(name, parameter) pairs in the order of `model.parameters()`."""
    layers = getattr(model, "layers", None)
    if layers is None:
        return [(f"{i}.{p.name or 'param'}", p) for i, p in enumerate(model.parameters())]
    return [(f"{i}.{type(layer).__name__}.{p.name or j}", p)
            for i, layer in enumerate(layers) for j, p in enumerate(layer.parameters())]


def get_weights(model: object) -> list[np.ndarray]:
    """Copies of all parameter arrays (a snapshot that later training does not change)."""
    return [p.data.copy() for p in model.parameters()]


def set_weights(model: object, weights: list[np.ndarray]) -> None:
    """Copy `weights` into the model's parameters, in place (flat buffers stay shared)."""
    params = model.parameters()
    if len(weights) != len(params):
        raise ValueError(f"set_weights: the model has {len(params)} parameters, "
                         f"got {len(weights)} arrays")
    for (name, p), w in zip(named_parameters(model), weights):
        if w.shape != p.data.shape:
            raise ValueError(f"set_weights: {name} has shape {p.data.shape}, got {w.shape}")
    for p, w in zip(params, weights):
        p.data[...] = w


def save_weights(model: object, path: str | Path) -> Path:
    """Write the model's parameters to `path` (an uncompressed `.npz`); returns the path."""
    path = Path(path)
    arrays = {name: p.data for name, p in named_parameters(model)}
    with path.open("wb") as f:
        np.savez(f, **arrays)
    return path


def load_weights(model: object, path: str | Path) -> None:
    """Load weights saved by `save_weights` into `model`, after checking every array fits.

    Raises WeightsFileError, naming the file and the first mismatch, for a file of another
    architecture (names, shapes), another dtype, or a truncated or corrupted file; the model is
    left unchanged then.
    """
    path = Path(path)
    expected = named_parameters(model)
    try:
        with np.load(path, allow_pickle=False) as archive:
            names = list(archive.files)
            arrays = {name: archive[name] for name in names}
    except FileNotFoundError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise WeightsFileError(f"{path}: not a readable .npz weights file ({error}); it may "
                               "be truncated or corrupted, save the weights again") from None
    wanted = [name for name, _ in expected]
    if names != wanted:
        missing = [n for n in wanted if n not in arrays]
        unexpected = [n for n in names if n not in wanted]
        raise WeightsFileError(f"{path}: parameter names do not match the model: missing "
                               f"{missing}, unexpected {unexpected} (file has {names}, model "
                               f"has {wanted})")
    for name, p in expected:
        array = arrays[name]
        if array.shape != p.data.shape:
            raise WeightsFileError(f"{path}: {name} has shape {array.shape} in the file, "
                                   f"{p.data.shape} in the model")
        if array.dtype != p.data.dtype:
            raise WeightsFileError(f"{path}: {name} is {array.dtype} in the file, "
                                   f"{p.data.dtype} in the model")
        if not np.all(np.isfinite(array)):
            raise WeightsFileError(f"{path}: {name} contains NaN or infinite values")
    for name, p in expected:
        p.data[...] = arrays[name]
