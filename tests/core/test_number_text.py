"""Numbers typed by people: the digits 0-9 only, shown back exactly as typed."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.core.number_text import (
    MAX_NUMBER_CHARS,
    given_number,
    parse_decimal,
    parse_whole,
)
from facegym_desktop.core.setting_kinds import SettingValueError
from facegym_desktop.core.settings import REST_DAYS_PER_WEEK, SETTINGS

REST_DAYS = REST_DAYS_PER_WEEK.key

OTHER_DIGITS = [
    chr(code)
    for code in range(0x80, sys.maxunicode + 1)
    if unicodedata.category(chr(code)) == "Nd"
]


@given(st.integers(-(10**30), 10**30))
def test_whole_numbers_read_back(number: int) -> None:
    assert parse_whole(str(number)) == number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_decimals_read_back_and_are_shown_as_typed(number: float) -> None:
    text = repr(number)
    assert parse_decimal(text) == number
    assert float(given_number(number)) == number


@pytest.mark.parametrize(
    ("number", "shown"), [(8.0000001, "8.0000001"), (30.0, "30"), (2.9999999, "2.9999999")]
)
def test_a_number_just_out_of_a_range_never_looks_in_it(number: float, shown: str) -> None:
    assert given_number(number) == shown


@given(st.sampled_from(OTHER_DIGITS), st.sampled_from([parse_whole, parse_decimal]))
def test_other_scripts_digits_are_refused_naming_the_digits_0_to_9(digit: str, parse) -> None:
    assert int(digit) in range(10)  # what Python's int() would have taken
    with pytest.raises(ValueError, match="digits 0-9"):
        parse(digit)
    with pytest.raises(ValueError, match="digits 0-9"):
        parse("1" + digit)


@pytest.mark.parametrize(
    "text", ["", " 3", "3 ", "1_000", "nan", "inf", "-inf", "0x10", "3.", "1e", "+", "٣.٥"]
)
def test_anything_but_plain_digits_is_refused_in_one_line(text: str) -> None:
    for parse in (parse_whole, parse_decimal):
        if parse is parse_decimal and text == "3.":
            assert parse(text) == 3.0
            continue
        with pytest.raises(ValueError) as caught:
            parse(text)
        assert "\n" not in str(caught.value) and repr(text) in str(caught.value)


def test_numbers_with_hundreds_of_digits_are_refused_shortly() -> None:
    for parse in (parse_whole, parse_decimal):
        with pytest.raises(ValueError) as caught:
            parse("9" * 5000)
        message = str(caught.value)
        assert len(message) < 120 and f"at most {MAX_NUMBER_CHARS}" in message
    with pytest.raises(ValueError, match="too large"):
        parse_decimal("1e400")


NUMBER_SETTINGS = ["voice_rate", "voice_volume", "prep_seconds", "pause_seconds", REST_DAYS]


@pytest.mark.parametrize("key", NUMBER_SETTINGS)
def test_number_settings_refuse_other_digits_and_endless_numbers(key: str) -> None:
    setting = SETTINGS[key]
    for typed in ("٣", "３", "1٣"):
        with pytest.raises(SettingValueError, match="digits 0-9") as caught:
            setting.parse(typed)
        assert setting.allowed in str(caught.value)
    with pytest.raises(SettingValueError, match=r"\(500 characters\)"):
        setting.parse("1" * 500)
