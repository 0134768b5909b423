"""Starting at log-in follows the ``autostart`` setting, however it is changed.

The settings dialog (and anything else) changes settings through ``SettingsStore``;
:class:`AutostartSync` listens there and writes or removes the log-in entry with
:func:`facegym_desktop.core.autostart.set_autostart`, the function
``facegym settings set autostart ...`` calls too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from facegym_desktop.core.autostart import set_autostart
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.settings_store import SettingsStore

log = logging.getLogger(__name__)


class AutostartSync:
    """Writes the log-in entry when ``autostart`` turns on, removes it when it turns off.

    ``apply(enabled) -> str`` does it and returns where the entry is kept (it raises
    OSError when it cannot); ``on_error(line)`` hears of a failure in one line.
    Nothing is written when another setting changes.
    """

    def __init__(
        self,
        store: SettingsStore,
        apply: Callable[[bool], str] = set_autostart,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self._apply = apply
        self._on_error = on_error
        self._enabled = store.settings.autostart
        store.add_listener(self._on_change)

    def _on_change(self, settings: Settings) -> None:
        if settings.autostart == self._enabled:
            return
        self._enabled = settings.autostart
        try:
            where = self._apply(settings.autostart)
        except OSError as error:
            line = f"Start at log-in could not be changed ({error.strerror or error})."
            log.warning("%s", line)
            if self._on_error is not None:
                self._on_error(line)
            return
        log.info("start at log-in %s: %s", "on" if settings.autostart else "off", where)
