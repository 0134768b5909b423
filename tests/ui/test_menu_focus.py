"""After a menu opens and closes, Enter and Space act on the screen again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu

from tests.ui.window_driver import engine, press, start_session

# Popups ask the offscreen platform for things it does not do.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


def open_and_escape(qtbot, window, menu: QMenu) -> None:
    """Open ``menu`` from the menu bar as the keyboard does and close it with Escape."""
    bar = window.menuBar()
    bar.setFocus()
    bar.setActiveAction(menu.menuAction())  # the bar in keyboard mode, its menu open
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is menu)
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    back_to_the_window(qtbot, window)


def back_to_the_window(qtbot, window) -> None:
    """The desktop makes the window active again once its popup is gone (offscreen
    Qt does not), then the event loop runs once."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.wait(20)


def first_menu(window) -> QMenu:
    menu = window.menuBar().actions()[0].menu()
    assert isinstance(menu, QMenu)
    return menu


def test_enter_starts_after_a_menu_was_closed(qtbot, make_window) -> None:
    window = make_window()
    open_and_escape(qtbot, window, first_menu(window))
    assert QApplication.focusWidget() is not window.menuBar()
    press(qtbot, window, Qt.Key.Key_Return)
    assert QApplication.activePopupWidget() is None
    assert window.stack.currentWidget() is window.session_view


def test_space_pauses_after_a_menu_was_closed(qtbot, make_window) -> None:
    window = make_window()
    start_session(qtbot, window)
    open_and_escape(qtbot, window, first_menu(window))
    press(qtbot, window, Qt.Key.Key_Space)
    assert engine(window).state.value == "paused"


def test_a_popup_menu_closed_by_timer_gives_the_focus_back(qtbot, make_window) -> None:
    window = make_window()
    menu = first_menu(window)
    QTimer.singleShot(50, menu.close)
    menu.exec(window.mapToGlobal(window.rect().center()))
    back_to_the_window(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.session_view
