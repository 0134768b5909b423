"""A reminder service on a fake clock and fake timers, and a way to let time pass."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from facegym_desktop.core.reminders import Conditions, Reminder
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.reminder_service import ReminderService
from tests.factories import FakeClock, FakeTimer, FakeTimers

ZONE = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 10, 6, 0, tzinfo=ZONE)  # a Tuesday, well away from DST


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in March 2026."""
    return datetime(2026, 3, day, hour, minute, tzinfo=ZONE)


class ClockedTimer(FakeTimer):
    """A fake timer that notes the wall-clock reading each time it is started."""

    def __init__(self, clock: FakeClock, on_timeout: Callable[[], None], single_shot: bool):
        super().__init__(on_timeout, single_shot)
        self.clock = clock
        self.started_at = clock.wall

    def start(self) -> None:
        super().start()
        self.started_at = self.clock.wall


class ClockedTimers(FakeTimers):
    """Makes clocked timers on ``clock``."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock

    def __call__(self, on_timeout: Callable[[], None], single_shot: bool) -> ClockedTimer:
        timer = ClockedTimer(self.clock, on_timeout, single_shot)
        self.made.append(timer)
        return timer


@dataclass
class Rig:
    """The service with everything it is given, so tests can change the world."""

    service: ReminderService
    clock: FakeClock
    timers: ClockedTimers
    state_path: Path
    settings: list[Settings]
    conditions: list[Conditions]
    fired: list[tuple[datetime, Reminder]] = field(default_factory=list)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.wall, ZONE)

    @property
    def timer(self) -> ClockedTimer:
        """The service's one single-shot timer."""
        [timer] = self.timers.made
        return timer

    def run_until(self, moment: datetime) -> None:
        """Let time pass up to ``moment``, firing the timer whenever its interval ends."""
        for _ in range(10_000):
            timer = self.timer
            ends = timer.started_at + timer.interval() / 1000
            if not timer.isActive() or ends > moment.timestamp():
                self.clock.advance(moment.timestamp() - self.clock.wall)
                return
            self.clock.advance(ends - self.clock.wall)
            timer.fire()
        raise AssertionError("time did not reach the moment")

    def sleep_until(self, moment: datetime) -> None:
        """The computer is suspended until ``moment``; the timer fires late, on wake."""
        self.clock.advance(0, slept=(moment - self.now()).total_seconds())
        self.timer.fire()

    def fired_at(self) -> list[datetime]:
        return [moment for moment, _reminder in self.fired]


def make_rig(
    tmp_path: Path,
    settings: Settings,
    *,
    start: datetime = START,
    on_error: Callable[[str], None] | None = None,
) -> Rig:
    clock = FakeClock(wall=start.timestamp())
    timers = ClockedTimers(clock)
    held = [settings]
    conditions = [Conditions()]
    state_path = tmp_path / "reminders.json"
    service = ReminderService(
        lambda: held[0],
        state_path,
        conditions=lambda: conditions[0],
        now=lambda: datetime.fromtimestamp(clock.wall, ZONE),
        zone=lambda: ZONE,
        timers=timers,
        on_error=on_error,
    )
    rig = Rig(service, clock, timers, state_path, held, conditions)
    service.due.connect(lambda reminder: rig.fired.append((rig.now(), reminder)))
    return rig
