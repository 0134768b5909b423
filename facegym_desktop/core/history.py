"""The session history: one SQLite file, stdlib ``sqlite3``, no ORM.

Durability rules (docs/contracts.md, Reliability):

* rollback journal (``journal_mode=DELETE``) and ``synchronous=FULL``: a committed
  transaction survives a kill or a power cut;
* a session row is written when the session starts and updated at the end of every
  move in one transaction, so a crash loses at most the move in progress; the next
  start calls :meth:`HistoryStore.mark_dangling_interrupted`;
* schema versions live in ``PRAGMA user_version``; each migration runs in one
  transaction, after a backup of the file;
* a backup is made once a day (the newest few are kept);
* a damaged file is moved aside (never deleted) and the newest good backup restored;
  :attr:`HistoryStore.recovered_notice` says what happened;
* a file from a newer app version is opened read-only with a message;
* a locked file is retried for ``busy_timeout`` seconds, then reported.

Times are stored as ISO 8601 text with the UTC offset the session was recorded with,
plus the UTC instant for ordering and the local date (see ``core/stats.py``).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from facegym_desktop.core import stats
from facegym_desktop.core.stats import STATUSES, DayTotals, Summary

SCHEMA_VERSION = 1
DAILY_BACKUPS_KEPT = 7
MIGRATION_BACKUPS_KEPT = 3
DEFAULT_BUSY_TIMEOUT = 5.0
SQLITE_HEADER = b"SQLite format 3\x00"
IN_PROGRESS = "in_progress"

# Ordered migrations: entry N-1 takes the file from user_version N-1 to N.
# Each is a list of single statements so they all run inside one transaction
# (sqlite3's executescript would commit first).
MIGRATIONS: list[list[str]] = [
    [
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            started_utc TEXT NOT NULL,
            utc_offset_minutes INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            ended_at TEXT,
            last_saved_at TEXT,
            routine_id TEXT NOT NULL,
            routine_name TEXT NOT NULL,
            routine_kind TEXT,
            planned_seconds INTEGER NOT NULL,
            active_seconds INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL
                CHECK (status IN ('in_progress', 'completed', 'partial', 'interrupted')),
            moves_completed INTEGER NOT NULL DEFAULT 0,
            moves_total INTEGER NOT NULL,
            source TEXT NOT NULL DEFAULT 'app'
        )
        """,
        "CREATE INDEX sessions_by_local_date ON sessions (local_date)",
        "CREATE INDEX sessions_by_start ON sessions (started_utc, routine_id)",
        "CREATE INDEX sessions_by_status ON sessions (status)",
        """
        CREATE TABLE session_moves (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            move_id TEXT NOT NULL,
            areas TEXT NOT NULL,
            seconds INTEGER NOT NULL,
            reps INTEGER
        )
        """,
        "CREATE INDEX session_moves_by_session ON session_moves (session_id)",
        # Seconds per area per session, kept alongside the moves so per-area totals
        # never need to split strings.
        """
        CREATE TABLE session_areas (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            area TEXT NOT NULL,
            seconds INTEGER NOT NULL,
            PRIMARY KEY (session_id, area)
        ) WITHOUT ROWID
        """,
        # Running totals per area, maintained by triggers: stats read 11 rows, not 75,000.
        "CREATE TABLE area_totals (area TEXT PRIMARY KEY, seconds INTEGER NOT NULL) WITHOUT ROWID",
        """
        CREATE TRIGGER session_areas_insert AFTER INSERT ON session_areas BEGIN
            INSERT INTO area_totals (area, seconds) VALUES (NEW.area, NEW.seconds)
            ON CONFLICT (area) DO UPDATE SET seconds = seconds + NEW.seconds;
        END
        """,
        """
        CREATE TRIGGER session_areas_update AFTER UPDATE ON session_areas BEGIN
            UPDATE area_totals SET seconds = seconds - OLD.seconds WHERE area = OLD.area;
            INSERT INTO area_totals (area, seconds) VALUES (NEW.area, NEW.seconds)
            ON CONFLICT (area) DO UPDATE SET seconds = seconds + NEW.seconds;
        END
        """,
        """
        CREATE TRIGGER session_areas_delete AFTER DELETE ON session_areas BEGIN
            UPDATE area_totals SET seconds = seconds - OLD.seconds WHERE area = OLD.area;
        END
        """,
    ],
]

_EXTENDED_SQL = (
    "CASE WHEN routine_kind IS NOT NULL AND routine_kind <> '' "
    "THEN routine_kind = 'extended' "
    f"ELSE planned_seconds >= {stats.EXTENDED_MIN_PLANNED_SECONDS} END"
)

_SESSION_COLUMNS = (
    "id, started_at, ended_at, routine_id, routine_name, routine_kind, planned_seconds, "
    "active_seconds, status, moves_completed, moves_total, local_date"
)


class HistoryError(Exception):
    """A history problem to show the user in one line."""


class HistoryReadOnlyError(HistoryError):
    """The file was written by a newer app version; it is only read."""


class HistoryBusyError(HistoryError):
    """Another program kept the file locked for longer than the busy timeout."""


class SessionRecord(NamedTuple):
    """One session as stored (times are aware datetimes in the recorded offset).

    A named tuple rather than a dataclass: the history window loads every session,
    and tuples are several times cheaper to build.
    """

    id: int
    started_at: datetime
    ended_at: datetime | None
    routine_id: str
    routine_name: str
    routine_kind: str | None
    planned_seconds: int
    active_seconds: int
    status: str
    moves_completed: int
    moves_total: int
    local_date: date


@dataclass(frozen=True)
class MoveRecord:
    move_id: str
    areas: tuple[str, ...]
    seconds: int
    reps: int | None = None


@dataclass(frozen=True)
class NewSession:
    """A whole session to write at once (imports, tests, generated data)."""

    started_at: datetime
    ended_at: datetime | None
    routine_id: str
    routine_name: str
    planned_seconds: int
    active_seconds: int
    status: str
    moves_completed: int
    moves_total: int
    routine_kind: str | None = None
    moves: Sequence[MoveRecord] = ()


@dataclass(frozen=True)
class DeletedSession:
    """Everything needed to put a deleted session back (undo)."""

    session_row: tuple[object, ...]
    move_rows: tuple[tuple[object, ...], ...]
    area_rows: tuple[tuple[object, ...], ...]

    @property
    def session_id(self) -> int:
        return _as_int(self.session_row[0])


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped_duplicates: int


@dataclass(frozen=True)
class Overview:
    """All the history window shows, aggregated off the UI thread."""

    summary: Summary
    heatmap: stats.HeatmapData
    weeks: tuple[stats.WeekBar, ...]
    sessions: tuple[SessionRecord, ...] = field(default_factory=tuple)


def _now_local() -> datetime:
    return datetime.now(UTC).astimezone()


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must carry a UTC offset")


def format_time(moment: datetime) -> str:
    """ISO 8601 with the UTC offset, to the second: ``2026-03-29T07:45:00+02:00``."""
    return moment.replace(microsecond=0).isoformat()


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def _parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _in_offset_of(moment: datetime, reference: datetime) -> datetime:
    return moment.astimezone(reference.tzinfo)


def is_sqlite_file(path: Path) -> bool:
    """True when ``path`` starts with the SQLite header (or is empty: a new database)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return True
    return head == b"" or head == SQLITE_HEADER


def check_file(path: Path, busy_timeout: float = 1.0, read_only: bool = True) -> str:
    """``"ok"`` when ``path`` is a sound SQLite file, else a short reason.

    The live file is checked read-write (``read_only=False``) so that a journal left
    by a crash is rolled back first instead of being mistaken for damage.
    """
    if not is_sqlite_file(path):
        return "not an SQLite database"
    target = f"file:{path}?mode=ro" if read_only else f"file:{path}?mode=rw"
    try:
        with closing(sqlite3.connect(target, uri=True, timeout=busy_timeout)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as error:
        return str(error)
    if rows == [("ok",)]:
        return "ok"
    return "; ".join(str(row[0]) for row in rows[:3])


class HistoryStore:
    """Sessions on disk.  Safe to call from one worker thread at a time (a lock guards it)."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        backups_dir: Path | None,
        *,
        read_only: bool,
        notices: list[str],
        now: Callable[[], datetime],
        schema_version: int,
    ) -> None:
        self._conn = connection
        self.path = path
        self.backups_dir = backups_dir
        self.read_only = read_only
        self._notices = notices
        self._now = now
        self.schema_version = schema_version
        self._lock = threading.RLock()

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        backups_dir: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        now: Callable[[], datetime] = _now_local,
        daily_backup: bool = True,
    ) -> HistoryStore:
        """Open (creating, migrating, recovering or backing up as needed) the history file."""
        db_path = Path(path)
        backups = Path(backups_dir) if backups_dir is not None else None
        if db_path.is_dir():
            raise HistoryError(f"{db_path} is a folder, not a history file")
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise HistoryError(f"cannot create {db_path.parent}: {error}") from error
        notices: list[str] = []
        problem = check_file(db_path, busy_timeout, read_only=False) if db_path.exists() else "ok"
        if problem != "ok" and _is_lock_problem(problem):
            raise HistoryBusyError(_busy_message(db_path))
        if problem != "ok":
            notices.append(_recover(db_path, backups, problem, now()))
        try:
            conn = _connect(db_path, busy_timeout)
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        except sqlite3.OperationalError as error:
            if _is_lock_error(error):
                raise HistoryBusyError(_busy_message(db_path)) from error
            raise HistoryError(f"cannot open {db_path}: {error}") from error
        except sqlite3.DatabaseError as error:
            raise HistoryError(f"cannot open {db_path}: {error}") from error
        if version > SCHEMA_VERSION:
            conn.close()
            conn = _connect(db_path, busy_timeout, read_only=True)
            notices.append(
                f"{db_path.name} was written by a newer version of FaceGym (schema "
                f"{version}; this version knows up to {SCHEMA_VERSION}). History is shown "
                "read-only and nothing new is saved until you update the app."
            )
            return cls(
                conn,
                db_path,
                backups,
                read_only=True,
                notices=notices,
                now=now,
                schema_version=version,
            )
        store = cls(
            conn,
            db_path,
            backups,
            read_only=False,
            notices=notices,
            now=now,
            schema_version=version,
        )
        try:
            store._migrate(version)
            if daily_backup:
                store.backup_if_due()
        except sqlite3.OperationalError as error:
            conn.close()
            if _is_lock_error(error):
                raise HistoryBusyError(_busy_message(db_path)) from error
            raise HistoryError(f"cannot prepare {db_path}: {error}") from error
        return store

    @property
    def recovered_notice(self) -> str | None:
        """What happened while opening that the user should hear about, or None."""
        recovered = [note for note in self._notices if "damaged" in note]
        return recovered[0] if recovered else None

    @property
    def notices(self) -> tuple[str, ...]:
        """Every message from opening: recovery, read-only mode."""
        return tuple(self._notices)

    @property
    def read_only_notice(self) -> str | None:
        for note in self._notices:
            if "read-only" in note:
                return note
        return None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self, version: int) -> None:
        if version >= len(MIGRATIONS):
            return
        if version > 0 and self._has_sessions():
            self._backup_into_folder(f"before-v{version + 1}", MIGRATION_BACKUPS_KEPT)
        for target in range(version + 1, len(MIGRATIONS) + 1):
            with self._transaction() as conn:
                for statement in MIGRATIONS[target - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
            self.schema_version = target

    def _has_sessions(self) -> bool:
        try:
            return self._conn.execute("SELECT 1 FROM sessions LIMIT 1").fetchone() is not None
        except sqlite3.OperationalError:
            return False

    # ------------------------------------------------------------ transactions

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise HistoryReadOnlyError(
                self.read_only_notice or "history is read-only; nothing was saved"
            )
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if _is_lock_error(error):
                    raise HistoryBusyError(_busy_message(self.path)) from error
                raise
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.OperationalError as error:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if _is_lock_error(error):
                    raise HistoryBusyError(_busy_message(self.path)) from error
                raise

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.OperationalError as error:
                if _is_lock_error(error):
                    raise HistoryBusyError(_busy_message(self.path)) from error
                raise HistoryError(f"cannot read {self.path.name}: {error}") from error

    # --------------------------------------------------------- the live session

    def begin_session(
        self,
        routine_id: str,
        routine_name: str,
        routine_kind: str | None,
        planned_seconds: float,
        moves_total: int,
        started_at: datetime,
    ) -> int:
        """Write a new session in progress; returns its id."""
        _require_aware(started_at, "started_at")
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (started_at, started_utc, utc_offset_minutes, local_date, "
                "last_saved_at, routine_id, routine_name, routine_kind, planned_seconds, "
                "active_seconds, status, moves_completed, moves_total) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, ?)",
                (
                    format_time(started_at),
                    _utc_text(started_at),
                    _offset_minutes(started_at),
                    stats.local_date_of(started_at).isoformat(),
                    format_time(started_at),
                    routine_id,
                    routine_name,
                    routine_kind,
                    round(planned_seconds),
                    IN_PROGRESS,
                    int(moves_total),
                ),
            )
            session_id = cursor.lastrowid
        assert session_id is not None
        return session_id

    def checkpoint(
        self,
        session_id: int,
        *,
        move_id: str,
        areas: Iterable[str],
        seconds: float,
        reps: int | None = None,
        active_seconds: float,
        moves_completed: int,
    ) -> None:
        """Record one finished move and the running totals, durably, in one transaction."""
        area_list = list(dict.fromkeys(areas))
        move_seconds = max(0, round(seconds))
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT started_at, status FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if row is None:
                raise HistoryError(f"session {session_id} does not exist")
            started_at = datetime.fromisoformat(row[0])
            position = conn.execute(
                "SELECT COUNT(*) FROM session_moves WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO session_moves (session_id, position, move_id, areas, seconds, reps) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, position + 1, move_id, ",".join(area_list), move_seconds, reps),
            )
            for area in area_list:
                conn.execute(
                    "INSERT INTO session_areas (session_id, area, seconds) VALUES (?, ?, ?) "
                    "ON CONFLICT (session_id, area) DO UPDATE SET seconds = seconds + ?",
                    (session_id, area, move_seconds, move_seconds),
                )
            conn.execute(
                "UPDATE sessions SET active_seconds = ?, moves_completed = ?, last_saved_at = ? "
                "WHERE id = ?",
                (
                    max(0, round(active_seconds)),
                    int(moves_completed),
                    format_time(_in_offset_of(self._now(), started_at)),
                    session_id,
                ),
            )

    def finish_session(
        self,
        session_id: int,
        status: str,
        ended_at: datetime,
        active_seconds: float,
        moves_completed: int,
    ) -> None:
        """Close a session as completed, partial or interrupted (one transaction)."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        _require_aware(ended_at, "ended_at")
        with self._transaction() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET status = ?, ended_at = ?, last_saved_at = ?, "
                "active_seconds = ?, moves_completed = ? WHERE id = ?",
                (
                    status,
                    format_time(ended_at),
                    format_time(ended_at),
                    max(0, round(active_seconds)),
                    int(moves_completed),
                    session_id,
                ),
            )
            if cursor.rowcount != 1:
                raise HistoryError(f"session {session_id} does not exist")

    def mark_dangling_interrupted(self) -> int:
        """Sessions left in progress by a crash become ``interrupted``; returns how many."""
        if self.read_only:
            return 0
        with self._transaction() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET status = 'interrupted', "
                "ended_at = COALESCE(ended_at, last_saved_at, started_at) "
                "WHERE status = 'in_progress'"
            )
            return cursor.rowcount

    def record_session(self, session: NewSession) -> int:
        """Write a whole finished session (with its moves) in one transaction."""
        with self._transaction() as conn:
            return self._insert_session(conn, session)

    def record_sessions(self, sessions: Iterable[NewSession]) -> int:
        """Write many finished sessions in one transaction; returns how many."""
        count = 0
        with self._transaction() as conn:
            for session in sessions:
                self._insert_session(conn, session)
                count += 1
        return count

    def _insert_session(
        self, conn: sqlite3.Connection, session: NewSession, source: str = "app"
    ) -> int:
        _require_aware(session.started_at, "started_at")
        if session.ended_at is not None:
            _require_aware(session.ended_at, "ended_at")
        if session.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        ended = None if session.ended_at is None else format_time(session.ended_at)
        cursor = conn.execute(
            "INSERT INTO sessions (started_at, started_utc, utc_offset_minutes, local_date, "
            "ended_at, last_saved_at, routine_id, routine_name, routine_kind, planned_seconds, "
            "active_seconds, status, moves_completed, moves_total, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                format_time(session.started_at),
                _utc_text(session.started_at),
                _offset_minutes(session.started_at),
                stats.local_date_of(session.started_at).isoformat(),
                ended,
                ended,
                session.routine_id,
                session.routine_name,
                session.routine_kind,
                int(session.planned_seconds),
                int(session.active_seconds),
                session.status,
                int(session.moves_completed),
                int(session.moves_total),
                source,
            ),
        )
        session_id = cursor.lastrowid
        assert session_id is not None
        area_seconds: dict[str, int] = {}
        for position, move in enumerate(session.moves, start=1):
            conn.execute(
                "INSERT INTO session_moves (session_id, position, move_id, areas, seconds, reps) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, position, move.move_id, ",".join(move.areas), move.seconds, move.reps),
            )
            for area in dict.fromkeys(move.areas):
                area_seconds[area] = area_seconds.get(area, 0) + move.seconds
        if area_seconds:
            conn.executemany(
                "INSERT INTO session_areas (session_id, area, seconds) VALUES (?, ?, ?)",
                [(session_id, area, secs) for area, secs in area_seconds.items()],
            )
        return session_id

    # -------------------------------------------------------------- deleting

    def delete_session(self, session_id: int) -> DeletedSession:
        """Remove a session; the returned snapshot puts it back with :meth:`restore_session`."""
        with self._transaction() as conn:
            row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise HistoryError(f"session {session_id} does not exist")
            moves = conn.execute(
                "SELECT * FROM session_moves WHERE session_id = ? ORDER BY position",
                (session_id,),
            ).fetchall()
            areas = conn.execute(
                "SELECT * FROM session_areas WHERE session_id = ?", (session_id,)
            ).fetchall()
            conn.execute("DELETE FROM session_areas WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM session_moves WHERE session_id = ?", (session_id,))
            conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
        return DeletedSession(tuple(row), tuple(map(tuple, moves)), tuple(map(tuple, areas)))

    def restore_session(self, deleted: DeletedSession) -> int:
        """Undo :meth:`delete_session` (same id, moves and areas)."""
        with self._transaction() as conn:
            marks = ", ".join("?" * len(deleted.session_row))
            conn.execute(f"INSERT INTO sessions VALUES ({marks})", deleted.session_row)
            for move in deleted.move_rows:
                conn.execute(
                    f"INSERT INTO session_moves VALUES ({', '.join('?' * len(move))})", move
                )
            for area in deleted.area_rows:
                conn.execute(
                    f"INSERT INTO session_areas VALUES ({', '.join('?' * len(area))})", area
                )
        return deleted.session_id

    # ------------------------------------------------------------------ reading

    def session_count(self) -> int:
        return _as_int(self._read("SELECT COUNT(*) FROM sessions")[0][0])

    def sessions(self, limit: int | None = None, newest_first: bool = True) -> list[SessionRecord]:
        """Sessions in start order (newest first by default), in-progress ones included."""
        order = "DESC" if newest_first else "ASC"
        sql = f"SELECT {_SESSION_COLUMNS} FROM sessions ORDER BY started_utc {order}, id {order}"
        params: tuple[object, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        return [_session_from_row(row) for row in self._read(sql, params)]

    def get_session(self, session_id: int) -> SessionRecord | None:
        rows = self._read(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?", (session_id,))
        return _session_from_row(rows[0]) if rows else None

    def moves(self, session_id: int) -> list[MoveRecord]:
        rows = self._read(
            "SELECT move_id, areas, seconds, reps FROM session_moves WHERE session_id = ? "
            "ORDER BY position",
            (session_id,),
        )
        return [
            MoveRecord(
                str(move_id),
                tuple(a for a in str(areas).split(",") if a),
                int(seconds),  # type: ignore[call-overload]
                None if reps is None else int(reps),  # type: ignore[call-overload]
            )
            for move_id, areas, seconds, reps in rows
        ]

    def last_done_by_routine(self) -> dict[str, datetime]:
        """When each routine was last started, among sessions completed or partly done."""
        rows = self._read(
            "SELECT routine_id, started_at, MAX(started_utc) FROM sessions "
            "WHERE status IN ('completed', 'partial') GROUP BY routine_id"
        )
        return {str(routine_id): datetime.fromisoformat(str(at)) for routine_id, at, _ in rows}

    def day_totals(self) -> list[DayTotals]:
        """Per local date: sessions, completed, active seconds, completed extended sessions."""
        rows = self._read(
            "SELECT local_date, COUNT(*), SUM(status = 'completed'), SUM(active_seconds), "
            f"SUM(status = 'completed' AND ({_EXTENDED_SQL})) "
            "FROM sessions WHERE status <> 'in_progress' GROUP BY local_date ORDER BY local_date"
        )
        return [
            DayTotals(date.fromisoformat(str(day)), int(n), int(done), float(secs), int(ext))  # type: ignore[call-overload, arg-type]
            for day, n, done, secs, ext in rows
        ]

    def area_seconds(self) -> dict[str, float]:
        rows = self._read("SELECT area, seconds FROM area_totals WHERE seconds > 0")
        return {str(area): float(secs) for area, secs in rows}  # type: ignore[arg-type]

    def stats(self, today: date | None = None, rest_days_per_week: int = 0) -> Summary:
        """Streaks, goals and totals as of ``today`` (default: the local date now)."""
        day = today or self._now().date()
        return stats.summarize_days(self.day_totals(), day, rest_days_per_week, self.area_seconds())

    def overview(
        self,
        today: date | None = None,
        rest_days_per_week: int = 0,
        include_sessions: bool = True,
    ) -> Overview:
        """Everything the history window shows, computed in one go."""
        day = today or self._now().date()
        if include_sessions:
            # One pass over the rows gives both the list and the per-day totals.
            rows = self._read(
                f"SELECT {_SESSION_COLUMNS}, started_utc, {_EXTENDED_SQL} FROM sessions"
            )
            rows.sort(key=lambda row: (row[12], row[0]), reverse=True)
            sessions = tuple(_session_from_row(row) for row in rows)
            days = _day_totals_of_rows(rows)
        else:
            sessions = ()
            days = self.day_totals()
        summary = stats.summarize_days(days, day, rest_days_per_week, self.area_seconds())
        return Overview(
            summary, stats.heatmap(days, day), stats.weekly_minutes(days, day), sessions
        )

    def export_rows(self) -> list[SessionRecord]:
        """Finished sessions, oldest first, for the CSV export."""
        return [s for s in self.sessions(newest_first=False) if s.status != IN_PROGRESS]

    def import_sessions(self, sessions: Sequence[NewSession]) -> ImportResult:
        """Add sessions in one transaction, skipping those already present.

        A duplicate has the same start instant and routine id as a stored session (or
        as an earlier row of the same import).  Either every new row is written or none.
        """
        if sessions and not self.read_only and self._has_sessions():
            self._backup_into_folder("before-import", MIGRATION_BACKUPS_KEPT)
        added = 0
        skipped = 0
        with self._transaction() as conn:
            seen: set[tuple[str, str]] = set()
            for session in sessions:
                key = (_utc_text(session.started_at), session.routine_id)
                if key in seen:
                    skipped += 1
                    continue
                seen.add(key)
                exists = conn.execute(
                    "SELECT 1 FROM sessions WHERE started_utc = ? AND routine_id = ? LIMIT 1", key
                ).fetchone()
                if exists:
                    skipped += 1
                    continue
                self._insert_session(conn, session, source="import")
                added += 1
        return ImportResult(added, skipped)

    # ------------------------------------------------------------------ backups

    def backup_to(self, destination: str | os.PathLike[str]) -> Path:
        """Copy the whole history to ``destination`` (atomically: temp file, then rename)."""
        target = Path(destination)
        if target.exists() and target.resolve() == self.path.resolve():
            raise HistoryError("the backup would overwrite the history file itself")
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".partial")
        temporary.unlink(missing_ok=True)
        with self._lock:
            try:
                with closing(sqlite3.connect(temporary)) as copy:
                    self._conn.backup(copy)
                    copy.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.OperationalError as error:
                temporary.unlink(missing_ok=True)
                if _is_lock_error(error):
                    raise HistoryBusyError(_busy_message(self.path)) from error
                raise HistoryError(f"cannot write backup {target}: {error}") from error
        _fsync_file(temporary)
        os.replace(temporary, target)
        return target

    def backup_if_due(self) -> Path | None:
        """The once-a-day backup: made when none exists for today and there is data."""
        if self.backups_dir is None or self.read_only or not self._has_sessions():
            return None
        today = self._now().date().isoformat()
        target = self.backups_dir / f"history-daily-{today}.sqlite3"
        if target.exists():
            return None
        made = self.backup_to(target)
        _prune(self.backups_dir, "history-daily-", DAILY_BACKUPS_KEPT)
        return made

    def _backup_into_folder(self, reason: str, keep: int) -> Path | None:
        if self.backups_dir is None:
            return None
        stamp = self._now().strftime("%Y-%m-%dT%H%M%S")
        target = self.backups_dir / f"history-{reason}-{stamp}.sqlite3"
        made = self.backup_to(target)
        _prune(self.backups_dir, f"history-{reason}-", keep)
        return made

    def integrity_check(self) -> str:
        rows = self._read("PRAGMA integrity_check")
        return "; ".join(str(row[0]) for row in rows)


# ---------------------------------------------------------------- helpers


def _connect(path: Path, busy_timeout: float, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro",
            uri=True,
            timeout=busy_timeout,
            isolation_level=None,
            check_same_thread=False,
        )
    else:
        conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    if not read_only:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _is_lock_error(error: sqlite3.Error) -> bool:
    return _is_lock_problem(str(error))


def _is_lock_problem(text: str) -> bool:
    return "locked" in text or "busy" in text


def _busy_message(path: Path) -> str:
    return (
        f"{path.name} is locked by another program (perhaps a second FaceGym). "
        "Close it and try again; nothing was lost."
    )


def _session_from_row(row: Sequence[Any]) -> SessionRecord:
    # Column types are fixed by the schema (NOT NULL and CHECK), so no conversions
    # beyond the times: this runs 15,000 times when the history window opens.
    ended = row[2]
    return SessionRecord(
        row[0],
        _from_iso(row[1]),
        None if ended is None else _from_iso(ended),
        row[3],
        row[4],
        row[5],
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        _date_from_iso(row[11]),
    )


def _day_totals_of_rows(rows: Sequence[Sequence[Any]]) -> list[DayTotals]:
    """What :meth:`HistoryStore.day_totals` computes in SQL, from fetched rows
    (status at 8, active seconds at 7, local date at 11, extended flag at 13)."""
    totals: dict[str, list[Any]] = {}
    for row in rows:
        status = row[8]
        if status == IN_PROGRESS:
            continue
        entry = totals.get(row[11])
        if entry is None:
            entry = totals[row[11]] = [0, 0, 0, 0]
        entry[0] += 1
        entry[2] += row[7]
        if status == "completed":
            entry[1] += 1
            if row[13]:
                entry[3] += 1
    return [
        DayTotals(date.fromisoformat(day), n, done, float(secs), ext)
        for day, (n, done, secs, ext) in sorted(totals.items())
    ]


_from_iso = datetime.fromisoformat
_date_from_iso = date.fromisoformat


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _prune(folder: Path, prefix: str, keep: int) -> None:
    """Keep the newest ``keep`` backups whose names start with ``prefix``."""
    found = sorted(p for p in folder.glob(f"{prefix}*.sqlite3") if p.is_file())
    for old in found[:-keep] if keep > 0 else found:
        old.unlink(missing_ok=True)


def list_backups(folder: Path | None) -> list[Path]:
    """Backups in ``folder``, newest first (by modification time, then name)."""
    if folder is None or not folder.is_dir():
        return []
    found = [p for p in folder.glob("history-*.sqlite3") if p.is_file()]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def _usable_backup(path: Path) -> bool:
    if check_file(path) != "ok":
        return False
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            conn.execute("SELECT COUNT(*) FROM sessions").fetchone()
    except sqlite3.DatabaseError:
        return False
    return 1 <= version <= SCHEMA_VERSION


def _recover(db_path: Path, backups: Path | None, problem: str, now: datetime) -> str:
    """Move a damaged file aside and put the newest good backup in its place."""
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
        if _usable_backup(candidate):
            temporary = db_path.with_name(db_path.name + ".restoring")
            shutil.copyfile(candidate, temporary)
            _fsync_file(temporary)
            os.replace(temporary, db_path)
            taken = datetime.fromtimestamp(candidate.stat().st_mtime).date().isoformat()
            return (
                f"{db_path.name} was damaged ({problem}); restored from the backup of "
                f"{taken} ({candidate.name}). The damaged file was kept as {kept.name}."
            )
    return (
        f"{db_path.name} was damaged ({problem}) and no usable backup was found; a new, "
        f"empty history was started. The damaged file was kept as {kept.name}."
    )


def facts_from_records(records: Iterable[SessionRecord]) -> list[stats.SessionFacts]:
    """Session records as the inputs of :func:`stats.summarize` (areas not included)."""
    return [
        stats.SessionFacts(
            local_date=record.local_date,
            status=record.status,
            active_seconds=record.active_seconds,
            extended=stats.is_extended(record.routine_kind, record.planned_seconds),
        )
        for record in records
        if record.status != IN_PROGRESS
    ]


def _as_int(value: object) -> int:
    """An INTEGER column read back from SQLite (typed loosely by the driver)."""
    if isinstance(value, int):
        return value
    raise HistoryError(f"expected a whole number in the database, found {value!r}")
