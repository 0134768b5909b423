"""Time and date wording for the screens, so widgets never do time arithmetic."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only named in annotations: the start screen never imports datetime
    from datetime import date

NOT_YET = "not yet"  # relative_day of a day that never came


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


def presets(low: float, default: float, high: float) -> list[tuple[str, float]]:
    """Short, usual and long lengths for one-key choice."""
    choices = [("Short", low), ("Usual", default), ("Long", high)]
    seen: set[float] = set()
    result = []
    for label, value in choices:
        if value not in seen:
            seen.add(value)
            result.append((label, value))
    return result
