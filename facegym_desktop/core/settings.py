"""The person's settings: each declared once, saved as versioned JSON.

Every setting is declared once below (key, type, default, what is allowed, a short
label and one line of help).  Reading settings.json, the command line options that
set the same values, the voice and the history window all read these declarations,
and a settings dialog or ``facegym settings`` can be built from them alone::

    for setting in DECLARED:                 # in the order they are shown
        setting.key, setting.label, setting.help, setting.default, setting.allowed
    SETTINGS["voice_rate"].check(300)        # -> "300 is not a whole number from 90 to 240"
    SETTINGS["voice_rate"].parse("170")      # -> 170; SettingValueError with a reason
    SETTINGS["voice_rate"].format(170)       # -> "170" (parse(format(v)) == v)
    with_timing(routine, settings.prep_seconds, settings.pause_seconds)  # the override

Reading is kind: a settings file that cannot be used is moved aside (never deleted)
and the app carries on with defaults; a single bad value falls back to its default
and the problem is reported with the file, the key and what is allowed.  Keys this
version does not know (written by a newer version) are kept and written back.
Writing is atomic.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from facegym_desktop.core.atomic_file import atomic_text
from facegym_desktop.core.cue_fit import VERBOSITIES
from facegym_desktop.core.routine import (
    MINUTES_RANGE,
    PREP_SECONDS_RANGE,
    TRANSITION_SECONDS_RANGE,
    Routine,
)
from facegym_desktop.core.routine_text import one_line
from facegym_desktop.core.setting_kinds import (
    BoolSetting,
    ChoiceSetting,
    FloatSetting,
    IntSetting,
    MinutesSetting,
    OptionalSecondsSetting,
    Setting,
    TextSetting,
    TimesSetting,
    shown_value,
)
from facegym_desktop.core.text_decoding import decode_text
from facegym_desktop.core.wall_time import EXTENDED_DEFAULT_WALL_TIME

SETTINGS_VERSION = 1

# ------------------------------------------------------------------ declarations

THEME = ChoiceSetting(
    key="theme",
    default="system",
    choices=("system", "light", "dark"),
    label="Theme",
    help="Light or dark colours; system follows the desktop.",
)
MIRROR = BoolSetting(
    key="mirror",
    default=True,
    label="Mirror the face",
    help="Show the face picture as a mirror image, the way you see yourself.",
)
MUTED = BoolSetting(
    key="muted",
    default=False,
    label="Mute the voice",
    help="Keep the coach silent; captions still show every cue.",
)
VERBOSITY = ChoiceSetting(
    key="verbosity",
    default="full",
    choices=VERBOSITIES,
    label="How much the coach says",
    help="Everything (full), brief (the essentials), counts only (counts), or nothing "
    "but captions (off).",
)
VOICE_ID = TextSetting(
    key="voice_id",
    default="",
    max_length=300,
    label="Voice",
    help="The speech engine's voice id, as 'facegym voice list' shows it; empty for its default.",
)
VOICE_RATE = IntSetting(
    key="voice_rate",
    default=150,
    minimum=90,  # slower than this, counts drag
    maximum=240,  # faster than this, move names blur at the mirror
    step=15,
    unit="words a minute",
    label="Speed",
    help="How fast the coach speaks, in words a minute.",
)
VOICE_VOLUME = FloatSetting(
    key="voice_volume",
    default=0.9,
    minimum=0.0,
    maximum=1.0,
    step=0.05,
    percent=True,
    label="Volume",
    help="How loud the coach speaks, from silent (captions only) to full.",
)
LAST_ROUTINE = TextSetting(
    key="last_routine",
    default="",
    max_length=100,
    label="Last routine",
    help="The routine chosen last time, selected again at start-up.",
)
MINUTES_BY_ROUTINE = MinutesSetting(
    key="minutes_by_routine",
    default=MappingProxyType({}),
    minimum=MINUTES_RANGE[0],
    maximum=MINUTES_RANGE[1],
    max_items=500,
    label="Session lengths",
    help="The length last chosen for each routine, which it opens with next time.",
)
PREP_SECONDS = OptionalSecondsSetting(
    key="prep_seconds",
    default=None,
    minimum=PREP_SECONDS_RANGE[0],
    maximum=PREP_SECONDS_RANGE[1],
    label="Preparation countdown",
    help="Seconds to get ready before the first move; the routine's own unless set here.",
)
PAUSE_SECONDS = OptionalSecondsSetting(
    key="pause_seconds",
    default=None,
    minimum=TRANSITION_SECONDS_RANGE[0],
    maximum=TRANSITION_SECONDS_RANGE[1],
    label="Pause between moves",
    help="Seconds between one move and the next; the routine's own unless set here.",
)
REST_DAYS_PER_WEEK = IntSetting(
    key="rest_days_per_week",
    default=0,
    minimum=0,
    # At most 3: the daily goal asks for a session every day, so a streak must keep
    # more active days than missed ones in each week (4 of 7).
    maximum=3,
    unit="days a week",
    label="Rest days a week",
    help="Missed days per calendar week that keep a streak alive (at most 3 of 7).",
)
REMINDER_TIMES = TimesSetting(
    key="reminder_times",
    default=(),
    max_items=12,
    label="Daily reminders",
    help="Times of day to be reminded of a session, like 07:30,21:00; none by default.",
)
# Off by default: reminders are something a person asks for, so nothing pops up
# unasked after an update.  Turned on, it needs no reminder time of its own.
REMIND_EXTENDED = BoolSetting(
    key="remind_extended",
    default=False,
    label="Remind me of the extended session",
    help="On the day an extended session is due, remind me at my first reminder time "
    f"({EXTENDED_DEFAULT_WALL_TIME} when none is set).",
)
AUTOSTART = BoolSetting(
    key="autostart",
    default=False,
    label="Start at log-in",
    help="Start FaceGym Desktop when you log in, so reminders can reach you.",
)

DECLARED: tuple[Setting[Any], ...] = (
    THEME,
    MIRROR,
    MUTED,
    VERBOSITY,
    VOICE_ID,
    VOICE_RATE,
    VOICE_VOLUME,
    LAST_ROUTINE,
    MINUTES_BY_ROUTINE,
    PREP_SECONDS,
    PAUSE_SECONDS,
    REST_DAYS_PER_WEEK,
    REMINDER_TIMES,
    REMIND_EXTENDED,
    AUTOSTART,
)
"""Every setting, in the order a form or a listing shows them."""

SETTINGS: Mapping[str, Setting[Any]] = MappingProxyType({item.key: item for item in DECLARED})
"""Every setting by key, in :data:`DECLARED` order."""

VERBOSITY_LEVELS = VERBOSITY.choices


class Settings(NamedTuple):
    """The person's choices, saved in settings.json; one attribute per declared key.

    ``unknown`` holds keys this version does not know (a newer version wrote them),
    exactly as read, so saving writes them back.  A named tuple rather than a frozen
    dataclass: it is made at start-up, where a dataclass compiles its generated
    methods (bench/README.md); its mappings are read-only views.
    """

    theme: str = THEME.default
    mirror: bool = MIRROR.default
    muted: bool = MUTED.default
    verbosity: str = VERBOSITY.default
    voice_id: str = VOICE_ID.default
    voice_rate: int = VOICE_RATE.default
    voice_volume: float = VOICE_VOLUME.default
    last_routine: str = LAST_ROUTINE.default
    minutes_by_routine: Mapping[str, float] = MINUTES_BY_ROUTINE.default
    prep_seconds: int | None = PREP_SECONDS.default
    pause_seconds: int | None = PAUSE_SECONDS.default
    rest_days_per_week: int = REST_DAYS_PER_WEEK.default
    reminder_times: tuple[str, ...] = REMINDER_TIMES.default
    remind_extended: bool = REMIND_EXTENDED.default
    autostart: bool = AUTOSTART.default
    unknown: Mapping[str, Any] = MappingProxyType({})

    def minutes_for(self, routine: Routine) -> float:
        """The length last chosen for ``routine``, in minutes; its default when none was
        kept or the kept one lies outside the routine's range (kept for an earlier
        version of the routine, or set by hand)."""
        kept = self.minutes_by_routine.get(routine.id, routine.default_minutes)
        if not routine.min_minutes <= kept <= routine.max_minutes:
            return routine.default_minutes
        return kept

    def timed(self, routine: Routine) -> Routine:
        """``routine`` with the preparation and pause chosen here (see :func:`with_timing`)."""
        return with_timing(routine, self.prep_seconds, self.pause_seconds)


def with_timing(routine: Routine, prep_seconds: int | None, pause_seconds: int | None) -> Routine:
    """``routine`` with its preparation countdown and pause between moves replaced.

    ``prep_seconds`` and ``pause_seconds`` are whole seconds (within
    ``PREP_SECONDS_RANGE`` and ``TRANSITION_SECONDS_RANGE``, as :data:`PREP_SECONDS`
    and :data:`PAUSE_SECONDS` allow), or None to keep the routine's own.  The routine
    itself is left as it is (a changed copy is returned; the same one when nothing
    changes).
    """
    if prep_seconds is None and pause_seconds is None:
        return routine
    return routine._replace(
        prep_seconds=routine.prep_seconds if prep_seconds is None else prep_seconds,
        transition_seconds=(
            routine.transition_seconds if pause_seconds is None else pause_seconds
        ),
    )


class LoadedSettings(NamedTuple):
    """Settings as read, plus a line for each value that had to fall back to a default."""

    settings: Settings
    problems: list[str]


MAX_SETTINGS_BYTES = 1024 * 1024
"""A settings file larger than this is not read (it cannot be one this app wrote)."""


def load_settings(path: Path) -> LoadedSettings:
    """Read settings; anything unusable becomes a default plus a problem line.

    Never raises, and never blocks: only a regular file is opened (a FIFO or device
    named settings.json is reported from its ``stat`` and left alone), non-blocking.
    A file that cannot be opened (permission denied) is reported as such and left
    where it is.  One that is not UTF-8 JSON holding an object is moved aside to a
    name of its own (``settings.json.unreadable-STAMP``, ``-2``, ``-3``... when that
    is taken) and every setting takes its default.  Each problem is one line that
    starts with the file's path.
    """
    loaded = _load(path)
    return loaded._replace(problems=[one_line(problem) for problem in loaded.problems])


def _load(path: Path) -> LoadedSettings:
    read = _read_settings_bytes(path)
    if isinstance(read, LoadedSettings):
        return read
    try:
        data = json.loads(decode_text(read))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
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
            f"{path}: version: written by a newer app ({shown_value(version)}); "
            "settings this version does not know are kept as they are"
        )
    values: dict[str, Any] = {}
    for key, setting in SETTINGS.items():
        if key not in data:
            continue
        value = data[key]
        reason = setting.check(value)
        if reason is None:
            values[key] = setting.normal(value)
        else:
            problems.append(f"{path}: {key}: {reason}, using the default")
    unknown = {key: value for key, value in data.items() if key not in SETTINGS}
    unknown.pop("version", None)
    return LoadedSettings(Settings(unknown=unknown, **values), problems)


def _read_settings_bytes(path: Path) -> bytes | LoadedSettings:
    """The file's bytes, or the defaults with the one problem that stopped reading."""

    def failed(message: str) -> LoadedSettings:
        return LoadedSettings(Settings(), [f"{path}: file: {message}, using defaults"])

    try:
        info = path.stat()
    except FileNotFoundError:
        return LoadedSettings(Settings(), [])
    except OSError as error:
        return failed(f"cannot be read: {_reason(error)}")
    if stat.S_ISDIR(info.st_mode):
        return failed("is a folder, not a settings file")
    if not stat.S_ISREG(info.st_mode):
        return failed("is not a regular file (a pipe or a device?); it was not read")
    if info.st_size > MAX_SETTINGS_BYTES:
        return failed(f"is too large ({info.st_size} bytes; at most {MAX_SETTINGS_BYTES})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return failed("is not a regular file (a pipe or a device?); it was not read")
            return handle.read(MAX_SETTINGS_BYTES + 1)
    except FileNotFoundError:
        return LoadedSettings(Settings(), [])
    except OSError as error:
        return failed(f"cannot be read: {_reason(error)}")


def _reason(error: OSError) -> str:
    """An OS error in words: "permission denied" rather than "[Errno 13] ..."."""
    if isinstance(error, PermissionError):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically: a crash mid-write leaves the old file intact.

    Keys in ``settings.unknown`` are written back beside the declared ones.
    Raises OSError when the folder or file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {key: value for key, value in settings.unknown.items()}
    for key, setting in SETTINGS.items():
        data[key] = setting.normal(getattr(settings, key))
    data["version"] = SETTINGS_VERSION
    with atomic_text(path) as handle:
        json.dump(data, handle, indent=2, sort_keys=True)


def _move_aside(path: Path) -> Path:
    """Rename a bad settings file to a name no other kept copy has; returns the new
    path (``path`` itself when it cannot be moved)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        target = path.with_name(f"{path.name}.unreadable-{stamp}{suffix}")
        try:
            # A hard link never replaces an existing file, so two bad files in the
            # same second each keep their copy.
            os.link(path, target)
        except FileExistsError:
            continue
        except OSError:
            if target.exists():
                continue
            try:
                os.replace(path, target)  # no hard links here (some file systems)
            except OSError:
                return path
            return target
        with contextlib.suppress(OSError):
            path.unlink()
        return target
    return path
