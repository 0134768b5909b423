"""Reads and aggregates: one day-totals rule whichever way the overview is built."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.core import stats
from facegym_desktop.core.history import HistoryStore, MoveRecord, NewSession, SessionStatus

ZONE = timezone(timedelta(hours=-5))
DAY = date(2026, 5, 4)


def session(
    day_offset: int, status: str, kind: str | None, planned: int, active: int = 300
) -> NewSession:
    start = datetime(2026, 5, 4, 23, 30, tzinfo=ZONE) + timedelta(days=day_offset)
    return NewSession(
        started_at=start,
        ended_at=start + timedelta(seconds=active),
        routine_id=f"r{day_offset}{status}",
        routine_name="R",
        planned_seconds=planned,
        active_seconds=active,
        status=status,
        moves_completed=1,
        moves_total=1,
        routine_kind=kind,
        moves=(MoveRecord("m", ("cheeks",), active),),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore.open(tmp_path / "history.sqlite3", daily_backup=False)
    opened.record_sessions(
        [
            session(0, "completed", "extended", 300),
            session(0, "partial", "extended", 1200, active=100),
            session(1, "completed", None, 12 * 60),  # imported: extended by its length
            session(1, "completed", "", 600),
            session(2, "interrupted", "daily", 300, active=50),
        ]
    )
    opened.begin_session("live", "Live", "daily", 300, 3, datetime(2026, 5, 7, 8, tzinfo=ZONE))
    yield opened
    opened.close()


def test_day_totals_count_finished_sessions_by_their_local_date(store: HistoryStore) -> None:
    assert store.day_totals() == [
        stats.DayTotals(DAY, 2, 1, 400.0, 1),  # 23:30 at -05:00 stays on the 4th
        stats.DayTotals(DAY + timedelta(days=1), 2, 2, 600.0, 1),
        stats.DayTotals(DAY + timedelta(days=2), 1, 0, 50.0, 0),
    ]


def test_the_overview_with_and_without_the_list_agrees(store: HistoryStore) -> None:
    with_list = store.overview(DAY + timedelta(days=2))
    without = store.overview(DAY + timedelta(days=2), include_sessions=False)
    assert with_list.summary == without.summary == store.stats(DAY + timedelta(days=2))
    assert with_list.heatmap == without.heatmap and with_list.weeks == without.weeks
    assert without.sessions == ()
    assert [s.status for s in with_list.sessions][0] == "in_progress"  # newest first
    assert with_list.summary.sessions == 5 and with_list.summary.completed_sessions == 3


def test_records_know_whether_they_are_extended(store: HistoryStore) -> None:
    extended = {(s.routine_kind, s.planned_seconds): s.extended for s in store.sessions()}
    assert extended[("extended", 300)] is True
    assert extended[(None, 12 * 60)] is True
    assert extended[("", 600)] is False
    assert extended[("daily", 300)] is False


def test_last_done_and_export_skip_what_is_not_finished(store: HistoryStore) -> None:
    done = store.last_done_by_routine()
    assert set(done) == {"r0completed", "r0partial", "r1completed"}
    assert all(s.status in set(SessionStatus) for s in store.export_rows())
    assert len(store.export_rows()) == 5 and store.session_count() == 6
    assert store.integrity_check() == "ok"
