"""Which planned cues the coach speaks, when, and in how many words.

A pure function of the cue list, a length estimate per phrase and the verbosity:
spoken cues never overlap, a cue that would collide is shortened (trailing
sentences, then trailing clauses) or dropped, and high-priority cues (move names,
counts, switching sides, the countdown) are always kept.  The same input always
gives the same result.

Lengths come from :class:`DurationEstimator`: words and speaking rate at first,
replaced by the measured length of each clip once the speech worker has rendered it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple, Protocol


class Priority(StrEnum):
    """How much a cue matters, most first.

    High cues (move names, counts, switching sides, the countdown) are always
    spoken and cut off whatever is playing; normal cues may be shortened, delayed or
    dropped; low cues (tips, the preparation list) go first when time is short.
    Values serialise as their strings ("high", "normal", "low").
    """

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for high, 1 for normal, 2 for low: the order cues are placed in."""
        return _PRIORITY_ORDER.index(self)

    @classmethod
    def rank_of(cls, priority: str) -> int:
        """The rank of a priority given as a string; an unknown one ranks as low."""
        try:
            return cls(priority).rank
        except ValueError:
            return cls.LOW.rank


_PRIORITY_ORDER: tuple[Priority, ...] = tuple(Priority)

VERBOSITIES: tuple[str, ...] = ("full", "brief", "counts", "off")

# Kinds each verbosity speaks; "full" speaks every kind.
_BRIEF_KINDS = frozenset(
    {"name", "caution", "count", "halfway", "switch", "next", "countdown", "close"}
)
_COUNTS_KINDS = frozenset({"count", "countdown", "switch"})

# The speaking rate the length model below was fitted at, in words a minute.
MODEL_RATE_WPM = 150
# Silence kept between two spoken cues, so one does not run into the next.
CUE_GAP_SECONDS = 0.15
# A normal or low cue may wait this long for an earlier one to finish.
MAX_DELAY_SECONDS = 3.0
# A high-priority cue always gets at least this much air before the next one cuts in.
MIN_HIGH_SLOT_SECONDS = 0.5
# A clause cut from a longer cue must keep at least this many words to make sense.
_MIN_CLAUSE_WORDS = 3

_WORD = re.compile(r"[\w'’-]+")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class CueLike(Protocol):
    """What the fitter reads from a planner cue."""

    @property
    def at(self) -> float: ...
    @property
    def text(self) -> str: ...
    @property
    def priority(self) -> Priority: ...
    @property
    def kind(self) -> str: ...
    @property
    def segment(self) -> int: ...


class SpokenCue(NamedTuple):
    """One cue the coach will say: its text (maybe shortened) and its time slot."""

    cue: CueLike
    text: str
    start: float  # plan seconds; never before ``cue.at``
    end: float  # plan seconds when it has finished (or is cut by the next high cue)
    shortened: bool

    @property
    def delay(self) -> float:
        """How long after its planned moment the cue starts (0 for high cues)."""
        return self.start - self.cue.at


class Fit(NamedTuple):
    """What the coach will say of a plan's cues, and what it leaves out for lack of room."""

    spoken: tuple[SpokenCue, ...]  # in start order
    dropped: tuple[CueLike, ...]  # allowed by the verbosity, but no room


class DurationEstimator:
    """Seconds a phrase takes to say at a rate, learning from measured clips.

    Before any clip is measured the estimate is a word-and-pause model of the
    espeak-ng voice at ``rate_wpm``.  Each measured clip is remembered exactly, and
    the ratio of measured to modelled lengths corrects estimates of phrases not
    rendered yet.  Not thread-safe; the coach guards it with its own lock.
    """

    def __init__(self, rate_wpm: int = MODEL_RATE_WPM) -> None:
        self.rate_wpm = max(40, int(rate_wpm))
        self._measured: dict[str, float] = {}
        self._ratio_sum = 0.0
        self._ratio_count = 0

    def model(self, text: str) -> float:
        """The uncorrected estimate from words, syllables, pauses and the rate.

        Fitted to espeak-ng's English voice at :data:`MODEL_RATE_WPM` over the cues of
        the built-in routines (clips trimmed of edge silence): within 7% on average.
        """
        words = _WORD.findall(text)
        if not words:
            return 0.0
        syllables = sum(max(1, len(_VOWEL_GROUP.findall(word.lower()))) for word in words)
        commas = sum(text.count(mark) for mark in ",;:")
        sentences = len(re.findall(r"[.!?](?:\s|$)", text.strip() + " "))
        inner_stops = max(0, sentences - 1)
        scale = MODEL_RATE_WPM / self.rate_wpm
        spoken = 0.1 * len(words) + 0.141 * syllables + 0.47 * commas + 0.49 * inner_stops
        return 0.2 + scale * spoken

    @property
    def correction(self) -> float:
        if self._ratio_count == 0:
            return 1.0
        return self._ratio_sum / self._ratio_count

    def estimate(self, text: str) -> float:
        measured = self._measured.get(text)
        if measured is not None:
            return measured
        return self.model(text) * self.correction

    def record(self, text: str, seconds: float) -> None:
        """Remember the measured length of a rendered clip of ``text``."""
        if seconds <= 0 or text in self._measured:
            self._measured[text] = max(seconds, self._measured.get(text, 0.0))
            return
        self._measured[text] = seconds
        modelled = self.model(text)
        if modelled > 0:
            self._ratio_sum += seconds / modelled
            self._ratio_count += 1

    def measured(self, text: str) -> float | None:
        return self._measured.get(text)


def kinds_for(verbosity: str) -> frozenset[str] | None:
    """The cue kinds a verbosity speaks; None means every kind."""
    if verbosity == "full":
        return None
    if verbosity == "brief":
        return _BRIEF_KINDS
    if verbosity == "counts":
        return _COUNTS_KINDS
    if verbosity == "off":
        return frozenset()
    raise ValueError(f"unknown verbosity {verbosity!r}; use one of {', '.join(VERBOSITIES)}")


def is_required(cue: CueLike) -> bool:
    """High-priority cues are never dropped for lack of room."""
    return cue.priority == Priority.HIGH


def count_spans(
    cues: Iterable[CueLike], estimate: Callable[[str], float]
) -> list[tuple[float, float]]:
    """Where counted sequences are spoken, as (start, end) plan seconds, sorted.

    One span per segment with counts: from its first count's time to the end of its
    last count (its time plus ``estimate(text)``).  Normal and low cues never overlap
    a span, not even in the pauses between two counts.
    """
    spans: dict[int, tuple[float, float]] = {}
    for cue in cues:
        if cue.kind != "count":
            continue
        end = cue.at + max(0.0, estimate(" ".join(cue.text.split())))
        low, high = spans.get(cue.segment, (cue.at, end))
        spans[cue.segment] = (min(low, cue.at), max(high, end))
    return sorted(spans.values())


def text_variants(text: str, *, brief: bool = False) -> list[str]:
    """The text and its shorter forms, longest first.

    Trailing sentences go first; then, within the first sentence, trailing clauses
    after a comma, as long as what is left still has a few words.  ``brief`` keeps
    the first sentence at most.
    """
    text = " ".join(text.split())
    sentences = [part for part in _SENTENCE_END.split(text) if part]
    if not sentences:
        return []
    variants = [" ".join(sentences[:count]) for count in range(len(sentences), 0, -1)]
    first = sentences[0]
    clauses = first.split(", ")
    for count in range(len(clauses) - 1, 0, -1):
        clause_text = ", ".join(clauses[:count]).rstrip(",;: ")
        if len(_WORD.findall(clause_text)) < _MIN_CLAUSE_WORDS:
            break
        variants.append(clause_text + ".")
    if brief:
        variants = variants[len(sentences) - 1 :]
    seen: set[str] = set()
    unique = []
    for variant in variants:
        if variant not in seen:
            seen.add(variant)
            unique.append(variant)
    return unique


class _Slot:
    """A span of the timeline taken by one spoken cue, or by counting (segment -1).

    ``order`` is the plan order (at, index); ``start`` and ``end`` are seconds.  A
    plain class rather than a dataclass: it is made at start-up, where a dataclass
    compiles its generated methods (bench/README.md), and ``end`` changes when a
    later high cue cuts one short.
    """

    __slots__ = ("order", "segment", "start", "end")

    def __init__(self, order: tuple[float, int], segment: int, start: float, end: float) -> None:
        self.order = order
        self.segment = segment
        self.start = start
        self.end = end


def fit_cues(
    cues: Iterable[CueLike],
    estimate: Callable[[str], float],
    verbosity: str = "full",
    *,
    segment_ends: Mapping[int, float] | None = None,
    gap: float = CUE_GAP_SECONDS,
    max_delay: float = MAX_DELAY_SECONDS,
) -> Fit:
    """Choose what is spoken and when.

    - High cues start at their time (only a pile-up of high cues closer than
      ``MIN_HIGH_SLOT_SECONDS`` pushes one later); an earlier high cue still
      talking when the next one is due is cut off at that moment.
    - Then normal cues, then low ones, each in time order, take the earliest start
      within ``max_delay`` of their time where they fit whole; failing that, a
      shortened text; failing that, they are dropped.
    - Within one segment, spoken cues keep the plan's order, and a cue that starts
      inside its segment finishes before the segment ends.
    - Normal and low cues stay clear of every counted sequence (``count_spans``), even
      where its counts leave a pause.
    """
    allowed = kinds_for(verbosity)
    ordered = sorted(enumerate(cues), key=lambda item: (item[1].at, item[0]))
    chosen = [(index, cue) for index, cue in ordered if allowed is None or cue.kind in allowed]
    brief = verbosity == "brief"
    ends = segment_ends or {}

    slots: list[_Slot] = []
    result: dict[int, SpokenCue] = {}

    # High cues first: fixed in time.
    highs = [(index, cue) for index, cue in chosen if is_required(cue)]
    previous: tuple[int, _Slot, float] | None = None
    for index, cue in highs:
        text = " ".join(cue.text.split())
        length = max(0.0, estimate(text))
        start = cue.at
        if previous is not None:
            previous_index, previous_slot, previous_length = previous
            earliest = previous_slot.start + min(previous_length, MIN_HIGH_SLOT_SECONDS) + gap
            start = max(start, earliest)
            if previous_slot.end > start - gap:
                previous_slot.end = max(previous_slot.start, start - gap)
                old = result[previous_index]
                result[previous_index] = SpokenCue(
                    old.cue, old.text, old.start, previous_slot.end, old.shortened
                )
        slot = _Slot((cue.at, index), cue.segment, start, start + length)
        slots.append(slot)
        result[index] = SpokenCue(cue, text, start, slot.end, False)
        previous = (index, slot, length)

    # Then the rest by priority, each in time order, clear of the counted sequences.
    spans = count_spans((cue for _, cue in chosen), estimate)
    counting = [_Slot((start, -1), -1, start, end) for start, end in spans]
    others = sorted(
        ((index, cue) for index, cue in chosen if not is_required(cue)),
        key=lambda item: (Priority.rank_of(item[1].priority), item[1].at, item[0]),
    )
    dropped: list[int] = []
    for index, cue in others:
        placed = _place(cue, index, estimate, slots, counting, ends, gap, max_delay, brief)
        if placed is None:
            dropped.append(index)
            continue
        text, slot = placed
        slots.append(slot)
        result[index] = SpokenCue(
            cue, text, slot.start, slot.end, text != " ".join(cue.text.split())
        )

    by_index = dict(ordered)
    spoken = sorted(result.items(), key=lambda item: (item[1].start, item[0]))
    return Fit(
        spoken=tuple(entry for _, entry in spoken),
        dropped=tuple(
            by_index[index] for index in sorted(dropped, key=lambda i: (by_index[i].at, i))
        ),
    )


def _place(
    cue: CueLike,
    index: int,
    estimate: Callable[[str], float],
    slots: Sequence[_Slot],
    blocked: Sequence[_Slot],
    segment_ends: Mapping[int, float],
    gap: float,
    max_delay: float,
    brief: bool,
) -> tuple[str, _Slot] | None:
    """The text and slot for a normal or low cue, or None when it has no room.

    ``slots`` are the cues placed so far; ``blocked`` are stretches no such cue may
    overlap (the counted sequences)."""
    order = (cue.at, index)
    # Plan order within the segment: after every earlier cue, before every later one.
    lowest = cue.at
    highest = float("inf")
    for slot in slots:
        if slot.segment != cue.segment:
            continue
        if slot.order < order:
            lowest = max(lowest, slot.end + gap)
        else:
            highest = min(highest, slot.start - gap)
    segment_end = segment_ends.get(cue.segment)
    if segment_end is not None and cue.at < segment_end:
        highest = min(highest, segment_end)
    latest_start = cue.at + max_delay
    if lowest > latest_start:
        return None
    taken = [*slots, *blocked]
    candidates = sorted(
        {lowest} | {slot.end + gap for slot in taken if lowest < slot.end + gap <= latest_start}
    )
    for text in text_variants(cue.text, brief=brief):
        length = max(0.0, estimate(text))
        for start in candidates:
            end = start + length
            if end > highest:
                break
            if all(end + gap <= slot.start or start >= slot.end + gap for slot in taken):
                return text, _Slot(order, cue.segment, start, end)
    return None
