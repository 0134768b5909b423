"""Numbers as people type them on the command line and in settings: the digits 0-9.

Python's ``int()`` and ``float()`` also read other scripts' digits ("٣", "３"),
underscores ("1_000"), spaces around the number, ``nan``, ``inf`` and thousands of
digits; a setting or an option that took those would show a different value than
the one typed, or none at all.  Every number typed by a person is read here, by one
rule: an optional sign, the digits 0-9 with at most one decimal point, and for
decimals an optional exponent (``1e3``); at most :data:`MAX_NUMBER_CHARS`
characters.  Anything else raises ValueError with a one-line reason that quotes
the text (cut short when long).
"""

from __future__ import annotations

import math
import re

MAX_NUMBER_CHARS = 32
"""The longest number text read; no value the app takes needs more."""

# Patterns as text: re compiles (and caches) them on first use, so loading this
# module at start-up, before anything is typed, compiles nothing.
_WHOLE = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_SHOWN_CHARS = 40


def quoted_text(text: str) -> str:
    """``text`` quoted for a message, cut to a readable length: ``'٣'``, ``'99999...'``."""
    if len(text) <= _SHOWN_CHARS:
        return repr(text)
    return repr(text[: _SHOWN_CHARS - 3]) + f"... ({len(text)} characters)"


def has_other_digits(text: str) -> bool:
    """Whether ``text`` holds digits other than 0-9 ("٣", "３")."""
    return any(char.isdigit() and not char.isascii() for char in text)


def _fault(text: str, pattern: str, kind: str) -> str | None:
    if len(text) > MAX_NUMBER_CHARS:
        return f"{quoted_text(text)} is too long for {kind} (at most {MAX_NUMBER_CHARS} characters)"
    if re.fullmatch(pattern, text, re.ASCII):
        return None
    if has_other_digits(text):
        return f"{quoted_text(text)} is not {kind} written with the digits 0-9"
    return f"{quoted_text(text)} is not {kind}"


def parse_whole(text: str) -> int:
    """A whole number such as ``3``, ``-2`` or ``+10``.

    Raises ValueError (a reason quoting ``text``) for anything else, including
    other digits than 0-9, a decimal point, underscores or spaces.
    """
    fault = _fault(text, _WHOLE, "a whole number")
    if fault is not None:
        raise ValueError(fault)
    return int(text)


def parse_decimal(text: str) -> float:
    """A finite number such as ``7``, ``7.5``, ``.5``, ``-1`` or ``1e3``.

    Raises ValueError (a reason quoting ``text``) for anything else, including
    other digits than 0-9, ``nan``, ``inf`` and a value too large for a float.
    """
    fault = _fault(text, _DECIMAL, "a number")
    if fault is not None:
        raise ValueError(fault)
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{quoted_text(text)} is too large a number")
    return value + 0.0  # -0.0 becomes 0.0


def given_number(value: float) -> str:
    """A number as typed, to the precision it was typed: ``8.0000001``, ``30``, ``1e+59``.

    The shortest text that reads back as exactly ``value`` (never rounded, so a
    value just out of a range never looks in it); whole values without ``.0``.
    """
    text = repr(float(value))
    return text.removesuffix(".0")


__all__ = [
    "MAX_NUMBER_CHARS",
    "given_number",
    "has_other_digits",
    "parse_decimal",
    "parse_whole",
    "quoted_text",
]
