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

Where jobs run is a :class:`JobRunner`: :class:`ThreadRunner` (a daemon thread, the
default: a write stuck on a locked file never holds the app open) or
:class:`InlineRunner` (the calling thread, for tests and scripts).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Generic, NamedTuple, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from facegym_desktop.core.history import HistoryError, HistoryStore, SessionWrite
from facegym_desktop.core.history_journal import FlushResult, PendingWrites

log = logging.getLogger(__name__)
T = TypeVar("T")
Job = Callable[[], None]

QUIT_WAIT_MS = 5_000  # how long quitting waits for writes still queued
RETRY_FIRST_MS = 1_000  # the first pause before a refused write is tried again
RETRY_LONGEST_MS = 30_000  # pauses double up to this


class JobRunner(Protocol):
    """Where history jobs run: one at a time, in the order they were submitted."""

    def start(self) -> None:
        """Get ready to run jobs."""

    def is_running(self) -> bool:
        """Whether submitted jobs will run."""

    def submit(self, job: Job) -> None:
        """Queue ``job``; it runs after every job submitted before it."""

    def stop(self, wait_ms: int) -> bool:
        """Run the queued jobs, then stop; True when that took under ``wait_ms`` ms."""


class InlineRunner:
    """Runs each job at once on the calling thread (tests, scripts)."""

    def __init__(self) -> None:
        self._running = False

    def start(self) -> None:
        self._running = True

    def is_running(self) -> bool:
        return self._running

    def submit(self, job: Job) -> None:
        job()

    def stop(self, wait_ms: int) -> bool:
        self._running = False
        return True


class ThreadRunner:
    """Runs jobs on its own daemon thread named ``history-worker``.

    A daemon thread, not a ``QThread``: when quitting gives up waiting (a file locked
    by another program), the process still ends cleanly and the job's transaction is
    rolled back by SQLite at the next start.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._loop, name="history-worker", daemon=True)
        self._stopping = False

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.is_alive() and not self._stopping

    def submit(self, job: Job) -> None:
        self._jobs.put(job)

    def stop(self, wait_ms: int) -> bool:
        # Queued after every other job, so nothing is dropped on the way out.
        self._stopping = True
        self._jobs.put(None)
        self._thread.join(max(0, wait_ms) / 1000)
        return not self._thread.is_alive()

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                job()
            except Exception:  # noqa: BLE001 - the worker outlives any one job
                log.exception("a history job failed")


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
    once when session steps start to wait, once when they are all saved);
    ``idle()`` when no job is queued or running; ``history_changed()`` after a job
    run with ``changes_history=True`` succeeded (after its success callback), and
    after steps that waited were saved.
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
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._pending = 0
        self._writes = PendingWrites(store.journal)
        self._waiting = False
        self._retry_first_ms = retry_first_ms
        self._retry_ms = retry_first_ms
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.retry_waiting)
        self._runner: JobRunner = runner if runner is not None else ThreadRunner()
        # Always through the event loop: callbacks are attached after run() returns.
        self._settled.connect(self._on_settled, Qt.ConnectionType.QueuedConnection)
        self._flushed.connect(self._on_flushed, Qt.ConnectionType.QueuedConnection)
        self._runner.start()

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
            self._settled.emit(op, changes_history)

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
        """Try the waiting session steps again now (the retry timer calls this)."""
        self._retry.stop()
        if self._writes and self._runner.is_running():
            self.run(self._flush, name="retry")

    def close(self, wait_ms: int = QUIT_WAIT_MS, close_store: bool = False) -> bool:
        """Try the waiting steps once more, finish every queued job, then stop the worker.

        Waits at most ``wait_ms`` milliseconds; True when the worker stopped in time.
        Steps still waiting then are left in the journal for the next start.  With
        ``close_store`` the store is closed on the worker after the last job.
        Callbacks of the last jobs still run from the event loop.
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
        if self._writes:
            problem = self._writes.keep_rest()
            log.warning(
                "%d history writes wait in %s%s", len(self._writes),
                self._store.journal.path.name, f" ({problem})" if problem else "",
            )
        return stopped

    def _flush(self, store: HistoryStore, report: bool = True) -> FlushResult:
        """On the worker: apply the waiting steps in order (see PendingWrites.flush)."""
        result = self._writes.flush(store.apply_write, store.replay_journal)
        if report:
            self._flushed.emit(result)
        return result

    @Slot(object)
    def _on_flushed(self, result: FlushResult) -> None:
        for write, message in result.dropped:
            log.warning("history %s refused: %s", write.kind, message)
        if result.kept:
            if not self._waiting:
                self._waiting = True
                where = (
                    f"kept in {self._store.journal.path.name}"
                    if not result.journal_problem
                    else f"kept in memory ({result.journal_problem})"
                )
                self.error.emit(
                    f"Could not save to your history: {result.problem} "
                    f"{result.kept} change(s) are {where} and will be saved when possible."
                )
            self._retry.start(self._retry_ms)
            self._retry_ms = min(self._retry_ms * 2, RETRY_LONGEST_MS)
        elif self._waiting and not self._writes:
            self._waiting = False
            self._retry_ms = self._retry_first_ms
            self.error.emit("The changes that were waiting are now saved; nothing was lost.")
            self.history_changed.emit()

    @Slot(object, bool)
    def _on_settled(self, op: HistoryOp[object], changes_history: bool) -> None:
        self._pending -= 1
        try:
            op._settle(self.error.emit)
            waiting = op._result is not None and isinstance(op._result[0], SaveOutcome) and (
                not op._result[0].saved
            )
            if changes_history and op.succeeded and not waiting:
                self.history_changed.emit()
        finally:
            if self._pending == 0:
                self.idle.emit()
