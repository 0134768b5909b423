"""History errors and how SQLite failures are classified.

Decisions are made on SQLite's primary result code (``sqlite_errorcode & 0xff``),
never on the wording of a message: the text differs between SQLite versions.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Primary result codes (https://www.sqlite.org/rescode.html).
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26

LOCK_CODES = frozenset({SQLITE_BUSY, SQLITE_LOCKED})
# The machine's fault, not the program's: a full disk, a read-only or vanished
# folder, a damaged file.  Shown to the user as it is; never a crash.
ENVIRONMENT_CODES = LOCK_CODES | frozenset(
    {SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB}
)


class HistoryError(Exception):
    """A history problem to show the user in one line."""


class HistoryReadOnlyError(HistoryError):
    """The file was written by a newer app version; it is only read."""


class HistoryUnavailableError(HistoryError):
    """The disk or the file refused a write (full, read-only, locked, vanished, damaged).

    Nothing about the data is wrong: the same write may succeed later, so session
    writes that fail this way are kept and retried, never dropped.
    """


class HistoryBusyError(HistoryUnavailableError):
    """Another program kept the file locked for longer than the busy timeout."""


def primary_code(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code of ``error`` (extended codes folded), or None."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def is_lock_error(error: sqlite3.Error) -> bool:
    """True when another connection held the file (SQLITE_BUSY or SQLITE_LOCKED)."""
    return primary_code(error) in LOCK_CODES


def is_environment_error(error: sqlite3.Error) -> bool:
    """True when ``error`` comes from the file or the disk rather than from a bug."""
    return primary_code(error) in ENVIRONMENT_CODES


def busy_message(path: Path) -> str:
    """The one line shown when ``path`` stayed locked past the busy timeout."""
    return (
        f"{path.name} is locked by another program (perhaps a second FaceGym). "
        "Close it and try again."
    )


def busy_notice(path: Path) -> str:
    """The one line the app shows while ``path`` is locked and it waits for it (the
    command line says :func:`busy_message` instead): nothing done meanwhile is lost."""
    return (
        f"History is busy: {path.name} is locked by another program (perhaps a second "
        "FaceGym). Sessions are kept and saved once it is free."
    )


_REASONS = {
    SQLITE_READONLY: "{path} is read-only (the file or its folder); check their permissions",
    SQLITE_FULL: "the disk holding {path} is full; free some space",
    SQLITE_IOERR: "the disk could not write {path}; check the disk",
    SQLITE_CANTOPEN: "{path} cannot be opened; its folder may be gone or read-only",
    SQLITE_CORRUPT: "{path} is damaged",
    SQLITE_NOTADB: "{path} is damaged",
}


def plain_reason(error: sqlite3.Error, path: Path) -> str:
    """Why a write to ``path`` failed, in words for people and with what to do (by
    SQLite's result code; the error's own text belongs in the log)."""
    if is_lock_error(error):
        return busy_message(path)
    template = _REASONS.get(primary_code(error) or 0, "{path} could not be written")
    return template.format(path=path)


def history_error(error: sqlite3.Error, path: Path, message: str) -> HistoryError:
    """``error`` as the exception to raise: HistoryBusyError when the file was locked,
    HistoryUnavailableError for another fault of the disk or the file, else a
    HistoryError; the last two say ``message``."""
    if is_lock_error(error):
        return HistoryBusyError(busy_message(path))
    if is_environment_error(error):
        return HistoryUnavailableError(message)
    return HistoryError(message)
