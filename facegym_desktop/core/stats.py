"""Streaks, goals and totals: pure functions on local calendar dates.

A session belongs to the local date it started on, read with the UTC offset it was
recorded with (``started_at.date()`` of an aware datetime).  Nothing here converts
to UTC, so a daylight-saving change or a flight across time zones can neither split
one day into two nor merge two days into one.

Definitions used throughout:

* An *active day* is a local date with at least one completed session.
* A *streak* is a run of active days in which every missed day is forgiven by the
  rest-day allowance: up to ``rest_days_per_week`` missed days per calendar week
  (Monday to Sunday).  Its length counts active days only.  Today never breaks a
  streak (the day is not over), so a streak is alive when the last active day is
  today or yesterday, or when the days missed since then all fit in the allowance.
* A date the clock *skipped* is never a missed day: flying west over the date line,
  the local date can go from 9 May straight to 11 May.  Between two consecutive
  active days, and between the last active day and now when "today" is given as the
  aware current time, the gap days the change of UTC offset accounts for are skipped
  (see :func:`clock_skipped_days`); they neither break a streak nor use the
  allowance.  A date lived twice (flying east) is still one active day.
* A session is *extended* when its routine kind was recorded as ``"extended"``; rows
  without a kind (imported from a CSV file without the ``routine_kind`` column)
  count as extended when at least :data:`EXTENDED_MIN_PLANNED_SECONDS` were planned.
* Goals follow the recommended rhythm: a short routine every day, and an extended
  session at least every :data:`EXTENDED_EVERY_DAYS` days.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from typing import Protocol

from facegym_desktop.core.timefmt import plural
from facegym_desktop.core.vocabulary import AREA_IDS

EXTENDED_EVERY_DAYS = 4
EXTENDED_MIN_PLANNED_SECONDS = 12 * 60
DAILY_WINDOW_DAYS = 7
HEATMAP_WEEKS = 53
WEEK_BARS = 26
# Heatmap shades: 0 = nothing, then these minute thresholds (inclusive lower bounds).
HEAT_LEVEL_MINUTES = (0.0, 1.0, 5.0, 10.0, 20.0)



class SessionStatus(StrEnum):
    """How a session ended, as stored in the history and written to CSV."""

    COMPLETED = "completed"
    PARTIAL = "partial"
    INTERRUPTED = "interrupted"


STATUSES: tuple[str, ...] = tuple(SessionStatus)


def local_date_of(moment: datetime) -> date:
    """The calendar date a session belongs to: its start, read in its own UTC offset."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("session times must carry a UTC offset")
    return moment.date()


def is_extended(routine_kind: str | None, planned_seconds: float) -> bool:
    """Whether a session counts toward the extended-session goal (see module notes)."""
    if routine_kind is not None and routine_kind != "":
        return routine_kind == "extended"
    return planned_seconds >= EXTENDED_MIN_PLANNED_SECONDS


class DayFacts(Protocol):
    """What :func:`day_totals` reads of a session (a :class:`SessionFacts` or a
    stored session record)."""

    @property
    def local_date(self) -> date: ...

    @property
    def status(self) -> str: ...

    @property
    def active_seconds(self) -> float: ...

    @property
    def extended(self) -> bool: ...


def _start_of(session: object) -> datetime | None:
    """A session's aware start when the object carries one (``started_at``)."""
    started = getattr(session, "started_at", None)
    return started if isinstance(started, datetime) else None


@dataclass(frozen=True)
class SessionFacts:
    """What the statistics need to know about one session."""

    local_date: date
    status: str
    active_seconds: float
    extended: bool = False
    area_seconds: Mapping[str, float] = field(default_factory=dict)
    started_at: datetime | None = None

    @classmethod
    def from_session(
        cls,
        started_at: datetime,
        status: str,
        active_seconds: float,
        routine_kind: str | None = None,
        planned_seconds: float = 0,
        area_seconds: Mapping[str, float] | None = None,
    ) -> SessionFacts:
        return cls(
            local_date=local_date_of(started_at),
            status=status,
            active_seconds=active_seconds,
            extended=is_extended(routine_kind, planned_seconds),
            area_seconds=dict(area_seconds or {}),
            started_at=started_at,
        )


@dataclass(frozen=True)
class DayTotals:
    """All sessions of one local date, added up."""

    day: date
    sessions: int
    completed: int
    active_seconds: float
    extended_completed: int = 0
    # The earliest and latest start of the day's completed sessions (aware, in their
    # recorded offsets), when known: they tell a date the clock skipped.  Left out of
    # comparisons: two days with the same totals are equal.
    first_completed_start: datetime | None = field(default=None, compare=False)
    last_completed_start: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Goals:
    """Progress on the two recommended habits, as of ``today``."""

    daily_done_today: bool
    daily_days_in_window: int  # active days among the last DAILY_WINDOW_DAYS, today included
    daily_window_days: int
    extended_last_day: date | None
    extended_days_since: int | None  # None: no extended session yet
    extended_due_in_days: int  # 0: due today; negative: overdue by that many days
    extended_every_days: int


@dataclass(frozen=True)
class Summary:
    """Everything `history stats` reports."""

    today: date
    current_streak: int
    longest_streak: int
    streak_alive: bool
    last_active_day: date | None
    sessions: int
    completed_sessions: int
    active_days: int
    total_seconds: float
    per_area_seconds: Mapping[str, float]
    goals: Goals
    rest_days_per_week: int = 0

    @property
    def total_minutes(self) -> float:
        return round(self.total_seconds / 60.0, 1)

    @property
    def per_area_minutes(self) -> dict[str, float]:
        return {area: round(seconds / 60.0, 1) for area, seconds in self.per_area_seconds.items()}

    def to_json(self) -> dict[str, object]:
        goals = self.goals
        return {
            "today": self.today.isoformat(),
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "streak_alive": self.streak_alive,
            "last_active_day": _iso_or_none(self.last_active_day),
            "sessions": self.sessions,
            "completed_sessions": self.completed_sessions,
            "active_days": self.active_days,
            "total_minutes": self.total_minutes,
            "per_area_minutes": self.per_area_minutes,
            "rest_days_per_week": self.rest_days_per_week,
            "goals": {
                "daily": {
                    "done_today": goals.daily_done_today,
                    "days_done": goals.daily_days_in_window,
                    "window_days": goals.daily_window_days,
                },
                "extended": {
                    "every_days": goals.extended_every_days,
                    "last_day": _iso_or_none(goals.extended_last_day),
                    "days_since": goals.extended_days_since,
                    "due_in_days": goals.extended_due_in_days,
                },
            },
            "message": streak_message(self),
        }


def _iso_or_none(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def day_totals(sessions: Iterable[DayFacts]) -> list[DayTotals]:
    """Group finished sessions by local date, oldest day first.

    The one definition of a day's totals: every finished session (any
    :class:`SessionStatus`; one still in progress is skipped) counts towards
    ``sessions`` and ``active_seconds``; completed ones towards ``completed``, and
    completed extended ones towards ``extended_completed``.
    """
    counts: dict[date, list[float]] = {}
    starts: dict[date, tuple[datetime, datetime]] = {}
    completed = SessionStatus.COMPLETED
    for session in sessions:
        status = session.status
        if status not in _FINISHED:
            continue
        day = session.local_date
        entry = counts.get(day)
        if entry is None:
            entry = counts[day] = [0, 0, 0.0, 0]
        entry[0] += 1
        entry[2] += session.active_seconds
        if status == completed:
            entry[1] += 1
            if session.extended:
                entry[3] += 1
            started = _start_of(session)
            if started is not None:
                known = starts.get(day)
                if known is None:
                    starts[day] = (started, started)
                else:
                    starts[day] = (min(known[0], started), max(known[1], started))
    return [
        DayTotals(
            day,
            int(e[0]),
            int(e[1]),
            float(e[2]),
            int(e[3]),
            *starts.get(day, (None, None)),
        )
        for day, e in sorted(counts.items())
    ]


_FINISHED = frozenset(STATUSES)


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int
    alive: bool


def clock_skipped_days(days: Sequence[DayTotals], now: datetime | None = None) -> set[date]:
    """Gap dates the clock skipped between consecutive active days (see module notes).

    For active days ``d1 < d2`` with a gap between them, let ``s1`` be the last
    completed start of ``d1`` and ``s2`` the first of ``d2``.  Read ``s2`` in
    ``s1``'s offset and ``s1`` in ``s2``'s: how many dates the change of offset
    added is the smaller of ``d2 - date(s2 in s1's offset)`` and
    ``date(s1 in s2's offset) - d1``.  That many gap days, the last before ``d2``,
    were skipped by the clock.  Days without known starts skip nothing.

    ``now`` (aware: the current time in the current UTC offset) extends the rule to
    the gap between the last active day and ``now``'s local date, with ``now`` in
    the place of ``s2``: landing on 11 May after a last session on 9 May, 10 May is
    skipped before the first session after landing.  Raises ValueError when ``now``
    carries no UTC offset.
    """
    skipped: set[date] = set()
    active = [totals for totals in days if totals.completed > 0]
    pairs: list[tuple[date, datetime | None, date, datetime | None]] = [
        (before.day, before.last_completed_start, after.day, after.first_completed_start)
        for before, after in zip(active, active[1:], strict=False)
    ]
    if now is not None:
        today = local_date_of(now)
        if active:
            pairs.append((active[-1].day, active[-1].last_completed_start, today, now))
    for d1, s1, d2, s2 in pairs:
        skipped.update(_skipped_between(d1, s1, d2, s2))
    return skipped


def _skipped_between(
    d1: date, s1: datetime | None, d2: date, s2: datetime | None
) -> list[date]:
    """The gap dates between ``d1`` (last start ``s1``) and ``d2`` (first start
    ``s2``) that the change of UTC offset skipped: see :func:`clock_skipped_days`."""
    gap = (d2 - d1).days - 1
    if gap <= 0 or s1 is None or s2 is None:
        return []
    o1, o2 = s1.utcoffset(), s2.utcoffset()
    if o1 is None or o2 is None or o2 <= o1:
        return []
    seen_after = (d2 - s2.astimezone(timezone(o1)).date()).days
    seen_before = (s1.astimezone(timezone(o2)).date() - d1).days
    count = max(0, min(seen_after, seen_before, gap))
    return [d2 - timedelta(days=n) for n in range(1, count + 1)]


def streaks(
    active_days: Iterable[date],
    today: date,
    rest_days_per_week: int = 0,
    skipped_days: Collection[date] = (),
) -> Streaks:
    """Current and longest streak over a set of active local dates (see module notes).

    ``skipped_days`` are dates the clock skipped (:func:`clock_skipped_days`): they
    are not missed days.  Days after ``today`` (a clock set back, a session recorded
    far east) still count as active; they never make the current streak end.
    Raises ValueError when ``rest_days_per_week`` is outside 0..6.
    """
    if rest_days_per_week < 0 or rest_days_per_week > 6:
        raise ValueError("rest days per week must be between 0 and 6")
    # Day numbers (proleptic ordinals) keep the loop cheap for twenty years of days;
    # ordinal 1 (0001-01-01) is a Monday, so a week starts at n - (n - 1) % 7.
    ordinals = sorted({day.toordinal() for day in active_days})
    if not ordinals:
        return Streaks(0, 0, False)
    rest_used: dict[int, int] = {}
    skipped = {day.toordinal() for day in skipped_days}

    def forgive(missed_from: int, missed_to: int) -> bool:
        """Spend the allowance on days missed_from..missed_to-1; False if it runs out."""
        if missed_from >= missed_to:
            return True
        for missed in range(missed_from, missed_to):
            if missed in skipped:
                continue
            if rest_days_per_week == 0:
                return False
            week = missed - (missed - 1) % 7
            used = rest_used.get(week, 0)
            if used >= rest_days_per_week:
                return False
            rest_used[week] = used + 1
        return True

    run = 0
    longest = 0
    previous = ordinals[0] - 1
    for ordinal in ordinals:
        if run > 0 and not forgive(previous + 1, ordinal):
            run = 0
        run += 1
        if run > longest:
            longest = run
        previous = ordinal
    # Days missed between the last active day and today (today itself is not over).
    current = run if forgive(previous + 1, today.toordinal()) else 0
    return Streaks(current=current, longest=longest, alive=current > 0)


def goals(days: Sequence[DayTotals], today: date) -> Goals:
    """Progress on "a short routine every day" and "an extended session every 4 days"."""
    window_start = today - timedelta(days=DAILY_WINDOW_DAYS - 1)
    done_today = False
    in_window = 0
    last_extended: date | None = None
    for totals in days:
        if totals.completed <= 0:
            continue
        if totals.day == today:
            done_today = True
        if window_start <= totals.day <= today:
            in_window += 1
        if (
            totals.extended_completed > 0
            and totals.day <= today
            and (last_extended is None or totals.day > last_extended)
        ):
            last_extended = totals.day
    if last_extended is None:
        days_since: int | None = None
        due_in = 0
    else:
        days_since = (today - last_extended).days
        due_in = EXTENDED_EVERY_DAYS - days_since
    return Goals(
        daily_done_today=done_today,
        daily_days_in_window=in_window,
        daily_window_days=DAILY_WINDOW_DAYS,
        extended_last_day=last_extended,
        extended_days_since=days_since,
        extended_due_in_days=due_in,
        extended_every_days=EXTENDED_EVERY_DAYS,
    )


def summarize_days(
    days: Sequence[DayTotals],
    today: date | datetime,
    rest_days_per_week: int = 0,
    per_area_seconds: Mapping[str, float] | None = None,
) -> Summary:
    """The summary from per-day totals (see :func:`day_totals`).

    ``today`` is the local date, or better the aware current time: then the dates its
    UTC offset shows the clock skipped since the last active day do not break the
    current streak (see :func:`clock_skipped_days`).  Raises ValueError for a naive
    datetime or ``rest_days_per_week`` outside 0..6.
    """
    now = today if isinstance(today, datetime) else None
    day = today if now is None else local_date_of(now)
    active = [totals.day for totals in days if totals.completed > 0]
    streak = streaks(active, day, rest_days_per_week, clock_skipped_days(days, now))
    areas = {area: 0.0 for area in AREA_IDS}
    for area, seconds in (per_area_seconds or {}).items():
        areas[area] = areas.get(area, 0.0) + float(seconds)
    return Summary(
        today=day,
        current_streak=streak.current,
        longest_streak=streak.longest,
        streak_alive=streak.alive,
        last_active_day=max(active) if active else None,
        sessions=sum(totals.sessions for totals in days),
        completed_sessions=sum(totals.completed for totals in days),
        active_days=len(set(active)),
        total_seconds=sum(totals.active_seconds for totals in days),
        per_area_seconds=areas,
        goals=goals(days, day),
        rest_days_per_week=rest_days_per_week,
    )


def summarize(
    sessions: Iterable[SessionFacts], today: date | datetime, rest_days_per_week: int = 0
) -> Summary:
    """The summary of a list of sessions; ``today`` as in :func:`summarize_days`."""
    session_list = list(sessions)
    per_area: dict[str, float] = {}
    for session in session_list:
        for area, seconds in session.area_seconds.items():
            per_area[area] = per_area.get(area, 0.0) + seconds
    return summarize_days(day_totals(session_list), today, rest_days_per_week, per_area)


def extended_goal_status(goals_now: Goals) -> str:
    """The extended-session goal in a few words, after its name: "due in 2 days",
    "due today", "overdue by 1 day", "none yet; one is due today"."""
    if goals_now.extended_last_day is None:
        return "none yet; one is due today"
    due = goals_now.extended_due_in_days
    if due > 0:
        return f"due in {plural(due, 'day')}"
    if due == 0:
        return "due today"
    return f"overdue by {plural(-due, 'day')}"


def extended_goal_message(goals_now: Goals) -> str:
    """One sentence on the extended-session goal: "Extended session due today."."""
    if goals_now.extended_last_day is None:
        return "No extended session yet; one is due today."
    return f"Extended session {extended_goal_status(goals_now)}."


def streak_sentence(summary: Summary) -> str:
    """One sentence on the streak alone: "3-day streak.", "No completed sessions yet."."""
    if summary.current_streak > 0:
        if not summary.goals.daily_done_today:
            return f"{summary.current_streak}-day streak; a session today keeps it going."
        return f"{summary.current_streak}-day streak."
    if summary.last_active_day is None:
        return "No completed sessions yet."
    return "No streak right now; a session today starts a new one."


def streak_message(summary: Summary) -> str:
    """What the finish screen says, the streak then the extended-session goal:
    "3-day streak. Extended session due in 2 days."."""
    return f"{streak_sentence(summary)} {extended_goal_message(summary.goals)}"


# --- aggregated views for the history window (date maths stays out of the UI) ---


@dataclass(frozen=True)
class HeatCell:
    """One day of the calendar heatmap: column = week, row = weekday (Monday = 0)."""

    day: date
    column: int
    row: int
    minutes: float
    level: int  # 0..len(HEAT_LEVEL_MINUTES)-1
    is_today: bool


@dataclass(frozen=True)
class HeatmapData:
    cells: tuple[HeatCell, ...]
    columns: int
    month_labels: tuple[tuple[int, str], ...]  # (column, "Jan") where a month starts


@dataclass(frozen=True)
class WeekBar:
    week_start: date
    label: str  # "3 Mar"
    minutes: float


def heat_level(minutes: float) -> int:
    level = 0
    for index, threshold in enumerate(HEAT_LEVEL_MINUTES):
        if minutes > 0 and minutes >= threshold:
            level = index
    if minutes > 0 and level == 0:
        level = 1
    return level


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def heatmap(days: Sequence[DayTotals], today: date, weeks: int = HEATMAP_WEEKS) -> HeatmapData:
    """The last ``weeks`` calendar weeks up to today, one cell per day, minutes per day."""
    minutes_by_day = {totals.day: totals.active_seconds / 60.0 for totals in days}
    first_monday = _week_start(today) - timedelta(weeks=weeks - 1)
    cells = []
    labels = []
    day = first_monday
    column = 0
    last_month = None
    while day <= today:
        row = day.weekday()
        if row == 0 and day.month != last_month:
            labels.append((column, _MONTHS[day.month - 1]))
            last_month = day.month
        minutes = minutes_by_day.get(day, 0.0)
        cells.append(HeatCell(day, column, row, minutes, heat_level(minutes), day == today))
        if row == 6:
            column += 1
        day += timedelta(days=1)
    return HeatmapData(tuple(cells), weeks, tuple(labels))


def weekly_minutes(
    days: Sequence[DayTotals], today: date, weeks: int = WEEK_BARS
) -> tuple[WeekBar, ...]:
    """Minutes per calendar week (Monday start) for the last ``weeks`` weeks, oldest first."""
    this_week = _week_start(today)
    starts = [this_week - timedelta(weeks=weeks - 1 - index) for index in range(weeks)]
    totals_by_week = {start: 0.0 for start in starts}
    first = starts[0]
    for totals in days:
        if totals.day < first or totals.day > today:
            continue
        week = _week_start(totals.day)
        if week in totals_by_week:
            totals_by_week[week] += totals.active_seconds / 60.0
    return tuple(
        WeekBar(start, f"{start.day} {_MONTHS[start.month - 1]}", totals_by_week[start])
        for start in starts
    )
