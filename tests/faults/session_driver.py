"""Plays a six-move session through the real recorder, bridge and store, step by step.

The steps are the session's writes in order: its start, one checkpoint per move, its
end.  A test gets a call before and after each step to inject a fault there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from facegym_desktop.core.history import HistoryStore, MoveRecord
from facegym_desktop.core.planner import Plan, plan_seconds
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.session import MoveEnded, SessionSummary
from facegym_desktop.ui.session_recorder import SessionRecorder
from tests.factories import routine_of, timed_move

ZONE = timezone(timedelta(hours=2))
START = datetime(2026, 5, 4, 7, 30, tzinfo=ZONE)
AREAS = ("cheeks", "jawline", "chin", "forehead", "neck", "temples")
STEP_NAMES = ("begin", *(f"checkpoint {n}" for n in range(1, 7)), "finish")
STEPS = len(STEP_NAMES)


def six_moves() -> tuple[Routine, Plan]:
    """A routine of six timed moves, one area each, and its plan."""
    routine = routine_of(
        *(timed_move(f"move-{n}", areas=(area,)) for n, area in enumerate(AREAS, start=1))
    )
    return routine, plan_seconds(routine, 300)


def play(
    recorder: SessionRecorder,
    started_at: datetime = START,
    before: Callable[[int], None] = lambda step: None,
    after: Callable[[int], None] = lambda step: None,
) -> SessionSummary:
    """Record a whole session; ``before(step)`` and ``after(step)`` run around each
    step (0 is the begin, 1..6 the checkpoints, 7 the finish).  Returns its summary."""
    routine, timeline = six_moves()
    before(0)
    recorder.begin(routine, timeline, started_at)
    after(0)
    active = 0.0
    moves = timeline.move_segments
    for done, segment in enumerate(moves, start=1):
        seconds = segment.end - segment.start
        active += seconds
        before(done)
        recorder.move_ended(MoveEnded(segment, seconds, True, done), active)
        after(done)
    summary = SessionSummary("completed", timeline.total_seconds, active, len(moves), len(moves))
    before(STEPS - 1)
    recorder.finish(summary, started_at + timedelta(minutes=5), 0)
    after(STEPS - 1)
    return summary


def assert_whole(store: HistoryStore, started_at: datetime = START) -> None:
    """The session that started at ``started_at`` is in the history, complete: finished,
    six moves in order with their seconds, and the per-area totals to match."""
    routine, timeline = six_moves()
    found = [s for s in store.sessions() if s.started_at == started_at]
    assert len(found) == 1, f"expected one session at {started_at}, found {found}"
    (record,) = found
    assert record.status == "completed" and record.moves_completed == 6, record
    expected = [
        MoveRecord(segment.move_id or "", tuple(segment.areas), round(segment.end - segment.start))
        for segment in timeline.move_segments
    ]
    assert store.moves(record.id) == expected
    assert record.active_seconds == round(sum(s.end - s.start for s in timeline.move_segments))
    assert store.integrity_check() == "ok"
    assert routine.id == record.routine_id


def open_store(folder: Path, **kwargs: object) -> HistoryStore:
    """The history in ``folder`` with a short busy timeout (faults come back fast)."""
    kwargs.setdefault("busy_timeout", 0.05)
    database, backups = folder / "history.sqlite3", folder / "backups"
    return HistoryStore.open(database, backups, **kwargs)  # type: ignore[arg-type]
