"""SQLite failures are classified by result code, never by message text."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from facegym_desktop.core.history_errors import (
    SQLITE_BUSY,
    SQLITE_CANTOPEN,
    SQLITE_FULL,
    SQLITE_NOTADB,
    HistoryBusyError,
    HistoryError,
    HistoryUnavailableError,
    history_error,
    is_environment_error,
    is_lock_error,
    primary_code,
)


def caught(action: object) -> sqlite3.Error:
    assert callable(action)
    with pytest.raises(sqlite3.Error) as info:
        action()
    return info.value


def test_a_locked_file_is_a_lock_error(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")
        with closing(sqlite3.connect(path, timeout=0.05)) as other:
            error = caught(lambda: other.execute("SELECT * FROM t").fetchall())
        holder.execute("ROLLBACK")
    assert primary_code(error) == SQLITE_BUSY
    assert is_lock_error(error) and is_environment_error(error)
    assert isinstance(history_error(error, path, "cannot read"), HistoryBusyError)


def test_a_missing_folder_and_a_text_file_are_the_environments_fault(tmp_path: Path) -> None:
    missing = caught(lambda: sqlite3.connect(f"file:{tmp_path}/no/h.sqlite3?mode=ro", uri=True))
    assert primary_code(missing) == SQLITE_CANTOPEN and is_environment_error(missing)
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database, though long enough to have a header " * 20)
    with closing(sqlite3.connect(text)) as conn:
        garbage = caught(lambda: conn.execute("SELECT * FROM sqlite_master").fetchall())
    assert primary_code(garbage) == SQLITE_NOTADB
    assert is_environment_error(garbage) and not is_lock_error(garbage)
    made = history_error(garbage, text, "cannot open notes")
    assert type(made) is HistoryUnavailableError and str(made) == "cannot open notes"


def test_a_full_database_is_the_disks_fault_and_may_be_retried(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE t (x)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        full = caught(lambda: conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,)))
    assert primary_code(full) == SQLITE_FULL and is_environment_error(full)
    made = history_error(full, path, "cannot save")
    assert isinstance(made, HistoryUnavailableError) and not isinstance(made, HistoryBusyError)


def test_a_broken_constraint_is_a_program_error() -> None:
    with closing(sqlite3.connect(":memory:")) as conn:
        conn.execute("CREATE TABLE t (x INTEGER NOT NULL CHECK (x > 0))")
        error = caught(lambda: conn.execute("INSERT INTO t VALUES (-1)"))
    assert not is_environment_error(error) and not is_lock_error(error)
    assert type(history_error(error, Path("h"), "bug")) is HistoryError


def test_a_refused_write_is_told_in_plain_words_naming_the_file(tmp_path) -> None:
    from facegym_desktop.core.history_errors import SQLITE_FULL, SQLITE_READONLY, plain_reason

    path = tmp_path / "history.sqlite3"
    for code, words in ((SQLITE_READONLY, "read-only"), (SQLITE_FULL, "is full")):
        error = sqlite3.OperationalError("attempt to write a readonly database")
        error.sqlite_errorcode = code  # type: ignore[attr-defined]
        reason = plain_reason(error, path)
        assert str(path) in reason and words in reason
        assert "attempt to write" not in reason
