"""Runs history jobs on one worker thread and hands the results back to the UI thread.

The UI thread never touches SQLite.  A caller queues a job, a function of the
:class:`HistoryStore`, and says what to do with its result::

    bridge.run(lambda store: store.stats(today)).success(show_stats).failure(show_error)

Jobs run one at a time in the order they were queued, so a session's ``begin`` is
always written before its first checkpoint.  Callbacks run on the thread the bridge
lives on (the UI thread), from the event loop, after :meth:`HistoryBridge.run` has
returned.  A failure without a failure callback goes to the ``error`` signal.

Where jobs run is a :class:`JobRunner`: :class:`ThreadRunner` (a ``QThread``, the
default) or :class:`InlineRunner` (the calling thread, for tests and scripts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from facegym_desktop.core.history import HistoryError, HistoryStore

log = logging.getLogger(__name__)
T = TypeVar("T")
Job = Callable[[], None]


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


class _Worker(QObject):
    """Lives in the worker thread; runs one job at a time."""

    @Slot(object)
    def run(self, job: Job) -> None:
        job()


class ThreadRunner(QObject):
    """Runs jobs on its own ``QThread`` named ``history-worker``."""

    _submitted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName("history-worker")
        self._worker = _Worker()
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._submitted.connect(self._worker.run)

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return bool(self._thread.isRunning())

    def submit(self, job: Job) -> None:
        self._submitted.emit(job)

    def stop(self, wait_ms: int) -> bool:
        # Queued after every other job, so nothing is dropped on the way out.
        self.submit(lambda: QThread.currentThread().quit())
        return bool(self._thread.wait(wait_ms))


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

    Signals: ``error(str)`` a failure no failure callback took, in one line;
    ``idle()`` when no job is queued or running; ``history_changed()`` after a job
    run with ``changes_history=True`` succeeded (after its success callback).
    """

    error = Signal(str)
    idle = Signal()
    history_changed = Signal()

    _settled = Signal(object, bool)

    def __init__(
        self,
        store: HistoryStore,
        parent: QObject | None = None,
        *,
        runner: JobRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._pending = 0
        self._runner: JobRunner = runner if runner is not None else ThreadRunner(self)
        # Always through the event loop: callbacks are attached after run() returns.
        self._settled.connect(self._on_settled, Qt.ConnectionType.QueuedConnection)
        self._runner.start()

    @property
    def store(self) -> HistoryStore:
        """The store (for read-only facts such as ``read_only``; call it only in jobs)."""
        return self._store

    @property
    def pending(self) -> int:
        """Jobs queued or running, or finished with their callbacks still to run."""
        return self._pending

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

    def close(self, wait_ms: int = 10_000, close_store: bool = False) -> bool:
        """Finish every queued job, then stop the worker; True when it stopped in time.

        ``wait_ms`` in milliseconds.  With ``close_store`` the store is closed on the
        worker after the last job.  Callbacks of the last jobs still run from the
        event loop.
        """
        if not self._runner.is_running():
            return True
        if close_store:
            self._runner.submit(self._store.close)
        return self._runner.stop(wait_ms)

    @Slot(object, bool)
    def _on_settled(self, op: HistoryOp[object], changes_history: bool) -> None:
        self._pending -= 1
        try:
            op._settle(self.error.emit)
            if changes_history and op.succeeded:
                self.history_changed.emit()
        finally:
            if self._pending == 0:
                self.idle.emit()
