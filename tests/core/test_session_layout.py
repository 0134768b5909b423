"""Column shares of the session screen."""

from __future__ import annotations

import pytest

from facegym_desktop.core.session_layout import COLUMN_SHARES, column_spans


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
