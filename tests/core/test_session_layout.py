"""Column shares of the session screen, and the key hints wrapped into even lines."""

from __future__ import annotations

from itertools import accumulate

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.core.session_layout import (
    COLUMN_SHARES,
    TECHNIQUE_MIN_LINES,
    TextColumnFit,
    balanced_lines,
    column_spans,
    fit_text_column,
    guide_columns,
    title_sizes,
)


@pytest.mark.parametrize("width", [0, 7, 900, 968, 1224, 1864])
def test_columns_fill_the_width_in_order_with_their_gaps(width: int) -> None:
    spans = column_spans(width, 24)
    assert len(spans) == len(COLUMN_SHARES)
    assert spans[0][0] == 0
    for (x, w), (next_x, _) in zip(spans, spans[1:], strict=False):
        assert next_x == x + w + 24
    x, w = spans[-1]
    if width >= 48:
        assert x + w == width


def test_columns_follow_the_shares() -> None:
    spans = column_spans(1000, 0, (1, 2, 1))
    assert [w for _, w in spans] == [250, 500, 250]
    spans = column_spans(1224, 24)
    free = 1224 - 48
    for (_, w), share in zip(spans, COLUMN_SHARES, strict=True):
        assert abs(w - free * share / sum(COLUMN_SHARES)) <= 1


def test_the_ring_column_is_the_widest() -> None:
    widths = [w for _, w in column_spans(1280, 24)]
    assert widths[1] == max(widths)


@pytest.mark.parametrize("shares", [(), (1, 0, 1), (1, -2)])
def test_bad_shares_are_refused(shares) -> None:
    with pytest.raises(ValueError):
        column_spans(900, 10, shares)


# A title of 60 px, gaps of 10, technique lines of 20 px (5 needed), a guide of 300
# px whole and 200 without its feel lines: 60 + 10 + 100 + 10 + 300 = 480.
TITLE, GAP, LINE, LINES, GUIDE, COMPACT = 60, 10, 20, 5, 300, 200


def fit(room: int) -> TextColumnFit:
    return fit_text_column(room, GAP, TITLE, LINE, LINES, GUIDE, COMPACT)


def test_everything_shows_when_there_is_room() -> None:
    assert fit(480) == TextColumnFit(compact_guide=False, technique_lines=5, fits=True)


def test_the_technique_gives_lines_first_down_to_its_minimum() -> None:
    assert fit(479) == TextColumnFit(False, 4, True)
    assert fit(480 - 3 * LINE) == TextColumnFit(False, TECHNIQUE_MIN_LINES, True)


def test_then_the_guide_drops_its_feel_lines_and_the_technique_the_rest() -> None:
    # One px short of the whole guide under two technique lines: the compact guide
    # leaves room for the whole technique again.
    assert fit(480 - 3 * LINE - 1) == TextColumnFit(True, 5, True)
    assert fit(TITLE + GAP + LINE + GAP + COMPACT) == TextColumnFit(True, 1, True)
    assert fit(TITLE + GAP + COMPACT) == TextColumnFit(True, 0, True)


def test_a_column_too_short_for_anything_says_so() -> None:
    assert fit(TITLE + GAP + COMPACT - 1) == TextColumnFit(True, 0, False)


def test_a_move_without_technique_needs_no_lines() -> None:
    assert fit_text_column(400, GAP, TITLE, LINE, 0, GUIDE, COMPACT) == TextColumnFit(
        False, 0, True
    )


def test_title_sizes_shrink_to_the_body_text_size() -> None:
    assert title_sizes(26, 22) == (38, 36, 34, 32, 30, 28, 26, 24, 22)
    assert title_sizes(21, 18)[-1] == 18
    assert title_sizes(10, 30) == (22,)


def test_guide_rows_take_one_line_when_their_widest_parts_fit_side_by_side() -> None:
    # Each column as wide as its widest entry; two gaps between the three columns.
    assert guide_columns(300, 10, [90, 120], 60, [70, 40]) == (120, 60, 70)
    assert guide_columns(270, 10, [90, 120], 60, [70, 40]) == (120, 60, 70)
    assert guide_columns(269, 10, [90, 120], 60, [70, 40]) is None


def test_guide_columns_need_rows_and_a_level_for_each_name() -> None:
    assert guide_columns(300, 10, [], 60, []) is None
    with pytest.raises(ValueError):
        guide_columns(300, 10, [90], 60, [])


def _line_widths(widths: list[int], gap: int, counts: list[int]) -> list[int]:
    ends = list(accumulate(counts))
    starts = [0, *ends[:-1]][: len(ends)]
    return [sum(widths[a:b]) + gap * (b - a - 1) for a, b in zip(starts, ends, strict=True)]


def _every_split(count: int) -> list[list[int]]:
    """Every way to cut ``count`` items, in order, into lines: the counts per line."""
    splits = []
    for cuts in range(2 ** max(0, count - 1)):
        counts, line = [], 1
        for position in range(count - 1):
            if cuts >> position & 1:
                counts.append(line)
                line = 0
            line += 1
        splits.append([*counts, line] if count else [])
    return splits


@given(
    st.lists(st.integers(1, 200), max_size=8),
    st.integers(0, 40),
    st.integers(1, 900),
)
def test_wrapped_hints_take_the_fewest_lines_and_the_narrowest_widest_line(
    widths: list[int], gap: int, available: int
) -> None:
    counts = balanced_lines(widths, gap, available)
    assert sum(counts) == len(widths) and all(count >= 1 for count in counts)

    def fits(split: list[int]) -> bool:  # a line too wide only when it holds one item
        lines = _line_widths(widths, gap, split)
        return all(w <= available or n == 1 for w, n in zip(lines, split, strict=True))

    assert fits(counts)
    allowed = [split for split in _every_split(len(widths)) if fits(split)]
    fewest = min(len(split) for split in allowed)
    assert len(counts) == fewest
    if widths:
        narrowest = min(
            max(_line_widths(widths, gap, split)) for split in allowed if len(split) == fewest
        )
        assert max(_line_widths(widths, gap, counts)) == narrowest


def test_seven_hints_that_miss_one_line_by_a_little_wrap_four_and_three() -> None:
    # Filling the first line would put six on it and leave the last hint alone.
    assert balanced_lines([100] * 7, 20, 700) == [4, 3]
    assert balanced_lines([100] * 7, 20, 820) == [7]
    assert balanced_lines([], 20, 700) == []
