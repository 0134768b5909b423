"""Versioned JSON settings: read kindly, written atomically, never lost.

A settings file that cannot be used is moved aside (never deleted) and the app
carries on with defaults; a single bad value falls back to its default and the
problem is reported with the file and the key.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

SETTINGS_VERSION = 1
VERBOSITY_LEVELS = ("full", "brief", "counts", "off")
THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Settings:
    """The person's choices, saved in settings.json."""

    theme: str = "system"
    mirror: bool = True
    muted: bool = False
    verbosity: str = "full"
    voice_id: str = ""
    voice_rate: int = 150  # words per minute
    voice_volume: float = 0.9
    last_routine: str = ""
    minutes_by_routine: dict[str, float] = field(default_factory=dict)
    rest_days_per_week: int = 0

    def minutes_for(self, routine_id: str, default: float) -> float:
        return self.minutes_by_routine.get(routine_id, default)


_CHECKS: dict[str, Any] = {
    "theme": lambda v: isinstance(v, str) and v in THEMES,
    "mirror": lambda v: isinstance(v, bool),
    "muted": lambda v: isinstance(v, bool),
    "verbosity": lambda v: isinstance(v, str) and v in VERBOSITY_LEVELS,
    "voice_id": lambda v: isinstance(v, str) and len(v) < 300,
    "voice_rate": lambda v: isinstance(v, int) and not isinstance(v, bool) and 80 <= v <= 260,
    "voice_volume": lambda v: (
        isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
    ),
    "last_routine": lambda v: isinstance(v, str) and len(v) < 100,
    "minutes_by_routine": lambda v: (
        isinstance(v, dict)
        and len(v) < 500
        and all(
            isinstance(k, str)
            and isinstance(m, int | float)
            and not isinstance(m, bool)
            and 1 <= m <= 90
            for k, m in v.items()
        )
    ),
    "rest_days_per_week": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 3,
}


@dataclass
class LoadedSettings:
    """Settings as read, plus a line for each value that had to fall back to a default."""

    settings: Settings
    problems: list[str]


def load_settings(path: Path) -> LoadedSettings:
    """Read settings; anything unusable becomes a default plus a problem line."""
    if not path.exists():
        return LoadedSettings(Settings(), [])
    try:
        raw = path.read_text(encoding="utf-8")
        data = json.loads(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        kept = _move_aside(path)
        where = f"line {error.lineno}" if isinstance(error, json.JSONDecodeError) else "file"
        return LoadedSettings(
            Settings(), [f"{path}: {where}: cannot be read, using defaults (kept as {kept.name})"]
        )
    if not isinstance(data, dict):
        kept = _move_aside(path)
        return LoadedSettings(
            Settings(),
            [f"{path}: file: is not a JSON object, using defaults (kept as {kept.name})"],
        )
    problems = []
    version = data.get("version", SETTINGS_VERSION)
    if not isinstance(version, int) or version > SETTINGS_VERSION:
        problems.append(
            f"{path}: version: written by a newer app ({version}); unknown keys are ignored"
        )
    values: dict[str, Any] = {}
    for item in fields(Settings):
        if item.name not in data:
            continue
        value = data[item.name]
        if _CHECKS[item.name](value):
            values[item.name] = dict(value) if isinstance(value, dict) else value
        else:
            problems.append(
                f"{path}: {item.name}: unusable value {json.dumps(value)[:60]}, using the default"
            )
    return LoadedSettings(replace(Settings(), **values), problems)


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically: a crash mid-write leaves the old file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": SETTINGS_VERSION, **asdict(settings)}
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    try:
        os.replace(path, target)
    except OSError:
        return path
    return target
