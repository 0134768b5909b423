"""Pieces every subcommand shares: the data-dir option and error reporting."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

from facegym_desktop.core.number_text import parse_decimal
from facegym_desktop.paths import DATA_DIR_ENV, DataPaths, data_paths

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line, ``facegym: COMMAND:
    MESSAGE; see facegym COMMAND --help`` (docs/contracts.md, Exit codes and errors);
    a missing action names the actions.  Subcommands' parsers are of this class too.
    """

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("facegym").strip()
        where = f"{command}: " if command else ""
        for action in self._actions:
            missing = isinstance(action.metavar, str) and action.metavar in message
            if isinstance(action, argparse._SubParsersAction) and missing and "required" in message:
                message += f", one of {', '.join(action.choices)}"
        self.exit(EXIT_USAGE, f"facegym: {where}{message}; see {self.prog} --help\n")


class CommandError(Exception):
    """A problem to report in one line, without a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def os_error_text(error: OSError) -> str:
    """An OS error in words, naming the file when it is known: "PATH: No space left
    on device" rather than "[Errno 28] No space left on device: 'PATH'"."""
    reason = error.strerror or str(error) or type(error).__name__
    if error.filename is None or error.strerror is None:
        return reason
    return f"{os.fsdecode(error.filename)}: {reason}"


def decimal_option(text: str) -> float:
    """An argparse ``type`` for a number option (``--minutes 7.5``): the digits 0-9
    only (core/number_text.py); anything else is a usage error in one line."""
    try:
        return parse_decimal(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_data_dir_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS lets the option stand before or after the subcommand without the
    # subparser's default overwriting a value given at the top level.
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"keep all state under DIR (also ${DATA_DIR_ENV})",
    )


def add_verbose_option(parser: argparse.ArgumentParser) -> None:
    """``--verbose``: log at DEBUG, to stderr too (docs/contracts.md, Logging)."""
    parser.add_argument(
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log everything (DEBUG) to stderr and the log file; see also $FACEGYM_LOG_LEVEL",
    )


def add_command(
    subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    help_text: str,
) -> argparse.ArgumentParser:
    """A subcommand parser that also takes --data-dir and --verbose."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text
    )
    add_data_dir_option(parser)
    add_verbose_option(parser)
    return parser


def paths_from(args: argparse.Namespace) -> DataPaths:
    return data_paths(getattr(args, "data_dir", None))


def print_notes(lines: Iterable[str]) -> None:
    """Each line on standard error as ``facegym: note: LINE`` (docs/contracts.md,
    Command line): what was found and done on the way (a damaged file set aside), the
    command going on."""
    for line in lines:
        print(f"facegym: note: {line}", file=sys.stderr)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
