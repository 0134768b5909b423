"""The kinds of setting: what each accepts, how it reads from the command line and
how it is shown.

A :class:`Setting` declares one setting (key, default, label, one line of help); its
kind (:class:`BoolSetting`, :class:`IntSetting`, ... ) says which values are allowed
and how text spells them.  The declarations themselves are in ``core/settings.py``.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from facegym_desktop.core.number_text import (
    has_other_digits,
    parse_decimal,
    parse_whole,
    quoted_text,
)
from facegym_desktop.core.wall_time import normal_wall_time, wall_time_parts

T = TypeVar("T")

_TRUE_WORDS = ("true", "yes", "on", "1")
_FALSE_WORDS = ("false", "no", "off", "0")


class SettingValueError(ValueError):
    """A value a setting does not allow; ``str(error)`` names the allowed values."""


def shown_value(value: object) -> str:
    """A value as a person would write it in settings.json, cut to a readable length."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_number_within(value: object, minimum: float, maximum: float) -> bool:
    """Whether ``value`` is a finite JSON number (not a bool) from minimum to maximum."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and minimum <= value <= maximum
    )


@dataclass(kw_only=True, eq=False, repr=False)
class Setting(ABC, Generic[T]):
    """One setting: its settings.json key, default, allowed values, label and help.

    ``key`` is the settings.json key and the :class:`Settings` attribute; ``label``
    a few words for a form or a listing; ``help`` one line saying what it does.
    """

    key: str
    default: T
    label: str
    help: str

    # Declarations are module constants, declared once: compared by identity, shown by
    # key, and not frozen (nothing assigns to them).  Leaving out the generated
    # comparisons, repr and frozen setters saves start-up time (bench/README.md).
    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key}>"

    @property
    @abstractmethod
    def allowed(self) -> str:
        """The allowed values in words: "a whole number from 0 to 3", "one of a, b"."""

    @abstractmethod
    def _accepts(self, value: object) -> bool:
        """Whether ``value`` (as read from JSON) is allowed."""

    def check(self, value: object) -> str | None:
        """None when ``value`` is allowed; otherwise a reason naming the allowed values."""
        if self._accepts(value):
            return None
        return f"{shown_value(value)} is not {self.allowed}"

    def normal(self, value: T) -> T:
        """An allowed value in the form :class:`Settings` holds (a copy when mutable)."""
        return value

    @abstractmethod
    def _from_text(self, text: str) -> object:
        """The value ``text`` spells, before checking; ValueError when it spells none."""

    def parse(self, text: str) -> T:
        """The value a command-line string names (numbers in the digits 0-9 only,
        core/number_text.py).

        Raises :class:`SettingValueError` whose message names the allowed values when
        ``text`` spells no value or one outside them.
        """
        try:
            value = self._from_text(text.strip())
        except (ValueError, RecursionError):
            hint = " (written with the digits 0-9)" if has_other_digits(text) else ""
            raise SettingValueError(f"{quoted_text(text)} is not {self.allowed}{hint}") from None
        reason = self.check(value)
        if reason is not None:
            raise SettingValueError(reason)
        return self.normal(cast(T, value))  # checked just above

    def format(self, value: T) -> str:
        """``value`` as command-line text; ``parse(format(value)) == value``."""
        return str(value)


class BoolSetting(Setting[bool]):
    """On or off.  Parses true/false, yes/no, on/off and 1/0 in any case.

    No fields of its own, so it keeps :class:`Setting`'s generated ``__init__``.
    """

    @property
    def allowed(self) -> str:
        return "true or false"

    def _accepts(self, value: object) -> bool:
        return isinstance(value, bool)

    def _from_text(self, text: str) -> object:
        word = text.lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        raise ValueError(text)

    def format(self, value: bool) -> str:
        return "true" if value else "false"


@dataclass(kw_only=True, eq=False, repr=False)
class IntSetting(Setting[int]):
    """A whole number from ``minimum`` to ``maximum`` (inclusive), moved in ``step``s."""

    minimum: int
    maximum: int
    step: int = 1
    unit: str = ""  # "words a minute"; shown after the range

    @property
    def allowed(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"a whole number from {self.minimum} to {self.maximum}{unit}"

    def _accepts(self, value: object) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.minimum <= value <= self.maximum
        )

    def clamp(self, value: int) -> int:
        """The nearest allowed value to ``value``."""
        return max(self.minimum, min(self.maximum, int(value)))

    def _from_text(self, text: str) -> object:
        return parse_whole(text)


ROUTINE_OWN = "routine"
"""The command-line word for "the routine's own" (null in settings.json)."""


@dataclass(kw_only=True, eq=False, repr=False)
class OptionalSecondsSetting(Setting[int | None]):
    """Whole seconds from ``minimum`` to ``maximum``, or None for the routine's own.

    None (null in settings.json, :data:`ROUTINE_OWN` on the command line) leaves the
    routine file's value in use; a number replaces it for every routine.
    """

    minimum: int
    maximum: int

    @property
    def allowed(self) -> str:
        return (
            f'"{ROUTINE_OWN}" (each routine\'s own) or a whole number of seconds '
            f"from {self.minimum} to {self.maximum}"
        )

    def _accepts(self, value: object) -> bool:
        return value is None or (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.minimum <= value <= self.maximum
        )

    def _from_text(self, text: str) -> object:
        return None if text.lower() == ROUTINE_OWN else parse_whole(text)

    def format(self, value: int | None) -> str:
        return ROUTINE_OWN if value is None else str(value)


@dataclass(kw_only=True, eq=False, repr=False)
class FloatSetting(Setting[float]):
    """A number from ``minimum`` to ``maximum`` (inclusive), moved in ``step``s.

    ``percent``: a fraction of 1 that people see as a percentage (0.9 shows as 90%
    in the app); files and the command line keep the fraction.
    """

    minimum: float
    maximum: float
    step: float
    percent: bool = False

    @property
    def allowed(self) -> str:
        return f"a number from {self.minimum:g} to {self.maximum:g}"

    def _accepts(self, value: object) -> bool:
        return _is_number_within(value, self.minimum, self.maximum)

    def normal(self, value: float) -> float:
        return float(value) + 0.0  # -0.0 becomes 0.0

    def clamp(self, value: float) -> float:
        """The nearest allowed value to ``value``."""
        return max(self.minimum, min(self.maximum, float(value)))

    def _from_text(self, text: str) -> object:
        return parse_decimal(text)

    def format(self, value: float) -> str:
        return repr(float(value))


@dataclass(kw_only=True, eq=False, repr=False)
class ChoiceSetting(Setting[str]):
    """One of a fixed list of words, ``choices``, in the order they are offered."""

    choices: tuple[str, ...]

    @property
    def allowed(self) -> str:
        return "one of " + ", ".join(self.choices)

    def _accepts(self, value: object) -> bool:
        return isinstance(value, str) and value in self.choices

    def _from_text(self, text: str) -> object:
        return text.lower()


@dataclass(kw_only=True, eq=False, repr=False)
class TextSetting(Setting[str]):
    """Free text of at most ``max_length`` characters ("" for none)."""

    max_length: int

    @property
    def allowed(self) -> str:
        return f"text of at most {self.max_length} characters"

    def _accepts(self, value: object) -> bool:
        return isinstance(value, str) and len(value) <= self.max_length

    def _from_text(self, text: str) -> object:
        return text


@dataclass(kw_only=True, eq=False, repr=False)
class MinutesSetting(Setting[Mapping[str, float]]):
    """Minutes by routine id: at most ``max_items`` entries, each minutes value from
    ``minimum`` to ``maximum``.  On the command line, a JSON object."""

    minimum: float
    maximum: float
    max_items: int

    @property
    def allowed(self) -> str:
        return (
            f"a JSON object of at most {self.max_items} routine ids to minutes "
            f"from {self.minimum:g} to {self.maximum:g}"
        )

    def _accepts(self, value: object) -> bool:
        return (
            isinstance(value, dict)
            and len(value) <= self.max_items
            and all(
                isinstance(key, str) and _is_number_within(minutes, self.minimum, self.maximum)
                for key, minutes in value.items()
            )
        )

    def normal(self, value: Mapping[str, float]) -> dict[str, float]:
        return {key: float(minutes) for key, minutes in value.items()}

    def _from_text(self, text: str) -> object:
        return json.loads(text)

    def format(self, value: Mapping[str, float]) -> str:
        return json.dumps(dict(value), sort_keys=True, ensure_ascii=False)


@dataclass(kw_only=True, eq=False, repr=False)
class TimesSetting(Setting[tuple[str, ...]]):
    """Times of day as ``"HH:MM"`` (24-hour clock), at most ``max_items``, each once.

    Held sorted and zero-padded; in settings.json a list of strings; on the command
    line comma-separated (``"07:30,21:00"``; empty text for none).
    """

    max_items: int

    @property
    def allowed(self) -> str:
        return f"at most {self.max_items} different times of day like 07:30,21:00"

    def _accepts(self, value: object) -> bool:
        if not isinstance(value, list | tuple) or len(value) > self.max_items:
            return False
        try:
            times = [wall_time_parts(item) for item in value if isinstance(item, str)]
        except ValueError:
            return False
        return len(times) == len(value) == len(set(times))

    def check(self, value: object) -> str | None:
        """As :meth:`Setting.check`, naming the first entry that is no time of day, the
        first time given twice ("07:30" and "7:30" are one time), or how many is too many."""
        if self._accepts(value):
            return None
        if isinstance(value, list | tuple):
            seen: dict[tuple[int, int], str] = {}
            for item in value:
                try:
                    parts = wall_time_parts(item if isinstance(item, str) else "")
                except ValueError:
                    return f"{shown_value(item)} is no time of day; give {self.allowed}"
                if parts in seen:
                    first = seen[parts]
                    twice = f"{shown_value(first)} and {shown_value(item)} are one time"
                    once = f"{shown_value(item)} is given twice"
                    return f"{once if first == item else twice}; give {self.allowed}"
                seen[parts] = str(item)
            if len(value) > self.max_items:
                return f"{len(value)} times are too many; give {self.allowed}"
        return super().check(value)

    def normal(self, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(normal_wall_time(item) for item in value))

    def _from_text(self, text: str) -> object:
        return [item.strip() for item in text.split(",")] if text else []

    def format(self, value: tuple[str, ...]) -> str:
        return ",".join(self.normal(value))
