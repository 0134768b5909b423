"""Turn a routine and a session length into an exact timeline of segments and cues.

Pure and deterministic.  Scaling rules: the preparation, transitions, side switches
and rests keep their written length; timed moves stretch or shrink within their
limits (in whole seconds); counted moves change whole repetitions at their tempo.
Whenever the routine's range allows it, the total lands within a second of the
target; a remainder the repetitions cannot absorb becomes a short closing rest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from facegym_desktop.core.cue_fit import (
    CUE_GAP_SECONDS,
    MODEL_RATE_WPM,
    DurationEstimator,
    Priority,
    text_variants,
)
from facegym_desktop.core.number_text import given_number
from facegym_desktop.core.routine import Move, Routine, Step, side_count
from facegym_desktop.core.vocabulary import pressure_phrase

SWITCH_SECONDS = 3
# Counted moves open with time for the spoken name and technique before rep one:
# at least this much, and no more than the longest.
COUNT_LEAD_SECONDS = 4
MAX_COUNT_LEAD_SECONDS = 8
COUNTDOWN_SECONDS = 3
MIN_MOVE_FOR_COUNTDOWN = 20
MIN_MOVE_FOR_HALFWAY = 30
# A rough speaking rate, only used to space a move's opening cues apart.
_SECONDS_PER_WORD = 60 / MODEL_RATE_WPM
_CUE_GAP = 0.5
_SEARCH_STEPS = 80
# The voice's length model (cue_fit), for keeping lines clear of counted sequences.
_spoken_seconds = DurationEstimator().model


class SegmentKind(StrEnum):
    """What a stretch of the timeline is; values serialise as their strings."""

    PREP = "prep"  # getting ready before the first move
    MOVE = "move"  # a move, or one side of a two-sided move
    TRANSITION = "transition"  # the pause announcing the next move
    SWITCH = "switch"  # changing sides within a move
    REST = "rest"  # a rest after a step, or the short closing rest


PRIORITIES: tuple[Priority, ...] = tuple(Priority)
SEGMENT_KINDS: tuple[SegmentKind, ...] = tuple(SegmentKind)


class PlanRangeError(ValueError):
    """The requested length lies outside what the routine allows."""

    def __init__(self, routine: Routine, minutes: float) -> None:
        self.routine = routine
        self.minutes = minutes
        super().__init__(
            f"{routine.name} runs from {_minutes_text(routine.min_minutes)} to "
            f"{_minutes_text(routine.max_minutes)} minutes; "
            f"{given_number(minutes)} is outside that range"
        )


class _SegmentFields(NamedTuple):
    index: int  # type: ignore[assignment]  # the field, not tuple.index
    kind: SegmentKind
    start: float
    end: float
    name: str
    move_id: str | None = None
    areas: tuple[str, ...] = ()
    pressure: Mapping[str, str] = MappingProxyType({})
    side: str | None = None  # "left" | "right" for moves done one side at a time
    reps: int | None = None
    seconds_per_rep: float | None = None
    reps_start: float | None = None  # when rep one begins (after the spoken set-up)
    tempo: tuple[str, ...] = ()  # words spoken across each rep of a counted move
    step: int | None = None  # index into routine.steps


class Segment(_SegmentFields):
    """A stretch of the session timeline: preparation, a move, a pause or a side switch.

    Times are seconds from the session's start.  A kind given as its string ("move")
    becomes the member; an unknown one raises ValueError (``_replace`` copies without
    checking).  The plan's records are named tuples rather than dataclasses: a frozen
    dataclass compiles six generated methods when its module loads, and the start
    screen loads this one (bench/README.md).
    """

    __slots__ = ()

    def __new__(
        cls, index: int, kind: SegmentKind | str, start: float, end: float, name: str,
        *more: Any, **details: Any,
    ) -> Segment:  # fmt: skip
        return super().__new__(cls, index, SegmentKind(kind), start, end, name, *more, **details)

    @property
    def duration(self) -> float:
        return self.end - self.start

    def rep_at(self, position: float) -> int | None:
        """Which repetition (1-based) runs at ``position``; None before the first."""
        if self.reps is None or self.seconds_per_rep is None or self.reps_start is None:
            return None
        if position < self.reps_start:
            return None
        done = int((position - self.reps_start) // self.seconds_per_rep)
        return min(self.reps, done + 1)


class _CueFields(NamedTuple):
    at: float
    text: str
    priority: Priority
    kind: str
    segment: int


class Cue(_CueFields):
    """A line the coach says at a moment of the plan: ``at`` seconds from the start,
    in the segment whose index is ``segment``.  A priority given as its string
    ("high") becomes the member; an unknown one raises ValueError."""

    __slots__ = ()

    def __new__(
        cls, at: float, text: str, priority: Priority | str, kind: str, segment: int
    ) -> Cue:
        return super().__new__(cls, at, text, Priority(priority), kind, segment)


class Plan(NamedTuple):
    """A routine laid out in time for one chosen length."""

    routine_id: str
    routine_name: str
    target_seconds: int
    segments: tuple[Segment, ...]
    cues: tuple[Cue, ...]

    @property
    def total_seconds(self) -> float:
        return self.segments[-1].end if self.segments else 0.0

    @property
    def move_segments(self) -> tuple[Segment, ...]:
        return tuple(segment for segment in self.segments if segment.kind == SegmentKind.MOVE)

    def to_json(self) -> dict[str, Any]:
        """The documented JSON shape of ``facegym plan --json``."""
        segments = []
        for segment in self.segments:
            item: dict[str, Any] = {
                "kind": segment.kind,
                "move_id": segment.move_id,
                "name": segment.name,
                "start": _round(segment.start),
                "end": _round(segment.end),
                "areas": list(segment.areas),
                "pressure": dict(segment.pressure),
            }
            if segment.reps is not None:
                item["reps"] = segment.reps
                item["seconds_per_rep"] = segment.seconds_per_rep
            if segment.side is not None:
                item["side"] = segment.side
            segments.append(item)
        return {
            "routine": self.routine_id,
            "target_seconds": self.target_seconds,
            "total_seconds": _round(self.total_seconds),
            "segments": segments,
            "cues": [
                {"at": _round(cue.at), "text": cue.text, "priority": cue.priority, "kind": cue.kind}
                for cue in self.cues
            ],
        }


# ----------------------------------------------------------------------- scaling


class _Knob(NamedTuple):
    """One step's adjustable amount: seconds (timed) or reps (counted), per side."""

    default: int
    low: int
    high: int
    seconds_per_unit: float  # length one unit adds to the session (both sides counted)
    counted: bool = False


def _knob(step: Step) -> _Knob:
    sides = side_count(step.sides)
    timing = step.move.timing
    if timing.counted:
        return _Knob(
            timing.reps, timing.min_reps, timing.max_reps, timing.seconds_per_rep * sides, True
        )
    return _Knob(timing.seconds, timing.min_seconds, timing.max_seconds, float(sides))


def fixed_seconds(routine: Routine) -> float:
    """The part of a session that never scales: prep, transitions, switches, rests, set-ups."""
    total = float(routine.prep_seconds)
    for index, step in enumerate(routine.steps):
        if index > 0:
            total += routine.transition_seconds
        if step.sides == "each":
            total += SWITCH_SECONDS
        if step.move.timing.counted:
            total += count_lead_seconds(step.move) * side_count(step.sides)
        total += step.rest_after
    return total


def length_bounds(routine: Routine) -> tuple[float, float]:
    """Shortest and longest session, in seconds, the routine's steps allow."""
    knobs = [_knob(step) for step in routine.steps]
    fixed = fixed_seconds(routine)
    return (
        fixed + sum(k.low * k.seconds_per_unit for k in knobs),
        fixed + sum(k.high * k.seconds_per_unit for k in knobs),
    )


def _continuous_amounts(knobs: list[_Knob], budget: float) -> list[float]:
    """Scale every default by one factor, clamped to its limits, to fill ``budget``."""

    def amounts(factor: float) -> list[float]:
        return [min(k.high, max(k.low, k.default * factor)) for k in knobs]

    def length(values: list[float]) -> float:
        return sum(v * k.seconds_per_unit for v, k in zip(values, knobs, strict=True))

    low, high = 0.0, max(k.high / k.default for k in knobs)
    if length(amounts(low)) >= budget:
        return amounts(low)
    if length(amounts(high)) <= budget:
        return amounts(high)
    for _ in range(_SEARCH_STEPS):
        middle = (low + high) / 2
        if length(amounts(middle)) < budget:
            low = middle
        else:
            high = middle
    return amounts(high)


def _fill(knobs: list[_Knob], budget: float) -> tuple[list[int], float]:
    """Whole amounts for fine-grained knobs that never overshoot ``budget``.

    Returns the amounts and what is left of the budget (negative only when even the
    minimums do not fit).
    """
    if not knobs:
        return [], budget
    continuous = _continuous_amounts(knobs, budget)
    whole = [max(k.low, math.floor(v + 1e-9)) for v, k in zip(continuous, knobs, strict=True)]
    remaining = budget - sum(w * k.seconds_per_unit for w, k in zip(whole, knobs, strict=True))
    # Hand out single units to the steps that lost most in rounding, earlier first.
    order = sorted(range(len(knobs)), key=lambda i: (-(continuous[i] - whole[i]), i))
    progress = True
    while progress:
        progress = False
        for index in order:
            knob = knobs[index]
            if whole[index] < knob.high and knob.seconds_per_unit <= remaining + 1e-9:
                whole[index] += 1
                remaining -= knob.seconds_per_unit
                progress = True
    return whole, remaining


def _whole_amounts(knobs: list[_Knob], budget: float) -> tuple[list[int], float]:
    """Whole seconds and reps that fill ``budget`` as closely as the limits allow.

    Counted moves take the nearest whole number of reps first; timed moves then fill
    the rest to the second.  If the reps leave too little room, a rep comes off where
    rounding added most; if timed moves at their maximums leave room, reps go on where
    rounding took most.  Returns the amounts and the unfilled remainder.
    """
    continuous = _continuous_amounts(knobs, budget)
    counted = [i for i, k in enumerate(knobs) if k.counted]
    timed = [i for i, k in enumerate(knobs) if not k.counted]
    whole = [0] * len(knobs)
    for i in counted:
        whole[i] = min(knobs[i].high, max(knobs[i].low, round(continuous[i])))
    while True:
        counted_length = sum(whole[i] * knobs[i].seconds_per_unit for i in counted)
        timed_amounts, remaining = _fill([knobs[i] for i in timed], budget - counted_length)
        reducible = [i for i in counted if whole[i] > knobs[i].low]
        if remaining >= -1e-9 or not reducible:
            break
        whole[max(reducible, key=lambda i: (whole[i] - continuous[i], -i))] -= 1
    # Timed moves held at their maximums may leave room for whole reps: give them
    # to the steps that rounding cut most.
    for i in sorted(counted, key=lambda i: (whole[i] - continuous[i], i)):
        while whole[i] < knobs[i].high and knobs[i].seconds_per_unit <= remaining + 1e-9:
            whole[i] += 1
            remaining -= knobs[i].seconds_per_unit
    for i, amount in zip(timed, timed_amounts, strict=True):
        whole[i] = amount
    return whole, remaining


# ----------------------------------------------------------------------- planning


def plan(routine: Routine, minutes: float) -> Plan:
    """The timeline for ``routine`` at ``minutes``; raises PlanRangeError out of range."""
    if not (routine.min_minutes - 1e-9 <= minutes <= routine.max_minutes + 1e-9):
        raise PlanRangeError(routine, minutes)
    return plan_seconds(routine, round(minutes * 60))


def plan_seconds(routine: Routine, target_seconds: int) -> Plan:
    """The timeline for any target length, clamped to what the steps allow."""
    knobs = [_knob(step) for step in routine.steps]
    amounts, _ = _whole_amounts(knobs, target_seconds - fixed_seconds(routine))
    builder = _Builder(routine)
    builder.prep()
    for index, (step, amount) in enumerate(zip(routine.steps, amounts, strict=True)):
        following = routine.steps[index + 1] if index + 1 < len(routine.steps) else None
        builder.step(index, step, amount, following)
    # Reps come in whole units; a gap smaller than one unit becomes a closing rest.
    # A larger gap means the target lies beyond what the steps allow: no padding.
    leftover = target_seconds - builder.now
    largest_unit = max(knob.seconds_per_unit for knob in knobs)
    if 1 < leftover < largest_unit:
        builder.rest(leftover, "Breathe")
    builder.close()
    return Plan(
        routine_id=routine.id,
        routine_name=routine.name,
        target_seconds=target_seconds,
        segments=tuple(builder.segments),
        cues=tuple(sorted(builder.cues, key=lambda cue: (cue.at, cue.priority.rank))),
    )


class _Builder:
    """Lays segments end to end and schedules each one's cues."""

    def __init__(self, routine: Routine) -> None:
        self.routine = routine
        self.segments: list[Segment] = []
        self.cues: list[Cue] = []
        self.now = 0.0

    def _add(self, kind: SegmentKind, length: float, name: str, **extra: Any) -> Segment:
        segment = Segment(len(self.segments), kind, self.now, self.now + length, name, **extra)
        self.segments.append(segment)
        self.now = segment.end
        return segment

    def _cue(
        self, at: float, text: str, priority: Priority, kind: str, segment: Segment
    ) -> float:
        """Schedule a cue; returns when the next one may start without talking over it."""
        self.cues.append(Cue(round(at, 3), text, priority, kind, segment.index))
        return at + estimate_speech_seconds(text) + _CUE_GAP

    def prep(self) -> None:
        routine = self.routine
        if routine.prep_seconds <= 0:
            return
        segment = self._add(SegmentKind.PREP, routine.prep_seconds, "Get ready")
        at = self._cue(
            segment.start, f"{routine.name}. Let's get ready.", Priority.NORMAL, "welcome", segment
        )
        if routine.prep:
            checklist = "You need " + _join_words([item.rstrip(".") for item in routine.prep]) + "."
            self._cue(at, checklist, Priority.LOW, "prep", segment)
        if segment.duration >= COUNTDOWN_SECONDS * 2:
            self._countdown(segment)

    def _countdown(self, segment: Segment) -> None:
        """ "Three", "two", "one" on the last three seconds, in step with the ring."""
        for left in range(COUNTDOWN_SECONDS, 0, -1):
            word = number_word(left).capitalize() + "."
            self._cue(segment.end - left, word, Priority.HIGH, "countdown", segment)

    def step(self, index: int, step: Step, amount: int, following: Step | None) -> None:
        move = step.move
        if index > 0 and self.routine.transition_seconds > 0:
            segment = self._add(
                SegmentKind.TRANSITION,
                self.routine.transition_seconds,
                f"Next: {move.name}",
                move_id=move.id,
                areas=move.areas,
                pressure=dict(move.pressure),
                step=index,
            )
            self._cue(segment.start, f"Next up: {move.name}.", Priority.NORMAL, "next", segment)
        sides: tuple[str | None, ...] = ("left", "right") if step.sides == "each" else (None,)
        for side in sides:
            if side == "right":
                switch = self._add(
                    SegmentKind.SWITCH, SWITCH_SECONDS, "Switch sides", move_id=move.id, step=index
                )
                self._cue(switch.start, "Switch sides.", Priority.HIGH, "switch", switch)
            self._move(index, move, amount, side)
        if step.rest_after > 0:
            self.rest(step.rest_after, "Rest")

    def _move(self, index: int, move: Move, amount: int, side: str | None) -> None:
        timing = move.timing
        common = {
            "move_id": move.id,
            "areas": move.areas,
            "pressure": dict(move.pressure),
            "side": side,
            "step": index,
        }
        if timing.counted:
            lead = count_lead_seconds(move)
            length = lead + amount * timing.seconds_per_rep
            segment = self._add(
                SegmentKind.MOVE,
                length,
                move.name,
                reps=amount,
                seconds_per_rep=timing.seconds_per_rep,
                reps_start=self.now + lead,
                tempo=timing.tempo,
                **common,
            )
        else:
            segment = self._add(SegmentKind.MOVE, float(amount), move.name, **common)
        self._move_cues(move, segment)

    def _move_cues(self, move: Move, segment: Segment) -> None:
        opening = move.cues.intro
        if segment.side == "left":
            opening += " Left side first."
        elif segment.side == "right":
            opening = "Now the right side."
        at = self._cue(segment.start, opening, Priority.HIGH, "name", segment)
        said_until = segment.start + _spoken_seconds(opening)  # by the voice's model
        if segment.side != "right":
            technique = move.cues.technique or pressure_phrase(dict(move.pressure))
            lines = [(technique, "technique")]
            if move.caution:
                lines.append((move.caution, "caution"))
            for text, kind in lines:
                if segment.reps_start is None:
                    at = self._cue(at, text, Priority.NORMAL, kind, segment)
                    continue
                at = max(at, said_until + CUE_GAP_SECONDS)
                fitting = _before_counts(at, text, segment.reps_start)
                if fitting is not None:
                    said_until = at + _spoken_seconds(fitting)
                    at = self._cue(at, fitting, Priority.NORMAL, kind, segment)
        if segment.reps is not None:
            self._count_cues(move, segment)
            return
        # Timed moves: halfway mark, tips spread through the quiet stretches, a countdown.
        halfway = segment.start + segment.duration / 2
        countdown = segment.end - COUNTDOWN_SECONDS
        marks: list[tuple[float, str, Priority, str]] = []
        if segment.duration >= MIN_MOVE_FOR_HALFWAY:
            marks.append((halfway, "Halfway.", Priority.NORMAL, "halfway"))
        if segment.duration >= MIN_MOVE_FOR_COUNTDOWN:
            self._countdown(segment)
        tips = move.cues.tips
        if tips:
            quiet_end = countdown if segment.duration >= MIN_MOVE_FOR_COUNTDOWN else segment.end
            slots = len(tips) + 1
            for number, tip in enumerate(tips, start=1):
                tip_at = at + (quiet_end - at) * number / slots
                clear_of_halfway = not marks or abs(tip_at - halfway) > 2.5
                if tip_at + estimate_speech_seconds(tip) < quiet_end and clear_of_halfway:
                    marks.append((tip_at, tip, Priority.LOW, "tip"))
        for mark_at, text, priority, kind in marks:
            self._cue(mark_at, text, priority, kind, segment)

    def _count_cues(self, move: Move, segment: Segment) -> None:
        self.cues.extend(count_cues(segment))

    def rest(self, length: float, name: str) -> None:
        segment = self._add(SegmentKind.REST, length, name)
        if length >= 3:
            self._cue(
                segment.start, "Rest your hands and breathe.", Priority.NORMAL, "rest", segment
            )

    def close(self) -> None:
        if self.segments:
            last = self.segments[-1]
            self.cues.append(
                Cue(
                    round(last.end, 3),
                    "Well done. Your session is complete.",
                    Priority.NORMAL,
                    "close",
                    last.index,
                )
            )


# ------------------------------------------------------------------------ helpers


def count_lead_seconds(move: Move) -> int:
    """Whole seconds before rep one: room to say the move's name and technique."""
    spoken = [move.cues.intro, move.cues.technique or pressure_phrase(dict(move.pressure))]
    needed = sum(estimate_speech_seconds(text) + _CUE_GAP for text in spoken)
    return int(min(MAX_COUNT_LEAD_SECONDS, max(COUNT_LEAD_SECONDS, math.ceil(needed))))


def _before_counts(at: float, text: str, counts_start: float) -> str | None:
    """``text``, or its longest shorter form (``cue_fit.text_variants``), that said
    from ``at`` ends a cue gap before the counts begin; None when none does.

    A move's opening lines come before its counted sequence: one that would run into
    the counts is shortened to fit ahead of them, or left out.
    """
    for variant in text_variants(text):
        if at + _spoken_seconds(variant) + CUE_GAP_SECONDS <= counts_start:
            return variant
    return None


def count_cues(segment: Segment) -> list[Cue]:
    """The spoken count of a counted move: each rep's number, or its tempo words."""
    if segment.reps is None or segment.seconds_per_rep is None or segment.reps_start is None:
        return []
    cues = []
    for rep in range(1, segment.reps + 1):
        rep_start = segment.reps_start + (rep - 1) * segment.seconds_per_rep
        if not segment.tempo:
            word = (
                "Last one."
                if rep == segment.reps and rep > 1
                else number_word(rep).capitalize() + "."
            )
            cues.append(Cue(round(rep_start, 3), word, Priority.HIGH, "count", segment.index))
            continue
        beat = segment.seconds_per_rep / len(segment.tempo)
        for position, word in enumerate(segment.tempo):
            at = round(rep_start + position * beat, 3)
            cues.append(Cue(at, word.capitalize(), Priority.HIGH, "count", segment.index))
    return cues


def estimate_speech_seconds(text: str) -> float:
    """A quick length estimate for spacing cues, at :data:`MODEL_RATE_WPM`."""
    return max(0.6, len(text.split()) * _SECONDS_PER_WORD)


_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_word(number: int) -> str:
    """English words for 0-100, for spoken counts."""
    if number < 20:
        return _ONES[number]
    if number == 100:
        return "one hundred"
    tens, ones = divmod(number, 10)
    return _TENS[tens] + ("" if ones == 0 else "-" + _ONES[ones])


def _join_words(items: list[str]) -> str:
    items = [item[:1].lower() + item[1:] for item in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _round(value: float) -> float:
    return round(value, 3)


def _minutes_text(minutes: float) -> str:
    return str(int(minutes)) if float(minutes).is_integer() else f"{minutes:g}"
