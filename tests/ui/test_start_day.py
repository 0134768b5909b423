"""The start screen follows the calendar while the window stays open."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from facegym_desktop.core.start_screen import seconds_to_next_day
from facegym_desktop.ui.routine_cards import CARD_ROLE
from tests.factories import FakeTimers
from tests.ui.window_driver import QUICK_ID

ZONE = timezone(timedelta(hours=2))


class LocalClock:
    """A local time that moves only when the test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def last_done_of(window, routine_id: str) -> str:
    routines = window.start_view.routine_list
    items = [routines.item(i) for i in range(routines.count())]
    [card] = [i.data(CARD_ROLE) for i in items if i.data(CARD_ROLE).routine_id == routine_id]
    return card.last_done


@pytest.fixture
def evening() -> LocalClock:
    return LocalClock(datetime(2026, 3, 10, 23, 58, 30, tzinfo=ZONE))


def test_seconds_to_next_day_counts_to_local_midnight() -> None:
    assert seconds_to_next_day(datetime(2026, 3, 10, 23, 58, 30, tzinfo=ZONE)) == 90
    assert seconds_to_next_day(datetime(2026, 3, 10, 0, 0, tzinfo=ZONE)) == 86400
    assert seconds_to_next_day(datetime(2026, 3, 10, 23, 59, 59, 900000, tzinfo=ZONE)) == 1


def test_today_becomes_yesterday_at_midnight(qtbot, make_window, evening) -> None:
    timers = FakeTimers()
    window = make_window(local_now=evening, timers=timers)
    window.recorder.last_done_changed.emit({QUICK_ID: evening.now - timedelta(hours=1)})
    assert last_done_of(window, QUICK_ID) == "today"
    midnight = timers.only(single_shot=True)
    assert midnight.isActive() and midnight.interval() == 90_000
    window.start_view.set_minutes(2.0, notify=True)  # a length chosen, not yet used

    evening.now += timedelta(seconds=90)
    midnight.fire()
    assert last_done_of(window, QUICK_ID) == "yesterday"
    assert window.start_view.selected_routine_id() == QUICK_ID
    assert window.start_screen.minutes == 2.0  # the choice on show stays
    assert midnight.isActive() and midnight.interval() == 86_400_000


def test_a_timer_that_fires_early_changes_nothing(qtbot, make_window, evening) -> None:
    timers = FakeTimers()
    window = make_window(local_now=evening, timers=timers)
    window.recorder.last_done_changed.emit({QUICK_ID: evening.now})
    timers.only(single_shot=True).fire()
    assert last_done_of(window, QUICK_ID) == "today"
    assert timers.only(single_shot=True).isActive()  # still waiting for midnight


def test_activating_the_window_catches_up_after_sleep(qtbot, make_window, evening) -> None:
    window = make_window(local_now=evening, timers=FakeTimers())
    window.recorder.last_done_changed.emit({QUICK_ID: evening.now})
    evening.now += timedelta(days=2)  # the computer slept; the timer did not fire
    QApplication.sendEvent(window, QEvent(QEvent.Type.ActivationChange))
    assert last_done_of(window, QUICK_ID) == "2 days ago"


def test_showing_the_window_catches_up(qtbot, make_window, evening) -> None:
    window = make_window(local_now=evening, timers=FakeTimers())
    window.recorder.last_done_changed.emit({QUICK_ID: evening.now})
    window.hide()
    evening.now += timedelta(days=1)
    window.show()
    assert last_done_of(window, QUICK_ID) == "yesterday"
