"""Property: every draft the model accepts is a routine file that validates and plans.

Random drafts (moves, amounts, rests, sides, lengths, names, removals, undos and
reorders) are checked: when the draft reports no problem, its TOML passes ``facegym routines
validate`` and plans to its shortest, usual and longest length within a second.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from facegym_desktop.cli import main
from facegym_desktop.core.library import Library, load_library
from facegym_desktop.core.planner import length_bounds, plan
from facegym_desktop.core.routine import SIDES
from facegym_desktop.core.routine_draft import RoutineDraft
from facegym_desktop.core.routine_store import user_file, write_atomically
from facegym_desktop.core.vocabulary import ROUTINE_KINDS
from facegym_desktop.paths import builtin_routines_dir

LIBRARY: Library = load_library(builtin_routines_dir())
MOVE_IDS = sorted(LIBRARY.moves)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(MOVE_IDS)),
        st.tuples(st.just("amount"), st.integers(0, 30), st.integers(1, 130)),
        st.tuples(st.just("rest"), st.integers(0, 30), st.integers(0, 60)),
        st.tuples(st.just("sides"), st.integers(0, 30), st.sampled_from(SIDES)),
        st.tuples(st.just("sides"), st.integers(0, 30), st.sampled_from(SIDES)),
        st.tuples(st.just("remove"), st.integers(0, 30)),
        st.tuples(st.just("undo")),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 30)),
        st.tuples(st.just("fit")),
        st.tuples(st.just("fit")),
        st.tuples(
            st.just("minutes"),  # by hand: often out of reach, then "fit" again
            st.sampled_from([1, 1.5, 2, 3, 4.5, 5, 8, 12, 20]),
            st.sampled_from([1.5, 2, 3, 5, 6, 10, 15]),
            st.sampled_from([2, 3, 5, 8, 10, 15, 25]),
        ),
        st.tuples(
            st.just("name"),
            st.one_of(st.sampled_from(["Neck and jaw", "Zz", "Évening 2"]), st.text(max_size=20)),
        ),
        st.tuples(st.just("kind"), st.sampled_from(ROUTINE_KINDS)),
    ),
    min_size=1,
    max_size=14,
)


def apply(draft: RoutineDraft, operation: tuple) -> None:
    name, *args = operation
    count = len(draft.steps)
    if name == "add":
        draft.add_step(args[0])
    elif name == "amount" and count:
        draft.set_amount(args[0] % count, args[1])
    elif name == "rest" and count:
        draft.set_rest(args[0] % count, args[1])
    elif name == "sides" and count:
        draft.set_sides(args[0] % count, args[1])
    elif name == "remove" and count:
        draft.remove_step(args[0] % count)
    elif name == "undo":
        draft.undo()
    elif name == "move" and count:
        draft.move_step(args[0] % count, args[1])
    elif name == "fit":
        draft.fit_minutes()
    elif name == "minutes":
        draft.set_minutes(*args)
    elif name == "name":
        draft.set_name(args[0])
    elif name == "kind":
        draft.kind = args[0]


def validate_and_plan(draft: RoutineDraft) -> None:
    """The draft's file passes ``routines validate``, reads back with the same sides, and
    plans to its shortest, usual and longest length within a second."""
    routine = draft.to_routine()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        target = write_atomically(user_file(data / "routines", routine.id), draft.to_toml())
        assert main(["--data-dir", str(data), "routines", "validate", str(target)]) == 0
        reread = load_library(builtin_routines_dir(), data / "routines").routines[routine.id]
    assert reread.steps == routine.steps
    for minutes in (routine.min_minutes, routine.default_minutes, routine.max_minutes):
        assert abs(plan(reread, minutes).total_seconds - minutes * 60) <= 1.0


@pytest.mark.slow
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations)
def test_every_accepted_draft_validates_and_plans_to_each_length(ops: list[tuple]) -> None:
    draft = RoutineDraft(LIBRARY)
    for operation in ops:
        apply(draft, operation)
    if draft.problems():
        event("refused")
        assert draft.preview() is None
        return
    event("accepted")
    if any(step.sides != step.move.sides for step in draft.steps):
        event("a step on other sides than its move's")
    validate_and_plan(draft)


@pytest.mark.slow
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.sampled_from(MOVE_IDS), st.sampled_from(SIDES)), min_size=1, max_size=8)
)
def test_any_sides_on_any_steps_save_validate_and_plan(steps: list[tuple[str, str]]) -> None:
    draft = RoutineDraft(LIBRARY)
    for index, (move_id, sides) in enumerate(steps):
        draft.add_step(move_id)
        draft.set_sides(index, sides)
    as_steps = LIBRARY.routines["morning-wake-up"]._replace(
        steps=tuple(step.to_step() for step in draft.steps),
        prep_seconds=draft.prep_seconds,
        transition_seconds=draft.transition_seconds,
    )
    shortest, longest = length_bounds(as_steps)
    if max(2, math.ceil(shortest / 30)) > math.floor(longest / 30):
        # Lengths are offered in half minutes from one minute up; none is in reach.
        event("no half minute in reach")
        assert set(draft.problems()) <= {"min_minutes", "default_minutes", "max_minutes"}
        return
    assert draft.problems() == {}
    assert [step.sides for step in draft.to_routine().steps] == [sides for _, sides in steps]
    validate_and_plan(draft)
