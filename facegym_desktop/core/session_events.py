"""What the session engine publishes and reports: its states, events, summary and frame.

Plain frozen records: the window, the voice and the history read them; only
``core/session.py`` makes them.  ``finish_title`` and ``stall_reason`` word the
finish screen's title and the pause after a stall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum

from facegym_desktop.core.planner import Cue, Segment
from facegym_desktop.core.timefmt import rough_duration_text


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
    its time it was published, 0 or more.  A cue that could only be published more
    than ``SessionEngine.late_cue_seconds`` late is left out (see
    ``ALWAYS_SPOKEN_KINDS`` for the kinds that never are)."""

    cue: Cue
    late: float


@dataclass(frozen=True)
class MoveEnded:
    """A move segment that ran was left: on time, by a jump, or at the end or a stop.

    Published once per stretch of running in the segment (a move run, skipped back
    into and run again ends twice), and only when that stretch credited time.
    ``active_seconds`` is the running time of this stretch alone, so the sum over
    every MoveEnded of a segment is all the time spent in it.  ``completed`` says
    whether the segment is complete now (``SessionEngine.segment_completed``);
    ``moves_completed`` counts the steps complete now (a one-side-at-a-time move
    counts once both sides are); ``session_active_seconds`` is the session's active
    time at that moment (``SessionEngine.active_seconds``).
    """

    segment: Segment
    active_seconds: float
    completed: bool
    moves_completed: int
    session_active_seconds: float = 0.0


@dataclass(frozen=True)
class Paused:
    """The session paused; ``reason`` is the text to show, None for a plain pause.

    ``stalled_seconds`` is set when the pause was not asked for: the program did not
    run for that long (real seconds) and the session stopped where it last ran.
    """

    reason: str | None = None
    stalled_seconds: float | None = None


@dataclass(frozen=True)
class Resumed:
    """The session runs again after a pause."""


@dataclass(frozen=True)
class PlanChanged:
    """A move was lengthened or shortened; ``total_seconds`` is the new session length."""

    total_seconds: float


class SessionOutcome(StrEnum):
    """How a session ended: COMPLETED (it reached its end with every move complete),
    FINISHED (it reached its end with moves skipped) or STOPPED (ended early)."""

    COMPLETED = "completed"
    FINISHED = "finished"
    STOPPED = "stopped"


@dataclass(frozen=True)
class SessionSummary:
    """What a session came to, for the history and the finish screen.

    ``status`` is what the history stores: "completed" (``outcome`` COMPLETED) or
    "partial".  Seconds are session time; ``active_seconds`` is the running time,
    pauses and stalls left out, and equals the sum of what the session credited to
    its segments.  ``moves_skipped`` counts the steps the session went past without
    completing them: every incomplete step when it reached its end, and when stopped,
    the incomplete steps wholly before the point where it stopped.
    """

    status: str
    planned_seconds: float
    active_seconds: float
    moves_completed: int
    moves_total: int
    moves_skipped: int = 0
    outcome: SessionOutcome = SessionOutcome.STOPPED


def finish_title(summary: SessionSummary) -> str:
    """The finish screen's title: "Well done", "Finished, 2 moves skipped" or
    "Session stopped"."""
    if summary.outcome is SessionOutcome.COMPLETED:
        return "Well done"
    if summary.outcome is SessionOutcome.FINISHED:
        count = summary.moves_skipped
        return f"Finished, {count} move{'' if count == 1 else 's'} skipped"
    return "Session stopped"


def stall_reason(real_seconds: float) -> str:
    """What the banner says after a stall of ``real_seconds`` paused the session."""
    return (
        f"Paused: the app was not running for {rough_duration_text(real_seconds)}. "
        "Press Space to go on."
    )


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
