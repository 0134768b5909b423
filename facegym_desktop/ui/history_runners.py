"""Where history jobs run: one at a time, in the order they were submitted.

:class:`ThreadRunner` runs them on a daemon thread (the app's default: a write stuck on
a locked file never holds the app open); :class:`InlineRunner` on the calling thread
(tests, scripts).  :class:`~facegym_desktop.ui.history_bridge.HistoryBridge` takes
either as its ``runner``, and reports its jobs' results through a :class:`ReportGate`.
Plain Python: no Qt.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import ParamSpec, Protocol

P = ParamSpec("P")

log = logging.getLogger(__name__)
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


class ReportGate:
    """Passes a worker's reports on until :meth:`close`; none starts after it returns.

    A runner that gave up waiting at quitting leaves its thread running; what that
    thread finishes later must not reach objects being torn down (a Qt signal of a
    deleted object raises, one being destroyed can crash the process).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open = True

    def report(self, send: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
        """Call ``send(*args, **kwargs)`` (a signal's ``emit``) unless closed."""
        with self._lock:
            if self._open:
                send(*args, **kwargs)

    def close(self) -> None:
        """Stop reporting; waits for a report under way on another thread."""
        with self._lock:
            self._open = False
