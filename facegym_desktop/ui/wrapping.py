"""Where wrapped text may break: never inside a name or a figure with its unit.

Labels wrap at spaces and after hyphens.  ``unbroken`` turns both into their
no-break forms, so "Laugh lines", "Under-eyes" or "73 h 31 min" move to the next
line whole.
"""

from __future__ import annotations

SEPARATOR = " · "  # between the parts of a one-line note: "655 completed · 73 h 31 min"
SHORT_PART = 24  # characters: a part this short or shorter never breaks inside


def unbroken(text: str) -> str:
    """``text`` with no-break spaces (U+00A0) and no-break hyphens (U+2011)."""
    return text.replace(" ", "\u00a0").replace("-", "\u2011")


def whole_parts(note: str) -> str:
    """``note`` with each short part between ``SEPARATOR``s kept whole: a narrow label
    breaks between "7 of the last 7 days" and what comes before it, not inside it."""
    return SEPARATOR.join(
        unbroken(part) if len(part) <= SHORT_PART else part for part in note.split(SEPARATOR)
    )
