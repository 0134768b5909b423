"""Where the calendar heatmap's month labels go, so no two ever overlap.

Pure geometry, no Qt: the widget passes its column pitch and a function measuring
text, and paints the labels this returns.  A month label sits over the first week
column that starts in that month (``core.stats.heatmap``).  When the first column
starts late in a month, that month's label and the next one are a column apart;
of two labels that would overlap, the later (a whole month) is kept and the earlier
dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

LABEL_GAP = 4.0
"""Least space, in pixels, between one label's end and the next label's start."""


@dataclass(frozen=True)
class LabelPlace:
    """One month label placed: its left edge and width in pixels, and its text."""

    x: float
    width: float
    text: str

    @property
    def right(self) -> float:
        """The label's right edge, in pixels."""
        return self.x + self.width


def month_label_places(
    labels: Sequence[tuple[int, str]],
    left: float,
    pitch: float,
    text_width: Callable[[str], float],
    right_edge: float | None = None,
    gap: float = LABEL_GAP,
) -> tuple[LabelPlace, ...]:
    """Place ``labels`` (``(column, text)`` in column order) so none overlap.

    ``left`` is the x of column 0, ``pitch`` the distance between columns (cell
    plus gap), ``text_width(text)`` a label's width, all in pixels.  A label that
    would come within ``gap`` of the one after it is dropped; one running past
    ``right_edge`` (when given) is dropped too.  Returns the labels kept, left to
    right; for any two, the first's ``right + gap`` is at most the second's ``x``.
    """
    kept: list[LabelPlace] = []
    for column, text in labels:
        place = LabelPlace(left + column * pitch, float(text_width(text)), text)
        if right_edge is not None and place.right > right_edge:
            continue
        while kept and kept[-1].right + gap > place.x:
            kept.pop()
        kept.append(place)
    return tuple(kept)
