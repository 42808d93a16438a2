"""A model's weights: copy them out and back in, save them to and load them from `.npz` files.

A file holds one array per parameter, named `<layer index>.<layer>.<parameter>` (e.g.
`0.Linear.W`), written and read with `allow_pickle=False`, so loading a file runs no code.
Loading checks the names, shapes and dtypes against the model, from the archive's directory and
the arrays' headers, before it reads any array or changes anything; saving is atomic.
Both engines work: array `Parameter`s, and scalar `Value`s (each a 0-d float64 array).
"""

from __future__ import annotations

import math
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

from nnedu._files import atomic_writer
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
    """Write the model's parameters to `path` (an uncompressed `.npz`); returns the path.

    The write is atomic: the archive goes to a temporary file in the same folder that is then
    renamed over `path`, so a failed save (a full disk, a file-size limit) leaves the previous
    file as it was.
    """
    path = Path(path)
    arrays = {name: np.asarray(p.data) for name, p in named_parameters(model)}
    with atomic_writer(path) as f:
        np.savez(f, **arrays)
    return path


def load_weights(model: object, path: str | Path) -> None:
    """Load weights saved by `save_weights` into `model`, after checking every array fits.

    Every failure raises `WeightsFileError` naming the file and the problem: a missing or
    unreadable file, something that is not an `.npz` archive (a single `.npy`, a truncated or
    corrupted zip, an encrypted member, a compression other than none or deflate), another
    architecture (names, shapes), another dtype, an array that would need pickle, NaN or
    infinite values. Names, shapes and dtypes are checked from the zip directory and the `.npy`
    headers before any array is read, and no member is decompressed beyond the size the model
    needs, so a huge declared shape or a zip bomb is refused without allocating it. The model
    is left unchanged unless every array loads.
    """
    path = Path(path)
    expected = named_parameters(model)
    try:
        arrays = _read_archive(path, expected)
    except WeightsFileError:
        raise
    except FileNotFoundError:
        raise WeightsFileError(f"{path}: no such file") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error, KeyError,
            NotImplementedError, RuntimeError, struct.error) as error:
        raise WeightsFileError(f"{path}: not a readable .npz weights file ({error}); it may "
                               "be truncated or corrupted, save the weights again") from None
    for name, p in expected:
        _assign(p, arrays[name])


def _read_archive(path: Path, expected: list[tuple[str, Parameter]]) -> dict[str, np.ndarray]:
    """The arrays of the archive at `path`, checked against `expected` header first."""
    with path.open("rb") as f:
        magic = f.read(6)
        if magic == b"\x93NUMPY":
            raise WeightsFileError(f"{path}: a single .npy array (saved with numpy.save), not "
                                   "an .npz archive of named parameters; save with save_weights")
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            members = _check_directory(path, archive, expected)
            headers = {name: _check_header(path, archive, info, name, p)
                       for (name, p), info in zip(expected, members)}
            return {name: _read_array(path, archive, info, *headers[name])
                    for (name, _), info in zip(expected, members)}


def _check_directory(path: Path, archive: zipfile.ZipFile,
                     expected: list[tuple[str, Parameter]]) -> list[zipfile.ZipInfo]:
    """The zip members of the expected parameters, in order, after checking the names and
    how each member is stored (from the zip's directory, nothing decompressed)."""
    infos = archive.infolist()
    names = [info.filename.removesuffix(".npy") for info in infos]
    wanted = [name for name, _ in expected]
    if names != wanted:
        missing = [n for n in wanted if n not in names]
        unexpected = [n for n in names if n not in wanted]
        shown = names if len(names) <= 20 else [*names[:20], f"… {len(names) - 20} more"]
        raise WeightsFileError(f"{path}: parameter names do not match the model: missing "
                               f"{missing}, unexpected {unexpected[:20]} (file has {shown}, "
                               f"model has {wanted})")
    for info in infos:
        if info.flag_bits & 0x1:
            raise WeightsFileError(f"{path}: {info.filename} is encrypted; a weights file "
                                   "written by save_weights never is")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WeightsFileError(f"{path}: {info.filename} uses zip compression method "
                                   f"{info.compress_type}; only stored and deflated members "
                                   "(numpy.savez, savez_compressed) can be read")
    return infos


def _check_header(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str,
                  p: Parameter) -> tuple[tuple[int, ...], np.dtype, bool, int]:
    """(shape, dtype, fortran_order, header length) of a member, after checking its `.npy` header
    against the parameter `p`: reads the header only, never the array."""
    with archive.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
        elif version in ((2, 0), (3, 0)):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
        else:
            raise ValueError(f".npy format version {version} of {name} is not supported")
        header_length = member.tell()
    if dtype.hasobject:
        raise WeightsFileError(f"{path}: {name} holds Python objects ({dtype}), which only "
                               "pickle could load; refused, since loading a pickle runs code")
    if shape != _shape(p):
        raise WeightsFileError(f"{path}: {name} has shape {shape} in the file, "
                               f"{_shape(p)} in the model")
    model_dtype = np.asarray(p.data).dtype
    if dtype != model_dtype:
        raise WeightsFileError(f"{path}: {name} is {dtype} in the file, "
                               f"{model_dtype} in the model")
    data_bytes = math.prod(shape) * dtype.itemsize
    if info.file_size != header_length + data_bytes:
        raise WeightsFileError(f"{path}: {name} declares {info.file_size} bytes, but its "
                               f"shape {shape} of {dtype} needs {header_length + data_bytes}; "
                               "the file is corrupted")
    return shape, dtype, fortran, header_length


def _read_array(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo,
                shape: tuple[int, ...], dtype: np.dtype, fortran: bool,
                header_length: int) -> np.ndarray:
    """The member's array: exactly the bytes its checked header promises, then the CRC."""
    name = info.filename.removesuffix(".npy")
    nbytes = info.file_size - header_length
    with archive.open(info) as member:
        member.read(header_length)
        data = member.read(nbytes)
        if len(data) != nbytes or member.read(1):
            raise WeightsFileError(f"{path}: {name} is truncated or corrupted")
    array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    if not np.all(np.isfinite(array)):
        raise WeightsFileError(f"{path}: {name} contains NaN or infinite values")
    return array.copy()
