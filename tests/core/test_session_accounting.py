"""What the session engine credits: time per move and area, completed and skipped moves,
stalls, and cues too late to say.  Everything on a fake clock."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.core.planner import plan
from facegym_desktop.core.session import (
    COMPLETED_SHARE,
    CueDue,
    Finished,
    MoveEnded,
    Paused,
    SessionEngine,
    SessionOutcome,
    SessionState,
    SessionSummary,
    Stopped,
    finish_title,
)
from tests.factories import FakeClock, counted_move, routine_of, timed_move

ROUTINE = routine_of(
    timed_move("a", 40, 20, 90, areas=("cheeks", "jaw")),
    counted_move("b", 4, 2, 8, 4.0),
    timed_move("c", 30, 20, 60, sides="each", areas=("neck",)),
    minutes=(1, 3, 10),
    rests={1: 5},
)


def make_engine(routine=ROUTINE, minutes=3):
    clock = FakeClock()
    engine = SessionEngine(plan(routine, minutes), clock=clock, wall_clock=clock.wall_clock)
    events = []
    engine.subscribe(events.append)
    return engine, clock, events


def run_ticks(engine, clock, seconds, step=0.25):
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        clock.advance(min(step, end - clock.now))
        engine.tick()


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


def run_to(engine, clock, position, step=0.25):
    run_ticks(engine, clock, position - engine.position, step)


def moves(engine):
    return [s for s in engine.segments if s.kind == "move"]


def ended_seconds_by_segment(events):
    seconds: dict[int, float] = {}
    for event in of(events, MoveEnded):
        seconds[event.segment.index] = seconds.get(event.segment.index, 0.0) + event.active_seconds
    return seconds


# --------------------------------------------------------------------- examples


def test_a_move_skipped_into_then_stepped_back_over_counts_once_it_runs():
    engine, clock, events = make_engine()
    engine.start()
    first, second = moves(engine)[:2]
    run_to(engine, clock, first.start + 5)
    engine.next()  # into b
    engine.previous()  # at b's start: back to a
    assert engine.current.index == first.index
    run_ticks(engine, clock, engine.total_seconds + 1)
    summary = of(events, Finished)[0].summary
    assert summary.outcome is SessionOutcome.COMPLETED and summary.status == "completed"
    assert summary.moves_completed == summary.moves_total == 3
    assert summary.moves_skipped == 0
    ended = ended_seconds_by_segment(events)
    assert ended[second.index] == pytest.approx(second.duration)
    assert ended[first.index] == pytest.approx(5 + first.duration)
    assert engine.area_seconds["forehead"] == pytest.approx(second.duration)
    assert engine.area_seconds["cheeks"] == pytest.approx(5 + first.duration)


def test_a_restarted_move_reports_each_stretch_once():
    engine, clock, events = make_engine()
    engine.start()
    first = moves(engine)[0]
    run_to(engine, clock, first.start + 20)
    engine.restart_move()
    run_to(engine, clock, first.end + 1)
    stretches = [e.active_seconds for e in of(events, MoveEnded) if e.segment.index == first.index]
    assert stretches == [pytest.approx(20), pytest.approx(first.duration)]
    assert engine.area_seconds["jaw"] == pytest.approx(20 + first.duration)
    assert engine.active_seconds == pytest.approx(first.end + 1 + 20)


def test_skipping_nothing_but_short_stays_says_how_many_moves_were_skipped():
    engine, clock, events = make_engine()
    engine.start()
    engine.next()  # into a
    engine.next()  # a skipped, into b
    run_ticks(engine, clock, moves(engine)[1].duration)  # b in full
    engine.next()  # past the rest into c, left side
    run_ticks(engine, clock, 20)  # 20 of 30 s: complete
    engine.next()  # right side skipped
    engine.next()  # past the last move: the end
    summary = of(events, Finished)[0].summary
    assert summary.outcome is SessionOutcome.FINISHED and summary.status == "partial"
    assert (summary.moves_completed, summary.moves_skipped) == (1, 2)
    assert finish_title(summary) == "Finished, 2 moves skipped"


def test_stopping_counts_only_the_moves_gone_past_as_skipped():
    engine, clock, events = make_engine()
    engine.start()
    engine.next()
    engine.next()  # a skipped
    run_ticks(engine, clock, 2)
    summary = engine.stop()
    assert summary.outcome is SessionOutcome.STOPPED
    assert (summary.moves_completed, summary.moves_skipped) == (0, 1)
    assert finish_title(summary) == "Session stopped"
    assert of(events, Stopped)[0].summary == summary


@pytest.mark.parametrize(
    ("outcome", "skipped", "title"),
    [
        (SessionOutcome.COMPLETED, 0, "Well done"),
        (SessionOutcome.FINISHED, 1, "Finished, 1 move skipped"),
        (SessionOutcome.FINISHED, 3, "Finished, 3 moves skipped"),
        (SessionOutcome.STOPPED, 2, "Session stopped"),
    ],
)
def test_finish_title(outcome, skipped, title):
    summary = SessionSummary("partial", 300.0, 120.0, 2, 5, skipped, outcome)
    assert finish_title(summary) == title


def test_a_longer_move_needs_its_share_of_the_new_length():
    engine, clock, _ = make_engine()
    engine.start()
    first = moves(engine)[0]
    run_to(engine, clock, first.start + first.duration * COMPLETED_SHARE)
    assert engine.segment_completed(first.index)
    assert engine.adjust(10)
    assert not engine.segment_completed(first.index)
    run_ticks(engine, clock, 5)
    assert engine.segment_completed(first.index)


# ----------------------------------------------------------------------- stalls


def test_a_stopped_process_is_never_massage():
    """SIGSTOP: both clocks go on, no tick comes; the session pauses at the last tick."""
    engine, clock, events = make_engine()
    engine.start()
    run_to(engine, clock, 30)
    clock.advance(240)
    engine.tick()
    assert engine.state is SessionState.PAUSED
    assert engine.position == pytest.approx(30)
    assert engine.active_seconds == pytest.approx(30)
    paused = of(events, Paused)[-1]
    assert paused.stalled_seconds == pytest.approx(240)
    assert paused.reason == "Paused: the app was not running for 4 min. Press Space to go on."
    assert engine.pause_reason == paused.reason
    engine.resume()
    run_ticks(engine, clock, 10)
    assert engine.position == pytest.approx(40)


def test_a_monotonic_clock_that_counts_suspended_time_is_caught():
    engine, clock, _ = make_engine()
    engine.start()
    run_to(engine, clock, 20)
    clock.now += 3600  # the monotonic clock went on through the suspend
    clock.wall += 3600
    engine.next()  # the first thing after waking is a key press
    assert engine.state is SessionState.PAUSED
    assert engine.active_seconds == pytest.approx(20)
    assert engine.pause_reason.startswith("Paused: the app was not running for 1 h.")


def test_the_stall_threshold_follows_the_tick_interval():
    engine, clock, _ = make_engine()
    engine.set_tick_interval(1.0)  # slow ticks: 8 s without one is still normal
    engine.start()
    assert engine.stall_seconds == pytest.approx(8.0)
    clock.advance(7.9)
    engine.tick()
    assert engine.state is SessionState.RUNNING
    engine.set_tick_interval(0.033)  # back to frames: this gap is judged by 1 s still
    clock.advance(7.9)
    engine.tick()
    assert engine.state is SessionState.RUNNING
    assert engine.stall_seconds == pytest.approx(2.0)
    clock.advance(2.1)
    engine.tick()
    assert engine.state is SessionState.PAUSED
    assert engine.active_seconds == pytest.approx(15.8)


def test_thresholds_are_real_seconds_at_any_time_scale():
    clock = FakeClock()
    engine = SessionEngine(
        plan(ROUTINE, 3), clock=clock, wall_clock=clock.wall_clock, time_scale=30
    )
    engine.set_tick_interval(0.033)
    assert engine.stall_seconds == pytest.approx(60)
    assert engine.late_cue_seconds == pytest.approx(15)
    engine.start()
    clock.advance(61)
    engine.tick()
    assert engine.pause_reason.startswith("Paused: the app was not running for 2 s.")
    with pytest.raises(ValueError):
        engine.set_tick_interval(0)
    with pytest.raises(ValueError):
        SessionEngine(plan(ROUTINE, 3), clock=clock, time_scale=0)


# -------------------------------------------------------------------- late cues


def test_a_cue_too_late_to_start_is_left_out_but_counts_and_names_are_not():
    engine, clock, events = make_engine()
    engine.start()
    counted = moves(engine)[1]
    lines = {c.kind: c for c in engine.cues if c.segment == counted.index}
    late_tick = 1.9  # late, yet short of a stall
    assert engine.late_cue_seconds < late_tick - 0.05 < engine.stall_seconds
    for kind in ("name", "technique", "count"):
        run_to(engine, clock, lines[kind].at - 0.05)
        clock.advance(late_tick)
        engine.tick()
    due = {e.cue.kind: e.late for e in of(events, CueDue) if e.cue.segment == counted.index}
    assert set(due) == {"name", "count"}  # the technique line could only start 1.85 s late
    assert due["name"] == pytest.approx(1.85)
    assert engine.state is SessionState.RUNNING


def test_ticks_on_time_publish_every_cue():
    engine, clock, events = make_engine()
    engine.start()
    run_ticks(engine, clock, engine.total_seconds + 1, step=0.2)
    assert [e.cue for e in of(events, CueDue)] == list(engine.cues)


# ------------------------------------------------------------- property: accounting

STALL_FREE_GAPS = (0.0, 0.31, 0.73, 1.13, 1.37)
STALLING_GAPS = (2.9, 41.0, 300.0)
CONTROLS = ("tick", "next", "previous", "restart", "plus", "minus", "pause", "resume")


def overlap(start: float, end: float, segment) -> float:
    return max(0.0, min(end, segment.end) - max(start, segment.start))


@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.sampled_from(STALL_FREE_GAPS),
                st.sampled_from(STALLING_GAPS),
                st.sampled_from(STALL_FREE_GAPS),
            ),
            st.sampled_from(CONTROLS),
        ),
        max_size=80,
    ),
    st.booleans(),
)
@settings(max_examples=300, deadline=None)
def test_property_credit_follows_what_the_person_did(steps, stop_at_end):
    """Any sequence of controls and clock moves: what is credited to each move (and so to
    each area), what counts as complete, and what the history hears all agree with the
    running time the person spent in each segment."""
    engine, clock, events = make_engine()
    engine.start()
    credited = [0.0] * len(engine.segments)
    position = engine.position
    unread = 0.0  # clock time since the engine last read the clock while running
    for gap, control in steps:
        if not engine.in_progress:
            break
        running = engine.state is SessionState.RUNNING
        layout = engine.segments
        threshold = engine.stall_seconds
        paused_before = len(of(events, Paused))
        clock.advance(gap)
        if running:
            unread += gap
        {
            "tick": engine.tick,
            "next": engine.next,
            "previous": engine.previous,
            "restart": engine.restart_move,
            "plus": lambda: engine.adjust(10),
            "minus": lambda: engine.adjust(-10),
            "pause": engine.pause,
            "resume": engine.resume,
        }[control]()
        reads_clock = running and control != "resume"
        if reads_clock:
            if unread > threshold:
                stall = of(events, Paused)[paused_before]
                assert stall.stalled_seconds == pytest.approx(unread)
            else:
                reached = min(layout[-1].end, position + unread)
                for segment in layout:
                    credited[segment.index] += overlap(position, reached, segment)
                if control == "tick" and engine.in_progress:
                    assert engine.position == pytest.approx(reached)
            unread = 0.0
        resumed = not running and engine.state is SessionState.RUNNING
        if reads_clock or resumed or engine.state is not SessionState.RUNNING:
            position = engine.position  # the clock has not moved since it was read
        if engine.state is not SessionState.RUNNING:
            unread = 0.0
        for segment in engine.segments:
            assert engine.segment_active_seconds(segment.index) == pytest.approx(
                credited[segment.index], abs=1e-6
            )
            if segment.kind == "move":
                share = credited[segment.index] >= COMPLETED_SHARE * segment.duration - 1e-6
                assert engine.segment_completed(segment.index) == share
    if stop_at_end:
        if engine.state is SessionState.RUNNING and unread <= engine.stall_seconds:
            reached = min(engine.total_seconds, position + unread)  # stop reads the clock
            for segment in engine.segments:
                credited[segment.index] += overlap(position, reached, segment)
        engine.stop()
    else:
        if engine.state is SessionState.PAUSED:
            engine.resume()
            position, unread = engine.position, 0.0
        while engine.in_progress:  # run to the end, on time
            clock.advance(1.0)
            unread += 1.0
            stalled = unread > engine.stall_seconds
            engine.tick()
            if stalled:
                engine.resume()
            else:
                for segment in engine.segments:
                    credited[segment.index] += overlap(position, engine.position, segment)
            position, unread = engine.position, 0.0
    [summary] = [e.summary for e in events if isinstance(e, Finished | Stopped)]

    # The history's record: every MoveEnded, summed per segment and per area.
    segments = engine.segments
    history_by_segment = ended_seconds_by_segment(events)
    history_by_area: dict[str, float] = {}
    for index, seconds in history_by_segment.items():
        for area in segments[index].areas:
            history_by_area[area] = history_by_area.get(area, 0.0) + seconds
    expected_by_area: dict[str, float] = {}
    for segment in segments:
        if segment.kind == "move":
            assert history_by_segment.get(segment.index, 0.0) == pytest.approx(
                credited[segment.index], abs=1e-5
            )
            for area in segment.areas:
                expected_by_area[area] = expected_by_area.get(area, 0.0) + credited[segment.index]
    assert set(engine.area_seconds) == {a for a, s in expected_by_area.items() if s > 0}
    for area, seconds in expected_by_area.items():
        assert engine.area_seconds.get(area, 0.0) == pytest.approx(seconds, abs=1e-6)
        assert history_by_area.get(area, 0.0) == pytest.approx(seconds, abs=1e-5)

    assert summary.active_seconds == pytest.approx(math.fsum(credited), abs=1e-3)
    steps_complete: dict[int, bool] = {}
    for segment in segments:
        if segment.kind == "move":
            done = credited[segment.index] >= COMPLETED_SHARE * segment.duration - 1e-6
            steps_complete[segment.step] = steps_complete.get(segment.step, True) and done
    assert summary.moves_completed == sum(steps_complete.values()) == engine.moves_completed
    if summary.outcome is not SessionOutcome.STOPPED:
        assert summary.moves_skipped == summary.moves_total - summary.moves_completed
        assert (summary.outcome is SessionOutcome.COMPLETED) == (summary.moves_skipped == 0)
    ended = of(events, MoveEnded)
    if ended:
        last = ended[-1]
        assert last.moves_completed == summary.moves_completed
        assert last.session_active_seconds <= summary.active_seconds + 1e-6
