"""Finding and reading routine files on disk, refusing anything that is not a plain file.

A path given as a routine file can be anything: a named pipe (reading it would wait
for a writer forever), a device such as ``/dev/zero`` (endless), a socket, a folder
or a huge file.  :func:`read_routine_text` looks at what the path is before it opens
it, opens without blocking, checks again on the open file and never reads more than
:data:`~facegym_desktop.core.routine.MAX_FILE_BYTES` + 1 bytes.  Every refusal is a
:class:`Problem`, never an exception.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from facegym_desktop.core.routine import MAX_FILE_BYTES, TOO_LARGE
from facegym_desktop.core.routine_checks import Problem
from facegym_desktop.core.text_decoding import decode_text

# A folder of thousands of files is not a routine folder; the rest are reported skipped.
MAX_FILES_PER_FOLDER = 500
_READ_CHUNK = 64 * 1024
# Non-blocking, so opening a named pipe that appeared after the check returns at once.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def read_routine_text(path: Path, label: str) -> str | Problem:
    """The UTF-8 text of the regular file at ``path``, or the Problem that stops it.

    ``label`` names the file in the problem.  Refused without reading: a missing path,
    a folder, anything that is not a regular file (named pipe, device, socket) and a
    file larger than ``MAX_FILE_BYTES``; refused after reading: text that is not UTF-8.
    A leading UTF-8 byte-order mark is dropped (core/text_decoding.py).
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Problem(label, "file", "does not exist")
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        return Problem(label, "file", f"cannot be read: {_reason(error)}")
    refusal = _refusal(info, label)
    if refusal is not None:
        return refusal
    try:
        data = _read_regular(path, label)
    except OSError as error:
        return Problem(label, "file", f"cannot be read: {_reason(error)}")
    if isinstance(data, Problem):
        return data
    try:
        return decode_text(data)
    except UnicodeDecodeError as error:
        return Problem(label, "file", f"is not UTF-8 text (byte {error.start})")


def list_routine_files(
    folder: Path, limit: int = MAX_FILES_PER_FOLDER
) -> tuple[list[Path], list[Problem]]:
    """The ``*.toml`` entries of ``folder`` by name, at most ``limit`` of them, and problems.

    Sub-folders are passed over; named pipes and devices are listed so that reading
    them reports them.  A link whose target is gone is one problem naming it.  More
    than ``limit`` entries gives one problem saying how many were skipped; an
    unreadable folder gives one problem.
    """
    try:
        entries = sorted(folder.glob("*.toml"))
        found = [path for path in entries if path.exists() and not path.is_dir()]
        broken = [path for path in entries if not path.exists() and path.is_symlink()]
    except OSError as error:
        return [], [Problem(str(folder), "folder", f"cannot be read: {_reason(error)}")]
    problems = [_broken_link(path) for path in broken]
    if len(found) > limit:
        skipped = len(found) - limit
        problems.append(
            Problem(
                str(folder),
                "folder",
                f"holds {len(found)} .toml files, more than the {limit} read; "
                f"skipped {skipped}, from {found[limit].name}",
            )
        )
    return found[:limit], problems


def _broken_link(path: Path) -> Problem:
    try:
        target = f" to {os.readlink(path)}"
    except OSError:
        target = ""
    return Problem(str(path), "file", f"is a link{target}, which does not exist; not read")


def _refusal(info: os.stat_result, label: str) -> Problem | None:
    if stat.S_ISDIR(info.st_mode):
        return Problem(label, "file", "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        return Problem(label, "file", f"is {_kind(info.st_mode)}, not a regular file; not read")
    if info.st_size > MAX_FILE_BYTES:
        return _too_large(label)
    return None


def _read_regular(path: Path, label: str) -> bytes | Problem:
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        # The path may have been swapped between the check and the open.
        refusal = _refusal(os.fstat(descriptor), label)
        if refusal is not None:
            return refusal
        chunks = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(descriptor, _READ_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > MAX_FILE_BYTES:  # grew after the check
        return _too_large(label)
    return b"".join(chunks)


def _too_large(label: str) -> Problem:
    return Problem(label, "file", TOO_LARGE)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
