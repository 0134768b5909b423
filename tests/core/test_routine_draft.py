"""The routine draft: editing operations, problems by field, saving as a valid file."""

from __future__ import annotations

from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.core.library import Library, load_library
from facegym_desktop.core.routine_draft import (
    DraftError,
    RoutineDraft,
    StepDraft,
    editable_in_place,
    field_of,
    slug,
)
from facegym_desktop.core.routine_store import user_file, write_atomically
from facegym_desktop.paths import builtin_routines_dir


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(builtin_routines_dir())


def three_moves(library: Library) -> RoutineDraft:
    draft = RoutineDraft(library)
    for move_id in ("chin-flicks", "jawline-glide", "cheek-lift"):
        draft.add_step(move_id)
    return draft


def test_a_new_draft_needs_a_step(library: Library) -> None:
    draft = RoutineDraft(library)
    assert draft.problems() == {"steps": "A routine needs at least one step."}
    assert draft.preview() is None
    with pytest.raises(DraftError) as error:
        draft.to_routine()
    assert error.value.problems == {"steps": "A routine needs at least one step."}


def test_steps_added_fit_the_lengths_and_make_a_routine(library: Library) -> None:
    draft = three_moves(library)
    assert draft.problems() == {}
    routine = draft.to_routine()
    assert [step.move.id for step in routine.steps] == [
        "chin-flicks",
        "jawline-glide",
        "cheek-lift",
    ]
    assert routine.min_minutes <= routine.default_minutes <= routine.max_minutes
    assert routine.id == "my-routine" and routine.source == "user"


def test_each_problem_is_keyed_by_its_field(library: Library) -> None:
    draft = three_moves(library)
    draft.set_name("")
    draft.description = "   "
    draft.set_amount(1, 700)
    draft.set_minutes(3, 2, 4)
    problems = draft.problems()
    assert problems["name"] == "Must not be empty."
    assert problems["description"] == "Must not be empty."
    assert problems["steps[1]"] == "Must be between 5 and 600, got 700."
    assert problems["default_minutes"] == (
        "Usual length: must lie between the shortest length (3) and the longest length (4)."
    )


def test_a_length_the_steps_cannot_reach_is_a_problem_of_that_length(library: Library) -> None:
    draft = three_moves(library)
    draft.set_minutes(1, 2, 30)
    problems = draft.problems()
    assert problems["min_minutes"].startswith("Shortest length: 1 min is shorter than the")
    assert problems["max_minutes"].startswith("Longest length: 30 min is longer than the")
    draft.fit_minutes()
    assert draft.problems() == {}


def test_a_name_taken_by_another_routine_is_refused(library: Library) -> None:
    draft = three_moves(library)
    draft.set_name("Morning wake-up")
    assert draft.problems() == {
        "name": "Another routine is called 'Morning wake-up'; choose another name."
    }
    draft.set_name("MORNING Wake-up!")  # the same id, once made from the name
    assert draft.problems() == {
        "name": "The name 'MORNING Wake-up!' gives the id morning-wake-up, which the routine "
        "'Morning wake-up' already has; choose another name."
    }


def test_remove_and_undo_put_the_step_back_where_it_was(library: Library) -> None:
    draft = three_moves(library)
    removed = draft.remove_step(1)
    assert removed.move.id == "jawline-glide"
    draft.remove_step(0)
    assert [s.move.id for s in draft.steps] == ["cheek-lift"]
    assert draft.undo() == 0
    assert draft.undo() == 1
    assert [s.move.id for s in draft.steps] == ["chin-flicks", "jawline-glide", "cheek-lift"]
    assert draft.undo() is None and not draft.can_undo


def test_reordering_moves_one_step_and_clamps_at_the_ends(library: Library) -> None:
    draft = three_moves(library)
    assert draft.move_down(0) == 1
    assert [s.move.id for s in draft.steps] == ["jawline-glide", "chin-flicks", "cheek-lift"]
    assert draft.move_up(0) == 0  # already first
    assert draft.move_step(0, 9) == 2
    assert [s.move.id for s in draft.steps] == ["chin-flicks", "cheek-lift", "jawline-glide"]


def test_a_duplicate_copies_a_builtin_under_a_name_of_its_own(library: Library) -> None:
    original = library.routines["morning-wake-up"]
    draft = RoutineDraft.duplicate(original, library)
    assert (draft.name, draft.routine_id, draft.path) == (
        "Morning wake-up (copy)",
        "morning-wake-up-copy",
        "",
    )
    routine = draft.to_routine()
    assert [s.move for s in routine.steps] == [s.move for s in original.steps]
    assert library.routines["morning-wake-up"] is original  # untouched


def test_counted_steps_count_reps_and_widen_their_limits(library: Library) -> None:
    counted = next(m for m in library.moves.values() if m.timing.counted)
    step = StepDraft.of_move(counted)
    assert step.unit == "reps" and step.amount == counted.timing.reps
    step.amount = counted.timing.max_reps + 1
    timing = step.to_step().move.timing
    assert timing.reps == timing.max_reps == counted.timing.max_reps + 1


def test_the_preview_gives_the_timeline_total_and_minutes_per_area(library: Library) -> None:
    draft = three_moves(library)
    preview = draft.preview()
    assert preview is not None
    assert preview.total.endswith("· 3 moves")
    assert [line.name for line in preview.lines] == ["Chin flicks", "Jawline glide", "Cheek lift"]
    areas = {item.area: item.seconds for item in preview.areas}
    assert areas["jawline"] > 0 and "forehead" not in areas


def test_the_saved_file_passes_validate(library: Library, tmp_path: Path, capsys) -> None:
    draft = three_moves(library)
    data = tmp_path / "data"
    target = write_atomically(user_file(data / "routines", draft.routine_id), draft.to_toml())
    assert main(["--data-dir", str(data), "routines", "validate", str(target)]) == 0
    assert capsys.readouterr().out == ""
    reread = load_library(builtin_routines_dir(), data / "routines")
    assert reread.routines["my-routine"].steps == draft.to_routine().steps


def test_editing_a_saved_routine_keeps_its_id_and_file(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    write_atomically(user_file(folder, "my-routine"), three_moves(library).to_toml())
    mine = load_library(builtin_routines_dir(), folder)
    draft = RoutineDraft.from_routine(mine.routines["my-routine"], mine)
    draft.set_name("Renamed")
    assert draft.routine_id == "my-routine"
    assert draft.problems() == {}  # its own id is not "taken"
    draft.set_name("evening WIND-DOWN")  # a built-in's name: two cards would read the same
    assert draft.problems() == {
        "name": "Another routine is called 'Evening wind-down'; choose another name."
    }


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("steps[2].seconds", "steps[2]"),
        ("prep[0]", "prep"),
        ("id", "name"),
        ("min_minutes", "min_minutes"),
        ("line 3, column 1", "routine"),
    ],
)
def test_field_of_maps_file_locations_to_fields(location: str, expected: str) -> None:
    assert field_of(location) == expected


def test_slug_is_empty_without_letters() -> None:
    assert slug("My Jaw & Neck!") == "my-jaw-neck"
    assert slug("!!!") == ""


def test_only_a_user_file_without_moves_is_edited_in_place(
    library: Library, tmp_path: Path
) -> None:
    folder = tmp_path / "routines"
    write_atomically(user_file(folder, "plain"), three_moves(library).to_toml())
    moves_too = (
        three_moves(library).to_toml().replace('"my-routine"', '"with-moves"')
        + '''
[[moves]]
id = "my-press"
name = "My press"
technique = "Press."
tool = "fingers"
areas = ["cheeks"]
pressure = { cheeks = "light" }
timing = { seconds = 30, min_seconds = 20, max_seconds = 60 }
cues = { intro = "My press." }
'''
    )
    write_atomically(user_file(folder, "with-moves"), moves_too)
    mine = load_library(builtin_routines_dir(), folder)
    assert mine.problems == []
    assert editable_in_place(mine.routines["my-routine"], mine)
    assert not editable_in_place(mine.routines["with-moves"], mine)
    assert not editable_in_place(mine.routines["morning-wake-up"], mine)


def test_a_steps_sides_can_be_set_and_survive_the_file(library: Library, tmp_path: Path) -> None:
    draft = three_moves(library)
    assert [step.sides for step in draft.steps] == ["both", "both", "both"]
    before = draft.preview()
    shortest = draft.min_minutes
    draft.set_sides(1, "each")
    assert draft.steps[1].sides == "each"
    assert draft.problems() == {}
    after = draft.preview()
    assert before is not None and after is not None
    # The lengths follow the steps: the second side makes the routine longer.
    assert draft.min_minutes > shortest and after.total != before.total
    assert [line.name for line in after.lines] == [
        "Chin flicks",
        "Jawline glide (left)",
        "Jawline glide (right)",
        "Cheek lift",
    ]
    routine = draft.to_routine()
    assert [step.sides for step in routine.steps] == ["both", "each", "both"]
    assert draft.to_toml().count('sides = "each"') == 1

    folder = tmp_path / "routines"
    write_atomically(user_file(folder, draft.routine_id), draft.to_toml())
    mine = load_library(builtin_routines_dir(), folder)
    reread = mine.routines[draft.routine_id]
    assert reread.steps == routine.steps
    again = RoutineDraft.from_routine(reread, mine)
    assert [step.sides for step in again.steps] == ["both", "each", "both"]
    assert again.to_toml() == draft.to_toml()


def test_sides_other_than_both_or_each_are_refused(library: Library) -> None:
    draft = three_moves(library)
    with pytest.raises(ValueError, match="both, each"):
        draft.set_sides(0, "left")
    assert draft.steps[0].sides == "both"
    with pytest.raises(ValueError, match="both, each"):
        StepDraft(library.moves["chin-flicks"], 30, sides="one")
