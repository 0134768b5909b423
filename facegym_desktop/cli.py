"""Command line of FaceGym Desktop.

``facegym`` with no arguments opens the app; subcommands cover routines, plans,
sessions, the voice, the history, the settings and the reminders.  Qt is imported
only by commands that open a window, so the text commands start fast and work
without a display.  The plain launches (``facegym``, ``facegym --smoke``,
``facegym --history``, any of them with ``--data-dir DIR`` or ``--verbose``) are read
without argparse: they are what a person starts most, and every millisecond before
the window shows counts.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from facegym_desktop import __version__

if TYPE_CHECKING:
    import argparse

SPEECH_WORKER_FLAG = "--speech-worker"  # the speech client starts workers with this


class PlainLaunch(NamedTuple):
    """A launch that only opens the window, read without argparse."""

    smoke: bool = False
    data_dir: str | None = None
    verbose: bool = False
    history: bool = False  # open the History window once the main window shows


def plain_launch(argv: Sequence[str]) -> PlainLaunch | None:
    """The :class:`PlainLaunch` when ``argv`` only opens the window, else None.

    Anything unusual (help, a command, an abbreviation, a repeated or empty option)
    returns None and goes through the full parser, which explains mistakes.
    """
    smoke = verbose = history = False
    data_dir: str | None = None
    rest = list(argv)
    while rest:
        option = rest.pop(0)
        if option == "--smoke" and not smoke:
            smoke = True
        elif option == "--verbose" and not verbose:
            verbose = True
        elif option == "--history" and not history:
            history = True
        elif option == "--data-dir" and data_dir is None and rest and rest[0]:
            if rest[0].startswith("-"):
                return None
            data_dir = rest.pop(0)
        elif option.startswith("--data-dir=") and data_dir is None and option[11:]:
            data_dir = option[11:]
        else:
            return None
    return PlainLaunch(smoke, data_dir, verbose, history)


def _top_level_parser(add_help: bool) -> argparse.ArgumentParser:

    from facegym_desktop.commands.common import (
        CommandParser,
        add_data_dir_option,
        add_verbose_option,
    )

    parser = CommandParser(
        prog="facegym",
        description="Guided face massage at the mirror. With no command, opens the app.",
        add_help=add_help,
    )
    parser.add_argument("--version", action="version", version=f"facegym {__version__}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the main window, wait for its first paint, print ok and exit",
    )
    parser.add_argument(
        "--history", action="store_true", help="open the History window with the app"
    )
    add_data_dir_option(parser)
    add_verbose_option(parser)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand (imports each command module)."""
    from facegym_desktop.commands import (
        desktop,
        history,
        plan,
        reminders,
        routines,
        run,
        settings,
        voice,
    )

    parser = _top_level_parser(add_help=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Each module adds its own subcommands, in the order --help lists them.
    for module in (routines, plan, run, history, voice, settings, reminders, desktop):
        module.register(subparsers)
    return parser


def _open_window(launch: PlainLaunch) -> int:
    from facegym_desktop.start_up import import_qt_free_modules, pause_collection_for_start_up

    pause_collection_for_start_up()  # the GUI thread collects once the window is up
    import_qt_free_modules()
    from facegym_desktop.app_log import configure_logging

    configure_logging(launch.verbose, echo=launch.verbose)
    from facegym_desktop.paths import data_paths
    from facegym_desktop.ui.app import LaunchOptions, run_gui

    options = LaunchOptions(smoke=launch.smoke, history=launch.history)
    return run_gui(data_paths(launch.data_dir), options)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == SPEECH_WORKER_FLAG:
        from facegym_desktop.speech.worker import worker_main

        return worker_main(argv[1:])
    launch = plain_launch(argv)
    try:
        if launch is not None:
            return _open_window(launch)
        return _run_command(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as error:
        # The machine refused (a data folder that cannot be created, a full disk):
        # one line, never a traceback (docs/contracts.md, Exit codes and errors).
        from facegym_desktop.commands.common import os_error_text

        print(f"facegym: {os_error_text(error)}", file=sys.stderr)
        return 1


def _run_command(argv: list[str]) -> int:
    from facegym_desktop.commands.common import CommandError

    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as stop:  # --help, or a usage error argparse has already told
            return stop.code if isinstance(stop.code, int) else 2
        from facegym_desktop.app_log import configure_logging

        configure_logging(bool(getattr(args, "verbose", False)), echo=True)
        handler = getattr(args, "handler", None)
        if handler is None:
            from facegym_desktop.commands.run import open_app

            return open_app(args)
        return int(handler(args) or 0)
    except CommandError as error:
        print(f"facegym: {error}", file=sys.stderr)
        return error.exit_code


__all__ = ["PlainLaunch", "main", "build_parser", "plain_launch"]
