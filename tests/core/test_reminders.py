"""Reminders on a fake clock: wall times across DST and travel, suspend, sessions, snooze."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from facegym_desktop.core.reminders import (
    EXTENDED_DEFAULT_TIME,
    Conditions,
    Firing,
    ReminderPlan,
    ReminderSchedule,
    ReminderState,
    extended_due_on,
    load_state,
    local_instant,
    mark_fired,
    new_state,
    parse_wall_time,
    plan_reminders,
    save_state,
    skip_today,
    snooze,
)
from facegym_desktop.core.stats import DayTotals, goals

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
HONOLULU = ZoneInfo("Pacific/Honolulu")
KIRITIMATI = ZoneInfo("Pacific/Kiritimati")  # UTC+14
MORNING = ReminderSchedule(times=(time(7, 30),))


def at(zone: ZoneInfo, *fields: int, fold: int = 0) -> datetime:
    return datetime(*fields, tzinfo=zone, fold=fold)  # type: ignore[arg-type,misc]


class FakeClock:
    """A clock the test moves by hand; the app polls plan_reminders on it.

    It moves in real time (through UTC): adding to a datetime in a ZoneInfo zone
    moves its wall time instead, which passes through the hour skipped in spring.
    """

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, **delta: float) -> datetime:
        self.now = (self.now.astimezone(UTC) + timedelta(**delta)).astimezone(self.now.tzinfo)
        return self.now


def fired_times(
    schedule: ReminderSchedule,
    start: datetime,
    end: datetime,
    zone_at: Callable[[datetime], ZoneInfo],
    step: timedelta = timedelta(minutes=1),
    conditions_at: Callable[[datetime], Conditions] | None = None,
) -> list[tuple[str, datetime]]:
    """Poll every ``step`` from start to end, firing what is due; returns (id, local now)."""
    clock = FakeClock(start)
    state = ReminderState()
    fired: list[tuple[str, datetime]] = []
    while clock.now <= end:
        zone = zone_at(clock.now)
        conditions = conditions_at(clock.now) if conditions_at else Conditions()
        plan = plan_reminders(schedule, state, clock.now, zone, conditions)
        for firing in plan.due:
            fired.append((firing.reminder.id, clock.now.astimezone(zone)))
        state = mark_fired(state, plan.due, clock.now)
        clock.advance(seconds=step.total_seconds())
    return fired


def only_zone(zone: ZoneInfo) -> Callable[[datetime], ZoneInfo]:
    return lambda now: zone


def test_a_daily_reminder_fires_once_at_its_wall_time() -> None:
    start = at(BERLIN, 2026, 6, 1, 0, 0)
    fired = fired_times(MORNING, start, start + timedelta(days=3), only_zone(BERLIN))
    assert [(rid, moment.isoformat()) for rid, moment in fired] == [
        ("daily-07:30", "2026-06-01T07:30:00+02:00"),
        ("daily-07:30", "2026-06-02T07:30:00+02:00"),
        ("daily-07:30", "2026-06-03T07:30:00+02:00"),
    ]


def test_spring_forward_gap_fires_at_the_change() -> None:
    # Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    schedule = ReminderSchedule(times=(time(2, 30),))
    assert local_instant(date(2026, 3, 29), time(2, 30), BERLIN).isoformat() == (
        "2026-03-29T03:00:00+02:00"
    )
    start = at(BERLIN, 2026, 3, 29, 0, 0)
    fired = fired_times(schedule, start, start + timedelta(days=2), only_zone(BERLIN))
    assert [moment.isoformat() for _, moment in fired] == [
        "2026-03-29T03:00:00+02:00",
        "2026-03-30T02:30:00+02:00",
    ]


def test_fall_back_repeated_hour_fires_once_at_its_first_occurrence() -> None:
    # Berlin 2026-10-25: 03:00 CEST goes back to 02:00 CET; 02:30 happens twice.
    schedule = ReminderSchedule(times=(time(2, 30),))
    start = at(BERLIN, 2026, 10, 25, 0, 0)
    fired = fired_times(schedule, start, start + timedelta(days=2), only_zone(BERLIN))
    assert [moment.isoformat() for _, moment in fired] == [
        "2026-10-25T02:30:00+02:00",
        "2026-10-26T02:30:00+01:00",
    ]


def test_new_york_keeps_the_wall_time_across_both_changes() -> None:
    for first_day in (date(2026, 3, 7), date(2026, 10, 31)):
        start = datetime.combine(first_day, time(0, 0), tzinfo=NEW_YORK)
        fired = fired_times(
            MORNING, start, start + timedelta(days=3), only_zone(NEW_YORK), timedelta(minutes=5)
        )
        assert [(moment.date(), moment.time()) for _, moment in fired] == [
            (first_day + timedelta(days=n), time(7, 30)) for n in range(3)
        ]
        offsets = {moment.utcoffset() for _, moment in fired}
        assert len(offsets) == 2  # the same wall time on both sides of the change
    gap = local_instant(date(2026, 3, 8), time(2, 15), NEW_YORK)
    assert gap.isoformat() == "2026-03-08T03:00:00-04:00"


def test_travel_east_fires_at_the_new_local_wall_time() -> None:
    # Leave New York on 1 June after the reminder; arrive in Berlin the next morning.
    landing = datetime(2026, 6, 2, 4, 0, tzinfo=UTC)

    def zone_at(now: datetime) -> ZoneInfo:
        return NEW_YORK if now < landing else BERLIN

    start = at(NEW_YORK, 2026, 6, 1, 6, 0)
    fired = fired_times(MORNING, start, at(BERLIN, 2026, 6, 3, 12, 0), zone_at)
    assert [moment.isoformat() for _, moment in fired] == [
        "2026-06-01T07:30:00-04:00",
        "2026-06-02T07:30:00+02:00",
        "2026-06-03T07:30:00+02:00",
    ]


def test_travel_west_the_same_evening_does_not_repeat_it() -> None:
    evening = ReminderSchedule(times=(time(21, 0),))
    landing = datetime(2026, 6, 1, 21, 30, tzinfo=UTC)  # 17:30 in New York

    def zone_at(now: datetime) -> ZoneInfo:
        return BERLIN if now < landing else NEW_YORK

    start = at(BERLIN, 2026, 6, 1, 12, 0)
    fired = fired_times(evening, start, at(NEW_YORK, 2026, 6, 2, 23, 0), zone_at)
    assert [moment.isoformat() for _, moment in fired] == [
        "2026-06-01T21:00:00+02:00",
        "2026-06-02T21:00:00-04:00",
    ]


def test_crossing_the_date_line_into_yesterday_still_fires_tomorrow() -> None:
    # Fired in Tokyo on 2 June; landing in Honolulu it is 1 June again.
    fired_in_tokyo = at(TOKYO, 2026, 6, 2, 7, 30)
    state = mark_fired(
        ReminderState(), plan_reminders(MORNING, ReminderState(), fired_in_tokyo, TOKYO).due,
        fired_in_tokyo,
    )
    evening_before = at(HONOLULU, 2026, 6, 1, 20, 0)
    plan = plan_reminders(MORNING, state, evening_before, HONOLULU)
    assert plan.due == ()
    assert [firing.at.isoformat() for firing in plan.upcoming] == ["2026-06-02T07:30:00-10:00"]
    # Eastward across it (Honolulu to Kiritimati: same clock, the next date), an hour
    # after it fired: that was already this local morning, so it is not repeated.
    fired_in_honolulu = at(HONOLULU, 2026, 6, 2, 7, 30)
    state = mark_fired(ReminderState(), plan.upcoming, fired_in_honolulu)
    landed = fired_in_honolulu.astimezone(KIRITIMATI) + timedelta(hours=1)
    assert landed.isoformat() == "2026-06-03T08:30:00+14:00"
    plan = plan_reminders(MORNING, state, landed, KIRITIMATI)
    assert plan.due == ()
    assert [firing.at.isoformat() for firing in plan.upcoming] == ["2026-06-04T07:30:00+14:00"]


def test_missed_during_suspend_fires_once_on_wake_the_same_day() -> None:
    clock = FakeClock(at(BERLIN, 2026, 6, 1, 7, 0))
    state = ReminderState()
    assert plan_reminders(MORNING, state, clock.now, BERLIN).due == ()
    clock.advance(hours=3)  # asleep from 07:00 to 10:00
    plan = plan_reminders(MORNING, state, clock.now, BERLIN)
    assert [firing.at.isoformat() for firing in plan.due] == ["2026-06-01T07:30:00+02:00"]
    state = mark_fired(state, plan.due, clock.now)
    clock.advance(minutes=1)
    assert plan_reminders(MORNING, state, clock.now, BERLIN).due == ()


def test_missed_during_suspend_past_midnight_is_dropped() -> None:
    state = ReminderState()
    evening = ReminderSchedule(times=(time(21, 0),))
    # Asleep from 20:00 to 06:00 the next day: yesterday's reminder is not shown.
    woke = at(BERLIN, 2026, 6, 2, 6, 0)
    plan = plan_reminders(evening, state, woke, BERLIN)
    assert plan.due == ()
    assert [firing.at.isoformat() for firing in plan.upcoming] == ["2026-06-02T21:00:00+02:00"]


@pytest.mark.parametrize(
    "blocking",
    [
        Conditions(session_running=True),
        Conditions(screen_locked=True),
        Conditions(fullscreen_in_front=True),
    ],
)
def test_a_reminder_due_while_blocked_waits_and_fires_once_after(blocking: Conditions) -> None:
    busy_until = at(BERLIN, 2026, 6, 1, 7, 50)

    def conditions_at(now: datetime) -> Conditions:
        return blocking if now < busy_until else Conditions()

    start = at(BERLIN, 2026, 6, 1, 7, 20)
    fired = fired_times(
        MORNING, start, start + timedelta(hours=2), only_zone(BERLIN), conditions_at=conditions_at
    )
    assert [(rid, moment.strftime("%H:%M")) for rid, moment in fired] == [("daily-07:30", "07:50")]
    plan = plan_reminders(MORNING, ReminderState(), at(BERLIN, 2026, 6, 1, 7, 40), BERLIN, blocking)
    assert plan.due == () and [firing.reminder.id for firing in plan.waiting] == ["daily-07:30"]


def test_snooze_fires_once_thirty_minutes_later() -> None:
    now = at(BERLIN, 2026, 6, 1, 7, 30)
    plan = plan_reminders(MORNING, ReminderState(), now, BERLIN)
    state = snooze(ReminderState(), plan.due, now)
    later = plan_reminders(MORNING, state, now + timedelta(minutes=29), BERLIN)
    assert later.due == ()
    assert later.next_at == at(BERLIN, 2026, 6, 1, 8, 0)
    plan = plan_reminders(MORNING, state, now + timedelta(minutes=30), BERLIN)
    assert [(firing.reminder.kind, firing.at.strftime("%H:%M")) for firing in plan.due] == [
        ("snooze", "08:00")
    ]
    state = mark_fired(state, plan.due, now + timedelta(minutes=30))
    assert plan_reminders(MORNING, state, now + timedelta(minutes=31), BERLIN).due == ()
    assert state.snoozed_until is None


def test_snooze_survives_a_zone_change_as_an_instant() -> None:
    now = at(BERLIN, 2026, 6, 1, 7, 30)
    state = snooze(ReminderState(), plan_reminders(MORNING, ReminderState(), now, BERLIN).due, now)
    plan = plan_reminders(MORNING, state, now + timedelta(minutes=30), ZoneInfo("Europe/London"))
    assert [firing.at.isoformat() for firing in plan.due] == ["2026-06-01T07:00:00+01:00"]


def test_skip_today_drops_the_rest_of_the_day_only() -> None:
    schedule = ReminderSchedule(times=(time(7, 30), time(21, 0)))
    now = at(BERLIN, 2026, 6, 1, 7, 30)
    state = snooze(ReminderState(), plan_reminders(schedule, ReminderState(), now, BERLIN).due, now)
    state = skip_today(state, now + timedelta(minutes=1), BERLIN)
    evening = plan_reminders(schedule, state, at(BERLIN, 2026, 6, 1, 21, 5), BERLIN)
    assert evening.due == ()
    assert [firing.at.isoformat() for firing in evening.upcoming] == [
        "2026-06-02T07:30:00+02:00",
        "2026-06-02T21:00:00+02:00",
    ]


def test_extended_nudge_fires_on_the_due_day_and_after_until_done() -> None:
    schedule = ReminderSchedule(
        times=(time(21, 0), time(7, 30)), remind_extended=True, extended_due_on=date(2026, 6, 3)
    )
    start = at(BERLIN, 2026, 6, 1, 0, 0)
    fired = fired_times(
        schedule, start, start + timedelta(days=4), only_zone(BERLIN), timedelta(minutes=5)
    )
    nudges = [moment.strftime("%d %H:%M") for rid, moment in fired if rid == "extended"]
    assert nudges == ["03 07:30", "04 07:30"]
    alone = ReminderSchedule(remind_extended=True, extended_due_on=date(2026, 6, 3))
    plan = plan_reminders(alone, ReminderState(), start, BERLIN)
    assert [firing.at.time() for firing in plan.upcoming] == [EXTENDED_DEFAULT_TIME]
    assert ReminderSchedule(remind_extended=True).reminders() == ()


def test_extended_due_date_follows_the_history_goals() -> None:
    today = date(2026, 6, 1)
    done_two_days_ago = [DayTotals(today - timedelta(days=2), 1, 1, 900.0, 1)]
    assert extended_due_on(goals(done_two_days_ago, today), today) == date(2026, 6, 3)
    assert extended_due_on(goals([], today), today) == today
    long_ago = [DayTotals(today - timedelta(days=9), 1, 1, 900.0, 1)]
    assert extended_due_on(goals(long_ago, today), today) == today


def test_nothing_enabled_plans_nothing() -> None:
    plan = plan_reminders(ReminderSchedule(), ReminderState(), at(BERLIN, 2026, 6, 1), BERLIN)
    assert plan == ReminderPlan((), (), ())
    assert plan.next_at is None


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        plan_reminders(MORNING, ReminderState(), datetime(2026, 6, 1, 7, 0), BERLIN)


@pytest.mark.parametrize("text", ["7:3", "24:00", "07:60", "0730", "", "ab:cd", "07:30:00"])
def test_wall_time_text_is_strict(text: str) -> None:
    with pytest.raises(ValueError, match="like 07:30"):
        parse_wall_time(text)


def test_state_file_round_trips_and_forgives_damage(tmp_path: Path) -> None:
    now = at(BERLIN, 2026, 6, 1, 7, 30)
    due: list[Firing] = list(plan_reminders(MORNING, ReminderState(), now, BERLIN).due)
    state = skip_today(snooze(ReminderState(), due, now), now, BERLIN)
    state = replace(state, since=now - timedelta(days=1))
    path = tmp_path / "state" / "reminders.json"
    assert load_state(path, now) == new_state(now)  # missing
    save_state(path, state)
    assert load_state(path, now) == state
    path.write_text("{not json", encoding="utf-8")
    assert load_state(path, now) == new_state(now)
    path.write_text('{"last_fired": {"daily-07:30": "2026-06-01T07:30"}, "skipped_on": 3}')
    assert load_state(path, now) == ReminderState()


def test_turning_reminders_on_after_todays_time_waits_for_tomorrow() -> None:
    evening = at(BERLIN, 2026, 6, 1, 22, 0)
    plan = plan_reminders(MORNING, new_state(evening), evening, BERLIN)
    assert plan.due == ()
    assert [firing.at.isoformat() for firing in plan.upcoming] == ["2026-06-02T07:30:00+02:00"]
    # Without a start (an old state), today's missed time is still due.
    assert len(plan_reminders(MORNING, ReminderState(), evening, BERLIN).due) == 1
