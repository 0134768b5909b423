"""Texts in routine files: control and direction characters are refused, problems stay one line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.core.routine import parse_text, resolve_routine
from facegym_desktop.core.routine_checks import Problem
from facegym_desktop.core.routine_text import text_fault


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, every unusual character written as an escape."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable() and char != "\x7f":
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


BASE = {
    "moves[0].id": "jaw-glide",
    "moves[0].name": "Jaw glide",
    "moves[0].technique": "Knuckles glide out along the jaw.",
    "moves[0].caution": "Stay on the bone.",
    "moves[0].illustration": "moves/jaw.svg",
    "moves[0].cues.intro": "Jaw glide.",
    "moves[0].cues.technique": "Firm pressure along the bone.",
    "moves[0].cues.tips[0]": "Keep your shoulders down.",
    "moves[1].timing.tempo[0]": "lift",
    "id": "short",
    "name": "Short",
    "description": "A short one.",
    "prep[0]": "Clean hands",
    "steps[0].move": "jaw-glide",
    "steps[0].intro": "Now the jaw.",
    "steps[0].technique": "Slowly.",
    "steps[0].tips[0]": "Breathe.",
}

TEMPLATE = """
id = {id}
name = {name}
description = {description}
kind = "daily"
default_minutes = 2
min_minutes = 1
max_minutes = 3
prep = [{prep[0]}]

[[moves]]
id = {moves[0].id}
name = {moves[0].name}
technique = {moves[0].technique}
caution = {moves[0].caution}
illustration = {moves[0].illustration}
tool = "knuckles"
areas = ["jawline"]
pressure = {{ jawline = "firm" }}
[moves.timing]
seconds = 40
min_seconds = 20
max_seconds = 90
[moves.cues]
intro = {moves[0].cues.intro}
technique = {moves[0].cues.technique}
tips = [{moves[0].cues.tips[0]}]

[[moves]]
id = "chin-taps"
name = "Chin taps"
technique = "Tap under the chin."
tool = "fingers"
areas = ["chin"]
pressure = {{ chin = "light" }}
[moves.timing]
reps = 10
min_reps = 5
max_reps = 20
seconds_per_rep = 2
tempo = [{moves[1].timing.tempo[0]}]
[moves.cues]
intro = "Chin taps."

[[steps]]
move = {steps[0].move}
intro = {steps[0].intro}
technique = {steps[0].technique}
tips = [{steps[0].tips[0]}]
"""

# Prose may run over several lines; every other text is one line.
MULTILINE_FIELDS = {
    "description",
    "moves[0].technique",
    "moves[0].caution",
    "moves[0].cues.technique",
    "steps[0].technique",
}
SINGLE_LINE_FIELDS = sorted(set(BASE) - MULTILINE_FIELDS)


def problems_with(field: str, value: str) -> list[Problem]:
    values = {key: toml_string(text) for key, text in BASE.items()}
    values[field] = toml_string(value)
    text = TEMPLATE
    for key, shown in values.items():
        text = text.replace("{" + key + "}", shown)
    text = text.replace("{{", "{").replace("}}", "}")
    parsed = parse_text(text, "r.toml")
    resolve_routine(parsed, {move.id: move for move in parsed.moves})
    # A refused move also leaves the step that uses it without a move; that is expected.
    return [p for p in parsed.problems if p.message != "unknown move 'jaw-glide'"]


def insert(field: str, char: str) -> str:
    base = BASE[field]
    return base[:2] + char + base[2:]


def test_the_template_is_valid():
    assert problems_with("name", "Short") == []


REFUSED_EVERYWHERE = [
    "\x00",  # NUL
    "\x07",  # bell
    "\x1b",  # escape: terminal control sequences
    "\r",
    "\x0b",
    "\x7f",  # DEL
    "\x85",  # C1 next line
    "\x9b",  # C1 control sequence introducer
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("field", sorted(BASE))
@pytest.mark.parametrize("char", REFUSED_EVERYWHERE)
def test_control_characters_are_refused_in_every_text_field(field: str, char: str):
    found = problems_with(field, insert(field, char))
    assert [(p.path, p.location) for p in found] == [("r.toml", field)], found
    assert f"control character (U+{ord(char):04X}) at character 3" in found[0].message


@pytest.mark.parametrize("field", sorted(BASE))
@pytest.mark.parametrize("char", BIDI)
def test_bidirectional_overrides_and_isolates_are_refused(field: str, char: str):
    found = problems_with(field, insert(field, char))
    assert [(p.path, p.location) for p in found] == [("r.toml", field)], found
    assert f"bidirectional control (U+{ord(char):04X})" in found[0].message


@pytest.mark.parametrize("field", sorted(MULTILINE_FIELDS))
def test_prose_may_hold_newlines_and_tabs(field: str):
    assert problems_with(field, "First line.\n\tSecond line.") == []


@pytest.mark.parametrize("field", SINGLE_LINE_FIELDS)
@pytest.mark.parametrize("char", ["\n", "\t"])
def test_other_fields_are_one_line(field: str, char: str):
    found = problems_with(field, insert(field, char))
    assert [p.location for p in found] == [field]
    assert "single line" in found[0].message


@pytest.mark.parametrize("char", ["\x1f", "\x85", "\u2028"])
def test_a_control_character_at_the_end_is_not_stripped_away(char: str):
    # str.strip() removes these; they must be refused all the same.
    found = problems_with("name", "Short" + char)
    assert [p.location for p in found] == ["name"]


def test_direction_marks_and_other_scripts_stay_allowed():
    assert problems_with("name", "\u05e2\u05d9\u05e1\u05d5\u05d9 \u200f(5)") == []
    assert problems_with("description", "Gesicht \u2013 sanft \u00fcben \u200e\u061c.") == []


def test_a_key_with_a_newline_is_shown_escaped_on_one_line():
    parsed = parse_text('"a\\nb" = 1\n[[moves]]\n"x\\u202ey\\u0000" = 2\n', "r.toml")
    lines = [str(problem) for problem in parsed.problems]
    assert 'r.toml: "a\\nb": unknown key (allowed: moves)' in lines
    assert any(line.startswith('r.toml: moves[0]."x\\u202ey\\x00": unknown key') for line in lines)
    assert all(len(line.splitlines()) == 1 for line in lines)


def test_a_long_key_is_cut_in_the_location():
    parsed = parse_text(f'"{"k" * 5000} x" = 1\n', "r.toml")
    problem = parsed.problems[0]
    assert problem.message.startswith("unknown key")
    assert problem.location == '"' + "k" * 40 + '…"'


def test_problems_escape_paths_and_messages_that_would_span_lines():
    problem = Problem("odd\nname\u202e.toml", "file", "bad\rthing\u2029")
    assert str(problem) == "odd\\nname\\u202e.toml: file: bad\\rthing\\u2029"
    # A file name that was not valid UTF-8 prints in any encoding.
    shown = str(Problem("caf\udce9.toml", "file", "x"))
    assert shown.encode("ascii") == b"caf\\udce9.toml: file: x"


def test_quoted_values_in_messages_are_escaped():
    found = problems_with("steps[0].move", "jaw-glide-\u202e")
    assert [p.location for p in found] == ["steps[0].move"]
    found = problems_with("moves[0].illustration", "../x\u202e.svg")
    assert "\u202e" not in str(found[0])


@given(st.text(max_size=60))
def test_a_text_is_refused_exactly_when_it_holds_a_refused_character(text: str) -> None:
    import unicodedata

    from facegym_desktop.core.routine_text import BIDI_CONTROLS, LINE_SEPARATORS

    refused = any(
        unicodedata.category(char) == "Cc" or char in LINE_SEPARATORS or char in BIDI_CONTROLS
        for char in text
    )
    assert (text_fault(text) is not None) is refused


def test_the_control_characters_are_exactly_unicodes_cc_category() -> None:
    import sys
    import unicodedata

    from facegym_desktop.core.routine_text import CONTROL_CHARACTERS

    every_cc = {chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cc"}
    assert every_cc == CONTROL_CHARACTERS
