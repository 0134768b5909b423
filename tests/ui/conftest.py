"""Window fixtures: a fresh data folder with a short routine, a fake clock, and windows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from facegym_desktop.core.settings import Settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.main_window import MainWindow
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


@pytest.fixture
def make_window(qtbot, data_dir: DataPaths, clock: FakeClock) -> Iterator[Any]:
    made: list[MainWindow] = []

    def make(settings: Settings | None = None, **kwargs: Any) -> MainWindow:
        chosen = settings or Settings(last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5})
        window = MainWindow(
            data_dir, library_for(data_dir), chosen, clock=clock, wall_clock=clock, **kwargs
        )
        qtbot.addWidget(window)
        window.resize(1100, 720)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        made.append(window)
        return window

    yield make
    for window in made:
        if window.controller is not None:
            window.controller.shutdown()
