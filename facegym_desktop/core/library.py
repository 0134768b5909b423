"""The routine library: built-in and user files loaded together, problems kept aside.

A broken user file never stops the others from loading: its problems are collected
in ``Library.problems`` for the app to show, and everything valid stays usable.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from facegym_desktop.core.planner import length_bounds
from facegym_desktop.core.routine import (
    Move,
    ParsedFile,
    Routine,
    parse_text,
    resolve_routine,
)
from facegym_desktop.core.routine_checks import Problem, quoted
from facegym_desktop.core.routine_files import list_routine_files, read_routine_text
from facegym_desktop.core.routine_text import one_line
from facegym_desktop.core.toml_cache import TomlCache

BUILTIN = "builtin"
USER = "user"


class Library:
    """Every move and routine that loaded, and the problems of the files that did not.

    ``moves`` and ``routines`` are by id; ``move_files`` gives the file each move came
    from, by move id, as the problems name files; ``refused_ids`` the ``id`` each
    refused routine file gives (when a string), by file as problems name it.  Filled
    while the files load.  A plain class: a dataclass would compile its generated
    methods at start-up (bench/README.md), and a library is never compared.
    """

    def __init__(
        self,
        moves: dict[str, Move] | None = None,
        routines: dict[str, Routine] | None = None,
        problems: list[Problem] | None = None,
        move_files: dict[str, str] | None = None,
        refused_ids: dict[str, str] | None = None,
    ) -> None:
        self.moves: dict[str, Move] = {} if moves is None else moves
        self.routines: dict[str, Routine] = {} if routines is None else routines
        self.problems: list[Problem] = [] if problems is None else problems
        self.move_files: dict[str, str] = {} if move_files is None else move_files
        self.refused_ids: dict[str, str] = {} if refused_ids is None else refused_ids

    def routine(self, routine_id: str) -> Routine | None:
        return self.routines.get(routine_id)

    def refused_for(self, routine_id: str) -> dict[str, list[Problem]]:
        """The files with problems that stand for ``routine_id``, each with its problems.

        A file stands for the id when its name is ``ROUTINE_ID.toml`` or when it is a
        refused routine file whose ``id`` key is ``routine_id``.  Keys are the files as
        problems name them, in load order; each list holds that file's problems in order.
        Empty when no such file has problems.
        """
        found: dict[str, list[Problem]] = {}
        for problem in self.problems:
            named = Path(problem.path).name == f"{routine_id}.toml"
            if named or self.refused_ids.get(problem.path) == routine_id:
                found.setdefault(problem.path, []).append(problem)
        return found

    def problem_lines(self) -> list[str]:
        """Every problem, in load order, as one line ``PATH: LOCATION: MESSAGE`` each.

        Nothing is left out or summarised; a long list is the caller's to scroll.
        """
        return [str(problem) for problem in self.problems]

    def sorted_routines(self) -> list[Routine]:
        """Built-ins first in a calm order (daily, extended, relax, tool), then the user's."""
        kind_order = {"daily": 0, "extended": 1, "relax": 2, "tool": 3}
        return sorted(
            self.routines.values(),
            key=lambda r: (
                r.source != BUILTIN,
                kind_order.get(r.kind, 9),
                r.default_minutes,
                r.name,
            ),
        )


def read_file(
    path: Path,
    shown_as: str | None = None,
    source: str = BUILTIN,
    cache: TomlCache | None = None,
) -> ParsedFile:
    """Read and parse one file; unreadable or odd files become problems, never exceptions.

    Only regular files are read (see routine_files.read_routine_text): a named pipe or
    a device is refused without being opened for reading.
    """
    label = shown_as if shown_as is not None else str(path)
    text = read_routine_text(path, label)
    if isinstance(text, Problem):
        return ParsedFile(label, problems=[text])
    return parse_text(text, label, source, cache)


def _folder_files(folder: Path, library: Library) -> list[Path]:
    """The routine files of ``folder``; a folder problem (too many files) goes to ``library``."""
    paths, problems = list_routine_files(folder)
    library.problems.extend(problems)
    return paths


def _defined_in(label: str, source: str) -> str:
    """How a message names the file a move or routine came from."""
    return f"the built-in file {Path(label).name}" if source == BUILTIN else label


def check_reachable(routine: Routine) -> list[Problem]:
    """The routine's minute range must be reachable by scaling its steps."""
    shortest, longest = length_bounds(routine)
    problems = []
    if routine.min_minutes * 60 < shortest - 1:
        problems.append(
            Problem(
                routine.path,
                "min_minutes",
                f"{routine.min_minutes:g} min is shorter than the steps allow "
                f"(at least {shortest / 60:.1f} min)",
            )
        )
    if routine.max_minutes * 60 > longest + 1:
        problems.append(
            Problem(
                routine.path,
                "max_minutes",
                f"{routine.max_minutes:g} min is longer than the steps allow "
                f"(at most {longest / 60:.1f} min)",
            )
        )
    return problems


def _collect(parsed_files: Iterable[ParsedFile], library: Library) -> list[ParsedFile]:
    """Add the files' moves to the library; return the files for a second pass.

    A move whose id is taken is a problem of its file, naming the file that has it.
    """
    files = list(parsed_files)
    for parsed in files:
        for move in parsed.moves:
            if move.id in library.moves:
                first = library.moves[move.id]
                where = _defined_in(library.move_files.get(move.id, ""), first.source)
                parsed.problems.append(
                    Problem(
                        parsed.path,
                        f"moves[id={move.id}]",
                        f"move id {quoted(move.id)} is already defined in {where}",
                    )
                )
                continue
            library.moves[move.id] = move
            library.move_files[move.id] = parsed.path
    return files


def _resolve(files: list[ParsedFile], library: Library, source: str) -> None:
    for parsed in files:
        routine = resolve_routine(parsed, library.moves, source)
        if routine is not None:
            parsed.problems.extend(check_reachable(routine))
            taken = library.routines.get(routine.id)
            if taken is not None:
                where = _defined_in(taken.path, taken.source)
                parsed.problems.append(
                    Problem(
                        parsed.path,
                        "id",
                        f"routine id {quoted(routine.id)} is already used by {where}",
                    )
                )
            elif not parsed.problems:
                library.routines[routine.id] = routine
                continue
        claimed = (parsed.routine_table or {}).get("id")
        if parsed.problems and isinstance(claimed, str):
            library.refused_ids[one_line(parsed.path)] = claimed
        library.problems.extend(parsed.problems)


def load_library(
    builtin_dir: Path, user_dir: Path | None = None, parse_cache: Path | None = None
) -> Library:
    """Load the built-in files, then the user's; each file's problems stay with it.

    ``parse_cache`` is a file where parsed TOML is kept between runs (see toml_cache).
    """
    library = Library()
    cache = TomlCache(parse_cache) if parse_cache is not None else None
    builtin = _collect(
        (read_file(p, source=BUILTIN, cache=cache) for p in _folder_files(builtin_dir, library)),
        library,
    )
    user: list[ParsedFile] = []
    if user_dir is not None and user_dir.is_dir():
        user = _collect(
            (read_file(p, source=USER, cache=cache) for p in _folder_files(user_dir, library)),
            library,
        )
    _resolve(builtin, library, BUILTIN)
    _resolve(user, library, USER)
    if cache is not None:
        cache.save()
    return library


def _check_given(
    given: list[tuple[Path, str]], builtin_dir: Path, user_dir: Path | None
) -> tuple[list[ParsedFile], dict[str, Move]]:
    """Parse the given files against every other library file's moves.

    The given files take the place of the library files they stand for, so checking
    a file does not report its own moves as defined twice: the same file (by resolved
    path) in either folder, and, for a file outside the user's routines folder, the
    built-in file of the same name (a source checkout's ``routines/*.toml`` checked
    against an installed copy).
    """
    skip = {_resolved(path) for path, _ in given}
    user_root = _resolved(user_dir) if user_dir is not None else None
    replaced = {path.name for path, _ in given if _resolved(path).parent != user_root}
    reference = Library()
    for folder, source in ((builtin_dir, BUILTIN), (user_dir, USER)):
        if folder is not None and folder.is_dir():
            files = [
                p
                for p in _folder_files(folder, Library())
                if _resolved(p) not in skip and not (source == BUILTIN and p.name in replaced)
            ]
            _collect((read_file(p, source=source) for p in files), reference)
    parsed_files = _collect((read_file(path, shown, USER) for path, shown in given), reference)
    for parsed in parsed_files:
        routine = resolve_routine(parsed, reference.moves, USER)
        if routine is not None:
            parsed.problems.extend(check_reachable(routine))
    return parsed_files, reference.moves


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path


def validate_files(
    paths: Iterable[str], builtin_dir: Path, user_dir: Path | None = None
) -> list[Problem]:
    """Every problem in the given files, checked against the library's other moves."""
    parsed_files, _ = _check_given([(Path(p), p) for p in paths], builtin_dir, user_dir)
    return [problem for parsed in parsed_files for problem in parsed.problems]


def load_routine_file(
    path: Path, builtin_dir: Path, user_dir: Path | None = None
) -> tuple[Routine | None, list[Problem]]:
    """One routine from a file path (for ``plan PATH`` and ``run PATH``)."""
    parsed_files, moves = _check_given([(path, str(path))], builtin_dir, user_dir)
    parsed = parsed_files[0]
    if parsed.problems:
        return None, parsed.problems
    if parsed.routine_table is None:
        return None, [Problem(str(path), "file", "holds moves but no routine")]
    return resolve_routine(parsed, moves, USER), []
