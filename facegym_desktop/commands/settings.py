"""``facegym settings list|set|reset``: read and change settings.json from a terminal.

Everything here is driven by the declarations in :mod:`facegym_desktop.core.settings`
(``DECLARED`` and ``SETTINGS``), so a newly declared setting is listed, set and reset
with no change to this module.  Reading is as kind as the app's: a damaged
settings.json is moved aside with a notice on stderr and the command goes on with
defaults; keys written by a newer version are kept and written back.  Changing
``autostart`` also writes or removes the log-in entry, as the app does: the entry
opens the data folder the setting was saved in.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path
from typing import Any

from facegym_desktop.commands.common import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_command,
    paths_from,
    print_json,
    print_notes,
)
from facegym_desktop.core.setting_kinds import Setting, SettingValueError
from facegym_desktop.core.settings import (
    AUTOSTART,
    DECLARED,
    SETTINGS,
    Settings,
    load_settings,
    save_settings,
)

DEFAULT_MARKER = "(default)"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "settings", "show and change your settings")
    actions = parser.add_subparsers(dest="settings_command", metavar="ACTION", required=True)
    listing = add_command(actions, "list", "every setting with its value, default and help")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_settings)
    change = add_command(actions, "set", "change one setting")
    change.add_argument("key", metavar="KEY")
    change.add_argument("value", metavar="VALUE")
    change.set_defaults(handler=set_setting)
    reset = add_command(actions, "reset", "put one setting back to its default")
    reset.add_argument("key", metavar="KEY")
    reset.set_defaults(handler=reset_setting)


def declared_setting(key: str) -> Setting[Any]:
    """The declaration of ``key``.

    Raises CommandError (exit 2) naming the close matches, or every known key when
    none is close.
    """
    setting = SETTINGS.get(key)
    if setting is not None:
        return setting
    close = difflib.get_close_matches(key, list(SETTINGS), n=3)
    hint = f"did you mean {' or '.join(close)}?" if close else "known: " + ", ".join(SETTINGS)
    raise CommandError(f"no setting {key!r} ({hint})", EXIT_USAGE)


def _read(args: argparse.Namespace) -> Settings:
    """The saved settings; each problem reading them becomes a notice line on stderr."""
    loaded = load_settings(paths_from(args).settings)
    for problem in loaded.problems:
        print(f"facegym: {problem}", file=sys.stderr)
    return loaded.settings


def _write(args: argparse.Namespace, settings: Settings, key: str) -> None:
    """Save ``settings``; when ``key`` is autostart, the log-in entry follows it."""
    paths = paths_from(args)
    path = paths.settings
    try:
        save_settings(path, settings)
    except OSError as error:
        raise CommandError(f"{path}: cannot be written ({error.strerror or error})") from error
    if key == AUTOSTART.key:
        apply_autostart(settings.autostart, paths.chosen_root)


def apply_autostart(enabled: bool, data_dir: Path | None = None) -> None:
    """Write or remove the log-in entry for the data folder ``data_dir`` (None: the
    default one), printing its note line on stderr when another data folder's entry
    was replaced or left in place; CommandError (exit 1) when that fails."""
    from facegym_desktop.core.autostart import set_autostart

    try:
        entry = set_autostart(enabled, data_dir)
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) else None
        raise CommandError(
            f"autostart: the log-in entry could not be changed ({reason or error})"
        ) from error
    if entry.note is not None:
        print_notes([entry.note])


def _is_default(setting: Setting[Any], value: Any) -> bool:
    return bool(setting.normal(value) == setting.normal(setting.default))


def setting_summary(setting: Setting[Any], settings: Settings) -> dict[str, Any]:
    """One setting as ``settings list --json`` shows it (values in their JSON form)."""
    return {
        "key": setting.key,
        "value": setting.normal(getattr(settings, setting.key)),
        "default": setting.normal(setting.default),
        "allowed": setting.allowed,
        "label": setting.label,
        "help": setting.help,
    }


def setting_line(setting: Setting[Any], settings: Settings) -> str:
    """``KEY = VALUE``, with the default marker when the value is the default."""
    value = getattr(settings, setting.key)
    marker = f" {DEFAULT_MARKER}" if _is_default(setting, value) else ""
    return f"{setting.key} = {setting.format(value)}{marker}"


def list_settings(args: argparse.Namespace) -> int:
    settings = _read(args)
    if args.json:
        print_json([setting_summary(setting, settings) for setting in DECLARED])
        return EXIT_OK
    for setting in DECLARED:
        print(setting_line(setting, settings))
        print(f"    {setting.help}")
        print(f"    Allowed: {setting.allowed}.")
    return EXIT_OK


def set_setting(args: argparse.Namespace) -> int:
    setting = declared_setting(args.key)
    try:
        value = setting.parse(args.value)
    except SettingValueError as error:
        raise CommandError(f"{setting.key}: {error}", EXIT_USAGE) from error
    settings = _read(args)._replace(**{setting.key: value})
    _write(args, settings, setting.key)
    print(setting_line(setting, settings))
    return EXIT_OK


def reset_setting(args: argparse.Namespace) -> int:
    setting = declared_setting(args.key)
    settings = _read(args)._replace(**{setting.key: setting.normal(setting.default)})
    _write(args, settings, setting.key)
    print(setting_line(setting, settings))
    return EXIT_OK
