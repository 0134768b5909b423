"""The history file's schema: ordered migrations on ``PRAGMA user_version``, the
connection settings, and how values are written (times, dates).

Durability (docs/contracts.md): rollback journal (``journal_mode=DELETE``) and
``synchronous=FULL``, so a committed transaction survives a kill or a power cut.
Each migration runs in one transaction together with the new ``user_version``.

Times are stored as ISO 8601 text with the UTC offset the session was recorded with,
plus the UTC instant for ordering and the local date (see ``core/stats.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

# The stored state of a session still running (or left running by a crash); the
# finished states are :class:`facegym_desktop.core.stats.SessionStatus`.
IN_PROGRESS = "in_progress"

# The ranges a session's numbers keep, wherever one comes from (the app, a CSV
# import, the journal of kept steps): seconds of a session or a move, moves in a
# session, repetitions of a move.
MAX_SECONDS = 24 * 60 * 60
MAX_MOVES = 10_000
MAX_REPS = 10_000

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
    # 2: who runs a session in progress, so that only sessions whose process is gone
    # are settled as interrupted (see history_owner.py).  NULL for older rows.
    ["ALTER TABLE sessions ADD COLUMN owner TEXT"],
]

SCHEMA_VERSION = len(MIGRATIONS)


def connect(
    path: Path,
    busy_timeout: float,
    read_only: bool = False,
    factory: type[sqlite3.Connection] = sqlite3.Connection,
) -> sqlite3.Connection:
    """A connection with the durability settings; rows read by column name.

    ``busy_timeout`` is in seconds.  Autocommit mode (``isolation_level=None``):
    transactions are opened explicitly.  ``factory`` is the connection class (a
    subclass can inject faults in tests).  Raises :class:`sqlite3.Error`.
    """
    if read_only:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro",
            uri=True,
            timeout=busy_timeout,
            isolation_level=None,
            check_same_thread=False,
            factory=factory,
        )
    else:
        conn = sqlite3.connect(
            path,
            timeout=busy_timeout,
            isolation_level=None,
            check_same_thread=False,
            factory=factory,
        )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    if not read_only:
        conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    """The schema version written in the file (0: a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


Migrations = Sequence[Sequence[str]]


def pending_migrations(version: int, migrations: Migrations = MIGRATIONS) -> range:
    """The versions a file at ``version`` still has to be migrated to, in order."""
    return range(version + 1, len(migrations) + 1)


def migrate_to(conn: sqlite3.Connection, target: int, migrations: Migrations = MIGRATIONS) -> None:
    """Run ``migrations[target - 1]`` and set ``user_version``, in one transaction.

    Another process may have migrated the file since the caller looked: the version
    is read again inside the write transaction, and a step already done is skipped.
    Raises :class:`sqlite3.Error` (the transaction is rolled back).
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        if user_version(conn) >= target:
            conn.execute("ROLLBACK")
            return
        for statement in migrations[target - 1]:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {target}")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def format_time(moment: datetime) -> str:
    """ISO 8601 with the UTC offset, to the second: ``2026-03-29T07:45:00+02:00``."""
    return moment.replace(microsecond=0).isoformat()


def utc_text(moment: datetime) -> str:
    """The UTC instant of ``moment`` as stored for ordering and duplicate checks."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def offset_minutes(moment: datetime) -> int:
    """The UTC offset of an aware ``moment`` in whole minutes."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("the time must carry a UTC offset")
    return int(offset.total_seconds() // 60)


def require_aware(moment: datetime, name: str) -> None:
    """Raise ValueError unless ``moment`` carries a UTC offset."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must carry a UTC offset")
