"""The journal of kept writes, idempotent session steps and session owners."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from facegym_desktop.core.history import HistoryError, HistoryStore, HistoryUnavailableError
from facegym_desktop.core.history_journal import (
    JOURNAL_NAME,
    NOT_STARTED,
    PendingWrites,
    SessionWrite,
    WriteJournal,
    owner_alive,
    process_owner,
)
from tests.faults.session_driver import START, open_store

pytestmark = pytest.mark.faults


def session_writes(started=START) -> list[SessionWrite]:  # type: ignore[no-untyped-def]
    writes = [SessionWrite.begin(started, "r", "Routine", "daily", 300, 2)]
    for position in (1, 2):
        writes.append(
            SessionWrite.move(
                started, "r", position=position, move_id=f"m{position}", areas=["chin"],
                seconds=30.4, reps=None, active_seconds=30 * position,
                moves_completed=position, at=started + timedelta(seconds=30 * position),
            )
        )
    writes.append(
        SessionWrite.finish(
            started, "r", status="completed", ended_at=started + timedelta(minutes=2),
            active_seconds=60, moves_completed=2,
        )
    )
    return writes


def test_every_kind_of_write_survives_json(tmp_path: Path) -> None:
    for write in session_writes():
        text = json.dumps(write.to_json())
        assert SessionWrite.from_json(json.loads(text)) == write
    with pytest.raises(ValueError):
        SessionWrite.from_json({"v": 99, "kind": "begin"})


def test_a_torn_line_is_skipped_and_the_next_write_starts_its_own(tmp_path: Path) -> None:
    journal = WriteJournal(tmp_path / JOURNAL_NAME)
    first, second, *_ = session_writes()
    journal.append([first])
    with journal.path.open("ab") as handle:
        handle.write(b'{"v": 1, "kind": "mo')  # a kill in the middle of an append
    journal.append([second])
    assert journal.read() == [first, second]
    with journal.locked():
        journal.replace([])
    assert not journal.path.exists() and journal.read() == []


def test_each_step_applied_twice_changes_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    writes = session_writes()
    ids = {store.apply_write(write) for write in writes + writes + writes[1:3]}
    assert len(ids) == 1
    (record,) = store.sessions()
    assert record.status == "completed" and record.moves_completed == 2
    assert [move.seconds for move in store.moves(record.id)] == [30, 30]
    assert store.area_seconds() == {"chin": 60.0}
    store.close()


def test_the_journal_is_replayed_at_the_next_start_in_order(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    writes = session_writes()
    store.apply_write(writes[0])
    store.journal.append(writes)  # the begin is both stored and kept: still one session
    settled = store.settle()
    assert (settled.applied, settled.kept, settled.interrupted) == (4, 0, 0)
    (record,) = store.sessions()
    assert record.status == "completed" and len(store.moves(record.id)) == 2
    assert not store.journal.path.exists()
    store.close()


def test_a_step_refused_for_good_is_dropped_and_the_rest_go_on(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    pending = PendingWrites(store.journal)
    naive = START.replace(tzinfo=None)
    lost = session_writes(naive)
    kept = session_writes(START + timedelta(hours=1))
    for write in lost + kept:
        pending.add(write)
    result = pending.flush(store.apply_write, lambda: store.replay_journal().notes)
    assert result.kept == 0 and result.saved == 4
    assert "UTC offset" in (pending.failure_of(lost[0]) or "")
    assert pending.failure_of(lost[-1]) == NOT_STARTED
    assert pending.failure_of(lost[1]) is None  # its moves go quietly with it
    (record,) = store.sessions()
    assert record.started_at == START + timedelta(hours=1) and record.status == "completed"
    store.close()


def test_a_refused_step_keeps_its_place_and_the_ones_after_it(tmp_path: Path) -> None:
    journal = WriteJournal(tmp_path / JOURNAL_NAME)
    pending = PendingWrites(journal)
    writes = session_writes()
    applied: list[SessionWrite] = []
    refusals = [2]  # the disk refuses the second step twice

    def refuse_second(write: SessionWrite) -> int:
        if write is writes[1] and refusals[0]:
            refusals[0] -= 1
            raise HistoryUnavailableError("disk full")
        applied.append(write)
        return 1

    for write in writes:
        pending.add(write)
    first = pending.flush(refuse_second)
    assert (first.saved, first.kept, first.problem) == (1, 3, "disk full")
    assert journal.read() == writes[1:] and pending.refused == "disk full"
    again = pending.flush(refuse_second)
    assert (again.saved, again.kept) == (0, 3)
    assert journal.read() == writes[1:]  # each kept once, not again per retry
    def empty_journal() -> list[str]:
        journal.replace([])
        return []  # no line was set aside

    last = pending.flush(refuse_second, empty_journal)
    assert (last.saved, last.kept, last.notes) == (3, 0, ()) and pending.refused == ""
    assert applied == writes and not journal.path.exists()


def test_only_live_owners_are_alive() -> None:
    assert owner_alive(process_owner())
    assert not owner_alive(None) and not owner_alive("") and not owner_alive("nonsense")
    assert not owner_alive("999999999:1")
    gone = subprocess.run(
        [sys.executable, "-S", "-c", "import os; print(os.getpid())"],
        capture_output=True, text=True, check=True,
    )
    assert not owner_alive(f"{gone.stdout.strip()}:")
    if Path("/proc/self/stat").exists():
        parent = os.getppid()
        assert owner_alive(f"{parent}:")
        assert not owner_alive(f"{parent}:1")  # the same id, another process's start


def test_history_error_is_a_write_that_can_never_apply(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with pytest.raises(HistoryError, match="start could not be written"):
        store.apply_write(session_writes()[1])
    assert isinstance(store, HistoryStore)
    store.close()


def test_journal_lines_set_aside_while_running_come_back_as_notes(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    pending = PendingWrites(store.journal)
    torn = b'{"v": 1, "kind": "begin", "sta'  # an earlier run killed mid-line
    store.journal.path.write_bytes(torn + b"\n")
    for write in session_writes():
        pending.add(write)
    result = pending.flush(store.apply_write, lambda: store.replay_journal().notes)
    assert (result.saved, result.kept) == (4, 0)
    (note,) = result.notes
    (aside,) = tmp_path.glob(f"{JOURNAL_NAME}.unreadable-*")
    assert note.startswith(f"History journal: {store.journal.path}: line 1: ")
    assert aside.name in note and aside.read_bytes() == torn + b"\n"
    assert not store.journal.path.exists()
    store.close()
