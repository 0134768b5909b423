"""The SQLite store: sessions, checkpoints, undo, backups, migrations and damaged files."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.core import history, history_files
from facegym_desktop.core.history import (
    HistoryBusyError,
    HistoryReadOnlyError,
    HistoryStore,
    MoveRecord,
    NewSession,
)

PARIS = timezone(timedelta(hours=1))
START = datetime(2026, 11, 16, 7, 45, tzinfo=PARIS)
GONE = "999999999:1"  # a process id above any system's limit: never alive


class FakeClock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 20, 9, 0, tzinfo=PARIS))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def open_store(folder: Path, clock: FakeClock, **kwargs: object) -> HistoryStore:
    return HistoryStore.open(folder / "history.sqlite3", folder / "backups", now=clock, **kwargs)


def finished(day: int, status: str = "completed", minutes: int = 5, **kw: object) -> NewSession:
    started = START + timedelta(days=day)
    values: dict[str, object] = dict(
        started_at=started,
        ended_at=started + timedelta(minutes=minutes),
        routine_id="morning-glow",
        routine_name="Morning glow",
        planned_seconds=300,
        active_seconds=minutes * 60,
        status=status,
        moves_completed=5,
        moves_total=5,
        routine_kind="daily",
        moves=(MoveRecord("jawline-glide", ("jawline", "chin"), 60),),
    )
    values.update(kw)
    return NewSession(**values)  # type: ignore[arg-type]


def test_new_file_uses_rollback_journal_and_full_sync(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    assert store.storage_settings() == {
        "journal_mode": "delete",
        "synchronous": 2,  # FULL
        "user_version": history.SCHEMA_VERSION,
        "busy_timeout": round(history.DEFAULT_BUSY_TIMEOUT * 1000),
    }
    assert store.recovered_notice is None and not store.read_only
    store.close()


def test_a_session_is_saved_move_by_move(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    session_id = store.begin_session("morning-glow", "Morning glow", "daily", 300, 3, START)
    store.checkpoint(
        session_id,
        move_id="chin-flicks",
        areas=["chin"],
        seconds=40,
        reps=None,
        active_seconds=40,
        moves_completed=1,
    )
    store.checkpoint(
        session_id,
        move_id="jawline-glide",
        areas=["jawline", "chin"],
        seconds=60.4,
        reps=6,
        active_seconds=100.4,
        moves_completed=2,
    )
    record = store.get_session(session_id)
    assert record is not None
    assert (record.status, record.active_seconds, record.moves_completed) == ("in_progress", 100, 2)
    assert record.started_at == START and record.started_at.utcoffset() == timedelta(hours=1)
    assert [m.move_id for m in store.moves(session_id)] == ["chin-flicks", "jawline-glide"]
    assert store.moves(session_id)[1] == MoveRecord("jawline-glide", ("jawline", "chin"), 60, 6)
    assert store.area_seconds() == {"chin": 100.0, "jawline": 60.0}
    store.finish_session(session_id, "completed", START + timedelta(minutes=5), 290, 3)
    record = store.get_session(session_id)
    assert record is not None and record.status == "completed"
    assert record.ended_at == START + timedelta(minutes=5)
    summary = store.stats(START.date())
    assert summary.completed_sessions == 1 and summary.current_streak == 1
    assert summary.per_area_minutes["chin"] == round(100 / 60, 1)
    store.close()


def test_in_progress_sessions_are_not_counted_until_marked(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    session_id = store.begin_session("r", "R", "daily", 300, 3, START)
    store.checkpoint(
        session_id, move_id="m", areas=["cheeks"], seconds=30, active_seconds=30, moves_completed=1
    )
    assert store.stats(START.date()).sessions == 0
    assert store.export_rows() == []
    # This process still runs it: a second opening of the folder leaves it alone.
    other = open_store(folder, clock)
    assert other.mark_dangling_interrupted() == 0
    other.close()
    store.close()


def test_sessions_whose_process_is_gone_count_as_interrupted(
    folder: Path, clock: FakeClock
) -> None:
    store = open_store(folder, clock)
    session_id = store.begin_session("r", "R", "daily", 300, 3, START, owner=GONE)
    store.checkpoint(
        session_id, move_id="m", areas=["cheeks"], seconds=30, active_seconds=30, moves_completed=1
    )
    # Counted before it is settled, so stats and export never leave it out.
    assert store.stats(START.date()).sessions == 1
    (exported,) = store.export_rows()
    assert exported.status == "interrupted" and exported.id == session_id
    store.close()
    clock.moment = START + timedelta(hours=3)
    store = open_store(folder, clock)
    assert store.mark_dangling_interrupted() == 1
    assert store.mark_dangling_interrupted() == 0
    record = store.get_session(session_id)
    assert record is not None and record.status == "interrupted"
    assert record.ended_at is not None and record.ended_at >= START
    assert store.stats(START.date()).sessions == 1
    assert store.export_rows() == [record]
    store.close()


def test_finish_checks_its_arguments(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    session_id = store.begin_session("r", "R", "daily", 300, 3, START)
    with pytest.raises(ValueError):
        store.finish_session(session_id, "done", START, 1, 1)
    with pytest.raises(ValueError):
        store.finish_session(session_id, "completed", datetime(2026, 1, 1), 1, 1)
    with pytest.raises(ValueError):
        store.begin_session("r", "R", "daily", 300, 3, datetime(2026, 1, 1))
    with pytest.raises(history.HistoryError):
        store.finish_session(9999, "completed", START, 1, 1)
    store.close()


def test_delete_and_undo_restore_everything(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    first = store.record_session(finished(0))
    store.record_session(finished(1))
    before = store.stats(date(2026, 11, 17))
    snapshot = store.delete_session(first)
    assert store.get_session(first) is None
    assert store.stats(date(2026, 11, 17)).sessions == 1
    assert store.area_seconds()["jawline"] == 60
    assert store.restore_session(snapshot) == first
    assert store.stats(date(2026, 11, 17)) == before
    assert store.moves(first) == [MoveRecord("jawline-glide", ("jawline", "chin"), 60)]
    store.close()


def test_last_done_by_routine(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    store.record_session(finished(0))
    store.record_session(finished(2, status="partial"))
    store.record_session(finished(3, status="interrupted"))
    store.record_session(finished(1, routine_id="evening", routine_name="Evening"))
    # Stopped before its first move was done: not "last done" on the start screen.
    store.record_session(finished(4, status="partial", moves_completed=0))
    done = store.last_done_by_routine()
    assert done == {"morning-glow": START + timedelta(days=2), "evening": START + timedelta(days=1)}
    store.close()


def test_daily_backup_once_a_day_keeping_a_few(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    assert list((folder / "backups").glob("*.sqlite3")) == []  # nothing to back up yet
    store.record_session(finished(0))
    store.close()
    for day in range(10):
        clock.moment = datetime(2026, 12, 1 + day, 8, 0, tzinfo=PARIS)
        open_store(folder, clock).close()
        open_store(folder, clock).close()  # a second start the same day adds nothing
    daily = sorted(p.name for p in (folder / "backups").glob("history-daily-*.sqlite3"))
    assert len(daily) == history.DAILY_BACKUPS_KEPT
    assert daily[-1] == "history-daily-2026-12-10.sqlite3"
    assert history.check_file(folder / "backups" / daily[-1]) == "ok"


def test_backup_to_a_path_is_a_working_copy(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    store.record_session(finished(0))
    copy = store.backup_to(folder / "copy.sqlite3")
    with pytest.raises(history.HistoryError):
        store.backup_to(folder / "history.sqlite3")
    store.close()
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _write_garbage(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _truncate(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size // 3)


def _scribble_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for position in range(4096, len(data), 1024):
        data[position : position + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_write_garbage, _truncate, _scribble_pages])
def test_damaged_file_is_kept_and_newest_backup_restored(
    folder: Path, clock: FakeClock, damage: object
) -> None:
    store = open_store(folder, clock)
    store.record_sessions(finished(day) for day in range(400))
    store.close()
    clock.moment += timedelta(days=1)
    open_store(folder, clock).close()  # today's backup holds all 400 sessions
    store = open_store(folder, clock)
    store.record_session(finished(500))  # after the backup: this one is lost
    store.close()
    database = folder / "history.sqlite3"
    damaged_bytes_before = None
    damage(database)  # type: ignore[operator]
    damaged_bytes_before = database.read_bytes()

    store = open_store(folder, clock)
    notice = store.recovered_notice
    assert notice is not None
    assert "damaged" in notice and "restored from the backup of" in notice
    assert store.session_count() == 400
    assert store.integrity_check() == "ok"
    kept = list(folder.glob("history.sqlite3.damaged-*"))
    assert len(kept) == 1 and kept[0].name in notice
    assert kept[0].read_bytes() == damaged_bytes_before  # nothing deleted or changed
    store.close()


def _damage_page(path: Path, index_name: str) -> None:
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (index_name,)
        ).fetchone()
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def test_sessions_readable_in_a_damaged_file_are_copied_over(
    folder: Path, clock: FakeClock
) -> None:
    store = open_store(folder, clock)
    store.record_sessions(finished(day) for day in range(3))
    store.close()
    clock.moment += timedelta(days=1)
    open_store(folder, clock).close()  # today's backup holds 3 sessions
    store = open_store(folder, clock)
    for day in range(10, 15):  # 5 more after the backup
        store.record_session(finished(day, minutes=day))
    in_progress = store.begin_session("r", "R", "daily", 300, 3, START + timedelta(days=20))
    store.checkpoint(
        in_progress, move_id="m", areas=["cheeks"], seconds=30, active_seconds=30,
        moves_completed=1,
    )
    store.close()
    database = folder / "history.sqlite3"
    _damage_page(database, "sessions_by_local_date")
    assert history.check_file(database) != "ok"

    store = open_store(folder, clock)
    assert store.recovered_notice is not None
    assert any("6 sessions still readable" in note for note in store.notices)
    assert store.session_count() == 3 + 5 + 1
    assert store.integrity_check() == "ok"
    salvaged = {record.started_at: record for record in store.sessions()}
    for day in range(10, 15):
        record = salvaged[START + timedelta(days=day)]
        assert record.status == "completed" and record.active_seconds == day * 60
        assert store.moves(record.id) == [MoveRecord("jawline-glide", ("jawline", "chin"), 60)]
    left = salvaged[START + timedelta(days=20)]
    assert left.status == "interrupted" and len(store.moves(left.id)) == 1
    assert store.area_seconds() == {"jawline": 60.0 * 8, "chin": 60.0 * 8, "cheeks": 30.0}
    store.close()
    store = open_store(folder, clock)  # opening again copies nothing twice
    assert store.session_count() == 9 and store.recovered_notice is None
    store.close()


def test_rows_past_a_damaged_table_page_are_still_read(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    store.record_sessions(finished(day, routine_name="x" * 300) for day in range(200))
    store.close()
    database = folder / "history.sqlite3"
    with sqlite3.connect(database) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sessions'"
        ).fetchone()
        leaves = [
            page for (page,) in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'sessions' AND pagetype = 'leaf'"
            )
        ] if _has_dbstat(conn) else []
    conn.close()
    if not leaves:
        pytest.skip("this SQLite has no dbstat table")
    victim = leaves[len(leaves) // 2]
    with database.open("r+b") as handle:
        handle.seek((victim - 1) * page_size)
        handle.write(b"\xa5" * page_size)
    with history_files.open_damaged(database) as conn:
        rows = list(history_files.readable_rows(conn, "sessions", ["routine_id"]))
    conn.close()
    ids = [row[0] for row in rows]
    assert 150 <= len(ids) < 200 and max(ids) == 200  # only the damaged page is missing
    assert root > 0


def _has_dbstat(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1 FROM dbstat LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        return False
    return True


def test_damaged_file_without_backup_starts_fresh_and_says_so(
    folder: Path, clock: FakeClock
) -> None:
    database = folder / "history.sqlite3"
    database.write_bytes(b"this is not a database at all" * 100)
    store = open_store(folder, clock)
    assert store.recovered_notice is not None
    assert "no usable backup" in store.recovered_notice
    assert store.session_count() == 0
    assert len(list(folder.glob("history.sqlite3.damaged-*"))) == 1
    store.close()


def test_damaged_backups_are_skipped(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    store.record_session(finished(0))
    store.close()
    clock.moment += timedelta(days=1)
    open_store(folder, clock).close()
    good = next((folder / "backups").glob("history-daily-*.sqlite3"))
    bad = folder / "backups" / "history-daily-2099-01-01.sqlite3"
    bad.write_bytes(b"garbage" * 500)
    os.utime(bad, (good.stat().st_mtime + 100, good.stat().st_mtime + 100))
    _write_garbage(folder / "history.sqlite3")
    store = open_store(folder, clock)
    assert store.session_count() == 1
    assert store.recovered_notice is not None and good.name in store.recovered_notice
    store.close()


def test_newer_schema_is_opened_read_only(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    store.record_session(finished(0))
    store.close()
    with sqlite3.connect(folder / "history.sqlite3") as conn:
        conn.execute(f"PRAGMA user_version = {history.SCHEMA_VERSION + 1}")
    conn.close()
    store = open_store(folder, clock)
    assert store.read_only
    assert store.read_only_notice is not None and "newer version" in store.read_only_notice
    assert store.stats(START.date()).sessions == 1  # still readable
    with pytest.raises(HistoryReadOnlyError):
        store.begin_session("r", "R", "daily", 300, 3, START)
    assert store.mark_dangling_interrupted() == 0
    store.close()
    with sqlite3.connect(folder / "history.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION + 1
    conn.close()


def test_locked_database_is_retried_then_explained(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock, busy_timeout=0.2)
    other = sqlite3.connect(folder / "history.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(HistoryBusyError, match="locked by another program"):
        store.begin_session("r", "R", "daily", 300, 3, START)
    other.execute("ROLLBACK")
    assert store.begin_session("r", "R", "daily", 300, 3, START) > 0
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(HistoryBusyError):
        open_store(folder, clock, busy_timeout=0.2)
    other.execute("ROLLBACK")
    other.close()
    store.close()


def test_migrations_run_in_a_transaction_after_a_backup(folder: Path, clock: FakeClock) -> None:
    store = open_store(folder, clock)
    store.record_session(finished(0))
    store.close()
    broken = list(history.MIGRATIONS) + [
        ["ALTER TABLE sessions ADD COLUMN mood TEXT", "THIS IS NOT SQL"]
    ]
    with pytest.raises(history.HistoryError, match="cannot prepare"):
        open_store(folder, clock, migrations=broken)
    with sqlite3.connect(folder / "history.sqlite3") as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION
        columns = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
        assert "mood" not in columns  # the half-done migration was rolled back
    conn.close()
    next_version = history.SCHEMA_VERSION + 1
    before = list((folder / "backups").glob(f"history-before-v{next_version}-*.sqlite3"))
    assert len(before) == 1

    working = list(history.MIGRATIONS) + [["ALTER TABLE sessions ADD COLUMN mood TEXT"]]
    store = open_store(folder, clock, migrations=working)
    assert store.schema_version == next_version
    assert store.session_count() == 1
    store.close()


def test_a_folder_where_the_file_belongs_is_set_aside(tmp_path: Path, clock: FakeClock) -> None:
    (tmp_path / "history.sqlite3").mkdir()
    (tmp_path / "history.sqlite3" / "note.txt").write_text("kept", encoding="utf-8")
    store = open_store(tmp_path, clock)
    (aside,) = tmp_path.glob("history.sqlite3.damaged-*")
    assert (aside / "note.txt").read_text(encoding="utf-8") == "kept"
    assert store.recovered_notice == (
        f"{tmp_path / 'history.sqlite3'} is a folder, not a history file and no usable "
        f"backup was found: it was set aside as {aside.name} and a new, empty history "
        "started."
    )
    assert store.session_count() == 0 and not store.read_only
    store.close()


def test_a_file_the_disk_will_not_let_migrate_is_still_read(
    folder: Path, clock: FakeClock
) -> None:
    from tests.faults.seams import DiskFaults

    store = open_store(folder, clock, migrations=history.MIGRATIONS[:1])
    store.record_session(finished(0))
    store.close()
    faults = DiskFaults()
    faults.arm("ENOSPC")
    store = open_store(folder, clock, connection_factory=faults.connection_class())
    assert store.read_only and store.read_only_notice is not None
    assert "cannot be updated" in store.read_only_notice
    assert store.stats(START.date()).completed_sessions == 1
    assert [s.status for s in store.export_rows()] == ["completed"]
    with pytest.raises(HistoryReadOnlyError):
        store.begin_session("r", "R", "daily", 300, 3, START)
    store.close()
    store = open_store(folder, clock)  # the disk has room again: migrated now
    assert not store.read_only and store.schema_version == history.SCHEMA_VERSION
    store.close()


def test_a_backup_that_cannot_be_written_does_not_stop_reading(
    folder: Path, clock: FakeClock
) -> None:
    store = open_store(folder, clock)
    store.record_session(finished(0))
    store.close()
    clock.moment += timedelta(days=1)
    blocked = folder / "backups"
    if blocked.is_dir():
        for old in blocked.iterdir():
            old.unlink()
        blocked.rmdir()
    blocked.write_text("a file where the backups folder should be")
    store = open_store(folder, clock)
    assert any("backup could not be written" in note for note in store.notices)
    assert store.stats(START.date()).completed_sessions == 1
    store.close()
