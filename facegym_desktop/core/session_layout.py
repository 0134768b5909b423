"""How the session screen shares its width between its three columns (no Qt here).

The screen is laid out ring first: the face map, the countdown ring and the text
column (move name, technique, pressure guide) each get a fixed share of the width,
whatever they hold, so the ring never moves when the text beside it changes.
"""

from __future__ import annotations

from collections.abc import Sequence

# Face map, ring, text column.  The ring's share sets the size of its number; the
# face map's keeps the face about as large as the ring.
COLUMN_SHARES: tuple[float, float, float] = (0.31, 0.40, 0.29)


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
