"""``facegym routines list`` and ``facegym routines validate``, plus routine look-up."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from facegym_desktop.commands.common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_command,
    decimal_option,
    paths_from,
    print_json,
)
from facegym_desktop.core.library import Library, load_library, load_routine_file, validate_files
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.routine_checks import Problem
from facegym_desktop.core.routine_files import list_routine_files
from facegym_desktop.core.routine_store import RoutineFileError, write_atomically
from facegym_desktop.core.routine_text import one_line
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
    new = add_command(
        actions, "new", "compose a routine of your own for a length, focus areas and tools"
    )
    new.add_argument("name", metavar="NAME", help="its name; the file name is made from it")
    new.add_argument(
        "--minutes", type=decimal_option, required=True, metavar="M", help="its length"
    )
    new.add_argument(
        "--areas", default="", metavar="A,B", help="focus areas (default: the whole face)"
    )
    new.add_argument(
        "--tools",
        default="",
        metavar="T,U",
        help="tools at hand besides your fingers: knuckles, thumbs, gua-sha, roller",
    )
    new.add_argument(
        "--output", metavar="PATH", help="where to write it (default: your routines folder)"
    )
    new.add_argument("--force", action="store_true", help="replace an existing file")
    new.set_defaults(handler=new_routine)


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
        data_dir = getattr(args, "data_dir", None)
        raise CommandError(unknown_routine_message(library, reference, data_dir))
    return routine


def unknown_routine_message(
    library: Library, routine_id: str, data_dir: str | None = None
) -> str:
    """Why ``routine_id`` is not in ``library``, on one line, naming the known ids.

    Each refused file that stands for the id (see ``Library.refused_for``) is named with
    its first problem, ``PATH: LOCATION: MESSAGE``, and the ``routines validate`` command
    that lists every problem of it.  When no such file exists but other files have
    problems, their count is given and ``routines list`` is offered.  Both commands
    carry ``--data-dir DATA_DIR`` when ``data_dir`` is given, so they read the same
    folder (a refused file is checked against that folder's moves).
    """
    known = "known: " + (", ".join(sorted(library.routines)) or "none")
    refused = library.refused_for(routine_id)
    if refused:
        named = "; ".join(f"{path} was refused ({found[0]})" for path, found in refused.items())
        command = _command_line(["routines", "validate", *refused], data_dir)
        return (
            f"no routine with id {routine_id!r}: {named}; "
            f'run "{command}" for every problem; {known}'
        )
    message = f"no routine with id {routine_id!r} ({known})"
    if library.problems:
        count = len(library.problems)
        message += (
            f"; {count} problem{'s' if count != 1 else ''} in routine files: "
            f'"{_command_line(["routines", "list"], data_dir)}" shows them'
        )
    return message


def _command_line(words: list[str], data_dir: str | None) -> str:
    """``facegym WORDS`` as a shell would take it, for the same data folder, on one line."""
    folder = ["--data-dir", one_line(data_dir)] if data_dir else []
    return shlex.join(["facegym", *words, *folder])


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
    if not problems:  # a word for the person; standard output stays for problems
        print(f"{_count(len(files), 'file')} checked: no problems.", file=sys.stderr)
    return EXIT_FAILURE if problems else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(",") if word.strip())


def new_routine(args: argparse.Namespace) -> int:
    """Compose, write, validate and plan a routine (``facegym routines new``)."""
    # Imported here: listing and checking routines never need the composer or writer.
    from facegym_desktop.commands.plan import format_plan, session_plan
    from facegym_desktop.core.composer import HANDS, CompositionError, Request, compose
    from facegym_desktop.core.routine_toml import dump_routine

    library = load_user_library(args)
    tools = (HANDS, *(tool for tool in _words(args.tools) if tool != HANDS))
    request = Request(args.minutes, _words(args.areas), tools, args.name)
    try:
        routine = compose(library.moves, request)
    except CompositionError as error:
        raise CommandError(str(error), EXIT_USAGE) from error
    user_folder = paths_from(args).user_routines
    target = Path(args.output) if args.output else user_folder / f"{routine.id}.toml"
    if target.exists() and not args.force:
        raise CommandError(f"{target} already exists; --force replaces it")
    taken = library.routine(routine.id)
    if taken is not None and not (taken.path and _same_file(Path(taken.path), target)):
        raise CommandError(
            f"routine id {routine.id!r} is already used by {taken.name}; choose another NAME",
            EXIT_USAGE,
        )
    _write_atomically(target, dump_routine(routine, library.moves))
    print(f"wrote {target}", file=sys.stderr)
    problems = validate_files([str(target)], builtin_routines_dir(), user_folder)
    if problems:
        for problem in problems:
            print(problem)
        return EXIT_FAILURE
    written = find_routine(args, str(target))
    print(format_plan(session_plan(args, written, written.default_minutes)))
    return EXIT_OK


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve()
    except OSError:
        return False


def _write_atomically(target: Path, text: str) -> None:
    """Write a routine file as the builder saves one; CommandError (exit 1) when it
    cannot be written (no temporary file is left)."""
    try:
        write_atomically(target, text)
    except RoutineFileError as error:
        raise CommandError(str(error)) from error
