"""The finish screen says how the session ended: done, done with moves skipped, or stopped."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.factories import FakeClock
from tests.ui.window_driver import engine, press, run_for, start_session


def test_skipping_to_the_end_says_how_many_moves_were_skipped(
    qtbot, make_window, clock: FakeClock
) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_for(window, clock, 1.0)
    presses = 0
    while window.controller.running:  # past the preparation, each move and side, to the end
        assert presses < 6, "Right never reached the end of the routine"
        press(qtbot, window, Qt.Key.Key_Right)
        run_for(window, clock, 0.5)
        presses += 1
    assert not window.controller.running
    assert window.stack.currentWidget() is window.finish_view
    assert window.finish_view.title.text() == "Finished, 2 moves skipped"
    assert "0 of 2 moves" in window.finish_view.details.text()


def test_stopping_early_says_stopped(qtbot, make_window, clock: FakeClock) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_for(window, clock, 3.0)
    press(qtbot, window, Qt.Key.Key_Escape)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert engine(window).in_progress is False
    assert window.finish_view.title.text() == "Session stopped"
