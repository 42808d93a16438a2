"""The IDX file format of MNIST (LeCun et al.), raw or gzipped, read with every field checked.

An IDX file is: two zero bytes, a type code, the number of dimensions d (together the magic
number, e.g. 0x00000803 for uint8 images), then d big-endian int32 sizes, then the values,
big-endian, row-major. MNIST's files: `train-images-idx3-ubyte(.gz)` (60000x28x28),
`train-labels-idx1-ubyte(.gz)` (60000), and the same with `t10k-` (10000 test images).
"""

from __future__ import annotations

import gzip
import math
import struct
import zlib
from pathlib import Path

import numpy as np

from nnedu._files import atomic_write_bytes

TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
         0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
CODES = {dtype.newbyteorder("="): code for code, dtype in TYPES.items()}


class IDXError(ValueError):
    """An IDX file that is not one, or is truncated or corrupted."""


def _read_bytes(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise IDXError(f"{path}: cannot read: {error.strerror or error}") from None
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as error:
        raise IDXError(f"{path}: corrupted or truncated gzip data ({error}); "
                       "download the file again") from None


def read_idx(path: str | Path) -> np.ndarray:
    """The array stored in an IDX file (raw or gzip-compressed, told apart by content)."""
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4:
        raise IDXError(f"{path}: {len(data)} bytes, too short for the 4-byte IDX magic number")
    zero, code, ndim = data[:2], data[2], data[3]
    if zero != b"\x00\x00" or code not in TYPES:
        raise IDXError(f"{path}: magic number 0x{data[:4].hex()} is not an IDX header "
                       f"(expected 0x0000tt0d with type tt in "
                       f"{', '.join(f'{c:02x}' for c in TYPES)}); is this an MNIST file?")
    if ndim == 0:
        raise IDXError(f"{path}: the header declares 0 dimensions")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IDXError(f"{path}: truncated header: {ndim} dimensions need {header} bytes, "
                       f"the file has {len(data)}")
    shape = struct.unpack(f">{ndim}i", data[4:header])
    if min(shape) < 0:
        raise IDXError(f"{path}: negative dimension in shape {shape}")
    dtype = TYPES[code]
    expected = math.prod(shape) * dtype.itemsize  # exact: a corrupt header may be huge
    actual = len(data) - header
    if actual != expected:
        problem = "truncated" if actual < expected else "has trailing bytes"
        raise IDXError(f"{path}: {problem}: shape {shape} of {dtype.name} needs {expected} "
                       f"data bytes, found {actual}")
    array = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))


def write_idx(path: str | Path, array: np.ndarray, *, compress: bool | None = None) -> None:
    """Write `array` as an IDX file; gzip it if `compress` (default: if the name ends in .gz).
    The write is atomic: a failed write leaves an existing file as it was."""
    path = Path(path)
    array = np.asarray(array)
    code = CODES.get(array.dtype.newbyteorder("="))
    if code is None:
        raise TypeError(f"write_idx: IDX has no type for {array.dtype}; use uint8, int8, "
                        "int16, int32, float32 or float64")
    if not 1 <= array.ndim <= 255:
        raise ValueError(f"write_idx: need 1 to 255 dimensions, got {array.ndim}")
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}i", *array.shape)
    data = header + np.ascontiguousarray(array, dtype=TYPES[code]).tobytes()
    if compress if compress is not None else path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    atomic_write_bytes(path, data)


def load_mnist(directory: str | Path, kind: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """MNIST images as float32 rows scaled to [0, 1] (n, 784) and labels as int64 (n,).

    `kind` is "train" or "t10k" (the test set); files may be raw or end in .gz.
    """
    if kind not in ("train", "t10k"):
        raise ValueError(f"load_mnist: kind must be 'train' or 't10k', got {kind!r}")
    directory = Path(directory)
    arrays = []
    for name, ndim in ((f"{kind}-images-idx3-ubyte", 3), (f"{kind}-labels-idx1-ubyte", 1)):
        candidates = [directory / name, directory / f"{name}.gz"]
        path = next((p for p in candidates if p.exists()), None)
        if path is None:
            raise FileNotFoundError(f"load_mnist: neither {candidates[0]} nor {candidates[1]} "
                                    "exists; download MNIST's four files into that directory")
        array = read_idx(path)
        if array.ndim != ndim or array.dtype != np.uint8:
            raise IDXError(f"{path}: expected {ndim}-D uint8 data, got {array.ndim}-D "
                           f"{array.dtype}")
        arrays.append(array)
    images, labels = arrays
    if len(images) != len(labels):
        raise IDXError(f"{directory}: {len(images)} images but {len(labels)} labels")
    if labels.size and labels.max() > 9:
        raise IDXError(f"{directory}: labels must be digits 0–9, found {labels.max()}")
    X = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    return X, labels.astype(np.int64)
