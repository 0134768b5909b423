"""The `facegym reminders` commands: when the reminders fire next."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, tzinfo

from facegym_desktop.commands.common import (
    EXIT_USAGE,
    CommandError,
    add_command,
    paths_from,
    print_json,
    print_notes,
)
from facegym_desktop.core.date_range import parse_instant
from facegym_desktop.core.history import HistoryError, HistoryStore
from facegym_desktop.core.reminders import (
    EXTENDED,
    SNOOZE,
    Firing,
    ReminderSchedule,
    extended_due_on,
    format_wall_time,
    load_state,
    plan_reminders,
    read_local_zone,
    wall_times,
)
from facegym_desktop.core.settings import Settings, load_settings
from facegym_desktop.core.stats import goals
from facegym_desktop.paths import DataPaths


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "reminders", "when the reminders fire")
    actions = parser.add_subparsers(dest="reminders_command", metavar="ACTION", required=True)

    next_parser = add_command(actions, "next", "when each enabled reminder fires next")
    next_parser.add_argument("--json", action="store_true", help="print JSON")
    next_parser.add_argument(
        "--now",
        metavar="ISO8601",
        help="compute as of this instant, with its UTC offset (default: now)",
    )
    next_parser.set_defaults(handler=_next)



def parse_now(text: str | None) -> datetime:
    """``--now``: an ISO 8601 instant with its UTC offset, in the app's calendar
    (core/date_range.py); the clock when None.

    Raises CommandError (exit 2) for text that is no instant, has no offset or lies
    out of range.
    """
    if text is None:
        return datetime.now(UTC)
    try:
        return parse_instant(text)
    except ValueError as error:
        raise CommandError(f"--now: {error}", EXIT_USAGE) from error


def _schedule(paths: DataPaths, settings: Settings, now: datetime, zone: tzinfo) -> (
    ReminderSchedule
):
    times = wall_times(settings.reminder_times)
    if not settings.remind_extended:
        return ReminderSchedule(times=times)
    today = now.astimezone(zone).date()
    if not paths.database.exists():
        due = extended_due_on(goals([], today), today)
    else:
        try:
            store = HistoryStore.open(paths.database, daily_backup=False)
        except HistoryError as error:
            raise CommandError(str(error)) from error
        print_notes(store.notices)
        try:
            due = extended_due_on(store.stats(today).goals, today)
        finally:
            store.close()
    return ReminderSchedule(times=times, remind_extended=True, extended_due_on=due)


def describe(firing: Firing) -> str:
    """What a firing is, in a few words: "daily reminder at 07:30"."""
    reminder = firing.reminder
    if reminder.kind == SNOOZE:
        return "snoozed reminder"
    assert reminder.wall_time is not None
    at = format_wall_time(reminder.wall_time)
    if reminder.kind == EXTENDED:
        return f"extended session due (at {at})"
    return f"daily reminder at {at}"


def _next(args: argparse.Namespace) -> int:
    now = parse_now(args.now)
    paths = paths_from(args)
    loaded = load_settings(paths.settings)
    print_notes(loaded.problems)
    zone, zone_problem = read_local_zone()
    if zone_problem is not None:
        print_notes([zone_problem])
    schedule = _schedule(paths, loaded.settings, now, zone)
    plan = plan_reminders(schedule, load_state(paths.reminder_state, now), now, zone)
    due = {firing.reminder.id for firing in plan.due}
    if args.json:
        print_json(
            [
                {
                    "id": firing.reminder.id,
                    "kind": firing.reminder.kind,
                    "time": (
                        format_wall_time(firing.reminder.wall_time)
                        if firing.reminder.wall_time is not None
                        else None
                    ),
                    "at": firing.at.isoformat(),
                    "due": firing.reminder.id in due,
                }
                for firing in plan.upcoming
            ]
        )
        return 0
    if not plan.upcoming:
        print(
            "No reminders are on. Set reminder_times (like 07:30,21:00) or "
            "remind_extended in the settings."
        )
        return 0
    for firing in plan.upcoming:
        when = "due now, " if firing.reminder.id in due else ""
        print(f"{firing.at.isoformat()}  {when}{describe(firing)}")
    return 0
