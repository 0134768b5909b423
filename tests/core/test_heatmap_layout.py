"""Month labels of the calendar heatmap never overlap, whatever day the year starts."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.core.heatmap_layout import LABEL_GAP, month_label_places
from facegym_desktop.core.stats import heatmap


def naive_overlaps(labels: tuple[tuple[int, str], ...], pitch: float, width: float) -> bool:
    return any(
        (later - earlier) * pitch < width
        for (earlier, _), (later, _) in zip(labels, labels[1:], strict=False)
    )


@settings(max_examples=30, deadline=None)
@given(
    pitch=st.floats(6.0, 24.0),
    char_width=st.floats(4.0, 12.0),
)
def test_no_two_labels_overlap_on_any_day_of_the_year(pitch: float, char_width: float) -> None:
    overlapping_before = 0
    for offset in range(366):
        today = date(2026, 1, 1) + timedelta(days=offset)
        labels = heatmap([], today).month_labels
        places = month_label_places(labels, 34.0, pitch, lambda text: char_width * len(text))
        for before, after in zip(places, places[1:], strict=False):
            assert before.right + LABEL_GAP <= after.x
        if 4 * pitch >= char_width * 3 + LABEL_GAP:
            # Every month spans at least four columns, so only the first, partial
            # month can be crowded out.
            assert [p.text for p in places] in ([t for _, t in labels], [t for _, t in labels][1:])
        overlapping_before += naive_overlaps(labels, pitch, char_width * 3)
    if char_width * 3 > pitch:
        assert overlapping_before > 0  # the case the layout exists for does occur


def test_the_late_starting_month_gives_way_to_the_next() -> None:
    # 53 weeks back from 2026-11-25 starts on Monday 2025-11-24: "Nov" at column 0,
    # "Dec" at column 1.
    labels = heatmap([], date(2026, 11, 25)).month_labels
    assert labels[:2] == ((0, "Nov"), (1, "Dec"))
    places = month_label_places(labels, 34.0, 15.0, lambda text: 22.0)
    assert places[0].text == "Dec" and places[0].x == 34.0 + 15.0


def test_labels_past_the_right_edge_are_dropped() -> None:
    places = month_label_places([(0, "Jan"), (10, "Feb")], 0.0, 10.0, lambda t: 30.0, 120.0)
    assert [p.text for p in places] == ["Jan"]
