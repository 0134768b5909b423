"""Compose a balanced routine of any length from the move library.  Pure; no Qt.

Input: a length in minutes, focus areas (ids from :mod:`vocabulary`) and the tools at
hand (``TOOLS``).  Output: a :class:`Routine` that validates like a routine file,
plans to exactly that length at its default (within a second) and runs from
``min_minutes`` to ``max_minutes``.  :func:`compose` raises :class:`CompositionError`
with a reason a person can act on when the request cannot be met.

Shape of every composed routine:

1. **Opening: lymphatic drainage strokes.**  A drainage stroke is a timed move whose
   every area takes at most light pressure and whose strokes are all glides.  The
   opening clears the neck first (a drainage stroke that works the neck, one done on
   both sides at once preferred), and, when the length leaves room, adds the stroke
   that sweeps the most face areas.
2. **Middle: moves for the focus areas**, at least one for each focus area (the move
   whose firmest pressure falls on that area is preferred, then one that also works
   other focus areas, then one that uses a tool at hand other than the fingers).
   Longer sessions add further moves for the focus areas in turn.  With focus areas,
   every move in the middle works at least one of them (a *focus move*) whenever the
   focus moves can fill the length: first each is lengthened within its range, then
   they come again in further passes (at most ``MAX_ROUNDS`` in all).  Only when all
   those passes still fall short does the middle take *filler* moves for other areas
   (most areas not yet worked first), and the routine's description says so.
   Without focus areas the middle works the whole face, most areas not yet worked
   first, so the face is balanced.  Each pass runs from the lowest area up, as the
   built-in extended session does.
3. **Close: a calm move**, every area at light pressure or less (the lightest
   there is, a counted breathing move preferred).

Moves are added while the written lengths still fall short of the chosen length by
more than half the next move, so a short session is a handful of unhurried moves;
the planner then scales them, and the amounts it chooses become the steps' written
seconds and reps, so the file reads as the session plays.

**Pressure rule.**  Each area has a pressure ceiling, and no move that presses an
area harder than its ceiling is chosen, anywhere in the routine:

- a delicate area (``Area.delicate``, the under-eyes) is capped at light, as the
  routine format requires;
- a caution that names an area and a pressure level in the same sentence ("Under
  the eyes, a feather touch only.") caps that area at that level, and "gentle" or
  "gently" there means light.  Every caution in the library counts, whether or not
  its move is chosen or its tool is at hand, because it speaks about the face, not
  the tool.

So a firm or semi-firm move never lands on an area a caution says to treat gently,
and the opening and close never press harder than light anywhere.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from facegym_desktop.core.planner import (
    SWITCH_SECONDS,
    count_lead_seconds,
    fixed_seconds,
    length_bounds,
    plan,
)
from facegym_desktop.core.routine import (
    ID_PATTERN,
    MAX_NAME,
    MAX_STEPS,
    MINUTES_RANGE,
    Move,
    Routine,
    Step,
    side_count,
)
from facegym_desktop.core.routine_checks import MAX_TEXT
from facegym_desktop.core.vocabulary import (
    AREA_BY_ID,
    AREA_IDS,
    AREAS,
    DELICATE_MAX_RANK,
    PRESSURE_BY_ID,
    PRESSURE_IDS,
    PRESSURE_LEVELS,
    TOOLS,
)

PREP_SECONDS = 15
TRANSITION_SECONDS = 5
LIGHT_RANK = PRESSURE_BY_ID["light"].rank
FIRMEST_RANK = max(level.rank for level in PRESSURE_LEVELS)
HANDS = "fingers"  # the tool every person has; the others are worth using when at hand
DEFAULT_NAME = "My routine"
# A long session goes over the face again rather than stretching every move: at most
# this many passes, so no move comes more than this many times.
MAX_ROUNDS = 3
EXTENDED_MINUTES = 15  # from this length on, a composed routine is an extended session
_TOOL_PREP = {
    "roller": "A clean facial roller",
    "gua-sha": "A clean gua sha stone",
}
_GENTLE_WORDS = re.compile(r"\bgentl(e|y)\b", re.IGNORECASE)
_LEVEL_WORDS = re.compile(
    r"\b(" + "|".join(sorted(PRESSURE_IDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


class CompositionError(ValueError):
    """The request cannot be met; ``str(error)`` says why, in words a person can act on."""


@dataclass(frozen=True)
class Request:
    """What to compose: ``minutes`` long, working ``areas``, with ``tools`` at hand.

    ``areas`` may be empty (a balanced whole-face routine); ``name`` becomes the
    routine's name and, through :func:`slug`, its id.
    """

    minutes: float
    areas: tuple[str, ...] = ()
    tools: tuple[str, ...] = (HANDS,)
    name: str = DEFAULT_NAME


def slug(name: str) -> str:
    """A routine id from a name: "My Jaw & Neck!" -> "my-jaw-neck" (never empty)."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    text = "-".join(words)[:MAX_NAME].strip("-")
    return text if text and ID_PATTERN.match(text) else slug(DEFAULT_NAME)


def pressure_ceilings(moves: Iterable[Move]) -> dict[str, int]:
    """The firmest pressure rank each area may take, by area id (see the module doc)."""
    ceilings = {
        area.id: DELICATE_MAX_RANK if area.delicate else FIRMEST_RANK for area in AREAS
    }
    for move in moves:
        for sentence in re.split(r"[.;!?]", move.caution):
            ranks = [PRESSURE_BY_ID[word.lower()].rank for word in _LEVEL_WORDS.findall(sentence)]
            if _GENTLE_WORDS.search(sentence):
                ranks.append(LIGHT_RANK)
            if not ranks:
                continue
            for area_id in _areas_named(sentence):
                ceilings[area_id] = min(ceilings[area_id], min(ranks))
    return ceilings


def _areas_named(sentence: str) -> list[str]:
    found = []
    for area in AREAS:
        names = {area.label.lower(), area.label.lower().replace("-", " "), area.spoken}
        for name in names:
            stem = re.escape(name[:-1] if name.endswith("s") else name)
            if re.search(rf"\b{stem}s?\b", sentence, re.IGNORECASE):
                found.append(area.id)
                break
    return found


def within_ceilings(move: Move, ceilings: Mapping[str, int]) -> bool:
    """Whether ``move`` presses no area harder than that area's ceiling."""
    return all(
        PRESSURE_BY_ID[level].rank <= ceilings[area] for area, level in move.pressure.items()
    )


def _firmest(move: Move) -> int:
    return max(PRESSURE_BY_ID[level].rank for level in move.pressure.values())


def is_drainage_stroke(move: Move) -> bool:
    """A timed move, at most light on every area, whose strokes are all glides."""
    return (
        not move.timing.counted
        and _firmest(move) <= LIGHT_RANK
        and bool(move.strokes)
        and all(stroke.style == "glide" for stroke in move.strokes)
    )


def is_calm(move: Move) -> bool:
    """A move at most light on every area: fit to close a session."""
    return _firmest(move) <= LIGHT_RANK


def written_seconds(step: Step) -> float:
    """The step's written length in a session, in seconds: its move's written seconds or
    reps on each of the step's sides, the switch between sides and the count lead
    included."""
    return _fixed_part(step) + _scaled_part(step)


def _height(move: Move) -> int:
    """How low on the face the move reaches (a larger number is lower)."""
    return max(AREA_IDS.index(area) for area in move.areas)


class _Picker:
    """The moves a request may use, and the choices already made."""

    def __init__(self, moves: Mapping[str, Move], request: Request) -> None:
        ceilings = pressure_ceilings(moves.values())
        self.tools = set(request.tools)
        self.focus = request.areas
        self.usable = [
            move
            for move in sorted(moves.values(), key=lambda m: m.id)
            if move.tool in self.tools and within_ceilings(move, ceilings)
        ]
        self.used: set[str] = set()
        # Never free again: the opening and close, and focus moves that had all their rounds.
        self.reserved: set[str] = set()
        self.round = 0  # how many times the middle has started over

    def new_round(self) -> bool:
        """Let the moves used so far (all but the reserved ones) be used again.

        Returns False when that frees nothing.
        """
        again = self.used - self.reserved
        if not again or self.round + 1 >= MAX_ROUNDS:
            return False
        self.used -= again
        self.round += 1
        return True

    def retire(self) -> None:
        """Keep every move used so far from coming again; rounds count from the first."""
        self.reserved |= self.used
        self.round = 0

    def free(self) -> list[Move]:
        return [move for move in self.usable if move.id not in self.used]

    def take(self, move: Move) -> Move:
        self.used.add(move.id)
        return move

    def close(self) -> Move | None:
        calm = [move for move in self.free() if is_calm(move)]
        if not calm:
            return None
        return self.take(
            min(calm, key=lambda m: (_firmest(m), not m.timing.counted, -len(m.areas), m.id))
        )

    def neck_stroke(self) -> Move | None:
        strokes = [m for m in self.free() if is_drainage_stroke(m) and "neck" in m.areas]
        if not strokes:
            return None
        return self.take(min(strokes, key=lambda m: (m.sides != "both", len(m.areas), m.id)))

    def sweep(self) -> Move | None:
        strokes = [m for m in self.free() if is_drainage_stroke(m)]
        if not strokes:
            return None
        return min(strokes, key=lambda m: (-len(m.areas), m.sides != "both", m.id))

    def for_area(self, area: str) -> Move | None:
        """The best free move for ``area`` (see the module doc), or None."""
        candidates = [m for m in self.free() if area in m.areas]
        if not candidates:
            return None

        def score(move: Move) -> tuple[bool, int, bool, str]:
            main = PRESSURE_BY_ID[move.pressure[area]].rank == _firmest(move)
            focus = sum(a in self.focus for a in move.areas)
            return (not main, -focus, move.tool == HANDS, move.id)

        return min(candidates, key=score)

    def balancing(self, worked: set[str]) -> Move | None:
        """A free move for the areas not yet worked, most new areas first."""
        candidates = self.free()
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda m: (-len(set(m.areas) - worked), m.tool == HANDS, _firmest(m), m.id),
        )


def _check_request(request: Request) -> None:
    low, high = MINUTES_RANGE
    if not (math.isfinite(request.minutes) and low <= request.minutes <= high):
        raise CompositionError(
            f"a routine runs from {low} to {high} minutes, not {request.minutes:g}"
        )
    unknown = [area for area in request.areas if area not in AREA_BY_ID]
    if unknown:
        raise CompositionError(
            f"unknown area {', '.join(unknown)} (known: {', '.join(AREA_IDS)})"
        )
    odd = [tool for tool in request.tools if tool not in TOOLS]
    if odd:
        raise CompositionError(f"unknown tool {', '.join(odd)} (known: {', '.join(TOOLS)})")
    if not request.tools:
        raise CompositionError(f"name at least one tool ({', '.join(TOOLS)})")


def compose(moves: Mapping[str, Move], request: Request) -> Routine:
    """A balanced routine of ``request.minutes`` from ``moves`` (by id, as in a Library).

    The routine's ``default_minutes`` is the requested length, its plan lasts that
    long within a second, every focus area is worked, every move uses a tool at hand
    and respects the pressure ceilings (module doc).  With focus areas, every move in
    the middle works one of them unless those moves cannot fill the length; then the
    description says other areas fill it out.  Raises
    :class:`CompositionError` for an unknown area or tool, an area no usable move
    works, no calm move to open or close with, or a length the moves cannot fill.
    """
    _check_request(request)
    areas = tuple(area for area in AREA_IDS if area in request.areas)
    request = replace(request, areas=areas, tools=tuple(t for t in TOOLS if t in request.tools))
    tools_text = ", ".join(request.tools)
    picker = _Picker(moves, request)
    close = picker.close()
    first = picker.neck_stroke() or picker.sweep()
    if close is None or first is None:
        raise CompositionError(
            f"no light drainage stroke or calm move to open and close with {tools_text}"
        )
    picker.take(first)
    picker.reserved = {close.id, first.id}
    middle: list[tuple[int, Move]] = []
    for area in areas:
        if any(area in move.areas for move in (first, *(m for _, m in middle))):
            continue
        move = picker.for_area(area)
        if move is None and area not in close.areas:
            raise CompositionError(
                f"no move works the {AREA_BY_ID[area].label.lower()} with {tools_text}"
            )
        if move is not None:
            middle.append((0, picker.take(move)))
    opening = [first]
    budget = request.minutes * 60
    required = _draft(request, opening, middle, close)
    shortest, _ = length_bounds(required)
    if shortest > budget + 1:
        raise CompositionError(
            f"{_minutes(request.minutes)} is too short for these areas: "
            f"the moves need at least {_up(shortest):g} minutes"
        )
    opening, middle = _fill(picker, request, opening, middle, close, budget)
    draft = _draft(request, opening, middle, close)
    shortest, longest = length_bounds(draft)
    if longest < budget - 1:
        raise CompositionError(
            f"{_minutes(request.minutes)} is longer than these moves can fill with "
            f"{tools_text}: at most {_down(longest):g} minutes"
        )
    return _settle(draft, budget)


def _draft(
    request: Request,
    opening: list[Move],
    middle: list[tuple[int, Move]],
    close: Move,
) -> Routine:
    # Each pass over the face runs from the lowest area up; picks keep their order.
    ordered = [move for _, move in sorted(middle, key=lambda rm: (rm[0], -_height(rm[1])))]
    steps = tuple(Step(move) for move in (*opening, *ordered, close))
    minutes = request.minutes
    used_tools = {step.move.tool for step in steps}
    tools = tuple(tool for tool in TOOLS if tool in used_tools)
    areas = [AREA_BY_ID[a].label.lower() for a in request.areas]
    focus = f"the {_join(areas)}" if areas else "the whole face"
    fillers = bool(areas) and any(
        not any(area in request.areas for area in move.areas) for _, move in middle
    )
    prep = ["Clean hands", "A clean face", "A few drops of serum or oil"]
    prep += [_TOOL_PREP[tool] for tool in tools if tool in _TOOL_PREP]
    return Routine(
        id=slug(request.name),
        name=request.name.strip()[:MAX_NAME] or DEFAULT_NAME,
        description=_description(minutes, tools, focus, fillers),
        kind="extended" if minutes >= EXTENDED_MINUTES else "daily",
        default_minutes=minutes,
        min_minutes=MINUTES_RANGE[0],
        max_minutes=MINUTES_RANGE[1],
        prep=tuple(prep),
        steps=steps,
        prep_seconds=PREP_SECONDS,
        transition_seconds=TRANSITION_SECONDS,
        tools=tools,
        source="user",
    )


def _description(minutes: float, tools: Sequence[str], focus: str, fillers: bool) -> str:
    """What the routine does; with ``fillers``, that other areas fill out the time."""
    notes = [f" (too few moves for {minutes:g} minutes, so other areas too)", " and other areas"]
    for note in notes if fillers else [""]:
        text = (
            f"Composed for {minutes:g} minutes with {_join(list(tools))}: light drainage "
            f"strokes first, then {focus}{note}, and a calm close. Skip broken or "
            "irritated skin, and stop if anything hurts."
        )
        if len(text) <= MAX_TEXT:
            break
    return text


def _written(routine: Routine) -> float:
    return fixed_seconds(routine) + sum(_scaled_part(step) for step in routine.steps)


def _scaled_part(step: Step) -> float:
    """What :func:`written_seconds` counts that the planner scales."""
    timing = step.move.timing
    per_side = timing.reps * timing.seconds_per_rep if timing.counted else timing.seconds
    return side_count(step.sides) * per_side


def _fixed_part(step: Step) -> float:
    """What :func:`written_seconds` counts that the planner counts as fixed."""
    sides = side_count(step.sides)
    lead = count_lead_seconds(step.move) * sides if step.move.timing.counted else 0
    return lead + (SWITCH_SECONDS if sides == 2 else 0)


def _fill(
    picker: _Picker,
    request: Request,
    opening: list[Move],
    middle: list[tuple[int, Move]],
    close: Move,
    budget: float,
) -> tuple[list[Move], list[tuple[int, Move]]]:
    """Add moves while the written length falls short (or the longest cannot reach).

    With focus areas, only focus moves are added (in up to ``MAX_ROUNDS`` passes) until
    they run out with the longest still short of ``budget``; then filler moves.
    """
    sweep = picker.sweep()
    pending_sweep = sweep is not None and opening[0] is not sweep
    turn = 0
    filling = not request.areas  # whether moves for any area may be added
    while len(opening) + len(middle) + 1 < MAX_STEPS:
        current = _draft(request, opening, middle, close)
        written = _written(current)
        _, longest = length_bounds(current)
        candidate: Move | None = None
        into_opening = False
        if pending_sweep and sweep is not None and sweep.id not in picker.used:
            candidate, into_opening = sweep, True
        elif not filling:
            for offset in range(len(request.areas)):
                area = request.areas[(turn + offset) % len(request.areas)]
                candidate = picker.for_area(area)
                if candidate is not None:
                    turn += offset + 1
                    break
        else:
            worked = {area for step in current.steps for area in step.move.areas}
            candidate = picker.balancing(worked)
        if candidate is None and longest < budget:
            if picker.new_round():
                continue
            if not filling:  # the focus moves cannot fill the length: fillers may come
                filling = True
                picker.retire()
                continue
        pending_sweep = False
        if candidate is None:
            break
        cost = written_seconds(Step(candidate)) + TRANSITION_SECONDS
        if written + cost / 2 > budget and longest >= budget:
            break
        picker.take(candidate)
        if into_opening:
            picker.reserved.add(candidate.id)
            opening.append(candidate)
        else:
            middle.append((picker.round, candidate))
    return opening, middle


def _settle(draft: Routine, budget: float) -> Routine:
    """Write the planned amounts into the steps and set the reachable length range."""
    timeline = plan(draft, draft.default_minutes)
    amounts: dict[int, int] = {}
    for segment in timeline.move_segments:
        if segment.step is not None and segment.step not in amounts:
            amounts[segment.step] = (
                segment.reps if segment.reps is not None else round(segment.duration)
            )
    steps = []
    for index, step in enumerate(draft.steps):
        timing = step.move.timing
        if timing.counted:
            timing = timing._replace(reps=amounts[index])
        else:
            timing = timing._replace(seconds=amounts[index])
        steps.append(step._replace(move=step.move._replace(timing=timing)))
    settled = draft._replace(steps=tuple(steps))
    shortest, longest = length_bounds(settled)
    minutes = draft.default_minutes
    low = max(float(MINUTES_RANGE[0]), min(minutes, _up(shortest)))
    high = min(float(MINUTES_RANGE[1]), max(minutes, _down(longest)))
    settled = settled._replace(min_minutes=low, max_minutes=high)
    total = plan(settled, minutes).total_seconds
    if abs(total - budget) > 1:  # the planner promises this; a broken promise is a bug
        raise AssertionError(f"composed routine plans to {total} s, not {budget} s")
    return settled


def _minutes(value: float) -> str:
    return "1 minute" if value == 1 else f"{value:g} minutes"


def _up(seconds: float) -> float:
    """Seconds as minutes, rounded up to the half minute."""
    return math.ceil(seconds / 30 - 1e-9) / 2


def _down(seconds: float) -> float:
    """Seconds as minutes, rounded down to the half minute."""
    return math.floor(seconds / 30 + 1e-9) / 2


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
