"""Routines written back as TOML read back equal."""

from __future__ import annotations

import pytest

from facegym_desktop.core.library import load_library
from facegym_desktop.core.routine import Routine, Step, parse_text, resolve_routine
from facegym_desktop.core.routine_toml import RoutineDumpError, dump_routine
from facegym_desktop.paths import builtin_routines_dir

LIBRARY = load_library(builtin_routines_dir())
BUILTIN = sorted(LIBRARY.routines.values(), key=lambda routine: routine.id)


def read_back(text: str) -> Routine:
    parsed = parse_text(text, "back.toml", "user")
    routine = resolve_routine(parsed, LIBRARY.moves, "user")
    assert parsed.problems == []
    assert routine is not None
    return routine


@pytest.mark.parametrize("routine", BUILTIN, ids=lambda routine: routine.id)
def test_every_builtin_routine_round_trips(routine: Routine) -> None:
    text = dump_routine(routine, LIBRARY.moves)
    back = read_back(text)
    assert back._replace(path=routine.path, source=routine.source) == routine
    assert dump_routine(back, LIBRARY.moves) == text


def test_only_overrides_are_written() -> None:
    text = dump_routine(LIBRARY.routines["roller-de-puff"], LIBRARY.moves)
    assert "Neck drainage again." in text  # the second neck-drainage step's intro
    assert text.count("technique") == 0


def test_odd_text_is_escaped_and_read_back() -> None:
    routine = LIBRARY.routines["morning-wake-up"]._replace(
        name='Quotes " and \\ backslash',
        description="Two lines\nand a tab\there, é ü 中",
    )
    back = read_back(dump_routine(routine, LIBRARY.moves))
    assert back.name == routine.name and back.description == routine.description


def test_a_move_changed_beyond_the_overrides_is_refused() -> None:
    routine = LIBRARY.routines["morning-wake-up"]
    step = routine.steps[0]
    odd = routine._replace(steps=(Step(step.move._replace(name="Renamed")), *routine.steps[1:]))
    with pytest.raises(RoutineDumpError, match="steps\\[0\\]"):
        dump_routine(odd, LIBRARY.moves)
    unknown = step.move._replace(id="not-in-library")
    with pytest.raises(RoutineDumpError, match="not in the library"):
        dump_routine(routine._replace(steps=(Step(unknown),)), LIBRARY.moves)


def test_a_steps_own_sides_are_written_only_where_they_differ_from_the_moves() -> None:
    routine = LIBRARY.routines["morning-wake-up"]
    plain = dump_routine(routine, LIBRARY.moves)
    assert "sides" not in plain
    first, *others = routine.steps
    flipped = "each" if first.move.sides == "both" else "both"
    changed = routine._replace(steps=(first._replace(sides=flipped), *others))
    text = dump_routine(changed, LIBRARY.moves)
    assert text.count("sides") == 1 and f'sides = "{flipped}"' in text
    back = read_back(text)
    assert back.steps[0].sides == flipped and back.steps[0].move == first.move
    assert back._replace(path=routine.path, source=routine.source) == changed
    assert dump_routine(back, LIBRARY.moves) == text
    same = routine._replace(steps=(first._replace(sides=first.move.sides), *others))
    assert dump_routine(same, LIBRARY.moves) == plain


def test_a_one_sided_move_set_to_both_round_trips() -> None:
    one_sided = next(move for move in LIBRARY.moves.values() if move.sides == "each")
    routine = LIBRARY.routines["morning-wake-up"]._replace(steps=(Step(one_sided, 0, "both"),))
    text = dump_routine(routine, LIBRARY.moves)
    assert 'sides = "both"' in text
    assert read_back(text).steps == (Step(one_sided, 0, "both"),)
