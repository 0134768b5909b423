"""The file on disk: checks, recovery from the newest good backup, atomic copies."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.core.history import HistoryError, HistoryStore
from facegym_desktop.core.history_files import (
    check_file,
    copy_database,
    find_problem,
    is_sqlite_file,
    list_backups,
    prune,
    recover,
    usable_backup,
)

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=timezone(timedelta(hours=2)))


def make_history(path: Path) -> Path:
    HistoryStore.open(path, daily_backup=False).close()
    return path


def test_what_counts_as_an_sqlite_file(tmp_path: Path) -> None:
    assert is_sqlite_file(tmp_path / "missing.sqlite3")
    (tmp_path / "empty.sqlite3").touch()
    assert is_sqlite_file(tmp_path / "empty.sqlite3")
    (tmp_path / "text.sqlite3").write_text("hello")
    assert not is_sqlite_file(tmp_path / "text.sqlite3")
    assert check_file(tmp_path / "text.sqlite3") == "not an SQLite database"
    assert check_file(make_history(tmp_path / "good.sqlite3")) == "ok"


def test_a_locked_file_is_reported_as_locked_not_damaged(tmp_path: Path) -> None:
    path = make_history(tmp_path / "h.sqlite3")
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        problem = find_problem(path, busy_timeout=0.05, read_only=False)
        holder.execute("ROLLBACK")
    assert problem is not None and problem.locked
    assert find_problem(path) is None


def test_backups_are_listed_newest_first_and_pruned(tmp_path: Path) -> None:
    assert list_backups(None) == [] and list_backups(tmp_path / "none") == []
    for day in range(1, 6):
        made = tmp_path / f"history-daily-2026-05-0{day}.sqlite3"
        made.write_bytes(b"")
        os.utime(made, (day * 1000, day * 1000))
    (tmp_path / "other.txt").write_text("kept")
    assert [p.name for p in list_backups(tmp_path)][:2] == [
        "history-daily-2026-05-05.sqlite3",
        "history-daily-2026-05-04.sqlite3",
    ]
    prune(tmp_path, "history-daily-", 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "history-daily-2026-05-04.sqlite3",
        "history-daily-2026-05-05.sqlite3",
        "other.txt",
    ]


def test_a_damaged_file_is_kept_aside_and_the_newest_good_backup_restored(
    tmp_path: Path,
) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    good = make_history(backups / "history-daily-2026-05-03.sqlite3")
    assert usable_backup(good)
    broken = backups / "history-daily-2026-05-04.sqlite3"
    broken.write_text("garbage")  # newer, but not usable
    os.utime(good, (1000, 1000))
    assert not usable_backup(broken)
    live = tmp_path / "history.sqlite3"
    live.write_text("damaged bytes")
    message = recover(live, backups, "not an SQLite database", NOW)
    assert "damaged" in message and good.name in message
    assert check_file(live) == "ok"
    kept = tmp_path / "history.sqlite3.damaged-20260504-090000"
    assert kept.read_text() == "damaged bytes"
    live.write_text("damaged again")
    message = recover(live, None, "bad", NOW)
    assert "no usable backup" in message and not live.exists()
    assert (tmp_path / "history.sqlite3.damaged-20260504-090000-2").exists()


def test_a_copy_is_complete_and_never_overwrites_its_source(tmp_path: Path) -> None:
    source = make_history(tmp_path / "history.sqlite3")
    with closing(sqlite3.connect(source)) as conn:
        copied = copy_database(conn, source, tmp_path / "out" / "copy.sqlite3")
        assert check_file(copied) == "ok" and usable_backup(copied)
        assert not (tmp_path / "out" / "copy.sqlite3.partial").exists()
        with pytest.raises(HistoryError, match="overwrite"):
            copy_database(conn, source, source)


def test_a_backup_refuses_a_device_file(tmp_path: Path) -> None:
    import stat as stat_module

    from facegym_desktop.core.history_files import copy_database

    source = sqlite3.connect(tmp_path / "h.sqlite3")
    try:
        with pytest.raises(HistoryError, match="not a regular file"):
            copy_database(source, tmp_path / "h.sqlite3", Path("/dev/null"))
    finally:
        source.close()
    assert stat_module.S_ISCHR(Path("/dev/null").stat().st_mode)
