"""The person's routine files: saving atomically, deleting with undo, importing, exporting.

Built-in routines are never written.  A user routine lives in the data folder's
``routines/`` as ``<id>.toml`` (:func:`user_file`).  Every write goes to a temporary
file in the same folder, is flushed to the disk (``fsync``) and then replaces the
target in one step (``os.replace``), so a crash leaves the old file or the new one,
never half of either.  Errors are raised as :class:`RoutineFileError` with a message
a person can read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from facegym_desktop.core.atomic_file import atomic_text
from facegym_desktop.core.library import BUILTIN, Library, load_routine_file
from facegym_desktop.core.planner import length_bounds
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.routine_checks import Problem, quoted
from facegym_desktop.core.routine_files import read_routine_text
from facegym_desktop.core.routine_toml import dump_routine
from facegym_desktop.core.timefmt import duration_text

ROUTINE_SUFFIX = ".toml"


class RoutineFileError(OSError):
    """A routine file could not be written, read or removed; ``str()`` says which and why."""


def user_file(folder: Path, routine_id: str) -> Path:
    """Where the user routine ``routine_id`` is saved: ``folder/<id>.toml``."""
    return folder / f"{routine_id}{ROUTINE_SUFFIX}"


def write_atomically(target: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target``: temp file, fsync, ``os.replace``
    (core/atomic_file.py).

    Creates the folder when missing.  Returns ``target``; raises
    :class:`RoutineFileError` when anything fails (the target is then unchanged).
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_text(target, newline="\n") as stream:
            stream.write(text)
    except OSError as error:
        raise RoutineFileError(f"{target}: cannot be written ({_reason(error)})") from error
    return target


@dataclass(frozen=True)
class DeletedFile:
    """A routine file that was deleted, kept so that it can be put back."""

    path: Path
    text: str
    name: str  # the routine's name, for "Deleted X · Undo"


def delete_file(path: Path, name: str) -> DeletedFile:
    """Delete the user routine file at ``path``, keeping its text for :func:`restore_file`.

    ``name`` is the routine's, for the notice.  Raises :class:`RoutineFileError` when
    the file cannot be read or removed.
    """
    text = read_routine_text(path, str(path))
    if isinstance(text, Problem):
        raise RoutineFileError(str(text))
    try:
        path.unlink()
    except OSError as error:
        raise RoutineFileError(f"{path}: cannot be deleted ({_reason(error)})") from error
    return DeletedFile(path, text, name)


def restore_file(deleted: DeletedFile) -> Path:
    """Write a deleted file back where it was (atomically); returns its path."""
    return write_atomically(deleted.path, deleted.text)


def routine_text(routine: Routine, library: Library) -> str:
    """The text to share for ``routine``: its file as it is, or written out when it has
    no readable file of its own."""
    if routine.path:
        text = read_routine_text(Path(routine.path), routine.path)
        if isinstance(text, str):
            return text
    return dump_routine(routine, library.moves)


def export_routine(routine: Routine, library: Library, target: Path) -> Path:
    """Save ``routine`` as a file someone else can import, at ``target`` (atomically)."""
    return write_atomically(target, routine_text(routine, library))


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file would do, before anything is written.

    ``routine`` is None when the file has problems (``problems``, one line each, as
    ``facegym routines validate`` prints them).  ``target`` is where it would be
    saved; ``replaces`` names the routine already there (ask before overwriting).
    """

    source: Path
    text: str
    routine: Routine | None
    problems: tuple[str, ...]
    target: Path | None
    replaces: str = ""

    @property
    def ok(self) -> bool:
        return self.routine is not None and not self.problems

    @property
    def summary(self) -> list[tuple[str, str]]:
        """(label, value) rows: name, moves, length; empty when there is no routine."""
        routine = self.routine
        if routine is None:
            return []
        shortest, longest = length_bounds(routine)
        return [
            ("Name", routine.name),
            ("Moves", ", ".join(step.move.name for step in routine.steps)),
            (
                "Length",
                f"{routine.min_minutes:g}–{routine.max_minutes:g} min, "
                f"usually {routine.default_minutes:g} "
                f"(the steps allow {duration_text(shortest)} to {duration_text(longest)})",
            ),
        ]


def preview_import(
    source: Path, library: Library, builtin_dir: Path, user_dir: Path
) -> ImportPreview:
    """Check ``source`` as ``facegym routines validate`` would, and say where it would go.

    A routine whose id a built-in routine has is refused; one whose id a user routine
    has, or whose target file exists, ``replaces`` it (the caller asks first).
    """
    routine, problems = load_routine_file(source, builtin_dir, user_dir)
    text = read_routine_text(source, str(source))
    lines = [str(problem) for problem in problems]
    if isinstance(text, Problem):
        return ImportPreview(source, "", None, tuple(lines or [str(text)]), None)
    if routine is None:
        return ImportPreview(source, text, None, tuple(lines), None)
    target = user_file(user_dir, routine.id)
    taken = library.routine(routine.id)
    if taken is not None and taken.source == BUILTIN:
        line = (
            f"{source}: id: routine id {quoted(routine.id)} is a built-in routine's; "
            "give the file's routine an id of its own"
        )
        return ImportPreview(source, text, None, (line,), None)
    replaces = ""
    if taken is not None:  # a routine of the person's own: its file is replaced
        replaces = taken.name
        target = Path(taken.path) if taken.path else target
    elif target.exists():
        replaces = target.name
    return ImportPreview(source, text, routine, (), target, replaces)


def import_file(preview: ImportPreview, *, overwrite: bool = False) -> Path:
    """Copy a previewed file into the user folder; returns where it was written.

    Raises :class:`RoutineFileError` when the preview has problems, or when it would
    replace a routine and ``overwrite`` is not set.
    """
    if not preview.ok or preview.target is None:
        raise RoutineFileError(f"{preview.source} has problems; it was not imported")
    if preview.replaces and not overwrite:
        raise RoutineFileError(f"{preview.target} would replace {preview.replaces}; not imported")
    return write_atomically(preview.target, preview.text)


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__
