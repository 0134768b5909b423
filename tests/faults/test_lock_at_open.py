"""Another program holds the history file when the app opens it.

The app still starts and says once that the history is busy; the session is played
(on a fake clock) and its steps wait in the journal; once the lock goes, the retry
timer (a fake, fired by hand) saves them, the window says so once, and readers catch
up.  When the lock outlasts the run, the next start applies what was kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from facegym_desktop.core.history import HistoryStore
from facegym_desktop.core.history_journal import JOURNAL_NAME
from facegym_desktop.core.settings import Settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.history_window import HistoryWindow
from facegym_desktop.ui.main_window import MainWindow
from facegym_desktop.ui.services import open_history
from tests.factories import FakeClock, FakeTimers
from tests.faults.seams import held_lock
from tests.ui.window_driver import QUICK_ID, QUICK_ROUTINE, library_for, run_until, start_session

pytestmark = pytest.mark.faults

BUSY = (
    "History is busy: history.sqlite3 is locked by another program (perhaps a second "
    "FaceGym). Sessions are kept and saved once it is free."
)
ALL_SAVED = "The changes that were waiting are now saved; nothing was lost."
STEPS, MOVES = 2, 3  # the quick routine: chin flicks, then the jaw one side at a time


@pytest.fixture
def paths(tmp_path: Path) -> DataPaths:
    """A data folder with the quick routine and a history file (a lock needs a file)."""
    made = DataPaths(tmp_path / "data").ensure()
    (made.user_routines / "quick.toml").write_text(QUICK_ROUTINE, encoding="utf-8")
    HistoryStore.open(made.database, made.backups).close()
    return made


@pytest.fixture
def lock(paths: DataPaths) -> Iterator[ExitStack]:
    """Another program's lock on the history file, held until the test closes it."""
    with ExitStack() as stack:
        stack.enter_context(held_lock(paths.database))
        yield stack


class App:
    """The history opened as the app opens it, and the window it is shown in."""

    def __init__(self, qtbot: QtBot, paths: DataPaths) -> None:
        self.timers = FakeTimers()
        self.clock = FakeClock(now=5000.0)
        notices: list[str] = []
        bridge = open_history(paths, notices, busy_timeout=0.05, timers=self.timers)
        assert bridge is not None
        self.bridge: HistoryBridge = bridge
        settings = Settings(last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5})
        self.window = MainWindow(
            paths, library_for(paths), settings, bridge=bridge, notices=notices,
            clock=self.clock, wall_clock=self.clock,
        )
        qtbot.addWidget(self.window)
        self.window.resize(1100, 720)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)

    def notices(self) -> list[str]:
        """The start screen's notice lines."""
        return self.window.start_screen.notice_text().splitlines()

    def play_session(self, qtbot: QtBot) -> None:
        start_session(qtbot, self.window)
        controller = self.window.controller
        assert controller is not None
        with qtbot.waitSignal(self.window.session_saved, timeout=5000):
            run_until(self.window, self.clock, lambda: not controller.running)

    def retry(self) -> None:
        """The bridge's retry timer times out (it is the only single-shot timer made)."""
        self.timers.only(single_shot=True).fire()

    def close(self, wait_ms: int = 500) -> None:
        if self.window.controller is not None:
            self.window.controller.shutdown()
        self.bridge.close(wait_ms, close_store=True)


def journal_kinds(paths: DataPaths) -> list[str]:
    text = (paths.root / JOURNAL_NAME).read_text(encoding="utf-8")
    return [json.loads(line)["kind"] for line in text.splitlines() if line.strip()]


def assert_one_session(paths: DataPaths) -> None:
    with HistoryStore.open(paths.database, None, daily_backup=False) as store:
        (record,) = store.sessions()
        assert (record.routine_id, record.status) == (QUICK_ID, "completed")
        assert record.moves_completed == record.moves_total == STEPS
        assert len(store.moves(record.id)) == MOVES  # one row per move, each side its own


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform's note
def test_a_session_played_while_the_file_was_locked_at_opening_lands_once_it_is_free(
    qtbot: QtBot, paths: DataPaths, lock: ExitStack
) -> None:
    app = App(qtbot, paths)
    assert not app.bridge.store.opened and app.bridge.busy
    assert app.notices() == [BUSY]

    app.play_session(qtbot)
    qtbot.waitUntil(lambda: app.bridge.pending == 0, timeout=5000)
    assert app.window.finish_view.saved.text().startswith("Not saved yet")
    assert journal_kinds(paths) == ["begin", "move", "move", "move", "finish"]
    assert app.notices() == [BUSY]  # told once, however many steps and reads waited

    app.window.open_history()  # the History window says it is busy too
    (history,) = [w for w in QApplication.topLevelWidgets() if isinstance(w, HistoryWindow)]
    qtbot.waitUntil(lambda: history.notice.text() == BUSY, timeout=5000)
    assert history.overview is None

    lock.close()  # the other program lets go
    with qtbot.waitSignal(history.loaded, timeout=5000):
        app.retry()
    qtbot.waitUntil(lambda: app.bridge.waiting_writes == 0 and not app.bridge.busy)
    assert app.notices() == [BUSY, ALL_SAVED]
    assert history.notice.text() == ALL_SAVED
    assert history.overview is not None and len(history.overview.sessions) == 1
    assert_one_session(paths)
    assert not (paths.root / JOURNAL_NAME).exists()
    history.close()
    app.close()


def test_freed_before_a_session_the_window_says_so_and_the_next_session_saves_at_once(
    qtbot: QtBot, paths: DataPaths, lock: ExitStack
) -> None:
    app = App(qtbot, paths)
    qtbot.waitUntil(lambda: app.bridge.pending == 0, timeout=5000)
    app.retry()  # still locked: tried again later
    qtbot.waitUntil(lambda: app.bridge.pending == 0, timeout=5000)
    assert app.bridge.busy and app.notices() == [BUSY]
    lock.close()
    app.retry()
    qtbot.waitUntil(lambda: not app.bridge.busy, timeout=5000)
    free = "history.sqlite3 is free again; the history is up to date."
    assert app.notices() == [BUSY, free]
    assert app.bridge.store.opened

    app.play_session(qtbot)  # written as it goes, as on any other day
    assert app.window.finish_view.saved.text() == "Saved to your history."
    assert not (paths.root / JOURNAL_NAME).exists()
    assert app.notices() == [BUSY, free]
    qtbot.waitUntil(lambda: app.bridge.pending == 0, timeout=5000)
    app.close()
    assert_one_session(paths)


def test_a_lock_held_past_quitting_is_applied_at_the_next_start(
    qtbot: QtBot, paths: DataPaths, lock: ExitStack
) -> None:
    app = App(qtbot, paths)
    app.play_session(qtbot)
    app.close(wait_ms=500)
    assert journal_kinds(paths)[-1] == "finish"
    lock.close()

    notices: list[str] = []  # the next start
    bridge = open_history(paths, notices, busy_timeout=0.05, timers=FakeTimers())
    assert bridge is not None and notices == []
    qtbot.waitUntil(lambda: bridge.pending == 0, timeout=5000)
    bridge.close(close_store=True)
    assert_one_session(paths)
    assert not (paths.root / JOURNAL_NAME).exists()
