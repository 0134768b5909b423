"""The session runner: starts a session, steers it by key, records it, words its end."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.core.planner import plan_seconds
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.session_recorder import SessionRecorder
from facegym_desktop.ui.session_runner import SessionRunner
from facegym_desktop.ui.session_view import SessionView
from facegym_desktop.ui.settings_store import SettingsStore
from facegym_desktop.ui.voice_settings import VoiceSettings
from tests.factories import FakeClock, routine_of, timed_move
from tests.ui.conftest import FlakyHistoryStore
from tests.ui.fakes import RecordingCoach

START = datetime(2026, 5, 4, 7, 30, tzinfo=timezone(timedelta(hours=2)))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(now=100.0)


@pytest.fixture
def runner(qtbot, tmp_path: Path, inline_bridge: HistoryBridge, clock: FakeClock) -> SessionRunner:
    view = SessionView()
    qtbot.addWidget(view)
    store = SettingsStore(tmp_path / "settings.json", Settings())
    voice = VoiceSettings(store, RecordingCoach(), view)
    recorder = SessionRecorder(inline_bridge, parent=view)
    return SessionRunner(
        recorder,
        voice,
        lambda: view,
        local_now=lambda: START,
        rest_days_per_week=lambda: 0,
        clock=clock,
        wall_clock=clock,
        parent=view,
    )


def test_keys_do_nothing_without_a_session(runner: SessionRunner) -> None:
    calls: list[object] = []
    runner.steer(calls.append)()
    runner.request_stop()
    runner.shutdown()
    assert calls == [] and not runner.running and runner.controller is None


def test_a_session_skipped_to_its_end_is_worded_and_saved(
    qtbot, runner: SessionRunner, clock: FakeClock, history_store: FlakyHistoryStore
) -> None:
    routine = routine_of(timed_move("chin-flicks", areas=("chin",)), timed_move("jaw-glide"))
    started: list[object] = []
    ended: list[tuple[str, str]] = []
    runner.started.connect(lambda: started.append(True))
    runner.ended.connect(lambda title, details: ended.append((title, details)))
    runner.start(routine, plan_seconds(routine, 120))
    assert started == [True] and runner.running
    while runner.running:
        clock.now += 0.2
        runner.controller.tick()
        runner.steer(lambda controller: controller.next())()
    assert ended and ended[0][0] == "Finished, 2 moves skipped"
    assert ended[0][1].endswith("0 of 2 moves")
    qtbot.waitUntil(lambda: len(history_store.sessions()) == 1)
    # Reached its end, but with no move done: kept as partial, not as a finished session.
    assert history_store.sessions()[0].status == "partial"


def test_debug_lines_at_the_seams(
    qtbot, runner: SessionRunner, clock: FakeClock, history_store: FlakyHistoryStore, caplog
) -> None:
    caplog.set_level(logging.DEBUG, logger="facegym_desktop")
    routine = routine_of(timed_move("chin-flicks", areas=("chin",)), timed_move("jaw-glide"))
    runner.start(routine, plan_seconds(routine, 120))
    while runner.running:
        clock.now += 0.2
        runner.controller.tick()
    qtbot.waitUntil(lambda: len(history_store.sessions()) == 1)
    text = caplog.text
    for seam in ("session of", "started", "cue at", "move chin-flicks ended",
                 "history move of", "written", "session ended completed"):  # fmt: skip
        assert seam in text, seam
