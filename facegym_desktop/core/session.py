"""The session engine: a state machine that walks a plan on an injected clock.

Remaining time is always computed from the clock (deadline minus now, with paused
time left out), never by counting ticks, so a late or missed tick cannot make the
session drift.  The engine publishes plain events; the window and the voice
subscribe.  ``tick()`` may be called as often or as rarely as the caller likes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum

from facegym_desktop.core.cue_fit import Priority
from facegym_desktop.core.planner import Cue, Plan, Segment, SegmentKind, count_cues

ADJUST_SECONDS = 10
MIN_MOVE_SECONDS = 5
MAX_MOVE_SECONDS = 900
# A clock gap bigger than this between two ticks means the machine slept.
SLEEP_TOLERANCE_SECONDS = 5.0
# "Previous" this far into a move restarts it instead of going back a move.
RESTART_WINDOW_SECONDS = 3.0
# A move counts as done when at least this share of it was followed.
COMPLETED_SHARE = 0.5


class SessionState(Enum):
    """Where a session is.

    READY until ``start()``; RUNNING and PAUSED while it is in progress (see
    ``SessionEngine.in_progress``); FINISHED (the clock reached the end, or the last
    move was skipped) and STOPPED (ended early by ``stop()``) are final.
    """

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


# ------------------------------------------------------------------------ events
# Published to every subscriber, in the order they happen, from inside the control or
# ``tick()`` call that caused them.


@dataclass(frozen=True)
class SegmentStarted:
    """A segment became the current one: at the start, on the clock or after a jump."""

    segment: Segment


@dataclass(frozen=True)
class CueDue:
    """A cue's time was reached; ``late`` is how many seconds (of session time) past
    its time it was published, 0 or more."""

    cue: Cue
    late: float


@dataclass(frozen=True)
class MoveEnded:
    """A move segment was left (ended on time, skipped or stopped).

    ``active_seconds`` is the running time spent in it; ``completed`` is True when that
    was at least ``COMPLETED_SHARE`` of its length; ``moves_completed`` counts the
    steps done so far (a one-side-at-a-time move counts once both sides are done).
    """

    segment: Segment
    active_seconds: float
    completed: bool
    moves_completed: int


@dataclass(frozen=True)
class Paused:
    """The session paused; ``reason`` is the text to show, None for a plain pause."""

    reason: str | None = None


@dataclass(frozen=True)
class Resumed:
    """The session runs again after a pause."""


@dataclass(frozen=True)
class PlanChanged:
    """A move was lengthened or shortened; ``total_seconds`` is the new session length."""

    total_seconds: float


@dataclass(frozen=True)
class SessionSummary:
    """What a session came to, for the history and the finish screen.

    ``status`` is "completed" (finished with every move done) or "partial"; seconds
    are session time, ``active_seconds`` without pauses.
    """

    status: str
    planned_seconds: float
    active_seconds: float
    moves_completed: int
    moves_total: int


@dataclass(frozen=True)
class Finished:
    """The session reached its end (final); published once."""

    summary: SessionSummary


@dataclass(frozen=True)
class Stopped:
    """The session was ended early by ``stop()`` (final); published once."""

    summary: SessionSummary


Event = SegmentStarted | CueDue | MoveEnded | Paused | Resumed | PlanChanged | Finished | Stopped
Listener = Callable[[Event], None]


@dataclass(frozen=True)
class Frame:
    """Everything a display needs at one instant, computed from one clock reading.

    Seconds are session time.  ``rep``/``reps_total`` and ``tempo_phase`` (0..1 through
    the current repetition) are None outside counted repetitions.
    """

    position: float
    segment_index: int
    remaining_seconds: float  # in the current segment
    remaining_fraction: float  # of the current segment, 1 at its start
    segment_elapsed: float
    session_progress: float  # 0..1 of the whole session
    session_remaining: float
    rep: int | None
    reps_total: int | None
    tempo_phase: float | None


# ------------------------------------------------------------------------ engine


class SessionEngine:
    """Walks a plan in real time; every time value comes from the injected clocks.

    ``clock`` is a monotonic clock and ``wall_clock`` the time of day, both in seconds;
    a gap between them of more than ``SLEEP_TOLERANCE_SECONDS`` between two ticks
    means the machine slept, and the session pauses.  Raises ValueError for a plan
    without segments.  Controls called in a state where they do not apply do nothing.
    """

    def __init__(
        self,
        plan: Plan,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if not plan.segments:
            raise ValueError("a session needs at least one segment")
        self.plan = plan
        self._clock = clock
        self._wall_clock = wall_clock
        self._listeners: list[Listener] = []
        self._segments = list(plan.segments)
        self._plan_cues = plan.cues
        self._cues: list[Cue] = []
        self._rebuild_cues()
        self.state = SessionState.READY
        self.pause_reason: str | None = None  # what Paused said, while paused
        self._base = 0.0  # position when the current run started (or when paused)
        self._run_anchor = 0.0  # clock reading at the start of the current run
        self._last_tick: tuple[float, float] | None = None  # (monotonic, wall)
        self._active_before_run = 0.0
        self._index = 0
        self._cue_cursor = -1.0  # cues at or before this position were handled
        self._last_position = 0.0
        self._segment_active = [0.0] * len(self._segments)
        self._completed_steps: set[int] = set()
        self._done_segments: set[int] = set()

    # ------------------------------------------------------------------ queries

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(event)`` for every event from now on (see ``Event``)."""
        self._listeners.append(listener)

    @property
    def in_progress(self) -> bool:
        """True from ``start()`` until the session finishes or stops, paused or not."""
        return self.state in (SessionState.RUNNING, SessionState.PAUSED)

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The live timeline, with every adjustment applied."""
        return tuple(self._segments)

    @property
    def cues(self) -> tuple[Cue, ...]:
        """The live cues, timed on the live timeline, in the order they fall due."""
        return tuple(self._cues)

    @property
    def total_seconds(self) -> float:
        """Length of the live timeline in seconds."""
        return self._segments[-1].end

    @property
    def position(self) -> float:
        """Seconds into the live timeline, from the clock."""
        if self.state is SessionState.RUNNING:
            return min(self.total_seconds, self._base + self._clock() - self._run_anchor)
        return self._base

    @property
    def current(self) -> Segment:
        """The segment the session is in (as of the last tick or control)."""
        return self._segments[self._index]

    @property
    def index(self) -> int:
        """Index of ``current`` in ``segments``."""
        return self._index

    @property
    def remaining_in_segment(self) -> float:
        """Seconds left in the current segment, from the clock."""
        return max(0.0, self.current.end - self.position)

    @property
    def segment_fraction_remaining(self) -> float:
        """Share of the current segment still to go: 1 at its start, 0 at its end."""
        segment = self.current
        return 0.0 if segment.duration <= 0 else self.remaining_in_segment / segment.duration

    @property
    def active_seconds(self) -> float:
        """Time actually spent running, pauses left out."""
        if self.state is SessionState.RUNNING:
            return self._active_before_run + self._clock() - self._run_anchor
        return self._active_before_run

    @property
    def moves_total(self) -> int:
        """Steps with a move in the plan (a move done one side at a time counts once)."""
        return len({s.step for s in self._segments if s.kind == SegmentKind.MOVE})

    @property
    def moves_completed(self) -> int:
        """Steps done so far: every side of the move followed for ``COMPLETED_SHARE``."""
        return len(self._completed_steps)

    def frame(self) -> Frame:
        """What to display now, all from one clock reading."""
        position = self.position
        segment = self.current
        remaining = max(0.0, segment.end - position)
        phase = None
        rep = segment.rep_at(position)
        if rep is not None and segment.seconds_per_rep and segment.reps_start is not None:
            phase = (
                (position - segment.reps_start) % segment.seconds_per_rep
            ) / segment.seconds_per_rep
        total = self.total_seconds
        return Frame(
            position=position,
            segment_index=self._index,
            remaining_seconds=remaining,
            remaining_fraction=remaining / segment.duration if segment.duration > 0 else 0.0,
            segment_elapsed=max(0.0, position - segment.start),
            session_progress=min(1.0, position / total) if total > 0 else 1.0,
            session_remaining=max(0.0, total - position),
            rep=rep,
            reps_total=segment.reps,
            tempo_phase=phase,
        )

    def next_move(self) -> Segment | None:
        """The next move segment after the current one ("next up"); None after the last."""
        for segment in self._segments[self._index + 1 :]:
            if segment.kind == SegmentKind.MOVE:
                return segment
        return None

    # ------------------------------------------------------------------ controls

    def start(self) -> None:
        """READY to RUNNING: publishes SegmentStarted for the first segment and any cue
        due at 0.  Does nothing once started."""
        if self.state is not SessionState.READY:
            return
        self.state = SessionState.RUNNING
        self._run_anchor = self._clock()
        self._last_tick = (self._run_anchor, self._wall_clock())
        self._emit(SegmentStarted(self.current))
        self.tick()

    def pause(self, reason: str | None = None) -> None:
        """RUNNING to PAUSED: time stops; publishes Paused(reason).  ``reason`` is the
        text to show (None: a plain pause).  Does nothing unless running."""
        if self.state is not SessionState.RUNNING:
            return
        self._settle_run()
        self.state = SessionState.PAUSED
        self.pause_reason = reason
        self._emit(Paused(reason))

    def resume(self) -> None:
        """PAUSED to RUNNING from where it paused; publishes Resumed.  Cues already
        published are not repeated.  Does nothing unless paused."""
        if self.state is not SessionState.PAUSED:
            return
        self.state = SessionState.RUNNING
        self.pause_reason = None
        self._run_anchor = self._clock()
        self._last_tick = (self._run_anchor, self._wall_clock())
        self._emit(Resumed())

    def toggle_pause(self) -> None:
        """``pause()`` when running, ``resume()`` when paused, otherwise nothing."""
        if self.state is SessionState.RUNNING:
            self.pause()
        elif self.state is SessionState.PAUSED:
            self.resume()

    def stop(self) -> SessionSummary | None:
        """End the session early: publishes MoveEnded for the current move, then
        Stopped, and returns the summary.  None when it was not in progress (or the
        clock had already reached the end, which finishes it instead)."""
        if not self.in_progress:
            return None
        self._advance()
        if not self.in_progress:
            return None  # the clock had already reached the end
        self._settle_run()
        self._leave_segment(self._index)
        self.state = SessionState.STOPPED
        summary = self._summary()
        self._emit(Stopped(summary))
        return summary

    def next(self) -> None:
        """Jump to the start of the next move; past the last move, finish.

        Cues between here and there are dropped.  Works while paused (it stays paused);
        does nothing unless in progress.
        """
        if not self.in_progress:
            return
        target = self.next_move()
        self._jump(self.total_seconds if target is None else target.start)

    def previous(self) -> None:
        """Back to the start of this move, or to the previous move when less than
        ``RESTART_WINDOW_SECONDS`` into this one (or outside a move).  Does nothing
        unless in progress."""
        if not self.in_progress:
            return
        position = self.position
        current = self.current
        if current.kind == SegmentKind.MOVE and position - current.start > RESTART_WINDOW_SECONDS:
            self._jump(current.start)
            return
        earlier = [s for s in self._segments[: self._index] if s.kind == SegmentKind.MOVE]
        self._jump(earlier[-1].start if earlier else 0.0)

    def restart_move(self) -> None:
        """Back to the start of the current move (between moves: forward to the start
        of the next one), so its opening cues play again.  Does nothing unless in
        progress."""
        if not self.in_progress:
            return
        current = self.current
        if current.kind != SegmentKind.MOVE:
            upcoming = self.next_move()
            if upcoming is None:
                return
            current = upcoming
        self._jump(current.start)

    def adjust(self, seconds: int = ADJUST_SECONDS) -> bool:
        """Lengthen (``seconds`` > 0) or shorten the current move; the rest shifts.

        A counted move changes by whole repetitions (at least one) nearest to
        ``seconds``, between the repetitions already done and 100; a timed move stays
        between ``MIN_MOVE_SECONDS`` (and a second past now) and ``MAX_MOVE_SECONDS``.
        Publishes PlanChanged and returns True when the length changed; False when
        it could not (not in progress, not in a move, or at a limit).
        """
        if not self.in_progress or self.current.kind != SegmentKind.MOVE:
            return False
        self._advance()
        segment = self.current
        position = self.position
        if segment.reps is not None and segment.seconds_per_rep:
            per_rep = segment.seconds_per_rep
            delta_reps = max(1, round(abs(seconds) / per_rep)) * (1 if seconds > 0 else -1)
            reps_done = segment.rep_at(position) or 0
            new_reps = max(max(1, reps_done), min(100, segment.reps + delta_reps))
            if new_reps == segment.reps:
                return False
            new_duration = segment.duration + (new_reps - segment.reps) * per_rep
            changed = replace(segment, reps=new_reps)
        else:
            elapsed = position - segment.start
            floor = max(MIN_MOVE_SECONDS, elapsed + 1.0)
            new_duration = min(MAX_MOVE_SECONDS, max(floor, segment.duration + seconds))
            if abs(new_duration - segment.duration) < 1e-9:
                return False
            changed = segment
        self._segments[self._index] = replace(changed, end=segment.start + new_duration)
        self._relay()
        self._emit(PlanChanged(self.total_seconds))
        return True

    # ------------------------------------------------------------------ ticking

    def tick(self) -> None:
        """Publish whatever became due since the last tick (SegmentStarted, CueDue,
        MoveEnded, Finished), however long ago that was.  A sleeping machine (wall and
        monotonic clocks apart) pauses instead.  Does nothing unless running."""
        if self.state is not SessionState.RUNNING:
            return
        now, wall = self._clock(), self._wall_clock()
        if self._last_tick is not None:
            mono_gap = now - self._last_tick[0]
            wall_gap = wall - self._last_tick[1]
            if abs(wall_gap - mono_gap) > SLEEP_TOLERANCE_SECONDS:
                self._last_tick = (now, wall)
                self.pause("Paused: the computer was asleep. Press Space to go on.")
                return
        self._last_tick = (now, wall)
        self._advance()

    # ------------------------------------------------------------------ internals

    def _summary(self) -> SessionSummary:
        finished = self.state is SessionState.FINISHED
        all_done = self.moves_completed == self.moves_total
        status = "completed" if finished and all_done else "partial"
        return SessionSummary(
            status=status,
            planned_seconds=self.plan.total_seconds,
            active_seconds=round(self.active_seconds, 3),
            moves_completed=self.moves_completed,
            moves_total=self.moves_total,
        )

    def _emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _settle_run(self) -> None:
        """Fold the running time into the base position (before pausing or stopping)."""
        if self.state is SessionState.RUNNING:
            now = self._clock()
            self._base = min(self.total_seconds, self._base + now - self._run_anchor)
            self._active_before_run += now - self._run_anchor
            self._run_anchor = now

    def _advance(self) -> None:
        """Move the index to the clock's position, publishing everything on the way."""
        position = self.position
        self._credit_active(self._last_position, position)
        self._last_position = position
        while self._index < len(self._segments) - 1 and position >= self.current.end:
            self._leave_segment(self._index)
            self._index += 1
            self._enter_segment()
        self._publish_cues(position)
        if position >= self.total_seconds - 1e-9 and self.state is SessionState.RUNNING:
            self._finish()

    def _finish(self) -> None:
        self._settle_run()
        self._base = self.total_seconds
        self._publish_cues(self.total_seconds)
        self._leave_segment(self._index)
        self.state = SessionState.FINISHED
        self._emit(Finished(self._summary()))

    def _jump(self, target: float) -> None:
        """Go to ``target``: cues before it are dropped, cues from it on are pending."""
        self._advance()
        if not self.in_progress:
            return
        target = max(0.0, min(self.total_seconds, target))
        self._leave_segment(self._index)
        if self.state is SessionState.RUNNING:
            self._settle_run()
        self._base = target
        self._last_position = target
        self._cue_cursor = target - 1e-6
        self._index = next(
            (i for i, s in enumerate(self._segments) if s.start <= target < s.end),
            len(self._segments) - 1,
        )
        self._done_segments.discard(self._index)
        self._enter_segment()
        if target >= self.total_seconds:
            if self.state is SessionState.PAUSED:
                self.state = SessionState.RUNNING
                self._run_anchor = self._clock()
            self._finish()
            return
        if self.state is SessionState.RUNNING:
            self._publish_cues(target)

    def _enter_segment(self) -> None:
        self._emit(SegmentStarted(self.current))

    def _leave_segment(self, index: int) -> None:
        segment = self._segments[index]
        if segment.kind != SegmentKind.MOVE or index in self._done_segments:
            return
        self._done_segments.add(index)
        active = self._segment_active[index]
        completed = active >= COMPLETED_SHARE * segment.duration - 1e-6
        if completed and segment.step is not None:
            sides = [
                i
                for i, s in enumerate(self._segments)
                if s.kind == SegmentKind.MOVE and s.step == segment.step
            ]
            if all(i in self._done_segments and self._was_completed(i) for i in sides):
                self._completed_steps.add(segment.step)
        self._emit(MoveEnded(segment, round(active, 3), completed, self.moves_completed))

    def _was_completed(self, index: int) -> bool:
        segment = self._segments[index]
        return self._segment_active[index] >= COMPLETED_SHARE * segment.duration - 1e-6

    def _credit_active(self, start: float, end: float) -> None:
        if end <= start:
            return
        for i, segment in enumerate(self._segments):
            overlap = min(end, segment.end) - max(start, segment.start)
            if overlap > 0:
                self._segment_active[i] += overlap

    def _publish_cues(self, position: float) -> None:
        for cue in self._cues:
            if self._cue_cursor < cue.at <= position:
                self._emit(CueDue(cue, round(position - cue.at, 3)))
        self._cue_cursor = max(self._cue_cursor, position)

    def _relay(self) -> None:
        """Lay the segments end to end again after a length changed."""
        start = 0.0
        for i, segment in enumerate(self._segments):
            duration = segment.duration
            shift = start - segment.start
            reps_start = None if segment.reps_start is None else segment.reps_start + shift
            self._segments[i] = replace(
                segment, start=start, end=start + duration, reps_start=reps_start
            )
            start += duration
        self._rebuild_cues()

    def _rebuild_cues(self) -> None:
        """Re-time the plan's cues on the live segments.

        Countdowns stay tied to a segment's end and the halfway mark to its middle;
        counts are laid out again for the current number of reps; cues that no longer
        fit inside a shortened segment are left out.
        """
        original = {s.index: s for s in self.plan.segments}
        cues: list[Cue] = []
        for cue in self._plan_cues:
            live = self._segments[cue.segment]
            before = original[cue.segment]
            if cue.kind == "count":
                continue
            if cue.kind == "countdown":
                at = live.end - (before.end - cue.at)
            elif cue.kind == "halfway":
                at = live.start + live.duration / 2
            elif cue.kind == "close":
                at = live.end
            else:
                at = live.start + (cue.at - before.start)
                if at > live.end - 0.5:
                    continue
            cues.append(replace(cue, at=round(at, 3)))
        for segment in self._segments:
            cues.extend(count_cues(segment))
        self._cues = sorted(cues, key=lambda c: (c.at, c.priority != Priority.HIGH))


def scaled_clock(clock: Callable[[], float], factor: float) -> Callable[[], float]:
    """A clock running ``factor`` times faster (demos and tests) from now on; a factor
    of 1 returns ``clock`` itself."""
    if factor == 1:
        return clock
    origin = clock()

    def faster() -> float:
        return origin + (clock() - origin) * factor

    return faster
