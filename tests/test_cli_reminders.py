"""`facegym reminders next`, `--verbose` and FACEGYM_LOG_LEVEL, run in-process."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from facegym_desktop.cli import main
from facegym_desktop.core.history import HistoryStore, NewSession
from facegym_desktop.core.reminders import (
    ReminderState,
    new_state,
    save_state,
    skip_today,
)
from facegym_desktop.core.settings import Settings, save_settings


@pytest.fixture(autouse=True)
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers  # --verbose adds a stderr handler for the run
    root.setLevel(level)


def settings_in(folder: Path, **values: object) -> Path:
    save_settings(folder / "settings.json", Settings(**values))  # type: ignore[arg-type]
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_next_prints_local_iso_times_across_the_spring_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = settings_in(tmp_path, reminder_times=("07:30", "02:30"))
    code, out, err = run(
        capsys, "reminders", "next", "--data-dir", str(folder), "--now", "2026-03-28T22:00+01:00"
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "2026-03-29T03:00:00+02:00  daily reminder at 02:30",
        "2026-03-29T07:30:00+02:00  daily reminder at 07:30",
    ]


def test_next_json_lists_each_reminder_with_its_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = settings_in(tmp_path, reminder_times=("21:00",), remind_extended=True)
    code, out, _ = run(
        capsys,
        "reminders", "next", "--json", "--data-dir", str(folder), "--now", "2026-10-25T05:00Z",
    )
    assert code == 0
    assert json.loads(out) == [
        {
            "id": "daily-21:00",
            "kind": "daily",
            "time": "21:00",
            "at": "2026-10-25T21:00:00+01:00",
            "due": False,
        },
        {
            "id": "extended",
            "kind": "extended",
            "time": "21:00",
            "at": "2026-10-25T21:00:00+01:00",
            "due": False,
        },
    ]


def test_the_extended_nudge_waits_for_the_day_the_history_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = settings_in(tmp_path, remind_extended=True)
    start = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
    with HistoryStore.open(folder / "history.sqlite3") as store:
        store.record_session(
            NewSession(
                started_at=start,
                ended_at=start.replace(minute=20),
                routine_id="extended-sculpt",
                routine_name="Extended sculpt",
                planned_seconds=1200,
                active_seconds=1200,
                status="completed",
                moves_completed=10,
                moves_total=10,
                routine_kind="extended",
            )
        )
    code, out, _ = run(
        capsys,
        "reminders", "next", "--json", "--data-dir", str(folder), "--now", "2026-06-02T12:00+02:00",
    )
    assert code == 0
    assert [item["at"] for item in json.loads(out)] == ["2026-06-05T09:00:00+02:00"]


def test_a_skipped_day_moves_the_next_firing_to_tomorrow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = settings_in(tmp_path, reminder_times=("21:00",))
    now = datetime.fromisoformat("2026-06-01T12:00+02:00")
    skipped = skip_today(ReminderState(), now, ZoneInfo("Europe/Berlin"))
    save_state(folder / "reminders.json", skipped)
    code, out, _ = run(
        capsys, "reminders", "next", "--data-dir", str(folder), "--now", now.isoformat()
    )
    assert (code, out.split()[0]) == (0, "2026-06-02T21:00:00+02:00")


def test_nothing_enabled_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "reminders", "next", "--data-dir", str(tmp_path))
    assert code == 0 and out.startswith("No reminders are on.")
    code, out, _ = run(capsys, "reminders", "next", "--json", "--data-dir", str(tmp_path))
    assert (code, json.loads(out)) == (0, [])


@pytest.mark.parametrize(
    ("now", "reason"),
    [
        ("2026-03-29T07:00", "has no UTC offset"),
        ("tomorrow", "is not a time like"),
        ("20260329T0700+0200", "is not a time like"),
        ("0001-01-01T00:00:00+00:00", "out of range (1970-01-01 to 9998-12-31)"),
        ("9999-12-31T23:59:59+00:00", "out of range (1970-01-01 to 9998-12-31)"),
        ("9998-12-31T23:00:00-05:00", "out of range (1970-01-01 to 9998-12-31)"),
    ],
)
def test_now_that_is_no_usable_instant_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], now: str, reason: str
) -> None:
    code, out, err = run(capsys, "reminders", "next", "--data-dir", str(tmp_path), "--now", now)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("facegym: --now: ") and reason in err


@pytest.mark.parametrize("now", ["1970-01-01T00:00:00Z", "9998-12-31T23:59:59Z"])
def test_now_at_either_end_of_the_range_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], now: str
) -> None:
    folder = settings_in(tmp_path, reminder_times=("07:30",), remind_extended=True)
    code, out, err = run(capsys, "reminders", "next", "--data-dir", str(folder), "--now", now)
    assert (code, err) == (0, "") and "daily reminder at 07:30" in out


def test_reminders_without_an_action_shows_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "reminders", "--data-dir", str(tmp_path))
    assert code == 2 and "ACTION" in err


def test_verbose_logs_debug_to_stderr_on_any_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old"
    code, _, err = run(capsys, "reminders", "next", "--verbose", "--data-dir", str(old))
    assert code == 0 and err == ""  # nothing worth logging happened
    assert logging.getLogger().level == logging.DEBUG
    code, _, _ = run(capsys, "--verbose", "routines", "list", "--data-dir", str(old))
    assert code == 0
    logging.getLogger("facegym_desktop.test").debug("a detail")
    assert "DEBUG facegym_desktop.test: a detail" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "level", "problem"),
    [
        ("warning", logging.WARNING, ""),
        ("DEBUG", logging.DEBUG, ""),
        ("loud", None, "FACEGYM_LOG_LEVEL='loud' is not one of DEBUG, INFO, WARNING"),
    ],
)
def test_log_level_comes_from_the_environment(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    value: str,
    level: int | None,
    problem: str,
) -> None:
    monkeypatch.setenv("FACEGYM_LOG_LEVEL", value)
    before = logging.getLogger().level
    code, _, err = run(capsys, "reminders", "next", "--data-dir", str(tmp_path))
    assert code == 0
    assert logging.getLogger().level == (before if level is None else level)
    if problem:
        assert err.startswith("facegym: ") and problem in err and err.count("\n") == 1
    else:
        assert err == ""


def test_extended_due_today_without_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = settings_in(tmp_path, remind_extended=True)
    args = ("reminders", "next", "--data-dir", str(folder), "--now", "2026-06-01T10:00+02:00")
    code, out, _ = run(capsys, *args)
    # Reminders were never on before now, so today's 09:00 has not been missed.
    assert (code, out) == (0, "2026-06-02T09:00:00+02:00  extended session due (at 09:00)\n")
    save_state(folder / "reminders.json", new_state(datetime(2026, 5, 1, tzinfo=UTC)))
    code, out, _ = run(capsys, *args)
    assert (code, out) == (
        0,
        "2026-06-01T09:00:00+02:00  due now, extended session due (at 09:00)\n",
    )
    assert not (folder / "history.sqlite3").exists()  # asking creates no history


def test_in_the_repeated_autumn_hour_nothing_is_announced_before_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """02:30 for the second time (winter time): 02:45 summer time was an hour ago."""
    folder = settings_in(tmp_path, reminder_times=("02:45", "03:00"))
    code, out, err = run(
        capsys, "reminders", "next", "--data-dir", str(folder), "--now", "2026-10-25T02:30+01:00"
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "2026-10-25T03:00:00+01:00  daily reminder at 03:00",
        "2026-10-26T02:45:00+01:00  daily reminder at 02:45",
    ]


@pytest.mark.parametrize("name", ["Mars/Base", "Europe/Berlinn", "CET-1CEST,M3.5.0,M10.5.0/3"])
def test_a_time_zone_name_not_known_here_is_said_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("TZ", name)
    folder = settings_in(tmp_path, reminder_times=("07:30",))
    code, out, err = run(
        capsys, "reminders", "next", "--data-dir", str(folder), "--now", "2026-07-01T12:00Z"
    )
    assert code == 0 and len(out.splitlines()) == 1
    assert err.count("\n") == 1
    assert err.startswith(f'facegym: note: TZ="{name}" is not a time zone name known here')
    assert "using the UTC offset in force now" in err


@pytest.mark.parametrize(
    "now",
    [
        "0001-01-01T00:00+00:00",
        "0001-01-01T00:30+05:00",
        "9999-12-31T23:59+00:00",
        "9999-12-31T23:00-12:00",
        "1969-12-31T23:59:59+00:00",
    ],
)
def test_now_at_either_end_of_the_calendar_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], now: str
) -> None:
    folder = settings_in(tmp_path, reminder_times=("07:30",), remind_extended=True)
    code, out, err = run(capsys, "reminders", "next", "--data-dir", str(folder), "--now", now)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("facegym: --now: ") and "(1970-01-01 to 9998-12-31)" in err


def test_now_at_the_last_day_in_the_range_is_planned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # 9999-01-01 13:59 there
    folder = settings_in(tmp_path, reminder_times=("07:30",), remind_extended=True)
    code, out, err = run(
        capsys, "reminders", "next", "--data-dir", str(folder), "--now", "9998-12-31T23:59Z"
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "9999-01-02T07:30:00+14:00  daily reminder at 07:30"
