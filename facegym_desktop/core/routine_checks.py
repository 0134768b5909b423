"""The checking tools behind routine parsing: problems, and typed look-ups that record them.

A :class:`Checker` reads values out of an untrusted TOML table.  Each accessor returns
the value when it is acceptable and otherwise records a :class:`Problem` (and returns
None), so parsing goes on and every problem of a file is reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from facegym_desktop.core.routine_text import SINGLE_LINE, key_label, one_line, text_fault

MAX_TEXT = 300
MAX_LIST_ITEMS = 12

class _ProblemFields(NamedTuple):
    path: str
    location: str
    message: str


class Problem(_ProblemFields):
    """One thing wrong with a file, printed as one line ``PATH: LOCATION: MESSAGE``.

    ``path`` is the file as the person named it (or a folder), ``location`` a place
    inside it (``steps[2].seconds``, ``line 4, column 7``, ``file``) and ``message``
    what is wrong.  Every field is stored with :func:`one_line` applied, so no
    problem ever spans lines or hides text behind direction controls.  A named tuple:
    a dataclass would compile its generated methods at start-up (bench/README.md).
    """

    __slots__ = ()

    def __new__(cls, path: str, location: str, message: str) -> Problem:
        return super().__new__(cls, one_line(path), one_line(location), one_line(message))

    def __str__(self) -> str:
        return f"{self.path}: {self.location}: {self.message}"


class Checker:
    """Typed look-ups into one file's tables that record a problem instead of raising.

    ``path`` is the file's label in problems; ``problems`` collects them in order.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        """Record a problem at ``location`` (the whole file when it is empty)."""
        self.problems.append(Problem(self.path, location or "file", message))

    @staticmethod
    def at(location: str, key: str | int) -> str:
        """The location of ``key`` inside ``location``: ``steps[2]`` or ``steps[2].move``.

        Keys that are not TOML bare keys are shown quoted and escaped (see key_label).
        """
        if isinstance(key, int):
            return f"{location}[{key}]"
        label = key_label(key)
        return f"{location}.{label}" if location else label

    def keys(
        self,
        table: Mapping[str, Any],
        location: str,
        required: Iterable[str],
        allowed: Iterable[str],
    ) -> None:
        """Record every key of ``table`` not in ``required`` or ``allowed``, and every
        missing required key."""
        required = tuple(required)
        known = set(required) | set(allowed)
        for key in table:
            if key not in known:
                self.add(
                    self.at(location, key), f"unknown key (allowed: {', '.join(sorted(known))})"
                )
        for key in required:
            if key not in table:
                self.add(self.at(location, key), "is required")

    def table(self, value: Any, location: str) -> dict[str, Any] | None:
        """``value`` when it is a table, else None (and a problem)."""
        if isinstance(value, dict):
            return value
        self.add(location, f"must be a table, got {describe(value)}")
        return None

    def string(
        self,
        table: Mapping[str, Any],
        key: str,
        location: str,
        *,
        default: str | None = None,
        max_length: int = MAX_TEXT,
        choices: Iterable[str] | None = None,
        pattern: re.Pattern[str] | None = None,
        layout: str = SINGLE_LINE,
    ) -> str | None:
        """The stripped string at ``table[key]``, ``default`` when absent, None when wrong.

        ``choices`` limits it to a closed set; otherwise it must be non-empty, at most
        ``max_length`` characters, match ``pattern`` (an id) when given, and hold only
        the characters its ``layout`` allows (see routine_text.text_fault).
        """
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, str):
            self.add(self.at(location, key), f"must be a string, got {describe(value)}")
            return None
        text = value.strip()
        options = tuple(choices) if choices is not None else None
        problem = text_problem(value, options, max_length, layout)
        if problem is None and options is None and pattern and not pattern.fullmatch(text):
            problem = f"must be lowercase words joined by hyphens, got {quoted(text)}"
        if problem is not None:
            self.add(self.at(location, key), problem)
            return None
        return text

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        location: str,
        bounds: tuple[float, float],
        *,
        default: float | None = None,
        integer: bool = True,
    ) -> float | None:
        """The number at ``table[key]`` within ``bounds`` (inclusive), ``default`` when
        absent, None when wrong.  ``integer`` refuses floats; booleans and NaN never pass."""
        if key not in table:
            return default
        value = table[key]
        wrong_kind = integer and isinstance(value, float)
        if isinstance(value, bool) or not isinstance(value, int | float) or wrong_kind:
            kind = "a whole number" if integer else "a number"
            self.add(self.at(location, key), f"must be {kind}, got {describe(value)}")
            return None
        low, high = bounds
        if not low <= value <= high or value != value:  # value != value catches NaN
            span = f"between {format_number(low)} and {format_number(high)}"
            self.add(self.at(location, key), f"must be {span}, got {format_number(value)}")
            return None
        return value

    def string_list(
        self,
        table: Mapping[str, Any],
        key: str,
        location: str,
        *,
        choices: Iterable[str] | None = None,
        max_items: int = MAX_LIST_ITEMS,
        max_length: int = MAX_TEXT,
        required: bool = False,
    ) -> tuple[str, ...] | None:
        """The stripped strings of the list at ``table[key]``, or None when any is wrong.

        Absent gives ``()`` (None and a problem when ``required``).  Items follow the
        rules of :meth:`string`; every item is one line.
        """
        if key not in table:
            return None if required else ()
        where = self.at(location, key)  # locations are made only where a value is
        value = table[key]
        if not isinstance(value, list):
            self.add(where, f"must be a list of strings, got {describe(value)}")
            return None
        if len(value) > max_items:
            self.add(where, f"has {len(value)} items, at most {max_items}")
            return None
        items = []
        ok = True
        options = tuple(choices) if choices is not None else None
        for index, raw in enumerate(value):
            if not isinstance(raw, str):
                self.add(self.at(where, index), f"must be a string, got {describe(raw)}")
                ok = False
                continue
            problem = text_problem(raw, options, max_length, SINGLE_LINE)
            if problem is not None:
                self.add(self.at(where, index), problem)
                ok = False
            items.append(raw.strip())
        return tuple(items) if ok else None


def text_problem(
    raw: str, options: tuple[str, ...] | None, max_length: int, layout: str
) -> str | None:
    """What is wrong with the text ``raw`` (stripped), or None when it is fine.

    With ``options`` it must be one of them; otherwise it must hold only the
    characters its ``layout`` allows (see routine_text.text_fault), be non-empty and
    be at most ``max_length`` characters.
    """
    text = raw.strip()
    if options is not None:
        if text in options:
            return None
        return f"must be one of {', '.join(options)}, got {quoted(text)}"
    fault = text_fault(raw, layout)
    if fault is not None:
        return fault
    if not text:
        return "must not be empty"
    if len(text) > max_length:
        return f"is too long ({len(text)} characters, at most {max_length})"
    return None


def describe(value: Any) -> str:
    """A value's TOML kind for messages: ``a whole number (3)``, ``a table``, ..."""
    names = {
        bool: "a boolean",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }
    if type(value) in (int, float):
        return f"{names[type(value)]} ({format_number(value)})"
    for kind, name in names.items():
        if type(value) is kind:
            return name
    return type(value).__name__


def quoted(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message (repr escapes), cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def format_number(value: float) -> str:
    """A number for messages: ``3`` rather than ``3.0``; other floats as Python prints them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_toml(text: str, check: Checker) -> dict[str, Any] | None:
    """The tables of TOML ``text``; None, with a problem in ``check`` naming the line
    and column where it can, when it is no TOML."""
    # Imported here: with the parse cache warm, start-up never needs the parser.
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        check.add(_toml_location(str(error)), f"not valid TOML: {_toml_message(str(error))}")
    except (RecursionError, ValueError) as error:  # absurd nesting, odd code points
        check.add("file", f"cannot be read as TOML ({type(error).__name__})")
    return None


def _toml_location(message: str) -> str:
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        return f"line {match.group(1)}, column {match.group(2)}"
    match = re.search(r"\(at end of document\)", message)
    return "end of file" if match else "file"


def _toml_message(message: str) -> str:
    return re.sub(r"\s*\(at [^)]*\)\s*$", "", message)
