"""Property tests of the streak maths across random sessions, offsets and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
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


# --- travel: every session and "now" recorded in the UTC offset of the moment ---

# Hours between one recorded moment and the next: at least three, so a later moment
# never reads as an earlier date on the far side of the date line.
steps = st.integers(min_value=3, max_value=40)
offset_minutes = st.integers(min_value=-12 * 60, max_value=14 * 60)


@st.composite
def journeys(draw: st.DrawFn) -> tuple[list[datetime], datetime]:
    """Completed session starts, then "now", each read in the offset of its moment."""
    moment = datetime(2026, 5, 1, 6, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 1439)))
    moments = []
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        moment += timedelta(hours=draw(steps), minutes=draw(st.integers(0, 59)))
        moments.append(moment.astimezone(timezone(timedelta(minutes=draw(offset_minutes)))))
    return moments[:-1], moments[-1]


def completed(starts: list[datetime]) -> list[SessionFacts]:
    return [SessionFacts.from_session(start, "completed", 300) for start in starts]


def relabelled(moment: datetime, shift: timedelta) -> datetime:
    """The same wall-clock reading with its UTC offset moved by ``shift``."""
    offset = moment.utcoffset() or timedelta()
    return moment.replace(tzinfo=timezone(offset + shift))


def possible_skips(moments: list[datetime]) -> int:
    """Dates the clock can have skipped over a journey: each rise of the UTC offset
    between one moment and the next skips at most one date per started 24 hours."""
    ordered = sorted(moments)
    total = 0
    for before, after in zip(ordered, ordered[1:], strict=False):
        rise = (after.utcoffset() or timedelta()) - (before.utcoffset() or timedelta())
        total += max(0, -(-rise // timedelta(days=1)))
    return total


@settings(max_examples=300, deadline=None)
@given(journey=journeys(), shift_minutes=st.integers(-26 * 60, 26 * 60), rest=st.integers(0, 6))
def test_the_same_shift_of_every_offset_never_changes_the_streaks(
    journey: tuple[list[datetime], datetime], shift_minutes: int, rest: int
) -> None:
    """Only changes of offset matter: the same journey a few time zones over (every
    wall clock kept, every offset moved alike) has the same streaks."""
    starts, now = journey
    offsets_seen = [m.utcoffset() or timedelta() for m in [*starts, now]]
    # Every offset stays within a day of UTC, as the datetime module requires.
    lowest = timedelta(hours=-23) - min(offsets_seen)
    highest = timedelta(hours=23) - max(offsets_seen)
    shift = min(max(timedelta(minutes=shift_minutes), lowest), highest)
    before = summarize(completed(starts), now, rest)
    after = summarize(
        completed([relabelled(start, shift) for start in starts]), relabelled(now, shift), rest
    )
    assert (after.current_streak, after.longest_streak) == (
        before.current_streak,
        before.longest_streak,
    )
    assert after.today == before.today and after.active_days == before.active_days


@settings(max_examples=300, deadline=None)
@given(journey=journeys())
def test_offset_changes_lengthen_a_streak_by_the_skipped_dates_at_most(
    journey: tuple[list[datetime], datetime],
) -> None:
    """Against the same local dates read without offsets: never shorter, and the
    current streak bridges no more missing dates than the clock can have skipped."""
    starts, now = journey
    summary = summarize(completed(starts), now)
    active = {start.date() for start in starts}
    today = now.date()
    plain = streaks(active, today)
    assert summary.current_streak >= plain.current
    assert summary.longest_streak >= plain.longest
    if summary.current_streak == 0:
        return
    # Walk back from the last active day, or from yesterday when that is later (today
    # is not over), over current_streak active days: every other date was bridged.
    day = max(max(active), today - timedelta(days=1))
    counted = bridged = 0
    while counted < summary.current_streak:
        if day in active:
            counted += 1
        else:
            bridged += 1
        day -= timedelta(days=1)
    assert bridged <= possible_skips([*starts, now])
