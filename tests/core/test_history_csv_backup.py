"""The CSV export as a full backup: whatever it writes imports back unchanged."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facegym_desktop.cli import main
from facegym_desktop.core.history import HistoryStore, MoveRecord, NewSession, format_time
from facegym_desktop.core.history_csv import (
    COLUMNS,
    EXPORT_COLUMNS,
    parse_csv_bytes,
    read_csv,
    write_csv,
)
from facegym_desktop.core.routine_text import BIDI_CONTROLS
from facegym_desktop.core.vocabulary import AREA_IDS

BERLIN = timezone(timedelta(hours=2))
HEADER = ",".join(COLUMNS)


def run(data_dir: Path, *args: str) -> int:
    return main([*args, "--data-dir", str(data_dir)])


def open_store(folder: Path) -> HistoryStore:
    folder.mkdir(parents=True, exist_ok=True)
    return HistoryStore.open(folder / "history.sqlite3", folder / "backups", daily_backup=False)


def session(
    start: datetime,
    *,
    minutes: int = 5,
    kind: str | None = "daily",
    name: str = "Morning glow",
    routine_id: str = "morning-glow",
    moves: tuple[MoveRecord, ...] = (),
    ended: datetime | None = None,
    active: int | None = None,
) -> NewSession:
    seconds = minutes * 60
    return NewSession(
        start,
        start + timedelta(seconds=seconds) if ended is None else ended,
        routine_id,
        name,
        seconds,
        seconds if active is None else active,
        "completed",
        len(moves),
        max(len(moves), 1),
        kind,
        moves,
    )


def stats_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert run(data_dir, "history", "stats", "--json", "--today", "2026-03-12") == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_round_trip_keeps_stats_kind_and_minutes_per_area(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first"
    store = open_store(first)
    day = datetime(2026, 3, 10, 8, 0, tzinfo=BERLIN)
    relax_moves = (
        MoveRecord("jaw-release", ("jawline", "cheeks"), 400, None),
        MoveRecord("brow-smooth", ("forehead",), 320, 8),
    )
    store.record_session(session(day, minutes=12, kind="relax", name="Relax", moves=relax_moves))
    store.record_session(
        session(day + timedelta(days=1), moves=(MoveRecord("chin-flicks", ("chin",), 300),))
    )
    store.close()
    before = stats_json(first, capsys)
    assert before["goals"]["extended"]["last_day"] is None  # type: ignore[index]
    target = tmp_path / "backup.csv"
    assert run(first, "history", "export", "--csv", str(target)) == 0
    second = tmp_path / "second"
    assert run(second, "history", "import", "--csv", str(target)) == 0
    after = stats_json(second, capsys)
    assert after == before
    assert after["per_area_minutes"]["jawline"] == 6.7  # type: ignore[index]
    with open_store(second) as copy:
        stored = copy.sessions(newest_first=False)
        assert stored[0].routine_kind == "relax"
        assert copy.moves(stored[0].id) == list(relax_moves)


def test_nine_column_files_still_import() -> None:
    row = "2026-03-29T07:45:00+02:00,2026-03-29T07:50:10+02:00,r,R,300,300,completed,6,6"
    parsed = parse_csv_bytes(f"{HEADER}\n{row}\n".encode())
    assert parsed.ok
    assert parsed.sessions[0].routine_kind is None and parsed.sessions[0].moves == ()


def export_and_parse(tmp: Path, sessions: list[NewSession]) -> tuple[HistoryStore, list[str]]:
    store = open_store(tmp / "a")
    store.record_sessions(sessions)
    target = tmp / "out.csv"
    write_csv(store.export_rows(), target, moves_of=store.moves)
    parsed = read_csv(target)
    return store, [problem.message for problem in parsed.problems]


@pytest.mark.parametrize(
    "odd",
    [
        session(datetime(2026, 3, 1, 8, tzinfo=BERLIN), name="Tab\tin the name"),
        # Paused overnight: ended more than a day after it started.
        session(
            datetime(2026, 3, 1, 8, tzinfo=BERLIN),
            ended=datetime(2026, 3, 3, 9, tzinfo=BERLIN),
        ),
        # The clock was set back during the session.
        session(
            datetime(2026, 3, 1, 8, tzinfo=BERLIN),
            ended=datetime(2026, 3, 1, 7, 30, tzinfo=BERLIN),
        ),
    ],
    ids=["tab-in-name", "over-a-day", "clock-set-back"],
)
def test_rows_the_app_can_store_import(tmp_path: Path, odd: NewSession) -> None:
    good = session(datetime(2026, 3, 2, 8, tzinfo=BERLIN), routine_id="other")
    store, problems = export_and_parse(tmp_path, [odd, good])
    store.close()
    assert problems == []


def test_a_session_the_app_ends_after_the_clock_was_set_back_a_little_imports(
    tmp_path: Path,
) -> None:
    # Set back by less than the session's length: the end is still after the start,
    # but nearer to it than the massage lasted.  Stored, the end moves to where the
    # massage ended, so the export keeps a row the import accepts.
    store = open_store(tmp_path / "a")
    start = datetime(2026, 3, 1, 8, tzinfo=BERLIN)
    session_id = store.begin_session("r", "R", "daily", 300, 2, start)
    store.finish_session(session_id, "completed", start + timedelta(seconds=120), 300, 2)
    (stored,) = store.sessions()
    assert stored.ended_at == start + timedelta(seconds=300)
    target = tmp_path / "out.csv"
    write_csv(store.export_rows(), target, moves_of=store.moves)
    store.close()
    assert not read_csv(target).problems


def test_refused_characters_are_replaced_on_export(tmp_path: Path) -> None:
    odd = session(datetime(2026, 3, 1, 8, tzinfo=BERLIN), name="Bell\x07 and \u202eflip")
    store, problems = export_and_parse(tmp_path, [odd])
    store.close()
    assert problems == []
    parsed = read_csv(tmp_path / "out.csv")
    assert parsed.sessions[0].routine_name == "Bell\ufffd and \ufffdflip"


# ---------------------------------------------------------- the property


_TEXT_CHARS = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters=BIDI_CONTROLS)
_ID_CHARS = st.characters(
    blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters=BIDI_CONTROLS
)
_names = st.text(st.one_of(_TEXT_CHARS, st.just("\t"), st.sampled_from(',"\'\n')), min_size=1,
                 max_size=200).map(lambda text: text.replace("\n", " "))
_ids = st.text(_ID_CHARS, min_size=1, max_size=100).filter(
    lambda text: not any(char.isspace() for char in text)
)
_offsets = st.integers(-14 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))
_moves = st.builds(
    MoveRecord,
    _ids,
    st.lists(st.sampled_from(AREA_IDS), max_size=3).map(tuple),
    st.integers(0, 3600),
    st.none() | st.integers(0, 50),
)


@st.composite
def stored_sessions(draw: st.DrawFn) -> NewSession:
    offset = draw(_offsets)
    start = draw(
        st.datetimes(datetime(2000, 1, 1), datetime(2090, 1, 1)).map(
            lambda moment: moment.replace(microsecond=0, tzinfo=offset)
        )
    )
    kind_of_end = draw(st.sampled_from(["normal", "set-back", "none"]))
    planned = draw(st.integers(1, 24 * 3600))
    active = draw(st.integers(0, 24 * 3600))
    ended: datetime | None
    if kind_of_end == "normal":
        ended = start + timedelta(seconds=active + draw(st.integers(0, 3 * 24 * 3600)))
    elif kind_of_end == "set-back":
        ended = start - timedelta(seconds=draw(st.integers(1, 24 * 3600)))
    else:
        ended = None
    if ended is not None:
        ended = ended.astimezone(draw(_offsets))
    total = draw(st.integers(0, 60))
    return NewSession(
        start,
        ended,
        draw(_ids),
        draw(_names),
        planned,
        active,
        draw(st.sampled_from(["completed", "partial", "interrupted"])),
        draw(st.integers(0, total)),
        total,
        draw(st.none() | st.sampled_from(["daily", "extended", "relax", "tool"])),
        tuple(draw(st.lists(_moves, max_size=4))),
    )


def snapshot(store: HistoryStore) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for record in store.sessions(newest_first=False):
        rows.append(
            (
                format_time(record.started_at),
                None if record.ended_at is None else format_time(record.ended_at),
                *record[3:],
                tuple(store.moves(record.id)),
            )
        )
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(stored_sessions(), max_size=6, unique_by=lambda s: s.started_at))
def test_any_stored_sessions_export_and_import_unchanged(sessions: list[NewSession]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        store, problems = export_and_parse(tmp, sessions)
        assert problems == []
        before = snapshot(store)
        store.close()
        copy = open_store(tmp / "b")
        copy.import_sessions(read_csv(tmp / "out.csv").sessions)
        assert snapshot(copy) == before
        copy.close()


# ---------------------------------------------------------- what cannot be right


def row(**changes: str) -> str:
    values = {
        "started_at": "2026-03-29T07:45:00+02:00",
        "ended_at": "2026-03-29T07:50:10+02:00",
        "routine_id": "r",
        "routine_name": "R",
        "planned_seconds": "300",
        "active_seconds": "300",
        "status": "completed",
        "moves_completed": "6",
        "moves_total": "6",
        "routine_kind": "",
        "moves": "",
    }
    values.update(changes)
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([EXPORT_COLUMNS, list(values.values())])
    return buffer.getvalue()


def problems_of(text: str) -> list[str]:
    return [problem.format("f.csv") for problem in parse_csv_bytes(text.encode()).problems]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"active_seconds": "400"}, "active_seconds: 400 is longer than the 310 s"),
        ({"planned_seconds": "3_00"}, "planned_seconds: '3_00' is not a number"),
        ({"planned_seconds": "+300"}, "planned_seconds: '+300' is not a number"),
        ({"planned_seconds": "٣٠٠"}, "planned_seconds: '\\u0663\\u0660\\u0660' is not a number"),
        ({"moves_total": " 6"}, "moves_total: ' 6' is not a number"),
        ({"routine_name": "A\x1bB"}, "routine_name: contains a control character (U+001B)"),
        ({"routine_name": "A\u202eB"}, "routine_name: contains a bidirectional control"),
        ({"routine_id": "a\u2066b"}, "routine_id: contains a bidirectional control"),
        ({"routine_kind": "da\x85ily"}, "routine_kind: contains a control character"),
        ({"started_at": "2026-03-29T07:45:00+0200"}, "started_at: '2026-03-29T07:45:00+0200'"),
        ({"moves": "[1]"}, "moves[1]: expected an object"),
        ({"moves": '[{"move_id":"m","areas":["jawline"],"seconds":1.5}]'}, "moves[1].seconds"),
        ({"moves": '[{"move_id":"m","areas":["a,b"],"seconds":1}]'}, "moves[1].areas"),
        ({"moves": '[{"move_id":"m","areas":["elbow"],"seconds":1}]'},
         "moves[1].areas: 'elbow' is not an area (one of forehead, "),
        ({"routine_kind": "weekly"},
         "routine_kind: 'weekly' is not one of daily, extended, relax, tool (or empty)"),
        ({"moves": "[" * 5000}, "moves: is not a JSON list"),
    ],
)
def test_what_cannot_be_right_is_refused_naming_the_line(
    changes: dict[str, str], message: str
) -> None:
    found = problems_of(row(**changes))
    assert any(line.startswith("f.csv: line 2: ") and message in line for line in found), found


def test_active_time_within_the_span_and_a_clock_set_back_are_accepted() -> None:
    assert problems_of(row(active_seconds="311")) == []  # one second of slack for rounding
    assert problems_of(row(ended_at="2026-03-29T07:40:00+02:00", active_seconds="300")) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_reading_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(read_csv(fifo)), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    parsed = result[0]
    assert "not a regular file" in parsed.problems[0].message  # type: ignore[attr-defined]


def test_a_device_is_refused() -> None:
    parsed = read_csv("/dev/zero")
    assert not parsed.ok and "not a regular file" in parsed.problems[0].message
