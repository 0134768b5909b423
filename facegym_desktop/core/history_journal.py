"""Session writes that could not reach the history file yet, and who owns a session.

A session is written in steps (:class:`SessionWrite`: its start, each finished move,
its end).  When the file refuses a step (locked by another program, a full disk, a
read-only folder), the step is not dropped: :class:`PendingWrites` keeps it in order,
appends it to the journal ``pending-writes.jsonl`` beside the history file
(:class:`WriteJournal`: one JSON object a line, appended and synced), and retries.
``HistoryStore.replay_journal`` applies the journal at the next start.  Every step
names its session by start instant and routine id, and carries its move's position,
so applying a step twice changes nothing (docs/contracts.md, Reliability).

A session in progress records its owner, :func:`process_owner` (process id and start
time); only sessions whose owner is no longer alive (:func:`owner_alive`) are settled
as interrupted, so a second process never closes a session another one still runs.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from facegym_desktop.core.atomic_file import write_atomically
from facegym_desktop.core.date_range import instant_fault
from facegym_desktop.core.history_errors import (
    HistoryBusyError,
    HistoryError,
    HistoryReadOnlyError,
    HistoryUnavailableError,
)
from facegym_desktop.core.history_schema import (
    MAX_MOVES,
    MAX_REPS,
    MAX_SECONDS,
    format_time,
    utc_text,
)
from facegym_desktop.core.stats import STATUSES

log = logging.getLogger(__name__)

JOURNAL_NAME = "pending-writes.jsonl"
JOURNAL_FORMAT = 1
BEGIN, MOVE, FINISH = "begin", "move", "finish"
NOT_STARTED = "This session was not saved: its start could not be written."
# Every line for people about the journal starts so, then names the file.
NOTE_PREFIX = "History journal"
MAX_NOTES = 5  # lines skipped that are named one by one; the rest are counted

# Failures that say nothing about the write itself: keep it and try again later.
KEEP_ERRORS: tuple[type[Exception], ...] = (HistoryUnavailableError, HistoryReadOnlyError)


# ---------------------------------------------------------------- process owners


@cache
def process_owner() -> str:
    """This process as the owner of the sessions it runs: ``"PID:START"``.

    START is the process start time in clock ticks since boot where the system says
    (Linux ``/proc``), else empty; together they survive the reuse of a process id.
    """
    pid = os.getpid()
    return f"{pid}:{_start_ticks(pid) or ''}"


def _start_ticks(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return None
    # The command name (field 2) may hold spaces and brackets; the rest follows ")".
    fields = text[text.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def owner_alive(owner: str | None) -> bool:
    """Whether the process that wrote ``owner`` (see :func:`process_owner`) still runs.

    None or a malformed owner (rows from before owners were recorded) is not alive.
    """
    if not owner:
        return False
    pid_text, _, start = owner.partition(":")
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid <= 0:
        return False
    if owner == process_owner():
        return True
    ticks = _start_ticks(pid)
    if ticks is not None or Path("/proc/self/stat").exists():
        return ticks is not None and (not start or ticks == start)
    return _pid_exists(pid)


def _pid_exists(pid: int) -> bool:
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------- the writes


@dataclass(frozen=True)
class SessionWrite:
    """One step of a session's record, complete enough to be applied twice safely.

    ``kind`` is :data:`BEGIN`, :data:`MOVE` or :data:`FINISH`.  The session is named
    by ``started_at`` (aware) and ``routine_id``.  Seconds are floats, rounded when
    written.  A move carries its 1-based ``position`` in the session; ``at`` is when
    a move was saved or when the session ended.  Build with :meth:`begin`,
    :meth:`move` and :meth:`finish`.
    """

    kind: str
    started_at: datetime
    routine_id: str
    routine_name: str = ""
    routine_kind: str | None = None
    planned_seconds: float = 0.0
    moves_total: int = 0
    owner: str | None = None
    position: int = 0
    move_id: str = ""
    areas: tuple[str, ...] = ()
    seconds: float = 0.0
    reps: int | None = None
    active_seconds: float = 0.0
    moves_completed: int = 0
    status: str = ""
    at: datetime | None = None

    @classmethod
    def begin(
        cls,
        started_at: datetime,
        routine_id: str,
        routine_name: str,
        routine_kind: str | None,
        planned_seconds: float,
        moves_total: int,
    ) -> SessionWrite:
        """The start of a session, owned by this process."""
        return cls(
            BEGIN, started_at, routine_id, routine_name, routine_kind, planned_seconds,
            moves_total, owner=process_owner(),
        )

    @classmethod
    def move(
        cls,
        started_at: datetime,
        routine_id: str,
        *,
        position: int,
        move_id: str,
        areas: Sequence[str],
        seconds: float,
        reps: int | None,
        active_seconds: float,
        moves_completed: int,
        at: datetime,
    ) -> SessionWrite:
        """The ``position``-th finished move and the session's running totals."""
        return cls(
            MOVE, started_at, routine_id, position=position, move_id=move_id,
            areas=tuple(areas), seconds=seconds, reps=reps, active_seconds=active_seconds,
            moves_completed=moves_completed, at=at,
        )

    @classmethod
    def finish(
        cls,
        started_at: datetime,
        routine_id: str,
        *,
        status: str,
        ended_at: datetime,
        active_seconds: float,
        moves_completed: int,
    ) -> SessionWrite:
        """The end of a session with its final status and totals."""
        return cls(
            FINISH, started_at, routine_id, status=status, active_seconds=active_seconds,
            moves_completed=moves_completed, at=ended_at,
        )

    @property
    def session_key(self) -> tuple[str, str]:
        """The session this write belongs to: (UTC start instant, routine id)."""
        return (utc_text(self.started_at), self.routine_id)

    def to_json(self) -> dict[str, Any]:
        """The write as one JSON object (times as ISO 8601 with their offset)."""
        data: dict[str, Any] = {"v": JOURNAL_FORMAT, "kind": self.kind}
        data["started_at"] = format_time(self.started_at)
        data["routine_id"] = self.routine_id
        if self.kind == BEGIN:
            data.update(
                routine_name=self.routine_name, routine_kind=self.routine_kind,
                planned_seconds=self.planned_seconds, moves_total=self.moves_total,
                owner=self.owner,
            )
        elif self.kind == MOVE:
            data.update(
                position=self.position, move_id=self.move_id, areas=list(self.areas),
                seconds=self.seconds, reps=self.reps,
            )
        if self.kind in (MOVE, FINISH):
            data.update(active_seconds=self.active_seconds, moves_completed=self.moves_completed)
            data["at"] = None if self.at is None else format_time(self.at)
        if self.kind == FINISH:
            data["status"] = self.status
        return data

    @classmethod
    def from_json(cls, data: object) -> SessionWrite:
        """The write :meth:`to_json` gave.

        ``data`` is untrusted (a line of the journal): raises ValueError, whose text
        names the field and what it should hold, for anything :meth:`to_json` would
        not write: not an object, an unknown kind, text where a number belongs, a
        number out of the history's ranges (or not finite), a time without a UTC
        offset or out of the calendar (core/date_range.py), an unknown status.
        """
        if not isinstance(data, dict):
            raise ValueError("is not a JSON object")
        if data.get("v") != JOURNAL_FORMAT or type(data.get("v")) is not int:
            raise ValueError(f"v: expected {JOURNAL_FORMAT} (the journal format)")
        kind = data.get("kind")
        if kind not in (BEGIN, MOVE, FINISH):
            raise ValueError(f"kind: expected {BEGIN}, {MOVE} or {FINISH}")
        routine_id = _text(data, "routine_id")
        if not routine_id:
            raise ValueError("routine_id: expected the routine's id")
        status = _text(data, "status")
        if kind == FINISH and status not in STATUSES:
            raise ValueError(f"status: expected one of {', '.join(STATUSES)}")
        at = _time(data, "at", required=kind == FINISH)
        started_at = _time(data, "started_at", required=True)
        assert started_at is not None
        areas = data.get("areas", [])
        if not isinstance(areas, list) or not all(isinstance(area, str) for area in areas):
            raise ValueError("areas: expected a list of area ids")
        reps = data.get("reps")
        return cls(
            kind=kind,
            started_at=started_at,
            routine_id=routine_id,
            routine_name=_text(data, "routine_name"),
            routine_kind=_optional_text(data, "routine_kind"),
            planned_seconds=_seconds(data, "planned_seconds"),
            moves_total=_whole(data, "moves_total", MAX_MOVES),
            owner=_optional_text(data, "owner"),
            position=_whole(data, "position", MAX_MOVES),
            move_id=_text(data, "move_id"),
            areas=tuple(areas),
            seconds=_seconds(data, "seconds"),
            reps=None if reps is None else _whole(data, "reps", MAX_REPS),
            active_seconds=_seconds(data, "active_seconds"),
            moves_completed=_whole(data, "moves_completed", MAX_MOVES),
            status=status,
            at=at,
        )


def _text(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if not isinstance(value, str):
        raise ValueError(f"{name}: expected text")
    return value


def _optional_text(data: dict[str, Any], name: str) -> str | None:
    return None if data.get(name) is None else _text(data, name)


def _whole(data: dict[str, Any], name: str, high: int) -> int:
    value = data.get(name, 0)
    if type(value) is not int or not 0 <= value <= high:
        raise ValueError(f"{name}: expected a whole number from 0 to {high}")
    return value


def _seconds(data: dict[str, Any], name: str) -> float:
    value = data.get(name, 0)
    # NaN fails both comparisons and infinity the second: neither reaches the file.
    if type(value) not in (int, float) or not 0 <= value <= MAX_SECONDS:
        raise ValueError(f"{name}: expected seconds from 0 to {MAX_SECONDS}")
    return float(value)


def _time(data: dict[str, Any], name: str, *, required: bool) -> datetime | None:
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name}: expected a time with its UTC offset")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name}: expected a time with its UTC offset") from None
    if moment.utcoffset() is None:
        raise ValueError(f"{name}: the time has no UTC offset")
    fault = instant_fault(moment)
    if fault is not None:
        raise ValueError(f"{name}: {fault}")
    return moment


# ---------------------------------------------------------------- the journal file


class JournalEntry(NamedTuple):
    """A line of the journal that holds a write: its 1-based ``line`` number, its
    bytes (without the newline) and the write."""

    line: int
    raw: bytes
    write: SessionWrite


class SkippedLine(NamedTuple):
    """A line of the journal that holds no write: its 1-based ``line`` number, its
    bytes, and why (a few words naming the field when it is one)."""

    line: int
    raw: bytes
    reason: str


class JournalLines(NamedTuple):
    """The journal read line by line (:meth:`WriteJournal.read_lines`), in order."""

    entries: tuple[JournalEntry, ...]
    skipped: tuple[SkippedLine, ...]


class WriteJournal:
    """The file ``pending-writes.jsonl``: writes kept until the history takes them.

    Appends are synced before :meth:`append` returns.  A lock file beside it
    (``pending-writes.lock``) keeps processes from rewriting it under each other.
    Its content is untrusted: a line that holds no write (torn by a kill, edited) is
    reported with its number by :meth:`read_lines` and kept aside by
    :meth:`set_aside` at replay.  Raises OSError when the folder cannot be written.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_path = path.with_suffix(".lock")

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the journal's lock (between processes and threads) for the block."""
        with open(self._lock_path, "a+b") as handle:
            _lock_file(handle.fileno())
            try:
                yield
            finally:
                _unlock_file(handle.fileno())

    def append(self, writes: Sequence[SessionWrite]) -> None:
        """Add ``writes`` at the end, one line each, and sync the file."""
        if not writes:
            return
        text = "".join(json.dumps(w.to_json(), separators=(",", ":")) + "\n" for w in writes)
        with self.locked(), open(self.path, "a+b") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() > 0:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    text = "\n" + text  # a torn last line stays alone on its line
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())

    def read(self) -> list[SessionWrite]:
        """Every whole write in the file, oldest first ([] when there is no file);
        lines that hold none are left out (see :meth:`read_lines`)."""
        return [entry.write for entry in self.read_lines().entries]

    def read_lines(self) -> JournalLines:
        """The file line by line: the writes, and the lines that hold none (torn by a
        kill, damaged, not UTF-8, not a write), each with its line number and reason.

        An empty :class:`JournalLines` when there is no file.  Raises OSError when the
        file cannot be read (permission, a folder in its place).
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return JournalLines((), ())
        entries: list[JournalEntry] = []
        skipped: list[SkippedLine] = []
        for number, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError:
                skipped.append(SkippedLine(number, line, "is not UTF-8 text"))
                continue
            except RecursionError:
                skipped.append(SkippedLine(number, line, "is not JSON one can read (too deep)"))
                continue
            except ValueError:  # not JSON, cut short by a kill, a number of 4,300 digits
                skipped.append(SkippedLine(number, line, "is not whole JSON (cut short?)"))
                continue
            try:
                entries.append(JournalEntry(number, line, SessionWrite.from_json(data)))
            except ValueError as error:  # from_json names the field and what it holds
                skipped.append(SkippedLine(number, line, str(error)))
        return JournalLines(tuple(entries), tuple(skipped))

    def set_aside(self, lines: Sequence[bytes], now: datetime) -> Path:
        """Keep ``lines`` (lines taken out of the journal) in a file of their own
        beside it, ``pending-writes.jsonl.unreadable-STAMP`` (``-2``, ``-3``... when
        taken), synced; returns that file.  Raises OSError when it cannot be written."""
        stamp = now.strftime("%Y%m%d-%H%M%S")
        for number in range(1, 1000):
            suffix = "" if number == 1 else f"-{number}"
            target = self.path.with_name(f"{self.path.name}.unreadable-{stamp}{suffix}")
            try:
                handle = open(target, "xb")  # noqa: SIM115 - closed just below
            except FileExistsError:
                continue
            with handle:
                handle.write(b"".join(line + b"\n" for line in lines))
                handle.flush()
                os.fsync(handle.fileno())
            return target
        raise FileExistsError(f"no free name for the lines set aside from {self.path.name}")

    def replace(self, writes: Sequence[SessionWrite]) -> None:
        """Make the file hold exactly ``writes`` (atomically); removed when empty.

        Call inside :meth:`locked`.
        """
        if not writes:
            self.path.unlink(missing_ok=True)
            return
        lines = "".join(json.dumps(write.to_json()) + "\n" for write in writes)
        write_atomically(self.path, lines)


def skipped_notes(
    path: Path, skipped: Sequence[SkippedLine], kept_in: Path, shown: int = MAX_NOTES
) -> list[str]:
    """One line for people per line ``skipped`` from the journal at ``path`` (at most
    ``shown``, then one saying how many more), each naming the file, the line number
    and why, and where the line was kept (``kept_in``, see
    :meth:`WriteJournal.set_aside`)."""
    notes = [
        f"{NOTE_PREFIX}: {path}: line {line.line}: {line.reason}; skipped, kept in "
        f"{kept_in.name}"
        for line in skipped[:shown]
    ]
    if (more := len(skipped) - shown) > 0:
        notes.append(
            f"{NOTE_PREFIX}: {path}: {more} more line{'s' if more != 1 else ''} skipped, "
            f"kept in {kept_in.name}"
        )
    return notes


def unreadable_note(path: Path, error: OSError) -> str:
    """The line for people when the journal at ``path`` cannot be read or rewritten:
    its steps stay in it and are tried at the next start."""
    return (
        f"{NOTE_PREFIX}: {path}: cannot be read or rewritten ({error.strerror or 'refused'}); "
        "the session steps in it stay there and are tried again at the next start"
    )


def _lock_file(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def _unlock_file(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


# ---------------------------------------------------------------- the queue


@dataclass
class _Entry:
    write: SessionWrite
    journaled: bool = False


@dataclass(frozen=True)
class FlushResult:
    """What :meth:`PendingWrites.flush` did.

    ``saved``: writes now in the history; ``kept``: writes still waiting (in the
    journal when it could be written); ``problem``: why they wait ("" when none
    does); ``journal_problem``: why they are only in memory ("" when in the journal);
    ``dropped``: one message per write refused for good (a bug, not the disk);
    ``locked``: they wait because another program holds the file (HistoryBusyError);
    ``notes``: lines for people from cleaning the journal (lines of it set aside).
    """

    saved: int
    kept: int
    problem: str = ""
    journal_problem: str = ""
    dropped: tuple[tuple[SessionWrite, str], ...] = field(default_factory=tuple)
    locked: bool = False
    notes: tuple[str, ...] = ()


class PendingWrites:
    """Session writes in order until the history takes them.  Thread-safe.

    :meth:`add` queues (no I/O: callable from the UI thread); :meth:`flush` applies on
    the history's worker; :meth:`keep_rest` appends what is left to the journal (on
    the way out).  A write whose first try fails is journaled at once.
    ``refused`` says why the last flush stopped ("" once a flush went through); pass
    it when the file is known to refuse writes before any flush (locked at opening).
    """

    def __init__(self, journal: WriteJournal | None, refused: str = "") -> None:
        self.journal = journal
        self._entries: list[_Entry] = []
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._keeping = threading.Lock()  # one journal append at a time, never twice
        self._lost_starts: set[tuple[str, str]] = set()
        self._failures: dict[int, str] = {}
        self._journaled_since_clean = False
        self.refused = refused

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def add(self, write: SessionWrite) -> None:
        """Queue ``write`` after every write added before it."""
        with self._lock:
            self._entries.append(_Entry(write))

    def contains(self, write: SessionWrite) -> bool:
        """Whether ``write`` (this very object) still waits."""
        with self._lock:
            return any(entry.write is write for entry in self._entries)

    def failure_of(self, write: SessionWrite) -> str | None:
        """Why ``write`` (this very object) was refused for good, once; else None."""
        with self._lock:
            return self._failures.pop(id(write), None)

    def flush(
        self,
        apply: Callable[[SessionWrite], object],
        clean_journal: Callable[[], Iterable[str]] | None = None,
    ) -> FlushResult:
        """Apply waiting writes in order until one is refused by the disk or the file.

        ``apply`` writes one (raising HistoryUnavailableError or
        HistoryReadOnlyError to keep it, any other error to drop it);
        ``clean_journal`` runs once every waiting write has been applied and the
        journal holds writes (it replays and empties the journal, earlier runs' too)
        and returns lines for people, which end up in :attr:`FlushResult.notes`.
        """
        with self._flushing:
            saved = 0
            dropped: list[tuple[SessionWrite, str]] = []
            while True:
                with self._lock:
                    if not self._entries:
                        break
                    entry = self._entries[0]
                write = entry.write
                try:
                    orphan = write.kind != BEGIN and write.session_key in self._lost_starts
                    if orphan and write.kind == FINISH:
                        raise HistoryError(NOT_STARTED)
                    if not orphan:  # a move of a session never begun goes quietly
                        apply(write)
                except KEEP_ERRORS as error:
                    problem = self.refused = str(error)
                    journal_problem = self.keep_rest()
                    locked = isinstance(error, HistoryBusyError)
                    return FlushResult(
                        saved, len(self), problem, journal_problem, tuple(dropped), locked
                    )
                except Exception as error:  # noqa: BLE001 - a bad write must not block the rest
                    if not isinstance(error, (HistoryError, ValueError)):
                        log.exception("a history write failed")
                    if write.kind == BEGIN:
                        self._lost_starts.add(write.session_key)
                    message = " ".join(str(error).split())
                    dropped.append((write, message))
                    with self._lock:
                        self._failures[id(write)] = message
                else:
                    saved += not orphan
                with self._lock:
                    self._entries.pop(0)
            self.refused = ""
            journal_waits = self.journal is not None and self.journal.path.is_file()
            notes: tuple[str, ...] = ()
            if clean_journal is not None and (self._journaled_since_clean or journal_waits):
                try:
                    notes = tuple(clean_journal())
                except (OSError, HistoryUnavailableError, HistoryReadOnlyError) as error:
                    log.warning("the journal was not replayed: %s", error)
                else:
                    self._journaled_since_clean = False
            return FlushResult(saved, 0, dropped=tuple(dropped), notes=notes)

    def keep_rest(self) -> str:
        """Append every waiting write not yet in the journal to it; "" or why not.

        When the journal cannot be written (the disk is full) the writes stay in
        memory and are tried again.  Safe from any thread (the UI thread journals a
        step at once while the file is known to refuse it).
        """
        with self._keeping:
            with self._lock:
                fresh = [entry for entry in self._entries if not entry.journaled]
            if not fresh:
                return ""
            if self.journal is None:
                return "there is no journal file"
            try:
                self.journal.append([entry.write for entry in fresh])
            except OSError as error:
                return f"cannot write {self.journal.path.name}: {error.strerror or error}"
            with self._lock:
                for entry in fresh:
                    entry.journaled = True
                self._journaled_since_clean = True
            return ""
