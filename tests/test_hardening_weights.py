"""Weights files: every bad file is a WeightsFileError naming the file, checked from the headers
before any array is read, decompression bounded, and a failed save keeps the old file."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnedu.nn import Linear, Parameter, ReLU, Sequential
from nnedu.train import WeightsFileError, get_weights, load_weights, save_weights

NAMES = ["0.Linear.W", "0.Linear.b", "2.Linear.W", "2.Linear.b"]


def classifier(seed: int = 0) -> Sequential:
    rng = np.random.default_rng(seed)
    return Sequential(Linear(2, 8, rng=rng), ReLU(), Linear(8, 3, rng=rng))


def assert_refused_unchanged(path, match: str) -> WeightsFileError:
    model = classifier(seed=5)
    before = get_weights(model)
    with pytest.raises(WeightsFileError, match=match) as info:
        load_weights(model, path)
    assert str(path) in str(info.value)
    for a, b in zip(get_weights(model), before):
        np.testing.assert_array_equal(a, b)
    return info.value


def npy_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def write_zip(path, members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> None:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name + ".npy", data)


def model_members(model=None) -> dict[str, bytes]:
    model = model or classifier()
    return {name: npy_bytes(p.data) for name, p in zip(NAMES, model.parameters())}


def test_a_missing_file_is_named(tmp_path) -> None:
    assert_refused_unchanged(tmp_path / "nowhere.npz", "no such file")


def test_a_single_npy_saved_under_an_npz_name_is_refused(tmp_path) -> None:
    path = tmp_path / "w.npz"
    np.save(path.open("wb"), np.zeros(3))
    assert_refused_unchanged(path, r"single \.npy array")


def test_a_header_declaring_a_huge_shape_is_refused_before_allocating(tmp_path) -> None:
    members = model_members()
    header = npy_bytes(np.zeros((2, 8)))  # rewrite the shape in the header only
    members["0.Linear.W"] = header.replace(b"(2, 8)", b"(100000, 100000)")
    path = tmp_path / "w.npz"
    write_zip(path, members)
    tracemalloc.start()
    try:
        assert_refused_unchanged(path, r"shape \(100000, 100000\) in the file")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def patch_central_directory(data: bytes, field_offset: int, fmt: str, value: int) -> bytes:
    """Set one field of every central-directory and local header (offsets from the signature)."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x01\x02", field_offset), (b"PK\x03\x04", field_offset - 2)):
        start = out.find(signature)
        while start != -1:
            struct.pack_into(fmt, out, start + offset, value)
            start = out.find(signature, start + 4)
    return bytes(out)


def test_an_unknown_compression_method_is_refused(tmp_path) -> None:
    path = tmp_path / "w.npz"
    write_zip(path, model_members())
    path.write_bytes(patch_central_directory(path.read_bytes(), 10, "<H", 99))
    assert_refused_unchanged(path, "compression method 99")


def test_the_encrypted_flag_is_refused(tmp_path) -> None:
    path = tmp_path / "w.npz"
    write_zip(path, model_members())
    path.write_bytes(patch_central_directory(path.read_bytes(), 8, "<H", 1))
    assert_refused_unchanged(path, "encrypted")


def test_a_flipped_bit_in_a_compressed_member_is_refused(tmp_path) -> None:
    path = tmp_path / "w.npz"
    write_zip(path, model_members(), zipfile.ZIP_DEFLATED)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("0.Linear.W.npy")
    # the compressed data starts after the 30-byte local header, its name and its extra field
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x10
    path.write_bytes(bytes(data))
    assert_refused_unchanged(path, "corrupted")


class OneMatrix:
    """A model with one 2x8 parameter, saved as `0.W`."""

    def __init__(self) -> None:
        self.W = Parameter(np.zeros((2, 8)), "W")

    def parameters(self) -> list[Parameter]:
        return [self.W]


def zip_with_one_deflated_member(name: str, body: bytes, declared_size: int) -> bytes:
    """A zip archive written by hand, so that its member can declare any uncompressed size."""
    encoded = name.encode()
    crc = 0
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(body),
                        declared_size, len(encoded), 0)
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(body),
                          declared_size, len(encoded), 0, 0, 0, 0, 0, 0)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(encoded),
                      len(local) + len(encoded) + len(body), 0)
    return local + encoded + body + central + encoded + end


@pytest.mark.parametrize(("declared", "match"), [("true size", "declares 67108992 bytes"),
                                                 ("the model's size", "corrupted")])
def test_a_zip_bomb_is_refused_without_decompressing_it(tmp_path, declared, match) -> None:
    """A .npy header and 64 MiB of zeros in about 65 kB: refused from the declared size, or,
    when the zip lies about the size, after decompressing no more than the parameter needs."""
    header = npy_bytes(np.zeros((2, 8)))[:128]  # the 128-byte .npy header of a 2x8 float64
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    body = compressor.compress(header) + b"".join(compressor.compress(chunk)
                                                  for _ in range(64)) + compressor.flush()
    size = 128 + (64 << 20) if declared == "true size" else 128 + 2 * 8 * 8
    bomb = tmp_path / "bomb.npz"
    bomb.write_bytes(zip_with_one_deflated_member("0.W.npy", body, size))
    assert bomb.stat().st_size < 1_000_000
    model = OneMatrix()
    tracemalloc.start()
    try:
        with pytest.raises(WeightsFileError, match=match) as info:
            load_weights(model, bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(bomb) in str(info.value)
    assert peak < 20_000_000, f"{peak / 1e6:.0f} MB allocated while refusing a zip bomb"
    np.testing.assert_array_equal(model.W.data, 0.0)


def test_a_failed_save_keeps_the_previous_file(tmp_path) -> None:
    """A file-size limit makes the save fail half way; the old file still loads."""
    path = tmp_path / "w.npz"
    save_weights(classifier(seed=1), path)
    old = path.read_bytes()
    script = (
        "import resource, signal, sys, numpy as np\n"
        "from nnedu.nn import Linear\n"
        "from nnedu.train import save_weights\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "try:\n"
        "    save_weights(Linear(200, 200), sys.argv[1])\n"
        "except OSError as error:\n"
        "    print('failed:', error.strerror)\n")
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, timeout=60)
    assert "failed:" in result.stdout, result.stderr
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["w.npz"]  # no temporary file left over
    model = classifier(seed=2)
    load_weights(model, path)
    for a, b in zip(get_weights(model), get_weights(classifier(seed=1))):
        np.testing.assert_array_equal(a, b)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(position=st.integers(0, 10**6), value=st.integers(0, 255), cut=st.booleans())
def test_any_damaged_file_loads_exactly_or_is_a_weights_file_error(tmp_path, position, value,
                                                                     cut) -> None:
    path = tmp_path / "w.npz"
    save_weights(classifier(seed=1), path)
    data = bytearray(path.read_bytes())
    position %= len(data)
    if cut:
        data = data[:position]
    else:
        data[position] = value
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(bytes(data))
    model = classifier(seed=5)
    before = get_weights(model)
    try:
        load_weights(model, damaged)
    except WeightsFileError as error:
        assert str(damaged) in str(error)
        for a, b in zip(get_weights(model), before):
            np.testing.assert_array_equal(a, b)
    else:
        for a, b in zip(get_weights(model), get_weights(classifier(seed=1))):
            np.testing.assert_array_equal(a, b)
