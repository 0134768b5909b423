"""The reminders while the app runs: :mod:`facegym_desktop.core.reminders` on a timer.

:class:`ReminderService` asks the scheduler what is due, shows it once through its
``due`` signal, saves the state file, and arms one single-shot timer for the next
instant.  It asks again at least every :data:`RECHECK_MINUTES` (a suspended computer
or a changed clock is noticed within that), every :data:`WAITING_RECHECK_SECONDS`
while a due reminder waits (a locked screen gives no signal), when the app becomes
active again and whenever :meth:`check` is called (a session ended, a setting
changed).  The clock, the time zone, the timers and what keeps reminders waiting are
injected, so tests run it on a fake clock with fake timers.

Loaded after the first frame: this module imports ``datetime`` (see
``tests/e2e/test_smoke.py``).

What keeps reminders waiting (:func:`desktop_conditions`), best effort:

* a session: the window's session controller says so;
* a full-screen window in front: the window that has the keyboard focus, when it is
  one of this app's (Qt cannot see other programs' windows);
* a locked screen: the freedesktop ``org.freedesktop.ScreenSaver`` ``GetActive`` call
  on the session bus (QtDBus).  Where there is no session bus or no such service
  (Windows, macOS, some desktops) the screen counts as unlocked, so reminders are
  never held back for good.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication

from facegym_desktop.core.reminders import (
    EXTENDED,
    Conditions,
    Firing,
    Reminder,
    ReminderSchedule,
    ReminderState,
    load_state,
    local_zone,
    mark_fired,
    plan_reminders,
    save_state,
    skip_today,
    snooze,
    wall_times,
)
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.timers import TimerFactory, qt_timers

log = logging.getLogger(__name__)

RECHECK_MINUTES = 10
"""The longest the service waits before asking the scheduler again."""
WAITING_RECHECK_SECONDS = 60
"""How often it asks again while a due reminder waits (locked screen, full screen)."""
JUMP_SECONDS = 120
"""A timer that fires this much later than armed means the computer slept or the
clock was changed (logged; the next check catches up either way)."""
SCREEN_SAVER_TIMEOUT_MS = 250


def reminders_on(settings: Settings) -> bool:
    """Whether any reminder is asked for: a daily time, or the extended nudge."""
    return bool(settings.reminder_times) or settings.remind_extended


def local_now() -> datetime:
    """The time now, aware, in the computer's zone."""
    return datetime.now().astimezone()


class ReminderService(QObject):
    """Drives the reminder scheduler.  Signals: ``due(Reminder)`` once per firing.

    ``settings()`` gives the settings now (reminder times, the extended nudge);
    ``state_path`` is the state file (read by :meth:`start`, written after each
    firing, snooze and skip).  ``conditions()`` says what keeps reminders waiting;
    ``now()`` gives an aware datetime, ``zone()`` the local time zone (a ZoneInfo);
    ``timers`` makes the single-shot timer (Qt timers when None).  ``on_error(line)``
    hears of a state file that cannot be written.
    """

    due = Signal(object)

    def __init__(
        self,
        settings: Callable[[], Settings],
        state_path: Path,
        *,
        conditions: Callable[[], Conditions] = Conditions,
        now: Callable[[], datetime] = local_now,
        zone: Callable[[], tzinfo] = local_zone,
        timers: TimerFactory | None = None,
        on_error: Callable[[str], None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._path = state_path
        self._conditions = conditions
        self._now = now
        self._zone = zone
        self._on_error = on_error
        self._timer = (timers or qt_timers(self))(self._on_timeout, True)
        self._state: ReminderState | None = None
        self._extended_due_on: date | None = None
        self._shown: tuple[Firing, ...] = ()
        self._armed_for: datetime | None = None
        self._next_at: datetime | None = None
        self._watching = False

    # ------------------------------------------------------------------ queries

    @property
    def state(self) -> ReminderState:
        """What happened so far (read from the state file by :meth:`start`)."""
        if self._state is None:
            raise RuntimeError("the reminder service has not started")
        return self._state

    @property
    def enabled(self) -> bool:
        """Whether the settings ask for any reminder."""
        return reminders_on(self._settings())

    @property
    def paused_today(self) -> bool:
        """Whether "Skip today" silenced the rest of today."""
        today = self._now().astimezone(self._zone()).date()
        return self._state is not None and self._state.skipped_on == today

    @property
    def next_at(self) -> datetime | None:
        """When the next reminder fires, as the last check saw it (None: none is on)."""
        return self._next_at

    def schedule(self) -> ReminderSchedule:
        """What the settings ask for, with the extended due date the history gave."""
        settings = self._settings()
        return ReminderSchedule(
            times=wall_times(settings.reminder_times),
            remind_extended=settings.remind_extended,
            extended_due_on=self._extended_due_on,
        )

    # ------------------------------------------------------------------ commands

    def start(self) -> None:
        """Read the state file (a missing one: nothing earlier than now fires), check,
        and follow the app becoming active again (after a suspend or an unlock)."""
        self._state = load_state(self._path, self._now())
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and not self._watching:
            app.applicationStateChanged.connect(self._on_application_state)
            self._watching = True
        self.check()

    def stop(self) -> None:
        """Fire nothing more until :meth:`start`."""
        self._timer.stop()
        self._armed_for = None
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and self._watching:
            app.applicationStateChanged.disconnect(self._on_application_state)
            self._watching = False
        self._state = None

    def set_extended_due_on(self, day: date | None) -> None:
        """The local date the extended session is due (from the history); then check."""
        if day != self._extended_due_on:
            self._extended_due_on = day
            self.check()

    def settings_changed(self) -> None:
        """The reminder settings changed: nothing scheduled before now fires, then check.

        (A 07:30 reminder added at noon waits for tomorrow instead of firing at once.)
        """
        if self._state is not None:
            self._state = replace(self._state, since=self._now())
            self._save()
        self.check()

    def check(self) -> None:
        """Fire what is due now (unless something keeps it waiting) and arm the timer."""
        if self._state is None:
            return
        now = self._now()
        plan = plan_reminders(self.schedule(), self._state, now, self._zone(), self._conditions())
        self._next_at = plan.next_at
        if plan.due:
            self._state = mark_fired(self._state, plan.due, now)
            self._save()
            self._shown = plan.due
            self.due.emit(_leading(plan.due))
        self._arm(now, plan.next_at, waiting=bool(plan.waiting))

    def snooze(self) -> None:
        """"In 30 minutes": what was shown last fires once more, 30 minutes from now."""
        if self._state is None:
            return
        now = self._now()
        self._state = snooze(self._state, self._shown, now)
        self._save()
        self.check()

    def skip_today(self) -> None:
        """"Skip today": nothing more fires until tomorrow (local date)."""
        if self._state is None:
            return
        self._state = skip_today(self._state, self._now(), self._zone())
        self._save()
        self.check()

    def remember_told_about_tray(self) -> None:
        """Keep (in the state file) that the person was told about closing to the tray."""
        if self._state is not None and not self._state.told_about_tray:
            self._state = replace(self._state, told_about_tray=True)
            self._save()

    # ------------------------------------------------------------------ inside

    def _arm(self, now: datetime, next_at: datetime | None, waiting: bool) -> None:
        if next_at is None and not waiting and not reminders_on(self._settings()):
            self._timer.stop()  # nothing to wait for until a setting changes
            self._armed_for = None
            return
        limits = [timedelta(minutes=RECHECK_MINUTES)]
        if next_at is not None:
            limits.append(next_at - now)
        if waiting:
            limits.append(timedelta(seconds=WAITING_RECHECK_SECONDS))
        delay = max(timedelta(0), min(limits))
        # Whole milliseconds, rounded up so the timer never fires just before the instant.
        self._timer.setInterval(-(-delay // timedelta(milliseconds=1)))
        self._timer.start()
        self._armed_for = now + delay

    def _on_timeout(self) -> None:
        if self._armed_for is not None:
            late = (self._now() - self._armed_for).total_seconds()
            if late > JUMP_SECONDS:
                log.info("reminder timer fired %.0f s late: slept or the clock moved", late)
        self.check()

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()

    def _save(self) -> None:
        assert self._state is not None
        try:
            save_state(self._path, self._state)
        except OSError as error:
            line = f"{self._path}: reminders could not be saved ({error.strerror or error})"
            log.warning("%s", line)
            if self._on_error is not None:
                self._on_error(line)


def _leading(firings: tuple[Firing, ...]) -> Reminder:
    """The reminder to show for firings due together: the extended nudge if among them."""
    for firing in firings:
        if firing.reminder.kind == EXTENDED:
            return firing.reminder
    return firings[0].reminder


# ---------------------------------------------------------------------- conditions


def desktop_conditions(session_running: Callable[[], bool]) -> Callable[[], Conditions]:
    """What keeps reminders waiting on this desktop, best effort (see the module)."""

    def read() -> Conditions:
        return Conditions(
            session_running=session_running(),
            screen_locked=screen_locked(),
            fullscreen_in_front=fullscreen_in_front(),
        )

    return read


def fullscreen_in_front() -> bool:
    """Whether the window with the keyboard focus is full screen (this app's only)."""
    window = QGuiApplication.focusWindow()
    return window is not None and bool(window.windowStates() & Qt.WindowState.WindowFullScreen)


def screen_locked() -> bool:
    """Whether the freedesktop screen saver says the screen is locked; False when no
    session bus, QtDBus or screen saver service answers."""
    try:
        from PySide6.QtDBus import QDBus, QDBusConnection, QDBusMessage
    except ImportError:
        return False
    bus = QDBusConnection.sessionBus()
    if not bus.isConnected():
        return False
    call = QDBusMessage.createMethodCall(
        "org.freedesktop.ScreenSaver",
        "/org/freedesktop/ScreenSaver",
        "org.freedesktop.ScreenSaver",
        "GetActive",
    )
    reply = bus.call(call, QDBus.CallMode.Block, SCREEN_SAVER_TIMEOUT_MS)
    if reply.type() != QDBusMessage.MessageType.ReplyMessage:
        return False
    answer = reply.arguments()
    return bool(answer and answer[0] is True)
