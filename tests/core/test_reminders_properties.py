"""Reminder rules that hold in every time zone, near every clock change.

The times are drawn close to the zone's offset changes (daylight saving, changes of
standard time) as well as anywhere, so the hour skipped in spring and the hour
repeated in autumn come up in every run.
"""

from __future__ import annotations

import functools
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import example, given, settings
from hypothesis import strategies as st

from facegym_desktop.core.reminders import (
    FIRST_DAY,
    LAST_DAY,
    ReminderSchedule,
    ReminderState,
    daily_id,
    instant,
    instant_fault,
    local_instant,
    mark_fired,
    new_state,
    plan_reminders,
    state_from_json,
)

ZONES = sorted(available_timezones() - {"Factory", "localtime"})
FIRST_YEAR, LAST_YEAR = 1990, 2040


@functools.cache
def offset_changes(name: str, year: int) -> tuple[datetime, ...]:
    """The instants (UTC, to the minute) at which ``name`` changes its offset in ``year``."""
    zone = ZoneInfo(name)
    found = []
    step = timedelta(hours=6)
    moment = datetime(year, 1, 1, tzinfo=UTC)
    while moment.year == year:
        after = moment + step
        if moment.astimezone(zone).utcoffset() != after.astimezone(zone).utcoffset():
            low, high = moment, after
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        moment = after
    return tuple(found)


@st.composite
def zone_and_now(draw: st.DrawFn) -> tuple[ZoneInfo, datetime]:
    """A zone and an instant, often within a day and a half of one of its changes."""
    name = draw(st.sampled_from(ZONES))
    year = draw(st.integers(FIRST_YEAR, LAST_YEAR))
    changes = offset_changes(name, year)
    if changes and draw(st.booleans()):
        around = draw(st.sampled_from(changes))
        minutes = draw(st.integers(-36 * 60, 36 * 60))
        now = around + timedelta(minutes=minutes, seconds=draw(st.integers(0, 59)))
    else:
        start = datetime(year, 1, 1, tzinfo=UTC)
        now = start + timedelta(seconds=draw(st.integers(0, 365 * 86400)))
    return ZoneInfo(name), now


ANY_WALL_TIME = st.builds(time, st.integers(0, 23), st.sampled_from([0, 1, 15, 29, 30, 45, 59]))


@st.composite
def wall_times_near(draw: st.DrawFn, zone: ZoneInfo, now: datetime) -> list[time]:
    """One to four daily times, most of them within 90 minutes of ``now``'s wall time
    (inside the skipped or repeated hour when ``now`` is near a change)."""
    local = now.astimezone(zone).replace(tzinfo=None)
    near = st.integers(-90, 90).map(
        lambda minutes: (local + timedelta(minutes=minutes)).time().replace(second=0, microsecond=0)
    )
    return draw(st.lists(st.one_of(near, ANY_WALL_TIME), min_size=1, max_size=4))


@st.composite
def cases(draw: st.DrawFn) -> tuple[ZoneInfo, datetime, list[time]]:
    zone, now = draw(zone_and_now())
    return zone, now, draw(wall_times_near(zone, now))


@settings(max_examples=400, deadline=None)
@given(cases(), st.integers(0, 3 * 86400), st.integers(0, 3 * 86400))
def test_what_is_not_due_fires_after_now_and_what_is_due_fired_today(
    case: tuple[ZoneInfo, datetime, list[time]], since_ago: int, fired_ago: int
) -> None:
    zone, now, times = case
    schedule = ReminderSchedule(times=tuple(times))
    fired = {daily_id(times[0]): now - timedelta(seconds=fired_ago)}
    state = ReminderState(last_fired=fired, since=now - timedelta(seconds=since_ago))
    plan = plan_reminders(schedule, state, now, zone)
    due = {firing.reminder.id for firing in plan.due}
    today = now.astimezone(zone).date()
    assert len({firing.reminder.id for firing in plan.upcoming}) == len(plan.upcoming)
    for firing in plan.upcoming:
        if firing.reminder.id in due:
            assert instant(firing.at) <= now
            assert firing.at.astimezone(zone).date() == today
        else:
            assert instant(firing.at) > now, (firing, now.astimezone(zone))
    assert plan.next_at is None or instant(plan.next_at) > now
    order = [instant(firing.at) for firing in plan.upcoming]
    assert order == sorted(order)


def expected_firings(
    times: list[time], zone: ZoneInfo, start: datetime, end: datetime
) -> Counter[tuple[str, datetime]]:
    """Each wall time once on each local date, at its instant, from start to before end."""
    expected: Counter[tuple[str, datetime]] = Counter()
    first: date = start.astimezone(zone).date()
    for offset in range((end - start).days + 2):
        day = first + timedelta(days=offset)
        for moment in set(times):
            at = instant(local_instant(day, moment, zone))
            if start <= at < end:
                expected[(daily_id(moment), at)] += 1
    return expected


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_clock_that_follows_the_plan_fires_each_time_once_a_day(
    case: tuple[ZoneInfo, datetime, list[time]],
) -> None:
    """An app that wakes exactly when the plan says fires every reminder once on each
    local date, at the instant its wall time first shows, none twice and none
    skipped, across spring-forward and fall-back."""
    zone, start, times = case
    start = start.replace(second=0, microsecond=0)
    end = start + timedelta(days=2)
    schedule = ReminderSchedule(times=tuple(times))
    state = new_state(start)
    now = start
    fired: Counter[tuple[str, datetime]] = Counter()
    while True:
        plan = plan_reminders(schedule, state, now, zone)
        for firing in plan.due:
            assert instant(firing.at) == now  # woken at its instant: on time
            fired[(firing.reminder.id, now)] += 1
        if plan.due:  # shown: ask again, as the app does
            state = mark_fired(state, plan.due, now)
            plan = plan_reminders(schedule, state, now, zone)
            assert not plan.due
        assert plan.next_at is not None and instant(plan.next_at) > now
        now = instant(plan.next_at)
        if now >= end:
            break
    assert fired == expected_firings(times, zone, start, end)


ANY_INSTANT = st.datetimes(
    timezones=st.integers(-1439, 1439).map(lambda m: timezone(timedelta(minutes=m)))
)
EDGE_ZONES = ["Pacific/Kiritimati", "Etc/GMT+12", "Pacific/Apia", "America/Adak", "UTC"]
END = "9999-12-31T23:59:00+00:00"
PLUS_5 = timezone(timedelta(hours=5))


@settings(max_examples=300, deadline=None)
@given(
    ANY_INSTANT,
    st.sampled_from(EDGE_ZONES),
    st.dates(),
    st.lists(ANY_WALL_TIME, min_size=1, max_size=3),
    st.one_of(ANY_INSTANT.map(datetime.isoformat), st.just(END)),
)
@example(datetime(9998, 12, 31, 23, 59, tzinfo=UTC), "Pacific/Kiritimati", date.max, [time(7)], END)
@example(datetime(1970, 1, 1, tzinfo=UTC), "Etc/GMT+12", date.min, [time(23, 59)], END)
@example(datetime(9998, 12, 31, 12, tzinfo=UTC), "Etc/GMT+12", date.max, [time(23, 59)], END)
@example(datetime(9999, 12, 31, 23, 59, tzinfo=UTC), "UTC", date.max, [time(7)], END)
@example(datetime(1, 1, 1, 0, 30, tzinfo=PLUS_5), "UTC", date.min, [time(7)], END)
def test_any_instant_is_planned_or_refused_in_one_line_never_overflowing(
    now: datetime, zone_name: str, due_on: date, times: list[time], kept: str
) -> None:
    """Any instant Python can hold, with any offset, and any instants in the state
    file: in the range every reminder is planned (near either end of the calendar
    too); outside it, one line says the range."""
    schedule = ReminderSchedule(times=tuple(times), remind_extended=True, extended_due_on=due_on)
    fault = instant_fault(now)
    if fault is not None:
        assert FIRST_DAY.isoformat() in fault and LAST_DAY.isoformat() in fault
        assert "\n" not in fault
        return
    state = state_from_json(
        {"last_fired": {daily_id(times[0]): kept}, "snoozed_until": kept, "since": kept}
    )
    plan = plan_reminders(schedule, state, now, ZoneInfo(zone_name))
    assert all(instant(firing.at) > now for firing in plan.upcoming if firing not in plan.due)
