"""Property tests of the streak maths across random sessions, offsets and DST changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.core.stats import SessionFacts, streaks, summarize

ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "Europe/London",
    "UTC",
]
START = date(2020, 1, 1)

offsets = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
local_times = st.times(min_value=time(0, 0), max_value=time(23, 59, 59))


def brute_force_current(active: set[date], today: date) -> int:
    """Walk back from today (or yesterday) one day at a time, with no rest days."""
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count


def brute_force_longest(active: set[date]) -> int:
    best = 0
    for day in active:
        if day - timedelta(days=1) in active:
            continue
        length = 0
        while day + timedelta(days=length) in active:
            length += 1
        best = max(best, length)
    return best


@settings(max_examples=200, deadline=None)
@given(
    day_numbers=st.sets(st.integers(min_value=0, max_value=120), max_size=60),
    today_number=st.integers(min_value=0, max_value=125),
)
def test_streaks_match_a_day_by_day_count(day_numbers: set[int], today_number: int) -> None:
    active = {START + timedelta(days=n) for n in day_numbers if n <= today_number}
    today = START + timedelta(days=today_number)
    result = streaks(active, today)
    assert result.current == brute_force_current(active, today)
    assert result.longest == brute_force_longest(active)
    assert result.current <= result.longest


@settings(max_examples=200, deadline=None)
@given(
    length=st.integers(min_value=1, max_value=40),
    data=st.data(),
)
def test_one_session_per_local_day_under_any_offsets_is_an_unbroken_streak(
    length: int, data: st.DataObject
) -> None:
    """Travel: every day a different UTC offset and time; the streak is the day count."""
    sessions = []
    for index in range(length):
        day = START + timedelta(days=index)
        clock = data.draw(local_times)
        zone = data.draw(offsets)
        moment = datetime.combine(day, clock, tzinfo=zone)
        sessions.append(SessionFacts.from_session(moment, "completed", 300, "daily", 300))
    today = START + timedelta(days=length - 1)
    summary = summarize(sessions, today=today)
    assert summary.current_streak == length
    assert summary.longest_streak == length
    assert summary.active_days == length


@settings(max_examples=150, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    first=st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 1)),
    length=st.integers(min_value=1, max_value=60),
    data=st.data(),
)
def test_daylight_saving_changes_never_break_or_double_a_day(
    zone_name: str, first: date, length: int, data: st.DataObject
) -> None:
    """Sessions recorded in a real zone (DST included), some days twice."""
    zone = ZoneInfo(zone_name)
    sessions = []
    for index in range(length):
        day = first + timedelta(days=index)
        for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
            clock = data.draw(local_times)
            # fold picks either reading of an hour that happens twice in autumn.
            fold = data.draw(st.sampled_from([0, 1]))
            moment = datetime.combine(day, clock, tzinfo=zone).replace(fold=fold)
            # What the store keeps: the wall time with its fixed offset at that moment.
            recorded = moment.astimezone(timezone(moment.utcoffset() or timedelta()))
            sessions.append(SessionFacts.from_session(recorded, "completed", 300, "daily", 300))
    today = first + timedelta(days=length - 1)
    summary = summarize(sessions, today=today)
    assert summary.active_days == length
    assert summary.current_streak == length
    assert summary.longest_streak == length


@settings(max_examples=200, deadline=None)
@given(
    day_numbers=st.sets(st.integers(min_value=0, max_value=90), max_size=70),
    rest=st.integers(min_value=0, max_value=6),
)
def test_rest_days_only_ever_lengthen_streaks(day_numbers: set[int], rest: int) -> None:
    active = {START + timedelta(days=n) for n in day_numbers}
    today = START + timedelta(days=91)
    strict = streaks(active, today, 0)
    relaxed = streaks(active, today, rest)
    assert relaxed.current >= strict.current
    assert relaxed.longest >= strict.longest
    # Streaks count active days only, so they never exceed the number of active days.
    assert relaxed.longest <= len(active)


@settings(max_examples=100, deadline=None)
@given(day_numbers=st.sets(st.integers(min_value=0, max_value=60), min_size=1, max_size=61))
def test_six_rest_days_a_week_with_weekly_sessions_never_break(day_numbers: set[int]) -> None:
    # One session every Monday with six rest days a week: one unbroken streak.
    mondays = {date(2026, 1, 5) + timedelta(weeks=n) for n in day_numbers}
    today = max(mondays) + timedelta(days=3)
    result = streaks(mondays, today, 6)
    weeks = sorted(mondays)
    # The longest run of consecutive Mondays.
    best = run = 1
    for previous, current in zip(weeks, weeks[1:], strict=False):
        run = run + 1 if (current - previous).days == 7 else 1
        best = max(best, run)
    assert result.longest == best
