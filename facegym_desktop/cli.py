"""Command line of FaceGym Desktop.

``facegym`` with no arguments opens the app; subcommands cover routines, plans,
sessions, the voice and the history.  Qt is imported only by commands that open a
window, so the text commands start fast and work without a display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from facegym_desktop import __version__
from facegym_desktop.commands.common import EXIT_USAGE, CommandError, add_data_dir_option

SPEECH_WORKER_FLAG = "--speech-worker"  # the speech client starts workers with this


def _top_level_parser(add_help: bool) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
    add_data_dir_option(parser)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand (imports each command module)."""
    from facegym_desktop.commands import history, plan, routines, run, voice

    parser = _top_level_parser(add_help=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Each module adds its own subcommands, in the order --help lists them.
    for module in (routines, plan, run, history, voice):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == SPEECH_WORKER_FLAG:
        from facegym_desktop.speech.worker import worker_main

        return worker_main(argv[1:])
    try:
        # Opening the app needs none of the command modules: skip importing them so
        # the window comes up sooner.  Anything else goes through the full parser.
        quick, rest = _top_level_parser(add_help=False).parse_known_args(argv)
        if not rest:
            from facegym_desktop.commands.run import open_app

            return open_app(quick)
        args = build_parser().parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            from facegym_desktop.commands.run import open_app

            return open_app(args)
        return int(handler(args) or 0)
    except CommandError as error:
        print(f"facegym: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


__all__ = ["main", "build_parser", "EXIT_USAGE"]
