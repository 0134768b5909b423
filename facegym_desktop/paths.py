"""Where FaceGym Desktop keeps its state and finds its bundled resources.

By default each kind of file goes where the platform expects it (platformdirs):
settings in the config folder, logs in the log folder, the reminder state in the
state folder, caches in the cache folder, and the history, its backups and the
person's routines in the data folder.  ``--data-dir`` / ``FACEGYM_DATA_DIR`` keeps
everything under one folder instead, in the layout every version used before.

Files an older version left in the single data folder move once to their platform
folders (:func:`move_old_files`).  Bundled routines and assets are found in the
installed wheel, a source checkout, or a frozen build.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import NamedTuple

import platformdirs

from facegym_desktop.core.atomic_file import replacing

DATA_DIR_ENV = "FACEGYM_DATA_DIR"
_APP_DIR_NAME = "facegym-desktop"
MOVED_MARKER = ".moved-to-platform-folders"
"""Written in the data folder once the old single-folder files have moved."""

log = logging.getLogger(__name__)


class DataPaths(NamedTuple):
    """Every path the app writes to.

    ``root`` is the data folder (history, backups, your routines).  ``config_dir``,
    ``state_dir``, ``log_dir`` and ``cache_dir`` are the platform folders; when None
    (``--data-dir``) the files live under ``root`` as ``settings.json``,
    ``reminders.json``, ``logs/`` and ``cache/``.
    """

    root: Path
    config_dir: Path | None = None
    state_dir: Path | None = None
    log_dir: Path | None = None
    cache_dir: Path | None = None

    @property
    def single_folder(self) -> bool:
        """Whether everything lives under ``root`` (``--data-dir``)."""
        return (self.config_dir, self.state_dir, self.log_dir, self.cache_dir) == (None,) * 4

    @property
    def chosen_root(self) -> Path | None:
        """The data folder ``--data-dir`` / ``FACEGYM_DATA_DIR`` chose (absolute), or
        None for the platform folders: what the log-in entry passes as ``--data-dir``."""
        return self.root if self.single_folder else None

    @property
    def database(self) -> Path:
        return self.root / "history.sqlite3"

    @property
    def settings(self) -> Path:
        return (self.config_dir or self.root) / "settings.json"

    @property
    def reminder_state(self) -> Path:
        """Snooze, skip and last-fired times of the reminders (not settings)."""
        return (self.state_dir or self.root) / "reminders.json"

    @property
    def user_routines(self) -> Path:
        return self.root / "routines"

    @property
    def logs(self) -> Path:
        return self.log_dir or self.root / "logs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.root / "cache"

    @property
    def speech_cache(self) -> Path:
        return self.cache / "speech"

    @property
    def parsed_routines(self) -> Path:
        return self.cache / "routines.json"

    def ensure(self) -> DataPaths:
        """Create the folders the app writes into; return self for chaining.

        Raises :class:`DataFolderError` (an OSError whose text is one line for the
        person) when one cannot be created.
        """
        for folder in (
            self.root, self.user_routines, self.logs, self.backups, self.settings.parent
        ):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DataFolderError(
                    f"cannot create the data folder {folder}: {error.strerror or error}"
                ) from error
        return self


class DataFolderError(OSError):
    """The data folder (or one inside it) cannot be created."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "cannot create the data folder"


def platform_paths() -> DataPaths:
    """The platformdirs folders for this person (read from the environment now)."""
    def folder(kind: str) -> Path:
        return Path(getattr(platformdirs, kind)(_APP_DIR_NAME, appauthor=False))

    return DataPaths(
        root=folder("user_data_dir"),
        config_dir=folder("user_config_dir"),
        state_dir=folder("user_state_dir"),
        log_dir=folder("user_log_dir"),
        cache_dir=folder("user_cache_dir"),
    )


def data_paths(override: str | os.PathLike[str] | None = None) -> DataPaths:
    """Where state lives: the override, then ``FACEGYM_DATA_DIR``, then the platform.

    With the platform folders, files an older version left in the single data folder
    are moved first (once; see :func:`move_old_files`).
    """
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return DataPaths(Path(chosen).expanduser().resolve())
    paths = platform_paths()
    if not (paths.root / MOVED_MARKER).exists():
        move_old_files(paths)
    return paths


def move_old_files(paths: DataPaths) -> bool:
    """Move files from the old single data folder (``paths.root``) to ``paths``' folders.

    Settings, logs and caches move; the history, backups and routines stay.  Each file
    is copied, flushed to disk, renamed into place and only then removed at the old
    place.  A file already at the destination that is as new or newer is kept (the old
    one stays where it was).  A file that cannot be moved stays where it was and is
    logged.  Returns True and writes :data:`MOVED_MARKER` in the data folder when
    nothing failed, so the move happens once; after a failure the next start tries
    again.
    """
    old = DataPaths(paths.root)
    moves = [
        (old.settings, paths.settings),
        (old.reminder_state, paths.reminder_state),
        (old.logs, paths.logs),
        (old.speech_cache, paths.speech_cache),
        (old.parsed_routines, paths.parsed_routines),
    ]
    done = True
    for source, target in moves:
        if source == target:
            continue
        if source.is_dir():
            for file in sorted(source.rglob("*")):
                if file.is_file():
                    done &= _move_file(file, target / file.relative_to(source))
            _remove_empty_folders(source)
        elif source.is_file():
            done &= _move_file(source, target)
    if old.cache != paths.cache:
        _remove_empty_folders(old.cache)
    if done:
        try:
            paths.root.mkdir(parents=True, exist_ok=True)
            (paths.root / MOVED_MARKER).write_text(
                "Settings, logs and caches live in their platform folders now.\n",
                encoding="utf-8",
            )
        except OSError as error:
            log.warning("cannot write %s: %s", paths.root / MOVED_MARKER, error)
            return False
    return done


def _move_file(source: Path, target: Path) -> bool:
    """Move one file safely; False (logged, source left in place) when it failed."""
    try:
        if target.exists():
            if os.path.samefile(source, target):
                return True  # the same file (a case-insensitive file system)
            if target.stat().st_mtime >= source.stat().st_mtime:
                log.info("kept %s: it is as new as %s or newer", target, source)
                return True
        target.parent.mkdir(parents=True, exist_ok=True)
        with replacing(target) as partial:
            shutil.copy2(source, partial)
        source.unlink()
    except OSError as error:
        log.warning("could not move %s to %s (left in place): %s", source, target, error)
        return False
    log.info("moved %s to %s", source, target)
    return True


def _remove_empty_folders(folder: Path) -> None:
    for child in sorted(folder.rglob("*"), reverse=True):
        if child.is_dir():
            with contextlib.suppress(OSError):  # not empty: something stayed
                child.rmdir()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _resource_roots() -> list[Path]:
    package_dir = Path(__file__).resolve().parent
    roots = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        roots.append(Path(frozen_root) / "facegym_desktop" / "_data")
    roots.append(package_dir / "_data")  # installed wheel
    roots.append(package_dir.parent)  # source checkout or editable install
    return roots


def resource_dir(name: str) -> Path:
    """The bundled folder ``name`` ("routines" or "assets"), wherever the app runs from."""
    for root in _resource_roots():
        candidate = root / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled folder {name!r} is missing from this installation")


def builtin_routines_dir() -> Path:
    return resource_dir("routines")


def assets_dir() -> Path:
    return resource_dir("assets")
