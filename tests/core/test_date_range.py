"""The calendar the app reckons with: every date in it works, every other is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.core.date_range import (
    FIRST_DAY,
    LAST_DAY,
    day_fault,
    instant_fault,
    parse_day,
    parse_instant,
)
from facegym_desktop.core.reminders import ReminderSchedule, new_state, plan_reminders
from facegym_desktop.core.stats import SessionFacts, heatmap, summarize, weekly_minutes

days_in_range = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
any_day = st.dates()
offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


@given(days_in_range)
def test_every_day_in_range_parses_back(day: date) -> None:
    assert parse_day(day.isoformat()) == day


@given(any_day)
def test_a_day_outside_the_range_is_refused_in_one_line(day: date) -> None:
    if FIRST_DAY <= day <= LAST_DAY:
        return
    with pytest.raises(ValueError, match=r"out of range \(1970-01-01 to 9998-12-31\)"):
        parse_day(day.isoformat())
    assert day_fault(day) is not None


@pytest.mark.parametrize("text", ["20260329", "2026-W13-7", "2026-02-30", "+2026-03-29", ""])
def test_only_year_month_day_is_a_date(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date like 2026-03-29"):
        parse_day(text)


@given(st.datetimes(), offsets)
def test_an_instant_parses_or_is_refused_never_overflows(moment: datetime, zone: timezone) -> None:
    text = moment.replace(tzinfo=zone).isoformat()
    try:
        parsed = parse_instant(text)
    except ValueError as error:
        assert "out of range" in str(error)
        return
    # Whatever is accepted can be read in UTC and stepped a day either way.
    assert instant_fault(parsed) is None
    assert parsed.astimezone(UTC) + timedelta(days=1) > parsed - timedelta(days=1)


@given(days_in_range, st.lists(days_in_range, max_size=5), st.integers(0, 3))
def test_stats_hold_for_any_today_in_range(
    today: date, active: list[date], rest_days: int
) -> None:
    sessions = [SessionFacts(day, "completed", 300, extended=True) for day in active]
    summary = summarize(sessions, today, rest_days)
    assert summary.today == today and summary.active_days == len(set(active))
    assert heatmap([], today).cells[-1].day == today
    assert len(weekly_minutes([], today)) > 0


@given(days_in_range, offsets)
def test_reminders_plan_at_either_end_of_the_range(day: date, zone: timezone) -> None:
    now = datetime(day.year, day.month, day.day, 23, 59, tzinfo=zone)
    if instant_fault(now) is not None:
        return
    schedule = ReminderSchedule(times=(time(7, 30),), remind_extended=True, extended_due_on=day)
    plan = plan_reminders(schedule, new_state(now), now, zone)
    assert plan.upcoming
