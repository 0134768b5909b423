"""Write a :class:`Routine` back out as routine-file TOML (docs/routine-format.md).

The text holds the routine's top-level keys and one ``[[steps]]`` table per step.
A step names its move by id and writes only what differs from the library's move
(the overrides a routine file may give: ``sides``, seconds or reps and their limits,
pressure, intro, technique, tips) plus ``rest_after``, so ``sides`` appears only on
a step that runs its move otherwise than the move's own ``sides``.  Parsing the text
with the same library gives back an equal routine (apart from ``path`` and
``source``, which say where a routine was read from, not what it is)::

    text = dump_routine(routine, library.moves)
    parsed = parse_text(text, "mine.toml", "user")
    resolve_routine(parsed, library.moves, "user") == replace(routine, path=..., source=...)

The TOML itself is written by ``tomli_w``, the writing half of the standard
library's ``tomllib``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import tomli_w

from facegym_desktop.core.routine import Move, Routine, Step

_TIMED_OVERRIDES = ("seconds", "min_seconds", "max_seconds")
_COUNTED_OVERRIDES = ("reps", "min_reps", "max_reps")


class RoutineDumpError(ValueError):
    """A step's move differs from the library's in a way a routine file cannot say."""


def _number(value: float) -> int | float:
    """Whole numbers as TOML integers (``5``, not ``5.0``); others as they are."""
    return int(value) if float(value).is_integer() else float(value)


def step_table(step: Step, base: Move, index: int = 0) -> dict[str, Any]:
    """The ``[[steps]]`` table for ``step``, whose move is ``base`` with overrides.

    Raises :class:`RoutineDumpError` when ``step.move`` differs from ``base`` in
    anything but the overridable fields (or is another move altogether).
    """
    move = step.move
    timing_keys = _COUNTED_OVERRIDES if base.timing.counted else _TIMED_OVERRIDES
    table: dict[str, Any] = {"move": base.id}
    if step.sides != base.sides:
        table["sides"] = step.sides
    for key in timing_keys:
        value = getattr(move.timing, key)
        if value != getattr(base.timing, key):
            table[key] = value
    changed_pressure = {
        area: level for area, level in move.pressure.items() if base.pressure.get(area) != level
    }
    if changed_pressure:
        table["pressure"] = changed_pressure
    if move.cues.intro != base.cues.intro:
        table["intro"] = move.cues.intro
    if move.cues.technique != base.cues.technique:
        table["technique"] = move.cues.technique
    if move.cues.tips != base.cues.tips:
        table["tips"] = list(move.cues.tips)
    if step.rest_after:
        table["rest_after"] = step.rest_after
    # Everything else must be the library's move exactly, or the file would lie.
    timing = base.timing._replace(**{key: getattr(move.timing, key) for key in timing_keys})
    expected = base._replace(
        timing=timing,
        pressure={**base.pressure, **changed_pressure},
        cues=move.cues,
    )
    if move != expected:
        raise RoutineDumpError(
            f"steps[{index}]: move {base.id!r} differs from the library's move "
            "in more than a routine file can override"
        )
    return table


def routine_table(routine: Routine, moves: Mapping[str, Move]) -> dict[str, Any]:
    """The routine as the plain table its file holds (keys in the documented order).

    ``moves`` is the library the file will be read with; every step's move must be
    in it.  Raises :class:`RoutineDumpError` otherwise.
    """
    steps = []
    for index, step in enumerate(routine.steps):
        base = moves.get(step.move.id)
        if base is None:
            raise RoutineDumpError(f"steps[{index}]: move {step.move.id!r} is not in the library")
        steps.append(step_table(step, base, index))
    return {
        "id": routine.id,
        "name": routine.name,
        "description": routine.description,
        "kind": routine.kind,
        "default_minutes": _number(routine.default_minutes),
        "min_minutes": _number(routine.min_minutes),
        "max_minutes": _number(routine.max_minutes),
        "prep": list(routine.prep),
        "prep_seconds": routine.prep_seconds,
        "transition_seconds": routine.transition_seconds,
        "tools": list(routine.tools),
        "steps": steps,
    }


def dump_routine(routine: Routine, moves: Mapping[str, Move]) -> str:
    """Routine-file TOML text for ``routine``, read back equal with the same ``moves``.

    Raises :class:`RoutineDumpError` when a step cannot be written as a reference to
    a library move plus overrides.
    """
    return tomli_w.dumps(routine_table(routine, moves))
