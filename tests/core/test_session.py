"""The session engine on a fake clock: no test sleeps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.core.planner import plan
from facegym_desktop.core.session import (
    CueDue,
    Finished,
    MoveEnded,
    Paused,
    PlanChanged,
    Resumed,
    SegmentStarted,
    SessionEngine,
    SessionState,
    Stopped,
)
from tests.factories import FakeClock, counted_move, routine_of, timed_move


def make_engine(*moves, minutes=2, **routine_options):
    routine = routine_of(*moves, minutes=(1, minutes, 10), **routine_options)
    clock = FakeClock()
    engine = SessionEngine(plan(routine, minutes), clock=clock, wall_clock=clock.wall_clock)
    events = []
    engine.subscribe(events.append)
    return engine, clock, events


def run_ticks(engine, clock, seconds, step=0.25):
    elapsed = 0.0
    while elapsed < seconds - 1e-9:
        clock.advance(step)
        elapsed += step
        engine.tick()


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def test_full_flow_finishes_on_time_with_every_cue():
    engine, clock, events = make_engine(timed_move("a"), timed_move("b"))
    engine.start()
    run_ticks(engine, clock, engine.total_seconds + 1)
    assert engine.state is SessionState.FINISHED
    finished = of(events, Finished)
    assert len(finished) == 1 and finished[0].summary.status == "completed"
    assert finished[0].summary.moves_completed == 2
    assert finished[0].summary.active_seconds == pytest.approx(engine.total_seconds, abs=0.3)
    spoken = [e.cue for e in of(events, CueDue)]
    assert [c.text for c in spoken] == [c.text for c in engine.plan.cues]
    assert all(e.late <= 0.25 + 1e-6 for e in of(events, CueDue))
    kinds = [e.segment.kind for e in of(events, SegmentStarted)]
    assert kinds == [s.kind for s in engine.plan.segments]


def test_remaining_time_comes_from_the_clock_not_ticks():
    engine, clock, _ = make_engine(timed_move("a"))
    engine.start()
    for gap in (1.9, 0.01, 1.7, 0.33, 1.99, 1.2, 1.9, 1.9, 1.9, 1.9, 1.9, 1.9, 1.47):  # 20 s
        clock.advance(gap)
        engine.tick()
    assert engine.position == pytest.approx(20)
    first_move = engine.plan.move_segments[0]
    assert engine.current.index == first_move.index
    assert engine.remaining_in_segment == pytest.approx(first_move.end - 20)


def test_pause_freezes_time_and_resume_does_not_replay_cues():
    engine, clock, events = make_engine(timed_move("a"))
    engine.start()
    run_ticks(engine, clock, 18)
    engine.pause()
    before = len(of(events, CueDue))
    position = engine.position
    clock.advance(300)
    engine.tick()
    assert engine.position == position
    assert engine.state is SessionState.PAUSED
    engine.resume()
    engine.tick()
    assert len(of(events, CueDue)) == before
    assert of(events, Paused) and of(events, Resumed)
    assert engine.active_seconds == pytest.approx(18)


def test_next_skips_stale_cues_and_previous_restarts():
    engine, clock, events = make_engine(timed_move("a"), timed_move("b"))
    engine.start()
    run_ticks(engine, clock, 20)
    first, second = engine.plan.move_segments
    engine.next()
    assert engine.current.index == second.index
    assert engine.position == pytest.approx(second.start)
    texts = [e.cue.text for e in of(events, CueDue)]
    assert "A." in texts and "B." in texts
    assert "Halfway." not in texts[: texts.index("B.")]  # a's later cues were dropped
    run_ticks(engine, clock, 5)
    engine.previous()  # more than 3 s into b: restart b
    assert engine.position == pytest.approx(second.start)
    engine.previous()  # at b's start: back to a
    assert engine.current.index == first.index


def test_restart_move_replays_its_opening_cue():
    engine, clock, events = make_engine(timed_move("a"))
    engine.start()
    run_ticks(engine, clock, 30)
    engine.restart_move()
    engine.tick()
    names = [e.cue.text for e in of(events, CueDue) if e.cue.kind == "name"]
    assert names == ["A.", "A."]


def test_adjust_shifts_the_rest_of_the_plan():
    engine, clock, events = make_engine(timed_move("a"), timed_move("b"))
    engine.start()
    run_ticks(engine, clock, 20)
    total = engine.total_seconds
    later = engine.segments[engine.index + 1].start
    assert engine.adjust(10)
    assert engine.total_seconds == total + 10
    assert engine.segments[engine.index + 1].start == later + 10
    assert of(events, PlanChanged)[-1].total_seconds == total + 10
    countdown = [c for c in engine.cues if c.segment == engine.index and c.kind == "countdown"]
    assert countdown[0].at == engine.current.end - 3
    assert engine.adjust(-10) and engine.adjust(-10)
    assert engine.total_seconds == total - 10


def test_adjust_never_cuts_behind_now():
    engine, clock, _ = make_engine(timed_move("a", 20, 5, 60))
    engine.start()
    run_ticks(engine, clock, 15 + 12)  # 12 s into a 20 s move
    for _ in range(5):
        engine.adjust(-10)
    assert engine.current.end - engine.position >= 1 - 1e-9


def test_adjust_on_counted_move_changes_whole_reps():
    engine, clock, events = make_engine(counted_move("lift", 6, 2, 12, 5.0), minutes=1)
    engine.start()
    run_ticks(engine, clock, 16)
    segment = engine.current
    engine.adjust(10)
    assert engine.current.reps == segment.reps + 2
    run_ticks(engine, clock, engine.total_seconds)
    counts = [e.cue.text for e in of(events, CueDue) if e.cue.kind == "count"]
    assert counts[-1] == "Last one." and len(counts) == segment.reps + 2


def test_sides_start_a_switch_and_say_halfway_on_each():
    engine, clock, events = make_engine(timed_move("neck", 30, 20, 60, sides="each"))
    engine.start()
    run_ticks(engine, clock, engine.total_seconds)
    kinds = [e.segment.kind for e in of(events, SegmentStarted)]
    assert kinds.count("switch") == 1
    assert kinds.index("switch") == kinds.index("move") + 1
    halfway = [e.cue for e in of(events, CueDue) if e.cue.kind == "halfway"]
    moves = [s for s in engine.segments if s.kind == "move"]
    assert [c.at for c in halfway] == [s.start + s.duration / 2 for s in moves]
    ended = of(events, MoveEnded)
    assert [e.segment.side for e in ended] == ["left", "right"]
    assert ended[-1].moves_completed == 1


def test_sleep_pauses_the_session_and_says_why():
    """A machine whose monotonic clock stops while suspended: the wall clock tells."""
    engine, clock, events = make_engine(timed_move("a"))
    engine.start()
    run_ticks(engine, clock, 10)
    clock.advance(0.25, slept=3600)
    engine.tick()
    assert engine.state is SessionState.PAUSED
    assert engine.position == pytest.approx(10)
    assert engine.active_seconds == pytest.approx(10)
    assert of(events, Paused)[-1].reason == (
        "Paused: the app was not running for 1 h. Press Space to go on."
    )


def test_stop_reports_partial_progress():
    engine, clock, events = make_engine(timed_move("a"), timed_move("b"))
    engine.start()
    run_ticks(engine, clock, engine.plan.move_segments[0].end + 2)
    summary = engine.stop()
    assert summary.status == "partial" and summary.moves_completed == 1 and summary.moves_total == 2
    assert of(events, Stopped)[0].summary == summary
    clock.advance(100)
    engine.tick()
    assert engine.state is SessionState.STOPPED


def test_skipping_everything_finishes_as_partial():
    engine, clock, events = make_engine(timed_move("a"), timed_move("b"))
    engine.start()
    engine.next()
    engine.next()
    engine.next()
    assert engine.state is SessionState.FINISHED
    assert of(events, Finished)[0].summary.status == "partial"


@given(
    st.lists(
        st.sampled_from(
            ["tick", "pause", "resume", "next", "previous", "restart", "plus", "minus"]
        ),
        max_size=60,
    ),
    st.lists(st.floats(0.0, 20.0), min_size=60, max_size=60),
)
@settings(max_examples=200, deadline=None)
def test_property_any_control_sequence_keeps_the_timeline_sound(actions, gaps):
    engine, clock, events = make_engine(
        timed_move("a"), counted_move("b", 4, 2, 8, 4.0), timed_move("c", sides="each")
    )
    engine.start()
    for action, gap in zip(actions, gaps, strict=False):
        clock.advance(gap)
        {
            "tick": engine.tick,
            "pause": engine.pause,
            "resume": engine.resume,
            "next": engine.next,
            "previous": engine.previous,
            "restart": engine.restart_move,
            "plus": lambda: engine.adjust(10),
            "minus": lambda: engine.adjust(-10),
        }[action]()
        segments = engine.segments
        assert segments[0].start == 0
        assert all(
            a.end == pytest.approx(b.start) for a, b in zip(segments, segments[1:], strict=False)
        )
        assert 0 <= engine.position <= engine.total_seconds + 1e-9
        assert engine.segments[engine.index].start - 1e-9 <= engine.position
        assert engine.active_seconds >= 0
    late = [e.late for e in of(events, CueDue)]
    assert all(value >= -1e-6 for value in late)


def test_in_progress_from_start_until_the_session_ends():
    engine, clock, _ = make_engine(timed_move("a"))
    assert not engine.in_progress
    engine.start()
    assert engine.in_progress
    engine.pause()
    assert engine.in_progress
    engine.resume()
    run_ticks(engine, clock, engine.total_seconds)
    assert engine.state is SessionState.FINISHED and not engine.in_progress
    engine.next()  # controls after the end do nothing
    assert engine.stop() is None
