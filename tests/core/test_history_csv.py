"""CSV export and import, through the command line and the parser directly."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.cli import main
from facegym_desktop.core.history import HistoryStore, MoveRecord, NewSession
from facegym_desktop.core.history_csv import COLUMNS, WHOLE_FILE, parse_csv_bytes

HEADER = ",".join(COLUMNS)
GOOD = (
    "2026-03-29T07:45:00+02:00,2026-03-29T07:50:10+02:00,"
    "morning-glow,Morning glow,300,310,completed,6,6"
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


def run(data_dir: Path, *args: str) -> int:
    return main([*args, "--data-dir", str(data_dir)])


def seed(data_dir: Path) -> None:
    store = HistoryStore.open(data_dir / "history.sqlite3", data_dir / "backups")
    tokyo = timezone(timedelta(hours=9))
    start = datetime(2026, 3, 1, 7, 0, tzinfo=tokyo)
    store.record_session(
        NewSession(
            start,
            start + timedelta(minutes=5),
            "morning-glow",
            'Morning "glow", v2',
            300,
            300,
            "completed",
            5,
            5,
            "daily",
            (MoveRecord("chin-flicks", ("chin",), 40),),
        )
    )
    store.record_session(
        NewSession(
            start + timedelta(days=1),
            start + timedelta(days=1, minutes=9),
            "sunday-long",
            "Sunday long",
            1080,
            540,
            "partial",
            4,
            9,
            "extended",
        )
    )
    store.begin_session("morning-glow", "Morning glow", "daily", 300, 5, start + timedelta(days=2))
    store.close()


def test_export_writes_the_contract_columns_in_order(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    target = tmp_path / "out.csv"
    assert run(data_dir, "history", "export", "--csv", str(target)) == 0
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "started_at,ended_at,routine_id,routine_name,planned_seconds,active_seconds,"
        "status,moves_completed,moves_total,routine_kind,moves"
    )
    assert lines[1] == (
        "2026-03-01T07:00:00+09:00,2026-03-01T07:05:00+09:00,morning-glow,"
        '"Morning ""glow"", v2",300,300,completed,5,5,daily,'
        '"[{""move_id"":""chin-flicks"",""areas"":[""chin""],""seconds"":40}]"'
    )
    assert len(lines) == 3  # the session still in progress is not exported
    assert "Exported 2 sessions" in capsys.readouterr().out


def test_export_then_import_elsewhere_round_trips(data_dir: Path, tmp_path: Path) -> None:
    seed(data_dir)
    first = tmp_path / "first.csv"
    run(data_dir, "history", "export", "--csv", str(first))
    other = tmp_path / "other"
    assert run(other, "history", "import", "--csv", str(first)) == 0
    second = tmp_path / "second.csv"
    run(other, "history", "export", "--csv", str(second))
    assert second.read_text() == first.read_text()


def test_import_skips_duplicates(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.csv"
    # The third row is the first one written in another offset: the same instant.
    source.write_text(
        "\n".join(
            [
                HEADER,
                GOOD,
                "2026-03-30T07:45:00+02:00,2026-03-30T07:50:00+02:00,"
                "morning-glow,Morning glow,300,300,completed,6,6",
                "2026-03-29T05:45:00+00:00,2026-03-29T05:50:10+00:00,"
                "morning-glow,Morning glow,300,310,completed,6,6",
            ]
        )
        + "\n"
    )
    assert run(data_dir, "history", "import", "--csv", str(source)) == 0
    assert "Imported 2 sessions" in capsys.readouterr().out
    assert run(data_dir, "history", "import", "--csv", str(source)) == 0
    out = capsys.readouterr().out
    assert "Imported 0 sessions" in out and "skipped 3" in out


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        "\n".join(
            [
                HEADER,
                GOOD,
                "2026-03-30T07:45:00,2026-03-30T07:50:00+02:00,r,R,300,300,completed,6,6",
                "",
                "2026-03-31T07:45:00+02:00,2026-03-31T07:40:00+02:00,r,R,300,300,finished,7,6",
                "2026-04-01T07:45:00+02:00,2026-04-01T07:50:00+02:00,r,R,abc,300,completed,6,6",
                "too,few,fields",
                GOOD.replace("morning-glow", "another"),
            ]
        )
        + "\n"
    )
    assert run(data_dir, "history", "import", "--csv", str(source)) == 1
    err = capsys.readouterr().err
    assert f"{source}: line 3: started_at: '2026-03-30T07:45:00' has no UTC offset" in err
    assert f"{source}: line 5: status: 'finished' is not one of" in err
    assert f"{source}: line 5: moves_completed: 7 is more than moves_total (6)" in err
    assert f"{source}: line 6: planned_seconds: 'abc' is not a number" in err
    assert "line 5: ended_at" not in err  # an end before the start: the clock went back
    assert f"{source}: line 7: expected 9 fields, found 3" in err
    assert "line 2" not in err and "line 8" not in err
    assert err.splitlines()[-1] == f"facegym: nothing imported from {source}: 4 lines refused"
    assert "Traceback" not in err
    run(data_dir, "history", "stats", "--json")
    assert json.loads(capsys.readouterr().out)["sessions"] == 0


def test_multi_line_fields_keep_line_numbers_right() -> None:
    text = "\n".join(
        [
            HEADER,
            '2026-03-29T07:45:00+02:00,2026-03-29T07:50:00+02:00,r,"two\nlines",300,300,completed,1,1',
            "2026-03-29T08:45:00+02:00,2026-03-29T08:50:00+02:00,r,R,300,300,bogus,1,1",
        ]
    )
    parsed = parse_csv_bytes(text.encode())
    lines = sorted({problem.line for problem in parsed.problems})
    assert lines == [2, 4]  # the control character in the name; the bad status


def test_what_is_refused_counts_lines_not_problems() -> None:
    bad = "2026-03-29T07:45:00+02:00,2026-03-29T07:50:00+02:00,r,R,-5,300,bogus,1,1"
    parsed = parse_csv_bytes("\n".join([HEADER, bad, bad]).encode())
    assert len(parsed.problems) == 4 and parsed.refused() == "2 lines refused"
    assert parse_csv_bytes(b"").refused() == "the file was refused"
    many = parse_csv_bytes("\n".join([HEADER, *[bad] * 40]).encode())
    shown = many.problem_lines("f.csv", limit=3)
    assert shown[:3] == [problem.format("f.csv") for problem in many.problems[:3]]
    assert shown[3] == "f.csv: ... and 77 more problems"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "is UTF-16 text; save it as UTF-8"),
        (b"date\n\xe9t\xe9\n", "is not UTF-8 text (the first character that is not is on line 2)"),
        (b"date,minutes\n2026-01-01,5\n", "missing column"),
        (HEADER.encode() + b"\n\x00\x00\x00", "NUL byte"),
        (b'"unterminated\n', "header"),
    ],
)
def test_files_that_are_not_history_csv(content: bytes, message: str) -> None:
    parsed = parse_csv_bytes(content)
    assert not parsed.ok and not parsed.sessions
    assert message in parsed.problems[0].message


def test_a_problem_with_the_whole_file_names_the_file_not_a_line(tmp_path: Path) -> None:
    from facegym_desktop.core.history_csv import read_csv

    (found,) = read_csv(tmp_path).problems  # a folder
    assert found.format("x.csv") == "x.csv: file: is a folder, not a CSV file"
    (found,) = parse_csv_bytes(b"\xff\xfeh\x00").problems
    assert found.format("x.csv").startswith("x.csv: file: is UTF-16 text")


def test_reordered_columns_are_accepted() -> None:
    names = list(COLUMNS)
    values = GOOD.split(",")
    order = [8, 0, 7, 1, 6, 2, 5, 3, 4]
    text = ",".join(names[i] for i in order) + "\n" + ",".join(values[i] for i in order)
    parsed = parse_csv_bytes(text.encode())
    assert parsed.ok
    assert parsed.sessions[0].routine_id == "morning-glow"
    assert parsed.sessions[0].started_at.utcoffset() == timedelta(hours=2)


def test_import_of_missing_file_is_one_line(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(data_dir, "history", "import", "--csv", str(tmp_path / "nope.csv")) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_never_raise(content: bytes) -> None:
    parsed = parse_csv_bytes(content)
    assert parsed.ok or not parsed.sessions
    assert all("\n" not in problem.message for problem in parsed.problems)


EXPORT = f"{HEADER}\n{GOOD}\n{GOOD.replace('07:45', '08:45')}\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (EXPORT.encode("utf-16-le"), "is UTF-16 text; save it as UTF-8"),
        (EXPORT.encode("utf-16-be"), "is UTF-16 text; save it as UTF-8"),
        (EXPORT.encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
        (EXPORT.encode("utf-32"), "is UTF-32 text; save it as UTF-8"),
        (
            EXPORT.replace("Morning glow", "Matin café").encode("latin-1"),
            "is not UTF-8 text (the first character that is not is on line 2); save it",
        ),
        (
            EXPORT.replace("glow", "glow \u2013 soft").encode("cp1252"),
            "is not UTF-8 text (the first character that is not is on line 2); save it",
        ),
        (bytes(range(256)) * 20, "is not a text file; give a CSV file saved as UTF-8"),
        (bytes(3000), "is not a text file; give a CSV file saved as UTF-8"),
        (b"\n\n   \n", "is empty; expected a header row"),
    ],
    ids=[
        "utf-16-le", "utf-16-be", "utf-16-bom", "utf-32", "latin-1", "cp1252", "binary",
        "zeros", "blank",
    ],
)
def test_a_file_in_another_encoding_is_one_whole_file_problem(
    content: bytes, message: str
) -> None:
    (problem,) = parse_csv_bytes(content).problems
    assert problem.line == WHOLE_FILE and message in problem.message


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(st.characters(codec="latin-1"), max_size=20), min_size=1, max_size=6),
    st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]),
)
def test_any_wide_text_is_told_as_a_whole_file(cells: list[str], codec: str) -> None:
    text = f"{HEADER}\n" + "\n".join(f"{GOOD},{cell}" for cell in cells)
    (problem,) = parse_csv_bytes(text.encode(codec)).problems
    assert problem.line == WHOLE_FILE and "save it as UTF-8" in problem.message


def test_import_of_a_utf16_file_without_a_mark_is_one_line_for_the_file(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "from-a-spreadsheet.csv"
    source.write_bytes(EXPORT.encode("utf-16-le"))
    assert run(data_dir, "history", "import", "--csv", str(source)) == 1
    assert capsys.readouterr().err.splitlines() == [
        f'{source}: file: is UTF-16 text; save it as UTF-8 ("CSV UTF-8")',
        f"facegym: nothing imported from {source}: the file was refused",
    ]


def test_import_of_a_header_alone_says_there_is_nothing(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "empty-history.csv"
    source.write_text(HEADER + "\n", encoding="utf-8")
    assert run(data_dir, "history", "import", "--csv", str(source)) == 0
    out, err = capsys.readouterr()
    assert (out, err) == (f"Nothing to import: {source} has a header row but no sessions.\n", "")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=11), max_size=8))
def test_random_rows_under_the_right_header_never_raise(rows: list[list[str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    parsed = parse_csv_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
    for problem in parsed.problems:
        assert problem.line >= 2


def test_imported_rows_count_as_extended_by_planned_length(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "long.csv"
    source.write_text(
        HEADER
        + "\n"
        + (
            "2026-03-29T18:00:00+02:00,2026-03-29T18:16:00+02:00,sunday-long,Sunday long,"
            "960,960,completed,9,9\n"
        )
    )
    run(data_dir, "history", "import", "--csv", str(source))
    capsys.readouterr()
    run(data_dir, "history", "stats", "--json", "--today", "2026-03-30")
    data = json.loads(capsys.readouterr().out)
    assert data["goals"]["extended"]["last_day"] == "2026-03-29"
    assert data["goals"]["extended"]["due_in_days"] == 3
    assert data["current_streak"] == 1
    assert data["total_minutes"] == 16.0
    assert date.fromisoformat(data["today"]) == date(2026, 3, 30)
