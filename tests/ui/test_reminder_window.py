"""The reminder window and its three answers, with a real main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from facegym_desktop.core.reminders import DAILY, EXTENDED, SNOOZE, Reminder, load_state
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.reminder_window import (
    DAILY_HEADING,
    EXTENDED_HEADING,
    ReminderPrompt,
    due_routine,
)
from tests.ui.reminder_fakes import local, make_rig
from tests.ui.window_driver import QUICK_ID

# The offscreen platform's note when a window is raised.
pytestmark = pytest.mark.qt_log_ignore("does not support raise")

SETTINGS = Settings(
    last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5}, reminder_times=("07:30",)
)


def prompt_for(qtbot, make_window, tmp_path: Path):
    window = make_window(SETTINGS)
    rig = make_rig(tmp_path, window.settings)
    prompt = ReminderPrompt(rig.service, window)
    qtbot.addWidget(prompt.reminder_window)
    rig.service.start()
    return window, rig, prompt


def test_start_now_shows_the_routine_ready_on_the_start_screen(
    qtbot, make_window, tmp_path: Path
) -> None:
    window, rig, prompt = prompt_for(qtbot, make_window, tmp_path)
    window.start_view.routine_list.setCurrentRow(window.start_view.routine_list.count() - 1)
    window.showMinimized()
    rig.run_until(local(10, 7, 31))
    shown = prompt.reminder_window
    assert shown.isVisible()
    assert shown.heading.text() == DAILY_HEADING
    assert "1.5 minutes" in shown.detail.text()
    shown.start_button.click()
    assert not shown.isVisible()
    assert window.isVisible() and not window.isMinimized()
    assert window.stack.currentWidget() is window.start_view
    assert window.start_view.selected_routine_id() == QUICK_ID
    assert window.controller is None  # ready to go: Enter starts it


def test_enter_is_start_now_and_escape_only_closes(qtbot, make_window, tmp_path: Path) -> None:
    window, rig, prompt = prompt_for(qtbot, make_window, tmp_path)
    rig.run_until(local(10, 7, 31))
    shown = prompt.reminder_window
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.isVisible()
    assert load_state(rig.state_path, rig.now()).snoozed_until is None
    prompt.show_due(Reminder("daily-07:30", DAILY, None))
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    qtbot.keyClick(shown.start_button, Qt.Key.Key_Return)
    assert not shown.isVisible()
    assert window.start_view.selected_routine_id() == QUICK_ID


def test_in_thirty_minutes_snoozes(qtbot, make_window, tmp_path: Path) -> None:
    _window, rig, prompt = prompt_for(qtbot, make_window, tmp_path)
    rig.run_until(local(10, 7, 31))
    prompt.reminder_window.snooze_button.click()
    assert not prompt.reminder_window.isVisible()
    assert load_state(rig.state_path, rig.now()).snoozed_until == local(10, 8, 1)
    rig.run_until(local(10, 8, 2))
    assert [reminder.kind for _at, reminder in rig.fired] == [DAILY, SNOOZE]
    assert prompt.reminder_window.isVisible()
    assert prompt.reminder_window.heading.text() == DAILY_HEADING


def test_skip_today_silences_the_day(qtbot, make_window, tmp_path: Path) -> None:
    _window, rig, prompt = prompt_for(qtbot, make_window, tmp_path)
    rig.run_until(local(10, 7, 31))
    prompt.reminder_window.skip_button.click()
    assert not prompt.reminder_window.isVisible()
    assert load_state(rig.state_path, rig.now()).skipped_on == local(10, 0).date()
    assert rig.service.paused_today


def test_the_extended_nudge_offers_the_extended_routine(
    qtbot, make_window, tmp_path: Path
) -> None:
    window, _rig, prompt = prompt_for(qtbot, make_window, tmp_path)
    prompt.show_due(Reminder("extended", EXTENDED, None))
    assert prompt.reminder_window.heading.text() == EXTENDED_HEADING
    prompt.start_now()
    chosen = window.library.routine(window.start_view.selected_routine_id() or "")
    assert chosen is not None and chosen.kind == EXTENDED


def test_due_routine_falls_back_to_the_first_listed(make_window) -> None:
    window = make_window(SETTINGS)
    library = window.library
    first = library.sorted_routines()[0]
    assert due_routine(library, Settings(last_routine="gone"), DAILY) == first
    assert due_routine(library, SETTINGS, DAILY) == library.routine(QUICK_ID)


def test_ctrl_q_in_the_reminder_quits_as_in_the_main_window(
    qtbot, make_window, tmp_path: Path
) -> None:
    from facegym_desktop.ui.actions import ActionId

    window, rig, prompt = prompt_for(qtbot, make_window, tmp_path)
    rig.run_until(local(10, 7, 31))
    shown = prompt.reminder_window
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    with qtbot.waitSignal(window.action_table[ActionId.QUIT].triggered, timeout=1000):
        qtbot.keyClick(shown, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
