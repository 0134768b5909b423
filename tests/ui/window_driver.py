"""Driving a real MainWindow by keyboard on a fake clock: shared by the window tests.

Frames are driven by calling the controller's ``tick()``, the way its frame timer
would, so nothing sleeps.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from facegym_desktop.core.library import Library, load_library
from facegym_desktop.paths import DataPaths, builtin_routines_dir
from facegym_desktop.ui.main_window import MainWindow
from tests.factories import FakeClock, user_routine_toml

# A short user routine: 90 seconds at its shortest, with a move done one side at a time.
QUICK_ROUTINE = user_routine_toml("quick-glow", "Quick glow", "Two short moves for tests.")
QUICK_ID = "quick-glow"
FRAME_STEP = 0.25  # seconds of fake time between two driven frames


def library_for(paths: DataPaths) -> Library:
    return load_library(builtin_routines_dir(), paths.user_routines)


def press(qtbot, window: MainWindow, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the person's focus is, as a keyboard would send it."""
    target = QGuiApplication.focusObject() or window
    qtbot.keyClick(target, key, modifier)


def run_for(window: MainWindow, clock: FakeClock, seconds: float, step: float = FRAME_STEP) -> None:
    """Let fake time pass, with a frame every ``step`` seconds as the timer would give."""
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        clock.now = min(end, clock.now + step)
        if window.controller is not None and window.controller.running:
            window.controller.tick()


def run_until(window: MainWindow, clock: FakeClock, condition, limit: float = 600.0) -> None:
    spent = 0.0
    while not condition():
        assert spent < limit, "condition not reached in the fake time allowed"
        run_for(window, clock, FRAME_STEP)
        spent += FRAME_STEP


def start_session(qtbot, window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.start_view
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.session_view
    assert window.controller is not None and window.controller.running


def engine(window: MainWindow):
    assert window.controller is not None
    return window.controller.engine
