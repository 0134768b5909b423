"""Streaks that follow the days a person lived: dates skipped or lived twice."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.core.history import HistoryStore, NewSession
from facegym_desktop.core.settings import Settings, save_settings
from facegym_desktop.core.stats import SessionFacts, clock_skipped_days, day_totals, summarize

HAWAII = timezone(timedelta(hours=-10))
FIJI = timezone(timedelta(hours=12))
LONDON = timezone(timedelta(hours=0))


def facts(*starts: datetime) -> list[SessionFacts]:
    return [SessionFacts.from_session(start, "completed", 300) for start in starts]


def west_over_the_date_line() -> list[datetime]:
    """7, 8 and 9 May in Hawaii, then 11 and 12 May in Fiji: 10 May never came."""
    return [
        datetime(2026, 5, 7, 20, tzinfo=HAWAII),
        datetime(2026, 5, 8, 20, tzinfo=HAWAII),
        datetime(2026, 5, 9, 20, tzinfo=HAWAII),
        datetime(2026, 5, 11, 8, tzinfo=FIJI),  # 14 hours after the last one
        datetime(2026, 5, 12, 8, tzinfo=FIJI),
    ]


def test_a_date_the_clock_skipped_does_not_break_a_streak() -> None:
    summary = summarize(facts(*west_over_the_date_line()), date(2026, 5, 12))
    assert summary.current_streak == 5 and summary.longest_streak == 5
    assert clock_skipped_days(day_totals(facts(*west_over_the_date_line()))) == {
        date(2026, 5, 10)
    }


def test_the_skipped_date_uses_no_rest_day() -> None:
    # 7 May (a Thursday) is really missed; 10 May (the Sunday of the same week) was
    # skipped by the clock. One rest day a week covers the first; the second needs none.
    starts = [
        datetime(2026, 5, day, 20, tzinfo=HAWAII) for day in (4, 5, 6, 8, 9)
    ] + west_over_the_date_line()[3:]
    summary = summarize(facts(*starts), date(2026, 5, 12), rest_days_per_week=1)
    assert summary.current_streak == 7


def test_a_day_really_missed_across_an_offset_change_still_breaks() -> None:
    # Hawaii on 9 May at 08:00, Fiji on 11 May at 23:00: 41 hours apart, and 10 May
    # was lived in full whatever the time of the flight.
    starts = [
        datetime(2026, 5, 8, 8, tzinfo=HAWAII),
        datetime(2026, 5, 9, 8, tzinfo=HAWAII),
        datetime(2026, 5, 11, 23, tzinfo=FIJI),
    ]
    summary = summarize(facts(*starts), date(2026, 5, 11))
    assert summary.current_streak == 1 and summary.longest_streak == 2


def test_flying_east_never_skips_a_day() -> None:
    starts = [datetime(2026, 5, 9, 8, tzinfo=FIJI), datetime(2026, 5, 11, 8, tzinfo=HAWAII)]
    assert clock_skipped_days(day_totals(facts(*starts))) == set()


def test_a_date_lived_twice_counts_once() -> None:
    starts = [
        datetime(2026, 5, 9, 20, tzinfo=FIJI),
        datetime(2026, 5, 10, 20, tzinfo=FIJI),
        datetime(2026, 5, 10, 8, tzinfo=HAWAII),  # later than the one before, same date
        datetime(2026, 5, 11, 8, tzinfo=HAWAII),
    ]
    summary = summarize(facts(*starts), date(2026, 5, 11))
    assert summary.current_streak == 3 and summary.active_days == 3


KIRIBATI = timezone(timedelta(hours=14))


def hawaii_8_and_9_may() -> list[SessionFacts]:
    return facts(datetime(2026, 5, 8, 20, tzinfo=HAWAII), datetime(2026, 5, 9, 20, tzinfo=HAWAII))


@pytest.mark.parametrize("landed", [FIJI, KIRIBATI])
def test_landing_past_the_date_line_keeps_the_streak_before_a_session(
    landed: timezone,
) -> None:
    # The last session on 9 May at 20:00 in Hawaii; 12 hours later it is 11 May there.
    now = datetime(2026, 5, 9, 20, tzinfo=HAWAII).astimezone(landed) + timedelta(hours=12)
    assert now.date() == date(2026, 5, 11)
    summary = summarize(hawaii_8_and_9_may(), now)
    assert summary.today == date(2026, 5, 11)
    assert summary.current_streak == 2 and summary.streak_alive
    assert summary.longest_streak == 2 and summary.active_days == 2
    assert clock_skipped_days(day_totals(hawaii_8_and_9_may()), now) == {date(2026, 5, 10)}
    # The date alone says nothing of the flight: 10 May looks missed.
    assert summarize(hawaii_8_and_9_may(), date(2026, 5, 11)).current_streak == 0


def test_a_day_really_missed_before_now_still_breaks() -> None:
    # Same offset all along: 10 May was lived and missed.
    now = datetime(2026, 5, 11, 8, tzinfo=HAWAII)
    assert summarize(hawaii_8_and_9_may(), now).current_streak == 0
    # Landed in Fiji late on 11 May: 10 May was lived in full in Hawaii first.
    late = datetime(2026, 5, 11, 23, tzinfo=FIJI)
    assert summarize(hawaii_8_and_9_may(), late).current_streak == 0
    # Two dates missed, the clock skipped one of them.
    two_days = datetime(2026, 5, 10, 20, tzinfo=HAWAII).astimezone(FIJI) + timedelta(hours=12)
    assert two_days.date() == date(2026, 5, 12)
    assert summarize(hawaii_8_and_9_may(), two_days).current_streak == 0


def test_flying_east_before_now_skips_no_date() -> None:
    starts = [datetime(2026, 5, 8, 20, tzinfo=FIJI), datetime(2026, 5, 9, 20, tzinfo=FIJI)]
    now = datetime(2026, 5, 11, 8, tzinfo=HAWAII)  # 11 May, about 26 hours later
    assert clock_skipped_days(day_totals(facts(*starts)), now) == set()
    assert summarize(facts(*starts), now).current_streak == 0


def test_the_date_lived_twice_after_landing_counts_once() -> None:
    # Fiji on 9 and 10 May, then Hawaii where it is 10 May again: no new day, no break.
    starts = [datetime(2026, 5, 9, 20, tzinfo=FIJI), datetime(2026, 5, 10, 20, tzinfo=FIJI)]
    now = datetime(2026, 5, 10, 8, tzinfo=HAWAII)
    summary = summarize(facts(*starts), now)
    assert summary.today == date(2026, 5, 10)
    assert summary.current_streak == 2 and summary.goals.daily_done_today


def test_now_must_carry_a_utc_offset() -> None:
    with pytest.raises(ValueError):
        summarize(hawaii_8_and_9_may(), datetime(2026, 5, 11, 8))


def record(folder: Path, starts: list[datetime]) -> None:
    store = HistoryStore.open(folder / "history.sqlite3", daily_backup=False)
    store.record_sessions(
        NewSession(start, start + timedelta(minutes=5), "r", "R", 300, 300, "completed", 1, 1)
        for start in starts
    )
    store.close()


def stats(folder: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    capsys.readouterr()
    code = main(["history", "stats", "--json", "--data-dir", str(folder), *extra])
    assert code == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_the_store_and_the_command_line_see_the_skipped_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record(tmp_path, west_over_the_date_line())
    data = stats(tmp_path, capsys, "--today", "2026-05-12")
    assert data["current_streak"] == 5
    with HistoryStore.open(tmp_path / "history.sqlite3", daily_backup=False) as store:
        assert store.stats(date(2026, 5, 12)).current_streak == 5
        assert store.overview(date(2026, 5, 12)).summary.current_streak == 5


def test_stats_use_the_rest_days_of_settings_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Monday to Friday with Wednesday missed.
    record(tmp_path, [datetime(2026, 3, day, 8, tzinfo=LONDON) for day in (9, 10, 12, 13)])
    assert stats(tmp_path, capsys, "--today", "2026-03-13")["current_streak"] == 2
    save_settings(tmp_path / "settings.json", Settings(rest_days_per_week=1))
    data = stats(tmp_path, capsys, "--today", "2026-03-13")
    assert data["current_streak"] == 4 and data["rest_days_per_week"] == 1
    overridden = stats(tmp_path, capsys, "--today", "2026-03-13", "--rest-days", "0")
    assert overridden["current_streak"] == 2


def test_the_store_reads_now_with_its_offset(tmp_path: Path) -> None:
    # What the finish screen and the history window get: the store's own clock.
    record(tmp_path, west_over_the_date_line()[:3])
    landed = datetime(2026, 5, 11, 8, tzinfo=FIJI)
    with HistoryStore.open(
        tmp_path / "history.sqlite3", daily_backup=False, now=lambda: landed
    ) as store:
        assert store.stats().current_streak == 3
        overview = store.overview()
        assert overview.summary.current_streak == 3
        assert overview.summary.today == date(2026, 5, 11)
        assert [cell.day for cell in overview.heatmap.cells if cell.is_today] == [
            date(2026, 5, 11)
        ]
        # A date given on its own carries no offset: 10 May counts as missed.
        assert store.stats(date(2026, 5, 11)).current_streak == 0
