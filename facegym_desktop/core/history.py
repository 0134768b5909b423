"""The session history: one SQLite file, stdlib ``sqlite3``, no ORM.

:class:`HistoryStore` opens the file and writes to it; the reads are in
:mod:`~facegym_desktop.core.history_queries`, the schema and migrations in
:mod:`~facegym_desktop.core.history_schema`, checks, recovery and backups in
:mod:`~facegym_desktop.core.history_files`, errors in
:mod:`~facegym_desktop.core.history_errors`.  The names importers use are
re-exported here.

Durability rules (docs/contracts.md, Reliability):

* a session row is written when the session starts and updated at the end of every
  move in one transaction, so a crash loses at most the move in progress; the next
  start calls :meth:`HistoryStore.mark_dangling_interrupted`;
* each migration runs in one transaction, after a backup of the file;
* a damaged file is moved aside and the newest good backup restored;
  :attr:`HistoryStore.recovered_notice` says what happened;
* a file from a newer app version is opened read-only with a message, and so is a
  file that cannot be migrated now (a full disk, a read-only folder): reading never
  depends on writing;
* a locked file is retried for ``busy_timeout`` seconds, then reported; a file locked
  at opening can instead be opened once it is free (``wait_if_locked``);
* session steps are applied idempotently (:meth:`HistoryStore.apply_write`); those
  the file refused wait in the journal beside it, applied by :meth:`HistoryStore.settle`
  at the next start (see :mod:`~facegym_desktop.core.history_journal`).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from facegym_desktop.core import history_writes as writes
from facegym_desktop.core.history_errors import (
    HistoryBusyError,
    HistoryError,
    HistoryReadOnlyError,
    HistoryUnavailableError,
    busy_notice,
    history_error,
    is_environment_error,
    is_lock_error,
    plain_reason,
)
from facegym_desktop.core.history_files import (
    DAILY_BACKUPS_KEPT,
    MIGRATION_BACKUPS_KEPT,
    check_file,
    copy_database,
    is_sqlite_file,
    list_backups,
    open_file,
    prune,
    salvage,
)
from facegym_desktop.core.history_journal import (
    JOURNAL_NAME,
    KEEP_ERRORS,
    NOT_STARTED,
    JournalEntry,
    SessionWrite,
    SkippedLine,
    WriteJournal,
    owner_alive,
    process_owner,
    skipped_notes,
    unreadable_note,
)
from facegym_desktop.core.history_queries import HistoryReader, MoveRecord, Overview, SessionRecord
from facegym_desktop.core.history_schema import (
    IN_PROGRESS,
    MIGRATIONS,
    SCHEMA_VERSION,
    Migrations,
    format_time,
    migrate_to,
    pending_migrations,
    utc_text,
)
from facegym_desktop.core.history_writes import DeletedSession, NewSession
from facegym_desktop.core.stats import SessionStatus

__all__ = [
    "DAILY_BACKUPS_KEPT",
    "APP_OPEN_WAIT",
    "DEFAULT_BUSY_TIMEOUT",
    "IN_PROGRESS",
    "MIGRATIONS",
    "MIGRATION_BACKUPS_KEPT",
    "SCHEMA_VERSION",
    "DeletedSession",
    "HistoryBusyError",
    "HistoryError",
    "HistoryReadOnlyError",
    "HistoryStore",
    "HistoryUnavailableError",
    "ImportResult",
    "MoveRecord",
    "NewSession",
    "Overview",
    "SessionRecord",
    "SessionStatus",
    "SessionWrite",
    "Replayed",
    "Settled",
    "check_file",
    "format_time",
    "is_sqlite_file",
    "list_backups",
]

DEFAULT_BUSY_TIMEOUT = 5.0
# How long the app's window waits at start for a history another program holds,
# in seconds, before it goes on and leaves the opening to the retries.
APP_OPEN_WAIT = 0.25
log = logging.getLogger(__name__)

@dataclass(frozen=True)
class ImportResult:
    """What :meth:`HistoryStore.import_sessions` did: rows added and duplicates skipped."""

    added: int
    skipped_duplicates: int


@dataclass(frozen=True)
class Settled:
    """What :meth:`HistoryStore.settle` did at start-up: journal writes applied and
    still kept, sessions settled as interrupted, why something waits ("" if not), and
    lines for people about the journal (lines set aside, a journal unreadable)."""

    applied: int
    kept: int
    interrupted: int
    problem: str = ""
    notes: tuple[str, ...] = ()


class Replayed(NamedTuple):
    """What :meth:`HistoryStore.replay_journal` did: writes ``applied``; writes
    ``kept`` in the journal because the file refused the first of them, and why
    (``problem``, "" when none waits); ``notes`` for people, one per line of the
    journal set aside (see ``history_journal.skipped_notes``)."""

    applied: int
    kept: int
    problem: str = ""
    notes: tuple[str, ...] = ()


def _never_applies(error: Exception) -> str:
    """Why a journal write can never apply, in words for people (the error's own text
    goes to the log)."""
    if isinstance(error, HistoryError) and str(error) == NOT_STARTED:
        return "a step of a session whose start is not in the history"
    return "cannot be saved to the history (the log has the details)"


def _now_local() -> datetime:
    return datetime.now(UTC).astimezone()


class HistoryStore(HistoryReader):
    """Sessions on disk.  Safe to call from one worker thread at a time (a lock guards it).

    Open with :meth:`open`.  Writes raise :class:`HistoryReadOnlyError` when the file
    is read-only, :class:`HistoryBusyError` when it stayed locked, and
    :class:`HistoryError` for other problems of the file or the disk.

    A store opened with ``wait_if_locked`` on a file another program holds is not
    :attr:`opened` yet: it opens the file (checks, migrates, backs up) at its first
    use after the lock goes, and until then every read and write raises
    :class:`HistoryBusyError`, so session steps wait in the journal as for a lock met
    later.
    """

    def __init__(
        self,
        path: Path,
        backups_dir: Path | None,
        *,
        busy_timeout: float,
        now: Callable[[], datetime],
        daily_backup: bool,
        migrations: Migrations,
        connection_factory: type[sqlite3.Connection],
    ) -> None:
        """A store of ``path``, not opened yet: use :meth:`open` (same arguments)."""
        super().__init__(None, path, now)
        self.backups_dir = backups_dir
        self.read_only = False
        self._notices: list[str] = []
        self._recovered: str | None = None
        self.schema_version = 0
        self.journal = WriteJournal(path.with_name(JOURNAL_NAME))
        self._busy_timeout = busy_timeout
        self._daily_backup = daily_backup
        self._migrations = migrations
        self._factory = connection_factory
        self._closed = False

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        backups_dir: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        now: Callable[[], datetime] = _now_local,
        daily_backup: bool = True,
        migrations: Migrations = MIGRATIONS,
        connection_factory: type[sqlite3.Connection] = sqlite3.Connection,
        wait_if_locked: bool = False,
        open_wait: float | None = None,
    ) -> HistoryStore:
        """Open the history file, creating, migrating, recovering or backing up as needed.

        ``busy_timeout`` is in seconds; ``now`` gives the aware local time (for backup
        names and dates); ``migrations`` are the schema's steps, in order (tests pass
        their own); ``connection_factory`` is the connection class (tests inject disk
        faults with a subclass).  A migration or daily backup the disk refuses leaves
        the file readable (read-only, or without today's backup) with a notice.
        ``open_wait`` (seconds, default ``busy_timeout``) is how long this call waits
        for a locked file; the store's later calls wait ``busy_timeout``.
        Raises :class:`HistoryBusyError` when the file stays locked (unless
        ``wait_if_locked``: then the store returned opens the file once it is free,
        see the class notes), :class:`HistoryError` when it cannot be opened.
        """
        store = cls(
            Path(path),
            Path(backups_dir) if backups_dir is not None else None,
            busy_timeout=busy_timeout,
            now=now,
            daily_backup=daily_backup,
            migrations=migrations,
            connection_factory=connection_factory,
        )
        try:
            store._open_late(open_wait)
        except HistoryBusyError:
            if not wait_if_locked:
                raise
            log.info("%s is locked; it is opened once it is free", store.path)
        return store

    def _open_late(self, wait: float | None = None) -> sqlite3.Connection:
        """Open the file now: at :meth:`open`, or at the first use after a lock held
        then went, waiting ``wait`` seconds (default the busy timeout) for a lock.
        Raises HistoryBusyError while it is locked (the store stays unopened),
        HistoryError when it cannot be opened."""
        with self._lock:
            if self._closed:
                raise HistoryError(f"{self.path.name} was closed")
            timeout = self._busy_timeout if wait is None else wait
            opened = open_file(
                self.path, self.backups_dir, timeout, self._now,
                len(self._migrations), self._factory,
            )
            if timeout != self._busy_timeout:  # later calls wait as long as asked
                milliseconds = round(self._busy_timeout * 1000)
                opened.connection.execute(f"PRAGMA busy_timeout = {milliseconds}")
            self._connection = opened.connection
            self.schema_version, self.read_only = opened.version, opened.read_only
            self._notices = list(opened.notices)
            self._recovered = opened.notices[0] if opened.damaged_copy is not None else None
            try:
                self._prepare(opened.damaged_copy)
            except BaseException:
                opened.connection.close()
                self._connection, self.read_only, self._notices = None, False, []
                self._recovered = None
                raise
            return opened.connection

    def _prepare(self, damaged_copy: Path | None) -> None:
        """Migrate, salvage a damaged file's sessions and make today's backup."""
        if self.read_only:
            return
        try:
            self._migrate(self.schema_version, self._migrations)
        except (sqlite3.OperationalError, HistoryUnavailableError) as error:
            locked = isinstance(error, HistoryBusyError) or (
                isinstance(error, sqlite3.OperationalError) and is_lock_error(error)
            )
            if locked or (
                isinstance(error, sqlite3.OperationalError) and not is_environment_error(error)
            ):
                if isinstance(error, HistoryBusyError):
                    raise
                assert isinstance(error, sqlite3.OperationalError)
                log.info("cannot prepare %s: %s", self.path, error)
                message = f"cannot prepare the history: {plain_reason(error, self.path)}"
                raise history_error(error, self.path, message) from error
            log.info("%s opened read-only: %s", self.path, error)
            reason = (
                plain_reason(error, self.path)
                if isinstance(error, sqlite3.OperationalError)
                else str(error)  # already one line for people
            )
            self.read_only = True
            self._notices.append(
                f"History is read-only for now: {self.path.name} cannot be updated ({reason}). "
                "Sessions are kept beside it and saved once it can be written."
            )
            return
        if damaged_copy is not None:
            self._salvage(damaged_copy)
        if self._daily_backup:
            try:
                self.backup_if_due()
            except (HistoryError, OSError) as error:
                log.info("today's backup of %s failed", self.path, exc_info=True)
                reason = (error.strerror or "refused") if isinstance(error, OSError) else str(error)
                self._notices.append(f"Today's history backup could not be written: {reason}")

    @property
    def opened(self) -> bool:
        """False while the file, locked by another program at :meth:`open` (with
        ``wait_if_locked``), has not been opened yet; True once it has."""
        return self._connection is not None

    @property
    def recovered_notice(self) -> str | None:
        """What happened while opening that the user should hear about, or None."""
        return self._recovered

    @property
    def notices(self) -> tuple[str, ...]:
        """Every message from opening: recovery, read-only mode; while the file waits
        to be opened (see :attr:`opened`), the one line saying it is busy."""
        if self._connection is None and not self._closed:
            return (busy_notice(self.path),)
        return tuple(self._notices)

    @property
    def read_only_notice(self) -> str | None:
        """Why the history is read-only, or None when it can be written."""
        for note in self._notices:
            if "read-only" in note:
                return note
        return None

    def storage_settings(self) -> dict[str, str | int]:
        """How this store keeps its file, as SQLite reports it: ``journal_mode``
        ("delete": a rollback journal), ``synchronous`` (2: FULL), ``user_version``
        (the schema version) and ``busy_timeout`` (milliseconds a call waits for a
        lock another program holds)."""
        return {
            name: self._conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "synchronous", "user_version", "busy_timeout")
        }

    def close(self) -> None:
        """Close the file (waits for a call in progress on another thread)."""
        with self._lock:
            self._closed = True
            if self._connection is not None:
                self._connection.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _migrate(self, version: int, migrations: Migrations) -> None:
        targets = pending_migrations(version, migrations)
        if not targets:
            return
        if version > 0 and self._has_sessions():
            self._backup_into_folder(f"before-v{version + 1}", MIGRATION_BACKUPS_KEPT)
        for target in targets:
            with self._lock:
                migrate_to(self._conn, target, migrations)
            self.schema_version = target

    def _salvage(self, damaged: Path) -> None:
        try:
            with self._lock:
                copied = salvage(self._conn, damaged)
        except sqlite3.Error as error:
            log.info("salvaging %s failed: %s", damaged, error)
            self._notices.append(
                f"Sessions still readable in {damaged} could not be copied over; they stay "
                "in that file (the log has the details)."
            )
            return
        if copied:
            self._notices.append(
                f"{copied} session{'s' if copied != 1 else ''} still readable in the damaged "
                "file were copied into the history."
            )

    def _ensure_open(self) -> None:
        """Open a file that was locked at opening; HistoryBusyError while it still is."""
        with self._lock:
            if self._connection is None:
                self._open_late()

    def _has_sessions(self) -> bool:
        try:
            return self._conn.execute("SELECT 1 FROM sessions LIMIT 1").fetchone() is not None
        except sqlite3.OperationalError:
            return False

    # ------------------------------------------------------------ transactions

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._conn  # a file locked at opening is opened here, or raises busy
            if self.read_only:
                raise HistoryReadOnlyError(
                    self.read_only_notice or "history is read-only; nothing was saved"
                )
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except BaseException as error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error) and is_environment_error(error):
                    log.info("history write to %s failed: %s", self.path, error)
                    reason = plain_reason(error, self.path)
                    raise history_error(error, self.path, f"Not saved: {reason}.") from error
                raise

    # --------------------------------------------------------- the live session

    def begin_session(
        self,
        routine_id: str,
        routine_name: str,
        routine_kind: str | None,
        planned_seconds: float,
        moves_total: int,
        started_at: datetime,
        owner: str | None = None,
    ) -> int:
        """Write a new session in progress; returns its id.

        ``planned_seconds`` is rounded to whole seconds; ``started_at`` must be aware
        (ValueError otherwise).  Its local date is the day the session counts for.
        ``owner`` is the process running it (default: this one, see ``process_owner``).
        """
        with self._transaction() as conn:
            return writes.insert_started(
                conn, routine_id, routine_name, routine_kind, planned_seconds, moves_total,
                started_at, owner or process_owner(),
            )

    def checkpoint(
        self,
        session_id: int,
        *,
        move_id: str,
        areas: Iterable[str],
        seconds: float,
        reps: int | None = None,
        active_seconds: float,
        moves_completed: int,
    ) -> None:
        """Record one finished move and the running totals, durably, in one transaction.

        ``seconds``: the move's active seconds, added to each of its ``areas``;
        ``active_seconds``: the session's running total.  Both are rounded to whole
        seconds.  Raises HistoryError when the session does not exist.
        """
        with self._transaction() as conn:
            writes.add_move(
                conn,
                session_id,
                self._now(),
                move_id=move_id,
                areas=areas,
                seconds=seconds,
                reps=reps,
                active_seconds=active_seconds,
                moves_completed=moves_completed,
            )

    def finish_session(
        self,
        session_id: int,
        status: str,
        ended_at: datetime,
        active_seconds: float,
        moves_completed: int,
    ) -> None:
        """Close a session as completed, partial or interrupted (one transaction).

        ``status``: a :class:`SessionStatus` value (ValueError otherwise); ``ended_at``
        aware; ``active_seconds`` rounded to whole seconds.  Raises HistoryError when
        the session does not exist.
        """
        writes.require_status(status)
        with self._transaction() as conn:
            writes.close_session(
                conn, session_id, status, ended_at, active_seconds, moves_completed
            )

    def mark_dangling_interrupted(self) -> int:
        """Sessions left in progress by a process that is gone become ``interrupted``;
        returns how many.

        Sessions whose owner still runs (another window on the same folder) are left
        alone.  Their end is the last checkpoint (or the start).  Does nothing when
        read-only.
        """
        with self._lock:
            self._ensure_open()
            if self.read_only:
                return 0
            with self._transaction() as conn:
                return writes.mark_dangling(conn, owner_alive)

    def apply_write(self, write: SessionWrite) -> int:
        """Apply one step of a session idempotently, in one transaction; its id.

        Raises HistoryUnavailableError (or HistoryBusyError) when the disk or the file
        refuses it, HistoryReadOnlyError when the history is read-only: keep the write
        and try again later.  HistoryError or ValueError: the write can never apply.
        """
        with self._transaction() as conn:
            return writes.apply_write(conn, write, self._now())

    def replay_journal(self) -> Replayed:
        """Apply the writes waiting in the journal, in order (see :class:`Replayed`).

        Stops at the first write the file refuses and keeps it and every later one.
        A line that holds no write (torn by a kill, damaged) and a write that can
        never apply are taken out of the journal into a file of their own beside it
        (:meth:`WriteJournal.set_aside`), never lost, each with a note naming the
        journal and the line; the reasons in detail go to the log.  Raises OSError
        when the journal cannot be read or rewritten (then it is left as it was:
        applying it again is safe).
        """
        if not self.journal.path.exists():
            return Replayed(0, 0)
        with self.journal.locked():
            lines = self.journal.read_lines()
            skipped = list(lines.skipped)
            applied, problem = 0, ""
            kept: list[JournalEntry] = []
            for index, entry in enumerate(lines.entries):
                try:
                    self.apply_write(entry.write)
                except KEEP_ERRORS as error:
                    problem = str(error)
                    kept = list(lines.entries[index:])
                    break
                except Exception as error:  # noqa: BLE001 - one bad step must not stop the rest
                    log.info("%s line %d cannot apply", self.journal.path, entry.line,
                             exc_info=True)  # fmt: skip
                    skipped.append(SkippedLine(entry.line, entry.raw, _never_applies(error)))
                else:
                    applied += 1
            notes: list[str] = []
            if skipped:
                skipped.sort()
                kept_in = self.journal.set_aside([line.raw for line in skipped], self._now())
                for line in skipped:
                    log.info("%s line %d set aside in %s: %s", self.journal.path, line.line,
                             kept_in.name, line.reason)  # fmt: skip
                notes = skipped_notes(self.journal.path, skipped, kept_in)
            self.journal.replace([entry.write for entry in kept])
        return Replayed(applied, len(kept), problem, tuple(notes))

    def settle(self) -> Settled:
        """What every start does: apply the journal, then settle dangling sessions.

        Never raises for the disk, the file or the journal's content: what could not
        be done is said in :attr:`Settled.problem` and done at a later start; lines
        of the journal set aside, or a journal that cannot be read, are in
        :attr:`Settled.notes`.
        """
        replayed = Replayed(0, 0)
        try:
            replayed = self.replay_journal()
        except OSError as error:
            log.info("replaying %s failed", self.journal.path, exc_info=True)
            replayed = Replayed(0, 0, notes=(unreadable_note(self.journal.path, error),))
        interrupted = 0
        problem = replayed.problem
        try:
            interrupted = self.mark_dangling_interrupted()
        except HistoryUnavailableError as error:
            problem = problem or str(error)
        return Settled(replayed.applied, replayed.kept, interrupted, problem, replayed.notes)

    def record_session(self, session: NewSession) -> int:
        """Write a whole finished session (with its moves) in one transaction; its id."""
        with self._transaction() as conn:
            return writes.insert_session(conn, session)

    def record_sessions(self, sessions: Iterable[NewSession]) -> int:
        """Write many finished sessions in one transaction; returns how many."""
        count = 0
        with self._transaction() as conn:
            for session in sessions:
                writes.insert_session(conn, session)
                count += 1
        return count

    # -------------------------------------------------------------- deleting

    def delete_session(self, session_id: int) -> DeletedSession:
        """Remove a session; the returned snapshot puts it back with :meth:`restore_session`.

        Raises HistoryError when the session does not exist.
        """
        with self._transaction() as conn:
            return writes.delete(conn, session_id)

    def restore_session(self, deleted: DeletedSession) -> int:
        """Undo :meth:`delete_session` (same id, moves and areas); returns the id."""
        with self._transaction() as conn:
            writes.restore(conn, deleted)
        return deleted.session_id

    def import_sessions(self, sessions: Sequence[NewSession]) -> ImportResult:
        """Add sessions in one transaction, skipping those already present.

        A duplicate has the same start instant and routine id as a stored session (or
        as an earlier row of the same import).  Either every new row is written or none.
        A backup is made first when the history holds sessions.
        """
        self._ensure_open()
        if sessions and not self.read_only and self._has_sessions():
            self._backup_into_folder("before-import", MIGRATION_BACKUPS_KEPT)
        added = 0
        seen: set[tuple[str, str]] = set()
        with self._transaction() as conn:
            for session in sessions:
                key = (utc_text(session.started_at), session.routine_id)
                duplicate = key in seen or writes.is_stored(conn, session)
                seen.add(key)
                if not duplicate:
                    writes.insert_session(conn, session, source="import")
                    added += 1
        return ImportResult(added, len(sessions) - added)

    # ------------------------------------------------------------------ backups

    def backup_to(self, destination: str | os.PathLike[str]) -> Path:
        """Copy the whole history to ``destination`` (atomically: temp file, then rename).

        Raises HistoryError when it would overwrite the history file or cannot be
        written, HistoryBusyError when the file stayed locked.
        """
        with self._lock:
            return copy_database(self._conn, self.path, Path(destination))

    def backup_if_due(self) -> Path | None:
        """The once-a-day backup: made when none exists for today and there is data.

        Returns the file written, or None.  The newest DAILY_BACKUPS_KEPT are kept.
        """
        self._ensure_open()
        if self.backups_dir is None or self.read_only or not self._has_sessions():
            return None
        today = self._now().date().isoformat()
        target = self.backups_dir / f"history-daily-{today}.sqlite3"
        if target.exists():
            return None
        made = self.backup_to(target)
        prune(self.backups_dir, "history-daily-", DAILY_BACKUPS_KEPT)
        return made

    def _backup_into_folder(self, reason: str, keep: int) -> Path | None:
        if self.backups_dir is None:
            return None
        stamp = self._now().strftime("%Y-%m-%dT%H%M%S")
        target = self.backups_dir / f"history-{reason}-{stamp}.sqlite3"
        made = self.backup_to(target)
        prune(self.backups_dir, f"history-{reason}-", keep)
        return made
