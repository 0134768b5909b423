"""The person's settings while the app runs: read by every unit, changed and saved here.

A change is saved at once; a save that fails keeps the change for this run and
reports one line (the file and the reason) through ``on_error``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from facegym_desktop.core.settings import Settings, save_settings


class SettingsStore:
    """Holds the current ``Settings`` and writes each change to ``path``."""

    def __init__(
        self, path: Path, settings: Settings, on_error: Callable[[str], None] | None = None
    ) -> None:
        self.path = path
        self.on_error = on_error
        self._settings = settings

    @property
    def settings(self) -> Settings:
        """The settings as they are now (a frozen record; replaced on each change)."""
        return self._settings

    def update(self, **changes: Any) -> None:
        """Change the named fields of ``Settings`` and save; an unknown name raises TypeError."""
        from dataclasses import replace

        self._settings = replace(self._settings, **changes)
        try:
            save_settings(self.path, self._settings)
        except OSError as error:
            if self.on_error is not None:
                self.on_error(f"{self.path}: could not save settings ({error.strerror or error})")

    def remember_choice(self, routine_id: str, minutes: float) -> None:
        """The routine started last, and its length kept for the next time it is chosen."""
        chosen = dict(self._settings.minutes_by_routine)
        chosen[routine_id] = minutes
        self.update(last_routine=routine_id, minutes_by_routine=chosen)
