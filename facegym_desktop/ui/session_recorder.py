"""Writes one session at a time to the history, through a :class:`HistoryBridge`.

The window tells the recorder what happens (:meth:`SessionRecorder.begin`,
:meth:`~SessionRecorder.move_ended`, :meth:`~SessionRecorder.finish`) and shows what
it answers through its signals:

* ``saved(str)``: the finish screen's line, "Saved to your history.", that it is
  kept to be saved later, or why not.  Emitted exactly once per
  :meth:`~SessionRecorder.finish`, also when the history is off or the save failed;
* ``streak_ready(str)``: the finish screen's streak line, after a save;
* ``last_done_changed(dict)``: routine id -> aware datetime it was last done, loaded
  when attached and again whenever the history changes (a save, a delete, the file
  answering again after another program held it);
* ``notice(str)``: a history problem to show on the start screen.  A read refused
  because the file is busy adds none (the bridge says that once) and is read again
  when the file answers.

Each step is a :class:`SessionWrite` naming its session by start time and routine,
queued with :meth:`HistoryBridge.save`: steps are written in order, and a step the
file refuses waits in the journal and is retried, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    # Types only: the start screen is shown before the history (or datetime) is loaded.
    from datetime import datetime

    from facegym_desktop.core.planner import Plan
    from facegym_desktop.core.routine import Routine
    from facegym_desktop.core.session import MoveEnded, SessionSummary
    from facegym_desktop.core.stats import Summary
    from facegym_desktop.ui.history_bridge import HistoryBridge, SaveOutcome

SAVED = "Saved to your history."
HISTORY_OFF = "History is off for this session."
KEPT = "Not saved yet ({problem}); the session is kept and will be saved when possible."


def _local_now() -> datetime:
    from datetime import UTC, datetime

    return datetime.now(UTC).astimezone()


class _Session:
    """The session being recorded: its key and how many moves were sent."""

    def __init__(self, started_at: datetime, routine_id: str) -> None:
        self.started_at = started_at
        self.routine_id = routine_id
        self.moves = 0


class SessionRecorder(QObject):
    """Owns the history writes of the running session (see the module notes).

    ``clock`` gives the aware local time a move is saved at (injected in tests).
    """

    saved = Signal(str)
    streak_ready = Signal(str)
    last_done_changed = Signal(dict)
    notice = Signal(str)

    def __init__(
        self,
        bridge: HistoryBridge | None = None,
        parent: QObject | None = None,
        *,
        clock: Callable[[], datetime] = _local_now,
    ) -> None:
        super().__init__(parent)
        self._bridge: HistoryBridge | None = None
        self._session: _Session | None = None
        self._clock = clock
        self._streak_due: int | None = None  # rest days of a streak line the lock held up
        self.attach(bridge)

    @property
    def bridge(self) -> HistoryBridge | None:
        """The bridge sessions are written through, or None while the history is off."""
        return self._bridge

    def attach(self, bridge: HistoryBridge | None) -> None:
        """Record sessions begun from now on through ``bridge``; loads the last-done dates.

        Failures of other users of the bridge come out as ``notice``.
        """
        if self._bridge is not None:
            self._bridge.error.disconnect(self.notice.emit)
            self._bridge.history_changed.disconnect(self._on_history_changed)
        self._bridge = bridge
        if bridge is None:
            return
        bridge.error.connect(self.notice.emit)
        bridge.history_changed.connect(self._on_history_changed)
        self.load_last_done()

    def begin(self, routine: Routine, plan: Plan, started_at: datetime) -> None:
        """Write the start of a session of ``routine`` following ``plan``.

        ``started_at`` is aware; the session counts for its local date.
        """
        from facegym_desktop.core.history import SessionWrite

        bridge = self._bridge
        if bridge is None:
            self._session = None
            return
        self._session = _Session(started_at, routine.id)
        write = SessionWrite.begin(
            started_at, routine.id, routine.name, routine.kind, plan.total_seconds,
            len(routine.steps),
        )
        bridge.save(write, name="begin").failure(self.notice.emit)

    def move_ended(self, event: MoveEnded, active_seconds: float) -> None:
        """Save a finished move; ``active_seconds`` is the session's running total."""
        from facegym_desktop.core.history import SessionWrite

        bridge, session = self._bridge, self._session
        if bridge is None or session is None:
            return
        session.moves += 1
        segment = event.segment
        write = SessionWrite.move(
            session.started_at,
            session.routine_id,
            position=session.moves,
            move_id=segment.move_id or "",
            areas=segment.areas,
            seconds=event.active_seconds,
            reps=segment.reps,
            active_seconds=active_seconds,
            moves_completed=event.moves_completed,
            at=self._clock(),
        )
        bridge.save(write, name="save").failure(self.notice.emit)

    def finish(self, summary: SessionSummary, ended_at: datetime, rest_days_per_week: int) -> None:
        """Close the session with ``summary``'s status and totals; ``saved`` follows,
        then ``streak_ready`` (streaks counted with ``rest_days_per_week``)."""
        from facegym_desktop.core.history import SessionWrite

        bridge, session = self._bridge, self._session
        self._session = None
        if bridge is None or session is None:
            self.saved.emit(HISTORY_OFF)
            return
        write = SessionWrite.finish(
            session.started_at,
            session.routine_id,
            status=summary.status,
            ended_at=ended_at,
            active_seconds=summary.active_seconds,
            moves_completed=summary.moves_completed,
        )
        bridge.save(write, name="finish", changes_history=True).success(
            self._on_finished
        ).failure(self._on_save_failed)
        self._load_streak(bridge, rest_days_per_week)

    def load_last_done(self) -> None:
        """Read when each routine was last done; ``last_done_changed`` follows."""
        if self._bridge is None:
            return
        self._bridge.run(lambda store: store.last_done_by_routine(), name="last done").success(
            self.last_done_changed.emit
        ).failure(self._on_read_failed)

    def _load_streak(self, bridge: HistoryBridge, rest_days_per_week: int) -> None:
        def held_up(message: str) -> None:
            if bridge.busy:
                self._streak_due = rest_days_per_week  # read once the file answers
            self._on_read_failed(message)

        bridge.run(lambda store: store.stats(None, rest_days_per_week), name="stats").success(
            self._on_stats
        ).failure(held_up)

    def _on_read_failed(self, message: str) -> None:
        # A busy file was said once by the bridge; its history_changed reads again.
        if self._bridge is None or not self._bridge.busy:
            self.notice.emit(message)

    def _on_history_changed(self) -> None:
        self.load_last_done()
        rest_days, self._streak_due = self._streak_due, None
        if rest_days is not None and self._bridge is not None:
            self._load_streak(self._bridge, rest_days)

    def _on_finished(self, outcome: SaveOutcome) -> None:
        if not outcome.saved:
            self.saved.emit(KEPT.format(problem=outcome.problem.rstrip(".")))
            return
        self.saved.emit(SAVED)  # its history_changed reloads the last-done dates

    def _on_save_failed(self, message: str) -> None:
        self.notice.emit(message)
        self.saved.emit(message)

    def _on_stats(self, summary: Summary) -> None:
        from facegym_desktop.core.stats import streak_message

        self.streak_ready.emit(streak_message(summary))
