"""The schema: ordered migrations on user_version, connection settings, stored formats."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.core.history_schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    connect,
    format_time,
    migrate_to,
    offset_minutes,
    pending_migrations,
    require_aware,
    user_version,
    utc_text,
)


def test_a_new_file_is_migrated_step_by_step(tmp_path: Path) -> None:
    with closing(connect(tmp_path / "h.sqlite3", busy_timeout=1.0)) as conn:
        assert user_version(conn) == 0
        steps = pending_migrations(0)
        assert list(steps) == list(range(1, SCHEMA_VERSION + 1))
        for target in steps:
            migrate_to(conn, target)
        assert user_version(conn) == SCHEMA_VERSION == len(MIGRATIONS)
        assert not pending_migrations(SCHEMA_VERSION)
        tables = {row["name"] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"sessions", "session_moves", "session_areas", "area_totals"} <= tables


def test_a_step_another_process_already_took_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with closing(connect(path, busy_timeout=1.0)) as first, closing(
        connect(path, busy_timeout=1.0)
    ) as second:
        steps = pending_migrations(user_version(first))  # both look before either writes
        assert list(steps) == list(pending_migrations(user_version(second)))
        for target in steps:
            migrate_to(first, target)
        for target in steps:  # the late one finds the work done instead of failing
            migrate_to(second, target)
        assert user_version(second) == SCHEMA_VERSION


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    migrations = [*MIGRATIONS, ["ALTER TABLE sessions ADD COLUMN mood TEXT", "NOT SQL"]]
    last = len(MIGRATIONS)
    with closing(connect(tmp_path / "h.sqlite3", busy_timeout=1.0)) as conn:
        for target in range(1, last + 1):
            migrate_to(conn, target, migrations)
        with pytest.raises(sqlite3.OperationalError):
            migrate_to(conn, last + 1, migrations)
        assert user_version(conn) == last and not conn.in_transaction
        columns = [row["name"] for row in conn.execute("PRAGMA table_info(sessions)")]
    assert "mood" not in columns


def test_sessions_record_their_owner_from_version_2(tmp_path: Path) -> None:
    with closing(connect(tmp_path / "h.sqlite3", busy_timeout=1.0)) as conn:
        migrate_to(conn, 1)
        before = [row["name"] for row in conn.execute("PRAGMA table_info(sessions)")]
        migrate_to(conn, 2)
        after = [row["name"] for row in conn.execute("PRAGMA table_info(sessions)")]
    assert "owner" not in before and after == [*before, "owner"]


def test_connections_are_durable_and_read_by_name(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with closing(connect(path, busy_timeout=2.5)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()["journal_mode"] == "delete"
        assert conn.execute("PRAGMA synchronous").fetchone()["synchronous"] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()["foreign_keys"] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()["timeout"] == 2500
    reader = connect(path, busy_timeout=1.0, read_only=True)
    with closing(reader), pytest.raises(sqlite3.OperationalError):
        reader.execute("CREATE TABLE t (x)")


def test_times_keep_their_offset_and_order_by_utc() -> None:
    moment = datetime(2026, 3, 29, 7, 45, 12, 999, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(moment) == "2026-03-29T07:45:12+02:00"
    assert utc_text(moment) == "2026-03-29T05:45:12+00:00"
    assert offset_minutes(moment) == 120
    assert offset_minutes(moment.astimezone(timezone(timedelta(hours=-3, minutes=-30)))) == -210
    with pytest.raises(ValueError, match="started_at"):
        require_aware(datetime(2026, 3, 29), "started_at")
