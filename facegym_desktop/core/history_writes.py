"""The SQL of every history write, as functions on a connection inside a transaction.

:class:`~facegym_desktop.core.history.HistoryStore` opens the transactions and calls
these; nothing here commits.  Seconds are rounded to whole seconds; times must be
aware (ValueError otherwise); a status is a :class:`SessionStatus` value.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from facegym_desktop.core import stats
from facegym_desktop.core.history_errors import HistoryError
from facegym_desktop.core.history_journal import BEGIN, MOVE, NOT_STARTED, SessionWrite
from facegym_desktop.core.history_queries import MoveRecord
from facegym_desktop.core.history_schema import (
    IN_PROGRESS,
    format_time,
    offset_minutes,
    require_aware,
    utc_text,
)
from facegym_desktop.core.stats import STATUSES, SessionStatus

Row = Mapping[str, object]


@dataclass(frozen=True)
class NewSession:
    """A whole session to write at once (imports, tests, generated data).

    Times are aware datetimes; seconds are whole seconds; ``status`` is one of
    :class:`SessionStatus`.
    """

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
    """Everything needed to put a deleted session back (undo): its rows, column by
    column."""

    session: Row
    moves: tuple[Row, ...]
    areas: tuple[Row, ...]

    @property
    def session_id(self) -> int:
        """The id the session had, and gets back on restore."""
        value = self.session["id"]
        if not isinstance(value, int):
            raise HistoryError(f"expected a whole number in the database, found {value!r}")
        return value


def require_status(status: str) -> None:
    """Raise ValueError unless ``status`` is a :class:`SessionStatus` value."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")


def insert_started(
    conn: sqlite3.Connection,
    routine_id: str,
    routine_name: str,
    routine_kind: str | None,
    planned_seconds: float,
    moves_total: int,
    started_at: datetime,
    owner: str | None = None,
) -> int:
    """Insert a session in progress, run by ``owner`` (see ``process_owner``); its id."""
    require_aware(started_at, "started_at")
    started = format_time(started_at)
    cursor = conn.execute(
        "INSERT INTO sessions (started_at, started_utc, utc_offset_minutes, local_date, "
        "last_saved_at, routine_id, routine_name, routine_kind, planned_seconds, "
        "status, moves_total, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            started,
            utc_text(started_at),
            offset_minutes(started_at),
            stats.local_date_of(started_at).isoformat(),
            started,
            routine_id,
            routine_name,
            routine_kind,
            round(planned_seconds),
            IN_PROGRESS,
            int(moves_total),
            owner,
        ),
    )
    session_id = cursor.lastrowid
    assert session_id is not None
    return session_id


def add_move(
    conn: sqlite3.Connection,
    session_id: int,
    now: datetime,
    *,
    move_id: str,
    areas: Iterable[str],
    seconds: float,
    reps: int | None,
    active_seconds: float,
    moves_completed: int,
) -> None:
    """Append a finished move, add its seconds to its areas and update the running
    totals; ``now`` (read in the session's offset) becomes ``last_saved_at``.
    Raises HistoryError when the session does not exist."""
    area_list = list(dict.fromkeys(areas))
    move_seconds = max(0, round(seconds))
    row = conn.execute(
        "SELECT started_at, "
        "(SELECT COUNT(*) FROM session_moves WHERE session_id = sessions.id) AS done "
        "FROM sessions WHERE id = ?",
        (session_id,),
    ).fetchone()
    if row is None:
        raise HistoryError(f"session {session_id} does not exist")
    started_at = datetime.fromisoformat(row["started_at"])
    conn.execute(
        "INSERT INTO session_moves (session_id, position, move_id, areas, seconds, reps) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (session_id, row["done"] + 1, move_id, ",".join(area_list), move_seconds, reps),
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
            format_time(now.astimezone(started_at.tzinfo)),
            session_id,
        ),
    )


def close_session(
    conn: sqlite3.Connection,
    session_id: int,
    status: str,
    ended_at: datetime,
    active_seconds: float,
    moves_completed: int,
) -> None:
    """Set a session's final status, end and totals.  Raises HistoryError when the
    session does not exist.

    The end is kept no earlier than the start plus ``active_seconds``: the wall clock
    may have been set back during the session (active time is measured on a clock
    that is never set back), and a session cannot end before its massage did.
    """
    require_status(status)
    require_aware(ended_at, "ended_at")
    row = conn.execute("SELECT started_at FROM sessions WHERE id = ?", (session_id,)).fetchone()
    if row is not None:
        earliest = datetime.fromisoformat(row[0]) + timedelta(seconds=round(active_seconds))
        ended_at = max(ended_at, earliest.astimezone(ended_at.tzinfo))
    ended = format_time(ended_at)
    cursor = conn.execute(
        "UPDATE sessions SET status = ?, ended_at = ?, last_saved_at = ?, "
        "active_seconds = ?, moves_completed = ? WHERE id = ?",
        (
            str(status),
            ended,
            ended,
            max(0, round(active_seconds)),
            int(moves_completed),
            session_id,
        ),
    )
    if cursor.rowcount != 1:
        raise HistoryError(f"session {session_id} does not exist")


def dangling_ids(conn: sqlite3.Connection, alive: Callable[[str | None], bool]) -> list[int]:
    """Sessions in progress whose owner is not ``alive`` (see ``owner_alive``)."""
    rows = conn.execute("SELECT id, owner FROM sessions WHERE status = ?", (IN_PROGRESS,))
    return [int(row[0]) for row in rows.fetchall() if not alive(row[1])]


def mark_dangling(conn: sqlite3.Connection, alive: Callable[[str | None], bool]) -> int:
    """Sessions in progress whose owner is gone become interrupted, ending at their
    last save; returns how many."""
    ids = dangling_ids(conn, alive)
    for session_id in ids:
        conn.execute(
            "UPDATE sessions SET status = ?, "
            "ended_at = COALESCE(ended_at, last_saved_at, started_at) WHERE id = ?",
            (SessionStatus.INTERRUPTED, session_id),
        )
    return len(ids)


def find_session(conn: sqlite3.Connection, started_at: datetime, routine_id: str) -> int | None:
    """The id of the session that started at ``started_at`` (aware) with
    ``routine_id``, or None."""
    require_aware(started_at, "started_at")
    row = conn.execute(
        "SELECT id FROM sessions WHERE started_utc = ? AND routine_id = ? ORDER BY id LIMIT 1",
        (utc_text(started_at), routine_id),
    ).fetchone()
    return None if row is None else int(row[0])


def apply_write(conn: sqlite3.Connection, write: SessionWrite, now: datetime) -> int:
    """Apply one step of a session so that applying it again changes nothing; the
    session's id.

    A begin already stored is found again; a move already stored (by position) is
    skipped; a finish sets the same values again.  ``now`` is the time saved for a
    move without one.  Raises HistoryError (:data:`NOT_STARTED`) when a move or
    finish has no session, ValueError for a naive time or an unknown status.
    """
    found = find_session(conn, write.started_at, write.routine_id)
    if write.kind == BEGIN:
        if found is not None:
            return found
        return insert_started(
            conn, write.routine_id, write.routine_name, write.routine_kind,
            write.planned_seconds, write.moves_total, write.started_at, write.owner,
        )
    if found is None:
        raise HistoryError(NOT_STARTED)
    if write.kind == MOVE:
        stored = conn.execute(
            "SELECT COUNT(*) FROM session_moves WHERE session_id = ?", (found,)
        ).fetchone()[0]
        if int(stored) < write.position:
            add_move(
                conn, found, write.at or now, move_id=write.move_id, areas=write.areas,
                seconds=write.seconds, reps=write.reps, active_seconds=write.active_seconds,
                moves_completed=write.moves_completed,
            )
        return found
    if write.at is None:
        raise ValueError("the end of a session must be given")
    close_session(
        conn, found, write.status, write.at, write.active_seconds, write.moves_completed
    )
    return found


def insert_session(conn: sqlite3.Connection, session: NewSession, source: str = "app") -> int:
    """Insert a whole session with its moves and per-area seconds; returns its id."""
    require_aware(session.started_at, "started_at")
    if session.ended_at is not None:
        require_aware(session.ended_at, "ended_at")
    require_status(session.status)
    ended = None if session.ended_at is None else format_time(session.ended_at)
    cursor = conn.execute(
        "INSERT INTO sessions (started_at, started_utc, utc_offset_minutes, local_date, "
        "ended_at, last_saved_at, routine_id, routine_name, routine_kind, planned_seconds, "
        "active_seconds, status, moves_completed, moves_total, source) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            format_time(session.started_at),
            utc_text(session.started_at),
            offset_minutes(session.started_at),
            stats.local_date_of(session.started_at).isoformat(),
            ended,
            ended,
            session.routine_id,
            session.routine_name,
            session.routine_kind,
            int(session.planned_seconds),
            int(session.active_seconds),
            str(session.status),
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


def is_stored(conn: sqlite3.Connection, session: NewSession) -> bool:
    """Whether a session with the same start instant and routine id is stored."""
    found = conn.execute(
        "SELECT 1 FROM sessions WHERE started_utc = ? AND routine_id = ? LIMIT 1",
        (utc_text(session.started_at), session.routine_id),
    ).fetchone()
    return found is not None


def delete(conn: sqlite3.Connection, session_id: int) -> DeletedSession:
    """Delete a session with its moves and areas; returns what :func:`restore` needs.
    Raises HistoryError when the session does not exist."""
    row = conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
    if row is None:
        raise HistoryError(f"session {session_id} does not exist")
    moves = conn.execute(
        "SELECT * FROM session_moves WHERE session_id = ? ORDER BY position", (session_id,)
    ).fetchall()
    areas = conn.execute(
        "SELECT * FROM session_areas WHERE session_id = ?", (session_id,)
    ).fetchall()
    conn.execute("DELETE FROM session_areas WHERE session_id = ?", (session_id,))
    conn.execute("DELETE FROM session_moves WHERE session_id = ?", (session_id,))
    conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
    return DeletedSession(
        dict(row), tuple(dict(move) for move in moves), tuple(dict(area) for area in areas)
    )


def restore(conn: sqlite3.Connection, deleted: DeletedSession) -> None:
    """Insert the rows :func:`delete` removed, with the same ids."""
    _insert(conn, "sessions", deleted.session)
    for move in deleted.moves:
        _insert(conn, "session_moves", move)
    for area in deleted.areas:
        _insert(conn, "session_areas", area)


def _insert(conn: sqlite3.Connection, table: str, row: Row) -> None:
    columns = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", dict(row))
