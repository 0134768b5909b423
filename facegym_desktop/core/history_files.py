"""The history file on disk: integrity checks, recovery from backups, backup copies.

* a backup is made once a day (the newest :data:`DAILY_BACKUPS_KEPT` are kept) and
  before a migration or an import (:data:`MIGRATION_BACKUPS_KEPT`);
* a damaged file is moved aside (never deleted) and the newest good backup restored;
  the sessions still readable in it are then copied over (``HistoryStore.open``,
  with :func:`readable_rows`);
* a copy is written to a temporary file, synced, then renamed into place.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from facegym_desktop.core.atomic_file import replacing
from facegym_desktop.core.history_errors import (
    HistoryBusyError,
    HistoryError,
    HistoryUnavailableError,
    busy_message,
    history_error,
    is_lock_error,
    plain_reason,
)
from facegym_desktop.core.history_schema import SCHEMA_VERSION, connect, user_version

DAILY_BACKUPS_KEPT = 7
MIGRATION_BACKUPS_KEPT = 3
SQLITE_HEADER = b"SQLite format 3\x00"
BACKUP_GLOB = "history-*.sqlite3"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileProblem:
    """Why a file failed its check: ``reason`` in a few words; ``locked`` when the
    check could not run because another connection held the file."""

    reason: str
    locked: bool = False


def is_sqlite_file(path: Path) -> bool:
    """True when ``path`` starts with the SQLite header (or is empty or missing: new)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return True
    return head == b"" or head == SQLITE_HEADER


def find_problem(
    path: Path, busy_timeout: float = 1.0, read_only: bool = True
) -> FileProblem | None:
    """None when ``path`` is a sound SQLite file, else what is wrong with it.

    ``busy_timeout`` is in seconds.  The live file is checked read-write
    (``read_only=False``) so that a journal left by a crash is rolled back first
    instead of being mistaken for damage.
    """
    if not is_sqlite_file(path):
        return FileProblem("not an SQLite database")
    target = f"file:{path}?mode=ro" if read_only else f"file:{path}?mode=rw"
    try:
        with closing(sqlite3.connect(target, uri=True, timeout=busy_timeout)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        return FileProblem(str(error), locked=is_lock_error(error))
    if rows == [("ok",)]:
        return None
    return FileProblem("; ".join(str(row[0]) for row in rows[:3]))


def check_file(path: Path, busy_timeout: float = 1.0, read_only: bool = True) -> str:
    """``"ok"`` when ``path`` is a sound SQLite file, else a short reason (see
    :func:`find_problem`)."""
    problem = find_problem(path, busy_timeout, read_only)
    return "ok" if problem is None else problem.reason


def list_backups(folder: Path | None) -> list[Path]:
    """Backups in ``folder``, newest first (by modification time, then name)."""
    if folder is None or not folder.is_dir():
        return []
    found = [p for p in folder.glob(BACKUP_GLOB) if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def prune(folder: Path, prefix: str, keep: int) -> None:
    """Delete all but the newest ``keep`` backups whose names start with ``prefix``."""
    found = sorted(p for p in folder.glob(f"{prefix}*.sqlite3") if p.is_file())
    for old in found[:-keep] if keep > 0 else found:
        old.unlink(missing_ok=True)


def copy_database(source: sqlite3.Connection, source_path: Path, target: Path) -> Path:
    """Copy the database behind ``source`` to ``target`` atomically (temp file, sync,
    rename); returns ``target``.

    The caller serialises use of ``source``.  Raises :class:`HistoryError` (or
    :class:`HistoryBusyError` when the file stayed locked).
    """
    if target.exists() and target.resolve() == source_path.resolve():
        raise HistoryError("the backup would overwrite the history file itself")
    if target.exists() and not target.is_file():
        raise HistoryError(f"{target} is not a regular file; give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with replacing(target) as temporary, closing(sqlite3.connect(temporary)) as copy:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.OperationalError as error:
        log.info("cannot write backup %s: %s", target, error)
        message = f"cannot write backup {target}: {plain_reason(error, target)}"
        raise history_error(error, source_path, message) from error
    except OSError as error:
        message = f"cannot write backup {target}: {error.strerror or error}"
        raise HistoryUnavailableError(message) from error
    return target


def usable_backup(path: Path) -> bool:
    """Whether ``path`` is a sound history file this version can read."""
    if find_problem(path) is not None:
        return False
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            version = user_version(conn)
            conn.execute("SELECT COUNT(*) FROM sessions").fetchone()
    except sqlite3.DatabaseError:
        return False
    return 1 <= version <= SCHEMA_VERSION


def recover(db_path: Path, backups: Path | None, problem: str, now: datetime) -> str:
    """Move a damaged file aside and put the newest good backup in its place.

    Returns the sentence telling the user what happened (see :func:`recover_file`).
    """
    return recover_file(db_path, backups, problem, now).message


@dataclass(frozen=True)
class Recovery:
    """What :func:`recover_file` did: the line for the user and where the damaged
    file was kept (to salvage from)."""

    message: str
    kept: Path


def recover_file(db_path: Path, backups: Path | None, problem: str, now: datetime) -> Recovery:
    """Move a damaged file (or a folder in its place) aside and put the newest good
    backup there; what was done, and where the damaged file went.

    The message is one line for people: which file, that it was damaged, the name it
    was set aside as and what replaced it; ``problem`` (SQLite's words) goes to the
    log only.  Raises OSError when the file cannot be moved or the backup copied.
    """
    log.info("%s failed its check: %s", db_path, problem)
    what = "is a folder, not a history file" if db_path.is_dir() else "was damaged"
    stamp = now.strftime("%Y%m%d-%H%M%S")
    kept = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    counter = 1
    while kept.exists():
        counter += 1
        kept = db_path.with_name(f"{db_path.name}.damaged-{stamp}-{counter}")
    os.replace(db_path, kept)
    # A journal beside a damaged file belongs to it; keep the pair together.
    for suffix in ("-journal", "-wal", "-shm"):
        companion = db_path.with_name(db_path.name + suffix)
        if companion.exists():
            os.replace(companion, kept.with_name(kept.name + suffix))
    for candidate in list_backups(backups):
        if usable_backup(candidate):
            with replacing(db_path) as temporary:
                shutil.copyfile(candidate, temporary)
            taken = datetime.fromtimestamp(candidate.stat().st_mtime).date().isoformat()
            return Recovery(
                f"{db_path} {what}: it was set aside as {kept.name} and the history "
                f"restored from the backup of {taken} ({candidate.name}).",
                kept,
            )
    return Recovery(
        f"{db_path} {what} and no usable backup was found: it was set aside as "
        f"{kept.name} and a new, empty history started.",
        kept,
    )


# Rows salvaged from a damaged file: how many unreadable rowids in a row are stepped
# over one at a time before the steps double (a damaged page holds at most a few
# hundred rows), and the largest rowid ever tried.
_SINGLE_STEPS = 4096
_MAX_ROWID = 1 << 40


def readable_rows(
    conn: sqlite3.Connection, table: str, columns: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """Every row of ``table`` still readable from a damaged file, by rowid ranges.

    Yields ``(rowid, *columns)``.  A read that fails on a damaged page is started
    again past the rowid where it stopped, so the rows beyond the damage are kept.
    """
    names = ", ".join(columns)
    try:
        top = conn.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        top = None
    limit = int(top) if isinstance(top, int) else _MAX_ROWID
    last, step, failures = 0, 1, 0
    while last < limit:
        try:
            cursor = conn.execute(
                f"SELECT rowid, {names} FROM {table} WHERE rowid > ? ORDER BY rowid", (last,)
            )
            for row in cursor:
                yield tuple(row)
                last, step, failures = int(row[0]), 1, 0
            return
        except sqlite3.DatabaseError:
            failures += 1
            last += step
            if failures > _SINGLE_STEPS:
                step *= 2


def open_damaged(path: Path) -> sqlite3.Connection:
    """A read-only connection to a damaged file that never writes to it (nor rolls
    back its journal).  Raises sqlite3.Error."""
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    conn.execute("PRAGMA cell_size_check = ON")
    return conn


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of ``table`` ([] when the schema cannot be read)."""
    try:
        return [str(row[1]) for row in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


@dataclass(frozen=True)
class OpenedFile:
    """A history file ready for use: its connection, the schema version found in it,
    whether it may only be read, and what the user should be told."""

    connection: sqlite3.Connection
    version: int
    read_only: bool
    notices: tuple[str, ...]
    damaged_copy: Path | None = None


def open_file(
    db_path: Path,
    backups: Path | None,
    busy_timeout: float,
    now: Callable[[], datetime],
    known_version: int,
    factory: type[sqlite3.Connection] = sqlite3.Connection,
) -> OpenedFile:
    """Check ``db_path`` (recovering a damaged file from ``backups``) and connect.

    A file written by a schema newer than ``known_version`` is opened read-only.
    ``busy_timeout`` is in seconds; ``factory`` the connection class.  Raises
    HistoryBusyError when the file stays locked, HistoryError when it cannot be
    opened.
    """
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        log.info("cannot create %s", db_path.parent, exc_info=True)
        reason = error.strerror or "refused"
        raise HistoryError(f"cannot create the folder {db_path.parent} ({reason})") from error
    notices: list[str] = []
    if db_path.is_dir():
        problem: FileProblem | None = FileProblem("a folder, not a file")
    elif db_path.exists():
        problem = find_problem(db_path, busy_timeout, read_only=False)
    else:
        problem = None
    if problem is not None and problem.locked:
        raise HistoryBusyError(busy_message(db_path))
    damaged_copy = None
    if problem is not None:
        try:
            recovery = recover_file(db_path, backups, problem.reason, now())
        except OSError as error:
            log.info("cannot set %s aside", db_path, exc_info=True)
            raise HistoryError(
                f"{db_path} is damaged and could not be set aside "
                f"({error.strerror or 'refused'}); move it away and start again"
            ) from error
        notices.append(recovery.message)
        damaged_copy = recovery.kept
    try:
        conn = connect(db_path, busy_timeout, factory=factory)
        version = user_version(conn)
    except sqlite3.DatabaseError as error:
        log.info("cannot open %s: %s", db_path, error)
        reason = plain_reason(error, db_path)
        raise history_error(error, db_path, f"cannot open the history: {reason}") from error
    read_only = version > known_version
    if read_only:
        conn.close()
        conn = connect(db_path, busy_timeout, read_only=True, factory=factory)
        notices.append(
            f"{db_path.name} was written by a newer version of FaceGym (schema "
            f"{version}; this version knows up to {known_version}). History is shown "
            "read-only and nothing new is saved until you update the app."
        )
    return OpenedFile(conn, version, read_only, tuple(notices), damaged_copy)


_SESSION_FIELDS = (
    "started_at", "ended_at", "last_saved_at", "routine_id", "routine_name", "routine_kind",
    "planned_seconds", "active_seconds", "status", "moves_completed", "moves_total",
)
_MOVE_FIELDS = ("session_id", "position", "move_id", "areas", "seconds", "reps")


def salvage(target: sqlite3.Connection, damaged: Path) -> int:
    """Copy every session (with its moves) still readable from ``damaged`` that the
    history behind ``target`` lacks; returns how many were copied.

    A session is the same as a stored one when its start instant and routine id are
    (as for imports).  One left in progress becomes interrupted at its last save.
    Rows that cannot be read or make no sense are skipped.  Raises sqlite3.Error when
    ``target`` cannot be written.
    """
    from facegym_desktop.core.history_queries import MoveRecord
    from facegym_desktop.core.history_writes import NewSession, insert_session, is_stored
    from facegym_desktop.core.stats import SessionStatus

    try:
        source = open_damaged(damaged)
    except sqlite3.Error:
        return 0
    with closing(source):
        session_columns = set(table_columns(source, "sessions"))
        if not set(_SESSION_FIELDS) - {"last_saved_at", "routine_kind"} <= session_columns:
            return 0
        wanted = [name for name in _SESSION_FIELDS if name in session_columns]
        sessions: dict[int, dict[str, Any]] = {
            found[0]: dict(zip(wanted, found[1:], strict=True))
            for found in readable_rows(source, "sessions", wanted)
        }
        moves: dict[int, list[tuple[Any, ...]]] = {}
        if set(_MOVE_FIELDS) <= set(table_columns(source, "session_moves")):
            for found in readable_rows(source, "session_moves", _MOVE_FIELDS):
                moves.setdefault(found[1], []).append(found[2:])
    readable: list[NewSession] = []
    for session_id, row in sessions.items():
        try:
            started = datetime.fromisoformat(str(row["started_at"]))
            ended_text = row["ended_at"] or row.get("last_saved_at") or row["started_at"]
            status = str(row["status"])
            if status == "in_progress":
                status = SessionStatus.INTERRUPTED
            session_moves = tuple(
                MoveRecord(
                    str(move_id), tuple(a for a in str(areas).split(",") if a), int(seconds),
                    None if reps is None else int(reps),
                )
                for _position, move_id, areas, seconds, reps in sorted(
                    moves.get(session_id, []), key=lambda move: int(move[0])
                )
            )
            readable.append(NewSession(
                started_at=started,
                ended_at=datetime.fromisoformat(str(ended_text)),
                routine_id=str(row["routine_id"]),
                routine_name=str(row["routine_name"]),
                planned_seconds=int(row["planned_seconds"]),
                active_seconds=int(row["active_seconds"]),
                status=status,
                moves_completed=int(row["moves_completed"]),
                moves_total=int(row["moves_total"]),
                routine_kind=None if row.get("routine_kind") is None else str(row["routine_kind"]),
                moves=session_moves,
            ))
        except (TypeError, ValueError):
            continue
    copied = 0
    target.execute("BEGIN IMMEDIATE")
    try:
        for session in readable:
            if not is_stored(target, session):
                insert_session(target, session)
                copied += 1
    except BaseException:
        if target.in_transaction:
            target.execute("ROLLBACK")
        raise
    target.execute("COMMIT")
    return copied
