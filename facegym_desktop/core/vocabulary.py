"""The closed vocabularies routines are written in: areas, pressure levels, tools.

Order matters: areas run from the top of the face down, pressure levels from the
lightest touch to the firmest, so the UI can draw scales and lists in this order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class Area(NamedTuple):
    """A face area a move can work on."""

    id: str
    label: str
    spoken: str  # how the coach says it: "on the forehead", "under the eyes"
    delicate: bool = False


AREAS: tuple[Area, ...] = (
    Area("forehead", "Forehead", "on the forehead"),
    Area("brows", "Brows", "along the brows"),
    Area("temples", "Temples", "at the temples"),
    Area("under-eyes", "Under-eyes", "under the eyes", delicate=True),
    Area("nose", "Nose", "beside the nose"),
    Area("cheeks", "Cheeks", "on the cheeks"),
    Area("nasolabial", "Laugh lines", "along the laugh lines"),
    Area("mouth", "Mouth", "around the mouth"),
    Area("chin", "Chin", "on the chin"),
    Area("jawline", "Jawline", "along the jawline"),
    Area("neck", "Neck", "on the neck"),
)
AREA_BY_ID: dict[str, Area] = {area.id: area for area in AREAS}
AREA_IDS: tuple[str, ...] = tuple(area.id for area in AREAS)


class PressureLevel(NamedTuple):
    """One step of the pressure scale, lightest first."""

    id: str
    label: str
    rank: int  # 1 = lightest
    feel: str  # one line on how it should feel


PRESSURE_LEVELS: tuple[PressureLevel, ...] = (
    PressureLevel("feather", "Feather", 1, "The skin barely moves under your fingertips."),
    PressureLevel("light", "Light", 2, "Fingers glide over the skin without pulling it."),
    PressureLevel("medium", "Medium", 3, "You can feel the muscle underneath, no ache."),
    PressureLevel("semi-firm", "Semi-firm", 4, "A steady press that smooths the fold out."),
    PressureLevel("firm", "Firm", 5, "A deep press along the bone, never on soft tissue."),
)
PRESSURE_BY_ID: dict[str, PressureLevel] = {level.id: level for level in PRESSURE_LEVELS}
PRESSURE_IDS: tuple[str, ...] = tuple(level.id for level in PRESSURE_LEVELS)


def in_face_order(pressure: Mapping[str, str]) -> list[tuple[Area, PressureLevel]]:
    """A move's ``{area id: level id}`` pressure as (area, level) pairs, areas from the
    top of the face down: the one order every list of a move's areas uses.

    Unknown area or level ids are left out.
    """
    return [
        (area, PRESSURE_BY_ID[pressure[area.id]])
        for area in AREAS
        if pressure.get(area.id) in PRESSURE_BY_ID
    ]

# The lightest level allowed on delicate areas: the under-eye skin is thin.
DELICATE_MAX_RANK = PRESSURE_BY_ID["light"].rank

TOOLS: tuple[str, ...] = ("fingers", "knuckles", "thumbs", "gua-sha", "roller")
ROUTINE_KINDS: tuple[str, ...] = ("daily", "extended", "relax", "tool")


def pressure_phrase(pressure: Mapping[str, str]) -> str:
    """Speakable summary: "Medium pressure on the cheeks, feather under the eyes".

    Firmest level first; the areas of one level from the top of the face down.
    """
    by_level: dict[str, list[str]] = {}
    for area, level in in_face_order(pressure):
        by_level.setdefault(level.id, []).append(area.spoken)
    parts = []
    for level_id in sorted(by_level, key=lambda lv: -PRESSURE_BY_ID[lv].rank):
        places = by_level[level_id]
        where = places[0] if len(places) == 1 else ", ".join(places[:-1]) + " and " + places[-1]
        parts.append(f"{PRESSURE_BY_ID[level_id].label.lower()} {where}")
    if not parts:
        return ""
    first = parts[0].split(" ", 1)
    parts[0] = f"{first[0]} pressure {first[1]}"
    return (", ".join(parts)).capitalize() + "."
