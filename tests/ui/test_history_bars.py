"""Where the selected week's minutes are written over the weekly bars."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRectF

from facegym_desktop.ui.history_bars import VALUE_LINE_PX, value_label_rect

AREA_HEIGHT = 200.0


def bars_of(tops: list[float], slot: float = 20.0) -> list[QRectF]:
    """Bars 14 px wide in ``slot`` px slots, standing on y=AREA_HEIGHT."""
    return [QRectF(i * slot + 3, top, 14, AREA_HEIGHT - top) for i, top in enumerate(tops)]


def test_the_last_weeks_value_moves_left_and_above_a_taller_neighbour() -> None:
    bars = bars_of([100, 100, 40, 120])  # the week before last is the tallest
    box = value_label_rect(bars, 3, text_width=44, area_width=80)
    assert box.right() == 80  # kept inside the chart
    assert box.left() < bars[2].right()  # so it reaches over the neighbour...
    assert box.bottom() <= bars[2].top()  # ...and sits above it, not across it


def test_a_value_in_the_middle_is_centred_over_its_bar() -> None:
    bars = bars_of([150, 150, 90, 150, 150])
    box = value_label_rect(bars, 2, text_width=16, area_width=100)
    assert box.center().x() == bars[2].center().x()
    assert box.bottom() == bars[2].top() - 2
    assert box.height() == VALUE_LINE_PX


@given(
    tops=st.lists(st.floats(0, AREA_HEIGHT), min_size=1, max_size=30),
    text_width=st.floats(10, 60),
    data=st.data(),
)
def test_the_value_stays_inside_and_clear_of_every_bar_it_spans(
    tops: list[float], text_width: float, data: st.DataObject
) -> None:
    bars = bars_of(tops)
    area_width = max(len(bars) * 20.0, text_width)
    index = data.draw(st.integers(0, len(bars) - 1))
    box = value_label_rect(bars, index, text_width, area_width)
    assert box.left() >= 0 and box.right() <= area_width + 1e-9
    for bar in bars:
        if bar.right() > box.left() and bar.left() < box.right() and box.top() > 0:
            assert box.bottom() <= bar.top()
