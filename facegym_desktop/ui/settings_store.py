"""The person's settings while the app runs: read by every unit, changed and saved here.

A change is saved at once; a save that fails keeps the change for this run and
reports one line (the file and the reason) through ``on_error``.  When another
program (``facegym settings set``) changed the file since, its values are taken in
first, so a change made here never undoes one made there.  Units that act on a
setting (starting at log-in, the reminders, the settings dialog showing it) hear of
every change with ``add_listener``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from facegym_desktop.core.settings import Settings, load_settings, save_settings

Listener = Callable[[Settings], None]


class SettingsStore:
    """Holds the current ``Settings`` and writes each change to ``path``."""

    def __init__(
        self, path: Path, settings: Settings, on_error: Callable[[str], None] | None = None
    ) -> None:
        self.path = path
        self.on_error = on_error
        self._settings = settings
        self._listeners: list[Listener] = []
        self._stamp = self._file_stamp()  # the file as last read or written here

    @property
    def settings(self) -> Settings:
        """The settings as they are now (a frozen record; replaced on each change)."""
        return self._settings

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(settings)`` after each change, once it is saved (or failed to)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        """Stop calling ``listener``; one never added is ignored."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def update(self, **changes: Any) -> None:
        """Change the named fields of ``Settings`` and save; an unknown name raises TypeError.

        A change that leaves every value as it was is neither saved nor reported.
        """
        unknown = set(changes) - set(Settings._fields)
        if unknown:
            raise TypeError(f"Settings has no field {', '.join(sorted(unknown))}")
        changed = self._current()._replace(**changes)
        if changed == self._settings:
            return
        self._settings = changed
        try:
            save_settings(self.path, self._settings)
        except OSError as error:
            if self.on_error is not None:
                self.on_error(f"{self.path}: could not save settings ({error.strerror or error})")
        self._stamp = self._file_stamp()
        for listener in list(self._listeners):
            listener(self._settings)

    def _current(self) -> Settings:
        """The settings to change: the file's, when another program changed it since it
        was last read or written here (and it reads cleanly), else the ones held."""
        stamp = self._file_stamp()
        if stamp is None or stamp == self._stamp:
            return self._settings
        loaded = load_settings(self.path)
        return self._settings if loaded.problems else loaded.settings

    def _file_stamp(self) -> tuple[int, int, int] | None:
        # Each save replaces the file (a new inode), so even two saves within the
        # file system's clock tick tell apart.
        try:
            found = self.path.stat()
        except OSError:
            return None
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    def remember_length(self, routine_id: str, minutes: float) -> None:
        """Keep ``minutes`` as the length ``routine_id`` opens with next time it is chosen."""
        chosen = dict(self._settings.minutes_by_routine)
        chosen[routine_id] = minutes
        self.update(minutes_by_routine=chosen)

    def remember_choice(self, routine_id: str, minutes: float) -> None:
        """The routine started last, and its length kept for the next time it is chosen."""
        chosen = dict(self._settings.minutes_by_routine)
        chosen[routine_id] = minutes
        self.update(last_routine=routine_id, minutes_by_routine=chosen)
