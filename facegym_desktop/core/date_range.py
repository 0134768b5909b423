"""The calendar the app reckons with: local dates from 1970-01-01 to 9998-12-31.

Python's dates end at year 1 and year 9999, and the history's arithmetic (a week
back for the daily goal, a day on for a reminder, a UTC offset either way) steps
past a date given at either end.  Every date and instant the app takes from outside
(``--today``, ``--now``, times in a CSV import or the journal of kept session steps)
must lie in this range, so that arithmetic never overflows; one refused is one line
saying the range.  The written forms are strict: ``YYYY-MM-DD`` for a date, ISO 8601
with its UTC offset for an instant (``datetime.fromisoformat`` alone also takes
compact and week forms that nothing here writes).
"""

from __future__ import annotations

import re
from datetime import date, datetime

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9998, 12, 31)
RANGE_TEXT = f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INSTANT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?"
)


def day_fault(day: date) -> str | None:
    """Why ``day`` is outside the calendar the app reckons with, or None."""
    if FIRST_DAY <= day <= LAST_DAY:
        return None
    return f"{day.isoformat()} is out of range ({RANGE_TEXT})"


def instant_fault(moment: datetime) -> str | None:
    """Why an aware ``moment`` is outside the range, read on its own calendar and on
    UTC's (either may step over a year end), or None."""
    offset = moment.utcoffset()
    # Within the range, the UTC reading is at most a day away and never overflows.
    if day_fault(moment.date()) is None and (
        offset is None or day_fault((moment - offset).date()) is None
    ):
        return None
    return f"{moment.isoformat()} is out of range ({RANGE_TEXT})"


def parse_day(text: str) -> date:
    """A local date written ``YYYY-MM-DD`` within the range.

    Raises ValueError with a one-line reason (quoting ``text``) otherwise.
    """
    try:
        day = date.fromisoformat(text) if _DAY.fullmatch(text) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"{text!r} is not a date like 2026-03-29")
    fault = day_fault(day)
    if fault is not None:
        raise ValueError(fault)
    return day


def parse_instant(text: str) -> datetime:
    """An instant written in ISO 8601 with its UTC offset (``2026-03-29T07:00+02:00``,
    ``Z`` for UTC), within the range.

    Raises ValueError with a one-line reason otherwise: text that is no such time, a
    time without an offset (the reason shows how to add one), a date out of range.
    """
    moment: datetime | None = None
    if _INSTANT.fullmatch(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is None:
        raise ValueError(f"{text!r} is not a time like 2026-03-29T07:00+02:00")
    if moment.utcoffset() is None:
        raise ValueError(
            f"{text!r} has no UTC offset; add one, like {moment.isoformat()}+02:00 or Z for UTC"
        )
    fault = instant_fault(moment)
    if fault is not None:
        raise ValueError(fault)
    return moment
