"""A model's weights: copy them out and back in, save them to and load them from `.npz` files.

A file holds one array per parameter, named `<layer index>.<layer>.<parameter>` (e.g.
`0.Linear.W`), written and read with `allow_pickle=False`, so loading a file runs no code.
Loading checks the names, shapes and dtypes against the model before it changes anything.
Both engines work: array `Parameter`s, and scalar `Value`s (each a 0-d float64 array).
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
        return [(f"{i}.{_name(p) or 'param'}", p) for i, p in enumerate(model.parameters())]
    return [(f"{i}.{type(layer).__name__}.{_name(p) or j}", p)
            for i, layer in enumerate(layers) for j, p in enumerate(layer.parameters())]


def _name(p: object) -> str:
    """A `Parameter`'s name or a `Value`'s label."""
    return getattr(p, "name", "") or getattr(p, "label", "")


def _shape(p: object) -> tuple[int, ...]:
    return np.shape(p.data)


def _assign(p: object, w: np.ndarray) -> None:
    """p.data ← w, in place for arrays (flat buffers stay shared), a float for a `Value`."""
    if isinstance(p.data, np.ndarray):
        p.data[...] = w
    else:
        p.data = float(w)


def get_weights(model: object) -> list[np.ndarray]:
    """Copies of all parameter arrays (a snapshot that later training does not change)."""
    return [np.array(p.data, copy=True) for p in model.parameters()]


def set_weights(model: object, weights: list[np.ndarray]) -> None:
    """Copy `weights` into the model's parameters, in place (flat buffers stay shared)."""
    params = model.parameters()
    if len(weights) != len(params):
        raise ValueError(f"set_weights: the model has {len(params)} parameters, "
                         f"got {len(weights)} arrays")
    for (name, p), w in zip(named_parameters(model), weights):
        if np.shape(w) != _shape(p):
            raise ValueError(f"set_weights: {name} has shape {_shape(p)}, got {np.shape(w)}")
    for p, w in zip(params, weights):
        _assign(p, w)


def save_weights(model: object, path: str | Path) -> Path:
    """Write the model's parameters to `path` (an uncompressed `.npz`); returns the path."""
    path = Path(path)
    arrays = {name: np.asarray(p.data) for name, p in named_parameters(model)}
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
        if array.shape != _shape(p):
            raise WeightsFileError(f"{path}: {name} has shape {array.shape} in the file, "
                                   f"{_shape(p)} in the model")
        dtype = np.asarray(p.data).dtype
        if array.dtype != dtype:
            raise WeightsFileError(f"{path}: {name} is {array.dtype} in the file, "
                                   f"{dtype} in the model")
        if not np.all(np.isfinite(array)):
            raise WeightsFileError(f"{path}: {name} contains NaN or infinite values")
    for name, p in expected:
        _assign(p, arrays[name])
