"""`facegym history stats` and `history backup`, through cli.main."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.core.history import SCHEMA_VERSION, HistoryStore, MoveRecord, NewSession
from facegym_desktop.core.vocabulary import AREA_IDS

REQUIRED_KEYS = {
    "current_streak",
    "longest_streak",
    "sessions",
    "completed_sessions",
    "active_days",
    "total_minutes",
    "per_area_minutes",
}


def add_days(data_dir: Path, days: list[int], kind: str = "daily") -> None:
    store = HistoryStore.open(data_dir / "history.sqlite3", data_dir / "backups")
    zone = timezone(timedelta(hours=-5))
    for day in days:
        start = datetime(2026, 6, 1, 21, 30, tzinfo=zone) + timedelta(days=day)
        store.record_session(
            NewSession(
                start,
                start + timedelta(minutes=6),
                "evening",
                "Evening",
                360,
                360,
                "completed",
                4,
                4,
                kind,
                (MoveRecord("cheek-lift", ("cheeks", "temples"), 90),),
            )
        )
    store.close()


def stats_json(data_dir: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    assert main(["history", "stats", "--json", "--data-dir", str(data_dir), *extra]) == 0
    return json.loads(capsys.readouterr().out)


def test_stats_json_on_an_empty_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = stats_json(tmp_path, capsys)
    assert data.keys() >= REQUIRED_KEYS
    assert data["sessions"] == 0 and data["current_streak"] == 0
    assert set(data["per_area_minutes"]) == set(AREA_IDS)


def test_stats_json_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_days(tmp_path, [0, 1, 2, 5, 6])
    data = stats_json(tmp_path, capsys, "--today", "2026-06-08")
    assert data["current_streak"] == 2
    assert data["longest_streak"] == 3
    assert data["sessions"] == 5 and data["completed_sessions"] == 5
    assert data["active_days"] == 5
    assert data["total_minutes"] == 30.0
    assert data["per_area_minutes"]["cheeks"] == 7.5
    assert data["per_area_minutes"]["temples"] == 7.5
    assert data["per_area_minutes"]["neck"] == 0.0
    relaxed = stats_json(tmp_path, capsys, "--today", "2026-06-08", "--rest-days", "2")
    assert relaxed["current_streak"] == 5


def test_stats_text_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_days(tmp_path, [0, 1, 2])
    assert main(["history", "stats", "--today", "2026-06-03", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3-day streak.")
    assert "Longest streak:     3 days" in out
    assert "Cheeks" in out


def test_bad_option_values_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "stats", "--today", "yesterday", "--data-dir", str(tmp_path)]) == 2
    assert main(["history", "stats", "--rest-days", "9", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Traceback" not in err


@pytest.mark.parametrize(
    "today", ["0001-01-01", "0001-01-06", "1969-12-31", "9999-01-01", "9999-12-31", "20260329"]
)
def test_today_out_of_range_or_form_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], today: str
) -> None:
    add_days(tmp_path, [0])
    assert main(["history", "stats", "--today", today, "--data-dir", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("facegym: --today: ") and captured.err.count("\n") == 1
    assert "1970-01-01 to 9998-12-31" in captured.err or "not a date like" in captured.err


@pytest.mark.parametrize("today", ["1970-01-01", "9998-12-31"])
def test_today_at_either_end_of_the_range_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], today: str
) -> None:
    add_days(tmp_path, [0, 1])
    data = stats_json(tmp_path, capsys, "--today", today)
    assert data["today"] == today and data["sessions"] == 2
    assert capsys.readouterr().err == ""


def test_stats_text_says_the_extended_goal_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_days(tmp_path, [0], kind="extended")
    assert main(["history", "stats", "--today", "2026-06-02", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.lower().count("extended session") == 1
    assert "Extended session:   due in 3 days" in out


def test_stats_on_a_newer_schema_reads_and_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_days(tmp_path, [0])
    with sqlite3.connect(tmp_path / "history.sqlite3") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 3}")
    conn.close()
    assert main(["history", "stats", "--json", "--data-dir", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["sessions"] == 1
    assert "newer version of FaceGym" in captured.err and "read-only" in captured.err


def test_stats_on_garbage_recovers_and_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "history.sqlite3").write_bytes(b"\x00garbage" * 1000)
    assert main(["history", "stats", "--json", "--data-dir", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["sessions"] == 0
    assert "history.sqlite3 was damaged" in captured.err
    assert len(list(tmp_path.glob("history.sqlite3.damaged-*"))) == 1


def test_a_damaged_journal_is_named_line_by_line_and_the_rest_replayed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = "2026-06-01T21:30:00-05:00"
    begin = {
        "v": 1, "kind": "begin", "started_at": started, "routine_id": "evening",
        "routine_name": "Evening", "routine_kind": "daily", "planned_seconds": 360,
        "moves_total": 1, "owner": None,
    }
    finish = {
        "v": 1, "kind": "finish", "started_at": started, "routine_id": "evening",
        "status": "completed", "active_seconds": 360, "moves_completed": 1,
        "at": "2026-06-01T21:36:00-05:00",
    }
    lines = [
        json.dumps(begin).encode(),
        b'{"v": 1, "kind": "mo',
        b"[1, 2]",
        json.dumps(finish | {"active_seconds": 1e999}).encode(),
        b"\xff\xfe\x00",
        json.dumps(finish).encode(),
    ]
    (tmp_path / "pending-writes.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    argv = ["history", "stats", "--json", "--today", "2026-06-01", "--data-dir", str(tmp_path)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["completed_sessions"] == 1
    notes = err.splitlines()
    journal = tmp_path / "pending-writes.jsonl"
    assert [note.split(": ")[4] for note in notes] == ["line 2", "line 3", "line 4", "line 5"]
    assert all(
        note.startswith(f"facegym: note: History journal: {journal}: ") for note in notes
    )
    assert "Traceback" not in err and "Error" not in err
    (aside,) = tmp_path.glob("pending-writes.jsonl.unreadable-*")
    assert aside.read_bytes().splitlines() == lines[1:5]
    assert main(["history", "stats", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().err == ""  # said once: the journal is clean now


def _truncate(path: Path) -> None:
    add_days(path.parent, list(range(40)))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def _make_folder(path: Path) -> None:
    path.mkdir()
    (path / "kept.txt").write_text("a file inside", encoding="utf-8")


DAMAGE = {
    "garbage": lambda path: path.write_bytes(bytes(range(256)) * 80),
    "truncated": _truncate,
    "text": lambda path: path.write_text("not a database, just words\n", encoding="utf-8"),
    "folder": _make_folder,
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_a_damaged_database_is_one_line_naming_it_and_where_it_went(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    database = tmp_path / "history.sqlite3"
    DAMAGE[kind](database)
    before = sorted(p.name for p in database.rglob("*")) if database.is_dir() else None
    assert main(["history", "stats", "--json", "--data-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["sessions"] == 0
    (aside,) = tmp_path.glob("history.sqlite3.damaged-*")
    assert err.count("\n") == 1 and err.startswith(f"facegym: note: {database} ")
    assert f"set aside as {aside.name} and a new, empty history started." in err
    for raw in ("malformed", "file is not a database", "SQLite", "Error", "Traceback"):
        assert raw not in err
    if before is not None:  # a folder is moved whole, its files with it
        assert sorted(p.name for p in aside.rglob("*")) == before


def test_backup_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    add_days(data_dir, [0, 1])
    target = tmp_path / "saved.sqlite3"
    assert main(["history", "backup", str(target), "--data-dir", str(data_dir)]) == 0
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 2
    conn.close()
    folder = tmp_path / "folder"
    folder.mkdir()
    assert main(["history", "backup", str(folder), "--data-dir", str(data_dir)]) == 0
    assert len(list(folder.glob("facegym-history-*.sqlite3"))) == 1
    assert "Backed up" in capsys.readouterr().out
    missing_parent = tmp_path / "no" / "such" / "dir" / "x.sqlite3"
    # A folder that does not exist is not made silently: one line, exit 1.
    assert main(["history", "backup", str(missing_parent), "--data-dir", str(data_dir)]) == 1
    assert "no such folder" in capsys.readouterr().err
    assert not (tmp_path / "no").exists()


def test_history_without_action_shows_usage(tmp_path: Path) -> None:
    assert main(["history", "--data-dir", str(tmp_path)]) == 2
