"""The composer: balanced routines of any length that validate, plan exactly and stay safe."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facegym_desktop.core.composer import (
    HANDS,
    MAX_ROUNDS,
    CompositionError,
    Request,
    compose,
    is_calm,
    is_drainage_stroke,
    pressure_ceilings,
    slug,
    within_ceilings,
    written_seconds,
)
from facegym_desktop.core.library import load_library, validate_files
from facegym_desktop.core.planner import (
    SWITCH_SECONDS,
    count_lead_seconds,
    length_bounds,
    plan,
)
from facegym_desktop.core.routine import Move, Routine, Step, parse_text
from facegym_desktop.core.routine_toml import dump_routine
from facegym_desktop.core.vocabulary import AREA_IDS, PRESSURE_BY_ID, TOOLS
from facegym_desktop.paths import builtin_routines_dir

LIBRARY = load_library(builtin_routines_dir())
MOVES = LIBRARY.moves
LIBRARY_TOOLS = sorted({move.tool for move in MOVES.values()})


def lengths_to_check(routine: Routine) -> list[float]:
    low, high = routine.min_minutes, routine.max_minutes
    between = [low + (high - low) * share for share in (0.25, 0.5, 0.75)]
    return [low, routine.default_minutes, high, *between]


def assert_sound(routine: Routine, request: Request) -> None:
    """Every promise the composer makes, checked through public seams."""
    assert routine.default_minutes == request.minutes
    assert routine.min_minutes <= routine.default_minutes <= routine.max_minutes
    for minutes in lengths_to_check(routine):
        total = plan(routine, minutes).total_seconds
        assert abs(total - round(minutes * 60)) <= 1, (minutes, total)
    assert set(request.areas) <= set(routine.areas)
    assert {step.move.tool for step in routine.steps} <= set(request.tools)
    assert set(routine.tools) <= set(request.tools)
    ceilings = pressure_ceilings(MOVES.values())
    assert all(within_ceilings(step.move, ceilings) for step in routine.steps)
    assert is_drainage_stroke(routine.steps[0].move)
    assert is_calm(routine.steps[-1].move)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{routine.id}.toml"
        path.write_text(dump_routine(routine, MOVES), encoding="utf-8")
        assert validate_files([str(path)], builtin_routines_dir()) == []


def works_focus(move: Move, request: Request) -> bool:
    return bool(set(move.areas) & set(request.areas))


def focus_moves_can_fill(routine: Routine, request: Request) -> bool:
    """Whether the library's focus moves for these tools, each as often as the composer
    allows, reach the chosen length between this routine's opening and close."""
    ceilings = pressure_ceilings(MOVES.values())
    steps = routine.steps
    # The opening is the first step and the sweep after it; a drainage stroke in second
    # place counts as opening here, which can only understate the focus moves' reach.
    opening = steps[:2] if is_drainage_stroke(steps[1].move) else steps[:1]
    kept = {step.move.id for step in (*opening, steps[-1])}
    focus = [
        Step(move)
        for move in MOVES.values()
        if move.tool in request.tools
        and within_ceilings(move, ceilings)
        and works_focus(move, request)
        and move.id not in kept
    ]
    fullest = routine._replace(steps=(*opening, *focus * MAX_ROUNDS, steps[-1]))
    _, longest = length_bounds(fullest)
    return longest >= request.minutes * 60


def assert_focused(routine: Routine, request: Request) -> None:
    """With focus areas, the middle works only them whenever the focus moves can fill it,
    and the description says when other areas had to come in."""
    if not request.areas:
        return
    steps = routine.steps
    second = steps[1].move
    focused = all(works_focus(step.move, request) for step in steps[2:-1]) and (
        works_focus(second, request) or is_drainage_stroke(second)
    )
    said = "other areas" in routine.description
    if focus_moves_can_fill(routine, request):
        assert focused, [step.move.id for step in steps]
        assert not said
    if not focused:
        assert said


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    minutes=st.integers(min_value=2, max_value=120).map(lambda halves: halves / 2),
    areas=st.lists(st.sampled_from(AREA_IDS), max_size=4, unique=True),
    tools=st.lists(st.sampled_from(TOOLS), min_size=1, max_size=4, unique=True),
)
def test_every_routine_the_composer_makes_is_sound(
    minutes: float, areas: list[str], tools: list[str]
) -> None:
    request = Request(minutes, tuple(areas), tuple(tools), "Property routine")
    try:
        routine = compose(MOVES, request)
    except CompositionError as error:
        assert str(error)
        return
    assert_sound(routine, request)
    assert_focused(routine, request)


def test_a_short_jaw_routine_works_only_the_jaw_in_the_middle() -> None:
    request = Request(6, ("jawline",), (HANDS,), "Jaw calm")
    routine = compose(MOVES, request)
    assert_sound(routine, request)
    middle = [step.move for step in routine.steps[2:-1]]
    assert [move.id for move in middle] == ["platysma-stretch", "jaw-release-circles"]
    assert all("jawline" in move.areas for move in middle)
    assert "other areas" not in routine.description
    # Jawline glide is done with the knuckles: in as soon as they are at hand.
    request = replace(request, tools=(HANDS, "knuckles"))
    routine = compose(MOVES, request)
    assert_sound(routine, request)
    middle = [step.move for step in routine.steps[2:-1]]
    assert "jawline-glide" in {move.id for move in middle}
    assert all("jawline" in move.areas for move in middle)


def test_focus_moves_come_again_before_other_areas_fill_a_long_session() -> None:
    request = Request(30, ("jawline",), (HANDS,))
    routine = compose(MOVES, request)
    assert_sound(routine, request)
    ids = [step.move.id for step in routine.steps[2:-1]]
    assert ids.count("platysma-stretch") == ids.count("jaw-release-circles") == MAX_ROUNDS
    assert any("jawline" not in MOVES[move_id].areas for move_id in ids)
    assert "the jawline (too few moves for 30 minutes, so other areas too)" in (
        routine.description
    )


@pytest.mark.parametrize("minutes", [3, 5, 7.5, 10, 15, 20, 30])
@pytest.mark.parametrize("tools", [(HANDS,), (HANDS, "knuckles"), (HANDS, "roller", "gua-sha")])
def test_usual_lengths_compose_with_the_usual_tools(minutes: float, tools: tuple[str, ...]) -> None:
    request = Request(minutes, ("jawline", "cheeks"), tools)
    assert_sound(compose(MOVES, request), request)


def test_the_shape_is_drainage_first_focus_in_the_middle_and_a_calm_close() -> None:
    routine = compose(MOVES, Request(10, ("jawline",), (HANDS, "knuckles")))
    ids = [step.move.id for step in routine.steps]
    assert ids[0] == "neck-drainage"
    assert ids[1] == "lymphatic-drainage-face"
    assert ids[-1] == "palm-rest-breath"
    assert "jawline-glide" in ids[2:-1]  # the move whose firmest pressure is on the jaw


def test_a_tool_at_hand_gets_used() -> None:
    routine = compose(MOVES, Request(8, ("cheeks",), (HANDS, "roller")))
    assert "roller" in {step.move.tool for step in routine.steps}
    assert "roller" in routine.tools


def test_the_written_steps_add_up_to_the_chosen_length() -> None:
    routine = compose(MOVES, Request(7.5, (), (HANDS,)))
    timeline = plan(routine, 7.5)
    assert abs(timeline.total_seconds - 450) <= 1
    for segment in timeline.move_segments:
        move = routine.steps[segment.step or 0].move
        if segment.reps is not None:
            assert segment.reps == move.timing.reps
        else:
            assert round(segment.duration) == move.timing.seconds


@pytest.mark.parametrize(
    ("request_", "words"),
    [
        (Request(5, ("elbow",)), "unknown area elbow"),
        (Request(5, (), ("spoon",)), "unknown tool spoon"),
        (Request(5, ("nose",), ("roller",)), "no move works the nose with roller"),
        (Request(1), "too short"),
        (Request(90), "longer than these moves can fill"),
        (Request(0.5), "from 1 to 90 minutes"),
        (Request(5, (), ()), "at least one tool"),
    ],
)
def test_impossible_requests_say_why(request_: Request, words: str) -> None:
    with pytest.raises(CompositionError, match=words):
        compose(MOVES, request_)


def _move(move_id: str, area: str, level: str, caution: str = "") -> Move:
    base = MOVES["neck-drainage"]
    return base._replace(id=move_id, areas=(area,), pressure={area: level}, caution=caution)


def test_a_caution_naming_an_area_and_a_level_caps_that_area() -> None:
    moves = {
        "gentle-neck": _move("gentle-neck", "neck", "light", "Treat the neck gently."),
        "firm-neck": _move("firm-neck", "neck", "semi-firm"),
        "medium-chin": _move("medium-chin", "chin", "medium"),
    }
    ceilings = pressure_ceilings(moves.values())
    assert ceilings["neck"] == PRESSURE_BY_ID["light"].rank
    assert ceilings["chin"] == PRESSURE_BY_ID["firm"].rank
    assert ceilings["under-eyes"] == PRESSURE_BY_ID["light"].rank  # delicate
    assert not within_ceilings(moves["firm-neck"], ceilings)
    with_library = {**MOVES, **moves}
    for minutes in (5, 10, 20):
        routine = compose(with_library, Request(minutes, ("neck",)))
        assert "firm-neck" not in {step.move.id for step in routine.steps}


def test_the_library_cautions_keep_the_under_eyes_at_a_feather_touch() -> None:
    ceilings = pressure_ceilings(MOVES.values())
    assert ceilings["under-eyes"] == PRESSURE_BY_ID["feather"].rank
    assert ceilings["jawline"] == PRESSURE_BY_ID["firm"].rank


def test_slug_makes_a_valid_id() -> None:
    assert slug("My Jaw & Neck!") == "my-jaw-neck"
    assert slug("!!!") == "my-routine"
    assert len(slug("x" * 200)) <= 60


def test_composed_routines_read_back_as_files_equal() -> None:
    routine = compose(MOVES, Request(12, ("forehead", "neck"), (HANDS, "gua-sha")))
    text = dump_routine(routine, MOVES)
    parsed = parse_text(text, "mine.toml", "user")
    from facegym_desktop.core.routine import resolve_routine

    back = resolve_routine(parsed, MOVES, "user")
    assert parsed.problems == []
    assert back == routine._replace(path="mine.toml")


def test_every_library_tool_is_offered() -> None:
    assert set(LIBRARY_TOOLS) <= set(TOOLS)


def test_a_steps_written_length_follows_the_steps_sides() -> None:
    one_side_at_a_time = MOVES["gua-sha-jawline"]
    assert one_side_at_a_time.sides == "each" and not one_side_at_a_time.timing.counted
    seconds = one_side_at_a_time.timing.seconds
    assert written_seconds(Step(one_side_at_a_time)) == 2 * seconds + SWITCH_SECONDS
    assert written_seconds(Step(one_side_at_a_time, sides="both")) == seconds
    counted = next(move for move in MOVES.values() if move.timing.counted)
    assert counted.sides == "both"
    timing = counted.timing
    once = timing.reps * timing.seconds_per_rep + count_lead_seconds(counted)
    assert written_seconds(Step(counted)) == pytest.approx(once)
    assert written_seconds(Step(counted, sides="each")) == pytest.approx(
        2 * once + SWITCH_SECONDS
    )


def test_composed_steps_keep_their_moves_sides_and_plan_as_written() -> None:
    routine = compose(MOVES, Request(10, ("jawline",), (HANDS, "gua-sha")))
    assert "each" in {step.sides for step in routine.steps}
    assert [step.sides for step in routine.steps] == [step.move.sides for step in routine.steps]
    written = (
        routine.prep_seconds
        + routine.transition_seconds * (len(routine.steps) - 1)
        + sum(written_seconds(step) + step.rest_after for step in routine.steps)
    )
    assert plan(routine, routine.default_minutes).total_seconds == pytest.approx(written, abs=1)
