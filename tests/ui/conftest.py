"""Window fixtures: a fresh data folder with a short routine, a fake clock, and windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from facegym_desktop.core.history import HistoryError, HistoryStore, SessionWrite
from facegym_desktop.core.settings import Settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.history_bridge import HistoryBridge, InlineRunner
from facegym_desktop.ui.main_window import MainWindow
from facegym_desktop.ui.questions import Unsaved
from facegym_desktop.ui.start_view import StartView
from tests.factories import FakeClock
from tests.ui.window_driver import QUICK_ID, QUICK_ROUTINE, library_for


@pytest.fixture
def data_dir(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data").ensure()
    (paths.user_routines / "quick.toml").write_text(QUICK_ROUTINE, encoding="utf-8")
    return paths


@pytest.fixture
def start_view(qtbot) -> StartView:
    """A start screen on its own, shown at a usual window size."""
    widget = StartView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def clock() -> FakeClock:
    """Passed as both clocks, so setting ``now`` moves them together."""
    return FakeClock(now=5000.0)


def _discard_builders(window: MainWindow) -> None:
    """Closing the window after a test asks no one about a builder's unsaved changes."""
    for builder in window.routine_tools.builders:
        builder.unsaved_choice = lambda _what, _can_save: Unsaved.DISCARD


@pytest.fixture
def make_window(qtbot, data_dir: DataPaths, clock: FakeClock) -> Iterator[Any]:
    made: list[MainWindow] = []

    def make(settings: Settings | None = None, **kwargs: Any) -> MainWindow:
        chosen = settings or Settings(last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5})
        window = MainWindow(
            data_dir, library_for(data_dir), chosen, clock=clock, wall_clock=clock, **kwargs
        )
        qtbot.addWidget(window, before_close_func=_discard_builders)
        window.resize(1100, 720)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.routine_tools  # noqa: B018 - made once it shows, as the app does
        made.append(window)
        return window

    yield make
    for window in made:
        if window.controller is not None:
            window.controller.shutdown()


class FlakyHistoryStore(HistoryStore):
    """A real store that refuses a session's finish for good while ``fail_finish`` is
    set (a plain HistoryError: a write that can never apply)."""

    fail_finish = False

    def apply_write(self, write: SessionWrite) -> int:
        if self.fail_finish and write.kind == "finish":
            raise HistoryError("history finish failed: disk full")
        return super().apply_write(write)


@pytest.fixture
def history_store(tmp_path: Path) -> Iterator[FlakyHistoryStore]:
    """A history file of its own (it can be told to fail saves, see FlakyHistoryStore)."""
    store = FlakyHistoryStore.open(tmp_path / "history.sqlite3", tmp_path / "backups")
    assert isinstance(store, FlakyHistoryStore)
    yield store
    store.close()


@pytest.fixture
def inline_bridge(history_store: FlakyHistoryStore, qtbot) -> Iterator[HistoryBridge]:
    """The real bridge over ``history_store``, running each job at once on this thread
    (results still come back through the event loop)."""
    bridge = HistoryBridge(history_store, runner=InlineRunner())
    yield bridge
    bridge.close()
