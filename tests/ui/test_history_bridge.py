"""The history bridge: store calls on a worker thread, results as signals."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from facegym_desktop.core.history import HistoryStore
from facegym_desktop.core.stats import Summary
from facegym_desktop.ui.history_bridge import HistoryBridge

ZONE = timezone(timedelta(hours=2))
START = datetime(2026, 5, 4, 7, 30, tzinfo=ZONE)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore.open(tmp_path / "history.sqlite3", tmp_path / "backups")
    yield opened
    opened.close()


@pytest.fixture
def bridge(store: HistoryStore, qtbot: QtBot) -> Iterator[HistoryBridge]:
    made = HistoryBridge(store)
    yield made
    assert made.close()


def test_a_whole_session_through_the_bridge(
    bridge: HistoryBridge, store: HistoryStore, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(bridge.session_begun, timeout=5000) as begun:
        bridge.begin("morning-glow", "Morning glow", "daily", 300, 2, START)
        # Queued behind begin: no need to wait for the id before saving moves.
        bridge.checkpoint(
            move_id="chin-flicks", areas=["chin"], seconds=40, active_seconds=40, moves_completed=1
        )
        bridge.checkpoint(
            move_id="jawline-glide",
            areas=["jawline"],
            seconds=60,
            reps=6,
            active_seconds=100,
            moves_completed=2,
        )
    session_id = begun.args[0]
    with qtbot.waitSignal(bridge.session_finished, timeout=5000) as finished:
        bridge.finish(None, "completed", START + timedelta(minutes=2), 100, 2)
    assert finished.args == [session_id]
    record = store.get_session(session_id)
    assert record is not None and record.status == "completed"
    assert [move.move_id for move in store.moves(session_id)] == ["chin-flicks", "jawline-glide"]
    with qtbot.waitSignal(bridge.stats_ready, timeout=5000) as ready:
        bridge.load_stats(START.date())
    summary = ready.args[0]
    assert isinstance(summary, Summary)
    assert summary.current_streak == 1 and summary.per_area_minutes["jawline"] == 1.0


def test_store_calls_run_off_the_ui_thread(
    bridge: HistoryBridge, store: HistoryStore, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    original = store.stats

    def recording_stats(*args: object, **kwargs: object) -> Summary:
        threads.append(threading.current_thread())
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "stats", recording_stats)
    with qtbot.waitSignal(bridge.stats_ready, timeout=5000):
        bridge.load_stats(date(2026, 5, 4))
    assert threads and threads[0] is not threading.main_thread()


def test_failures_come_back_as_one_line(bridge: HistoryBridge, qtbot: QtBot) -> None:
    with qtbot.waitSignal(bridge.error, timeout=5000) as failed:
        bridge.finish(4242, "completed", START, 10, 1)
    assert "4242" in failed.args[0] and "\n" not in failed.args[0]
    with qtbot.waitSignal(bridge.error, timeout=5000) as failed:
        bridge.checkpoint(move_id="m", areas=[], seconds=1, active_seconds=1, moves_completed=1)
    assert "no session is being recorded" in failed.args[0]
    with qtbot.waitSignal(bridge.error, timeout=5000) as failed:
        bridge.finish(4242, "bogus", START, 10, 1)
    assert "status" in failed.args[0]


def test_close_finishes_every_queued_job(store: HistoryStore, qtbot: QtBot) -> None:
    bridge = HistoryBridge(store)
    bridge.begin("r", "R", "daily", 300, 50, START)
    for move in range(1, 51):
        bridge.checkpoint(
            move_id=f"m{move}",
            areas=["cheeks"],
            seconds=2,
            active_seconds=2 * move,
            moves_completed=move,
        )
    bridge.finish(None, "completed", START + timedelta(minutes=2), 100, 50)
    assert bridge.close()
    (record,) = store.sessions()
    assert record.status == "completed" and record.moves_completed == 50
    assert len(store.moves(record.id)) == 50
    with qtbot.waitSignal(bridge.error, timeout=1000):
        bridge.load_stats()


def test_dangling_sessions_are_marked(
    bridge: HistoryBridge, store: HistoryStore, qtbot: QtBot
) -> None:
    store.begin_session("r", "R", "daily", 300, 3, START)
    with qtbot.waitSignal(bridge.dangling_marked, timeout=5000) as marked:
        bridge.mark_dangling_interrupted()
    assert marked.args == [1]


def test_last_done_by_routine(bridge: HistoryBridge, store: HistoryStore, qtbot: QtBot) -> None:
    session_id = store.begin_session("r", "R", "daily", 300, 1, START)
    store.finish_session(session_id, "completed", START + timedelta(minutes=5), 300, 1)
    with qtbot.waitSignal(bridge.last_done_ready, timeout=5000) as ready:
        bridge.load_last_done()
    assert ready.args == [{"r": START}]
