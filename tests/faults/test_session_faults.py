"""A session recorded while the history file is locked, or the disk is full or
read-only, at each of its steps: nothing is lost, and the person is told once.

Each case plays a six-move session through the real recorder, bridge (on its worker
thread) and store.  The fault starts at one step (its begin, a checkpoint, its
finish).  Either it clears during the session and the waiting writes are retried in
the same run, or it lasts past the end: quitting then waits a bounded time, leaves
the writes in ``pending-writes.jsonl``, and the next start applies them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from facegym_desktop.core.history_journal import JOURNAL_NAME
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.session_recorder import SAVED, SessionRecorder
from tests.faults.seams import FAULTS, DiskFaults, held_lock
from tests.faults.session_driver import STEP_NAMES, STEPS, assert_whole, open_store, play

pytestmark = pytest.mark.faults

COULD_NOT_SAVE = "Could not save to your history"
ALL_SAVED = "nothing was lost"
QUIT_BOUND_MS = 500  # the quit wait these cases allow (the app's is 5 s)


class Watch:
    """The recorder's signals as lists."""

    def __init__(self, recorder: SessionRecorder) -> None:
        self.notices: list[str] = []
        self.saved: list[str] = []
        recorder.notice.connect(self.notices.append)
        recorder.saved.connect(self.saved.append)

    def told(self, text: str) -> int:
        return sum(text in notice for notice in self.notices)


@pytest.fixture
def session(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[HistoryBridge, SessionRecorder, Watch]]:
    del qtbot  # a QApplication for the bridge's signals
    store = open_store(tmp_path)
    bridge = HistoryBridge(store, retry_first_ms=20)
    recorder = SessionRecorder(bridge)
    yield bridge, recorder, Watch(recorder)
    bridge.close(close_store=True)


def journal_lines(folder: Path) -> list[dict[str, object]]:
    text = (folder / JOURNAL_NAME).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


LOCK_SPANS = [(step, 1) for step in range(STEPS)] + [(2, 2), (1, STEPS - 1)]


@pytest.mark.parametrize(
    ("first", "span"), LOCK_SPANS, ids=[f"{STEP_NAMES[f]}+{n}" for f, n in LOCK_SPANS]
)
def test_a_lock_during_the_session_is_waited_out(
    qtbot: QtBot,
    tmp_path: Path,
    session: tuple[HistoryBridge, SessionRecorder, Watch],
    first: int,
    span: int,
) -> None:
    bridge, recorder, watch = session
    lock = ExitStack()

    def before(step: int) -> None:
        if step == first:
            # Every job done: the lock meets this step first, not the last-done read.
            qtbot.waitUntil(lambda: bridge.pending == 0, timeout=5000)
            lock.enter_context(held_lock(tmp_path / "history.sqlite3"))

    def after(step: int) -> None:
        if step == first:
            qtbot.waitUntil(lambda: watch.told(COULD_NOT_SAVE) == 1, timeout=5000)
        if step == first + span - 1:
            lock.close()

    play(recorder, before=before, after=after)
    qtbot.waitUntil(
        lambda: bridge.waiting_writes == 0 and watch.told(ALL_SAVED) == 1, timeout=10_000
    )
    qtbot.waitUntil(lambda: len(watch.saved) == 1, timeout=5000)
    assert watch.told(COULD_NOT_SAVE) == 1  # told once, however many retries
    assert watch.saved[0] == SAVED or watch.saved[0].startswith("Not saved yet")
    assert not any("nothing was lost" in n for n in watch.notices[:-1])
    qtbot.waitUntil(lambda: bridge.pending == 0, timeout=5000)
    assert_whole(bridge.store)
    assert not (tmp_path / JOURNAL_NAME).exists()  # applied, then emptied


@pytest.mark.parametrize("first", range(STEPS), ids=list(STEP_NAMES))
def test_a_lock_past_the_end_is_kept_for_the_next_start(
    qtbot: QtBot, tmp_path: Path, first: int
) -> None:
    store = open_store(tmp_path)
    bridge = HistoryBridge(store, retry_first_ms=20)
    recorder = SessionRecorder(bridge)
    watch = Watch(recorder)
    with ExitStack() as lock:

        def before(step: int) -> None:
            if step == first:
                qtbot.waitUntil(lambda: bridge.waiting_writes == 0, timeout=5000)
                lock.enter_context(held_lock(tmp_path / "history.sqlite3"))

        play(recorder, before=before)
        qtbot.waitUntil(lambda: len(watch.saved) == 1, timeout=5000)
        assert watch.saved[0].startswith("Not saved yet")
        began = time.monotonic()
        assert bridge.close(wait_ms=QUIT_BOUND_MS, close_store=True)
        assert time.monotonic() - began < QUIT_BOUND_MS / 1000 + 0.5
    kept = journal_lines(tmp_path)
    assert [line["kind"] for line in kept][-1] == "finish"
    assert len(kept) == STEPS - first

    store = open_store(tmp_path)  # the next start
    settled = store.settle()
    assert (settled.applied, settled.kept) == (STEPS - first, 0)
    assert_whole(store)
    assert not (tmp_path / JOURNAL_NAME).exists()
    store.close()


DISK_CASES = [
    (fault, step, lasting) for fault in FAULTS for step in range(STEPS) for lasting in (False, True)
]


@pytest.mark.parametrize(
    ("fault", "first", "lasting"),
    DISK_CASES,
    ids=[f"{f}-{STEP_NAMES[s]}-{'to-quit' if last else 'clears'}" for f, s, last in DISK_CASES],
)
def test_a_refusing_disk_at_any_step_loses_nothing(
    qtbot: QtBot, tmp_path: Path, fault: str, first: int, lasting: bool
) -> None:
    faults = DiskFaults()
    store = open_store(tmp_path, connection_factory=faults.connection_class())
    bridge = HistoryBridge(store, retry_first_ms=20)
    recorder = SessionRecorder(bridge)
    watch = Watch(recorder)

    def before(step: int) -> None:
        if step == first:
            qtbot.waitUntil(lambda: bridge.waiting_writes == 0, timeout=5000)
            faults.arm(fault)

    def after(step: int) -> None:
        if step == first:
            qtbot.waitUntil(lambda: watch.told(COULD_NOT_SAVE) == 1, timeout=5000)
            if not lasting:
                faults.clear()

    play(recorder, before=before, after=after)
    qtbot.waitUntil(lambda: len(watch.saved) == 1, timeout=5000)
    assert faults.failures >= 1 and watch.told(COULD_NOT_SAVE) == 1
    if not lasting:
        qtbot.waitUntil(lambda: watch.told(ALL_SAVED) == 1, timeout=10_000)
        assert bridge.close(close_store=True)
        store = open_store(tmp_path)
    else:
        assert bridge.close(wait_ms=QUIT_BOUND_MS, close_store=True)
        assert len(journal_lines(tmp_path)) == STEPS - first
        store = open_store(tmp_path)  # the next start, the disk fine again
        assert store.settle().kept == 0
    assert_whole(store)
    assert not (tmp_path / JOURNAL_NAME).exists()
    store.close()


def test_a_journal_that_cannot_be_written_keeps_the_writes_in_memory(
    qtbot: QtBot, tmp_path: Path
) -> None:
    faults = DiskFaults()
    (tmp_path / JOURNAL_NAME).mkdir()  # the journal cannot be written either
    store = open_store(tmp_path, connection_factory=faults.connection_class())
    bridge = HistoryBridge(store, retry_first_ms=20)
    recorder = SessionRecorder(bridge)
    watch = Watch(recorder)
    faults.arm("ENOSPC")

    def after(step: int) -> None:
        if step == 0:
            qtbot.waitUntil(lambda: watch.told(COULD_NOT_SAVE) == 1, timeout=5000)
        if step == 4:
            faults.clear()

    play(recorder, after=after)
    qtbot.waitUntil(lambda: watch.told(ALL_SAVED) == 1, timeout=10_000)
    assert any("kept in memory" in notice for notice in watch.notices)
    assert bridge.close(close_store=True)
    store = open_store(tmp_path)
    assert_whole(store)
    store.close()


def test_a_read_that_meets_a_lock_says_busy_once_and_catches_up(
    qtbot: QtBot, tmp_path: Path, session: tuple[HistoryBridge, SessionRecorder, Watch]
) -> None:
    bridge, recorder, watch = session
    qtbot.waitUntil(lambda: bridge.pending == 0, timeout=5000)
    dates: list[dict[str, object]] = []
    recorder.last_done_changed.connect(dates.append)
    with held_lock(tmp_path / "history.sqlite3"):
        recorder.load_last_done()
        recorder.load_last_done()
        qtbot.waitUntil(lambda: bridge.busy and bridge.pending == 0, timeout=5000)
        assert watch.told("History is busy: history.sqlite3 is locked") == 1
        assert len(watch.notices) == 1 and dates == []
    with qtbot.waitSignal(bridge.history_changed, timeout=5000):
        pass  # the retry timer finds the file free
    qtbot.waitUntil(lambda: len(dates) == 1, timeout=5000)  # read again
    assert not bridge.busy
    assert watch.notices[1:] == ["history.sqlite3 is free again; the history is up to date."]
