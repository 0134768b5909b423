"""Routine files are untrusted: every problem is reported by place, never a traceback."""

from __future__ import annotations

import string
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.core.library import load_library, validate_files
from facegym_desktop.core.routine import Step, parse_text, resolve_routine
from tests.factories import JAW_GLIDE_MOVES as MOVES
from tests.factories import timed_move

ROUTINE = textwrap.dedent(
    """
    id = "short"
    name = "Short"
    description = "A short one."
    kind = "daily"
    default_minutes = 2
    min_minutes = 1
    max_minutes = 3
    [[steps]]
    move = "jaw-glide"
    [[steps]]
    move = "jaw-glide"
    seconds = 60
    """
)


def problems_of(text: str, moves_text: str = MOVES) -> list[str]:
    moves = {m.id: m for m in parse_text(moves_text, "moves.toml").moves}
    parsed = parse_text(text, "r.toml")
    resolve_routine(parsed, moves)
    return [str(p) for p in parsed.problems]


def test_valid_files_have_no_problems():
    assert problems_of(ROUTINE) == []
    assert parse_text(MOVES, "moves.toml").problems == []


def test_step_seconds_out_of_range_names_file_and_place():
    text = ROUTINE.replace("seconds = 60", "seconds = -2")
    assert problems_of(text) == ["r.toml: steps[1].seconds: must be between 5 and 600, got -2"]


def test_all_problems_are_reported_at_once():
    text = (
        ROUTINE.replace('kind = "daily"', 'kind = "weekly"').replace(
            'move = "jaw-glide"\n[[steps]]', 'move = "nope"\n[[steps]]'
        )
        + "colour = 'red'\n"
    )  # lands in the last [[steps]] table
    found = problems_of(text)
    assert any("kind: must be one of" in p for p in found)
    assert any("steps[0].move: unknown move 'nope'" in p for p in found)
    assert any(p.startswith("r.toml: steps[1].colour: unknown key") for p in found)


def test_wrong_types_and_missing_keys():
    found = problems_of('id = 3\nname = "x"\n')
    assert "r.toml: id: must be a string, got a whole number (3)" in found
    assert "r.toml: steps: is required" in found


def test_empty_routine_is_refused():
    text = ROUTINE.split("[[steps]]")[0] + "steps = []\n"
    assert "r.toml: steps: a routine needs at least one step" in problems_of(text)


def test_toml_syntax_error_gives_line_and_column():
    found = problems_of('id = "x"\nname = \n')
    assert len(found) == 1 and found[0].startswith("r.toml: line 2, column")


def test_unknown_area_and_delicate_pressure():
    bad = MOVES.replace('areas = ["jawline", "chin"]', 'areas = ["jawline", "elbow"]')
    assert any("areas[1]: must be one of" in str(p) for p in parse_text(bad, "m").problems)
    eyes = MOVES.replace(
        'areas = ["jawline", "chin"]', 'areas = ["jawline", "under-eyes"]'
    ).replace('chin = "medium"', '"under-eyes" = "firm"')
    messages = [str(p) for p in parse_text(eyes, "m").problems]
    assert any("under-eyes is delicate" in m for m in messages)


def test_asset_paths_must_stay_inside_assets():
    for reference in ("../../etc/passwd.svg", "/etc/x.svg", "C:/x.svg", "moves/x.exe"):
        text = MOVES.replace(
            'tool = "knuckles"', f'tool = "knuckles"\nillustration = "{reference}"'
        )
        messages = [str(p) for p in parse_text(text, "m").problems]
        assert any("illustration" in m for m in messages), reference
    ok = MOVES.replace('tool = "knuckles"', 'tool = "knuckles"\nillustration = "moves/jaw.svg"')
    assert parse_text(ok, "m").problems == []


def test_duplicate_move_ids_in_one_file():
    assert any("duplicate move id" in str(p) for p in parse_text(MOVES + MOVES, "m").problems)


def test_absurd_sizes_are_refused():
    huge = "# " + "x" * (300 * 1024)
    assert "larger than 256 KiB" in str(parse_text(huge, "m").problems[0])
    many_points = MOVES.replace(
        "points = [[0.5, 0.83], [0.15, 0.56]]", "points = [" + ", ".join(["[0.5, 0.5]"] * 40) + "]"
    )
    assert any("at most 32" in str(p) for p in parse_text(many_points, "m").problems)


def test_unreachable_minutes_are_reported(tmp_path: Path):
    (tmp_path / "moves.toml").write_text(MOVES)
    (tmp_path / "r.toml").write_text(ROUTINE.replace("max_minutes = 3", "max_minutes = 9"))
    library = load_library(tmp_path)
    assert "short" not in library.routines
    assert any(
        "max_minutes: 9 min is longer than the steps allow" in str(p) for p in library.problems
    )


def test_broken_user_file_does_not_stop_the_others(tmp_path: Path):
    builtin = tmp_path / "builtin"
    user = tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    (builtin / "moves.toml").write_text(MOVES)
    (builtin / "short.toml").write_text(ROUTINE)
    (user / "mine.toml").write_text(ROUTINE.replace('id = "short"', 'id = "mine"'))
    (user / "broken.toml").write_text("id = [\n")
    (user / "binary.toml").write_bytes(b"\xff\xfe\x00garbage")
    library = load_library(builtin, user)
    assert set(library.routines) == {"short", "mine"}
    assert library.routines["mine"].source == "user"
    assert {p.path.rsplit("/", 1)[-1] for p in library.problems} == {"broken.toml", "binary.toml"}


def test_validate_files_reports_missing_file(tmp_path: Path):
    (tmp_path / "moves.toml").write_text(MOVES)
    problems = validate_files([str(tmp_path / "absent.toml")], tmp_path)
    assert [p.message for p in problems] == ["does not exist"]


def test_checking_the_library_file_itself_is_not_a_clash(tmp_path: Path):
    (tmp_path / "moves.toml").write_text(MOVES)
    assert validate_files([str(tmp_path / "moves.toml")], tmp_path) == []


# ----------------------------------------------------------------- fuzzing

toml_values = st.recursive(
    st.none().map(lambda _: "true")
    | st.integers(-(10**6), 10**6).map(str)
    | st.floats(allow_nan=False, allow_infinity=False).map(repr)
    | st.text(string.printable, max_size=12).map(
        lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'
    ),
    lambda inner: st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    max_leaves=8,
)
keys = st.sampled_from(
    [
        "id",
        "name",
        "description",
        "kind",
        "default_minutes",
        "min_minutes",
        "max_minutes",
        "prep",
        "steps",
        "moves",
        "seconds",
        "tools",
        "areas",
        "pressure",
        "timing",
        "x",
    ]
)


@given(st.lists(st.tuples(keys, toml_values), max_size=10, unique_by=lambda kv: kv[0]))
@settings(max_examples=300, deadline=None)
def test_fuzz_random_documents_never_raise(pairs):
    text = "\n".join(f"{key} = {value}" for key, value in pairs)
    for problem in problems_of(text):
        assert problem.startswith("r.toml: ")


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_fuzz_random_text_never_raises(text):
    problems_of(text)


@given(st.integers(0, len(MOVES) - 1), st.text(min_size=1, max_size=6))
@settings(max_examples=300, deadline=None)
def test_fuzz_mutated_move_file_never_raises(position, insert):
    mutated = MOVES[:position] + insert + MOVES[position + 1 :]
    for problem in parse_text(mutated, "m").problems:
        assert str(problem).count(": ") >= 2


def test_unknown_move_still_gets_its_numbers_checked():
    text = ROUTINE.replace('move = "jaw-glide"\nseconds = 60', 'move = "nope"\nseconds = -3')
    assert problems_of(text) == [
        "r.toml: steps[1].move: unknown move 'nope'",
        "r.toml: steps[1].seconds: must be between 5 and 600, got -3",
    ]


def test_a_step_may_choose_its_sides_and_defaults_to_the_moves():
    moves = {m.id: m for m in parse_text(MOVES, "moves.toml").moves}
    text = ROUTINE.replace("seconds = 60", 'seconds = 60\nsides = "each"')
    parsed = parse_text(text, "r.toml")
    routine = resolve_routine(parsed, moves)
    assert parsed.problems == [] and routine is not None
    assert moves["jaw-glide"].sides == "both"
    assert [step.sides for step in routine.steps] == ["both", "each"]
    assert routine.steps[1].move.sides == "both"  # the move itself is as the library has it


def test_a_step_sides_outside_both_and_each_is_one_located_line():
    text = ROUTINE.replace("seconds = 60", 'seconds = 60\nsides = "left"')
    assert problems_of(text) == ["r.toml: steps[1].sides: must be one of both, each, got 'left'"]
    text = ROUTINE.replace("seconds = 60", "seconds = 60\nsides = 2")
    assert problems_of(text) == ["r.toml: steps[1].sides: must be a string, got a whole number (2)"]


def test_a_step_sides_is_checked_even_for_an_unknown_move():
    text = ROUTINE.replace('move = "jaw-glide"\nseconds = 60', 'move = "nope"\nsides = "one"')
    assert problems_of(text) == [
        "r.toml: steps[1].sides: must be one of both, each, got 'one'",
        "r.toml: steps[1].move: unknown move 'nope'",
    ]


def test_caution_areas_name_the_areas_a_moves_own_caution_speaks_for():
    eyes = MOVES.replace('areas = ["jawline", "chin"]', 'areas = ["chin", "under-eyes"]').replace(
        'jawline = "firm"', '"under-eyes" = "feather"'
    )
    assert parse_text(eyes, "m").moves[0].caution_areas == ()
    spoken = eyes.replace(
        'tool = "knuckles"',
        'tool = "knuckles"\ncaution = "Feather touch under the eyes."\n'
        'caution_areas = ["under-eyes"]',
    )
    (move,) = parse_text(spoken, "m").moves
    assert move.caution_areas == ("under-eyes",)


def test_caution_areas_need_a_caution_and_the_moves_own_areas():
    silent = MOVES.replace('tool = "knuckles"', 'tool = "knuckles"\ncaution_areas = ["chin"]')
    parsed = parse_text(silent, "m")
    assert parsed.moves == []
    assert any("caution_areas: needs the move's own caution" in str(p) for p in parsed.problems)
    elsewhere = MOVES.replace(
        'tool = "knuckles"', 'tool = "knuckles"\ncaution = "Gently."\ncaution_areas = ["nose"]'
    )
    parsed = parse_text(elsewhere, "m")
    assert parsed.moves == []
    assert any("nose is not one of the move's areas" in str(p) for p in parsed.problems)
    unknown = MOVES.replace(
        'tool = "knuckles"', 'tool = "knuckles"\ncaution = "Gently."\ncaution_areas = ["elbow"]'
    )
    problems = parse_text(unknown, "m").problems
    assert any("caution_areas[0]: must be one of" in str(p) for p in problems)


def test_a_step_takes_its_moves_sides_unless_given_and_refuses_any_other() -> None:
    move = timed_move("a", sides="each")
    assert Step(move).sides == "each"
    assert Step(move, 10, "both") == (move, 10, "both")
    assert Step(move, 10, "both")._replace(rest_after=0).rest_after == 0
    with pytest.raises(ValueError, match="both, each"):
        Step(move, 0, "left")
