"""Writing a file a user keeps, all or nothing: a failed write never destroys the old file.

The data goes to a temporary file in the same folder (so the final rename stays on one file
system), is flushed to disk, and only then renamed over the target, which `os.replace` does
atomically. If anything fails on the way (a full disk, a file-size limit, an exception while
the data is produced) the temporary file is removed and the previous file is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_writer(path: str | Path) -> Iterator[BinaryIO]:
    """A binary file to write `path`'s new content into; it replaces `path` when the block
    ends without an exception, and is discarded otherwise.

    >>> with atomic_writer(folder / "w.npz") as f:   # doctest: +SKIP
    ...     numpy.savez(f, W=W)
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as error:  # name the file the user asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(path))
        try:
            os.replace(tmp, path)
        except OSError as error:  # e.g. `path` is a directory
            raise OSError(error.errno, error.strerror, str(path)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` atomically (see `atomic_writer`); return the path."""
    with atomic_writer(path) as f:
        f.write(data)
    return Path(path)


def _mode_for(path: Path) -> int:
    """The permissions the file would get from a plain open(): the old file's if it exists,
    else 0o666 minus the umask (mkstemp's own 0o600 would hide a figure from a web server)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
