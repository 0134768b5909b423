"""Rough lengths, as the stall notice says them."""

from __future__ import annotations

import pytest

from facegym_desktop.core.timefmt import rough_duration_text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-3, "0 s"),
        (2.4, "2 s"),
        (59.4, "59 s"),
        (59.6, "1 min"),
        (240, "4 min"),
        (269, "4 min"),
        (3570, "1 h"),
        (3600 + 5 * 60, "1 h 5 min"),
        (47 * 3600 + 59 * 60, "47 h 59 min"),
        (3 * 86400 + 100, "3 days"),
    ],
)
def test_rough_duration_text(seconds: float, text: str) -> None:
    assert rough_duration_text(seconds) == text
