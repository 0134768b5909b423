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
from facegym_desktop.commands import history, plan, routines, run, voice
from facegym_desktop.commands.common import EXIT_USAGE, CommandError, add_data_dir_option

# Each module adds its own subcommands; keep this list in the order `--help` shows.
COMMAND_MODULES = (routines, plan, run, history, voice)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facegym",
        description="Guided face massage at the mirror. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"facegym {__version__}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="open the main window, wait for its first paint, print ok and exit",
    )
    add_data_dir_option(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == run.SPEECH_WORKER_FLAG:
        return run.speech_worker_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return run.open_app(args)
        return int(handler(args) or 0)
    except CommandError as error:
        print(f"facegym: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


__all__ = ["main", "build_parser", "EXIT_USAGE"]
