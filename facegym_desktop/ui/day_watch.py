"""Noticing that the local date changed: at local midnight, and when asked to check.

The start screen's cards say "today" and "yesterday"; a window left open overnight
must say it anew.  A timer waits for the next local midnight, and because a sleeping
computer's timers run late the window also asks for a check when it is shown or
activated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from facegym_desktop.core.start_screen import seconds_to_next_day
from facegym_desktop.ui.timers import Timer, TimerFactory

if TYPE_CHECKING:
    from datetime import date, datetime


def local_now() -> datetime:
    """The local time, aware of its zone."""
    # Imported on first use: the start screen shows no dates until the history has
    # loaded, and the module takes longer to import than the routines take to load.
    from datetime import datetime

    return datetime.now().astimezone()


def precise_timers(parent: QObject) -> TimerFactory:
    """Like ``timers.qt_timers`` but precise: a coarse timer may be 5 % late, which
    is half an hour on a ten-hour wait."""

    def make(on_timeout: Callable[[], None], single_shot: bool) -> Timer:
        timer = QTimer(parent)
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setSingleShot(single_shot)
        timer.timeout.connect(on_timeout)
        return timer

    return make


class DayWatch(QObject):
    """Signals ``day_changed()`` once the local date differs from the one noted.

    ``local_now`` gives the aware local time; ``timers`` makes the single-shot timer
    (precise Qt timers when None).  Nothing is watched until ``start()``.
    """

    day_changed = Signal()

    def __init__(
        self,
        local_now: Callable[[], datetime],
        timers: TimerFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._local_now = local_now
        self._day: date | None = None
        self._timer = (timers or precise_timers(self))(self.check, True)

    def start(self) -> None:
        """Note today's date and wait for the next local midnight."""
        now = self._local_now()
        self._day = now.date()
        self._timer.setInterval(round(seconds_to_next_day(now) * 1000))
        self._timer.start()

    def check(self) -> None:
        """Signal ``day_changed`` if the date moved on since ``start()`` (then watch
        from the new date); otherwise keep waiting for midnight.  Nothing before
        ``start()``."""
        if self._day is None:
            return
        changed = self._local_now().date() != self._day
        self.start()
        if changed:
            self.day_changed.emit()
