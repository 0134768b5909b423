"""Replacing a file in one step, never leaving it half written or a temporary file behind.

Every file the app writes whole (settings, the reminder state, routine files, the
history's exports, backups and journal, the log-in entry, caches) goes the same way:
the new content goes to a temporary file beside the target (same folder, so the
rename stays on one file system), is flushed to the disk (``fsync``), and then
replaces the target with ``os.replace``.  A crash leaves the old file or the new
one.  When anything fails (a full disk, a read-only folder, an error while the
content is made, Ctrl+C), the temporary file is removed and the error goes on to
the caller; the target is untouched.

Temporary files are named ``.<target name>.<random>.tmp``: hidden, unique (two
writers never share one) and easy to recognise.  They are created with the usual
permissions (``0o666`` less the umask), as the target would be.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

TEMPORARY_SUFFIX = ".tmp"
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def temporary_name(target: Path) -> Path:
    """A fresh temporary path beside ``target`` (not created)."""
    return target.with_name(f".{target.name}.{os.urandom(4).hex()}{TEMPORARY_SUFFIX}")


def _create_temporary(target: Path) -> Path:
    """Create an empty temporary file beside ``target`` and return its path.

    Raises OSError when the folder refuses it (missing, read-only, full).
    """
    while True:
        candidate = temporary_name(target)
        try:
            descriptor = os.open(candidate, _CREATE_FLAGS, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
        os.close(descriptor)
        return candidate


def fsync_path(path: Path) -> None:
    """Flush the contents of the file at ``path`` to the disk.  Raises OSError."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (a rename in it) to the disk; best effort, POSIX only."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def remove_quietly(path: Path) -> None:
    """Remove ``path`` if it is there; a failure to remove it is ignored."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[Path]:
    """A temporary file beside ``target`` for the block to fill; then it replaces ``target``.

    The file exists (empty) when the block starts; the block may write it, or have
    something else write it (an SQLite backup, a copy).  When the block ends, the
    file is flushed to the disk and renamed over ``target``.  If the block raises, or
    the flush or the rename fails, the temporary file is removed and the exception
    propagates; ``target`` is then unchanged.  The folder is not created.

    Raises OSError when the temporary file cannot be made, flushed or renamed.
    """
    temporary = _create_temporary(target)
    try:
        yield temporary
        fsync_path(temporary)
        os.replace(temporary, target)
    except BaseException:
        remove_quietly(temporary)
        raise
    sync_folder(target.parent)


@contextlib.contextmanager
def atomic_text(
    target: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[str]]:
    """A text file open for writing whose content replaces ``target`` once the block
    ends (see :func:`replacing`); ``encoding`` and ``newline`` as for :func:`open`.

    Raises OSError; never leaves its temporary file behind.
    """
    with replacing(target) as temporary, open(
        temporary, "w", encoding=encoding, newline=newline
    ) as handle:
        yield handle


def write_atomically(target: Path, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Replace ``target`` with ``data`` (text is encoded with ``encoding``, its line
    ends kept as they are); returns ``target``.

    The folder must exist.  Raises OSError; the target is unchanged then and no
    temporary file is left.
    """
    payload = data.encode(encoding) if isinstance(data, str) else data
    with replacing(target) as temporary, open(temporary, "wb") as handle:
        handle.write(payload)
    return target


__all__ = [
    "TEMPORARY_SUFFIX",
    "atomic_text",
    "fsync_path",
    "remove_quietly",
    "replacing",
    "sync_folder",
    "temporary_name",
    "write_atomically",
]
