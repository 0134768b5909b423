"""A history file another program holds when it is opened: with ``wait_if_locked`` the
store opens it once it is free, and until then reads and writes say it is busy, so
session steps wait in the journal exactly as for a lock met later."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.core.history import (
    HistoryBusyError,
    HistoryError,
    HistoryStore,
    SessionWrite,
)
from facegym_desktop.core.history_journal import JOURNAL_NAME, PendingWrites
from tests.faults.seams import held_lock

ZONE = timezone(timedelta(hours=1))
START = datetime(2026, 2, 3, 7, 15, tzinfo=ZONE)
BUSY_LINE = (
    "History is busy: history.sqlite3 is locked by another program (perhaps a second "
    "FaceGym). Sessions are kept and saved once it is free."
)


def open_store(folder: Path, **kwargs: object) -> HistoryStore:
    kwargs.setdefault("busy_timeout", 0.05)
    return HistoryStore.open(  # type: ignore[arg-type]
        folder / "history.sqlite3", folder / "backups", **kwargs
    )


def session_writes() -> list[SessionWrite]:
    """A three-move session's steps: its begin, a move each, its finish."""
    steps = [SessionWrite.begin(START, "glow", "Glow", "daily", 300, 3)]
    for position, area in enumerate(("cheeks", "jawline", "neck"), start=1):
        steps.append(
            SessionWrite.move(
                START, "glow", position=position, move_id=f"move-{position}", areas=[area],
                seconds=60, reps=None, active_seconds=60.0 * position,
                moves_completed=position, at=START + timedelta(minutes=position),
            )
        )
    steps.append(
        SessionWrite.finish(
            START, "glow", status="completed", ended_at=START + timedelta(minutes=4),
            active_seconds=180, moves_completed=3,
        )
    )
    return steps


@pytest.fixture
def existing(tmp_path: Path) -> Path:
    """A folder whose history file exists (a lock needs a file to hold)."""
    open_store(tmp_path).close()
    return tmp_path


def test_a_lock_at_opening_is_refused_unless_asked_to_wait(existing: Path) -> None:
    with held_lock(existing / "history.sqlite3"), pytest.raises(HistoryBusyError):
        open_store(existing)


def test_a_store_locked_at_opening_says_busy_then_opens_once_free(existing: Path) -> None:
    with held_lock(existing / "history.sqlite3"):
        store = open_store(existing, wait_if_locked=True)
        assert not store.opened
        assert store.notices == (BUSY_LINE,)
        assert store.read_only_notice is None
        with pytest.raises(HistoryBusyError):
            store.sessions()
        with pytest.raises(HistoryBusyError):
            store.apply_write(session_writes()[0])
        settled = store.settle()  # what a start does never raises for a busy file
        assert (settled.applied, settled.kept) == (0, 0) and "locked" in settled.problem
        assert not store.opened
    assert store.sessions() == []  # the first use after the lock went opens the file
    assert store.opened and store.notices == ()
    assert store.storage_settings()["journal_mode"] == "delete"
    store.close()


def test_a_session_played_while_locked_at_opening_lands_whole(existing: Path) -> None:
    lock = held_lock(existing / "history.sqlite3")
    lock.__enter__()
    store = open_store(existing, wait_if_locked=True)
    waiting = PendingWrites(store.journal)
    results = []
    for write in session_writes():
        waiting.add(write)
        results.append(waiting.flush(store.apply_write, lambda: store.replay_journal().notes))
    assert [result.kept for result in results] == [1, 2, 3, 4, 5]
    assert all(result.locked for result in results)
    assert len(store.journal.read()) == 5  # every step is in the journal, in order
    lock.__exit__(None, None, None)

    done = waiting.flush(store.apply_write, lambda: store.replay_journal().notes)
    assert (done.saved, done.kept, done.locked) == (5, 0, False)
    (record,) = store.sessions()
    assert (record.status, record.moves_completed, record.active_seconds) == ("completed", 3, 180)
    assert [move.move_id for move in store.moves(record.id)] == ["move-1", "move-2", "move-3"]
    assert store.area_seconds()["jawline"] == 60
    assert not (existing / JOURNAL_NAME).exists()
    store.close()


def test_steps_kept_while_locked_at_opening_are_applied_at_the_next_start(
    existing: Path,
) -> None:
    with held_lock(existing / "history.sqlite3"):
        store = open_store(existing, wait_if_locked=True)
        waiting = PendingWrites(store.journal)
        for write in session_writes():
            waiting.add(write)
        assert waiting.flush(store.apply_write).kept == 5
        store.close()  # quitting while the lock is still held
    store = open_store(existing)  # the next start
    settled = store.settle()
    assert (settled.applied, settled.kept, settled.problem) == (5, 0, "")
    (record,) = store.sessions()
    assert record.status == "completed" and len(store.moves(record.id)) == 3
    assert store.integrity_check() == "ok"
    store.close()


def test_a_closed_store_that_never_opened_stays_closed(existing: Path) -> None:
    with held_lock(existing / "history.sqlite3"):
        store = open_store(existing, wait_if_locked=True)
    store.close()
    assert store.notices == ()
    with pytest.raises(HistoryError, match="was closed"):
        store.sessions()


def test_opening_waits_open_wait_then_later_calls_wait_the_busy_timeout(
    existing: Path,
) -> None:
    # The window opens its history with a short wait so it never freezes on a lock;
    # the store's own calls (on the history thread) keep the longer busy timeout.
    store = open_store(existing, busy_timeout=3.0, open_wait=0.01)
    assert store.storage_settings()["busy_timeout"] == 3000
    store.close()

    finished = threading.Event()
    opened: list[HistoryStore] = []

    def open_while_locked() -> None:
        opened.append(open_store(existing, busy_timeout=60.0, open_wait=0.01, wait_if_locked=True))
        finished.set()

    with held_lock(existing / "history.sqlite3"):
        opener = threading.Thread(target=open_while_locked, daemon=True)
        opener.start()
        # A hang guard, far below the 60 s busy timeout: open_wait is what is waited.
        assert finished.wait(timeout=20), "opening waited out the busy timeout"
        [store] = opened
        assert not store.opened
    store.close()
