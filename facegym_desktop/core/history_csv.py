"""The history as CSV: export, and an import that checks every row first.

Columns (a fixed contract: docs/contracts.md, History CSV), in this order::

    started_at,ended_at,routine_id,routine_name,planned_seconds,active_seconds,
    status,moves_completed,moves_total

Times are ISO 8601 with the UTC offset (``2026-03-29T07:45:00+02:00``).  An import
file is untrusted: every row is validated, every problem is reported with its line
number, and nothing is written unless the whole file is good.  The CSV carries no
routine kind, so imported rows count as extended by their planned length (see
``core/stats.py``).  Sessions still in progress are not exported.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from facegym_desktop.core.history import NewSession, SessionRecord, format_time
from facegym_desktop.core.stats import STATUSES

COLUMNS: tuple[str, ...] = (
    "started_at",
    "ended_at",
    "routine_id",
    "routine_name",
    "planned_seconds",
    "active_seconds",
    "status",
    "moves_completed",
    "moves_total",
)
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_SECONDS = 24 * 60 * 60
MAX_MOVES = 10_000
MAX_ID = 100
MAX_NAME = 200
MAX_PROBLEMS_SHOWN = 50


@dataclass(frozen=True, order=True)
class CsvProblem:
    """One bad place in an import file: ``PATH: line N: MESSAGE``."""

    line: int
    message: str

    def format(self, path: str) -> str:
        return f"{path}: line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedCsv:
    sessions: tuple[NewSession, ...]
    problems: tuple[CsvProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def session_to_row(session: SessionRecord) -> list[str]:
    return [
        format_time(session.started_at),
        "" if session.ended_at is None else format_time(session.ended_at),
        session.routine_id,
        session.routine_name,
        str(session.planned_seconds),
        str(session.active_seconds),
        session.status,
        str(session.moves_completed),
        str(session.moves_total),
    ]


def write_csv(sessions: Iterable[SessionRecord], path: str | os.PathLike[str]) -> int:
    """Write ``sessions`` to ``path`` (temp file, then rename); returns the row count."""
    target = Path(path)
    temporary = target.with_name(target.name + ".partial")
    count = 0
    try:
        with temporary.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            for session in sessions:
                writer.writerow(session_to_row(session))
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return count


def read_csv(path: str | os.PathLike[str]) -> ParsedCsv:
    """Parse and validate an import file; never raises on bad content."""
    source = Path(path)
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            return _fail(1, f"file is too large ({size} bytes; at most {MAX_FILE_BYTES})")
        data = source.read_bytes()
    except IsADirectoryError:
        return _fail(1, "is a folder, not a CSV file")
    except OSError as error:
        return _fail(1, f"cannot read the file: {error.strerror or error}")
    return parse_csv_bytes(data)


def _fail(line: int, message: str) -> ParsedCsv:
    return ParsedCsv((), (CsvProblem(line, message),))


def parse_csv_bytes(data: bytes) -> ParsedCsv:
    """Validate CSV content; all problems are collected, none raised."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _fail(line, "is not UTF-8 text")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return _fail(line, "contains a NUL byte; this is not a CSV file")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[CsvProblem] = []
    sessions: list[NewSession] = []
    try:
        header = next(reader, None)
    except csv.Error as error:
        return _fail(1, f"cannot read the header: {error}")
    if header is None:
        return _fail(1, "the file is empty; expected a header row")
    header_problem = _check_header(header)
    if header_problem:
        return _fail(1, header_problem)
    index = {name: position for position, name in enumerate(h.strip() for h in header)}
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(CsvProblem(line, f"malformed CSV: {error}"))
            break
        row_line = line
        line = reader.line_num + 1
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            problems.append(
                CsvProblem(row_line, f"expected {len(COLUMNS)} fields, found {len(row)}")
            )
            continue
        values = {name: row[index[name]].strip() for name in COLUMNS}
        session, row_problems = _parse_row(values)
        problems.extend(CsvProblem(row_line, message) for message in row_problems)
        if session is not None:
            sessions.append(session)
    if problems:
        return ParsedCsv((), tuple(problems))
    return ParsedCsv(tuple(sessions), ())


def _check_header(header: Sequence[str]) -> str | None:
    names = [h.strip() for h in header]
    if names == list(COLUMNS):
        return None
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if unknown:
        parts.append("unknown column(s) " + ", ".join(repr(u) for u in unknown))
    if duplicated:
        parts.append("repeated column(s) " + ", ".join(duplicated))
    if parts:
        return "header: " + "; ".join(parts) + f" (expected: {','.join(COLUMNS)})"
    return None  # the right columns in another order are fine


def _parse_time(values: dict[str, str], name: str, problems: list[str]) -> datetime | None:
    text = values[name]
    if not text:
        problems.append(f"{name}: missing")
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        problems.append(f"{name}: {text[:40]!r} is not an ISO 8601 time")
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        problems.append(f"{name}: {text[:40]!r} has no UTC offset (like +02:00)")
        return None
    if not 1970 <= moment.year <= 9998:
        problems.append(f"{name}: year {moment.year} is out of range")
        return None
    return moment.replace(microsecond=0)


def _parse_int(
    values: dict[str, str], name: str, low: int, high: int, problems: list[str]
) -> int | None:
    text = values[name]
    try:
        number = float(text) if text else None
    except ValueError:
        number = None
    if number is None or number != number or number in (float("inf"), float("-inf")):
        problems.append(f"{name}: {text[:40]!r} is not a number")
        return None
    value = round(number)
    if not low <= value <= high:
        problems.append(f"{name}: {value} is out of range ({low} to {high})")
        return None
    return value


def _parse_text(values: dict[str, str], name: str, limit: int, problems: list[str]) -> str | None:
    text = values[name]
    if not text:
        problems.append(f"{name}: missing")
        return None
    if len(text) > limit:
        problems.append(f"{name}: longer than {limit} characters")
        return None
    if any(ord(ch) < 32 for ch in text):
        problems.append(f"{name}: contains control characters")
        return None
    return text


def _parse_row(values: dict[str, str]) -> tuple[NewSession | None, list[str]]:
    problems: list[str] = []
    started = _parse_time(values, "started_at", problems)
    ended = _parse_time(values, "ended_at", problems)
    routine_id = _parse_text(values, "routine_id", MAX_ID, problems)
    if routine_id is not None and any(ch.isspace() for ch in routine_id):
        problems.append("routine_id: must not contain spaces")
        routine_id = None
    routine_name = _parse_text(values, "routine_name", MAX_NAME, problems)
    planned = _parse_int(values, "planned_seconds", 1, MAX_SECONDS, problems)
    active = _parse_int(values, "active_seconds", 0, MAX_SECONDS, problems)
    status = values["status"]
    if status not in STATUSES:
        problems.append(f"status: {status[:40]!r} is not one of {', '.join(STATUSES)}")
    done = _parse_int(values, "moves_completed", 0, MAX_MOVES, problems)
    total = _parse_int(values, "moves_total", 0, MAX_MOVES, problems)
    if started is not None and ended is not None:
        if ended < started:
            problems.append("ended_at: earlier than started_at")
        elif (ended - started).total_seconds() > MAX_SECONDS:
            problems.append("ended_at: more than a day after started_at")
    if done is not None and total is not None and done > total:
        problems.append(f"moves_completed: {done} is more than moves_total ({total})")
    if problems:
        return None, problems
    assert started is not None and routine_id is not None and routine_name is not None
    assert planned is not None and active is not None and done is not None
    assert total is not None
    return (
        NewSession(
            started_at=started,
            ended_at=ended,
            routine_id=routine_id,
            routine_name=routine_name,
            planned_seconds=planned,
            active_seconds=active,
            status=status,
            moves_completed=done,
            moves_total=total,
            routine_kind=None,
        ),
        [],
    )
