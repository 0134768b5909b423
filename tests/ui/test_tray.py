"""The tray menu and what closing the window does (offscreen has no tray: the menu and
the close policy are tested directly)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from facegym_desktop.core.reminders import load_state
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.history_window import HistoryWindow
from facegym_desktop.ui.tray import TOLD_TEXT, TOLD_TITLE, CloseToTray, TrayMenu
from tests.ui.reminder_fakes import make_rig
from tests.ui.window_driver import QUICK_ID

pytestmark = pytest.mark.qt_log_ignore("does not support raise")

ON = Settings(
    last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5}, reminder_times=("07:30",)
)
OFF = Settings(last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5})


@pytest.fixture
def quit_on_last_window_closed(qapp: QApplication):
    before = qapp.quitOnLastWindowClosed()
    yield qapp
    qapp.setQuitOnLastWindowClosed(before)


def menu_for(make_window, tmp_path: Path, settings: Settings):
    window = make_window(settings)
    rig = make_rig(tmp_path, window.settings)
    rig.service.start()
    quits: list[bool] = []
    return window, rig, TrayMenu(window, rig.service, lambda: quits.append(True)), quits


def test_the_menu_lists_every_routine_and_starts_one(make_window, tmp_path: Path) -> None:
    window, _rig, menu, _quits = menu_for(make_window, tmp_path, ON)
    names = [action.text() for action in menu.routine_actions()]
    assert names == [routine.name for routine in window.library.sorted_routines()]
    name = window.library.routine(QUICK_ID).name
    [quick] = [action for action in menu.routine_actions() if action.text() == name]
    window.showMinimized()
    quick.trigger()
    assert window.controller is not None and window.controller.running
    assert window.controller.engine.plan.routine_id == QUICK_ID
    assert not window.isMinimized()
    menu.refresh()
    assert not menu.routines_menu.isEnabled()  # not while a session runs


def test_history_needs_a_history(make_window, tmp_path: Path, inline_bridge) -> None:
    window, _rig, menu, _quits = menu_for(make_window, tmp_path, ON)
    window.attach_history(None)
    menu.refresh()
    assert not menu.history_action.isEnabled()
    window.attach_history(inline_bridge)
    menu.refresh()
    assert menu.history_action.isEnabled()
    menu.history_action.trigger()

    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, HistoryWindow)]
    assert any(window.isVisible() for window in shown)


def test_pause_for_today_and_quit(make_window, tmp_path: Path) -> None:
    _window, rig, menu, quits = menu_for(make_window, tmp_path, ON)
    assert menu.pause_action.isEnabled()
    menu.pause_action.trigger()
    assert rig.service.paused_today
    menu.refresh()
    assert not menu.pause_action.isEnabled()
    assert menu.pause_action.text() == "Reminders paused for today"
    menu.quit_action.trigger()
    assert quits == [True]


def test_pause_is_off_while_no_reminder_is_on(make_window, tmp_path: Path) -> None:
    _window, _rig, menu, _quits = menu_for(make_window, tmp_path, OFF)
    assert not menu.pause_action.isEnabled()


def policy_for(make_window, tmp_path: Path, settings: Settings, tray: bool = True):
    window = make_window(settings)
    rig = make_rig(tmp_path, window.settings)
    rig.service.start()
    told: list[tuple[str, str]] = []
    policy = CloseToTray(rig.service, tray, lambda title, text: told.append((title, text)))
    window.close_hook = policy.close_requested
    return window, rig, policy, told


def test_with_reminders_on_closing_keeps_the_app_in_the_tray_and_says_so_once(
    make_window, tmp_path: Path, quit_on_last_window_closed: QApplication
) -> None:
    window, rig, policy, told = policy_for(make_window, tmp_path, ON)
    assert policy.should_hide(from_desktop=True)
    assert policy.hide_on_close(window, from_desktop=True)
    assert not window.isVisible()
    assert not quit_on_last_window_closed.quitOnLastWindowClosed()  # the history may close
    assert told == [(TOLD_TITLE, TOLD_TEXT)]
    assert load_state(rig.state_path, rig.now()).told_about_tray
    window.show()
    assert quit_on_last_window_closed.quitOnLastWindowClosed()
    assert policy.hide_on_close(window, from_desktop=True)
    assert len(told) == 1  # said once


def test_quit_closes_even_with_reminders_on(make_window, tmp_path: Path) -> None:
    window, _rig, policy, told = policy_for(make_window, tmp_path, ON)
    assert not policy.should_hide(from_desktop=False)
    assert window.close()  # as Ctrl+Q and the tray's Quit do
    assert not window.isVisible()
    assert told == []


def test_with_reminders_off_or_no_tray_closing_quits(make_window, tmp_path: Path) -> None:
    window, _rig, policy, _told = policy_for(make_window, tmp_path, OFF)
    assert not policy.should_hide(from_desktop=True)
    assert not policy.hide_on_close(window, from_desktop=True)
    assert window.isVisible()
    assert window.close()
    no_tray = policy_for(make_window, tmp_path / "other", ON, tray=False)[2]
    assert not no_tray.should_hide(from_desktop=True)
