"""Times of day as people write them, ``"HH:MM"`` on the 24-hour clock.

Kept apart from core/reminders.py, and free of the datetime module, because the
settings read these at start-up and the first frame does not wait for datetime.
"""

from __future__ import annotations

EXTENDED_DEFAULT_WALL_TIME = "09:00"
"""When the extended-session nudge fires on a day with no daily reminder time set."""


def wall_time_parts(text: str) -> tuple[int, int]:
    """``"07:30"`` (or ``"7:30"``) as ``(hour, minute)``; ValueError for anything else."""
    hours, sep, minutes = text.strip().partition(":")
    if (
        sep
        and 1 <= len(hours) <= 2
        and hours.isascii()
        and hours.isdigit()
        and len(minutes) == 2
        and minutes.isascii()
        and minutes.isdigit()
        and int(hours) <= 23
        and int(minutes) <= 59
    ):
        return int(hours), int(minutes)
    raise ValueError(f"{text!r} is not a time like 07:30")


def normal_wall_time(text: str) -> str:
    """``"7:30"`` as ``"07:30"``; ValueError as :func:`wall_time_parts`."""
    hour, minute = wall_time_parts(text)
    return f"{hour:02d}:{minute:02d}"
