"""The history bridge: store jobs on one worker, results back on the UI thread."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from facegym_desktop.core.history import HistoryError, HistoryStore
from facegym_desktop.core.stats import Summary
from facegym_desktop.ui.history_bridge import HistoryBridge, InlineRunner

ZONE = timezone(timedelta(hours=2))
START = datetime(2026, 5, 4, 7, 30, tzinfo=ZONE)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore.open(tmp_path / "history.sqlite3", tmp_path / "backups")
    yield opened
    opened.close()


@pytest.fixture
def bridge(store: HistoryStore, qtbot: QtBot) -> Iterator[HistoryBridge]:
    """The bridge with its real worker thread."""
    made = HistoryBridge(store)
    yield made
    assert made.close()


def test_a_whole_session_through_the_bridge(
    bridge: HistoryBridge, store: HistoryStore, qtbot: QtBot
) -> None:
    begun: list[int] = []
    with qtbot.waitSignal(bridge.idle, timeout=5000):
        bridge.run(
            lambda s: s.begin_session("morning-glow", "Morning glow", "daily", 300, 2, START)
        ).success(begun.append)
    (session_id,) = begun
    for done, (move, seconds) in enumerate((("chin-flicks", 40), ("jawline-glide", 60)), 1):
        bridge.run(
            lambda s, m=move, secs=seconds, n=done: s.checkpoint(
                session_id, move_id=m, areas=["jawline"], seconds=secs, active_seconds=secs,
                moves_completed=n,
            )
        )
    finished: list[None] = []
    with qtbot.waitSignal(bridge.history_changed, timeout=5000):
        bridge.run(
            lambda s: s.finish_session(
                session_id, "completed", START + timedelta(minutes=2), 100, 2
            ),
            changes_history=True,
        ).success(finished.append)
    assert finished == [None]
    record = store.get_session(session_id)
    assert record is not None and record.status == "completed"
    assert [move.move_id for move in store.moves(session_id)] == ["chin-flicks", "jawline-glide"]
    summaries: list[Summary] = []
    with qtbot.waitSignal(bridge.idle, timeout=5000):
        bridge.run(lambda s: s.stats(START.date())).success(summaries.append)
    (summary,) = summaries
    assert summary.current_streak == 1 and summary.per_area_minutes["jawline"] == pytest.approx(1.7)


def test_jobs_run_off_the_ui_thread_and_callbacks_on_it(
    bridge: HistoryBridge, qtbot: QtBot
) -> None:
    job_threads: list[threading.Thread] = []
    callback_threads: list[threading.Thread] = []

    def job(store: HistoryStore) -> Summary:
        job_threads.append(threading.current_thread())
        return store.stats(date(2026, 5, 4))

    with qtbot.waitSignal(bridge.idle, timeout=5000):
        bridge.run(job).success(lambda _: callback_threads.append(threading.current_thread()))
    assert job_threads and job_threads[0] is not threading.main_thread()
    assert callback_threads == [threading.main_thread()]


def test_jobs_keep_their_order_and_callbacks_follow_it(
    bridge: HistoryBridge, qtbot: QtBot
) -> None:
    ran: list[int] = []
    answered: list[int] = []
    with qtbot.waitSignal(bridge.idle, timeout=5000):
        for number in range(30):
            bridge.run(lambda _s, n=number: ran.append(n) or n).success(answered.append)
    assert ran == list(range(30))
    assert answered == list(range(30))
    assert bridge.pending == 0


def test_failures_go_to_the_failure_callback_in_one_line(
    bridge: HistoryBridge, qtbot: QtBot
) -> None:
    failures: list[str] = []
    successes: list[None] = []
    with qtbot.waitSignal(bridge.idle, timeout=5000), qtbot.assertNotEmitted(bridge.error):
        bridge.run(lambda s: s.finish_session(4242, "completed", START, 10, 1)).success(
            successes.append
        ).failure(failures.append)
    assert successes == []
    assert "4242" in failures[0] and "\n" not in failures[0]


def test_without_a_failure_callback_the_message_goes_to_error(
    bridge: HistoryBridge, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(bridge.error, timeout=5000) as failed:
        bridge.run(lambda s: s.finish_session(1, "bogus", START, 10, 1), name="finish")
    assert "status" in failed.args[0]

    def broken(_store: HistoryStore) -> None:
        raise KeyError("line one\nline two")

    with qtbot.waitSignal(bridge.error, timeout=5000) as failed:
        bridge.run(broken, name="save")
    assert failed.args[0].startswith("history save failed: KeyError")
    assert "\n" not in failed.args[0]


def test_idle_once_the_queue_is_empty(bridge: HistoryBridge, qtbot: QtBot) -> None:
    gate = threading.Event()
    idles: list[int] = []
    bridge.idle.connect(lambda: idles.append(bridge.pending))
    bridge.run(lambda _s: gate.wait(5))
    bridge.run(lambda _s: None)
    assert bridge.pending == 2
    gate.set()
    qtbot.waitUntil(lambda: idles == [0], timeout=5000)


def test_close_finishes_every_queued_job(store: HistoryStore, qtbot: QtBot) -> None:
    bridge = HistoryBridge(store)
    session_id = store.begin_session("r", "R", "daily", 300, 50, START)
    for move in range(1, 51):
        bridge.run(
            lambda s, n=move: s.checkpoint(
                session_id,
                move_id=f"m{n}",
                areas=["cheeks"],
                seconds=2,
                active_seconds=2 * n,
                moves_completed=n,
            )
        )
    bridge.run(
        lambda s: s.finish_session(session_id, "completed", START + timedelta(minutes=2), 100, 50)
    )
    assert bridge.close()
    (record,) = store.sessions()
    assert record.status == "completed" and record.moves_completed == 50
    assert len(store.moves(record.id)) == 50
    with qtbot.waitSignal(bridge.error, timeout=1000) as failed:
        bridge.run(lambda s: s.stats(), name="stats")
    assert "not run" in failed.args[0]


def test_close_can_close_the_store_after_the_last_job(store: HistoryStore) -> None:
    bridge = HistoryBridge(store)
    bridge.run(lambda s: s.begin_session("r", "R", "daily", 300, 1, START))
    assert bridge.close(close_store=True)
    with pytest.raises(Exception, match="closed"):
        store.session_count()


def test_the_inline_runner_runs_jobs_at_once(store: HistoryStore, qtbot: QtBot) -> None:
    bridge = HistoryBridge(store, runner=InlineRunner())
    counts: list[int] = []
    bridge.run(lambda s: s.begin_session("r", "R", "daily", 300, 1, START))
    assert store.session_count() == 1  # written before run() returned
    op = bridge.run(lambda s: s.session_count()).success(counts.append)
    assert counts == []  # callbacks come from the event loop, after run() returned
    qtbot.waitUntil(lambda: counts == [1], timeout=1000)
    assert op.succeeded
    assert bridge.close()


def test_a_history_error_message_is_kept_as_it_is(store: HistoryStore, qtbot: QtBot) -> None:
    bridge = HistoryBridge(store, runner=InlineRunner())

    def refuse(_store: HistoryStore) -> None:
        raise HistoryError("history.sqlite3 is locked by another program")

    with qtbot.waitSignal(bridge.error, timeout=1000) as failed:
        bridge.run(refuse)
    assert failed.args == ["history.sqlite3 is locked by another program"]


def test_stopping_a_worker_stuck_in_a_job_returns_within_the_bound() -> None:
    from facegym_desktop.ui.history_bridge import ThreadRunner

    runner = ThreadRunner()
    runner.start()
    release = threading.Event()
    ran: list[str] = []
    runner.submit(lambda: (release.wait(10), ran.append("stuck")))
    runner.submit(lambda: ran.append("after"))
    began = time.monotonic()
    assert runner.stop(100) is False  # gave up waiting; the thread holds nothing open
    assert time.monotonic() - began < 1.0
    assert not runner.is_running()
    release.set()
    deadline = time.monotonic() + 5
    while ran != ["stuck", "after"] and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ran == ["stuck", "after"]  # queued jobs still ran, in order


def test_steps_waiting_at_close_are_left_in_the_journal(qtbot: QtBot, tmp_path: Path) -> None:
    from facegym_desktop.core.history import SessionWrite
    from facegym_desktop.core.history_journal import WriteJournal

    quick = HistoryStore.open(tmp_path / "history.sqlite3", None, busy_timeout=0.05)
    made = HistoryBridge(quick)
    holder = sqlite3.connect(tmp_path / "history.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        write = SessionWrite.begin(START, "r", "R", "daily", 300, 2)
        made.save(write)
        assert made.close(wait_ms=5000, close_store=True)  # tried once more, then stopped
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert made.waiting_writes == 1
    assert WriteJournal(tmp_path / "pending-writes.jsonl").read() == [write]


def test_a_job_finishing_after_close_gave_up_reports_nothing(
    store: HistoryStore, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    # Quitting with the file held: close() stops waiting, the window and the bridge are
    # torn down, then the worker's job returns.  It must not signal the bridge (a
    # deleted sender raises; one being destroyed crashes the process).
    import shiboken6
    from PySide6.QtCore import QObject

    owner = QObject()
    bridge = HistoryBridge(store, owner)
    release = threading.Event()
    ran: list[str] = []
    called: list[object] = []
    bridge.run(lambda s: (release.wait(10), ran.append("job"))).success(called.append)
    assert bridge.close(wait_ms=50) is False
    shiboken6.delete(owner)
    with caplog.at_level("ERROR"):
        release.set()
        qtbot.waitUntil(lambda: ran == ["job"], timeout=5000)
        qtbot.wait(100)  # the worker's report, had it made one, is queued by now
    assert called == []
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []


def test_a_step_for_a_file_held_at_opening_is_journaled_before_the_worker_runs(
    tmp_path: Path, qtbot: QtBot
) -> None:
    # A read waiting on the lock can hold the worker for seconds; a kill then must not
    # take the steps queued behind it.
    from facegym_desktop.core.history import SessionWrite
    from facegym_desktop.core.history_journal import WriteJournal
    from tests.faults.seams import held_lock

    HistoryStore.open(tmp_path / "history.sqlite3", None).close()
    with held_lock(tmp_path / "history.sqlite3"):
        store = HistoryStore.open(
            tmp_path / "history.sqlite3", None, busy_timeout=0.05, wait_if_locked=True
        )
        bridge = HistoryBridge(store, retry_first_ms=60_000)
        release = threading.Event()
        bridge.run(lambda s: release.wait(10))  # the worker is busy elsewhere
        write = SessionWrite.begin(START, "r", "R", "daily", 300, 2)
        bridge.save(write)
        assert WriteJournal(tmp_path / "pending-writes.jsonl").read() == [write]
        release.set()
        bridge.close(wait_ms=5000)
    assert WriteJournal(tmp_path / "pending-writes.jsonl").read() == [write]  # once


def test_the_app_start_names_each_journal_line_set_aside(qtbot: QtBot, tmp_path: Path) -> None:
    from facegym_desktop.paths import DataPaths
    from facegym_desktop.ui.services import open_history
    from tests.factories import FakeTimers

    paths = DataPaths(tmp_path).ensure()
    journal = paths.database.with_name("pending-writes.jsonl")
    journal.write_bytes(b'{"v": 1, "kind": "mo\n[1, 2]\n')
    notices: list[str] = []
    bridge = open_history(paths, notices, timers=FakeTimers())
    assert bridge is not None and notices == []
    told: list[str] = []
    bridge.error.connect(told.append)
    qtbot.waitUntil(lambda: len(told) == 2, timeout=5000)
    bridge.close(close_store=True)
    assert [line.split(": ")[2] for line in told] == ["line 1", "line 2"]
    assert all(line.startswith(f"History journal: {journal}: ") for line in told)
    assert not any("Error" in line or "failed" in line for line in told)


def test_a_journal_line_set_aside_while_the_app_runs_is_told(
    bridge: HistoryBridge, store: HistoryStore, qtbot: QtBot
) -> None:
    from facegym_desktop.core.history import SessionWrite

    # Another run of the app, killed mid-line, left this behind while this one runs.
    store.journal.path.write_bytes(b'{"v": 1, "kind": "fin\n')
    told: list[str] = []
    bridge.error.connect(told.append)
    with qtbot.waitSignal(bridge.idle, timeout=5000):
        bridge.save(SessionWrite.begin(START, "r", "R", "daily", 300, 2))
    qtbot.waitUntil(lambda: len(told) == 1, timeout=5000)
    (line,) = told
    assert line.startswith(f"History journal: {store.journal.path}: line 1: ")
    assert "unreadable-" in line and "\n" not in line
    assert len(store.sessions()) == 1 and not store.journal.path.exists()
