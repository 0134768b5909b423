"""The reminder service on a fake clock: when it fires, when it waits, snooze and skip."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt

from facegym_desktop.core.reminders import (
    DAILY,
    EXTENDED,
    SNOOZE,
    Conditions,
    load_state,
    save_state,
)
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.reminder_service import RECHECK_MINUTES
from tests.ui.reminder_fakes import START, local, make_rig

MORNING = Settings(reminder_times=("07:30",))


def test_fires_once_at_the_set_time_and_saves_the_state(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, MORNING)
    rig.service.start()
    rig.run_until(local(10, 7, 29))
    assert rig.fired == []
    rig.run_until(local(10, 12))
    assert rig.fired_at() == [local(10, 7, 30)]
    assert rig.fired[0][1].kind == DAILY
    saved = load_state(rig.state_path, rig.now())
    assert saved.last_fired["daily-07:30"] == local(10, 7, 30)
    rig.run_until(local(11, 8))
    assert rig.fired_at() == [local(10, 7, 30), local(11, 7, 30)]


def test_the_timer_checks_again_at_least_every_ten_minutes(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, MORNING)
    rig.service.start()
    assert rig.timer.isActive()
    assert rig.timer.interval() == RECHECK_MINUTES * 60 * 1000
    assert rig.service.next_at == local(10, 7, 30)


def test_nothing_is_armed_while_no_reminder_is_on(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, Settings())
    rig.service.start()
    assert not rig.timer.isActive()
    assert not rig.service.enabled
    rig.settings[0] = MORNING
    rig.service.settings_changed()
    assert rig.timer.isActive()


def test_waits_during_a_session_and_fires_once_after_it(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, MORNING)
    rig.service.start()
    rig.run_until(local(10, 7, 20))
    rig.conditions[0] = Conditions(session_running=True)
    rig.run_until(local(10, 7, 45))
    assert rig.fired == []
    assert rig.timer.interval() <= 60_000  # looks again soon while something waits
    rig.conditions[0] = Conditions()
    rig.service.check()  # the session ended
    assert rig.fired_at() == [local(10, 7, 45)]
    rig.run_until(local(10, 23))
    assert len(rig.fired) == 1


def test_a_locked_screen_or_full_screen_window_holds_it_back_too(
    qapp, tmp_path: Path
) -> None:
    rig = make_rig(tmp_path, MORNING)
    rig.service.start()
    rig.conditions[0] = Conditions(screen_locked=True)
    rig.run_until(local(10, 8))
    rig.conditions[0] = Conditions(fullscreen_in_front=True)
    rig.run_until(local(10, 9))
    assert rig.fired == []
    rig.conditions[0] = Conditions()
    rig.run_until(local(10, 9, 2))  # no signal for an unlock: the next look finds it
    assert len(rig.fired) == 1
    assert local(10, 9) <= rig.fired_at()[0] <= local(10, 9, 1)


def test_snooze_fires_thirty_minutes_later(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, MORNING)
    rig.service.start()
    rig.run_until(local(10, 7, 31))
    rig.service.snooze()
    rig.run_until(local(10, 8, 0) - timedelta(seconds=1))
    assert len(rig.fired) == 1
    rig.run_until(local(10, 9))
    assert rig.fired_at() == [local(10, 7, 30), local(10, 8, 1)]
    assert rig.fired[1][1].kind == SNOOZE
    assert load_state(rig.state_path, rig.now()).snoozed_until is None


def test_skip_today_silences_the_rest_of_the_day(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, Settings(reminder_times=("07:30", "12:00", "21:00")))
    rig.service.start()
    rig.run_until(local(10, 7, 31))
    rig.service.skip_today()
    assert rig.service.paused_today
    assert load_state(rig.state_path, rig.now()).skipped_on == local(10, 0).date()
    rig.run_until(local(11, 7, 0))
    assert rig.fired_at() == [local(10, 7, 30)]
    assert not rig.service.paused_today
    rig.run_until(local(11, 8, 0))
    assert rig.fired_at() == [local(10, 7, 30), local(11, 7, 30)]


def test_a_reminder_missed_in_sleep_fires_once_on_wake_the_same_day(
    qapp, tmp_path: Path
) -> None:
    rig = make_rig(tmp_path, MORNING)
    rig.service.start()
    rig.run_until(local(10, 7))
    rig.sleep_until(local(10, 9, 15))
    assert rig.fired_at() == [local(10, 9, 15)]
    rig.run_until(local(10, 20))
    assert len(rig.fired) == 1


def test_a_reminder_missed_in_sleep_until_the_next_day_is_dropped(
    qapp, tmp_path: Path
) -> None:
    rig = make_rig(tmp_path, MORNING)
    rig.service.start()
    rig.run_until(local(10, 7))
    rig.sleep_until(local(11, 6))
    rig.run_until(local(11, 7, 29))
    assert rig.fired == []
    rig.run_until(local(11, 7, 31))
    assert rig.fired_at() == [local(11, 7, 30)]


def test_the_app_becoming_active_checks_at_once(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, MORNING)
    rig.service.start()
    rig.clock.advance(0, slept=(local(10, 8) - START).total_seconds())
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert rig.fired_at() == [local(10, 8)]
    rig.service.stop()
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert len(rig.fired) == 1


def test_a_time_added_for_earlier_today_waits_for_tomorrow(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, Settings(reminder_times=("21:00",)))
    rig.service.start()
    rig.run_until(local(10, 10))
    rig.settings[0] = Settings(reminder_times=("07:30", "21:00"))
    rig.service.settings_changed()
    assert rig.fired == []
    rig.run_until(local(11, 8))
    assert rig.fired_at() == [local(10, 21), local(11, 7, 30)]


def test_a_state_file_from_earlier_is_read_at_start(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, MORNING, start=local(10, 9))
    earlier = load_state(rig.state_path, local(9, 6))  # missing: reminders on since then
    save_state(rig.state_path, replace(earlier, skipped_on=local(10, 0).date()))
    rig.service.start()
    rig.run_until(local(10, 23))
    assert rig.fired == []  # skipped today, in an earlier run of the app


def test_the_extended_nudge_leads_when_due_with_a_daily_one(qapp, tmp_path: Path) -> None:
    rig = make_rig(tmp_path, Settings(reminder_times=("07:30",), remind_extended=True))
    rig.service.start()
    rig.service.set_extended_due_on(local(10, 0).date())
    rig.run_until(local(10, 8))
    assert [reminder.kind for _at, reminder in rig.fired] == [EXTENDED]
    state = load_state(rig.state_path, rig.now())
    assert set(state.last_fired) == {"daily-07:30", "extended"}


def test_a_state_file_that_cannot_be_written_is_reported(qapp, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    lines: list[str] = []
    rig = make_rig(blocker, MORNING, on_error=lines.append)  # its folder is a file
    rig.service.start()
    rig.run_until(local(10, 8))
    assert len(rig.fired) == 1  # shown all the same
    assert len(lines) == 1 and "reminders could not be saved" in lines[0]
