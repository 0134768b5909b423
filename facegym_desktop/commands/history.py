"""The `facegym history` commands: stats, export, import and backup."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from facegym_desktop.commands.common import (
    EXIT_FAILURE,
    EXIT_USAGE,
    CommandError,
    add_command,
    paths_from,
    print_json,
    print_notes,
)
from facegym_desktop.core.date_range import parse_day
from facegym_desktop.core.history import HistoryError, HistoryStore
from facegym_desktop.core.history_csv import (
    TargetError,
    checked_target,
    read_csv,
    write_csv,
)
from facegym_desktop.core.setting_kinds import SettingValueError
from facegym_desktop.core.settings import REST_DAYS_PER_WEEK, load_settings
from facegym_desktop.core.stats import Summary, extended_goal_status, streak_sentence
from facegym_desktop.core.timefmt import minutes_text
from facegym_desktop.core.vocabulary import AREA_BY_ID


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "history", "session history: streaks, export, import, backup")
    actions = parser.add_subparsers(dest="history_command", metavar="ACTION", required=True)

    stats_parser = add_command(actions, "stats", "streaks, goals and totals")
    stats_parser.add_argument("--json", action="store_true", help="print JSON")
    stats_parser.add_argument(
        "--rest-days",
        default=None,
        metavar="N",
        help=f"missed days per week that keep a streak alive "
        f"({REST_DAYS_PER_WEEK.minimum}-{REST_DAYS_PER_WEEK.maximum}; "
        f"default: the app's setting in settings.json)",
    )
    stats_parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="compute as of this local date (default: today)"
    )
    stats_parser.set_defaults(handler=_stats)

    export_parser = add_command(actions, "export", "write every finished session to a CSV file")
    export_parser.add_argument("--csv", required=True, metavar="PATH", help="file to write")
    export_parser.set_defaults(handler=_export)

    import_parser = add_command(
        actions, "import", "add sessions from a CSV file (all rows or none)"
    )
    import_parser.add_argument("--csv", required=True, metavar="PATH", help="file to read")
    import_parser.set_defaults(handler=_import)

    backup_parser = add_command(actions, "backup", "copy the history database to PATH")
    backup_parser.add_argument("path", metavar="PATH", help="file (or existing folder) to write")
    backup_parser.set_defaults(handler=_backup)



def _open(args: argparse.Namespace) -> HistoryStore:
    """Open the history and settle it (kept writes applied, dangling sessions closed).

    Reading never depends on writing: a data folder that cannot be written still has
    its history read.
    """
    paths = paths_from(args)
    try:
        paths.ensure()
    except OSError as error:
        if not paths.database.is_file():
            raise CommandError(str(error)) from error
    try:
        store = HistoryStore.open(paths.database, backups_dir=paths.backups)
    except HistoryError as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        reason = error.strerror or "refused"
        raise CommandError(f"cannot open the history in {paths.root} ({reason})") from error
    print_notes(store.notices)
    settled = store.settle()
    print_notes(settled.notes)
    if settled.kept:
        print_notes([
            f"{settled.kept} change(s) kept from an earlier session could not be saved yet "
            f"({settled.problem}); they stay in {store.journal.path.name}."
        ])
    return store


def _checked_target(target: Path, database: Path) -> Path:
    """:func:`checked_target`, its refusal as a CommandError."""
    try:
        return checked_target(target, database)
    except TargetError as error:
        raise CommandError(str(error)) from error


def _parse_today(text: str | None) -> date | datetime:
    """``--today``: a date ``YYYY-MM-DD`` in the app's calendar (core/date_range.py);
    the aware current time when None.  CommandError (exit 2) otherwise."""
    if text is None:
        return datetime.now(UTC).astimezone()
    try:
        return parse_day(text)
    except ValueError as error:
        raise CommandError(f"--today: {error}", EXIT_USAGE) from error


def _rest_days(args: argparse.Namespace) -> int:
    """``--rest-days`` when given, else the app's own setting from settings.json."""
    if args.rest_days is not None:
        try:
            return REST_DAYS_PER_WEEK.parse(args.rest_days)
        except SettingValueError as error:
            raise CommandError(f"--rest-days: {error}", EXIT_USAGE) from error
    loaded = load_settings(paths_from(args).settings)
    print_notes(loaded.problems)
    return loaded.settings.rest_days_per_week


def _stats(args: argparse.Namespace) -> int:
    rest_days = _rest_days(args)
    today = _parse_today(args.today)
    store = _open(args)
    try:
        summary = store.stats(today, rest_days_per_week=rest_days)
    except HistoryError as error:
        raise CommandError(str(error)) from error
    finally:
        store.close()
    if args.json:
        print_json(summary.to_json())
    else:
        print(format_summary(summary))
    return 0


def format_summary(summary: Summary) -> str:
    """The readable form of `history stats`: the streak in a sentence, then one row
    per figure (the extended-session goal has its row, not a second sentence)."""
    goals = summary.goals
    lines = [
        streak_sentence(summary),
        "",
        f"Current streak:     {_days(summary.current_streak)}",
        f"Longest streak:     {_days(summary.longest_streak)}",
        f"Daily routine:      {'done today' if goals.daily_done_today else 'not yet today'}"
        f" ({goals.daily_days_in_window} of the last {goals.daily_window_days} days)",
        f"Extended session:   {extended_goal_status(goals)}",
        f"Sessions:           {summary.sessions} ({summary.completed_sessions} completed)",
        f"Active days:        {summary.active_days}",
        f"Total time:         {minutes_text(summary.total_seconds)}",
    ]
    worked = [(area, seconds) for area, seconds in summary.per_area_seconds.items() if seconds > 0]
    if worked:
        lines.append("Minutes per area:")
        for area, seconds in worked:
            label = AREA_BY_ID[area].label if area in AREA_BY_ID else area
            lines.append(f"  {label:<16}{minutes_text(seconds)}")
    if summary.rest_days_per_week:
        lines.append(f"(with {summary.rest_days_per_week} rest day(s) per week allowed)")
    return "\n".join(lines)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _export(args: argparse.Namespace) -> int:
    target = Path(args.csv)
    if target.is_dir():
        raise CommandError(f"{target}: is a folder; give a file name")
    target = _checked_target(target, paths_from(args).database)
    store = _open(args)
    try:
        count = write_csv(store.export_rows(), target, moves_of=store.moves)
    except HistoryError as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(f"{target}: cannot write: {error.strerror or error}") from error
    finally:
        store.close()
    print(f"Exported {count} session{'s' if count != 1 else ''} to {target}")
    return 0


def _import(args: argparse.Namespace) -> int:
    source = Path(args.csv)
    if not source.exists():
        raise CommandError(f"{source}: no such file")
    parsed = read_csv(source)
    if not parsed.ok:
        for line in parsed.problem_lines(str(source)):
            print(line, file=sys.stderr)
        print(f"facegym: nothing imported from {source}: {parsed.refused()}", file=sys.stderr)
        return EXIT_FAILURE
    if not parsed.sessions:  # a header alone, as the export of an empty history writes
        print(f"Nothing to import: {source} has a header row but no sessions.")
        return 0
    store = _open(args)
    try:
        result = store.import_sessions(parsed.sessions)
    except HistoryError as error:
        raise CommandError(f"nothing imported: {error}") from error
    finally:
        store.close()
    print(
        f"Imported {result.added} session{'s' if result.added != 1 else ''} from {source}; "
        f"skipped {result.skipped_duplicates} already in the history."
    )
    return 0


def _backup(args: argparse.Namespace) -> int:
    target = Path(args.path)
    if target.is_dir():
        stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d-%H%M%S")
        target = target / f"facegym-history-{stamp}.sqlite3"
    target = _checked_target(target, paths_from(args).database)
    store = _open(args)
    try:
        written = store.backup_to(target)
    except HistoryError as error:
        raise CommandError(str(error)) from error
    except OSError as error:
        raise CommandError(f"{target}: cannot write: {error.strerror or error}") from error
    finally:
        store.close()
    print(f"Backed up the history to {written}")
    return 0
