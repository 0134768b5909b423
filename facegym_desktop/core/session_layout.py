"""How the session screen shares its space between its columns and texts (no Qt here).

The screen is laid out ring first: the face map, the countdown ring and the text
column (move name, technique, pressure guide) each get a fixed share of the width,
whatever they hold, so the ring never moves when the text beside it changes.
Inside the text column, a longer name or a larger guide never overflows it: the
name takes a smaller size, then the technique and the guide show less
(:func:`fit_text_column`), and a compact guide puts each area on one line when its
columns fit the width (:func:`guide_columns`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Face map, ring, text column.  The ring's share sets the size of its number; the
# face map's keeps the face about as large as the ring; the text column's lets a
# compact pressure guide row (area, scale, level) take one line.
COLUMN_SHARES: tuple[float, float, float] = (0.30, 0.37, 0.33)


def column_spans(
    width: int, spacing: int, shares: Sequence[float] = COLUMN_SHARES
) -> tuple[tuple[int, int], ...]:
    """(x, width) in pixels of each column across ``width``, ``spacing`` px apart.

    Widths follow ``shares`` (any positive numbers; only their ratios count) of the
    width left after the gaps, rounded so they add up exactly; a column never gets a
    negative width.  Raises ValueError for no shares or a share that is not positive.
    """
    if not shares or any(not share > 0 for share in shares):
        raise ValueError(f"shares must be positive numbers: {shares!r}")
    free = max(0, width - spacing * (len(shares) - 1))
    total = sum(shares)
    spans: list[tuple[int, int]] = []
    x = 0
    used_share = 0.0
    for share in shares:
        used_share += share
        end = round(free * used_share / total)
        start = x - spacing * len(spans)
        spans.append((x, max(0, end - start)))
        x += spans[-1][1] + spacing
    return tuple(spans)


# The text column: the move's name takes at most this many lines, in the largest of
# its sizes at which no word is cut; the technique is cut to as many lines as leave
# the pressure guide room, and drops below this many lines only once the guide has
# given up its feel lines.
TITLE_LINES = 2
TECHNIQUE_MIN_LINES = 2


@dataclass(frozen=True)
class TextColumnFit:
    """What the text column shows: the guide's feel lines or not, and how many lines
    of the technique (0 hides it).  ``fits`` is False when even the most compact
    choice is taller than the column."""

    compact_guide: bool
    technique_lines: int
    fits: bool


def fit_text_column(
    room: int,
    spacing: int,
    title: int,
    technique_line: int,
    technique_lines: int,
    guide: int,
    compact_guide: int,
) -> TextColumnFit:
    """Choose how much of the text column to show in ``room`` px of height.

    ``title``: the height of the move's name; ``technique_line`` and
    ``technique_lines``: the technique's line height and how many lines it needs
    whole; ``guide`` and ``compact_guide``: the pressure guide's height with and
    without its feel lines; ``spacing``: the gap between shown parts, all in px.
    The technique gives up lines down to :data:`TECHNIQUE_MIN_LINES` first, then the
    guide its feel lines, then the technique the rest of its lines.
    """

    def height(guide_height: int, lines: int) -> int:
        technique = lines * technique_line + spacing if lines else 0
        return title + spacing + technique + guide_height

    whole = max(0, technique_lines)
    for compact, guide_height, floor in (
        (False, guide, min(whole, TECHNIQUE_MIN_LINES)),
        (True, compact_guide, 0),
    ):
        for lines in range(whole, floor - 1, -1):
            if height(guide_height, lines) <= room:
                return TextColumnFit(compact, lines, True)
    return TextColumnFit(True, 0, False)


def title_sizes(label_px: int, body_px: int) -> tuple[int, ...]:
    """The pixel sizes the move's name may take, largest first: from 12 px above the
    area names' size (``label_px``) down, 2 px at a time, to the size of the text
    read from across the room (``body_px``, the feel lines and captions), never
    smaller."""
    largest = label_px + 12
    return (*range(largest, body_px, -2), min(largest, body_px))


def guide_columns(
    width: int, gap: int, names: Sequence[int], scale: int, levels: Sequence[int]
) -> tuple[int, int, int] | None:
    """The widths in px of the compact pressure guide's three columns (the area names,
    the scales, the level words) when every row takes one line, or None when they
    do not fit ``width`` px side by side, ``gap`` px apart.

    ``names`` and ``levels``: the width of each row's area name and level word;
    ``scale``: the width of one scale.  Each column is as wide as its widest entry.
    Raises ValueError when ``names`` and ``levels`` differ in length.
    """
    if len(names) != len(levels):
        raise ValueError(f"{len(names)} names for {len(levels)} levels")
    if not names:
        return None
    columns = (max(names), scale, max(levels))
    return columns if sum(columns) + 2 * gap <= width else None


def _greedy_lines(widths: Sequence[float], gap: float, limit: float) -> list[int]:
    """How many items each line takes, filling every line up to ``limit`` in turn."""
    counts: list[int] = []
    line = -gap
    for width in widths:
        if counts and line + gap + width <= limit:
            counts[-1] += 1
            line += gap + width
        else:
            counts.append(1)
            line = width
    return counts


def balanced_lines(widths: Sequence[float], gap: float, available: float) -> list[int]:
    """How many items go on each line when a row of items (the key hints) wraps.

    ``widths``: each item's width; ``gap``: the space between two items on a line;
    ``available``: the width of a line, all in the same unit (px).  Items keep their
    order and stay whole.  As few lines as filling each one would need, and within
    that number the widest line as narrow as it can be, so a wrapped row reads as
    two even lines rather than a full one and a lone item.  An item wider than
    ``available`` takes a line of its own.  Returns ``[]`` for no items.
    """
    if not widths:
        return []
    fewest = len(_greedy_lines(widths, gap, available))
    spans = sorted(
        {
            sum(widths[start:end]) + gap * (end - start - 1)
            for start in range(len(widths))
            for end in range(start + 1, len(widths) + 1)
        }
    )
    for limit in spans:
        if limit <= available and len(_greedy_lines(widths, gap, limit)) <= fewest:
            return _greedy_lines(widths, gap, limit)
    return _greedy_lines(widths, gap, available)
