"""A move's areas are listed in one order everywhere: from the top of the face down."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.commands.plan import format_plan
from facegym_desktop.core.planner import plan
from facegym_desktop.core.vocabulary import (
    AREA_IDS,
    PRESSURE_IDS,
    in_face_order,
    pressure_phrase,
)
from tests.factories import routine_of, timed_move

pressures = st.dictionaries(
    st.sampled_from([*AREA_IDS, "elbow", ""]),
    st.sampled_from([*PRESSURE_IDS, "crushing"]),
)


@given(pressures)
def test_face_order_keeps_every_known_pair_from_the_top_down(pressure: dict[str, str]) -> None:
    pairs = in_face_order(pressure)
    known = {area: level for area, level in pressure.items() if area in AREA_IDS}
    known = {area: level for area, level in known.items() if level in PRESSURE_IDS}
    assert {area.id: level.id for area, level in pairs} == known
    positions = [AREA_IDS.index(area.id) for area, _ in pairs]
    assert positions == sorted(positions)


def test_the_written_order_of_a_move_does_not_change_the_listed_order() -> None:
    written = {"nasolabial": "semi-firm", "cheeks": "medium"}  # as a routine file may have it
    assert [area.label for area, _ in in_face_order(written)] == ["Cheeks", "Laugh lines"]


def test_the_plan_lists_a_moves_areas_from_the_top_down() -> None:
    move = timed_move()._replace(pressure={"jawline": "firm", "chin": "medium"})
    table = format_plan(plan(routine_of(move), 3))
    line = next(line for line in table.splitlines() if "Glide" in line)
    assert line.rstrip().endswith("chin medium, jawline firm")


def test_the_spoken_phrase_starts_with_the_firmest_level() -> None:
    phrase = pressure_phrase({"temples": "light", "cheeks": "medium", "forehead": "light"})
    assert phrase == "Medium pressure on the cheeks, light on the forehead and at the temples."
