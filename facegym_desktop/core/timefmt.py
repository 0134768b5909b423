"""Time and date wording for the screens, so widgets never do time arithmetic."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: the start screen never imports datetime
    from datetime import date

NOT_YET = "not yet"  # relative_day of a day that never came


def plural(count: int, word: str) -> str:
    """``count`` and ``word``, with an s unless the count is one: "1 day", "3 days"."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def clock_text(seconds: float) -> str:
    """m:ss, rounding up so a countdown shows 0:01 until it is really over."""
    whole = max(0, math.ceil(seconds - 1e-6))
    return f"{whole // 60}:{whole % 60:02d}"


def duration_text(seconds: float) -> str:
    """ "45 s", "3 min", "4 min 30 s"."""
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    if minutes == 0:
        return f"{rest} s"
    return f"{minutes} min" if rest == 0 else f"{minutes} min {rest} s"


def whole_minutes(seconds: float) -> int:
    """Seconds as the whole minutes every screen and ``history stats`` show.

    The one rounding rule: to the nearest minute, halves up (29 s is 0, 30 s is 1,
    89 s is 1, 90 s is 2).  Negative amounts count as 0.
    """
    if seconds <= 0:
        return 0
    return int((int(round(seconds)) + 30) // 60)


def minutes_text(seconds: float) -> str:
    """ "12 min" by :func:`whole_minutes`; "<1 min" for a non-zero amount that rounds
    to 0, so something done never reads as nothing; "0 min" for nothing."""
    minutes = whole_minutes(seconds)
    if minutes == 0 and seconds > 0:
        return "<1 min"
    return f"{minutes} min"


def hours_minutes_text(seconds: float) -> str:
    """Like :func:`minutes_text`, with hours from an hour up: "1 h 05 min"."""
    minutes = whole_minutes(seconds)
    if minutes < 60:
        return minutes_text(seconds)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def rough_duration_text(seconds: float) -> str:
    """A length as a person would say it: "40 s", "4 min", "2 h 5 min", "3 days".

    Whole seconds under a minute, whole minutes under an hour, hours and minutes under
    two days, whole days beyond.  Negative lengths read as "0 s".
    """
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h" if rest == 0 else f"{hours} h {rest} min"
    return f"{round(minutes / (60 * 24))} days"


def relative_day(day: date | None, today: date) -> str:
    """ "today", "yesterday", "3 days ago", "on 2 March" or "not yet"."""
    if day is None:
        return NOT_YET
    delta = (today - day).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if delta < 7:
        return f"{delta} days ago"
    return f"on {day.day} {day.strftime('%B')}" + (f" {day.year}" if day.year != today.year else "")


def minute_choices(low: float, high: float, default: float) -> list[float]:
    """Slider stops in half minutes from low to high, always including the default."""
    steps = {low + i * 0.5 for i in range(int(round((high - low) * 2)) + 1)}
    steps.add(default)
    steps.add(high)
    return sorted(s for s in steps if low - 1e-9 <= s <= high + 1e-9)


PRESET_MINUTES: tuple[float, ...] = (3, 5, 10, 15, 20)
"""The usual session lengths offered as one-key choices, where a routine allows them."""

LENGTH_EXAMPLES = "7:30, 7.5 or 450s"

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_MINUTE_UNIT = r"(?:m|min|mins|minute|minutes)"
_SECOND_UNIT = r"(?:s|sec|secs|second|seconds)"
# Patterns as text: re compiles (and caches) them on first use, so the start
# screen, which loads this module, compiles none of them before anything is typed.
_CLOCK = r"^(\d+):([0-5]?\d)$"
_MINUTES = rf"^{_NUMBER}\s*{_MINUTE_UNIT}?$"
_SECONDS = rf"^{_NUMBER}\s*{_SECOND_UNIT}$"
_BOTH = rf"^(\d+)\s*{_MINUTE_UNIT}\s*(\d+)\s*{_SECOND_UNIT}?$"


def length_presets(low: float, high: float) -> list[tuple[str, float]]:
    """The :data:`PRESET_MINUTES` from ``low`` to ``high``, each as ("5 min", 5.0)."""
    return [
        (f"{minutes:g} min", float(minutes))
        for minutes in PRESET_MINUTES
        if low - 1e-9 <= minutes <= high + 1e-9
    ]


def _seconds_typed(text: str) -> float | None:
    """The length ``text`` spells, in seconds, or None when it spells none."""
    if match := re.match(_CLOCK, text):
        return int(match.group(1)) * 60 + int(match.group(2))
    if match := re.match(_BOTH, text, re.IGNORECASE):
        return int(match.group(1)) * 60 + int(match.group(2))
    if match := re.match(_SECONDS, text, re.IGNORECASE):
        return float(match.group(1).replace(",", "."))
    if match := re.match(_MINUTES, text, re.IGNORECASE):
        return float(match.group(1).replace(",", ".")) * 60
    return None


def parse_length(text: str, min_minutes: float, max_minutes: float) -> float | str:
    """A typed session length in minutes, or the reason it is not one (a ``str``).

    Accepts minutes ("7", "7.5", "7,5", "7 min"), minutes and seconds ("7:30",
    "7m30s", "7 min 30 s") and seconds ("450s", "450 sec"); spaces and case do not
    matter.  The result is rounded to the whole second.  A reason is returned, never
    raised, when the text spells no length or one outside ``min_minutes`` to
    ``max_minutes`` (inclusive): "type a length such as 7:30, 7.5 or 450s",
    "this routine runs from 3 to 8 minutes".
    """
    seconds = _seconds_typed(text.strip())
    if seconds is None or not math.isfinite(seconds):
        return f"type a length such as {LENGTH_EXAMPLES}"
    minutes = round(seconds) / 60
    if not (min_minutes - 1e-9 <= minutes <= max_minutes + 1e-9):
        return (
            f"this routine runs from {min_minutes:g} to {max_minutes:g} minutes, "
            f"not {duration_text(round(seconds))}"
        )
    return minutes
