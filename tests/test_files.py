"""Files a user keeps are written all or nothing: a failed write leaves the old file as it was."""

from __future__ import annotations

import os

import pytest

from nnedu._files import atomic_write_bytes, atomic_writer


def test_atomic_write_replaces_the_file_and_leaves_no_temporary_file(tmp_path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    assert atomic_write_bytes(path, b"new content") == path
    assert path.read_bytes() == b"new content"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_an_exception_while_writing_keeps_the_old_file(tmp_path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="half way"), atomic_writer(path) as f:
        f.write(b"partial")
        raise RuntimeError("failed half way")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_a_new_file_gets_the_permissions_of_a_plain_open(tmp_path) -> None:
    umask = os.umask(0o022)
    try:
        path = atomic_write_bytes(tmp_path / "new.bin", b"x")
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_failed_rename_names_the_target_and_removes_the_temporary_file(tmp_path) -> None:
    (tmp_path / "taken.svg").mkdir()
    with pytest.raises(IsADirectoryError) as info:
        atomic_write_bytes(tmp_path / "taken.svg", b"<svg/>")
    assert info.value.filename == str(tmp_path / "taken.svg")
    assert os.listdir(tmp_path) == ["taken.svg"]


def test_a_missing_folder_names_the_target(tmp_path) -> None:
    with pytest.raises(FileNotFoundError) as info:
        atomic_write_bytes(tmp_path / "no" / "such" / "f.bin", b"x")
    assert info.value.filename == str(tmp_path / "no" / "such" / "f.bin")
