"""Typed session lengths and the usual preset lengths."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.core.timefmt import PRESET_MINUTES, length_presets, parse_length


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("7:30", 7.5),
        ("7.5", 7.5),
        ("7,5", 7.5),
        ("450s", 7.5),
        ("450 sec", 7.5),
        ("7", 7.0),
        ("7 min", 7.0),
        ("7m30s", 7.5),
        ("7 min 30 s", 7.5),
        (" 8:00 ", 8.0),
        ("3", 3.0),
        ("200S", 200 / 60),
    ],
)
def test_lengths_typed_as_minutes_or_seconds(text: str, minutes: float) -> None:
    assert parse_length(text, 3, 8) == pytest.approx(minutes)


@pytest.mark.parametrize("text", ["", "abc", "7:75", "1e3", "-5", "7::30", "nan", "inf", "5 h"])
def test_text_that_is_no_length_gives_a_reason_with_examples(text: str) -> None:
    reason = parse_length(text, 3, 8)
    assert isinstance(reason, str)
    assert "7:30" in reason


@pytest.mark.parametrize("text", ["2", "8:01", "0:45", "9999999999999999999"])
def test_a_length_outside_the_routine_names_its_range(text: str) -> None:
    reason = parse_length(text, 3, 8)
    assert isinstance(reason, str)
    assert "from 3 to 8 minutes" in reason


@given(st.integers(min_value=0, max_value=90 * 60))
def test_every_clock_text_reads_back_to_its_seconds(seconds: int) -> None:
    text = f"{seconds // 60}:{seconds % 60:02d}"
    result = parse_length(text, 0, 90)
    assert result == pytest.approx(seconds / 60)
    assert parse_length(f"{seconds}s", 0, 90) == result


def test_presets_are_the_usual_lengths_the_routine_allows() -> None:
    assert length_presets(3, 8) == [("3 min", 3.0), ("5 min", 5.0)]
    assert length_presets(15, 20) == [("15 min", 15.0), ("20 min", 20.0)]
    assert length_presets(6, 8) == []
    assert [minutes for _, minutes in length_presets(1, 90)] == list(PRESET_MINUTES)
