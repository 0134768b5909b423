"""The journal of kept session steps read from untrusted bytes: a line that holds no
write is set aside with one line naming the journal and its line; every good line is
still replayed; nothing raises."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from facegym_desktop.core.history import HistoryStore
from facegym_desktop.core.history_journal import (
    JOURNAL_NAME,
    MAX_NOTES,
    SessionWrite,
    WriteJournal,
)

ZONE = timezone(timedelta(hours=2))
START = datetime(2026, 5, 4, 7, 30, tzinfo=ZONE)


def session_lines(started: datetime = START) -> list[bytes]:
    """A whole session as the journal holds it: begin, one move, finish."""
    writes = [
        SessionWrite.begin(started, "r", "Routine", "daily", 300, 1),
        SessionWrite.move(
            started, "r", position=1, move_id="m1", areas=["chin"], seconds=30.0, reps=8,
            active_seconds=30, moves_completed=1, at=started + timedelta(seconds=30),
        ),
        SessionWrite.finish(
            started, "r", status="completed", ended_at=started + timedelta(minutes=1),
            active_seconds=30, moves_completed=1,
        ),
    ]
    return [json.dumps(write.to_json()).encode() for write in writes]


MOVE = json.loads(session_lines()[1])


def move_with(**changes: object) -> bytes:
    return json.dumps({**MOVE, **changes}).encode()


BAD_LINES = {
    "cut short": session_lines()[1][:40],
    "a list": b"[1, 2, 3]",
    "a number": b"42",
    "null": b"null",
    "areas a number": move_with(areas=5),
    "areas of numbers": move_with(areas=[1, 2]),
    "seconds as text": move_with(seconds="40"),
    "seconds infinite": move_with(seconds=1e999),
    "seconds NaN": session_lines()[1].replace(b'"seconds": 30.0', b'"seconds": NaN'),
    "reps huge": move_with(reps=10**30),
    "reps of 5000 digits": session_lines()[1].replace(b'"reps": 8', b'"reps": 1' + b"0" * 5000),
    "reps a bool": move_with(reps=True),
    "position negative": move_with(position=-1),
    "time without offset": move_with(at="2026-05-04T07:31:00"),
    "time in year 1": move_with(started_at="0001-01-01T00:00:00+05:00"),
    "time not a time": move_with(at="soon"),
    "routine id missing": move_with(routine_id=""),
    "unknown kind": move_with(kind="pause"),
    "newer format": move_with(v=2),
    "invalid UTF-8": b'{"v": 1, "kind": "\xff\xfe"}',
    "nested deeply": b"[" * 100_000,
}


def open_store(folder: Path) -> HistoryStore:
    return HistoryStore.open(folder / "history.sqlite3", folder / "backups", daily_backup=False)


@pytest.mark.parametrize("bad", list(BAD_LINES.values()), ids=list(BAD_LINES))
def test_a_bad_line_is_set_aside_named_and_the_good_ones_replayed(
    tmp_path: Path, bad: bytes
) -> None:
    store = open_store(tmp_path)
    begin, move, finish = session_lines()
    store.journal.path.write_bytes(b"\n".join([begin, bad, move, finish]) + b"\n")
    settled = store.settle()
    assert (settled.applied, settled.kept) == (3, 0)
    (record,) = store.sessions()
    assert record.status == "completed" and len(store.moves(record.id)) == 1
    (note,) = settled.notes
    assert note.startswith(f"History journal: {store.journal.path}: line 2: ")
    assert "\n" not in note and "Traceback" not in note and "Error" not in note
    (aside,) = tmp_path.glob(f"{JOURNAL_NAME}.unreadable-*")
    assert aside.read_bytes() == bad + b"\n" and aside.name in note
    assert not store.journal.path.exists()
    store.close()


def test_a_step_that_can_never_apply_is_set_aside_too(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    orphan = session_lines(START - timedelta(days=1))[2]  # the end of a session never begun
    store.journal.path.write_bytes(b"\n".join([orphan, *session_lines()]) + b"\n")
    settled = store.settle()
    assert settled.applied == 3 and len(store.sessions()) == 1
    (note,) = settled.notes
    assert "line 1: a step of a session whose start is not in the history" in note
    (aside,) = tmp_path.glob(f"{JOURNAL_NAME}.unreadable-*")
    assert aside.read_bytes() == orphan + b"\n"
    store.close()


def test_many_bad_lines_are_named_up_to_a_few_then_counted(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.journal.path.write_bytes(b"junk\n" * (MAX_NOTES + 3) + session_lines()[0] + b"\n")
    settled = store.settle()
    assert settled.applied == 1 and len(settled.notes) == MAX_NOTES + 1
    assert settled.notes[-1].startswith(f"History journal: {store.journal.path}: 3 more lines")
    store.close()


def test_a_journal_that_cannot_be_read_is_one_note_and_stays(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.journal.path.mkdir()  # a folder where the journal belongs
    settled = store.settle()
    (note,) = settled.notes
    assert note.startswith(f"History journal: {store.journal.path}: cannot be read")
    assert store.journal.path.is_dir()
    store.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


@given(json_values)
@example(MOVE | {"seconds": float("inf")})
@example(MOVE | {"kind": "finish", "status": "done"})
def test_from_json_takes_a_write_or_raises_value_error(data: object) -> None:
    try:
        write = SessionWrite.from_json(data)
    except ValueError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert SessionWrite.from_json(json.loads(json.dumps(write.to_json()))) == write


@given(
    st.dictionaries(
        st.sampled_from(sorted(MOVE)),
        json_values | st.sampled_from(["2026-05-04T07:30:00+02:00", "move", 1, 30.5]),
    )
)
def test_a_move_with_fields_changed_parses_or_names_the_field(changes: dict[str, object]) -> None:
    try:
        SessionWrite.from_json({**MOVE, **changes})
    except ValueError as error:
        named = str(error).split(":")[0]
        assert named in {*MOVE, "status"}  # a finish without its status


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(st.lists(st.one_of(st.binary(max_size=60), st.sampled_from(session_lines())), max_size=8))
def test_read_lines_keeps_every_good_line_and_names_every_other(
    tmp_path: Path, lines: list[bytes]
) -> None:
    journal = WriteJournal(tmp_path / JOURNAL_NAME)
    journal.path.write_bytes(b"\n".join(lines))
    read = journal.read_lines()
    good = set(session_lines())
    numbered = list(enumerate(b"\n".join(lines).split(b"\n"), start=1))
    assert [entry.line for entry in read.entries] == [n for n, raw in numbered if raw in good]
    assert [line.line for line in read.skipped] == [
        n for n, raw in numbered if raw.strip() and raw not in good
    ]
    assert all(line.reason and "\n" not in line.reason for line in read.skipped)


def test_set_aside_never_overwrites_an_earlier_copy(tmp_path: Path) -> None:
    journal = WriteJournal(tmp_path / JOURNAL_NAME)
    now = datetime(2026, 5, 4, 7, 30, tzinfo=UTC)
    first = journal.set_aside([b"one"], now)
    second = journal.set_aside([b"two"], now)
    assert first != second and first.read_bytes() == b"one\n" and second.read_bytes() == b"two\n"
