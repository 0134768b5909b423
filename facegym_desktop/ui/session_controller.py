"""Connects a running session to its view and its voice.

The engine decides everything about time; this controller forwards its events to
the widgets and the voice coach, drives the frame timer (only while a session runs
and the window can be seen), and turns keys into engine controls.
"""

from __future__ import annotations

import bisect
import logging
import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from facegym_desktop.core.planner import Plan, Segment, SegmentKind
from facegym_desktop.core.ring_geometry import MARKER_FRAME_RATE
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.session import (
    CueDue,
    Event,
    Finished,
    MoveEnded,
    Paused,
    PlanChanged,
    Resumed,
    SegmentStarted,
    SessionEngine,
    SessionState,
    Stopped,
    scaled_clock,
)
from facegym_desktop.core.timefmt import clock_text, duration_text
from facegym_desktop.core.vocabulary import PRESSURE_BY_ID
from facegym_desktop.ui.ports import CoachPort
from facegym_desktop.ui.session_view import SessionView
from facegym_desktop.ui.timers import TimerFactory, qt_timers

log = logging.getLogger(__name__)

# One tick per drawn frame: the ring and the face map markers move 15 times a second,
# so ticking faster would only wake the process to draw nothing.
FRAME_MS = round(1000 / MARKER_FRAME_RATE)
HIDDEN_TICK_MS = 250  # minimised: keep time and cues going, paint nothing
STOP_CONFIRM_MS = 4000


class SessionController(QObject):
    """Runs one session: engine events to ``view`` and ``coach``, keys to engine controls.

    ``coach`` (optional) gets ``prepare(plan)``, ``set_muted(bool)``, ``cue_due(cue)``,
    ``pause()``, ``resume()``, ``skipped()`` and ``stop()``.  ``clock`` and
    ``wall_clock`` (seconds) default to the system clocks sped up ``time_scale`` times.
    ``timers`` makes the frame and stop-confirmation timers (default: ``QTimer``
    children of the controller).  The engine is told each interval the frame timer is
    set to (and the time scale), so a gap far longer than that, the app not running,
    pauses the session with the reason in the banner.

    Signals: ``move_ended(MoveEnded)``, ``session_ended(SessionSummary, finished: bool)``
    (once, when the session finishes or stops) and ``muted_changed(bool)``.
    """

    move_ended = Signal(object)
    session_ended = Signal(object, bool)
    muted_changed = Signal(bool)

    def __init__(
        self,
        plan: Plan,
        routine: Routine,
        view: SessionView,
        *,
        coach: CoachPort | None = None,
        muted: bool = False,
        time_scale: float = 1.0,
        clock: Callable[[], float] | None = None,
        wall_clock: Callable[[], float] | None = None,
        parent: QObject | None = None,
        timers: TimerFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.routine = routine
        self.view = view
        self.coach = coach
        self.muted = muted
        self._time_scale = time_scale if clock is None else 1.0
        self.engine = SessionEngine(
            plan,
            clock=clock or scaled_clock(time.monotonic, time_scale),
            wall_clock=wall_clock or scaled_clock(time.time, time_scale),
            time_scale=self._time_scale,
        )
        self.engine.set_tick_interval(FRAME_MS / 1000)
        self.engine.subscribe(self._on_event)
        self._visible = True
        self._view_stale = False  # events arrived while hidden; redraw everything on return
        self._caption = ""
        self._stop_armed = False
        make_timer = timers or qt_timers(self)
        self._timer = make_timer(self.tick, False)
        self._stop_timer = make_timer(self.cancel_stop, True)
        self._stop_timer.setInterval(STOP_CONFIRM_MS)
        if coach is not None:
            coach.prepare(plan)
            coach.set_muted(muted)
        view.set_routine(routine.name)
        view.set_caption("")
        view.set_banner("")

    # ------------------------------------------------------------------ controls

    def start(self) -> None:
        """Start the session and its frame timer, and show the first frame."""
        self.engine.start()
        self._sync_timer()
        self.tick()

    def tick(self) -> None:
        """Bring the session up to the clock and show where it is: what the frame timer
        calls every ``FRAME_MS`` (minimised: only the engine, on a slower tick)."""
        self.engine.tick()
        if not self._visible:
            self._sync_timer()  # aim the next slow tick at the next cue or segment end
            return
        if not self.engine.in_progress:
            return
        frame = self.engine.frame()
        segment = self.engine.current
        ring = self.view.ring
        ring.set_fraction(frame.remaining_fraction)
        ring.set_remaining_seconds(frame.remaining_seconds)
        ring.set_reps(frame.rep, frame.reps_total)
        ring.set_tempo_phase(frame.tempo_phase)
        ring.set_session_progress(frame.session_progress)
        self.view.face_map.set_animation_time(
            frame.segment_elapsed if segment.kind == SegmentKind.MOVE else 0.0
        )
        self.view.set_time_left(f"{clock_text(frame.session_remaining)} left")

    def toggle_pause(self) -> None:
        """Pause a running session or resume a paused one (Space)."""
        self.engine.toggle_pause()

    def pause(self, reason: str | None = None) -> None:
        """Pause (a running session only), with the reason the banner shows."""
        self.engine.pause(reason)

    def next(self) -> None:
        """Skip to the next move (→); the voice drops what it was saying."""
        self._skip(self.engine.next)

    def previous(self) -> None:
        """Restart this move, or go back a move near its start (←)."""
        self._skip(self.engine.previous)

    def restart_move(self) -> None:
        """Back to the start of the current move (R)."""
        self._skip(self.engine.restart_move)

    def add_time(self, seconds: int) -> None:
        """Lengthen (``seconds`` > 0) or shorten the current move, within its limits."""
        if self.engine.adjust(seconds):
            self.tick()

    def toggle_mute(self) -> None:
        """Mute or unmute the voice (captions stay); emits ``muted_changed``."""
        self.muted = not self.muted
        if self.coach is not None:
            self.coach.set_muted(self.muted)
        self.muted_changed.emit(self.muted)  # the window updates the notice line

    def request_stop(self) -> bool:
        """First call asks to confirm, a second within ``STOP_CONFIRM_MS`` stops the
        session (Esc).  True when this call stopped it; False when it only asked, or
        when no session is in progress."""
        if not self.engine.in_progress:
            return False
        if not self._stop_armed:
            self._stop_armed = True
            self._stop_timer.start()
            self.view.set_banner("Press Esc again to stop the session.")
            return False
        self._stop_timer.stop()
        self._stop_armed = False
        self.engine.stop()
        return True

    def set_visible(self, visible: bool) -> None:
        """The window was minimised or shown again."""
        if visible != self._visible:
            self._visible = visible
            self._sync_timer()
            if visible:
                if self._view_stale:
                    self._refresh_view()
                self.tick()

    def cancel_stop(self) -> None:
        """Withdraw a stop request that was not confirmed (its time ran out)."""
        self._stop_timer.stop()
        self._stop_armed = False
        self.view.set_banner(self._pause_text() if self.engine.state is SessionState.PAUSED else "")

    def shutdown(self) -> None:
        """Stop timers and speech; the session itself is stopped by the caller."""
        self._timer.stop()
        self._stop_timer.stop()
        if self.coach is not None:
            self.coach.stop()

    @property
    def running(self) -> bool:
        """The engine's ``in_progress``: started, and neither finished nor stopped."""
        return self.engine.in_progress

    @property
    def timer_active(self) -> bool:
        """Whether the frame timer runs (only while the session runs, not paused)."""
        return self._timer.isActive()

    @property
    def timer_interval_ms(self) -> int:
        """Milliseconds between frame ticks: ``FRAME_MS`` when the window can be seen,
        up to ``HIDDEN_TICK_MS`` (sooner when a cue falls due) while minimised."""
        return self._timer.interval()

    # ------------------------------------------------------------------ internals

    def _skip(self, action: Callable[[], None]) -> None:
        if self.coach is not None:
            self.coach.skipped()
        action()
        self.tick()

    def _sync_timer(self) -> None:
        if self.engine.state is not SessionState.RUNNING:
            self._timer.stop()
            return
        interval = FRAME_MS if self._visible else self._hidden_interval()
        if not self._timer.isActive() or self._timer.interval() != interval:
            # The engine judges stalls and late cues by the interval it is told.
            self.engine.set_tick_interval(interval / 1000)
            self._timer.setInterval(interval)
            self._timer.start()

    def _hidden_interval(self) -> int:
        """Milliseconds to the next tick while minimised: the slow tick, or sooner when a
        cue or the end of a segment falls due before it, so neither is late."""
        engine = self.engine
        position = engine.position
        due = engine.current.end
        cue_times = [cue.at for cue in engine.cues]
        upcoming = bisect.bisect_right(cue_times, position)
        if upcoming < len(cue_times):
            due = min(due, cue_times[upcoming])
        wait_ms = math.ceil(max(0.0, due - position) / self._time_scale * 1000) + 1
        return max(1, min(HIDDEN_TICK_MS, wait_ms))

    def _pause_text(self) -> str:
        reason = self.engine.pause_reason
        return reason or "Paused. Press Space to go on."

    def _refresh_view(self) -> None:
        """Bring the view up to date after events that arrived while it was hidden."""
        self._view_stale = False
        self._show_segment(self.engine.current)
        self.view.set_caption(self._caption)
        paused = self.engine.state is SessionState.PAUSED
        self.view.set_banner(self._pause_text() if paused else "")

    def _on_event(self, event: Event) -> None:
        # While minimised the view is left alone (any change would repaint it) and
        # brought up to date when the window shows again; the voice goes on.
        hidden = not self._visible
        if isinstance(event, SegmentStarted):
            if hidden:
                self._view_stale = True
            else:
                self._show_segment(event.segment)
        elif isinstance(event, CueDue):
            cue = event.cue
            log.debug("cue at %.2f s, %.3f s late, %s: %s", cue.at, event.late, cue.priority,
                      cue.text)  # fmt: skip
            self._caption = event.cue.text
            if hidden:
                self._view_stale = True
            else:
                self.view.set_caption(event.cue.text)
            if self.coach is not None:
                self.coach.cue_due(event.cue)
        elif isinstance(event, Paused):
            if self.coach is not None:
                self.coach.pause()
            if hidden:
                self._view_stale = True
            else:
                self.view.set_banner(self._pause_text())
            self._sync_timer()
        elif isinstance(event, Resumed):
            if self.coach is not None:
                self.coach.resume()
            self.view.set_banner("")
            self._sync_timer()
        elif isinstance(event, PlanChanged):
            if hidden:
                self._view_stale = True
            else:
                self._show_next(self.engine.current)
        elif isinstance(event, MoveEnded):
            self.move_ended.emit(event)
        elif isinstance(event, Finished | Stopped):
            self._timer.stop()
            self._stop_timer.stop()
            if isinstance(event, Stopped) and self.coach is not None:
                self.coach.stop()
            self.session_ended.emit(event.summary, isinstance(event, Finished))

    def _show_segment(self, segment: Segment) -> None:
        view = self.view
        step = self.routine.steps[segment.step] if segment.step is not None else None
        ring = view.ring
        if segment.kind == SegmentKind.PREP:
            view.set_move("Get ready", "Settle in front of the mirror.")
            view.show_checklist(self.routine.prep or ("Clean hands",))
            view.face_map.set_active_areas({})
            view.face_map.set_strokes(())
            ring.set_pressure_level(None)
        elif step is not None:
            move = step.move
            # A transition shows the coming move's name once, as the title; the
            # caption ("Next up: …") and the line below say that it is coming.
            title = move.name
            if segment.kind == SegmentKind.MOVE and segment.side:
                title += f" · {segment.side} side"
            elif segment.kind == SegmentKind.SWITCH:
                title = "Switch sides"
            view.set_move(title, move.technique)
            view.show_guide(dict(move.pressure), move.caution, move.caution_areas)
            view.face_map.set_active_areas(dict(move.pressure), segment.side)
            # A move written for one side at a time draws that side's strokes; a step
            # that does it on both sides at once draws them on both halves.
            both_halves = step.sides == "both" and move.sides == "each"
            view.face_map.set_strokes(move.strokes, segment.side, both_halves=both_halves)
            strongest = max(move.pressure.values(), key=_level_rank, default=None)
            ring.set_pressure_level(strongest if segment.kind == SegmentKind.MOVE else None)
        else:
            view.set_move(segment.name, "Let your hands rest and breathe out slowly.")
            view.face_map.set_active_areas({})
            view.face_map.set_strokes(())
            ring.set_pressure_level(None)
        description = f"{segment.name}, {duration_text(segment.duration)}"
        if segment.reps:
            description += f", {segment.reps} repetitions"
        ring.setAccessibleDescription(description)
        self._show_next(segment)

    def _show_next(self, segment: Segment) -> None:
        upcoming = self.engine.next_move()
        if upcoming is None:
            self.view.set_next("Last move")
        elif segment.kind == SegmentKind.TRANSITION:
            # The title already names the coming move: say what it will be like instead.
            parts = ["Starts in a moment", duration_text(upcoming.duration)]
            if upcoming.reps:
                parts.append(f"{upcoming.reps} repetitions")
            if upcoming.side:
                parts.append(f"{upcoming.side} side first")
            self.view.set_next(" · ".join(parts))
        else:
            self.view.set_next(f"Next up: {upcoming.name} · {duration_text(upcoming.duration)}")


def _level_rank(level: str) -> int:
    return PRESSURE_BY_ID[level].rank
