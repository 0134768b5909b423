"""``facegym plan ROUTINE --minutes M``: the exact timeline of a session."""

from __future__ import annotations

import argparse

from facegym_desktop.commands.common import (
    EXIT_USAGE,
    CommandError,
    add_command,
    decimal_option,
    paths_from,
    print_json,
    print_notes,
)
from facegym_desktop.commands.routines import find_routine
from facegym_desktop.core.planner import Plan, PlanRangeError, SegmentKind, plan
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.settings import load_settings
from facegym_desktop.core.vocabulary import in_face_order


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "plan", "show the exact timeline of a routine at a length")
    parser.add_argument("routine", metavar="ROUTINE", help="a routine id or a routine file")
    parser.add_argument(
        "--minutes",
        type=decimal_option,
        metavar="M",
        help="session length (default: the routine's)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=show_plan)


def session_plan(args: argparse.Namespace, routine: Routine, minutes: float) -> Plan:
    """The timeline a session of ``routine`` at ``minutes`` follows: with the
    preparation countdown and pause between moves from settings.json, as in the app.

    Problems with settings.json are noted on standard error (its defaults are used);
    raises :class:`CommandError` (exit 2) when ``minutes`` is outside what the routine
    can fill.
    """
    loaded = load_settings(paths_from(args).settings)
    print_notes(loaded.problems)
    try:
        return plan(loaded.settings.timed(routine), minutes)
    except PlanRangeError as error:
        raise CommandError(str(error), EXIT_USAGE) from error


def show_plan(args: argparse.Namespace) -> int:
    routine = find_routine(args, args.routine)
    minutes = routine.default_minutes if args.minutes is None else args.minutes
    timeline = session_plan(args, routine, minutes)
    if args.json:
        print_json(timeline.to_json())
    else:
        print(format_plan(timeline))
    return 0


def clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def format_plan(timeline: Plan) -> str:
    """A readable table: start, length, move, areas with their pressure."""
    lines = [
        f"{timeline.routine_name}: {clock(timeline.total_seconds)} "
        f"(target {clock(timeline.target_seconds)})",
        "",
    ]
    lines.append(f"{'start':>6}  {'length':>6}  {'move':<28}  pressure")
    for segment in timeline.segments:
        if segment.kind == SegmentKind.TRANSITION:
            continue
        name = segment.name
        if segment.side:
            name += f" ({segment.side})"
        if segment.reps:
            name += f" x{segment.reps}"
        pressure = ", ".join(
            f"{area.label.lower()} {level.label.lower()}"
            for area, level in in_face_order(segment.pressure)
        )
        lines.append(
            f"{clock(segment.start):>6}  {clock(segment.duration):>6}  {name:<28}  {pressure}"
        )
    return "\n".join(lines)
