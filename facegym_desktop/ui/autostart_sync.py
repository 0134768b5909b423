"""Starting at log-in follows the ``autostart`` setting, however it is changed.

The settings dialog (and anything else) changes settings through ``SettingsStore``;
:class:`AutostartSync` listens there and writes or removes the log-in entry with
:func:`facegym_desktop.core.autostart.set_autostart`, the function
``facegym settings set autostart ...`` calls too, for the data folder the app runs
with (the entry opens that folder at log-in).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from facegym_desktop.core.autostart import LoginEntry, set_autostart
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.settings_store import SettingsStore

log = logging.getLogger(__name__)


class AutostartSync:
    """Writes the log-in entry when ``autostart`` turns on, removes it when it turns off.

    ``data_dir`` is the data folder the app runs with (``DataPaths.chosen_root``; None
    for the platform folders): the entry opens it at log-in.  ``apply(enabled) ->
    LoginEntry`` does it (default: ``set_autostart`` for ``data_dir``; it raises
    OSError or ValueError when it cannot); ``on_notice(line)`` hears of a failure, or
    of another data folder's entry replaced or left in place, in one line.  Nothing
    is written when another setting changes.
    """

    def __init__(
        self,
        store: SettingsStore,
        data_dir: Path | None = None,
        apply: Callable[[bool], LoginEntry] | None = None,
        on_notice: Callable[[str], None] | None = None,
    ) -> None:
        self._apply = apply or (lambda enabled: set_autostart(enabled, data_dir))
        self._on_notice = on_notice
        self._enabled = store.settings.autostart
        store.add_listener(self._on_change)

    def _on_change(self, settings: Settings) -> None:
        if settings.autostart == self._enabled:
            return
        self._enabled = settings.autostart
        try:
            entry = self._apply(settings.autostart)
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) else None
            self._tell(f"Start at log-in could not be changed ({reason or error}).")
            return
        log.info("start at log-in %s: %s", "on" if settings.autostart else "off", entry.where)
        if entry.note is not None:
            self._tell(entry.note)

    def _tell(self, line: str) -> None:
        log.warning("%s", line)
        if self._on_notice is not None:
            self._on_notice(line)
