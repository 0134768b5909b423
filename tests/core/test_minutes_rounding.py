"""One rounding rule for minutes, and the places that show minutes use it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.core.history import HistoryStore, MoveRecord, NewSession
from facegym_desktop.core.timefmt import hours_minutes_text, minutes_text, whole_minutes


@pytest.mark.parametrize(
    ("seconds", "minutes", "text"),
    [
        (0, 0, "0 min"),
        (-5, 0, "0 min"),
        (24, 0, "<1 min"),
        (29.4, 0, "<1 min"),
        (29.6, 1, "1 min"),
        (30, 1, "1 min"),
        (89, 1, "1 min"),
        (90, 2, "2 min"),
        (12 * 60, 12, "12 min"),
    ],
)
def test_one_rule(seconds: float, minutes: int, text: str) -> None:
    assert whole_minutes(seconds) == minutes
    assert minutes_text(seconds) == text


def test_hours_from_an_hour_up() -> None:
    assert hours_minutes_text(59 * 60 + 29) == "59 min"
    assert hours_minutes_text(59 * 60 + 30) == "1 h 00 min"
    assert hours_minutes_text(125 * 60) == "2 h 05 min"
    assert hours_minutes_text(24) == "<1 min"


def test_history_stats_text_uses_the_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start = datetime(2026, 3, 10, 8, tzinfo=UTC)
    with HistoryStore.open(tmp_path / "history.sqlite3", daily_backup=False) as store:
        store.record_session(
            NewSession(
                start, start + timedelta(seconds=24), "r", "R", 60, 24, "completed", 1, 1,
                "daily", (MoveRecord("m", ("forehead",), 24),),
            )
        )
    capsys.readouterr()
    assert main(["history", "stats", "--today", str(date(2026, 3, 10)),
                 "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Total time:         <1 min" in out
    (area_line,) = [line for line in out.splitlines() if line.startswith("  Forehead")]
    assert area_line.endswith("<1 min")
