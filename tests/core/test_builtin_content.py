"""The built-in moves and routines in routines/: valid, complete, honest and speakable.

Everything here reads the TOML files through the same parser the app uses, and
computes the scaling bounds from the data itself (not through the planner), so a
content change that breaks a promise of the product fails here first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facegym_desktop.core.routine import Move, Routine, parse_text, resolve_routine
from facegym_desktop.core.vocabulary import AREA_IDS, PRESSURE_BY_ID, PRESSURE_IDS

ROUTINES_DIR = Path(__file__).resolve().parents[2] / "routines"

# How the planner scales a routine (docs/routine-format.md): these parts keep their length.
SWITCH_SECONDS = 3
# Counted moves get a short lead-in before rep one. Allow a generous one when checking
# that the shortest length fits, and none when checking that the longest is reachable.
COUNT_LEAD_ALLOWANCE = 8

EXPECTED_ROUTINES = {
    "morning-wake-up": "daily",
    "evening-wind-down": "daily",
    "extended-sculpt": "extended",
    "tension-release": "relax",
    "gua-sha-lymphatic": "tool",
    "roller-de-puff": "tool",
}

# Every technique named in the domain notes, and the move ids that carry it.
TECHNIQUES = {
    "chin flicks": ["chin-flicks"],
    "laugh-line walk": ["laugh-line-walk"],
    "jawline glide": ["jawline-glide"],
    "brow pinch lift": ["brow-pinch-lift"],
    "platysma stretch": ["platysma-stretch"],
    "frontalis lift": ["frontalis-lift"],
    "pressure points": [
        "pressure-point-mouth",
        "pressure-point-cheeks",
        "pressure-point-brows",
        "pressure-point-temples",
    ],
    "lymphatic drainage": ["lymphatic-drainage-face", "neck-drainage"],
    "roller strokes": ["roller-cheeks", "roller-jawline", "roller-forehead"],
    "gua sha": ["gua-sha-cheeks", "gua-sha-jawline", "gua-sha-forehead", "gua-sha-neck"],
    "temple circles": ["temple-circles"],
    "under-eye de-puff": ["under-eye-de-puff"],
    "forehead smoothing": ["forehead-smoothing"],
    "cheek lift": ["cheek-lift"],
}

# Spoken cues stay short enough to follow with oily hands at the mirror.
MAX_INTRO_WORDS = 12
MAX_TECHNIQUE_WORDS = 15
MAX_TIP_WORDS = 12
MAX_CAUTION_WORDS = 20
# Plain words and ordinary punctuation only: no digits, symbols or abbreviations
# that a speech engine would read out oddly.
SPEAKABLE = re.compile(r"^[A-Za-z ,.;'\-]+$")
WORD = re.compile(r"[A-Za-z'\-]+")
# Longest first, so "semi-firm" is not read as "firm".
PRESSURE_WORDS = re.compile(r"\b(semi-firm|feather|light|medium|firm)\b", re.IGNORECASE)
# The product sells calm and a glow, never a treatment.
MEDICAL_CLAIMS = re.compile(
    r"\b(cure|cures|heal|heals|treats?|treatment|anti-aging|anti-ageing|younger|"
    r"lifts your|tightens?|detox\w*|collagen|wrinkle-free|guarantee\w*|clinically)\b",
    re.IGNORECASE,
)


# ------------------------------------------------------------------------ loading


def _load() -> tuple[dict[str, Move], dict[str, Routine], list[str]]:
    problems: list[str] = []
    parsed_files = []
    moves: dict[str, Move] = {}
    for path in sorted(ROUTINES_DIR.glob("*.toml")):
        parsed = parse_text(path.read_text(encoding="utf-8"), f"routines/{path.name}")
        parsed_files.append(parsed)
        problems.extend(str(problem) for problem in parsed.problems)
        for move in parsed.moves:
            if move.id in moves:
                problems.append(f"routines/{path.name}: move id {move.id!r} defined twice")
            moves[move.id] = move
    routines: dict[str, Routine] = {}
    for parsed in parsed_files:
        before = len(parsed.problems)
        routine = resolve_routine(parsed, moves)
        problems.extend(str(problem) for problem in parsed.problems[before:])
        if routine is not None:
            if routine.id in routines:
                problems.append(f"{parsed.path}: routine id {routine.id!r} defined twice")
            routines[routine.id] = routine
    return moves, routines, problems


MOVES, ROUTINES, PROBLEMS = _load()
ALL_MOVES = sorted(MOVES.values(), key=lambda move: move.id)
ALL_ROUTINES = sorted(ROUTINES.values(), key=lambda routine: routine.id)


def _words(text: str) -> int:
    return len(WORD.findall(text))


def _pressure_words(text: str) -> set[str]:
    return {match.lower() for match in PRESSURE_WORDS.findall(text)}


# ------------------------------------------------------------------ the whole set


def test_every_file_parses_without_problems() -> None:
    assert list(ROUTINES_DIR.glob("*.toml")), "no routine files found"
    assert PROBLEMS == []


def test_enough_moves_and_routines() -> None:
    assert len(MOVES) >= 18
    assert len(ROUTINES) >= 6


@pytest.mark.parametrize(("routine_id", "kind"), sorted(EXPECTED_ROUTINES.items()))
def test_expected_routine_exists_with_its_kind(routine_id: str, kind: str) -> None:
    assert routine_id in ROUTINES
    assert ROUTINES[routine_id].kind == kind


@pytest.mark.parametrize("technique", sorted(TECHNIQUES))
def test_every_domain_technique_has_its_moves(technique: str) -> None:
    missing = [move_id for move_id in TECHNIQUES[technique] if move_id not in MOVES]
    assert not missing, f"{technique}: no move {', '.join(missing)}"


def test_every_area_is_worked_by_some_move() -> None:
    worked = {area for move in ALL_MOVES for area in move.areas}
    assert set(AREA_IDS) - worked == set()


def test_every_routine_kind_is_used_by_the_builtins() -> None:
    assert {routine.kind for routine in ALL_ROUTINES} >= set(EXPECTED_ROUTINES.values())


def test_every_move_is_used_by_some_routine_or_is_a_known_extra() -> None:
    used = {step.move.id for routine in ALL_ROUTINES for step in routine.steps}
    # Moves kept in the library for people building their own routines.
    extras = {"forehead-resistance"}
    assert set(MOVES) - used <= extras


# ----------------------------------------------------------------- domain facts


def test_platysma_stretch_is_counted_with_five_to_eight_reps_and_a_five_count() -> None:
    timing = MOVES["platysma-stretch"].timing
    assert timing.counted
    assert (timing.min_reps, timing.max_reps) == (5, 8)
    assert 5 <= timing.reps <= 8
    assert timing.tempo[:5] == ("one", "two", "three", "four", "five")
    assert set(MOVES["platysma-stretch"].areas) >= {"neck", "jawline"}


def test_frontalis_lift_is_counted_with_ten_reps() -> None:
    move = MOVES["frontalis-lift"]
    assert move.timing.counted
    assert move.timing.reps == 10
    assert "forehead" in move.areas


def test_tension_release_keeps_the_exercises_and_their_rep_counts() -> None:
    steps = {step.move.id: step.move for step in ROUTINES["tension-release"].steps}
    assert 5 <= steps["platysma-stretch"].timing.reps <= 8
    assert steps["frontalis-lift"].timing.reps == 10
    worked = {area for move in steps.values() for area in move.areas}
    assert {"jawline", "temples"} <= worked


@pytest.mark.parametrize(
    ("move_id", "area"),
    [
        ("pressure-point-mouth", "mouth"),
        ("pressure-point-cheeks", "cheeks"),
        ("pressure-point-brows", "brows"),
        ("pressure-point-temples", "temples"),
    ],
)
def test_pressure_points_are_steady_semi_firm_holds(move_id: str, area: str) -> None:
    move = MOVES[move_id]
    assert move.pressure[area] == "semi-firm"
    assert move.strokes and all(stroke.style == "press" for stroke in move.strokes)


def test_laugh_line_walk_is_semi_firm_and_the_jawline_glide_uses_knuckles() -> None:
    assert MOVES["laugh-line-walk"].pressure["nasolabial"] == "semi-firm"
    assert MOVES["jawline-glide"].tool == "knuckles"
    assert (
        PRESSURE_BY_ID[MOVES["jawline-glide"].pressure["jawline"]].rank
        >= PRESSURE_BY_ID["medium"].rank
    )


def test_drainage_strokes_are_light_and_the_neck_strokes_run_downward() -> None:
    for move_id in ("lymphatic-drainage-face", "neck-drainage", "gua-sha-neck"):
        levels = {PRESSURE_BY_ID[level].rank for level in MOVES[move_id].pressure.values()}
        assert max(levels) <= PRESSURE_BY_ID["light"].rank, move_id
    for move_id in ("neck-drainage", "gua-sha-neck"):
        for stroke in MOVES[move_id].strokes:
            assert stroke.points[-1][1] > stroke.points[0][1], f"{move_id} stroke goes up"


@pytest.mark.parametrize(
    ("tool", "prefix", "allowed"),
    [("roller", "roller-", {"feather", "light"}), ("gua-sha", "gua-sha-", {"light", "medium"})],
)
def test_tool_moves_use_their_tool_and_a_gentle_pressure(
    tool: str, prefix: str, allowed: set[str]
) -> None:
    tool_moves = [move for move in ALL_MOVES if move.id.startswith(prefix)]
    assert tool_moves
    for move in tool_moves:
        assert move.tool == tool, move.id
        assert set(move.pressure.values()) <= allowed, move.id
    covered = {area for move in tool_moves for area in move.areas}
    if tool == "roller":
        assert {"cheeks", "jawline", "forehead"} <= covered
    else:
        assert {"cheeks", "neck"} <= covered


def test_under_eyes_never_get_more_than_light_pressure() -> None:
    light = PRESSURE_BY_ID["light"].rank
    for move in ALL_MOVES:
        level = move.pressure.get("under-eyes")
        if level is not None:
            assert PRESSURE_BY_ID[level].rank <= light, move.id
            assert move.caution, f"{move.id} works under the eyes without a caution line"


def test_firm_pressure_only_on_bone() -> None:
    for move in ALL_MOVES:
        for area, level in move.pressure.items():
            if level == "firm":
                assert area in {"jawline"}, f"{move.id}: firm pressure on {area}"


# ------------------------------------------------------------------- every move


@pytest.mark.parametrize("move", ALL_MOVES, ids=lambda move: move.id)
def test_move_cues_name_a_pressure_level_of_the_move(move: Move) -> None:
    named = _pressure_words(move.cues.technique) | _pressure_words(move.cues.intro)
    assert named, f"{move.id}: neither the intro nor the technique cue names a pressure level"
    assert named <= set(PRESSURE_IDS)
    used = set(move.pressure.values())
    assert named & used, f"{move.id}: cue names {sorted(named)} but the move uses {sorted(used)}"


@pytest.mark.parametrize("move", ALL_MOVES, ids=lambda move: move.id)
def test_move_cues_are_short_and_speakable(move: Move) -> None:
    cues = move.cues
    assert _words(cues.intro) <= MAX_INTRO_WORDS, cues.intro
    assert cues.technique, f"{move.id}: no technique cue"
    assert _words(cues.technique) <= MAX_TECHNIQUE_WORDS or move.timing.counted, cues.technique
    assert 1 <= len(cues.tips) <= 3, move.id
    for tip in cues.tips:
        assert _words(tip) <= MAX_TIP_WORDS, tip
    if move.caution:
        assert _words(move.caution) <= MAX_CAUTION_WORDS, move.caution
    for text in (cues.intro, cues.technique, *cues.tips, move.caution):
        if text:
            assert SPEAKABLE.match(text), f"{move.id}: not plain speakable text: {text!r}"
            assert not MEDICAL_CLAIMS.search(text), f"{move.id}: sounds like a claim: {text!r}"


@pytest.mark.parametrize("move", ALL_MOVES, ids=lambda move: move.id)
def test_move_intro_starts_with_its_name(move: Move) -> None:
    first_sentence = move.cues.intro.split(".")[0].lower()
    assert first_sentence == move.name.lower() or move.name.lower().startswith(first_sentence), (
        f"{move.id}: intro {move.cues.intro!r} does not open with the name {move.name!r}"
    )


@pytest.mark.parametrize("move", [m for m in ALL_MOVES if m.timing.counted], ids=lambda m: m.id)
def test_counted_moves_name_the_pressure_in_a_short_intro(move: Move) -> None:
    # Counts start a few seconds into a counted move; only a short intro is sure to be
    # heard before them, so the pressure goes there.
    assert _pressure_words(move.cues.intro) & set(move.pressure.values()), move.id
    assert _words(move.cues.intro) <= 7, move.cues.intro


@pytest.mark.parametrize("move", ALL_MOVES, ids=lambda move: move.id)
def test_move_timing_leaves_room_to_scale_both_ways(move: Move) -> None:
    timing = move.timing
    if timing.counted:
        assert timing.min_reps < timing.max_reps, move.id
        assert timing.min_reps <= timing.reps <= timing.max_reps
    else:
        assert timing.min_seconds < timing.seconds < timing.max_seconds, move.id
        assert timing.max_seconds >= 1.5 * timing.seconds, move.id
        assert timing.min_seconds <= 0.75 * timing.seconds, move.id


@pytest.mark.parametrize("move", ALL_MOVES, ids=lambda move: move.id)
def test_move_strokes_lie_on_the_move_areas(move: Move) -> None:
    face_layout = pytest.importorskip("facegym_desktop.core.face_layout")
    assert move.strokes, f"{move.id}: no strokes to illustrate"

    def on_areas(point: tuple[float, float], tolerance: float = 0.02) -> bool:
        for dx in (-tolerance, 0.0, tolerance):
            for dy in (-tolerance, 0.0, tolerance):
                nearby = (point[0] + dx, point[1] + dy)
                if set(face_layout.area_at(nearby)) & set(move.areas):
                    return True
        return False

    for index, stroke in enumerate(move.strokes):
        assert any(on_areas(point) for point in stroke.points), (
            f"{move.id}: stroke {index} never touches {', '.join(move.areas)}"
        )
        # Strokes are authored on the viewer's left half (the person's right).
        assert all(x <= 0.5 for x, _ in stroke.points), f"{move.id}: stroke {index} crosses over"
        if move.sides == "both":
            assert stroke.mirror, f"{move.id}: a symmetric move should mirror its strokes"
        else:
            assert not stroke.mirror, f"{move.id}: a one-sided move draws one side at a time"


# --------------------------------------------------------------- every routine


def _fixed(routine: Routine, count_lead: float) -> float:
    """Seconds that never scale: prep, transitions between steps, side switches, rests."""
    fixed = float(routine.prep_seconds)
    for index, step in enumerate(routine.steps):
        sides = 2 if step.sides == "each" else 1
        if index > 0:
            fixed += routine.transition_seconds
        if sides == 2:
            fixed += SWITCH_SECONDS
        if step.move.timing.counted:
            fixed += count_lead * sides
        fixed += step.rest_after
    return fixed


def _bounds(routine: Routine, count_lead: float) -> tuple[float, float, float]:
    """Shortest, written and longest session in seconds, from the data alone."""
    low = written = high = 0.0
    for step in routine.steps:
        sides = 2 if step.sides == "each" else 1
        timing = step.move.timing
        if timing.counted:
            low += sides * timing.min_reps * timing.seconds_per_rep
            written += sides * timing.reps * timing.seconds_per_rep
            high += sides * timing.max_reps * timing.seconds_per_rep
        else:
            low += sides * timing.min_seconds
            written += sides * timing.seconds
            high += sides * timing.max_seconds
    fixed = _fixed(routine, count_lead)
    return fixed + low, fixed + written, fixed + high


@pytest.mark.parametrize("routine", ALL_ROUTINES, ids=lambda routine: routine.id)
def test_routine_lengths_are_reachable(routine: Routine) -> None:
    shortest, _, _ = _bounds(routine, COUNT_LEAD_ALLOWANCE)
    _, _, longest = _bounds(routine, 0)
    assert routine.min_minutes <= routine.default_minutes <= routine.max_minutes
    assert shortest <= routine.min_minutes * 60, (
        f"{routine.id}: even at their minimums the steps take {shortest / 60:.2f} minutes"
    )
    assert longest >= routine.max_minutes * 60, (
        f"{routine.id}: even at their maximums the steps reach only {longest / 60:.2f} minutes"
    )


@pytest.mark.parametrize("routine", ALL_ROUTINES, ids=lambda routine: routine.id)
def test_routine_defaults_are_close_to_the_default_length(routine: Routine) -> None:
    # The written step lengths should already add up to roughly the default, so the
    # default session plays the moves much as they were written.
    _, written, _ = _bounds(routine, 4)
    assert abs(written - routine.default_minutes * 60) <= 0.25 * routine.default_minutes * 60, (
        f"{routine.id}: steps add up to {written / 60:.1f} minutes"
    )


@pytest.mark.parametrize("routine", ALL_ROUTINES, ids=lambda routine: routine.id)
def test_routine_is_pleasant_at_its_default_length(routine: Routine) -> None:
    # A short session is a handful of unhurried moves, not a rush of tiny ones.
    moving = routine.default_minutes * 60 - _fixed(routine, 4)
    per_step = moving / len(routine.steps)
    assert per_step >= 25, f"{routine.id}: about {per_step:.0f} seconds per step"
    if routine.default_minutes <= 6:
        assert 4 <= len(routine.steps) <= 8, routine.id


@pytest.mark.parametrize("routine", ALL_ROUTINES, ids=lambda routine: routine.id)
def test_routine_has_prep_and_sensible_pauses(routine: Routine) -> None:
    assert routine.prep, routine.id
    prep_text = " ".join(routine.prep).lower()
    assert "hands" in prep_text, f"{routine.id}: prep does not mention clean hands"
    assert 10 <= routine.prep_seconds <= 20, routine.id
    assert 4 <= routine.transition_seconds <= 6, routine.id
    # The prep list is read aloud as "You need ...": keep it to a breath or two.
    assert sum(_words(item) for item in routine.prep) <= 22, routine.id
    for item in routine.prep:
        assert SPEAKABLE.match(item), item
        assert not item.lower().startswith(("wash", "use", "put", "skip", "apply")), (
            f"{routine.id}: prep items are things you need, not instructions: {item!r}"
        )


@pytest.mark.parametrize("routine", ALL_ROUTINES, ids=lambda routine: routine.id)
def test_routine_description_is_honest_and_carries_the_safety_note(routine: Routine) -> None:
    text = routine.description
    assert "stop if anything hurts" in text.lower(), routine.id
    assert not MEDICAL_CLAIMS.search(text), f"{routine.id}: {MEDICAL_CLAIMS.search(text)}"


def test_routine_kinds_fit_their_lengths() -> None:
    for routine in ALL_ROUTINES:
        if routine.kind == "daily":
            assert routine.min_minutes <= 5 <= routine.max_minutes, routine.id
        if routine.kind == "extended":
            assert routine.min_minutes <= 15 and routine.max_minutes >= 20, routine.id
    assert ROUTINES["morning-wake-up"].default_minutes == 5
    assert ROUTINES["evening-wind-down"].default_minutes == 5
    extended = ROUTINES["extended-sculpt"]
    assert (extended.min_minutes, extended.default_minutes, extended.max_minutes) == (15, 18, 20)
    assert len(extended.steps) >= 12


def test_tool_routines_use_their_tool_and_say_when_in_the_prep() -> None:
    gua_sha = ROUTINES["gua-sha-lymphatic"]
    roller = ROUTINES["roller-de-puff"]
    assert "gua-sha" in gua_sha.tools
    assert "roller" in roller.tools
    assert "moisturiser" in " ".join(gua_sha.prep).lower()
    assert "sunscreen" in (" ".join(gua_sha.prep) + gua_sha.description).lower()
    assert "serum" in " ".join(roller.prep).lower()
    assert sum(step.move.tool == "gua-sha" for step in gua_sha.steps) >= 3
    assert sum(step.move.tool == "roller" for step in roller.steps) >= 3
