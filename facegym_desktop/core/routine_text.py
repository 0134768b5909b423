"""Which characters a routine's texts may hold, and how problem lines stay on one line.

Routine files are shared between people, and their texts end up on screen, in the
spoken coach and in ``PATH: LOCATION: MESSAGE`` problem lines.  Two kinds of
character are refused in every text field:

- control characters: C0 (U+0000-U+001F, NUL included), DEL (U+007F) and C1
  (U+0080-U+009F), plus the line and paragraph separators U+2028 and U+2029.
  Fields that hold prose (:data:`MULTILINE`) may keep an ordinary newline (U+000A)
  and tab (U+0009); every other field is one line;
- bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069),
  which can make text display in an order different from the one it is stored in.
  The zero-width direction marks U+200E, U+200F and U+061C stay allowed: they
  enclose nothing, and right-to-left text needs them to place punctuation.

:func:`one_line` escapes whatever would break or disguise a problem line, so a
message never spans lines whatever a file, key or path holds.
"""

from __future__ import annotations

import re

# The prose fields: they may hold newlines and tabs (TOML multi-line strings).
MULTILINE = "multiline"
# Everything else: ids, names, list items, references.
SINGLE_LINE = "single-line"

# Unicode's general category Cc: C0, DEL and C1.  The Unicode Stability Policy
# makes that set immutable, so it is spelled out rather than looked up in
# unicodedata (which would load an extension module at start-up for it).
CONTROL_CHARACTERS = frozenset(chr(c) for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)))
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
LINE_SEPARATORS = frozenset("\u2028\u2029")
MULTILINE_ALLOWED = frozenset("\n\t")
# Every character text_fault may refuse, made from the sets above: most texts have
# none, and one regex search settles that faster than looking at each character.
_REFUSED = sorted(CONTROL_CHARACTERS | LINE_SEPARATORS | BIDI_CONTROLS)
_SUSPECT = re.compile("[" + "".join(map(re.escape, _REFUSED)) + "]")

# A TOML bare key: shown as it is in a location; any other key is quoted.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
MAX_KEY_SHOWN = 40


def text_fault(text: str, layout: str = SINGLE_LINE) -> str | None:
    """Why ``text`` may not be used in a field of the given ``layout``, or None if it may.

    ``layout`` is :data:`SINGLE_LINE` or :data:`MULTILINE`.  The reason names the
    first refused character by code point and position (counted from 1), e.g.
    ``"contains a control character (U+0000) at character 4"``.
    """
    if _SUSPECT.search(text) is None:
        return None
    for index, char in enumerate(text, start=1):
        if char in BIDI_CONTROLS:
            return (
                f"contains a bidirectional control ({_code(char)}) at character {index}; "
                "it can make the text display in a misleading order"
            )
        if _is_control(char) and not (layout == MULTILINE and char in MULTILINE_ALLOWED):
            where = "" if layout == MULTILINE else "; this field is a single line"
            return f"contains a control character ({_code(char)}) at character {index}{where}"
    return None


def one_line(text: str) -> str:
    """``text`` with every character that could break or disguise a line escaped.

    Control characters, line separators, format characters (bidirectional controls
    among them) and lone surrogates (undecodable bytes in a file name) become
    ``\\n``, ``\\t``, ``\\r``, ``\\xHH`` or ``\\uHHHH``; the result prints on one line
    in any encoding that can print the rest.
    """
    if text.isprintable():
        return text
    return "".join(_escape(char) for char in text)


def key_label(key: str) -> str:
    """A TOML key as a location shows it: bare keys as they are, others quoted and escaped.

    Long keys are cut to :data:`MAX_KEY_SHOWN` characters, ending in an ellipsis.
    """
    shown = key if len(key) <= MAX_KEY_SHOWN else key[:MAX_KEY_SHOWN] + "…"
    if _BARE_KEY.fullmatch(key):
        return shown
    escaped = shown.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + one_line(escaped) + '"'


def _is_control(char: str) -> bool:
    return char in CONTROL_CHARACTERS or char in LINE_SEPARATORS


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if char == " " or char.isprintable():
        return char
    if ord(char) <= 0xFF:
        return f"\\x{ord(char):02x}"
    if ord(char) <= 0xFFFF:
        return f"\\u{ord(char):04x}"
    return f"\\U{ord(char):08x}"
