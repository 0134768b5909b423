"""The session recorder: one session's writes, through the real bridge and store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from facegym_desktop.core.planner import Plan, plan_seconds
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.session import MoveEnded, SessionSummary
from facegym_desktop.core.stats import streak_message
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.session_recorder import HISTORY_OFF, SAVED, SessionRecorder
from tests.factories import routine_of, timed_move
from tests.ui.conftest import FlakyHistoryStore

ZONE = timezone(timedelta(hours=2))
START = datetime(2026, 5, 4, 7, 30, tzinfo=ZONE)


@pytest.fixture
def routine() -> Routine:
    return routine_of(
        timed_move("chin-flicks", areas=("chin",)), timed_move("jaw-glide", areas=("jawline",))
    )


@pytest.fixture
def timeline(routine: Routine) -> Plan:
    return plan_seconds(routine, 300)


@pytest.fixture
def threaded_bridge(history_store: FlakyHistoryStore, qtbot: QtBot) -> Iterator[HistoryBridge]:
    bridge = HistoryBridge(history_store)
    yield bridge
    assert bridge.close()


def recorded(recorder: SessionRecorder, signal_name: str) -> list[object]:
    seen: list[object] = []
    getattr(recorder, signal_name).connect(seen.append)
    return seen


def play(recorder: SessionRecorder, routine: Routine, timeline: Plan) -> SessionSummary:
    """Begin, save every move, and return the summary to finish with."""
    recorder.begin(routine, timeline, START)
    active = 0.0
    moves = timeline.move_segments
    for done, segment in enumerate(moves, start=1):
        seconds = segment.end - segment.start
        active += seconds
        recorder.move_ended(MoveEnded(segment, seconds, True, done), active)
    return SessionSummary("completed", timeline.total_seconds, active, len(moves), len(moves))


def test_a_sessions_writes_reach_sqlite(
    qtbot: QtBot,
    threaded_bridge: HistoryBridge,
    history_store: FlakyHistoryStore,
    routine: Routine,
    timeline: Plan,
) -> None:
    recorder = SessionRecorder(threaded_bridge)
    saved = recorded(recorder, "saved")
    streaks = recorded(recorder, "streak_ready")
    last_done = recorded(recorder, "last_done_changed")
    # Queued straight after begin: the moves do not wait for the session id to come back.
    summary = play(recorder, routine, timeline)
    recorder.finish(summary, START + timedelta(minutes=5), rest_days_per_week=1)
    qtbot.waitUntil(lambda: bool(streaks) and len(last_done) == 2, timeout=5000)
    assert saved == [SAVED]
    assert streaks == [streak_message(history_store.stats(rest_days_per_week=1))]
    (record,) = history_store.sessions()
    assert record.status == "completed" and record.routine_id == routine.id
    assert [m.move_id for m in history_store.moves(record.id)] == ["chin-flicks", "jaw-glide"]
    assert history_store.area_seconds().keys() == {"chin", "jawline"}
    assert last_done[-1] == {routine.id: START}


def test_checkpoints_queued_before_the_begin_result_find_the_session(
    qtbot: QtBot,
    inline_bridge: HistoryBridge,
    history_store: FlakyHistoryStore,
    routine: Routine,
    timeline: Plan,
) -> None:
    recorder = SessionRecorder(inline_bridge)
    notices = recorded(recorder, "notice")
    summary = play(recorder, routine, timeline)  # no event processed: no result is back yet
    recorder.finish(summary, START + timedelta(minutes=5), 0)
    saved = recorded(recorder, "saved")
    qtbot.waitUntil(lambda: saved == [SAVED], timeout=2000)
    (record,) = history_store.sessions()
    assert record.moves_completed == 2 and len(history_store.moves(record.id)) == 2
    assert notices == []


def test_a_failed_save_still_reports_once(
    qtbot: QtBot,
    inline_bridge: HistoryBridge,
    history_store: FlakyHistoryStore,
    routine: Routine,
    timeline: Plan,
) -> None:
    history_store.fail_finish = True
    recorder = SessionRecorder(inline_bridge)
    saved = recorded(recorder, "saved")
    notices = recorded(recorder, "notice")
    recorder.finish(play(recorder, routine, timeline), START + timedelta(minutes=5), 0)
    qtbot.waitUntil(lambda: inline_bridge.pending == 0, timeout=2000)
    assert saved == ["history finish failed: disk full"]
    assert "history finish failed: disk full" in notices


def test_a_failed_begin_is_reported_and_the_finish_line_says_so(
    qtbot: QtBot, tmp_path: Path, routine: Routine, timeline: Plan
) -> None:
    store = FlakyHistoryStore.open(tmp_path / "other.sqlite3")
    bridge = HistoryBridge(store)
    recorder = SessionRecorder(bridge)
    saved = recorded(recorder, "saved")
    notices = recorded(recorder, "notice")
    recorder.begin(routine, timeline, START.replace(tzinfo=None))  # not aware: refused
    recorder.finish(
        SessionSummary("partial", 300, 0, 0, 2), START + timedelta(minutes=1), 0
    )
    qtbot.waitUntil(lambda: len(saved) == 1, timeout=5000)
    assert "could not be written" in str(saved[0])
    assert any("UTC offset" in str(note) for note in notices)
    qtbot.waitUntil(lambda: bridge.pending == 0, timeout=5000)
    assert store.session_count() == 0
    assert bridge.close(close_store=True)


def test_with_the_history_off_the_finish_line_says_so(
    routine: Routine, timeline: Plan
) -> None:
    recorder = SessionRecorder(None)
    saved = recorded(recorder, "saved")
    summary = play(recorder, routine, timeline)
    recorder.finish(summary, START + timedelta(minutes=5), 0)
    assert saved == [HISTORY_OFF]
    assert recorder.bridge is None
