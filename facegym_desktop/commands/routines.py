"""``facegym routines list`` and ``facegym routines validate``, plus routine look-up."""

from __future__ import annotations

import argparse
from pathlib import Path

from facegym_desktop.commands.common import (
    EXIT_FAILURE,
    EXIT_OK,
    CommandError,
    add_command,
    paths_from,
    print_json,
)
from facegym_desktop.core.library import Library, load_library, load_routine_file, validate_files
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.routine_checks import Problem
from facegym_desktop.core.routine_files import list_routine_files
from facegym_desktop.paths import builtin_routines_dir


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "routines", "list and check routines")
    actions = parser.add_subparsers(dest="routines_command", metavar="ACTION", required=True)
    listing = add_command(actions, "list", "list the built-in and your own routines")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_routines)
    validate = add_command(
        actions, "validate", "check routine files or folders; one line per problem"
    )
    validate.add_argument("paths", nargs="+", metavar="PATH")
    validate.set_defaults(handler=validate_routines)


def load_user_library(args: argparse.Namespace) -> Library:
    return load_library(builtin_routines_dir(), paths_from(args).user_routines)


def find_routine(args: argparse.Namespace, reference: str) -> Routine:
    """A routine by id, or from a file when ``reference`` is a path."""
    candidate = Path(reference)
    if reference.endswith(".toml") or candidate.is_file():
        routine, problems = load_routine_file(
            candidate, builtin_routines_dir(), paths_from(args).user_routines
        )
        if routine is None:
            raise CommandError("\n".join(str(p) for p in problems) or f"{reference}: no routine")
        return routine
    library = load_user_library(args)
    routine = library.routine(reference)
    if routine is None:
        known = ", ".join(sorted(library.routines)) or "none"
        raise CommandError(f"no routine with id {reference!r} (known: {known})")
    return routine


def routine_summary(routine: Routine) -> dict[str, object]:
    return {
        "id": routine.id,
        "name": routine.name,
        "source": routine.source,
        "kind": routine.kind,
        "description": routine.description,
        "default_minutes": routine.default_minutes,
        "min_minutes": routine.min_minutes,
        "max_minutes": routine.max_minutes,
        "areas": list(routine.areas),
        "tools": list(routine.tools),
        "steps": len(routine.steps),
        "path": routine.path,
    }


def list_routines(args: argparse.Namespace) -> int:
    library = load_user_library(args)
    routines = library.sorted_routines()
    if args.json:
        print_json([routine_summary(r) for r in routines])
    else:
        width = max((len(r.id) for r in routines), default=2)
        for routine in routines:
            span = f"{routine.min_minutes:g}-{routine.max_minutes:g} min"
            print(f"{routine.id:<{width}}  {span:>10}  {routine.source:<7}  {routine.name}")
    if library.problems:
        import sys

        print(f"{len(library.problems)} problem(s) in routine files:", file=sys.stderr)
        for problem in library.problems:
            print(f"  {problem}", file=sys.stderr)
    return EXIT_OK


def _expand(paths: list[str]) -> tuple[list[str], list[Problem]]:
    """Folders stand for the .toml files directly inside them (as many as the app reads)."""
    files: list[str] = []
    problems: list[Problem] = []
    for shown in paths:
        folder = Path(shown)
        if not folder.is_dir():
            files.append(shown)
            continue
        found, folder_problems = list_routine_files(folder)
        if not found:
            problems.append(Problem(shown, "folder", "holds no .toml files"))
        problems.extend(folder_problems)
        files.extend(str(path) for path in found)
    return files, problems


def validate_routines(args: argparse.Namespace) -> int:
    files, problems = _expand(args.paths)
    problems += validate_files(files, builtin_routines_dir(), paths_from(args).user_routines)
    for problem in problems:
        print(problem)
    return EXIT_FAILURE if problems else EXIT_OK
