"""Reading the history: session records and the aggregates the app shows.

Rows are read by column name (the connection's ``row_factory`` is
:class:`sqlite3.Row`).  Per-day totals are computed by :func:`stats.day_totals`
alone, and whether a session is extended by :func:`stats.is_extended` alone.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from facegym_desktop.core import stats
from facegym_desktop.core.history_errors import HistoryError, history_error
from facegym_desktop.core.history_journal import owner_alive
from facegym_desktop.core.history_schema import IN_PROGRESS
from facegym_desktop.core.stats import DayTotals, SessionStatus, Summary


class SessionRecord(NamedTuple):
    """One session as stored (times are aware datetimes in the recorded offset).

    ``status`` is a :class:`SessionStatus` value, or ``"in_progress"`` while the
    session runs.  Seconds are whole seconds.  A named tuple rather than a
    dataclass: the history window loads every session, and tuples are cheaper.
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

    @property
    def extended(self) -> bool:
        """Whether the session counts toward the extended-session goal."""
        return stats.is_extended(self.routine_kind, self.planned_seconds)


class _DayRow(NamedTuple):
    """The columns :func:`stats.day_totals` needs, without parsing the times."""

    local_date: date
    status: str
    active_seconds: int
    routine_kind: str | None
    planned_seconds: int
    started_at: datetime  # tells stats a date the clock skipped

    @property
    def extended(self) -> bool:
        return stats.is_extended(self.routine_kind, self.planned_seconds)


# Selected by the records' own field names, so the columns come back in field order.
SESSION_COLUMNS = ", ".join(SessionRecord._fields)
_DAY_COLUMNS = ", ".join(_DayRow._fields)


@dataclass(frozen=True)
class MoveRecord:
    """One finished move of a session: the areas it worked and its whole seconds."""

    move_id: str
    areas: tuple[str, ...]
    seconds: int
    reps: int | None = None


@dataclass(frozen=True)
class Overview:
    """All the history window shows, aggregated off the UI thread."""

    summary: Summary
    heatmap: stats.HeatmapData
    weeks: tuple[stats.WeekBar, ...]
    sessions: tuple[SessionRecord, ...] = field(default_factory=tuple)


_from_iso = datetime.fromisoformat
_date_from_iso = date.fromisoformat


def session_from_row(row: tuple[Any, ...]) -> SessionRecord:
    """A :class:`SessionRecord` from a plain row of :data:`SESSION_COLUMNS`."""
    # Column types are fixed by the schema (NOT NULL and CHECK), so no conversions
    # beyond the times: this runs 15,000 times when the history window opens, which
    # is why the row is a plain tuple rather than a sqlite3.Row.  The columns
    # between ended_at and local_date pass through in SessionRecord's order.
    id_, started_at, ended_at, *unconverted, local_date = row
    return SessionRecord._make(
        (
            id_,
            _from_iso(started_at),
            None if ended_at is None else _from_iso(ended_at),
            *unconverted,
            _date_from_iso(local_date),
        )
    )


class HistoryReader:
    """The read side of :class:`facegym_desktop.core.history.HistoryStore`.

    Safe to call from one thread at a time; a lock guards the connection.
    ``connection`` is None when the file is to be opened at first use (see
    :meth:`_open_late`).
    """

    def __init__(
        self, connection: sqlite3.Connection | None, path: Path, now: Callable[[], datetime]
    ) -> None:
        self._connection = connection
        self.path = path
        self._now = now
        self._lock = threading.RLock()

    @property
    def _conn(self) -> sqlite3.Connection:
        """The connection; a file not opened yet is opened here (see :meth:`_open_late`)."""
        with self._lock:
            connection = self._connection
            if connection is None:
                connection = self._open_late()
            return connection

    def _open_late(self) -> sqlite3.Connection:
        """Open the file at its first use and keep the connection; raises HistoryError
        (HistoryBusyError while another program holds it)."""
        raise HistoryError(f"{self.path.name} is not open")

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        rows: list[sqlite3.Row] = self._fetch(sql, params, plain=False)
        return rows

    def _read_plain(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Like :meth:`_read` with plain tuples (for the many-row reads)."""
        rows: list[tuple[Any, ...]] = self._fetch(sql, params, plain=True)
        return rows

    def _fetch(self, sql: str, params: Sequence[object], *, plain: bool) -> list[Any]:
        """Every row ``sql`` gives, as sqlite3.Row or (``plain``) as tuples.

        Raises HistoryError when the database cannot be read.
        """
        with self._lock:
            cursor = self._conn.cursor()
            if plain:
                cursor.row_factory = None
            try:
                rows: list[Any] = cursor.execute(sql, params).fetchall()
            except sqlite3.OperationalError as error:
                raise history_error(
                    error, self.path, f"cannot read {self.path.name}: {error}"
                ) from error
            finally:
                cursor.close()
        return rows

    def session_count(self) -> int:
        """How many sessions are stored, in-progress ones included."""
        return int(self._read("SELECT COUNT(*) AS n FROM sessions")[0]["n"])

    def sessions(self, limit: int | None = None, newest_first: bool = True) -> list[SessionRecord]:
        """Sessions in start order (newest first by default), in-progress ones included.

        ``limit``: at most this many.  Raises HistoryError when the file cannot be read.
        """
        order = "DESC" if newest_first else "ASC"
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions ORDER BY started_utc {order}, id {order}"
        params: tuple[object, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        return [session_from_row(row) for row in self._read_plain(sql, params)]

    def get_session(self, session_id: int) -> SessionRecord | None:
        """The session with id ``session_id``, or None when there is none."""
        sql = f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?"
        rows = self._read_plain(sql, (session_id,))
        return session_from_row(rows[0]) if rows else None

    def moves(self, session_id: int) -> list[MoveRecord]:
        """The finished moves of a session, in the order they were done."""
        rows = self._read(
            "SELECT move_id, areas, seconds, reps FROM session_moves WHERE session_id = ? "
            "ORDER BY position",
            (session_id,),
        )
        return [
            MoveRecord(
                str(row["move_id"]),
                tuple(area for area in str(row["areas"]).split(",") if area),
                int(row["seconds"]),
                None if row["reps"] is None else int(row["reps"]),
            )
            for row in rows
        ]

    def last_done_by_routine(self) -> dict[str, datetime]:
        """When each routine was last started (aware, in its recorded offset), among
        sessions completed or partly done: at least one move finished.  A session
        stopped before its first move was done is no "last done"."""
        rows = self._read(
            "SELECT routine_id, started_at, MAX(started_utc) AS latest FROM sessions "
            "WHERE status IN (?, ?) AND moves_completed > 0 GROUP BY routine_id",
            (SessionStatus.COMPLETED, SessionStatus.PARTIAL),
        )
        return {str(row["routine_id"]): _from_iso(row["started_at"]) for row in rows}

    def day_totals(self) -> list[DayTotals]:
        """Per local date, oldest first: see :func:`stats.day_totals`.

        A session left in progress by a process that is gone counts as interrupted.
        """
        sql = f"SELECT {_DAY_COLUMNS} FROM sessions WHERE status <> ?"
        rows = [
            _DayRow(
                _date_from_iso(local_date), status, active_seconds, kind, planned,
                _from_iso(started),
            )
            for local_date, status, active_seconds, kind, planned, started in self._read_plain(
                sql, (IN_PROGRESS,)
            )
        ]
        rows.extend(
            _DayRow(
                s.local_date, s.status, s.active_seconds, s.routine_kind, s.planned_seconds,
                s.started_at,
            )
            for s in self.dangling_sessions()
        )
        return stats.day_totals(rows)

    def dangling_sessions(self) -> list[SessionRecord]:
        """Sessions left in progress by a process that is gone, as they will be once
        settled: interrupted, ending at their last save (oldest first)."""
        try:
            rows = self._read_plain(
                f"SELECT {SESSION_COLUMNS}, owner, COALESCE(last_saved_at, started_at) "
                "FROM sessions WHERE status = ? ORDER BY started_utc, id",
                (IN_PROGRESS,),
            )
        except HistoryError:
            # A file from before owners were recorded: no session has a live owner.
            rows = [
                (*row, None, None)
                for row in self._read_plain(
                    f"SELECT {SESSION_COLUMNS} FROM sessions WHERE status = ? "
                    "ORDER BY started_utc, id",
                    (IN_PROGRESS,),
                )
            ]
        found = []
        for row in rows:
            *columns, owner, last_saved = row
            if owner_alive(owner):
                continue
            record = session_from_row(tuple(columns))
            ended = record.started_at if last_saved is None else _from_iso(last_saved)
            found.append(
                record._replace(status=SessionStatus.INTERRUPTED, ended_at=record.ended_at or ended)
            )
        return found

    def area_seconds(self) -> dict[str, float]:
        """Seconds worked per area over every session (areas never worked left out)."""
        rows = self._read("SELECT area, seconds FROM area_totals WHERE seconds > 0")
        return {str(row["area"]): float(row["seconds"]) for row in rows}

    def stats(
        self, today: date | datetime | None = None, rest_days_per_week: int = 0
    ) -> Summary:
        """Streaks, goals and totals as of ``today``: a local date, or the aware current
        time (default: now, in the current UTC offset; see :func:`stats.summarize_days`).

        ``rest_days_per_week`` (0..6) forgives missed days; ValueError outside that.
        """
        day = today or self._now()
        return stats.summarize_days(self.day_totals(), day, rest_days_per_week, self.area_seconds())

    def overview(
        self,
        today: date | datetime | None = None,
        rest_days_per_week: int = 0,
        include_sessions: bool = True,
    ) -> Overview:
        """Everything the history window shows, computed in one go (see :meth:`stats`).

        With ``include_sessions`` the overview lists every session, newest first.
        """
        day = today or self._now()
        if include_sessions:
            sessions = tuple(self.sessions())
            days = stats.day_totals(sessions)
        else:
            sessions = ()
            days = self.day_totals()
        summary = stats.summarize_days(days, day, rest_days_per_week, self.area_seconds())
        today_date = summary.today
        return Overview(
            summary,
            stats.heatmap(days, today_date),
            stats.weekly_minutes(days, today_date),
            sessions,
        )

    def export_rows(self) -> list[SessionRecord]:
        """Finished sessions, oldest first, for the CSV export; a session left in
        progress by a process that is gone is exported as interrupted."""
        rows = [s for s in self.sessions(newest_first=False) if s.status != IN_PROGRESS]
        dangling = self.dangling_sessions()
        if not dangling:
            return rows
        return sorted([*rows, *dangling], key=lambda s: (s.started_at, s.id))

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check`` answer: ``"ok"`` or the problems found."""
        rows = self._read("PRAGMA integrity_check")
        return "; ".join(str(row["integrity_check"]) for row in rows)
