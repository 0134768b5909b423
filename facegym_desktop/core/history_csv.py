"""The history as CSV: a faithful export, and an import that checks every row first.

The format is a contract (docs/contracts.md, History CSV).  The nine contract
columns come first, in this order::

    started_at,ended_at,routine_id,routine_name,planned_seconds,active_seconds,
    status,moves_completed,moves_total

then the columns that make the file a full backup (:data:`EXTRA_COLUMNS`):
``routine_kind`` (empty when unknown) and ``moves``, the finished moves as compact
JSON, one object per move in the order done::

    [{"move_id":"chin-flicks","areas":["chin"],"seconds":40,"reps":8}]

A file with only the nine contract columns still imports (its sessions have no kind
and no moves).  Times are ISO 8601 with the UTC offset
(``2026-03-29T07:45:00+02:00``).  An import file is untrusted: every row is
validated, every problem is reported with its line number, and nothing is written
unless the whole file is good.  Whatever :func:`write_csv` writes,
:func:`parse_csv_bytes` accepts and turns back into the same sessions.
Sessions still in progress are not exported.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from facegym_desktop.core.atomic_file import atomic_text
from facegym_desktop.core.date_range import instant_fault
from facegym_desktop.core.history import MoveRecord, NewSession, SessionRecord, format_time
from facegym_desktop.core.history_schema import MAX_MOVES, MAX_REPS, MAX_SECONDS, utc_text
from facegym_desktop.core.routine_text import (
    BIDI_CONTROLS,
    CONTROL_CHARACTERS,
    LINE_SEPARATORS,
)
from facegym_desktop.core.stats import STATUSES
from facegym_desktop.core.timefmt import plural
from facegym_desktop.core.vocabulary import AREA_IDS, ROUTINE_KINDS

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
"""The nine contract columns, in the order the export writes them."""
EXTRA_COLUMNS: tuple[str, ...] = ("routine_kind", "moves")
"""Written after :data:`COLUMNS`; optional on import."""
EXPORT_COLUMNS: tuple[str, ...] = COLUMNS + EXTRA_COLUMNS
"""Every column the export writes, in order."""
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_ID = 100
MAX_NAME = 200
MAX_PROBLEMS_SHOWN = 50
# active_seconds may exceed the time between start and end by this much: both times
# are cut to the second and the active time is rounded.
ACTIVE_SLACK_SECONDS = 1
REPLACEMENT = "\ufffd"

# Strict forms: int() and datetime.fromisoformat() also take "1_000", "+5",
# non-ASCII digits and compact ISO forms, which no export writes.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,12}")
_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,6})?"
    r"(Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)"
)
WHOLE_FILE = 0  # the line of a problem with the file as a whole (its size, its kind)
NOT_REGULAR = "is not a regular file (a pipe or a device?); give a CSV file"
_AREA = re.compile(r"[A-Za-z0-9_-]{1,100}")
_MOVE_KEYS = frozenset({"move_id", "areas", "seconds", "reps"})


@dataclass(frozen=True, order=True)
class CsvProblem:
    """One bad place in an import file: ``PATH: line N: MESSAGE``, or
    ``PATH: file: MESSAGE`` for the file as a whole (``line`` is :data:`WHOLE_FILE`)."""

    line: int
    message: str

    def format(self, path: str) -> str:
        """The problem as printed: ``PATH: line N: MESSAGE`` or ``PATH: file: MESSAGE``."""
        where = "file" if self.line == WHOLE_FILE else f"line {self.line}"
        return f"{path}: {where}: {self.message}"


@dataclass(frozen=True)
class ParsedCsv:
    """An import file read: its sessions when ``ok``, else its problems (and no sessions)."""

    sessions: tuple[NewSession, ...]
    problems: tuple[CsvProblem, ...]

    @property
    def ok(self) -> bool:
        """Whether the file had no problem at all."""
        return not self.problems

    def problem_lines(self, source: str, limit: int = MAX_PROBLEMS_SHOWN) -> list[str]:
        """The problems as printed for ``source``: the first ``limit``, then one line
        saying how many more there are."""
        lines = [problem.format(source) for problem in self.problems[:limit]]
        if (more := len(self.problems) - limit) > 0:
            lines.append(f"{source}: ... and {plural(more, 'more problem')}")
        return lines

    def refused(self) -> str:
        """Why nothing can be imported, in a few words: "3 lines refused" (lines, not
        problems: one line may have several), or "the file was refused"."""
        lines = {problem.line for problem in self.problems} - {WHOLE_FILE}
        return f"{plural(len(lines), 'line')} refused" if lines else "the file was refused"


# ---------------------------------------------------------------------- text rules


def text_fault(text: str, *, allow_tab: bool = False) -> str | None:
    """Why ``text`` may not be a CSV text field, or None if it may.

    Refused: control characters (C0, DEL, C1, U+2028, U+2029; a tab only when
    ``allow_tab`` is false) and bidirectional embeddings, overrides and isolates.
    """
    for index, char in enumerate(text, start=1):
        code = ord(char)
        if char in BIDI_CONTROLS:
            return f"contains a bidirectional control (U+{code:04X}) at character {index}"
        if char == "\t" and allow_tab:
            continue
        if char in CONTROL_CHARACTERS or char in LINE_SEPARATORS:
            return f"contains a control character (U+{code:04X}) at character {index}"
    return None


def _clean(text: str, *, allow_tab: bool = False) -> str:
    """``text`` with every character the import refuses replaced by U+FFFD."""
    if text_fault(text, allow_tab=allow_tab) is None:
        return text
    return "".join(
        char if text_fault(char, allow_tab=allow_tab) is None else REPLACEMENT for char in text
    )


# -------------------------------------------------------------------------- export


class TargetError(ValueError):
    """A file the history may not be written to; the message is one line naming it."""


def checked_target(path: str | os.PathLike[str], database: str | os.PathLike[str]) -> Path:
    """The file to write for ``path``: through a symbolic link to the file it names
    (the link stays a link).

    Raises :class:`TargetError` for a target that is not a regular file (a folder, a
    device, a pipe), whose folder does not exist, or that is the history ``database``
    itself.
    """
    target = Path(path)
    resolved = Path(os.path.realpath(target))
    if resolved == Path(os.path.realpath(database)):
        raise TargetError(f"{target}: this is the history file itself; give another name")
    if resolved.exists() and not resolved.is_file():
        raise TargetError(f"{target}: not a regular file; give a file name")
    if not resolved.parent.is_dir():
        raise TargetError(f"{resolved.parent}: no such folder; create it first")
    return resolved


def moves_to_text(moves: Sequence[MoveRecord]) -> str:
    """The ``moves`` cell: compact JSON, one object per move (``reps`` only when known)."""
    items: list[dict[str, object]] = []
    for move in moves:
        item: dict[str, object] = {
            "move_id": _clean(move.move_id),
            "areas": list(move.areas),
            "seconds": move.seconds,
        }
        if move.reps is not None:
            item["reps"] = move.reps
        items.append(item)
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def session_to_row(session: SessionRecord, moves: Sequence[MoveRecord] = ()) -> list[str]:
    """One exported row, in :data:`EXPORT_COLUMNS` order.

    Text the import would refuse (control or bidirectional characters, which no
    routine the app loads can hold) is written with U+FFFD in their place, so the
    file always imports.
    """
    return [
        format_time(session.started_at),
        "" if session.ended_at is None else format_time(session.ended_at),
        _clean(session.routine_id),
        _clean(session.routine_name, allow_tab=True),
        str(session.planned_seconds),
        str(session.active_seconds),
        session.status,
        str(session.moves_completed),
        str(session.moves_total),
        "" if session.routine_kind is None else _clean(session.routine_kind),
        moves_to_text(moves),
    ]


def write_csv(
    sessions: Iterable[SessionRecord],
    path: str | os.PathLike[str],
    moves_of: Callable[[int], Sequence[MoveRecord]] | None = None,
) -> int:
    """Write ``sessions`` to ``path`` (temp file, then rename); returns the row count.

    ``moves_of(session_id)`` gives a session's finished moves (a store's ``moves``);
    without it the ``moves`` cells are empty lists.  Raises OSError when the file
    cannot be written.
    """
    count = 0
    with atomic_text(Path(path), newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        for session in sessions:
            moves = moves_of(session.id) if moves_of is not None else ()
            writer.writerow(session_to_row(session, moves))
            count += 1
    return count


# -------------------------------------------------------------------------- import


def read_csv(path: str | os.PathLike[str]) -> ParsedCsv:
    """Parse and validate an import file; never raises on bad content.

    Only a regular file is read: a folder, FIFO or device is refused from its
    ``stat`` without opening it, and the file is opened non-blocking.
    """
    source = Path(path)
    try:
        info = source.stat()
    except OSError as error:
        return _fail(WHOLE_FILE, f"cannot read the file: {error.strerror or error}")
    if stat.S_ISDIR(info.st_mode):
        return _fail(WHOLE_FILE, "is a folder, not a CSV file")
    if not stat.S_ISREG(info.st_mode):
        return _fail(WHOLE_FILE, NOT_REGULAR)
    if info.st_size > MAX_FILE_BYTES:
        return _fail(WHOLE_FILE, f"is too large ({info.st_size} bytes; at most {MAX_FILE_BYTES})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(source, flags)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return _fail(WHOLE_FILE, NOT_REGULAR)
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return _fail(WHOLE_FILE, f"cannot read the file: {error.strerror or error}")
    if len(data) > MAX_FILE_BYTES:
        return _fail(WHOLE_FILE, f"is too large (more than {MAX_FILE_BYTES} bytes)")
    return parse_csv_bytes(data)


def count_duplicates(sessions: Iterable[NewSession], stored: Iterable[SessionRecord]) -> int:
    """How many of ``sessions`` an import skips: those with the start instant and
    routine id of a ``stored`` session or of an earlier one of ``sessions`` (the rule
    of ``HistoryStore.import_sessions``)."""
    seen = {(utc_text(record.started_at), record.routine_id) for record in stored}
    duplicates = 0
    for session in sessions:
        key = (utc_text(session.started_at), session.routine_id)
        duplicates += key in seen
        seen.add(key)
    return duplicates


def _fail(line: int, message: str) -> ParsedCsv:
    return ParsedCsv((), (CsvProblem(line, message),))


SAVE_AS_UTF8 = 'save it as UTF-8 ("CSV UTF-8")'
NOT_TEXT = "is not a text file; give a CSV file saved as UTF-8"
EMPTY_FILE = "is empty; expected a header row"
# A file is read as binary when more than this share of its first bytes are control
# characters (text in any 8-bit encoding has next to none).
_CONTROL_SHARE = 0.05
_SAMPLE_BYTES = 4096


def encoding_fault(data: bytes) -> str | None:
    """Why ``data`` cannot be read as UTF-8 text at all, said of the file as a whole
    (with what to do), or None when it can.

    Told apart: UTF-32 and UTF-16 (with a byte-order mark or without, from where its
    NUL bytes fall), binary data, and text in another 8-bit encoding (Latin-1,
    Windows-1252), whose first byte that is not UTF-8 is named by its line.  Stray
    control characters or NULs in UTF-8 text are left to the lines that hold them.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return f"is UTF-32 text; {SAVE_AS_UTF8}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"is UTF-16 text; {SAVE_AS_UTF8}"
    sample = data[:_SAMPLE_BYTES]
    wide = _wide_encoding(sample)
    if wide is not None:
        return f"is {wide} text; {SAVE_AS_UTF8}"
    if sample.count(0) * 4 >= len(sample) > 0:  # NULs in plenty and no wide text
        return NOT_TEXT
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        controls = sum(byte < 32 and byte not in b"\t\n\r" or byte == 127 for byte in sample)
        if controls > _CONTROL_SHARE * len(sample):
            return NOT_TEXT
        line = data[: error.start].count(b"\n") + 1
        return (
            f"is not UTF-8 text (the first character that is not is on line {line}); "
            f"{SAVE_AS_UTF8}"
        )
    return None


def _wide_encoding(sample: bytes) -> str | None:
    """"UTF-32" or "UTF-16" when ``sample`` reads as such without a byte-order mark
    (mostly ASCII, as a CSV header is: its NUL bytes fall on three places of every
    four, or on every other place), else None."""
    if not sample or sample.count(0) * 4 < len(sample):
        return None
    def nul_shares(width: int) -> list[float]:
        """The share of NUL bytes at each place of every ``width`` bytes, fewest first."""
        return sorted(
            sample[place::width].count(0) / max(1, len(sample[place::width]))
            for place in range(width)
        )

    # The text's own bytes sit on one place (and are not NUL), the NULs on the others.
    fewest, *others = nul_shares(4)
    if fewest <= 0.5 and min(others) >= 0.9:
        return "UTF-32"
    fewest, other = nul_shares(2)
    return "UTF-16" if fewest <= 0.5 and other >= 0.9 else None


def parse_csv_bytes(data: bytes) -> ParsedCsv:
    """Validate CSV content; all problems are collected, none raised.

    A file that is not UTF-8 text (:func:`encoding_fault`) or holds nothing but
    blank lines is one problem with the file as a whole.
    """
    fault = encoding_fault(data)
    if fault is not None:
        return _fail(WHOLE_FILE, fault)
    text = data.decode("utf-8-sig")
    if not text.strip():
        return _fail(WHOLE_FILE, EMPTY_FILE)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return _fail(line, "contains a NUL byte; give a CSV file saved as UTF-8")
    # A moves cell of a long session can exceed csv's default field limit (128 KiB).
    if csv.field_size_limit() < MAX_FILE_BYTES:
        csv.field_size_limit(MAX_FILE_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems: list[CsvProblem] = []
    sessions: list[NewSession] = []
    try:
        header = next(reader, None)
    except csv.Error as error:
        return _fail(1, f"cannot read the header: {error}")
    if header is None:
        return _fail(WHOLE_FILE, EMPTY_FILE)
    header_problem = _check_header(header)
    if header_problem:
        return _fail(1, header_problem)
    names = [h.strip() for h in header]
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
        if len(row) != len(names):
            problems.append(CsvProblem(row_line, f"expected {len(names)} fields, found {len(row)}"))
            continue
        values = dict(zip(names, row, strict=True))
        session, row_problems = _parse_row(values)
        problems.extend(CsvProblem(row_line, message) for message in row_problems)
        if session is not None:
            sessions.append(session)
    if problems:
        return ParsedCsv((), tuple(problems))
    return ParsedCsv(tuple(sessions), ())


def _check_header(header: Sequence[str]) -> str | None:
    names = [h.strip() for h in header]
    known = set(EXPORT_COLUMNS)
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in known]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(missing))
    if unknown:
        parts.append("unknown column(s) " + ", ".join(repr(u[:40]) for u in unknown[:5]))
    if duplicated:
        parts.append("repeated column(s) " + ", ".join(duplicated))
    if parts:
        return "header: " + "; ".join(parts) + f" (expected: {','.join(EXPORT_COLUMNS)})"
    return None  # the right columns in another order, extras optional, are fine


def _shown(text: str) -> str:
    return repr(text[:40]).encode("ascii", "backslashreplace").decode("ascii")


def _parse_time(values: dict[str, str], name: str, problems: list[str]) -> datetime | None:
    text = values[name]
    if not text:
        problems.append(f"{name}: missing")
        return None
    match = _TIME.fullmatch(text)
    if match is None:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}", text):
            problems.append(f"{name}: {_shown(text)} has no UTC offset (like +02:00)")
        else:
            problems.append(f"{name}: {_shown(text)} is not an ISO 8601 time with a UTC offset")
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        problems.append(f"{name}: {_shown(text)} is not a valid time")
        return None
    fault = instant_fault(moment)
    if fault is not None:
        problems.append(f"{name}: {fault}")
        return None
    offset = moment.utcoffset() or timedelta(0)
    return moment.replace(microsecond=0, tzinfo=timezone(offset))


def _parse_whole(text: str, name: str, low: int, high: int, problems: list[str]) -> int | None:
    if not _WHOLE_NUMBER.fullmatch(text):
        problems.append(f"{name}: {_shown(text)} is not a number (digits 0-9 only)")
        return None
    value = int(text)
    if not low <= value <= high:
        problems.append(f"{name}: {value} is out of range ({low} to {high})")
        return None
    return value


def _parse_int(
    values: dict[str, str], name: str, low: int, high: int, problems: list[str]
) -> int | None:
    return _parse_whole(values[name], name, low, high, problems)


def _parse_text(
    values: dict[str, str], name: str, limit: int, problems: list[str], *, allow_tab: bool = False
) -> str | None:
    text = values[name]
    if not text:
        problems.append(f"{name}: missing")
        return None
    if len(text) > limit:
        problems.append(f"{name}: longer than {limit} characters")
        return None
    fault = text_fault(text, allow_tab=allow_tab)
    if fault is not None:
        problems.append(f"{name}: {fault}")
        return None
    return text


def _parse_moves(text: str, problems: list[str]) -> tuple[MoveRecord, ...] | None:
    """The ``moves`` cell: empty, or a JSON list of move objects (see module notes)."""
    if not text.strip():
        return ()
    try:
        items = json.loads(text)
    except (ValueError, RecursionError):
        problems.append("moves: is not a JSON list of moves")
        return None
    if not isinstance(items, list):
        problems.append("moves: is not a JSON list of moves")
        return None
    if len(items) > MAX_MOVES:
        problems.append(f"moves: more than {MAX_MOVES} moves")
        return None
    moves: list[MoveRecord] = []
    for number, item in enumerate(items, start=1):
        where = f"moves[{number}]"
        move = _parse_move(item, where, problems)
        if move is None:
            return None
        moves.append(move)
    return tuple(moves)


def _is_whole(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _parse_move(item: object, where: str, problems: list[str]) -> MoveRecord | None:
    if not isinstance(item, dict) or not {"move_id", "areas", "seconds"} <= set(item):
        problems.append(f"{where}: expected an object with move_id, areas and seconds")
        return None
    extra = set(item) - _MOVE_KEYS
    if extra:
        problems.append(f"{where}: unknown key(s) {', '.join(sorted(_shown(k) for k in extra))}")
        return None
    move_id, areas, seconds = item["move_id"], item["areas"], item["seconds"]
    reps = item.get("reps")
    if not isinstance(move_id, str) or not move_id or len(move_id) > MAX_ID:
        problems.append(f"{where}.move_id: expected text of 1 to {MAX_ID} characters")
        return None
    fault = text_fault(move_id)
    if fault is not None:
        problems.append(f"{where}.move_id: {fault}")
        return None
    if not isinstance(areas, list) or not all(
        isinstance(area, str) and _AREA.fullmatch(area) for area in areas
    ):
        problems.append(f"{where}.areas: expected a list of area ids (letters, digits, - or _)")
        return None
    unknown = [area for area in areas if area not in AREA_IDS]
    if unknown:
        problems.append(
            f"{where}.areas: {_shown(unknown[0])} is not an area (one of {', '.join(AREA_IDS)})"
        )
        return None
    if not _is_whole(seconds, 0, MAX_SECONDS):
        problems.append(f"{where}.seconds: expected a whole number from 0 to {MAX_SECONDS}")
        return None
    if reps is not None and not _is_whole(reps, 0, MAX_REPS):
        problems.append(f"{where}.reps: expected a whole number from 0 to {MAX_REPS}")
        return None
    return MoveRecord(move_id, tuple(areas), seconds, reps)


def _parse_row(values: dict[str, str]) -> tuple[NewSession | None, list[str]]:
    problems: list[str] = []
    started = _parse_time(values, "started_at", problems)
    ended = None if not values["ended_at"] else _parse_time(values, "ended_at", problems)
    routine_id = _parse_text(values, "routine_id", MAX_ID, problems)
    if routine_id is not None and any(ch.isspace() for ch in routine_id):
        problems.append("routine_id: must not contain spaces")
        routine_id = None
    routine_name = _parse_text(values, "routine_name", MAX_NAME, problems, allow_tab=True)
    planned = _parse_int(values, "planned_seconds", 1, MAX_SECONDS, problems)
    active = _parse_int(values, "active_seconds", 0, MAX_SECONDS, problems)
    status = values["status"]
    if status not in STATUSES:
        problems.append(f"status: {_shown(status)} is not one of {', '.join(STATUSES)}")
    done = _parse_int(values, "moves_completed", 0, MAX_MOVES, problems)
    total = _parse_int(values, "moves_total", 0, MAX_MOVES, problems)
    kind: str | None = None
    if values.get("routine_kind"):
        kind = _parse_text(values, "routine_kind", MAX_ID, problems)
        if kind is not None and kind not in ROUTINE_KINDS:
            problems.append(
                f"routine_kind: {_shown(kind)} is not one of {', '.join(ROUTINE_KINDS)} "
                "(or empty)"
            )
    moves = _parse_moves(values.get("moves", ""), problems)
    if started is not None and ended is not None and active is not None and ended >= started:
        # An end before the start means the clock was set back during the session:
        # the span says nothing then, so only a forward span bounds the active time.
        span = int((ended - started).total_seconds())
        if active > span + ACTIVE_SLACK_SECONDS:
            problems.append(
                f"active_seconds: {active} is longer than the {span} s between "
                "started_at and ended_at"
            )
    if done is not None and total is not None and done > total:
        problems.append(f"moves_completed: {done} is more than moves_total ({total})")
    if problems:
        return None, problems
    assert started is not None and routine_id is not None and routine_name is not None
    assert planned is not None and active is not None and done is not None
    assert total is not None and moves is not None
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
            routine_kind=kind,
            moves=moves,
        ),
        [],
    )
