"""Moves and routines: the records and the strict, kind validation of TOML data.

Every routine file is untrusted.  Parsing never raises on bad content: each problem
is collected as a :class:`Problem` naming the file, the place (``steps[2].seconds``)
and what is wrong, so a user sees all of them at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from facegym_desktop.core.routine_checks import (
    MAX_TEXT,
    Checker,
    Problem,
    describe,
    format_number,
    quoted,
    read_toml,
)
from facegym_desktop.core.routine_text import MULTILINE
from facegym_desktop.core.vocabulary import (
    AREA_BY_ID,
    AREA_IDS,
    DELICATE_MAX_RANK,
    PRESSURE_BY_ID,
    PRESSURE_IDS,
    ROUTINE_KINDS,
    TOOLS,
)

if TYPE_CHECKING:
    from facegym_desktop.core.toml_cache import TomlCache

MAX_FILE_BYTES = 256 * 1024
TOO_LARGE = f"is larger than {MAX_FILE_BYTES // 1024} KiB; is this a routine file?"
MAX_MOVES_PER_FILE = 200
MAX_STEPS = 60
MAX_NAME = 60
MAX_STROKES = 8
MAX_STROKE_POINTS = 32
SECONDS_RANGE = (5, 600)
REPS_RANGE = (1, 100)
SECONDS_PER_REP_RANGE = (1, 30)
MINUTES_RANGE = (1, 90)
PREP_SECONDS_RANGE = (0, 120)
TRANSITION_SECONDS_RANGE = (0, 60)
REST_SECONDS_RANGE = (0, 300)
STROKE_PERIOD_RANGE = (0.2, 20.0)
STROKE_STYLES = ("glide", "flick", "pinch", "press", "circle")
SIDES = ("both", "each")
# A spoken count word needs room: no faster than this many seconds per word.
MIN_SECONDS_PER_TEMPO_WORD = 0.6
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Stroke(NamedTuple):
    """A path the fingers trace on the face map, in face coordinates (0-1), one pass per period."""

    points: tuple[tuple[float, float], ...]
    period: float
    style: str = "glide"
    mirror: bool = False


class Timing(NamedTuple):
    """Either timed (seconds) or counted (reps at a tempo). Lengths are per side."""

    mode: str  # "timed" | "counted"
    seconds: int = 0
    min_seconds: int = 0
    max_seconds: int = 0
    reps: int = 0
    min_reps: int = 0
    max_reps: int = 0
    seconds_per_rep: float = 0.0
    tempo: tuple[str, ...] = ()

    @property
    def counted(self) -> bool:
        return self.mode == "counted"


class MoveCues(NamedTuple):
    """What the coach says for a move: an intro, how to do it, and optional tips."""

    intro: str
    technique: str = ""
    tips: tuple[str, ...] = ()


class Move(NamedTuple):
    """One massage move: where it works, how firmly, how long, and what the coach says.

    Moves and routines are named tuples rather than frozen dataclasses: the start
    screen loads this module, and a frozen dataclass compiles six generated methods
    as it loads (bench/README.md).
    """

    id: str
    name: str
    technique: str
    tool: str
    areas: tuple[str, ...]
    pressure: Mapping[str, str]
    timing: Timing
    cues: MoveCues
    sides: str = "both"
    caution: str = ""
    # Areas the caution speaks for: their generic delicate-area caution is not repeated.
    caution_areas: tuple[str, ...] = ()
    strokes: tuple[Stroke, ...] = ()
    illustration: str = ""
    source: str = "builtin"


class _StepFields(NamedTuple):
    move: Move
    rest_after: int
    sides: str


class Step(_StepFields):
    """A move as a routine uses it, with the routine's overrides already applied.

    ``rest_after`` is in seconds.  ``sides`` is how the step runs its move: "both"
    sides at once, or "each" side in turn (left, a switch, right); left empty it
    becomes the move's own ``sides``.  Raises ValueError for any other value
    (``_replace`` copies without checking: give it a checked value).
    """

    __slots__ = ()

    def __new__(cls, move: Move, rest_after: int = 0, sides: str = "") -> Step:
        return super().__new__(cls, move, rest_after, require_sides(sides or move.sides))


def require_sides(sides: str) -> str:
    """``sides`` when it is one of :data:`SIDES`; raises ValueError naming them otherwise."""
    if sides not in SIDES:
        raise ValueError(f"sides must be one of {', '.join(SIDES)}, got {sides!r}")
    return sides


def side_count(sides: str) -> int:
    """How many times a step of these ``sides`` runs its move: 2 for "each", else 1."""
    return 2 if sides == "each" else 1


class Routine(NamedTuple):
    """A named sequence of steps with its length range, ready for the planner.

    Lengths are minutes; ``prep_seconds`` and ``transition_seconds`` are seconds.
    """

    id: str
    name: str
    description: str
    kind: str
    default_minutes: float
    min_minutes: float
    max_minutes: float
    prep: tuple[str, ...]
    steps: tuple[Step, ...]
    prep_seconds: int = 15
    transition_seconds: int = 5
    tools: tuple[str, ...] = ()
    source: str = "builtin"
    path: str = ""

    @property
    def areas(self) -> tuple[str, ...]:
        """Every area the routine works, from the top of the face down."""
        used = {area for step in self.steps for area in step.move.areas}
        return tuple(area for area in AREA_IDS if area in used)


class ParsedFile:
    """What one file held: its moves, its routine (still unresolved) and problems.

    ``path`` is the file as problems name it.  Filled while the file is read; a
    plain class, as a dataclass would compile its generated methods at start-up.
    """

    def __init__(
        self,
        path: str,
        moves: list[Move] | None = None,
        routine_table: dict[str, Any] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.path = path
        self.moves: list[Move] = [] if moves is None else moves
        self.routine_table = routine_table
        self.problems: list[Problem] = [] if problems is None else problems


# ------------------------------------------------------------------------ parsing

_MOVE_KEYS_REQUIRED = ("id", "name", "technique", "tool", "areas", "pressure", "timing", "cues")
_MOVE_KEYS_OPTIONAL = ("sides", "caution", "caution_areas", "strokes", "illustration")
_TIMED_KEYS = ("seconds", "min_seconds", "max_seconds")
_COUNTED_KEYS = ("reps", "min_reps", "max_reps", "seconds_per_rep")
_ROUTINE_KEYS_REQUIRED = (
    "id",
    "name",
    "description",
    "kind",
    "default_minutes",
    "min_minutes",
    "max_minutes",
    "steps",
)
_ROUTINE_KEYS_OPTIONAL = ("prep", "prep_seconds", "transition_seconds", "tools")
_STEP_OVERRIDES = (
    *_TIMED_KEYS,
    "reps",
    "min_reps",
    "max_reps",
    "pressure",
    "intro",
    "technique",
    "tips",
)


def parse_text(
    text: str, path: str, source: str = "builtin", cache: TomlCache | None = None
) -> ParsedFile:
    """Parse one file's TOML text into moves and a routine table, collecting problems.

    With a ``cache``, a text parsed on an earlier run is not parsed again; the checks
    below run on its table all the same.
    """
    parsed = ParsedFile(path)
    check = Checker(path)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        check.add("file", TOO_LARGE)
        parsed.problems = check.problems
        return parsed
    data = cache.get(text) if cache is not None else None
    if data is None:
        data = read_toml(text, check)
        if data is None:
            parsed.problems = check.problems
            return parsed
        if cache is not None:
            cache.put(text, data)

    has_routine = any(key in data for key in _ROUTINE_KEYS_REQUIRED)
    if has_routine:
        check.keys(data, "", _ROUTINE_KEYS_REQUIRED, ("moves", *_ROUTINE_KEYS_OPTIONAL))
    else:
        check.keys(data, "", (), ("moves",))
    if "moves" in data:
        moves = data["moves"]
        if not isinstance(moves, list):
            check.add("moves", f"must be an array of tables ([[moves]]), got {describe(moves)}")
        elif len(moves) > MAX_MOVES_PER_FILE:
            check.add("moves", f"has {len(moves)} moves, at most {MAX_MOVES_PER_FILE}")
        else:
            seen: set[str] = set()
            for index, raw in enumerate(moves):
                move = _parse_move(check, raw, f"moves[{index}]", source)
                if move is None:
                    continue
                if move.id in seen:
                    check.add(f"moves[{index}].id", f"duplicate move id {quoted(move.id)}")
                    continue
                seen.add(move.id)
                parsed.moves.append(move)
    if has_routine:
        parsed.routine_table = {k: v for k, v in data.items() if k != "moves"}
    elif "moves" not in data:
        check.add("file", "holds neither moves ([[moves]]) nor a routine (id, name, steps, ...)")
    parsed.problems = check.problems
    return parsed


def _parse_move(check: Checker, raw: Any, where: str, source: str) -> Move | None:
    table = check.table(raw, where)
    if table is None:
        return None
    before = len(check.problems)
    check.keys(table, where, _MOVE_KEYS_REQUIRED, _MOVE_KEYS_OPTIONAL)
    move_id = check.string(table, "id", where, max_length=MAX_NAME, pattern=ID_PATTERN)
    name = check.string(table, "name", where, max_length=MAX_NAME)
    technique = check.string(table, "technique", where, layout=MULTILINE)
    tool = check.string(table, "tool", where, choices=TOOLS)
    sides = check.string(table, "sides", where, default="both", choices=SIDES)
    caution = check.string(table, "caution", where, default="", layout=MULTILINE)
    illustration = _asset_reference(check, table, "illustration", where)
    areas = check.string_list(table, "areas", where, choices=AREA_IDS, required=True)
    if areas is not None:
        if not areas:
            check.add(check.at(where, "areas"), "must name at least one area")
        elif len(set(areas)) != len(areas):
            check.add(check.at(where, "areas"), "names an area twice")
        areas = tuple(area for area in AREA_IDS if area in areas)
    pressure = _parse_pressure(check, table.get("pressure"), check.at(where, "pressure"), areas)
    caution_areas = _parse_caution_areas(check, table, where, areas, caution)
    timing = _parse_timing(check, table.get("timing"), check.at(where, "timing"))
    cues = _parse_cues(check, table.get("cues"), check.at(where, "cues"))
    strokes = _parse_strokes(check, table.get("strokes", []), check.at(where, "strokes"))
    if pressure is not None and areas and set(pressure) != set(areas):
        missing = [area for area in areas if area not in pressure]
        if missing:
            check.add(check.at(where, "pressure"), f"gives no level for {', '.join(missing)}")
    if len(check.problems) != before or "pressure" not in table or "timing" not in table:
        return None
    assert move_id and name and technique and tool and sides is not None and areas
    assert pressure is not None and timing is not None and cues is not None
    assert strokes is not None and caution is not None and illustration is not None
    assert caution_areas is not None
    return Move(
        id=move_id,
        name=name,
        technique=technique,
        tool=tool,
        areas=areas,
        pressure=pressure,
        timing=timing,
        cues=cues,
        sides=sides,
        caution=caution,
        caution_areas=caution_areas,
        strokes=strokes,
        illustration=illustration,
        source=source,
    )


def _parse_caution_areas(
    check: Checker,
    table: Mapping[str, Any],
    where: str,
    areas: tuple[str, ...] | None,
    caution: str | None,
) -> tuple[str, ...] | None:
    """The move's ``caution_areas``: some of its areas, only beside a caution."""
    if "caution_areas" not in table:
        return ()
    at = check.at(where, "caution_areas")
    named = check.string_list(table, "caution_areas", where, choices=AREA_IDS)
    if named is None:
        return None
    before = len(check.problems)
    if not caution:
        check.add(at, "needs the move's own caution to speak for these areas")
    if areas is not None:
        for area in named:
            if area not in areas:
                check.add(at, f"{area} is not one of the move's areas")
    if len(check.problems) != before:
        return None
    return tuple(area for area in AREA_IDS if area in named)


def _asset_reference(check: Checker, table: Mapping[str, Any], key: str, where: str) -> str | None:
    reference = check.string(table, key, where, default="")
    if not reference:
        return reference
    path = PurePosixPath(reference.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", reference):
        check.add(
            check.at(where, key),
            f"must be a path inside the assets folder, got {quoted(reference)}",
        )
        return None
    if path.suffix.lower() not in (".svg", ".png"):
        check.add(check.at(where, key), f"must be an .svg or .png picture, got {quoted(reference)}")
        return None
    return str(path)


def _parse_pressure(
    check: Checker, raw: Any, where: str, areas: tuple[str, ...] | None
) -> dict[str, str] | None:
    if raw is None:
        return None
    table = check.table(raw, where)
    if table is None:
        return None
    pressure: dict[str, str] = {}
    ok = True
    for area, level in table.items():
        at = check.at(where, area)
        if area not in AREA_BY_ID:
            check.add(at, f"unknown area (known: {', '.join(AREA_IDS)})")
            ok = False
            continue
        if areas is not None and area not in areas:
            check.add(at, "is not one of the move's areas")
            ok = False
            continue
        if level not in PRESSURE_IDS:
            shown = quoted(level) if isinstance(level, str) else describe(level)
            check.add(at, f"must be one of {', '.join(PRESSURE_IDS)}, got {shown}")
            ok = False
            continue
        if AREA_BY_ID[area].delicate and PRESSURE_BY_ID[level].rank > DELICATE_MAX_RANK:
            check.add(at, f"{area} is delicate: use feather or light, not {level}")
            ok = False
            continue
        pressure[area] = level
    return pressure if ok else None


def _parse_timing(check: Checker, raw: Any, where: str) -> Timing | None:
    if raw is None:
        return None
    table = check.table(raw, where)
    if table is None:
        return None
    timed = any(key in table for key in _TIMED_KEYS)
    counted = any(key in table for key in (*_COUNTED_KEYS, "tempo"))
    if timed and counted:
        check.add(where, "mixes seconds and reps; a move is either timed or counted")
        return None
    if counted:
        check.keys(table, where, _COUNTED_KEYS, ("tempo",))
        reps = check.number(table, "reps", where, REPS_RANGE)
        low = check.number(table, "min_reps", where, REPS_RANGE)
        high = check.number(table, "max_reps", where, REPS_RANGE)
        per_rep = check.number(
            table, "seconds_per_rep", where, SECONDS_PER_REP_RANGE, integer=False
        )
        tempo = check.string_list(table, "tempo", where, max_length=MAX_NAME)
        if None in (reps, low, high, per_rep) or tempo is None:
            return None
        assert reps is not None and low is not None and high is not None and per_rep is not None
        if not low <= reps <= high:
            check.add(
                check.at(where, "reps"), f"must lie between min_reps ({low}) and max_reps ({high})"
            )
            return None
        if tempo and per_rep / len(tempo) < MIN_SECONDS_PER_TEMPO_WORD:
            check.add(
                check.at(where, "tempo"),
                f"{len(tempo)} words in {format_number(per_rep)} seconds is too fast to speak",
            )
            return None
        for key, value in (("min_reps", low), ("max_reps", high)):
            if value * per_rep > SECONDS_RANGE[1]:
                check.add(
                    check.at(where, key),
                    f"{value} reps last longer than {SECONDS_RANGE[1]} seconds",
                )
                return None
        return Timing(
            "counted",
            reps=int(reps),
            min_reps=int(low),
            max_reps=int(high),
            seconds_per_rep=float(per_rep),
            tempo=tempo,
        )
    check.keys(table, where, _TIMED_KEYS, ())
    seconds = check.number(table, "seconds", where, SECONDS_RANGE)
    low = check.number(table, "min_seconds", where, SECONDS_RANGE)
    high = check.number(table, "max_seconds", where, SECONDS_RANGE)
    if None in (seconds, low, high):
        return None
    assert seconds is not None and low is not None and high is not None
    if not low <= seconds <= high:
        check.add(
            check.at(where, "seconds"),
            f"must lie between min_seconds ({format_number(low)}) "
            f"and max_seconds ({format_number(high)})",
        )
        return None
    return Timing("timed", seconds=int(seconds), min_seconds=int(low), max_seconds=int(high))


def _parse_cues(check: Checker, raw: Any, where: str) -> MoveCues | None:
    if raw is None:
        return None
    table = check.table(raw, where)
    if table is None:
        return None
    check.keys(table, where, ("intro",), ("technique", "tips"))
    intro = check.string(table, "intro", where, max_length=MAX_TEXT)
    technique = check.string(table, "technique", where, default="", layout=MULTILINE)
    tips = check.string_list(table, "tips", where)
    if intro is None or technique is None or tips is None:
        return None
    return MoveCues(intro, technique, tips)


def _parse_strokes(check: Checker, raw: Any, where: str) -> tuple[Stroke, ...] | None:
    if not isinstance(raw, list):
        check.add(where, f"must be an array of tables ([[moves.strokes]]), got {describe(raw)}")
        return None
    if len(raw) > MAX_STROKES:
        check.add(where, f"has {len(raw)} strokes, at most {MAX_STROKES}")
        return None
    strokes = []
    ok = True
    for index, item in enumerate(raw):
        at = check.at(where, index)
        table = check.table(item, at)
        if table is None:
            ok = False
            continue
        check.keys(table, at, ("points", "period"), ("style", "mirror"))
        period = check.number(table, "period", at, STROKE_PERIOD_RANGE, integer=False)
        style = check.string(table, "style", at, default="glide", choices=STROKE_STYLES)
        mirror = table.get("mirror", False)
        if not isinstance(mirror, bool):
            check.add(check.at(at, "mirror"), f"must be true or false, got {describe(mirror)}")
            ok = False
        points = _parse_points(check, table.get("points"), check.at(at, "points"))
        if period is None or style is None or points is None:
            ok = False
            continue
        if style != "press" and len(points) < 2:
            check.add(check.at(at, "points"), "a moving stroke needs at least two points")
            ok = False
            continue
        strokes.append(Stroke(points, float(period), style, bool(mirror)))
    return tuple(strokes) if ok else None


def _parse_points(check: Checker, raw: Any, where: str) -> tuple[tuple[float, float], ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        check.add(where, "must be a non-empty list of [x, y] pairs")
        return None
    if len(raw) > MAX_STROKE_POINTS:
        check.add(where, f"has {len(raw)} points, at most {MAX_STROKE_POINTS}")
        return None
    points = []
    for index, pair in enumerate(raw):
        at = check.at(where, index)
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or any(isinstance(v, bool) or not isinstance(v, int | float) for v in pair)
        ):
            check.add(at, "must be a pair of numbers [x, y]")
            return None
        x, y = float(pair[0]), float(pair[1])
        if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
            shown = f"[{format_number(x)}, {format_number(y)}]"
            check.add(at, f"must lie on the face map (0 to 1), got {shown}")
            return None
        points.append((x, y))
    return tuple(points)


def resolve_routine(
    parsed: ParsedFile, moves: Mapping[str, Move], source: str = "builtin"
) -> Routine | None:
    """Turn a file's routine table into a Routine, using ``moves`` for step references.

    Problems are appended to ``parsed.problems``; returns None when there were any.
    """
    table = parsed.routine_table
    if table is None:
        return None
    check = Checker(parsed.path)
    routine_id = check.string(table, "id", "", max_length=MAX_NAME, pattern=ID_PATTERN)
    name = check.string(table, "name", "", max_length=MAX_NAME)
    description = check.string(table, "description", "", layout=MULTILINE)
    kind = check.string(table, "kind", "", choices=ROUTINE_KINDS)
    default = check.number(table, "default_minutes", "", MINUTES_RANGE, integer=False)
    low = check.number(table, "min_minutes", "", MINUTES_RANGE, integer=False)
    high = check.number(table, "max_minutes", "", MINUTES_RANGE, integer=False)
    prep = check.string_list(table, "prep", "")
    prep_seconds = check.number(table, "prep_seconds", "", PREP_SECONDS_RANGE, default=15)
    transition = check.number(table, "transition_seconds", "", TRANSITION_SECONDS_RANGE, default=5)
    tools = check.string_list(table, "tools", "", choices=TOOLS)
    if None not in (default, low, high):
        assert default is not None and low is not None and high is not None
        if not low <= default <= high:
            check.add(
                "default_minutes",
                f"must lie between min_minutes ({format_number(low)}) "
                f"and max_minutes ({format_number(high)})",
            )
    steps = _resolve_steps(check, table.get("steps"), moves)
    parsed.problems.extend(check.problems)
    if parsed.problems:  # includes missing keys and broken moves found while parsing
        return None
    assert routine_id and name and description and kind and steps is not None
    assert default is not None and low is not None and high is not None
    assert prep is not None and prep_seconds is not None and transition is not None
    assert tools is not None
    if not tools:
        tools = tuple(tool for tool in TOOLS if any(s.move.tool == tool for s in steps))
    return Routine(
        id=routine_id,
        name=name,
        description=description,
        kind=kind,
        default_minutes=default,
        min_minutes=low,
        max_minutes=high,
        prep=prep,
        steps=steps,
        prep_seconds=int(prep_seconds),
        transition_seconds=int(transition),
        tools=tools,
        source=source,
        path=parsed.path,
    )


def _resolve_steps(check: Checker, raw: Any, moves: Mapping[str, Move]) -> tuple[Step, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        check.add("steps", f"must be an array of tables ([[steps]]), got {describe(raw)}")
        return None
    if not raw:
        check.add("steps", "a routine needs at least one step")
        return None
    if len(raw) > MAX_STEPS:
        check.add("steps", f"has {len(raw)} steps, at most {MAX_STEPS}")
        return None
    steps = []
    for index, item in enumerate(raw):
        where = f"steps[{index}]"
        table = check.table(item, where)
        if table is None:
            continue
        before = len(check.problems)
        check.keys(table, where, ("move",), (*_STEP_OVERRIDES, "rest_after", "sides"))
        move_id = check.string(table, "move", where, max_length=MAX_NAME)
        rest = check.number(table, "rest_after", where, REST_SECONDS_RANGE, default=0)
        sides = check.string(table, "sides", where, default="", choices=SIDES)  # "": the move's
        if move_id is None or rest is None:
            continue
        move = moves.get(move_id)
        if move is None:
            check.add(check.at(where, "move"), f"unknown move {quoted(move_id)}")
            # The numbers can still be checked on their own.
            for key in _TIMED_KEYS:
                check.number(table, key, where, SECONDS_RANGE)
            for key in ("reps", "min_reps", "max_reps"):
                check.number(table, key, where, REPS_RANGE)
            continue
        move = _apply_overrides(check, move, table, where)
        if move is not None and sides is not None and len(check.problems) == before:
            steps.append(Step(move, int(rest), sides))
    return tuple(steps)


def _apply_overrides(
    check: Checker, move: Move, table: Mapping[str, Any], where: str
) -> Move | None:
    timing = move.timing
    wrong_kind = _COUNTED_KEYS[:3] if not timing.counted else _TIMED_KEYS
    misplaced = [key for key in wrong_kind if key in table]
    for key in misplaced:
        mode = "counted (reps)" if timing.counted else "timed (seconds)"
        check.add(check.at(where, key), f"move {quoted(move.id)} is {mode}; {key} does not apply")
    if timing.counted:
        values = {
            key: check.number(table, key, where, REPS_RANGE, default=getattr(timing, key))
            for key in ("reps", "min_reps", "max_reps")
        }
    else:
        values = {
            key: check.number(table, key, where, SECONDS_RANGE, default=getattr(timing, key))
            for key in _TIMED_KEYS
        }
    if misplaced or None in values.values():
        return None
    first, low, high = (int(v) for v in values.values())  # type: ignore[arg-type]
    if not low <= first <= high:
        key = next(iter(values))
        check.add(check.at(where, key), f"must lie between {low} and {high}")
        return None
    timing = timing._replace(**{key: int(value) for key, value in values.items()})  # type: ignore[arg-type]
    pressure = dict(move.pressure)
    if "pressure" in table:
        override = _parse_pressure(
            check, table["pressure"], check.at(where, "pressure"), move.areas
        )
        if override is None:
            return None
        pressure.update(override)
    intro = check.string(table, "intro", where, default=move.cues.intro)
    technique = check.string(
        table, "technique", where, default=move.cues.technique, layout=MULTILINE
    )
    tips = check.string_list(table, "tips", where) if "tips" in table else move.cues.tips
    if intro is None or technique is None or tips is None:
        return None
    cues = move.cues._replace(intro=intro, technique=technique, tips=tips)
    return move._replace(timing=timing, pressure=pressure, cues=cues)
