"""Runs every history call on one worker thread and reports back with signals.

The UI thread never touches SQLite: the player and the history window call the
methods below, which queue a job for the worker and return at once.  Jobs run in
the order they were queued, so ``begin`` is always written before the first
``checkpoint`` of the same session.  Results come back as signals, delivered on
the thread the bridge lives on (the UI thread).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from facegym_desktop.core.history import DeletedSession, HistoryError, HistoryStore


class _Worker(QObject):
    """Lives in the worker thread; runs one job at a time."""

    job_done = Signal(str, object)
    job_failed = Signal(str, str)

    def __init__(self, store: HistoryStore) -> None:
        super().__init__()
        self.store = store
        self.current_session: int | None = None

    @Slot(object)
    def run(self, job: tuple[str, Callable[[_Worker], Any]]) -> None:
        name, function = job
        try:
            result = function(self)
        except HistoryError as error:
            self.job_failed.emit(name, str(error))
            return
        except Exception as error:  # noqa: BLE001 - a save must never take the app down
            self.job_failed.emit(name, f"history {name} failed: {type(error).__name__}: {error}")
            return
        self.job_done.emit(name, result)


class HistoryBridge(QObject):
    """Qt front of a :class:`HistoryStore` that keeps SQLite off the UI thread.

    Signals:
      ``session_begun(int)`` the id of a session written by :meth:`begin`;
      ``checkpoint_saved(int)`` after each durable checkpoint (session id);
      ``session_finished(int)`` after :meth:`finish`;
      ``stats_ready(object)`` a :class:`facegym_desktop.core.stats.Summary`;
      ``overview_ready(object)`` a :class:`facegym_desktop.core.history.Overview`;
      ``session_deleted(object)`` a :class:`DeletedSession` (pass it to :meth:`restore`);
      ``session_restored(int)``; ``dangling_marked(int)``;
      ``last_done_ready(object)`` a ``dict[str, datetime]``: routine id -> last start;
      ``idle()`` when the queue is empty; ``error(str)`` one line for the user.
    """

    session_begun = Signal(int)
    checkpoint_saved = Signal(int)
    session_finished = Signal(int)
    stats_ready = Signal(object)
    overview_ready = Signal(object)
    session_deleted = Signal(object)
    session_restored = Signal(int)
    dangling_marked = Signal(int)
    last_done_ready = Signal(object)
    idle = Signal()
    error = Signal(str)

    _submit = Signal(object)

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._pending = 0
        self._thread = QThread(self)
        self._thread.setObjectName("history-worker")
        self._worker = _Worker(store)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)
        self._submit.connect(self._worker.run)
        self._worker.job_done.connect(self._on_done)
        self._worker.job_failed.connect(self._on_failed)
        self._thread.start()

    @property
    def store(self) -> HistoryStore:
        """The store (for read-only facts such as ``read_only``; do not call it here)."""
        return self._store

    @property
    def pending(self) -> int:
        """Jobs queued or running."""
        return self._pending

    # ---------------------------------------------------------------- the player

    def begin(
        self,
        routine_id: str,
        routine_name: str,
        routine_kind: str | None,
        planned_seconds: float,
        moves_total: int,
        started_at: datetime,
    ) -> None:
        """Write a new session; ``session_begun(id)`` follows."""

        def job(worker: _Worker) -> int:
            worker.current_session = None
            session_id = worker.store.begin_session(
                routine_id, routine_name, routine_kind, planned_seconds, moves_total, started_at
            )
            worker.current_session = session_id
            return session_id

        self._queue("begin", job)

    def checkpoint(
        self,
        session_id: int | None = None,
        *,
        move_id: str,
        areas: Iterable[str],
        seconds: float,
        reps: int | None = None,
        active_seconds: float,
        moves_completed: int,
    ) -> None:
        """Record a finished move.  ``session_id=None``: the session last begun here."""
        area_list = list(areas)

        def job(worker: _Worker) -> int:
            target = _target(worker, session_id)
            worker.store.checkpoint(
                target,
                move_id=move_id,
                areas=area_list,
                seconds=seconds,
                reps=reps,
                active_seconds=active_seconds,
                moves_completed=moves_completed,
            )
            return target

        self._queue("checkpoint", job)

    def finish(
        self,
        session_id: int | None,
        status: str,
        ended_at: datetime,
        active_seconds: float,
        moves_completed: int,
    ) -> None:
        """Close a session (``None``: the one last begun here); ``session_finished`` follows."""

        def job(worker: _Worker) -> int:
            target = _target(worker, session_id)
            worker.store.finish_session(target, status, ended_at, active_seconds, moves_completed)
            if worker.current_session == target:
                worker.current_session = None
            return target

        self._queue("finish", job)

    def mark_dangling_interrupted(self) -> None:
        self._queue("dangling", lambda worker: worker.store.mark_dangling_interrupted())

    # ---------------------------------------------------------------- reading

    def load_stats(self, today: date | None = None, rest_days_per_week: int = 0) -> None:
        """Compute streaks and totals; ``stats_ready(Summary)`` follows."""
        self._queue("stats", lambda worker: worker.store.stats(today, rest_days_per_week))

    def load_overview(self, today: date | None = None, rest_days_per_week: int = 0) -> None:
        """Everything the history window shows; ``overview_ready(Overview)`` follows."""
        self._queue("overview", lambda worker: worker.store.overview(today, rest_days_per_week))

    def load_last_done(self) -> None:
        """When each routine was last done; ``last_done_ready(dict)`` follows."""
        self._queue("last_done", lambda worker: worker.store.last_done_by_routine())

    def delete_session(self, session_id: int) -> None:
        self._queue("delete", lambda worker: worker.store.delete_session(session_id))

    def restore(self, deleted: DeletedSession) -> None:
        self._queue("restore", lambda worker: worker.store.restore_session(deleted))

    def call(self, function: Callable[[HistoryStore], Any], name: str = "call") -> None:
        """Run any store function on the worker; failures come back as ``error``."""
        self._queue(name, lambda worker: function(worker.store))

    # ---------------------------------------------------------------- plumbing

    def close(self, wait_ms: int = 10_000, close_store: bool = False) -> bool:
        """Finish every queued job, then stop the thread; True when it stopped in time.

        With ``close_store`` the store is closed on the worker after the last job.
        """
        if not self._thread.isRunning():
            return True

        def last_job(worker: _Worker) -> None:
            if close_store:
                worker.store.close()
            # Queued after every other job, so nothing is dropped on the way out.
            QThread.currentThread().quit()

        self._pending += 1
        self._submit.emit(("close", last_job))
        return bool(self._thread.wait(wait_ms))

    def _queue(self, name: str, function: Callable[[_Worker], Any]) -> None:
        if not self._thread.isRunning():
            self.error.emit(f"history {name} was not run: the history worker has stopped")
            return
        self._pending += 1
        self._submit.emit((name, function))

    _SIGNALS = {
        "begin": "session_begun",
        "checkpoint": "checkpoint_saved",
        "finish": "session_finished",
        "stats": "stats_ready",
        "overview": "overview_ready",
        "delete": "session_deleted",
        "restore": "session_restored",
        "dangling": "dangling_marked",
        "last_done": "last_done_ready",
    }

    @Slot(str, object)
    def _on_done(self, name: str, result: object) -> None:
        self._pending -= 1
        signal_name = self._SIGNALS.get(name)
        if signal_name is not None:
            getattr(self, signal_name).emit(result)
        if self._pending == 0:
            self.idle.emit()

    @Slot(str, str)
    def _on_failed(self, name: str, message: str) -> None:
        self._pending -= 1
        self.error.emit(message)
        if self._pending == 0:
            self.idle.emit()


def _target(worker: _Worker, session_id: int | None) -> int:
    if session_id is not None:
        return session_id
    if worker.current_session is None:
        raise HistoryError("no session is being recorded (begin was not called or failed)")
    return worker.current_session
