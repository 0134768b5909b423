"""When to remind the person: daily times and the extended-session nudge, on a given clock.

Pure: nothing here reads the clock, the history or a file except :func:`load_state`
and :func:`save_state`.  The caller passes ``now`` (an aware datetime), the local time
zone and what is going on (a session, a locked screen, a full-screen window), and gets
back which reminders are due and when each one fires next::

    schedule = ReminderSchedule(times=(time(7, 30),), remind_extended=True,
                                extended_due_on=date(2026, 3, 29))
    state = load_state(path, now)            # or new_state(now) when turned on
    plan = plan_reminders(schedule, state, now, local_zone(), Conditions(session_running=False))
    show(plan.due)                           # then remember that they fired
    state = mark_fired(state, plan.due, now) # or snooze(state, plan.due, now), skip_today(...)
    timer_at = plan.next_at                  # wake up then (and on wake, unlock) and ask again

Rules (each tested in tests/core/test_reminders.py; the first two in every zone, near
every clock change, in tests/core/test_reminders_properties.py):

* A daily reminder fires at the local wall time the person set, in the zone the
  computer is in *now*: after a daylight-saving change or a flight it still fires at
  07:30 on the local clock.  A wall time that does not exist that day (the hour
  skipped in spring) fires at the first valid instant after it (the moment of the
  change); a wall time that happens twice (the hour repeated in autumn) fires once,
  at its first occurrence.  Asked during the second pass of that hour, a reminder
  whose first occurrence went by unfired is due now; otherwise its next firing is
  tomorrow's.  A firing that is not due is always after ``now``: instants are
  compared in UTC (:func:`instant`), never by their wall times.
* A reminder fires at most once per local day.  One that already fired counts as
  done for the local date it fired on, read in today's zone, so a flight west does not
  repeat it the same evening and a flight across the date line into "yesterday"
  still gets tomorrow's.
* A reminder whose time passed while the computer slept fires once on wake if it is
  still the same local day; otherwise that day's reminder is dropped.  Times before
  :attr:`ReminderState.since` (when reminders were turned on) never fire, so turning
  on a 07:30 reminder in the evening does not fire it at once.
* While a session runs, the screen is locked or a full-screen window is in front, due
  reminders wait (:attr:`ReminderPlan.waiting`) and fire once afterwards, the same
  local day.
* The extended nudge fires on the day the extended session is due and every later day
  until one is done, at the first daily reminder time, or at
  :data:`EXTENDED_DEFAULT_TIME` when no daily time is set.
* "In 30 minutes" (:func:`snooze`) marks what was due as fired and fires one snooze
  reminder at that instant (an absolute instant: a zone change does not move it).
  "Skip today" (:func:`skip_today`) drops every reminder, and any snooze, for the
  rest of the local day.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from facegym_desktop.core.atomic_file import atomic_text
from facegym_desktop.core.date_range import FIRST_DAY, LAST_DAY, instant_fault
from facegym_desktop.core.setting_kinds import shown_value
from facegym_desktop.core.stats import Goals
from facegym_desktop.core.text_decoding import decode_text
from facegym_desktop.core.wall_time import EXTENDED_DEFAULT_WALL_TIME, wall_time_parts

EXTENDED_DEFAULT_TIME = time(*wall_time_parts(EXTENDED_DEFAULT_WALL_TIME))
"""When the extended nudge fires on a day with no daily reminder time set."""
SNOOZE_MINUTES = 30
"""How long "In 30 minutes" waits."""
DAILY = "daily"
EXTENDED = "extended"
SNOOZE = "snooze"
EXTENDED_ID = "extended"
SNOOZE_ID = "snooze"
STATE_VERSION = 1
_SEARCH_DAYS = 400  # how far ahead to look for a next firing (the extended due date)


def parse_wall_time(text: str) -> time:
    """``"07:30"`` (or ``"7:30"``) as a time of day; ValueError for anything else."""
    return time(*wall_time_parts(text))


def format_wall_time(moment: time) -> str:
    """A time of day as ``"HH:MM"``."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def daily_id(moment: time) -> str:
    """The id of the daily reminder at ``moment``: ``"daily-07:30"``."""
    return f"{DAILY}-{format_wall_time(moment)}"


def extended_due_on(goals: Goals, today: date) -> date:
    """The local date the extended session is due, from the history's goals.

    Today when none was ever done or it is overdue; otherwise today plus the days left.
    """
    return today + timedelta(days=max(0, goals.extended_due_in_days))


@dataclass(frozen=True)
class ReminderSchedule:
    """What the person asked for.

    ``times``: daily local wall times (seconds ignored); ``remind_extended``: nudge on
    the day an extended session is due; ``extended_due_on``: that local date (see
    :func:`extended_due_on`), None when unknown (then no nudge).
    """

    times: tuple[time, ...] = ()
    remind_extended: bool = False
    extended_due_on: date | None = None

    def reminders(self) -> tuple[Reminder, ...]:
        """Every enabled reminder except a snooze, daily ones by time then the nudge."""
        unique = sorted({moment.replace(second=0, microsecond=0) for moment in self.times})
        found = [Reminder(daily_id(moment), DAILY, moment) for moment in unique]
        if self.remind_extended and self.extended_due_on is not None:
            at = unique[0] if unique else EXTENDED_DEFAULT_TIME
            found.append(Reminder(EXTENDED_ID, EXTENDED, at))
        return tuple(found)


@dataclass(frozen=True)
class Reminder:
    """One reminder: ``id`` (stable, for the state), ``kind`` (daily, extended or
    snooze) and its local wall time (None for a snooze, which has an instant)."""

    id: str
    kind: str
    wall_time: time | None


@dataclass(frozen=True)
class Firing:
    """A reminder and the instant it fires (aware, in the local zone)."""

    reminder: Reminder
    at: datetime


@dataclass(frozen=True)
class Conditions:
    """What keeps a due reminder waiting: a session, a locked screen, a full-screen window."""

    session_running: bool = False
    screen_locked: bool = False
    fullscreen_in_front: bool = False

    @property
    def blocked(self) -> bool:
        """Whether reminders must wait now."""
        return self.session_running or self.screen_locked or self.fullscreen_in_front


@dataclass(frozen=True)
class ReminderState:
    """What happened: the instant each reminder last fired (by id), the local date
    skipped with "Skip today", the instant a snooze fires, since when reminders have
    been on (None: always; see :func:`new_state`), and whether the person was told that
    closing the window keeps the app (and its reminders) in the tray.  All instants
    aware."""

    last_fired: Mapping[str, datetime] = field(default_factory=lambda: MappingProxyType({}))
    skipped_on: date | None = None
    snoozed_until: datetime | None = None
    since: datetime | None = None
    told_about_tray: bool = False


def new_state(now: datetime) -> ReminderState:
    """The state when reminders are turned on at ``now``: nothing earlier fires."""
    _require_aware(now, "now")
    return ReminderState(since=now)


@dataclass(frozen=True)
class ReminderPlan:
    """The answer for one ``now``.

    ``due``: fire these now (empty while blocked); ``waiting``: due but held back by
    :class:`Conditions`; ``upcoming``: the next firing of every enabled reminder,
    soonest first (a due or waiting one appears with its scheduled instant).
    """

    due: tuple[Firing, ...]
    waiting: tuple[Firing, ...]
    upcoming: tuple[Firing, ...]

    @property
    def next_at(self) -> datetime | None:
        """The soonest instant after the due and waiting ones; when to ask again."""
        pending = {firing.reminder.id for firing in (*self.due, *self.waiting)}
        later = [firing.at for firing in self.upcoming if firing.reminder.id not in pending]
        return min(later, key=instant) if later else None


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must carry a UTC offset")
    fault = instant_fault(moment)
    if fault is not None:
        raise ValueError(f"{name}: {fault}")


def instant(moment: datetime) -> datetime:
    """An aware ``moment`` in UTC, for comparing and sorting instants.

    Two datetimes in the same zone compare by their wall times, which in the hour an
    autumn change repeats puts 02:45 (summer time) after 02:30 (winter time), an hour
    later in fact; in UTC they compare as instants.
    """
    return moment.astimezone(UTC)


def _firing_order(firing: Firing) -> tuple[datetime, str]:
    return instant(firing.at), firing.reminder.id


def local_instant(day: date, wall_time: time, zone: tzinfo) -> datetime:
    """The instant the local clock in ``zone`` shows ``wall_time`` on ``day``.

    A wall time skipped by a daylight-saving change gives the first valid instant
    after it (the moment of the change); a repeated one gives its first occurrence.
    The result is aware, in ``zone``.
    """
    naive = datetime.combine(day, wall_time.replace(tzinfo=None))
    first = naive.replace(tzinfo=zone, fold=0)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive:
        return first
    # In a gap: fold=0 reads the wall time with the offset before the change (the
    # later instant), fold=1 with the offset after (the earlier one).  The change
    # lies between them; find its first second by bisection.
    early = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    late = first.astimezone(UTC)
    after = late.astimezone(zone).utcoffset()
    low, high = 0, int((late - early).total_seconds())
    while low < high:
        middle = (low + high) // 2
        if (early + timedelta(seconds=middle)).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle + 1
    return (early + timedelta(seconds=low)).astimezone(zone)


def _fired_on(state: ReminderState, reminder_id: str, zone: tzinfo) -> date | None:
    fired = state.last_fired.get(reminder_id)
    return None if fired is None else fired.astimezone(zone).date()


def _occurs_on(reminder: Reminder, schedule: ReminderSchedule, day: date) -> bool:
    if reminder.kind == EXTENDED:
        return schedule.extended_due_on is not None and day >= schedule.extended_due_on
    return True


def _next_firing(
    reminder: Reminder,
    schedule: ReminderSchedule,
    state: ReminderState,
    local_now: datetime,
    zone: tzinfo,
) -> tuple[Firing | None, bool]:
    """The reminder's next firing and whether it is due now (before conditions)."""
    assert reminder.wall_time is not None
    today = local_now.date()
    now = instant(local_now)
    fired_on = _fired_on(state, reminder.id, zone)
    # The search stops a day short of the calendar's end (see LAST_DAY).
    for offset in range(min(_SEARCH_DAYS, (date.max - today).days - 1)):
        day = today + timedelta(days=offset)
        if day == state.skipped_on or not _occurs_on(reminder, schedule, day):
            continue
        if fired_on is not None and fired_on >= day:
            continue
        at = local_instant(day, reminder.wall_time, zone)
        if offset == 0 and instant(at) <= now:
            if state.since is not None and instant(at) < instant(state.since):
                continue
            return Firing(reminder, at), True
        if instant(at) > now:
            return Firing(reminder, at), False
    return None, False


def plan_reminders(
    schedule: ReminderSchedule,
    state: ReminderState,
    now: datetime,
    zone: tzinfo,
    conditions: Conditions = Conditions(),
) -> ReminderPlan:
    """Which reminders are due at ``now`` and when each fires next (see module rules).

    ``now`` must be aware (ValueError otherwise); ``zone`` is the local time zone now
    (a ``zoneinfo.ZoneInfo`` so future days get their own offsets).
    """
    _require_aware(now, "now")
    local_now = now.astimezone(zone)
    due: list[Firing] = []
    upcoming: list[Firing] = []
    for reminder in schedule.reminders():
        firing, is_due = _next_firing(reminder, schedule, state, local_now, zone)
        if firing is None:
            continue
        upcoming.append(firing)
        if is_due:
            due.append(firing)
    snoozed = state.snoozed_until
    if snoozed is not None:
        snooze_at = snoozed.astimezone(zone)
        same_day = snooze_at.date() == local_now.date()
        if instant(snooze_at) > instant(local_now):
            upcoming.append(Firing(Reminder(SNOOZE_ID, SNOOZE, None), snooze_at))
        elif same_day and snooze_at.date() != state.skipped_on:
            firing = Firing(Reminder(SNOOZE_ID, SNOOZE, None), snooze_at)
            upcoming.append(firing)
            due.append(firing)
    upcoming.sort(key=_firing_order)
    due.sort(key=_firing_order)
    if conditions.blocked:
        return ReminderPlan((), tuple(due), tuple(upcoming))
    return ReminderPlan(tuple(due), (), tuple(upcoming))


def mark_fired(state: ReminderState, firings: Iterable[Firing], now: datetime) -> ReminderState:
    """The state after showing ``firings`` at ``now`` (a shown snooze is cleared)."""
    _require_aware(now, "now")
    last_fired = dict(state.last_fired)
    snoozed_until = state.snoozed_until
    for firing in firings:
        if firing.reminder.kind == SNOOZE:
            snoozed_until = None
        else:
            last_fired[firing.reminder.id] = now
    return replace(state, last_fired=MappingProxyType(last_fired), snoozed_until=snoozed_until)


def snooze(
    state: ReminderState,
    firings: Iterable[Firing],
    now: datetime,
    minutes: float = SNOOZE_MINUTES,
) -> ReminderState:
    """"In 30 minutes": ``firings`` (what was just shown) count as fired, and one
    snooze reminder fires ``minutes`` after ``now``."""
    shown = mark_fired(state, firings, now)
    return replace(shown, snoozed_until=now + timedelta(minutes=minutes))


def skip_today(state: ReminderState, now: datetime, zone: tzinfo) -> ReminderState:
    """"Skip today": nothing more fires on the local date of ``now`` in ``zone``."""
    _require_aware(now, "now")
    return replace(state, skipped_on=now.astimezone(zone).date(), snoozed_until=None)


class LocalZone(NamedTuple):
    """The local time zone and, when ``TZ`` names none this computer knows, one line
    saying so and what is used instead (None when all is well)."""

    zone: tzinfo
    problem: str | None = None


def _named_zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _fixed_zone_now() -> tzinfo:
    """The UTC offset the C library applies now (it reads ``TZ`` rule strings too)."""
    fixed = datetime.now(UTC).astimezone().tzinfo
    return fixed if fixed is not None else UTC


def read_local_zone(environ: Mapping[str, str] | None = None) -> LocalZone:
    """The computer's time zone now, with its daylight-saving rules when they can be found.

    Reads ``TZ`` (an IANA name such as ``Europe/Berlin``; a leading ``:`` is
    allowed), else the zone ``/etc/localtime`` links to; otherwise (Windows without
    the tzdata package, an unusual set-up) the fixed UTC offset in force now, which
    cannot follow a daylight-saving change until the next call.  A ``TZ`` that is set
    but names no zone known here (a typing error, a POSIX rule string) gives that
    fixed offset, as the C library reads ``TZ``, and a :attr:`LocalZone.problem`.
    """
    name = (os.environ if environ is None else environ).get("TZ", "").lstrip(":")
    if name:
        zone = _named_zone(name)
        if zone is not None:
            return LocalZone(zone)
        fixed = _fixed_zone_now()
        offset = datetime.now(fixed).strftime("%z")
        return LocalZone(
            fixed,
            f"TZ={shown_value(name)} is not a time zone name known here (like Europe/Berlin); "
            f"using the UTC offset in force now, {offset[:3]}:{offset[3:]}, "
            "which does not follow daylight-saving changes",
        )
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        zone = _named_zone(target.split("zoneinfo/", 1)[1])
        if zone is not None:
            return LocalZone(zone)
    return LocalZone(_fixed_zone_now())


def local_zone(environ: Mapping[str, str] | None = None) -> tzinfo:
    """The local time zone (see :func:`read_local_zone`), without its problem line."""
    return read_local_zone(environ).zone


# ------------------------------------------------------------------ the state file


def state_to_json(state: ReminderState) -> dict[str, Any]:
    """The state as a JSON object (instants in ISO 8601 with their offset)."""
    return {
        "version": STATE_VERSION,
        "last_fired": {key: value.isoformat() for key, value in state.last_fired.items()},
        "skipped_on": state.skipped_on.isoformat() if state.skipped_on else None,
        "snoozed_until": state.snoozed_until.isoformat() if state.snoozed_until else None,
        "since": state.since.isoformat() if state.since else None,
        "told_about_tray": state.told_about_tray,
    }


def _aware(text: object) -> datetime | None:
    """An instant of the state file; None for text that is none, has no offset or
    lies out of range (:func:`instant_fault`)."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.utcoffset() is None or instant_fault(moment) is not None:
        return None
    return moment


def state_from_json(data: object) -> ReminderState:
    """The state a JSON object holds; anything unusable is left out (never raises)."""
    if not isinstance(data, Mapping):
        return ReminderState()
    fired_raw = data.get("last_fired")
    last_fired: dict[str, datetime] = {}
    if isinstance(fired_raw, Mapping):
        for key, value in fired_raw.items():
            moment = _aware(value)
            if isinstance(key, str) and moment is not None:
                last_fired[key] = moment
    skipped: date | None = None
    if isinstance(data.get("skipped_on"), str):
        try:
            skipped = date.fromisoformat(data["skipped_on"])
        except ValueError:
            skipped = None
    return ReminderState(
        last_fired=MappingProxyType(last_fired),
        skipped_on=skipped,
        snoozed_until=_aware(data.get("snoozed_until")),
        since=_aware(data.get("since")),
        told_about_tray=data.get("told_about_tray") is True,
    )


def load_state(path: Path, now: datetime) -> ReminderState:
    """Read the state file; a missing or unreadable one is :func:`new_state` at ``now``."""
    try:
        return state_from_json(json.loads(decode_text(path.read_bytes())))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return new_state(now)


def save_state(path: Path, state: ReminderState) -> None:
    """Write the state file atomically (core/atomic_file.py).  Raises OSError when it
    cannot be written; no temporary file is left then."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_text(path) as handle:
        json.dump(state_to_json(state), handle, indent=2, sort_keys=True)


def wall_times(texts: Sequence[str]) -> tuple[time, ...]:
    """``("07:30", "21:00")`` as times; ValueError naming the first bad one."""
    return tuple(parse_wall_time(text) for text in texts)


__all__ = [
    "EXTENDED_DEFAULT_TIME",
    "SNOOZE_MINUTES",
    "Conditions",
    "Firing",
    "Reminder",
    "ReminderPlan",
    "ReminderSchedule",
    "ReminderState",
    "daily_id",
    "extended_due_on",
    "format_wall_time",
    "load_state",
    "local_instant",
    "local_zone",
    "FIRST_DAY",
    "LAST_DAY",
    "LocalZone",
    "instant_fault",
    "instant",
    "read_local_zone",
    "mark_fired",
    "new_state",
    "parse_wall_time",
    "plan_reminders",
    "save_state",
    "skip_today",
    "snooze",
    "state_from_json",
    "state_to_json",
    "wall_times",
]
