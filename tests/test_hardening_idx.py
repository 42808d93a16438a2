"""The IDX reader: every bad file is an IDXError naming the file, reading is bounded by the
header (a small .gz that expands to gigabytes is refused early), and empty sets load."""

from __future__ import annotations

import gzip
import struct
import tracemalloc
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnedu.data import IDXError, load_mnist, read_idx, write_idx

FUZZ = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def idx_header(code: int, shape: tuple[int, ...]) -> bytes:
    return bytes([0, 0, code, len(shape)]) + struct.pack(f">{len(shape)}i", *shape)


@FUZZ
@given(ndim=st.integers(65, 255))
def test_more_dimensions_than_numpy_allows_is_an_idx_error(tmp_path, ndim) -> None:
    path = tmp_path / "many.idx"
    path.write_bytes(idx_header(0x08, (1,) * ndim) + b"\x07")
    with pytest.raises(IDXError, match=f"declares {ndim} dimensions") as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_a_zero_size_shape_too_big_for_numpy_is_an_idx_error(tmp_path) -> None:
    path = tmp_path / "huge.idx"
    path.write_bytes(idx_header(0x08, (0, 2**31 - 1, 2**31 - 1, 2**31 - 1)))
    with pytest.raises(IDXError, match="too big for a numpy array") as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_a_small_gzip_that_expands_far_beyond_its_header_is_refused_early(tmp_path) -> None:
    """A header declaring 10 bytes, then 64 MiB of zeros, in a 300 kB .gz: refused after
    decompressing at most one chunk, not the whole stream."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip container
    body = compressor.compress(idx_header(0x08, (10,)))
    body += b"".join(compressor.compress(bytes(1 << 20)) for _ in range(64))
    path = tmp_path / "bomb-idx1-ubyte.gz"
    path.write_bytes(body + compressor.flush())
    assert path.stat().st_size < 400_000
    tracemalloc.start()
    try:
        with pytest.raises(IDXError, match="trailing bytes") as info:
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(path) in str(info.value)
    assert peak < 8_000_000, f"{peak / 1e6:.0f} MB allocated to refuse a 10-byte file"


def test_a_header_declaring_more_than_the_file_holds_reads_only_the_file(tmp_path) -> None:
    path = tmp_path / "short.idx"
    path.write_bytes(idx_header(0x0E, (2**31 - 1, 2**31 - 1)) + bytes(16))
    tracemalloc.start()
    try:
        with pytest.raises(IDXError, match=r"truncated.*found 16"):
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000


def test_load_mnist_with_zero_images_gives_empty_arrays(tmp_path) -> None:
    write_idx(tmp_path / "t10k-images-idx3-ubyte", np.zeros((0, 28, 28), np.uint8))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(0, np.uint8))
    X, t = load_mnist(tmp_path, "t10k")
    assert X.shape == (0, 784) and X.dtype == np.float32
    assert t.shape == (0,) and t.dtype == np.int64


@FUZZ
@given(data=st.binary(max_size=64), gz=st.booleans())
def test_any_bytes_give_an_array_or_an_idx_error_naming_the_file(tmp_path, data, gz) -> None:
    path = tmp_path / "fuzz.idx"
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    try:
        array = read_idx(path)
    except IDXError as error:
        assert str(path) in str(error)
    else:
        assert isinstance(array, np.ndarray) and array.dtype.isnative


@FUZZ
@given(position=st.integers(0, 10**4), value=st.integers(0, 255), cut=st.booleans())
def test_a_damaged_gzip_file_is_read_exactly_or_is_an_idx_error(tmp_path, position, value,
                                                                cut) -> None:
    images = np.arange(2 * 5 * 5, dtype=np.uint8).reshape(2, 5, 5)
    data = bytearray(gzip.compress(idx_header(0x08, (2, 5, 5)) + images.tobytes(), mtime=0))
    position %= len(data)
    if cut:
        data = data[:position]
    else:
        data[position] = value
    path = tmp_path / "damaged.gz"
    path.write_bytes(bytes(data))
    try:
        array = read_idx(path)
    except IDXError as error:
        assert str(path) in str(error)
    else:
        np.testing.assert_array_equal(array, images)
