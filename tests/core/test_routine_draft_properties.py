"""Property: every draft the model accepts is a routine file that validates and plans.

Random drafts (moves, amounts, rests, lengths, names, removals, undos and reorders)
are checked: when the draft reports no problem, its TOML passes ``facegym routines
validate`` and plans to its shortest, usual and longest length within a second.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from facegym_desktop.cli import main
from facegym_desktop.core.library import Library, load_library
from facegym_desktop.core.planner import plan
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
    routine = draft.to_routine()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        target = write_atomically(user_file(data / "routines", routine.id), draft.to_toml())
        assert main(["--data-dir", str(data), "routines", "validate", str(target)]) == 0
    for minutes in (routine.min_minutes, routine.default_minutes, routine.max_minutes):
        assert abs(plan(routine, minutes).total_seconds - minutes * 60) <= 1.0
