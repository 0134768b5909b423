"""Streak, goal and total maths: hand-written cases around midnight and time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from facegym_desktop.core import stats
from facegym_desktop.core.stats import (
    STATUSES,
    DayTotals,
    SessionFacts,
    SessionStatus,
    day_totals,
    heatmap,
    is_extended,
    local_date_of,
    streak_message,
    streaks,
    summarize,
    weekly_minutes,
)
from facegym_desktop.core.vocabulary import AREA_IDS

MONDAY = date(2026, 3, 2)


def done(moment: datetime, minutes: float = 5, kind: str | None = "daily") -> SessionFacts:
    return SessionFacts.from_session(moment, "completed", minutes * 60, kind, minutes * 60)


def at(day: date, hour: int, minute: int = 0, offset_hours: float = 0) -> datetime:
    zone = timezone(timedelta(hours=offset_hours))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def test_local_date_uses_the_recorded_offset_not_utc() -> None:
    # 23:30 in New York is 04:30 the next day in UTC; the session belongs to the 1st.
    moment = at(date(2026, 3, 1), 23, 30, offset_hours=-5)
    assert moment.astimezone(UTC).date() == date(2026, 3, 2)
    assert local_date_of(moment) == date(2026, 3, 1)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        local_date_of(datetime(2026, 3, 1, 8, 0))


def test_no_sessions() -> None:
    summary = summarize([], today=MONDAY)
    assert (summary.current_streak, summary.longest_streak, summary.sessions) == (0, 0, 0)
    assert summary.per_area_minutes == {area: 0.0 for area in AREA_IDS}
    assert streak_message(summary).startswith("No completed sessions yet.")


def test_alive_when_last_active_day_is_today_or_yesterday() -> None:
    sessions = [done(at(MONDAY + timedelta(days=i), 8)) for i in range(3)]
    last = MONDAY + timedelta(days=2)
    assert summarize(sessions, today=last).current_streak == 3
    assert summarize(sessions, today=last + timedelta(days=1)).current_streak == 3
    broken = summarize(sessions, today=last + timedelta(days=2))
    assert broken.current_streak == 0
    assert broken.longest_streak == 3
    assert not broken.streak_alive


def test_two_sessions_a_day_count_one_day() -> None:
    sessions = [done(at(MONDAY, 7)), done(at(MONDAY, 21)), done(at(MONDAY, 23, 59))]
    summary = summarize(sessions, today=MONDAY)
    assert summary.current_streak == 1
    assert summary.active_days == 1
    assert summary.completed_sessions == 3


def test_sessions_either_side_of_midnight_are_two_days() -> None:
    late = done(at(MONDAY, 23, 59))
    early = done(at(MONDAY + timedelta(days=1), 0, 1))
    summary = summarize([late, early], today=MONDAY + timedelta(days=1))
    assert summary.current_streak == 2
    assert summary.active_days == 2


def test_partial_and_interrupted_sessions_do_not_make_a_streak_day() -> None:
    partial = SessionFacts.from_session(at(MONDAY, 8), "partial", 120, "daily", 300)
    cut = SessionFacts.from_session(at(MONDAY + timedelta(days=1), 8), "interrupted", 60)
    summary = summarize([partial, cut], today=MONDAY + timedelta(days=1))
    assert summary.current_streak == 0
    assert summary.sessions == 2
    assert summary.completed_sessions == 0
    assert summary.total_minutes == 3.0


def test_flying_west_late_evening_does_not_double_or_break_a_day() -> None:
    # Monday 08:00 in Berlin, then Monday 22:00 in Los Angeles (Tuesday 06:00 UTC),
    # then Tuesday 09:00 in Los Angeles: two local days, not three.
    sessions = [
        done(at(MONDAY, 8, offset_hours=1)),
        done(at(MONDAY, 22, offset_hours=-8)),
        done(at(MONDAY + timedelta(days=1), 9, offset_hours=-8)),
    ]
    summary = summarize(sessions, today=MONDAY + timedelta(days=1))
    assert summary.active_days == 2
    assert summary.current_streak == 2


def test_flying_east_overnight_keeps_the_streak() -> None:
    # Monday evening and Tuesday late evening in New York, then Wednesday morning in
    # Tokyo after the flight: three local days in a row, so a three-day streak.
    tuesday = MONDAY + timedelta(days=1)
    wednesday = MONDAY + timedelta(days=2)
    kept = [
        done(at(MONDAY, 20, offset_hours=-5)),
        done(at(tuesday, 23, offset_hours=-5)),
        done(at(wednesday, 7, offset_hours=9)),
    ]
    # In UTC the last two are only 3 hours apart and on the same UTC date.
    assert kept[1].local_date != kept[2].local_date
    assert summarize(kept, today=wednesday).current_streak == 3


def test_daylight_saving_night_is_one_day() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # Clocks go forward on 2026-03-29 at 02:00; sessions at 00:30 (+01:00) and 23:30 (+02:00).
    first = datetime(2026, 3, 29, 0, 30, tzinfo=berlin)
    second = datetime(2026, 3, 29, 23, 30, tzinfo=berlin)
    assert first.utcoffset() != second.utcoffset()
    summary = summarize([done(first), done(second)], today=date(2026, 3, 29))
    assert summary.active_days == 1
    # And the autumn change (25-hour day) keeps the days either side apart.
    days = [datetime(2026, 10, d, 23, 45, tzinfo=berlin) for d in (24, 25, 26)]
    assert summarize([done(d) for d in days], today=date(2026, 10, 26)).current_streak == 3


def test_rest_days_keep_a_streak_alive() -> None:
    # Mon, Tue, (Wed rest), Thu, Fri
    active = [MONDAY, MONDAY + timedelta(1), MONDAY + timedelta(3), MONDAY + timedelta(4)]
    assert streaks(active, MONDAY + timedelta(4), 0).current == 2
    with_rest = streaks(active, MONDAY + timedelta(4), 1)
    assert with_rest.current == 4  # rest days are forgiven but not counted
    assert with_rest.longest == 4


def test_rest_day_allowance_is_per_calendar_week() -> None:
    # Two missed days in one week with one rest day allowed: the streak breaks.
    active = [MONDAY, MONDAY + timedelta(3), MONDAY + timedelta(4)]
    assert streaks(active, MONDAY + timedelta(4), 1).current == 2
    # One missed day in each of two weeks: fine.
    sunday = MONDAY + timedelta(6)
    active = [
        MONDAY,
        MONDAY + timedelta(1),
        MONDAY + timedelta(3),
        MONDAY + timedelta(4),
        MONDAY + timedelta(5),
        sunday,
        sunday + timedelta(2),
    ]
    assert streaks(active, sunday + timedelta(2), 1).current == 7


def test_rest_days_keep_the_current_streak_alive_until_today() -> None:
    active = [MONDAY, MONDAY + timedelta(1)]
    thursday = MONDAY + timedelta(3)
    assert streaks(active, thursday, 0).current == 0
    assert streaks(active, thursday, 1).current == 2  # Wednesday forgiven
    assert streaks(active, thursday + timedelta(1), 1).current == 0  # Thursday too many


def test_rest_days_must_be_in_range() -> None:
    with pytest.raises(ValueError):
        streaks([MONDAY], MONDAY, 7)


def test_longest_streak_finds_the_longest_run() -> None:
    active = [MONDAY + timedelta(i) for i in (0, 1, 2, 3, 10, 11, 20)]
    result = streaks(active, MONDAY + timedelta(20), 0)
    assert (result.current, result.longest) == (1, 4)


def test_extended_rule() -> None:
    assert is_extended("extended", 300)
    assert not is_extended("daily", 1200)
    assert is_extended(None, 12 * 60)
    assert not is_extended(None, 12 * 60 - 1)
    assert not is_extended("", 600)


def test_extended_goal_counts_days_since_the_last_one() -> None:
    sessions = [
        done(at(MONDAY, 8), minutes=18, kind="extended"),
        done(at(MONDAY + timedelta(1), 8)),
        done(at(MONDAY + timedelta(2), 8)),
    ]
    summary = summarize(sessions, today=MONDAY + timedelta(2))
    assert summary.goals.extended_days_since == 2
    assert summary.goals.extended_due_in_days == 2
    assert streak_message(summary) == "3-day streak. Extended session due in 2 days."
    later = summarize(sessions, today=MONDAY + timedelta(6))
    assert later.goals.extended_due_in_days == -2
    assert "overdue by 2 days" in streak_message(later)


def test_partial_extended_sessions_do_not_meet_the_goal() -> None:
    partial = SessionFacts.from_session(at(MONDAY, 8), "partial", 500, "extended", 1000)
    assert summarize([partial], today=MONDAY).goals.extended_last_day is None


def test_daily_goal_window() -> None:
    sessions = [done(at(MONDAY + timedelta(i), 8)) for i in (0, 2, 4, 6)]
    summary = summarize(sessions, today=MONDAY + timedelta(6))
    assert summary.goals.daily_done_today
    assert summary.goals.daily_days_in_window == 4
    summary = summarize(sessions, today=MONDAY + timedelta(7))
    assert not summary.goals.daily_done_today
    assert summary.goals.daily_days_in_window == 3  # the window moved past Monday


def test_per_area_and_total_minutes() -> None:
    a = SessionFacts.from_session(
        at(MONDAY, 8), "completed", 300, "daily", 300, {"cheeks": 120, "jawline": 60}
    )
    b = SessionFacts.from_session(at(MONDAY, 20), "partial", 90, "daily", 300, {"cheeks": 90})
    summary = summarize([a, b], today=MONDAY)
    assert summary.per_area_minutes["cheeks"] == 3.5
    assert summary.per_area_minutes["jawline"] == 1.0
    assert summary.total_minutes == 6.5
    data = summary.to_json()
    for key in (
        "current_streak",
        "longest_streak",
        "sessions",
        "completed_sessions",
        "active_days",
        "total_minutes",
        "per_area_minutes",
    ):
        assert key in data


def test_heatmap_covers_53_weeks_and_marks_today() -> None:
    today = date(2026, 11, 19)  # a Thursday
    days = [DayTotals(today, 1, 1, 600.0), DayTotals(today - timedelta(days=1), 1, 1, 60.0)]
    data = heatmap(days, today)
    assert data.cells[0].day.weekday() == 0
    assert data.cells[-1].day == today and data.cells[-1].is_today
    assert data.cells[-1].column == stats.HEATMAP_WEEKS - 1
    assert data.cells[-1].row == 3
    assert sum(cell.is_today for cell in data.cells) == 1
    assert data.cells[-1].minutes == 10.0
    assert data.cells[-1].level > data.cells[-2].level > 0
    assert len(data.cells) == 52 * 7 + 4


def test_weekly_minutes_group_by_monday_weeks() -> None:
    today = MONDAY + timedelta(days=8)  # Tuesday of the next week
    days = [
        DayTotals(MONDAY, 1, 1, 300.0),
        DayTotals(MONDAY + timedelta(6), 1, 1, 600.0),
        DayTotals(MONDAY + timedelta(7), 2, 2, 120.0),
    ]
    bars = weekly_minutes(days, today, weeks=3)
    assert [bar.minutes for bar in bars] == [0.0, 15.0, 2.0]
    assert bars[-1].week_start == MONDAY + timedelta(7)
    assert bars[1].label == "2 Mar"


def test_statuses_are_one_enum_with_the_stored_values() -> None:
    assert STATUSES == ("completed", "partial", "interrupted")
    assert SessionStatus.PARTIAL == "partial" and str(SessionStatus.INTERRUPTED) == "interrupted"


def test_day_totals_leave_out_a_session_still_running() -> None:
    running = SessionFacts(MONDAY, "in_progress", 100.0)
    finished = SessionFacts(MONDAY, SessionStatus.COMPLETED, 60.0, extended=True)
    assert day_totals([running, finished]) == [DayTotals(MONDAY, 1, 1, 60.0, 1)]
