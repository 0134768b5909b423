"""The routine library: built-in and user files loaded together, problems kept aside.

A broken user file never stops the others from loading: its problems are collected
in ``Library.problems`` for the app to show, and everything valid stays usable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from facegym_desktop.core.planner import length_bounds
from facegym_desktop.core.routine import (
    MAX_FILE_BYTES,
    Move,
    ParsedFile,
    Problem,
    Routine,
    parse_text,
    resolve_routine,
)
from facegym_desktop.core.toml_cache import TomlCache

BUILTIN = "builtin"
USER = "user"
# A folder of thousands of files is not a routine folder; stop reading early.
MAX_FILES_PER_FOLDER = 500


@dataclass
class Library:
    """Every move and routine that loaded, and the problems of the files that did not."""

    moves: dict[str, Move] = field(default_factory=dict)
    routines: dict[str, Routine] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def routine(self, routine_id: str) -> Routine | None:
        return self.routines.get(routine_id)

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
    """Read and parse one file; unreadable or odd files become problems, never exceptions."""
    label = shown_as if shown_as is not None else str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return ParsedFile(
                label,
                problems=[
                    Problem(
                        label,
                        "file",
                        f"is larger than {MAX_FILE_BYTES // 1024} KiB; is this a routine file?",
                    )
                ],
            )
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return ParsedFile(
            label, problems=[Problem(label, "file", f"is not UTF-8 text (byte {error.start})")]
        )
    except FileNotFoundError:
        return ParsedFile(label, problems=[Problem(label, "file", "does not exist")])
    except IsADirectoryError:
        return ParsedFile(label, problems=[Problem(label, "file", "is a folder, not a file")])
    except OSError as error:
        return ParsedFile(
            label, problems=[Problem(label, "file", f"cannot be read: {error.strerror or error}")]
        )
    return parse_text(text, label, source, cache)


def _toml_files(folder: Path) -> list[Path]:
    try:
        files = sorted(path for path in folder.glob("*.toml") if path.is_file())
    except OSError:
        return []
    return files[:MAX_FILES_PER_FOLDER]


def check_reachable(routine: Routine) -> list[Problem]:
    """The routine's minute range must be reachable by scaling its steps."""
    shortest, longest = length_bounds(routine)
    problems = []
    if routine.min_minutes * 60 < shortest - 1:
        problems.append(
            Problem(
                routine.path,
                "min_minutes",
                f"{routine.min_minutes:g} minutes is shorter than the steps allow "
                f"(at least {shortest / 60:.1f} minutes)",
            )
        )
    if routine.max_minutes * 60 > longest + 1:
        problems.append(
            Problem(
                routine.path,
                "max_minutes",
                f"{routine.max_minutes:g} minutes is longer than the steps allow "
                f"(at most {longest / 60:.1f} minutes)",
            )
        )
    return problems


def _collect(parsed_files: Iterable[ParsedFile], library: Library, source: str) -> list[ParsedFile]:
    """Add the files' moves to the library; return the files for a second pass."""
    files = list(parsed_files)
    for parsed in files:
        for move in parsed.moves:
            if move.id in library.moves:
                parsed.problems.append(
                    Problem(
                        parsed.path,
                        f"moves[id={move.id}]",
                        f"move id {move.id!r} is already defined",
                    )
                )
                continue
            library.moves[move.id] = move
    return files


def _resolve(files: list[ParsedFile], library: Library, source: str) -> None:
    for parsed in files:
        routine = resolve_routine(parsed, library.moves, source)
        if routine is not None:
            parsed.problems.extend(check_reachable(routine))
            if routine.id in library.routines:
                parsed.problems.append(
                    Problem(parsed.path, "id", f"routine id {routine.id!r} is already used")
                )
            elif not parsed.problems:
                library.routines[routine.id] = routine
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
        (read_file(p, source=BUILTIN, cache=cache) for p in _toml_files(builtin_dir)),
        library,
        BUILTIN,
    )
    user: list[ParsedFile] = []
    if user_dir is not None and user_dir.is_dir():
        user = _collect(
            (read_file(p, source=USER, cache=cache) for p in _toml_files(user_dir)), library, USER
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

    The given files are left out of the reference set, so checking a built-in file
    does not report its own moves as defined twice.
    """
    skip = {_resolved(path) for path, _ in given}
    reference = Library()
    for folder, source in ((builtin_dir, BUILTIN), (user_dir, USER)):
        if folder is not None and folder.is_dir():
            files = [p for p in _toml_files(folder) if _resolved(p) not in skip]
            _collect((read_file(p, source=source) for p in files), reference, source)
    parsed_files = _collect(
        (read_file(path, shown, USER) for path, shown in given), reference, USER
    )
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
