"""The cue fitter: what is spoken, when, and never two phrases at once."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.core.cue_fit import (
    CUE_GAP_SECONDS,
    MAX_DELAY_SECONDS,
    MIN_HIGH_SLOT_SECONDS,
    MODEL_RATE_WPM,
    VERBOSITIES,
    DurationEstimator,
    Priority,
    fit_cues,
    kinds_for,
    text_variants,
)
from facegym_desktop.core.planner import Cue

EPSILON = 1e-6

KINDS_BY_PRIORITY = {
    "high": ("name", "count", "switch", "countdown"),
    "normal": ("welcome", "technique", "pressure", "caution", "halfway", "next", "close"),
    "low": ("tip", "prep"),
}
TEXTS = (
    "Two.",
    "Lift.",
    "Switch sides.",
    "Three, two, one.",
    "Halfway.",
    "Next up: jawline glide.",
    "Light pressure. Glide from the brows up to the hairline.",
    "Keep your wrists loose, let the fingers do the work, and breathe out slowly.",
    "Under the eyes, only the lightest touch. The skin there is thin. Go slowly.",
)


def words_estimate(text: str) -> float:
    """A simple, deterministic length: 0.4 s a word plus a little lead."""
    return 0.2 + 0.4 * len(re.findall(r"[\w'-]+", text))


@st.composite
def cue_lists(draw: st.DrawFn) -> list[Cue]:
    count = draw(st.integers(min_value=0, max_value=40))
    cues = []
    for _ in range(count):
        priority = draw(st.sampled_from(("high", "normal", "low")))
        kind = draw(st.sampled_from(KINDS_BY_PRIORITY[priority]))
        at = draw(st.integers(min_value=0, max_value=1200)) / 10
        text = draw(st.sampled_from(TEXTS))
        cues.append(Cue(at, text, priority, kind, int(at // 20)))
    return cues


def cue_order(cue: Cue) -> tuple[float, str, str, str, int]:
    return (cue.at, cue.text, cue.priority, cue.kind, cue.segment)


def segment_ends_for(cues: list[Cue]) -> dict[int, float]:
    return {cue.segment: (cue.segment + 1) * 20.0 for cue in cues}


@settings(max_examples=300, deadline=None)
@given(cues=cue_lists(), verbosity=st.sampled_from(VERBOSITIES), use_ends=st.booleans())
def test_spoken_cues_never_overlap(cues: list[Cue], verbosity: str, use_ends: bool) -> None:
    ends = segment_ends_for(cues) if use_ends else None
    fit = fit_cues(cues, words_estimate, verbosity, segment_ends=ends)
    for earlier, later in zip(fit.spoken, fit.spoken[1:], strict=False):
        assert earlier.end + CUE_GAP_SECONDS <= later.start + EPSILON, (earlier, later)
        assert earlier.start <= earlier.end


@settings(max_examples=300, deadline=None)
@given(cues=cue_lists(), verbosity=st.sampled_from(VERBOSITIES))
def test_high_priority_cues_are_never_dropped_or_shortened(cues: list[Cue], verbosity: str) -> None:
    fit = fit_cues(cues, words_estimate, verbosity, segment_ends=segment_ends_for(cues))
    allowed = kinds_for(verbosity)
    spoken_highs = [spoken for spoken in fit.spoken if spoken.cue.priority == "high"]
    expected = [
        cue for cue in cues if cue.priority == "high" and (allowed is None or cue.kind in allowed)
    ]
    assert sorted((s.cue for s in spoken_highs), key=cue_order) == sorted(expected, key=cue_order)
    assert all(spoken.text == spoken.cue.text and not spoken.shortened for spoken in spoken_highs)
    assert all(cue.priority != "high" for cue in fit.dropped)


@settings(max_examples=300, deadline=None)
@given(cues=cue_lists(), verbosity=st.sampled_from(VERBOSITIES))
def test_every_allowed_cue_is_either_spoken_or_dropped(cues: list[Cue], verbosity: str) -> None:
    fit = fit_cues(cues, words_estimate, verbosity)
    allowed = kinds_for(verbosity)
    expected = sorted((c for c in cues if allowed is None or c.kind in allowed), key=cue_order)
    accounted = sorted([spoken.cue for spoken in fit.spoken] + list(fit.dropped), key=cue_order)
    assert accounted == expected


@settings(max_examples=200, deadline=None)
@given(cues=cue_lists(), verbosity=st.sampled_from(VERBOSITIES))
def test_timing_and_text_rules(cues: list[Cue], verbosity: str) -> None:
    ends = segment_ends_for(cues)
    fit = fit_cues(cues, words_estimate, verbosity, segment_ends=ends)
    for spoken in fit.spoken:
        assert spoken.start >= spoken.cue.at - EPSILON
        if spoken.cue.priority != "high":
            assert spoken.delay <= MAX_DELAY_SECONDS + EPSILON
            # It fits whole in its slot, inside its segment.
            assert spoken.end == pytest.approx(spoken.start + words_estimate(spoken.text))
            assert spoken.end <= ends[spoken.cue.segment] + EPSILON
            assert spoken.text in text_variants(spoken.cue.text, brief=verbosity == "brief")
    # Within a segment, spoken cues keep the plan's order.
    by_segment: dict[int, list[int]] = {}
    for spoken in fit.spoken:
        by_segment.setdefault(spoken.cue.segment, []).append(spoken.cue.at)
    for ats in by_segment.values():
        assert ats == sorted(ats)


@settings(max_examples=100, deadline=None)
@given(cues=cue_lists(), verbosity=st.sampled_from(VERBOSITIES))
def test_deterministic(cues: list[Cue], verbosity: str) -> None:
    first = fit_cues(cues, words_estimate, verbosity)
    second = fit_cues(list(cues), words_estimate, verbosity)
    assert first == second


@settings(max_examples=200, deadline=None)
@given(
    gaps=st.lists(
        st.floats(min_value=MIN_HIGH_SLOT_SECONDS + CUE_GAP_SECONDS + 0.01, max_value=5.0),
        max_size=20,
    )
)
def test_spaced_high_cues_start_exactly_on_time(gaps: list[float]) -> None:
    at = 1.0
    cues = []
    for gap in gaps:
        cues.append(Cue(round(at, 3), "Three, two, one.", "high", "count", 0))
        at += gap
    fit = fit_cues(cues, words_estimate)
    assert [spoken.start for spoken in fit.spoken] == [cue.at for cue in cues]


def test_a_long_tip_is_shortened_to_fit_before_the_next_count() -> None:
    tip = "Keep your wrists loose. Let the fingers do the work. Breathe out slowly."
    cues = [Cue(10.0, tip, "low", "tip", 1), Cue(13.0, "Two.", "high", "count", 1)]
    fit = fit_cues(cues, words_estimate)
    texts = [spoken.text for spoken in fit.spoken]
    assert texts == ["Keep your wrists loose.", "Two."]
    assert fit.spoken[0].shortened
    assert fit.dropped == ()


def test_a_tip_with_no_room_is_dropped() -> None:
    cues = [
        Cue(10.0, "Lift.", "high", "count", 1),
        Cue(10.2, "Keep your wrists loose and easy.", "low", "tip", 1),
        Cue(11.0, "Two.", "high", "count", 1),
        Cue(12.0, "Three.", "high", "count", 1),
    ]
    fit = fit_cues(cues, words_estimate)
    assert [spoken.text for spoken in fit.spoken] == ["Lift.", "Two.", "Three."]
    assert [cue.kind for cue in fit.dropped] == ["tip"]


def test_a_cue_sharing_its_moment_with_the_move_name_follows_it() -> None:
    cues = [
        Cue(20.0, "Cheek lift.", "high", "name", 2),
        Cue(20.0, "Medium pressure.", "normal", "technique", 2),
    ]
    fit = fit_cues(cues, words_estimate)
    name, technique = fit.spoken
    assert name.start == 20.0
    assert technique.start == pytest.approx(name.end + CUE_GAP_SECONDS)


def test_high_cues_piled_up_get_a_minimum_slot_and_cut_the_earlier_one() -> None:
    cues = [
        Cue(5.0, "Jawline glide. Knuckles at the chin.", "high", "name", 1),
        Cue(5.0, "Lift.", "high", "count", 1),
    ]
    fit = fit_cues(cues, words_estimate)
    name, count = fit.spoken
    assert count.start == pytest.approx(5.0 + MIN_HIGH_SLOT_SECONDS + CUE_GAP_SECONDS)
    assert name.end == pytest.approx(count.start - CUE_GAP_SECONDS)


def test_verbosities_choose_kinds() -> None:
    cues = [
        Cue(0.0, "Morning wake-up. Let's get ready.", "normal", "welcome", 0),
        Cue(5.0, "Chin flicks.", "high", "name", 1),
        Cue(8.0, "Medium pressure. Quick upward flicks.", "normal", "technique", 1),
        Cue(14.0, "One.", "high", "count", 1),
        Cue(17.0, "Keep your wrists loose.", "low", "tip", 1),
        Cue(25.0, "Switch sides.", "high", "switch", 2),
        Cue(30.0, "Three, two, one.", "high", "countdown", 2),
    ]

    def kinds(verbosity: str) -> list[str]:
        return [spoken.cue.kind for spoken in fit_cues(cues, words_estimate, verbosity).spoken]

    assert kinds("full") == [cue.kind for cue in cues]
    assert kinds("brief") == ["name", "count", "switch", "countdown"]
    assert kinds("counts") == ["count", "switch", "countdown"]
    assert kinds("off") == []
    with pytest.raises(ValueError, match="verbosity"):
        kinds_for("loud")


def test_priorities_rank_high_first_and_unknown_as_low() -> None:
    assert [priority.rank for priority in Priority] == [0, 1, 2]
    assert Priority.rank_of("high") == 0 and Priority.rank_of("normal") == 1
    assert Priority.rank_of("urgent") == Priority.LOW.rank
    assert Priority.HIGH == "high" and str(Priority.LOW) == "low"


def test_the_model_scales_with_the_rate_it_was_fitted_at() -> None:
    fitted = DurationEstimator(MODEL_RATE_WPM).model("Circles on the cheeks, light pressure.")
    twice = DurationEstimator(MODEL_RATE_WPM * 2).model("Circles on the cheeks, light pressure.")
    assert DurationEstimator().rate_wpm == MODEL_RATE_WPM
    assert twice - 0.2 == pytest.approx((fitted - 0.2) / 2)


def test_brief_keeps_only_the_first_sentence() -> None:
    text = "Under the eyes, only the lightest touch. The skin there is thin."
    fit = fit_cues([Cue(1.0, text, "normal", "caution", 0)], words_estimate, "brief")
    assert [spoken.text for spoken in fit.spoken] == ["Under the eyes, only the lightest touch."]


def test_text_variants_cut_sentences_then_clauses() -> None:
    assert text_variants("Keep firm pressure on the bone, and go lighter near the ears.") == [
        "Keep firm pressure on the bone, and go lighter near the ears.",
        "Keep firm pressure on the bone.",
    ]
    assert text_variants("Two.") == ["Two."]
    assert text_variants("   ") == []


def test_estimator_learns_from_measured_clips() -> None:
    estimator = DurationEstimator(150)
    text = "Light pressure. Glide from the brows up to the hairline."
    modelled = estimator.estimate(text)
    assert 2.0 < modelled < 5.0
    estimator.record(text, modelled * 2)
    assert estimator.estimate(text) == modelled * 2
    assert estimator.correction == pytest.approx(2.0)
    other = "Halfway there, keep going."
    assert estimator.estimate(other) == pytest.approx(estimator.model(other) * 2)
    assert DurationEstimator(300).model(text) < DurationEstimator(120).model(text)


def test_real_plans_fit_without_losing_required_cues() -> None:
    from facegym_desktop.core.library import load_library
    from facegym_desktop.core.planner import plan
    from facegym_desktop.paths import builtin_routines_dir

    library = load_library(builtin_routines_dir())
    assert library.routines
    for routine in library.routines.values():
        timeline = plan(routine, routine.default_minutes)
        ends = {segment.index: segment.end for segment in timeline.segments}
        estimator = DurationEstimator()
        for verbosity in ("full", "brief", "counts"):
            fit = fit_cues(timeline.cues, estimator.estimate, verbosity, segment_ends=ends)
            assert all(cue.priority != "high" for cue in fit.dropped)
            for earlier, later in zip(fit.spoken, fit.spoken[1:], strict=False):
                assert earlier.end <= later.start
        full = fit_cues(timeline.cues, estimator.estimate, "full", segment_ends=ends)
        # The planner spaces cues for a calm voice; nearly all of them fit.
        assert len(full.dropped) <= len(timeline.cues) // 10, (routine.id, full.dropped)
