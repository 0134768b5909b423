"""Where FaceGym Desktop keeps its state and finds its bundled resources.

All state lives under one data directory: the platformdirs location by default,
or the folder given by ``--data-dir`` / ``FACEGYM_DATA_DIR``.  Bundled routines
and assets are found in the installed wheel, a source checkout, or a frozen build.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "FACEGYM_DATA_DIR"
_APP_DIR_NAME = "facegym-desktop"


@dataclass(frozen=True)
class DataPaths:
    """Every path the app writes to, derived from one root folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "history.sqlite3"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def user_routines(self) -> Path:
        return self.root / "routines"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def speech_cache(self) -> Path:
        return self.root / "cache" / "speech"

    @property
    def parsed_routines(self) -> Path:
        return self.root / "cache" / "routines.json"

    def ensure(self) -> DataPaths:
        """Create the folders the app writes into; return self for chaining.

        Raises :class:`DataFolderError` (an OSError whose text is one line for the
        person) when one cannot be created.
        """
        for folder in (self.root, self.user_routines, self.logs, self.backups):
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


def data_paths(override: str | os.PathLike[str] | None = None) -> DataPaths:
    """The data folder: explicit override, then the environment, then platformdirs."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    if chosen:
        return DataPaths(Path(chosen).expanduser().resolve())
    return DataPaths(Path(platformdirs.user_data_dir(_APP_DIR_NAME, appauthor=False)))


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
