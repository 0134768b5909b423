"""The planner: exact timelines, scaling rules and cues, by example and by property."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.core.cue_fit import Priority
from facegym_desktop.core.planner import (
    PRIORITIES,
    SEGMENT_KINDS,
    SWITCH_SECONDS,
    Cue,
    PlanRangeError,
    Segment,
    SegmentKind,
    count_lead_seconds,
    length_bounds,
    number_word,
    plan,
    plan_seconds,
)
from facegym_desktop.core.routine import Step
from tests.factories import counted_move, routine_of, timed_move


def test_default_plan_is_exact_and_contiguous():
    routine = routine_of(timed_move("a", high=200), timed_move("b"), timed_move("c"))
    timeline = plan(routine, 5)
    assert timeline.target_seconds == 300
    assert timeline.total_seconds == 300
    assert [s.kind for s in timeline.segments] == [
        "prep",
        "move",
        "transition",
        "move",
        "transition",
        "move",
    ]
    assert timeline.segments[0].start == 0
    for before, after in zip(timeline.segments, timeline.segments[1:], strict=False):
        assert before.end == after.start


def test_fixed_parts_keep_their_length_when_scaling():
    routine = routine_of(
        timed_move("a"),
        timed_move("b", sides="each"),
        prep_seconds=12,
        transition_seconds=4,
        minutes=(2, 3, 4),
    )
    for minutes in (2, 3, 4):
        timeline = plan(routine, minutes)
        kinds = {s.kind: s.duration for s in timeline.segments if s.kind != "move"}
        assert kinds == {"prep": 12, "transition": 4, "switch": SWITCH_SECONDS}


def test_counted_moves_change_whole_reps_and_keep_tempo():
    routine = routine_of(
        timed_move("a"),
        counted_move("lift", reps=8, low=4, high=12, seconds_per_rep=5),
        minutes=(1.2, 2, 2.9),
    )
    short = plan(routine, 1.2).move_segments[1]
    long = plan(routine, 2.9).move_segments[1]
    for segment in (short, long):
        assert segment.seconds_per_rep == 5
        assert segment.duration == count_lead_seconds(routine.steps[1].move) + segment.reps * 5
        assert segment.reps_start == segment.start + count_lead_seconds(routine.steps[1].move)
    assert short.reps < long.reps


def test_sides_each_gives_left_switch_right():
    routine = routine_of(timed_move("neck", sides="each"))
    segments = plan(routine, 3).segments
    assert [(s.kind, s.side) for s in segments] == [
        ("prep", None),
        ("move", "left"),
        ("switch", None),
        ("move", "right"),
    ]
    assert segments[1].duration == segments[3].duration


def test_a_step_set_to_each_side_plays_its_both_sides_move_in_two_halves():
    both = timed_move("glide", 40, 20, 90)
    counted = counted_move("lift", 8, 4, 12, 5.0)
    as_written = routine_of(both, counted, minutes=(2, 3, 4))
    each = as_written._replace(steps=(Step(both, 0, "each"), Step(counted, 0, "each")))
    assert [step.sides for step in as_written.steps] == ["both", "both"]

    segments = plan(each, 3).segments
    assert [(s.kind, s.side, s.step) for s in segments] == [
        ("prep", None, None),
        ("move", "left", 0),
        ("switch", None, 0),
        ("move", "right", 0),
        ("transition", None, 1),
        ("move", "left", 1),
        ("switch", None, 1),
        ("move", "right", 1),
    ]
    assert segments[1].duration == segments[3].duration
    assert segments[5].reps == segments[7].reps
    cues = plan(each, 3).cues
    assert sum(cue.kind == "switch" for cue in cues) == 2
    lead = count_lead_seconds(counted)
    # Each side is the move's full length again: the range doubles, the switches and
    # the second count-in lead are fixed.
    fixed = 15 + 5 + 2 * SWITCH_SECONDS + 2 * lead
    assert length_bounds(each) == (fixed + 2 * 20 + 2 * 4 * 5, fixed + 2 * 90 + 2 * 12 * 5)
    assert length_bounds(as_written) == (15 + 5 + lead + 20 + 20, 15 + 5 + lead + 90 + 60)
    for minutes in (2, 3, 4):
        assert plan(each, minutes).total_seconds == pytest.approx(minutes * 60, abs=1)


def test_out_of_range_minutes_are_refused_with_the_range():
    routine = routine_of(timed_move("a"), minutes=(3, 5, 8))
    with pytest.raises(PlanRangeError, match="3 to 8 minutes"):
        plan(routine, 9)
    with pytest.raises(PlanRangeError):
        plan(routine, 2.5)


def test_counted_only_routine_pads_with_a_closing_rest():
    routine = routine_of(
        counted_move("lift", reps=8, low=2, high=30, seconds_per_rep=7), minutes=(2, 3, 4)
    )
    timeline = plan(routine, 3)
    assert abs(timeline.total_seconds - 180) <= 1
    assert timeline.segments[-1].kind in ("rest", "move")


def test_cues_name_the_move_and_pressure_at_its_start():
    routine = routine_of(timed_move("cheek-sweep", level="semi-firm"))
    timeline = plan(routine, 3)
    move = timeline.move_segments[0]
    opening = [c for c in timeline.cues if c.segment == move.index and c.at < move.start + 5]
    assert opening[0].kind == "name" and opening[0].at == move.start
    assert opening[0].priority == "high"
    assert any("Semi-firm pressure" in c.text for c in opening)


def test_counted_move_speaks_each_rep_or_tempo_word():
    plain = plan(routine_of(counted_move("lift", reps=6, low=6, high=6), minutes=(1, 1, 1)), 1)
    counts = [c.text for c in plain.cues if c.kind == "count"]
    assert counts == ["One.", "Two.", "Three.", "Four.", "Five.", "Last one."]
    tempo = plan(
        routine_of(
            counted_move(
                "raise", reps=2, low=2, high=2, seconds_per_rep=5, tempo=("up", "two", "down")
            ),
            minutes=(1, 1, 1),
        ),
        1,
    )
    assert [c.text for c in tempo.cues if c.kind == "count"] == ["Up", "Two", "Down"] * 2


def test_json_shape_matches_the_contract():
    data = plan(routine_of(timed_move("a", sides="each"), counted_move("b")), 5).to_json()
    assert set(data) == {"routine", "target_seconds", "total_seconds", "segments", "cues"}
    assert data["total_seconds"] == data["segments"][-1]["end"]
    for segment in data["segments"]:
        assert {"kind", "move_id", "name", "start", "end", "areas", "pressure"} <= set(segment)
        assert segment["kind"] in SEGMENT_KINDS
    assert all({"at", "text", "priority"} <= set(cue) for cue in data["cues"])


def test_kinds_and_priorities_are_enum_members_that_read_as_their_strings():
    timeline = plan(routine_of(timed_move("a", sides="each"), counted_move("b")), 5)
    assert all(type(segment.kind) is SegmentKind for segment in timeline.segments)
    assert all(type(cue.priority) is Priority for cue in timeline.cues)
    assert SEGMENT_KINDS == ("prep", "move", "transition", "switch", "rest")
    assert PRIORITIES == ("high", "normal", "low")
    # The JSON carries plain strings, exactly as before the enums.
    text = json.dumps(timeline.to_json())
    assert '"kind": "move"' in text and '"priority": "high"' in text
    assert "SegmentKind" not in text and "Priority" not in text


def test_a_kind_or_priority_given_as_a_string_becomes_the_member():
    assert Segment(0, "switch", 0.0, 3.0, "Switch").kind is SegmentKind.SWITCH
    assert Cue(0.0, "One.", "high", "count", 0).priority is Priority.HIGH
    with pytest.raises(ValueError):
        Segment(0, "nap", 0.0, 3.0, "Nap")
    with pytest.raises(ValueError):
        Cue(0.0, "One.", "urgent", "count", 0)


def test_segments_and_cues_copy_and_change_as_themselves() -> None:
    import copy

    timeline = plan(routine_of(timed_move("a", sides="each"), counted_move("b")), 5)
    for record in (*timeline.segments, *timeline.cues):
        copied = copy.copy(record)  # made again through __new__ from its fields
        assert copied == record and type(copied) is type(record)
    segment, cue = timeline.segments[1], timeline.cues[0]
    assert segment._replace(end=segment.end + 10).duration == segment.duration + 10
    assert cue._replace(at=1.5).priority is cue.priority


def test_number_words():
    assert [number_word(n) for n in (1, 7, 13, 20, 42, 100)] == [
        "one",
        "seven",
        "thirteen",
        "twenty",
        "forty-two",
        "one hundred",
    ]


# ------------------------------------------------------------------- properties


@st.composite
def routines(draw):
    moves = []
    for index in range(draw(st.integers(1, 8))):
        sides = draw(st.sampled_from(["both", "each"]))
        if draw(st.booleans()):
            low = draw(st.integers(5, 60))
            high = draw(st.integers(low, 600))
            moves.append(
                timed_move(f"m{index}", draw(st.integers(low, high)), low, high, sides=sides)
            )
        else:
            low = draw(st.integers(1, 10))
            high = draw(st.integers(low, 30))
            per_rep = draw(st.sampled_from([1.0, 2.5, 4.0, 6.0, 8.0]))
            moves.append(
                counted_move(
                    f"m{index}", draw(st.integers(low, high)), low, high, per_rep, sides=sides
                )
            )
    rests = {i: draw(st.sampled_from([0, 0, 10, 20])) for i in range(len(moves))}
    routine = routine_of(
        *moves,
        prep_seconds=draw(st.integers(0, 30)),
        transition_seconds=draw(st.integers(0, 10)),
        rests=rests,
        minutes=(1, 5, 90),
    )
    # A step may run its move on other sides than the move's own ("" keeps them).
    step_sides = [draw(st.sampled_from(["", "both", "each"])) for _ in moves]
    steps = tuple(
        Step(step.move, step.rest_after, side)
        for step, side in zip(routine.steps, step_sides, strict=True)
    )
    return routine._replace(steps=steps)


def test_reps_take_up_what_timed_moves_at_their_limit_leave() -> None:
    # Long enough, the timed moves reach their maximums (678 s here); the counted
    # moves must then take the whole reps that still fit, or the plan falls short.
    routine = routine_of(
        timed_move("m0", 56, 5, 530),
        counted_move("m1", 1, 1, 17, 4.0),
        counted_move("m2", 1, 1, 13, 4.0),
        timed_move("m3", 7, 5, 64),
        minutes=(1, 5, 90),
        prep_seconds=0,
        transition_seconds=0,
    )
    shortest, longest = length_bounds(routine)
    for target in range(round(shortest), round(longest) + 1):
        assert abs(plan_seconds(routine, target).total_seconds - target) <= 1, target


@given(routines(), st.floats(0, 1))
@settings(max_examples=300, deadline=None)
def test_property_plan_hits_any_reachable_target(routine, where):
    shortest, longest = length_bounds(routine)
    target = round(shortest + (longest - shortest) * where)
    if not shortest <= target <= longest:
        return  # rounding pushed it just outside the reachable span
    timeline = plan_seconds(routine, target)
    assert abs(timeline.total_seconds - target) <= 1


@given(routines(), st.integers(0, 6000))
@settings(max_examples=300, deadline=None)
def test_property_plan_is_well_formed(routine, target):
    timeline = plan_seconds(routine, target)
    segments = timeline.segments
    assert segments[0].start == 0
    for before, after in zip(segments, segments[1:], strict=False):
        assert before.end == after.start
    assert all(s.end > s.start for s in segments)
    # Order kept and nothing dropped: every step shows up, in order.
    step_order = [s.step for s in segments if s.kind == "move"]
    expected = [
        i
        for i, step in enumerate(routine.steps)
        for _ in range(2 if step.sides == "each" else 1)
    ]
    assert step_order == expected
    for segment in segments:
        if segment.kind != "move":
            continue
        move = routine.steps[segment.step].move
        timing = move.timing
        if timing.counted:
            assert timing.min_reps <= segment.reps <= timing.max_reps
            lead = count_lead_seconds(move)
            assert 4 <= lead <= 8
            assert segment.duration == pytest.approx(lead + segment.reps * timing.seconds_per_rep)
        else:
            assert timing.min_seconds <= segment.duration <= timing.max_seconds
            assert float(segment.duration).is_integer()
    for cue in timeline.cues:
        assert 0 <= cue.at <= timeline.total_seconds
        assert cue.priority in PRIORITIES
    assert [c.at for c in timeline.cues] == sorted(c.at for c in timeline.cues)


@given(routines(), st.integers(0, 6000))
@settings(max_examples=100, deadline=None)
def test_property_plan_is_deterministic(routine, target):
    assert plan_seconds(routine, target) == plan_seconds(routine, target)


def test_counted_move_leaves_room_to_speak_its_opening():
    routine = routine_of(counted_move("lift", reps=4, low=4, high=4), minutes=(0.5, 1, 1))
    timeline = plan_seconds(routine, 60)
    segment = timeline.move_segments[0]
    opening = [
        c for c in timeline.cues if c.segment == segment.index and c.kind in ("name", "technique")
    ]
    first_count = min(c.at for c in timeline.cues if c.kind == "count")
    assert len(opening) == 2
    assert all(c.at < first_count for c in opening)
    assert first_count == segment.reps_start
