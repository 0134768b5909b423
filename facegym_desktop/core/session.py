"""The session engine: a state machine that walks a plan on an injected clock.

Remaining time is always computed from the clock (deadline minus now, with paused
time left out), never by counting ticks, so a late or missed tick cannot make the
session drift.  The engine publishes plain events; the window and the voice
subscribe.  The caller ticks at an interval it declares (``set_tick_interval``); a
much longer silence than that is a stall, never massage: the session pauses where it
last ran and says why.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from facegym_desktop.core.cue_fit import Priority
from facegym_desktop.core.planner import Cue, Plan, Segment, SegmentKind, count_cues
from facegym_desktop.core.session_events import (
    CueDue,
    Event,
    Finished,
    Frame,
    Listener,
    MoveEnded,
    Paused,
    PlanChanged,
    Resumed,
    SegmentStarted,
    SessionOutcome,
    SessionState,
    SessionSummary,
    Stopped,
    finish_title,
    stall_reason,
)

ADJUST_SECONDS = 10
MIN_MOVE_SECONDS = 5
MAX_MOVE_SECONDS = 900
# "Previous" this far into a move restarts it instead of going back a move.
RESTART_WINDOW_SECONDS = 3.0
# A move segment is complete once it has run for this share of its planned length
# (see ``SessionEngine.segment_completed``).
COMPLETED_SHARE = 0.5
# Ticks the caller means to make this often (real seconds) unless it says otherwise.
DEFAULT_TICK_SECONDS = 0.25
# A gap between two readings of the clock longer than this many tick intervals, and
# never shorter than STALL_MIN_SECONDS (real seconds), means the program did not run:
# a suspended machine, a stopped process, a frozen event loop.  The session pauses.
STALL_TICKS = 8
STALL_MIN_SECONDS = 2.0
# A cue published more than this late (real seconds, or two tick intervals if that is
# longer) is left out, unless its kind is in ALWAYS_SPOKEN_KINDS.
LATE_CUE_SECONDS = 0.5
ALWAYS_SPOKEN_KINDS = frozenset({"count", "name"})


# ------------------------------------------------------------------------ engine


class SessionEngine:
    """Walks a plan in real time; every time value comes from the injected clocks.

    ``clock`` is a monotonic clock and ``wall_clock`` the time of day, both in seconds
    of session time (``scaled_clock`` speeds them up); ``time_scale`` says how many
    session seconds pass in a real second, for the rules stated in real time (stalls,
    late cues).  Raises ValueError for a plan without segments or a scale that is not
    positive.  Controls called in a state where they do not apply do nothing.

    Accounting: time is credited only while running, only up to a reading of the clock
    taken by ``tick()`` or a control, and always to the segment the session is in.
    A gap between two readings longer than ``stall_seconds`` (on the monotonic or the
    wall clock: a stopped process, a suspended machine, a frozen event loop) is never
    credited: the session pauses where the last reading left it, with a reason.
    """

    def __init__(
        self,
        plan: Plan,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        *,
        time_scale: float = 1.0,
    ) -> None:
        if not plan.segments:
            raise ValueError("a session needs at least one segment")
        if not time_scale > 0:
            raise ValueError("time_scale must be positive")
        self.plan = plan
        self._clock = clock
        self._wall_clock = wall_clock
        self._time_scale = float(time_scale)
        self._listeners: list[Listener] = []
        self._segments = list(plan.segments)
        self._plan_cues = plan.cues
        self._cues: list[Cue] = []
        self._rebuild_cues()
        self.state = SessionState.READY
        self.pause_reason: str | None = None  # what Paused said, while paused
        self._base = 0.0  # position at the start of the current run (or while paused)
        self._run_anchor = 0.0  # clock reading at the start of the current run
        self._seen = (0.0, 0.0)  # last (monotonic, wall) reading while running
        self._tick_seconds = DEFAULT_TICK_SECONDS
        self._gap_tick_seconds = DEFAULT_TICK_SECONDS  # the longest since the last reading
        self._index = 0
        self._cue_cursor = -1.0  # cues at or before this position were handled
        self._credited_to = 0.0  # position up to which running time was credited
        self._credited = [0.0] * len(self._segments)  # per segment, every visit
        self._visit = 0.0  # credited to the current segment since it was entered

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
            return self._position_at(self._clock())
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
        """Running time credited so far (as of the last tick or control): pauses and
        stalls left out; the sum of ``segment_active_seconds`` over every segment."""
        return math.fsum(self._credited)

    def segment_active_seconds(self, index: int) -> float:
        """Running time credited to segment ``index``, over every time it ran."""
        return self._credited[index]

    @property
    def area_seconds(self) -> dict[str, float]:
        """Seconds per face area: each move segment's credited time, once for each of
        its areas (the areas of rests and transitions get nothing)."""
        totals: dict[str, float] = {}
        for segment, seconds in zip(self._segments, self._credited, strict=True):
            if segment.kind == SegmentKind.MOVE and seconds > 0:
                for area in dict.fromkeys(segment.areas):
                    totals[area] = totals.get(area, 0.0) + seconds
        return totals

    def segment_completed(self, index: int) -> bool:
        """Whether move segment ``index`` is complete: its credited time, summed over
        every time it ran, is at least ``COMPLETED_SHARE`` of its current planned
        length (a microsecond of rounding allowed).  False for other segments."""
        segment = self._segments[index]
        if segment.kind != SegmentKind.MOVE:
            return False
        return self._credited[index] >= COMPLETED_SHARE * segment.duration - 1e-6

    @property
    def moves_total(self) -> int:
        """Steps with a move in the plan (a move done one side at a time counts once)."""
        return len(self._steps())

    @property
    def moves_completed(self) -> int:
        """Steps complete now: every move segment of the step is (``segment_completed``)."""
        return sum(1 for indexes in self._steps().values() if self._step_complete(indexes))

    @property
    def tick_seconds(self) -> float:
        """Real seconds between ticks, as last set by ``set_tick_interval``."""
        return self._tick_seconds

    @property
    def stall_seconds(self) -> float:
        """Session seconds between two clock readings beyond which the session stalled:
        ``STALL_TICKS`` tick intervals (the longest in use since the last reading), at
        least ``STALL_MIN_SECONDS``, both real seconds times ``time_scale``."""
        return max(STALL_MIN_SECONDS, STALL_TICKS * self._gap_tick_seconds) * self._time_scale

    @property
    def late_cue_seconds(self) -> float:
        """Session seconds a cue may be late and still be published: the larger of
        ``LATE_CUE_SECONDS`` and two tick intervals, real seconds times ``time_scale``."""
        return max(LATE_CUE_SECONDS, 2 * self._tick_seconds) * self._time_scale

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

    def set_tick_interval(self, seconds: float) -> None:
        """The caller will now tick every ``seconds`` (real seconds, > 0); the stall
        and late-cue thresholds follow.  The gap up to the next reading is still judged
        by the longer of the old and the new interval.  Raises ValueError for
        ``seconds`` <= 0."""
        if not seconds > 0:
            raise ValueError("a tick interval must be positive")
        self._tick_seconds = float(seconds)
        self._gap_tick_seconds = max(self._gap_tick_seconds, self._tick_seconds)

    def start(self) -> None:
        """READY to RUNNING: publishes SegmentStarted for the first segment and any cue
        due at 0.  Does nothing once started."""
        if self.state is not SessionState.READY:
            return
        self.state = SessionState.RUNNING
        self._begin_run()
        self._emit(SegmentStarted(self.current))
        self.tick()

    def pause(self, reason: str | None = None) -> None:
        """RUNNING to PAUSED: time stops; publishes Paused(reason).  ``reason`` is the
        text to show (None: a plain pause).  Does nothing unless running (a stall
        found on the way pauses with its own reason)."""
        if self.state is not SessionState.RUNNING:
            return
        self._sync()
        if self.state is SessionState.RUNNING:
            self._halt(reason, None)

    def resume(self) -> None:
        """PAUSED to RUNNING from where it paused; publishes Resumed.  Cues already
        published are not repeated.  Does nothing unless paused."""
        if self.state is not SessionState.PAUSED:
            return
        self.state = SessionState.RUNNING
        self.pause_reason = None
        self._begin_run()
        self._emit(Resumed())

    def toggle_pause(self) -> None:
        """``pause()`` when running, ``resume()`` when paused, otherwise nothing."""
        if self.state is SessionState.RUNNING:
            self.pause()
        elif self.state is SessionState.PAUSED:
            self.resume()

    def stop(self) -> SessionSummary | None:
        """End the session early: publishes MoveEnded for the current move (if it ran),
        then Stopped, and returns the summary.  None when it was not in progress (or the
        clock had already reached the end, which finishes it instead)."""
        if not self.in_progress:
            return None
        self._sync()
        if not self.in_progress:
            return None  # the clock had already reached the end
        self._base = self._credited_to
        self._leave_segment()
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
        self._sync()
        target = self.next_move()
        self._jump(self.total_seconds if target is None else target.start)

    def previous(self) -> None:
        """Back to the start of this move, or to the previous move when less than
        ``RESTART_WINDOW_SECONDS`` into this one (or outside a move).  Does nothing
        unless in progress."""
        if not self.in_progress:
            return
        self._sync()
        if not self.in_progress:
            return
        position = self._credited_to
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
        self._sync()
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
        if not self.in_progress:
            return False
        self._sync()
        if not self.in_progress or self.current.kind != SegmentKind.MOVE:
            return False
        segment = self.current
        position = self._credited_to
        if segment.reps is not None and segment.seconds_per_rep:
            per_rep = segment.seconds_per_rep
            delta_reps = max(1, round(abs(seconds) / per_rep)) * (1 if seconds > 0 else -1)
            reps_done = segment.rep_at(position) or 0
            new_reps = max(max(1, reps_done), min(100, segment.reps + delta_reps))
            if new_reps == segment.reps:
                return False
            new_duration = segment.duration + (new_reps - segment.reps) * per_rep
            changed = segment._replace(reps=new_reps)
        else:
            elapsed = position - segment.start
            floor = max(MIN_MOVE_SECONDS, elapsed + 1.0)
            new_duration = min(MAX_MOVE_SECONDS, max(floor, segment.duration + seconds))
            if abs(new_duration - segment.duration) < 1e-9:
                return False
            changed = segment
        self._segments[self._index] = changed._replace(end=segment.start + new_duration)
        self._relay()
        self._emit(PlanChanged(self.total_seconds))
        return True

    # ------------------------------------------------------------------ ticking

    def tick(self) -> None:
        """Publish whatever became due since the last reading of the clock
        (SegmentStarted, CueDue, MoveEnded, Finished).  After a stall (a gap longer
        than ``stall_seconds``) it pauses instead, where the last reading left the
        session.  Does nothing unless running."""
        if self.state is SessionState.RUNNING:
            self._sync()

    # ------------------------------------------------------------------ internals

    def _position_at(self, now: float) -> float:
        return min(self.total_seconds, self._base + max(0.0, now - self._run_anchor))

    def _begin_run(self) -> None:
        """Start a run from ``_base`` at the clock's current reading."""
        now, wall = self._clock(), self._wall_clock()
        self._run_anchor = now
        self._seen = (now, wall)
        self._gap_tick_seconds = self._tick_seconds

    def _sync(self) -> bool:
        """Read the clock and bring the session up to it.  Returns False when the gap
        since the last reading was a stall: the session then pauses where that reading
        left it, crediting nothing for the gap.  True when not running."""
        if self.state is not SessionState.RUNNING:
            return True
        now, wall = self._clock(), self._wall_clock()
        gap = max(now - self._seen[0], wall - self._seen[1])
        if gap > self.stall_seconds:
            real_gap = gap / self._time_scale
            self._halt(stall_reason(real_gap), real_gap)
            return False
        self._seen = (now, wall)
        self._gap_tick_seconds = self._tick_seconds
        self._advance(self._position_at(now))
        return True

    def _halt(self, reason: str | None, stalled: float | None) -> None:
        """RUNNING to PAUSED where the last credited reading left the session."""
        self._base = self._credited_to
        self.state = SessionState.PAUSED
        self.pause_reason = reason
        self._emit(Paused(reason, stalled))

    def _credit(self, up_to: float) -> None:
        """Credit running time from ``_credited_to`` to ``up_to`` to the current segment."""
        seconds = up_to - self._credited_to
        if seconds > 0:
            self._credited[self._index] += seconds
            self._visit += seconds
        self._credited_to = max(self._credited_to, up_to)

    def _advance(self, position: float) -> None:
        """Run the session up to ``position`` (read from the clock), publishing
        everything on the way; each stretch of time goes to the segment it fell in."""
        while self._index < len(self._segments) - 1 and position >= self.current.end:
            self._credit(self.current.end)
            self._leave_segment()
            self._index += 1
            self._enter_segment()
        self._credit(position)
        self._publish_cues(position)
        if position >= self.total_seconds - 1e-9:
            self._finish()

    def _finish(self) -> None:
        self._credit(self.total_seconds)
        self._base = self.total_seconds
        self._publish_cues(self.total_seconds)
        self._leave_segment()
        self.state = SessionState.FINISHED
        self.pause_reason = None
        self._emit(Finished(self._summary()))

    def _jump(self, target: float) -> None:
        """Go to ``target`` (after a ``_sync``): cues before it are dropped, cues from
        it on are pending.  Keeps the session running or paused as it was."""
        if not self.in_progress:
            return
        target = max(0.0, min(self.total_seconds, target))
        self._leave_segment()
        self._base = target
        self._credited_to = target
        self._cue_cursor = target - 1e-6
        if self.state is SessionState.RUNNING:
            self._run_anchor = self._seen[0]
        if target >= self.total_seconds:
            self._index = len(self._segments) - 1
            self._finish()
            return
        self._index = next(
            (i for i, s in enumerate(self._segments) if s.start <= target < s.end),
            len(self._segments) - 1,
        )
        self._enter_segment()
        if self.state is SessionState.RUNNING:
            self._publish_cues(target)

    def _enter_segment(self) -> None:
        self._visit = 0.0
        self._emit(SegmentStarted(self.current))

    def _leave_segment(self) -> None:
        """Close the current stretch in the current segment: MoveEnded when a move ran."""
        segment = self.current
        visit, self._visit = self._visit, 0.0
        if segment.kind != SegmentKind.MOVE or visit <= 0:
            return
        self._emit(
            MoveEnded(
                segment,
                round(visit, 6),
                self.segment_completed(self._index),
                self.moves_completed,
                round(self.active_seconds, 6),
            )
        )

    def _steps(self) -> dict[int, list[int]]:
        """Move segment indexes by step, in order."""
        steps: dict[int, list[int]] = {}
        for i, segment in enumerate(self._segments):
            if segment.kind == SegmentKind.MOVE and segment.step is not None:
                steps.setdefault(segment.step, []).append(i)
        return steps

    def _step_complete(self, indexes: list[int]) -> bool:
        return all(self.segment_completed(i) for i in indexes)

    def _summary(self) -> SessionSummary:
        position = self._credited_to
        steps = self._steps()
        completed = sum(1 for indexes in steps.values() if self._step_complete(indexes))
        if self.state is SessionState.FINISHED:
            skipped = len(steps) - completed
            outcome = SessionOutcome.COMPLETED if skipped == 0 else SessionOutcome.FINISHED
        else:
            skipped = sum(
                1
                for indexes in steps.values()
                if not self._step_complete(indexes)
                and self._segments[indexes[-1]].end <= position + 1e-9
            )
            outcome = SessionOutcome.STOPPED
        return SessionSummary(
            status="completed" if outcome is SessionOutcome.COMPLETED else "partial",
            planned_seconds=self.plan.total_seconds,
            active_seconds=round(self.active_seconds, 3),
            moves_completed=completed,
            moves_total=len(steps),
            moves_skipped=skipped,
            outcome=outcome,
        )

    def _emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _publish_cues(self, position: float) -> None:
        tolerance = self.late_cue_seconds
        for cue in self._cues:
            if self._cue_cursor < cue.at <= position:
                late = position - cue.at
                if late > tolerance and cue.kind not in ALWAYS_SPOKEN_KINDS:
                    continue  # too late to start: it would be cut off or out of place
                self._emit(CueDue(cue, round(late, 3)))
        self._cue_cursor = max(self._cue_cursor, position)

    def _relay(self) -> None:
        """Lay the segments end to end again after a length changed."""
        start = 0.0
        for i, segment in enumerate(self._segments):
            duration = segment.duration
            shift = start - segment.start
            reps_start = None if segment.reps_start is None else segment.reps_start + shift
            self._segments[i] = segment._replace(
                start=start, end=start + duration, reps_start=reps_start
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
            cues.append(cue._replace(at=round(at, 3)))
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


__all__ = [
    "CueDue",
    "Event",
    "Finished",
    "Frame",
    "Listener",
    "MoveEnded",
    "Paused",
    "PlanChanged",
    "Resumed",
    "SegmentStarted",
    "SessionEngine",
    "SessionOutcome",
    "SessionState",
    "SessionSummary",
    "Stopped",
    "finish_title",
    "scaled_clock",
    "stall_reason",
]
