"""Parsed routine files kept between runs, so the app does not parse TOML at every start.

Python's TOML parser is pure Python: reading the built-in routines with it (and
importing it) is a noticeable share of start-up.  The cache maps a file's text,
by length and CRC-32, to the parsed table as JSON; every check in ``routine.py``
still runs on the table, so the cache can make nothing valid that was not.  A
missing, unreadable or damaged cache file is ignored and rewritten.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

from facegym_desktop.core.atomic_file import write_atomically

CACHE_VERSION = 1


def text_key(text: str) -> str:
    data = text.encode("utf-8", "surrogatepass")
    return f"{len(data)}:{zlib.crc32(data):08x}"


class TomlCache:
    """Tables of parsed TOML by text; ``save`` keeps only the texts used this run."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stored: dict[str, Any] = _read(path)
        self._used: dict[str, Any] = {}
        self._changed = False

    def get(self, text: str) -> dict[str, Any] | None:
        """The parsed table for ``text``, or None when it has to be parsed."""
        key = text_key(text)
        if key in self._used:
            return None  # handed out already: parse afresh rather than share one table
        table = self._stored.get(key)
        if not isinstance(table, dict):
            return None
        self._used[key] = table
        return table

    def put(self, text: str, table: dict[str, Any]) -> None:
        """Remember a table parsed from ``text``, if JSON holds it exactly."""
        try:
            copy = json.loads(json.dumps(table, allow_nan=False))
        except (TypeError, ValueError):
            return  # dates, times or non-finite numbers: parse this one every time
        if copy != table:
            return
        self._used[text_key(text)] = copy
        self._changed = True

    def save(self) -> None:
        """Write the cache if anything new was parsed; failures only cost speed later."""
        if not self._changed and self._used.keys() == self._stored.keys():
            return
        payload = json.dumps({"version": CACHE_VERSION, "tables": self._used}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, payload)
        except OSError:
            return
        self._stored = dict(self._used)
        self._changed = False


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != CACHE_VERSION:
        return {}
    tables = raw.get("tables")
    return tables if isinstance(tables, dict) else {}
