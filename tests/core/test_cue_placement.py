"""No low or normal line is said inside a counted sequence: not in the plan the captions
follow, not in what the voice is fitted to say."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.core.cue_fit import (
    VERBOSITIES,
    DurationEstimator,
    Priority,
    count_spans,
    fit_cues,
)
from facegym_desktop.core.library import load_library
from facegym_desktop.core.planner import Cue, plan
from facegym_desktop.paths import builtin_routines_dir

ESTIMATE = DurationEstimator().model
LIBRARY = load_library(builtin_routines_dir())


def lengths(routine) -> list[float]:
    """The shortest, the default, the longest and a few lengths between, in minutes."""
    low, high = routine.min_minutes, routine.max_minutes
    steps = [low + (high - low) * share for share in (0, 0.25, 0.5, 0.75, 1)]
    return sorted({*steps, routine.default_minutes})


def overlaps(start: float, end: float, spans: list[tuple[float, float]]) -> bool:
    return any(start < span_end and end > span_start for span_start, span_end in spans)


@pytest.mark.parametrize("routine_id", sorted(LIBRARY.routines))
def test_no_line_lands_inside_a_counted_sequence(routine_id: str) -> None:
    routine = LIBRARY.routines[routine_id]
    for minutes in lengths(routine):
        timeline = plan(routine, minutes)
        spans = count_spans(timeline.cues, ESTIMATE)
        for cue in timeline.cues:
            if cue.priority != Priority.HIGH:
                end = cue.at + ESTIMATE(cue.text)
                assert not overlaps(cue.at, end, spans), (routine_id, minutes, cue)
        ends = {segment.index: segment.end for segment in timeline.segments}
        for verbosity in VERBOSITIES:
            fit = fit_cues(timeline.cues, ESTIMATE, verbosity, segment_ends=ends)
            for spoken in fit.spoken:
                if spoken.cue.priority != Priority.HIGH:
                    assert not overlaps(spoken.start, spoken.end, spans), (
                        routine_id,
                        minutes,
                        verbosity,
                        spoken,
                    )


def test_the_platysma_caution_no_longer_falls_between_four_and_five() -> None:
    routine = LIBRARY.routines["tension-release"]
    timeline = plan(routine, 8)
    [segment] = [s for s in timeline.move_segments if s.move_id == "platysma-stretch"]
    lines = [c for c in timeline.cues if c.segment == segment.index and c.kind != "count"]
    assert [c.kind for c in lines] == ["name", "technique"]
    assert all(c.at + ESTIMATE(c.text) <= segment.reps_start for c in lines)
    # The technique keeps as much as fits before the first count.
    assert lines[1].text == "Bottom teeth ahead of the top ones, light hands on the collarbone."


@given(
    st.lists(st.integers(0, 200), min_size=1, max_size=12),
    st.integers(0, 200),
    st.sampled_from(["Move slowly.", "Keep the jaw pushed forward the whole time."]),
    st.sampled_from([Priority.NORMAL, Priority.LOW]),
)
@settings(max_examples=200, deadline=None)
def test_the_fitter_keeps_lines_out_of_the_pauses_between_counts(
    count_tenths: list[int], at_tenths: int, text: str, priority: Priority
) -> None:
    """Counts far enough apart to leave room for a short line between them still
    keep it out: it moves past the sequence within its delay, or is dropped."""
    counts = [Cue(t / 2, "Two.", Priority.HIGH, "count", 1) for t in sorted(set(count_tenths))]
    line = Cue(at_tenths / 2, text, priority, "tip", 1)
    fit = fit_cues([*counts, line], ESTIMATE)
    spans = count_spans(counts, ESTIMATE)
    for spoken in fit.spoken:
        if spoken.cue is line:
            assert not overlaps(spoken.start, spoken.end, spans)
