"""Opening the app: ``facegym``, ``facegym run ROUTINE`` and ``facegym --smoke``."""

from __future__ import annotations

import argparse

from facegym_desktop.commands.common import (
    EXIT_USAGE,
    CommandError,
    add_command,
    decimal_option,
    paths_from,
)
from facegym_desktop.commands.routines import find_routine
from facegym_desktop.core.planner import PlanRangeError, plan


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "run", "open the session window and start a routine at once")
    parser.add_argument("routine", metavar="ROUTINE", help="a routine id or a routine file")
    parser.add_argument(
        "--minutes",
        type=decimal_option,
        metavar="M",
        help="session length (default: your last choice)",
    )
    parser.add_argument(
        "--time-scale",
        type=decimal_option,
        default=1.0,
        metavar="F",
        help="run F times faster (demos and tests)",
    )
    parser.add_argument("--mute", action="store_true", help="captions only, no voice")
    parser.add_argument(
        "--quit-when-done",
        action="store_true",
        help="save the session and exit when the routine ends",
    )
    parser.set_defaults(handler=run_routine)


def run_routine(args: argparse.Namespace) -> int:
    # Everything that can refuse the request is checked before Qt is loaded.
    routine = find_routine(args, args.routine)
    if not 0.01 <= args.time_scale <= 1000:
        raise CommandError("--time-scale must be between 0.01 and 1000", EXIT_USAGE)
    if args.minutes is not None:
        try:
            plan(routine, args.minutes)
        except PlanRangeError as error:
            raise CommandError(str(error), EXIT_USAGE) from error
    from facegym_desktop.start_up import pause_collection_for_start_up

    pause_collection_for_start_up()  # the GUI thread collects once the window is up
    from facegym_desktop.ui.app import LaunchOptions, run_gui

    options = LaunchOptions(
        routine=routine,
        minutes=args.minutes,
        time_scale=args.time_scale,
        mute=args.mute,
        quit_when_done=args.quit_when_done,
    )
    return run_gui(paths_from(args), options)


def open_app(args: argparse.Namespace) -> int:
    """``facegym`` with no command, and ``facegym --smoke``."""
    from facegym_desktop.ui.app import LaunchOptions, run_gui

    options = LaunchOptions(
        smoke=bool(getattr(args, "smoke", False)), history=bool(getattr(args, "history", False))
    )
    return run_gui(paths_from(args), options)
