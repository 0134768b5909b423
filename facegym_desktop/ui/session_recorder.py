"""Writes one session at a time to the history, through a :class:`HistoryBridge`.

The window tells the recorder what happens (:meth:`SessionRecorder.begin`,
:meth:`~SessionRecorder.move_ended`, :meth:`~SessionRecorder.finish`) and shows what
it answers through its signals:

* ``saved(str)``: the finish screen's line, "Saved to your history." or why not.
  Emitted exactly once per :meth:`~SessionRecorder.finish`, also when the history is
  off or the save failed;
* ``streak_ready(str)``: the finish screen's streak line, after a save;
* ``last_done_changed(dict)``: routine id -> aware datetime it was last done;
* ``notice(str)``: a history problem to show on the start screen.

The session's id is known only once the worker has written its start.  Each session
gets a :class:`_SessionSlot` that the begin job fills in on the worker; the
checkpoint and finish jobs, queued behind it in the same order, read it there, so
they never wait for the begin result to reach the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    # Types only: the start screen is shown before the history is loaded.
    from datetime import datetime

    from facegym_desktop.core.history import HistoryStore
    from facegym_desktop.core.planner import Plan
    from facegym_desktop.core.routine import Routine
    from facegym_desktop.core.session import MoveEnded, SessionSummary
    from facegym_desktop.core.stats import Summary
    from facegym_desktop.ui.history_bridge import HistoryBridge

SAVED = "Saved to your history."
HISTORY_OFF = "History is off for this session."


class _SessionSlot:
    """The id of one session, written by its begin job (None until then, or if the
    begin failed).  Read and written only on the worker."""

    def __init__(self) -> None:
        self.session_id: int | None = None


class SessionRecorder(QObject):
    """Owns the history writes of the running session (see the module notes)."""

    saved = Signal(str)
    streak_ready = Signal(str)
    last_done_changed = Signal(dict)
    notice = Signal(str)

    def __init__(self, bridge: HistoryBridge | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge: HistoryBridge | None = None
        self._slot: _SessionSlot | None = None
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
        self._bridge = bridge
        if bridge is None:
            return
        bridge.error.connect(self.notice.emit)
        self.load_last_done()

    def begin(self, routine: Routine, plan: Plan, started_at: datetime) -> None:
        """Write the start of a session of ``routine`` following ``plan``.

        ``started_at`` is aware; the session counts for its local date.
        """
        bridge = self._bridge
        if bridge is None:
            self._slot = None
            return
        slot = self._slot = _SessionSlot()
        routine_id, name, kind = routine.id, routine.name, routine.kind
        planned, moves_total = plan.total_seconds, len(routine.steps)

        def write(store: HistoryStore) -> int:
            slot.session_id = store.begin_session(
                routine_id, name, kind, planned, moves_total, started_at
            )
            return slot.session_id

        bridge.run(write, name="begin").failure(self.notice.emit)

    def move_ended(self, event: MoveEnded, active_seconds: float) -> None:
        """Save a finished move; ``active_seconds`` is the session's running total."""
        bridge, slot = self._bridge, self._slot
        if bridge is None or slot is None:
            return
        segment = event.segment

        def write(store: HistoryStore) -> None:
            if slot.session_id is None:
                return  # the start was not written; that failure was reported
            store.checkpoint(
                slot.session_id,
                move_id=segment.move_id or "",
                areas=segment.areas,
                seconds=event.active_seconds,
                reps=segment.reps,
                active_seconds=active_seconds,
                moves_completed=event.moves_completed,
            )

        bridge.run(write, name="save").failure(self.notice.emit)

    def finish(self, summary: SessionSummary, ended_at: datetime, rest_days_per_week: int) -> None:
        """Close the session with ``summary``'s status and totals; ``saved`` follows,
        then ``streak_ready`` (streaks counted with ``rest_days_per_week``)."""
        bridge, slot = self._bridge, self._slot
        self._slot = None
        if bridge is None or slot is None:
            self.saved.emit(HISTORY_OFF)
            return

        from facegym_desktop.core.history import HistoryError

        def write(store: HistoryStore) -> int:
            if slot.session_id is None:
                raise HistoryError("This session was not saved: its start could not be written.")
            store.finish_session(
                slot.session_id,
                summary.status,
                ended_at,
                summary.active_seconds,
                summary.moves_completed,
            )
            return slot.session_id

        bridge.run(write, name="finish", changes_history=True).success(
            self._on_saved
        ).failure(self._on_save_failed)
        bridge.run(lambda store: store.stats(None, rest_days_per_week), name="stats").success(
            self._on_stats
        ).failure(self.notice.emit)

    def load_last_done(self) -> None:
        """Read when each routine was last done; ``last_done_changed`` follows."""
        if self._bridge is None:
            return
        self._bridge.run(lambda store: store.last_done_by_routine(), name="last done").success(
            self.last_done_changed.emit
        ).failure(self.notice.emit)

    def _on_saved(self, _session_id: int) -> None:
        self.saved.emit(SAVED)
        self.load_last_done()

    def _on_save_failed(self, message: str) -> None:
        self.notice.emit(message)
        self.saved.emit(message)

    def _on_stats(self, summary: Summary) -> None:
        from facegym_desktop.core.stats import streak_message

        self.streak_ready.emit(streak_message(summary))
