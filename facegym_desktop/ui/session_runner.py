"""One session at a time: its controller, the keys that steer it, and how it ends.

The window asks the runner to start a routine and switches pages on its signals;
the runner makes the :class:`SessionController`, hands each finished move and the
session's end to the :class:`SessionRecorder`, and words the finish screen's lines.
The session modules load with the first session, not at start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from facegym_desktop.core.timefmt import duration_text
from facegym_desktop.ui.actions import ActionId
from facegym_desktop.ui.session_recorder import SessionRecorder
from facegym_desktop.ui.voice_settings import VoiceSettings

if TYPE_CHECKING:
    from datetime import datetime

    from facegym_desktop.core.planner import Plan
    from facegym_desktop.core.routine import Routine
    from facegym_desktop.core.session import MoveEnded, SessionSummary
    from facegym_desktop.ui.session_controller import SessionController
    from facegym_desktop.ui.session_view import SessionView

log = logging.getLogger(__name__)

# What each session key asks of the running session (Esc: see request_stop).
SESSION_KEYS: dict[ActionId, Callable[[SessionController], object]] = {
    ActionId.PAUSE: lambda c: c.toggle_pause(),
    ActionId.NEXT: lambda c: c.next(),
    ActionId.PREVIOUS: lambda c: c.previous(),
    ActionId.RESTART: lambda c: c.restart_move(),
    ActionId.MORE_TIME: lambda c: c.add_time(10),
    ActionId.LESS_TIME: lambda c: c.add_time(-10),
}


class SessionRunner(QObject):
    """Runs sessions on the session screen and records them.

    Signals: ``started()`` once a session is on the session screen and running;
    ``ended(title, details)`` when it is over, with the finish screen's two lines
    (for example "Finished, 2 moves skipped" and "4 min of massage · 3 of 5 moves").

    ``view`` builds (or returns) the session screen; ``clock``, ``wall_clock`` and
    ``time_scale`` go to each :class:`SessionController` (None: the real clocks);
    ``local_now`` gives the aware local time the history records sessions at.
    """

    started = Signal()
    ended = Signal(str, str)

    def __init__(
        self,
        recorder: SessionRecorder,
        voice: VoiceSettings,
        view: Callable[[], SessionView],
        *,
        local_now: Callable[[], datetime],
        rest_days_per_week: Callable[[], int],
        clock: Callable[[], float] | None = None,
        wall_clock: Callable[[], float] | None = None,
        time_scale: float = 1.0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._recorder = recorder
        self._voice = voice
        self._view = view
        self._local_now = local_now
        self._rest_days_per_week = rest_days_per_week
        self._clock = clock
        self._wall_clock = wall_clock
        self.time_scale = time_scale
        self.controller: SessionController | None = None

    @property
    def running(self) -> bool:
        """Whether a session is running or paused (not before the first, not after one)."""
        return self.controller is not None and self.controller.running

    def start(self, routine: Routine, timeline: Plan) -> None:
        """Start ``timeline`` of ``routine`` now; a session still running is shut first."""
        from facegym_desktop.ui.session_controller import SessionController

        self.shutdown()
        if self.controller is not None:
            self.controller.deleteLater()
        self.controller = SessionController(
            timeline,
            routine,
            self._view(),
            coach=self._voice.coach,
            muted=self._voice.muted,
            time_scale=self.time_scale,
            clock=self._clock,
            wall_clock=self._wall_clock,
            parent=self,
        )
        self.controller.move_ended.connect(self._on_move_ended)
        self.controller.session_ended.connect(self._on_session_ended)
        self._recorder.begin(routine, timeline, self._local_now())
        log.debug("session of %s started: %.0f s planned, time scale %g", routine.id,
                  timeline.total_seconds, self.time_scale)  # fmt: skip
        self.started.emit()
        self.controller.start()

    def steer(self, function: Callable[..., Any]) -> Callable[..., None]:
        """A slot that calls ``function(controller, *args)`` only while a session runs."""

        def run(*args: Any) -> None:
            if self.controller is not None and self.controller.running:
                function(self.controller, *args)

        return run

    def request_stop(self) -> None:
        """Esc: the first press asks, the second stops (see SessionController)."""
        if self.controller is not None and self.controller.running:
            self.controller.request_stop()

    def set_visible(self, visible: bool) -> None:
        """The window was minimised (False) or shown again (True)."""
        if self.controller is not None:
            self.controller.set_visible(visible)

    def stop(self) -> None:
        """End a running session now; it is saved as partial through ``ended``."""
        if self.controller is not None and self.controller.running:
            self.controller.engine.stop()

    def shutdown(self) -> None:
        """Stop the running session (saved as partial) and the controller's timers."""
        self.stop()
        if self.controller is not None:
            self.controller.shutdown()

    def _on_move_ended(self, event: MoveEnded) -> None:
        log.debug("move %s ended: %.1f s active in it, %.1f s in the session, %d moves done",
                  event.segment.move_id, event.active_seconds, event.session_active_seconds,
                  event.moves_completed)  # fmt: skip
        self._recorder.move_ended(event, event.session_active_seconds)

    def _on_session_ended(self, summary: SessionSummary, _finished: bool) -> None:
        from facegym_desktop.core.session import finish_title  # loaded with the session

        details = (
            f"{duration_text(summary.active_seconds)} of massage · "
            f"{summary.moves_completed} of {summary.moves_total} moves"
        )
        log.debug("session ended %s: %.1f s active, %d of %d moves, %d skipped", summary.status,
                  summary.active_seconds, summary.moves_completed, summary.moves_total,
                  summary.moves_skipped)  # fmt: skip
        self.ended.emit(finish_title(summary), details)
        self._recorder.finish(summary, self._local_now(), self._rest_days_per_week())
