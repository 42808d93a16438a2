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
from typing import BinaryIO

import numpy as np

from nnedu._files import atomic_write_bytes

TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
         0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
CODES = {dtype.newbyteorder("="): code for code, dtype in TYPES.items()}
MAX_DIMS = 64 if int(np.__version__.split(".")[0]) >= 2 else 32  # numpy's limit
MAX_BYTES = 2**62  # numpy's limit on an array's size in bytes is 2**63 − 1


class IDXError(ValueError):
    """An IDX file that is not one, or is truncated or corrupted; the message names the file."""


CHUNK = 1 << 20  # bytes read (and decompressed) at a time


def _read_at_most(f: BinaryIO, n: int) -> bytes:
    """Up to `n` bytes, read in chunks: a header declaring a huge size allocates nothing."""
    parts, left = [], n
    while left > 0:
        part = f.read(min(left, CHUNK))
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def read_idx(path: str | Path) -> np.ndarray:
    """The array stored in an IDX file (raw or gzip-compressed, told apart by content).

    Every problem raises `IDXError` naming the file: a missing or unreadable file, a corrupted
    or truncated gzip stream, a magic number that is not IDX, a truncated header, a negative
    dimension, more dimensions than numpy allows or a shape too big for an array, and data
    shorter or longer than the header declares. Reading is bounded by the header: never more
    than the declared size plus one byte is read or decompressed, so a small `.gz` that expands
    to gigabytes is refused after reading only what its header promises. Zero-size arrays (a
    dimension of 0) are valid.
    """
    path = Path(path)
    try:
        raw = path.open("rb")
    except OSError as error:
        raise IDXError(f"{path}: cannot read: {error.strerror or error}") from None
    with raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
        raw.seek(0)
        if not gzipped:
            return _read_idx(path, raw)
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as f:
                return _read_idx(path, f)
        except (EOFError, OSError, zlib.error) as error:
            raise IDXError(f"{path}: corrupted or truncated gzip data ({error}); "
                           "download the file again") from None


def _read_idx(path: Path, f: BinaryIO) -> np.ndarray:
    magic = _read_at_most(f, 4)
    if len(magic) < 4:
        raise IDXError(f"{path}: {len(magic)} bytes, too short for the 4-byte IDX magic number")
    zero, code, ndim = magic[:2], magic[2], magic[3]
    if zero != b"\x00\x00" or code not in TYPES:
        raise IDXError(f"{path}: magic number 0x{magic.hex()} is not an IDX header "
                       f"(expected 0x0000tt0d with type tt in "
                       f"{', '.join(f'{c:02x}' for c in TYPES)}); is this an MNIST file?")
    if ndim == 0:
        raise IDXError(f"{path}: the header declares 0 dimensions")
    if ndim > MAX_DIMS:
        raise IDXError(f"{path}: the header declares {ndim} dimensions; a numpy array has at "
                       f"most {MAX_DIMS} (MNIST's files have 1 or 3)")
    sizes = _read_at_most(f, 4 * ndim)
    if len(sizes) < 4 * ndim:
        raise IDXError(f"{path}: truncated header: {ndim} dimensions need {4 + 4 * ndim} "
                       f"bytes, the file has {4 + len(sizes)}")
    shape = struct.unpack(f">{ndim}i", sizes)
    if min(shape) < 0:
        raise IDXError(f"{path}: negative dimension in shape {shape}")
    dtype = TYPES[code]
    expected = math.prod(shape) * dtype.itemsize
    data = _read_at_most(f, expected)
    if len(data) < expected:
        raise IDXError(f"{path}: truncated: shape {shape} of {dtype.name} needs {expected} "
                       f"data bytes, found {len(data)}")
    if f.read(1):
        raise IDXError(f"{path}: has trailing bytes: shape {shape} of {dtype.name} needs "
                       f"{expected} data bytes, the file holds more")
    if math.prod(d for d in shape if d) * dtype.itemsize > MAX_BYTES:
        raise IDXError(f"{path}: shape {shape} of {dtype.name} is too big for a numpy array "
                       "(a corrupted header?)")
    try:
        array = np.frombuffer(data, dtype=dtype).reshape(shape)
    except ValueError as error:  # a numpy limit the checks above do not know
        raise IDXError(f"{path}: shape {shape} cannot be an array: {error}") from None
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
    X = images.reshape(len(images), math.prod(images.shape[1:])).astype(np.float32)
    X /= np.float32(255)
    return X, labels.astype(np.int64)
