"""Runs history jobs on one worker thread and hands the results back to the UI thread.

The UI thread never touches SQLite.  A caller queues a job, a function of the
:class:`HistoryStore`, and says what to do with its result::

    bridge.run(lambda store: store.stats(today)).success(show_stats).failure(show_error)

Jobs run one at a time in the order they were queued, so a session's ``begin`` is
always written before its first checkpoint.  Callbacks run on the thread the bridge
lives on (the UI thread), from the event loop, after :meth:`HistoryBridge.run` has
returned.  A failure without a failure callback goes to the ``error`` signal.

A session's steps go through :meth:`HistoryBridge.save` instead: they are never
dropped.  A step the file refuses (locked, a full disk, a read-only folder) waits in
order, is kept in the journal beside the history file, and is retried with growing
pauses; :meth:`HistoryBridge.close` waits a bounded time for what waits and leaves the
rest in the journal for the next start (docs/contracts.md, Reliability).

When another program holds the file (from the opening, ``HistoryStore.opened`` False,
or from a later job), the bridge is :attr:`~HistoryBridge.busy`: it says so once (the
store's notices say it for a lock at opening), a job that fails on the lock fails with
that line, and its retry timer tries the file until it answers.  Then the waiting steps
are saved, the history settled (a line for each journal line set aside), readers
catch up (``history_changed``), and one line says that the changes are saved or that
the file is free again.  Jobs run on a :class:`~.history_runners.JobRunner`:
``ThreadRunner`` (a daemon thread, the default: a write stuck on a locked file never
holds the app open) or ``InlineRunner`` (the calling thread, for tests and scripts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Generic, NamedTuple, TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from facegym_desktop.core.history import (
    HistoryBusyError,
    HistoryError,
    HistoryStore,
    SessionWrite,
    Settled,
)
from facegym_desktop.core.history_errors import busy_message, busy_notice
from facegym_desktop.core.history_journal import FlushResult, PendingWrites
from facegym_desktop.ui.history_runners import InlineRunner, JobRunner, ReportGate, ThreadRunner
from facegym_desktop.ui.timers import TimerFactory, qt_timers

log = logging.getLogger(__name__)
T = TypeVar("T")
__all__ = ["HistoryBridge", "HistoryOp", "InlineRunner", "JobRunner", "SaveOutcome", "ThreadRunner"]

QUIT_WAIT_MS = 5_000  # how long quitting waits for writes still queued
RETRY_FIRST_MS = 1_000  # the first pause before a refused write is tried again
RETRY_LONGEST_MS = 30_000  # pauses double up to this
ALL_SAVED = "The changes that were waiting are now saved; nothing was lost."
FREE_AGAIN = "{name} is free again; the history is up to date."


class SaveOutcome(NamedTuple):
    """What became of one session step: ``saved`` in the history, or waiting
    (``waiting`` steps in all, kept because of ``problem``)."""

    saved: bool
    waiting: int = 0
    problem: str = ""


class HistoryOp(Generic[T]):
    """One queued job; attach what to do with its result (see the module notes).

    ``success(cb)`` gets the job's return value; ``failure(cb)`` a one-line message.
    Both return the operation, so calls chain.
    """

    def __init__(self, job: Callable[[HistoryStore], T], name: str) -> None:
        self._job = job
        self._name = name
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[str], None] | None = None
        self._result: tuple[T] | None = None
        self._message = ""
        self._locked = False

    def success(self, callback: Callable[[T], None]) -> HistoryOp[T]:
        """Call ``callback(result)`` on the UI thread when the job succeeds."""
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[str], None]) -> HistoryOp[T]:
        """Call ``callback(message)`` on the UI thread when the job fails."""
        self._on_failure = callback
        return self

    @property
    def succeeded(self) -> bool:
        """Whether the job ran and returned (False before it ran, or when it failed)."""
        return self._result is not None

    def _execute(self, store: HistoryStore) -> None:
        try:
            self._result = (self._job(store),)
        except HistoryBusyError:
            self._locked = True
            self._fail(busy_notice(store.path))
        except HistoryError as error:
            self._fail(str(error))
        except Exception as error:  # noqa: BLE001 - a save must never take the app down
            log.exception("history %s failed", self._name)
            self._fail(f"history {self._name} failed: {type(error).__name__}: {error}")

    def _fail(self, message: str) -> None:
        self._message = " ".join(message.split())

    def _settle(self, fallback: Callable[[str], None]) -> None:
        if self._result is not None:
            if self._on_success is not None:
                self._on_success(self._result[0])
        elif self._on_failure is not None:
            self._on_failure(self._message)
        else:
            fallback(self._message)


class HistoryBridge(QObject):
    """Qt front of a :class:`HistoryStore` that keeps SQLite off the UI thread.

    Signals: ``error(str)`` a failure no failure callback took, in one line (also:
    once when session steps start to wait or the file is found busy, once when they
    are all saved or it is free again, once per journal line set aside); ``idle()``
    when no job is queued or running; ``history_changed()`` after a job run with
    ``changes_history=True`` succeeded (after its success callback), after steps that
    waited were saved, and when the file answers again after it was busy.
    ``retry_first_ms`` is the first pause before a refused step or a busy file is
    tried again; ``timers`` makes the retry timer (default: a ``QTimer``; tests pass
    fakes they fire by hand).
    """

    error = Signal(str)
    idle = Signal()
    history_changed = Signal()

    _settled = Signal(object, bool)
    _flushed = Signal(object)

    def __init__(
        self,
        store: HistoryStore,
        parent: QObject | None = None,
        *,
        runner: JobRunner | None = None,
        retry_first_ms: int = RETRY_FIRST_MS,
        timers: TimerFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._pending = 0
        # Locked at opening: its notices say so; steps go to the journal until a retry.
        self._busy = self._told_busy = not store.opened
        self._writes = PendingWrites(store.journal, busy_message(store.path) if self._busy else "")
        self._waiting = False  # steps wait (the person was told, or knows the file is busy)
        self._opened = store.opened
        self._retry_first_ms = retry_first_ms
        self._retry_ms = retry_first_ms
        self._retry = (timers or qt_timers(self))(self.retry_waiting, True)
        self._runner: JobRunner = runner if runner is not None else ThreadRunner()
        self._gate = ReportGate()  # closed by close(): the bridge may go, the worker not
        # Always through the event loop: callbacks are attached after run() returns.
        self._settled.connect(self._on_settled, Qt.ConnectionType.QueuedConnection)
        self._flushed.connect(self._on_flushed, Qt.ConnectionType.QueuedConnection)
        self._runner.start()
        if self._busy:
            self._retry_later()

    @property
    def store(self) -> HistoryStore:
        """The store (for read-only facts such as ``read_only``; call it only in jobs)."""
        return self._store

    @property
    def pending(self) -> int:
        """Jobs queued or running, or finished with their callbacks still to run."""
        return self._pending

    @property
    def waiting_writes(self) -> int:
        """Session steps not yet in the history (queued, or refused and kept)."""
        return len(self._writes)

    @property
    def busy(self) -> bool:
        """True while another program held the file when last tried (at opening or by
        a job) and it has not answered since; the person has been told once."""
        return self._busy

    def run(
        self,
        job: Callable[[HistoryStore], T],
        *,
        name: str = "job",
        changes_history: bool = False,
    ) -> HistoryOp[T]:
        """Queue ``job(store)`` on the worker; returns the operation to attach callbacks to.

        ``name`` appears in the message of an unexpected exception ("history save
        failed: ...").  ``changes_history``: emit ``history_changed`` when it succeeds.
        A job queued after :meth:`close` fails with a message and does not run.
        """
        op: HistoryOp[T] = HistoryOp(job, name)
        self._pending += 1
        if not self._runner.is_running():
            op._fail(f"history {name} was not run: the history worker has stopped")
            self._settled.emit(op, False)
            return op

        def execute() -> None:
            op._execute(self._store)
            self._gate.report(self._settled.emit, op, changes_history)

        self._runner.submit(execute)
        return op

    def save(
        self, write: SessionWrite, *, name: str = "save", changes_history: bool = False
    ) -> HistoryOp[SaveOutcome]:
        """Queue one step of a session; it is written after every step queued before it.

        The operation succeeds with a :class:`SaveOutcome`: saved, or waiting (kept in
        the journal and retried; ``error`` says so once).  It fails only when the step
        can never be written (a naive time, a session whose start was refused).
        """
        self._writes.add(write)
        if self._writes.refused:
            # The file refuses writes now: into the journal at once, not when the worker
            # gets to it (a read waiting on a lock can hold the worker for seconds).
            self._writes.keep_rest()

        def job(store: HistoryStore) -> SaveOutcome:
            if self._writes.refused:
                # Steps already wait for the file: this one joins them without another
                # busy wait, and the retry timer tries them all.
                self._writes.keep_rest()
                return SaveOutcome(False, len(self._writes), self._writes.refused)
            result = self._flush(store)
            failure = self._writes.failure_of(write)
            if failure is not None:
                raise HistoryError(failure)
            if self._writes.contains(write):
                log.debug("history %s of %s kept to retry: %s", write.kind, write.routine_id,
                          result.problem)  # fmt: skip
                return SaveOutcome(False, result.kept, result.problem)
            log.debug("history %s of %s (move %d) written", write.kind, write.routine_id,
                      write.position)  # fmt: skip
            return SaveOutcome(True)

        return self.run(job, name=name, changes_history=changes_history)

    def retry_waiting(self) -> None:
        """Try the waiting session steps, or a busy file, again now (the retry timer
        calls this)."""
        self._retry.stop()
        if not self._runner.is_running():
            return
        if self._writes:
            self.run(self._flush, name="retry")
        elif self._busy:
            self.run(self._catch_up, name="catch up").success(
                lambda settled: self._tell(settled.notes)
            ).failure(lambda message: log.debug("history still unreachable: %s", message))

    def close(self, wait_ms: int = QUIT_WAIT_MS, close_store: bool = False) -> bool:
        """Try the waiting steps once more, finish every queued job, then stop the worker.

        Waits at most ``wait_ms`` milliseconds; True when the worker stopped in time.
        Steps still waiting then are left in the journal for the next start.  With
        ``close_store`` the store is closed on the worker after the last job.
        Callbacks of the jobs finished in time still run from the event loop; a job
        that finishes after the wait gave up reports nothing (the bridge may be gone).
        """
        self._retry.stop()
        if self._runner.is_running():
            if self._writes:

                def last_try() -> None:
                    self._flush(self._store, report=False)

                self._runner.submit(last_try)
            if close_store:
                self._runner.submit(self._store.close)
            stopped = self._runner.stop(wait_ms)
        else:
            stopped = True
        self._gate.close()  # what the worker finishes from now on stays there
        if self._writes:
            problem = self._writes.keep_rest()
            log.warning(
                "%d history writes wait in %s%s", len(self._writes),
                self._store.journal.path.name, f" ({problem})" if problem else "",
            )
        return stopped

    def _flush(self, store: HistoryStore, report: bool = True) -> FlushResult:
        """On the worker: apply the waiting steps in order (see PendingWrites.flush)."""
        result = self._writes.flush(store.apply_write, lambda: store.replay_journal().notes)
        if report:
            self._gate.report(self._flushed.emit, result)
        return result

    def _catch_up(self, store: HistoryStore) -> Settled:
        """On the worker, after the file was busy: reach it (HistoryBusyError while still
        locked; a file locked at opening is opened here), save the steps and the journal
        (``_on_flushed`` follows), then settle it as a start does."""
        store.session_count()
        self._flush(store)
        return store.settle()

    def _tell(self, lines: Iterable[str]) -> None:
        for line in lines:  # notices of the file, journal lines set aside: one each
            self.error.emit(line)

    def _retry_later(self) -> None:
        """Start the retry timer with the next pause (pauses double to the longest)."""
        self._retry.setInterval(self._retry_ms)
        self._retry.start()
        self._retry_ms = min(self._retry_ms * 2, RETRY_LONGEST_MS)

    @Slot(object)
    def _on_flushed(self, result: FlushResult) -> None:
        self._tell(result.notes)
        for write, message in result.dropped:
            log.warning("history %s refused: %s", write.kind, message)
        if not result.kept:
            self._file_answered()
            return
        self._busy = self._busy or result.locked
        if not self._waiting:
            self._waiting = True
            where = (
                f"kept in {self._store.journal.path.name}"
                if not result.journal_problem
                else f"kept in memory ({result.journal_problem})"
            )
            if not (result.locked and self._told_busy):
                self.error.emit(
                    f"Could not save to your history: {result.problem} "
                    f"{result.kept} change(s) are {where} and will be saved when possible."
                )
        self._retry_later()

    def _file_locked(self) -> None:
        """A job found the file locked: say so once, and try it again later."""
        if not self._busy:
            self._busy = True
            if not (self._told_busy or self._waiting):
                self._told_busy = True
                self.error.emit(busy_notice(self._store.path))
        if not self._retry.isActive():
            self._retry_later()

    def _file_answered(self) -> None:
        """A job reached the file: once nothing waits any more, say what became of it
        (the changes are saved, or the file is free again) and let readers catch up."""
        was_busy, self._busy = self._busy, False
        if self._writes or not (was_busy or self._waiting):
            return
        self._retry_ms = self._retry_first_ms
        if self._waiting:
            message = ALL_SAVED
        else:
            message = FREE_AGAIN.format(name=self._store.path.name) if self._told_busy else ""
        self._waiting = self._told_busy = False
        if not self._opened and self._store.opened:
            self._opened = True  # opened late: settled as a start does; its notices are news
            settle = self.run(lambda store: store.settle(), name="recovery")
            settle.success(lambda settled: self._tell(settled.notes))
            self._tell(self._store.notices)
        if message:
            self.error.emit(message)
        self.history_changed.emit()

    @Slot(object, bool)
    def _on_settled(self, op: HistoryOp[object], changes_history: bool) -> None:
        self._pending -= 1
        try:
            outcome = op._result[0] if op._result is not None else None
            waiting = isinstance(outcome, SaveOutcome) and not outcome.saved
            if waiting:
                self._waiting = True
                if not self._retry.isActive():
                    self._retry_later()
            if op._locked:
                self._file_locked()
            op._settle(self.error.emit)
            if changes_history and op.succeeded and not waiting:
                self.history_changed.emit()
        finally:
            if self._pending == 0:
                self.idle.emit()

