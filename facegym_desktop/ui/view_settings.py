"""How the window looks: the theme (light, dark or like the desktop), the mirrored
face picture and full screen.

``ViewSettings`` keeps these choices in the settings and reports each change by
signal; the window passes the theme to its views and ticks its menu entries.
``DesktopScheme`` is where the desktop's own light or dark choice comes from (tests
give their own).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from facegym_desktop.ui.actions import ActionId
from facegym_desktop.ui.settings_store import SettingsStore
from facegym_desktop.ui.theme import DARK, LIGHT, Theme, theme_for

FOLLOW_DESKTOP = "system"  # the theme setting that follows the desktop


class DesktopScheme(QObject):
    """Whether the desktop asks for dark colours; ``changed()`` when it switches."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme)

    def is_dark(self) -> bool:
        """True for a dark desktop; False for light or when Qt cannot tell."""
        return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark

    def _on_scheme(self, _scheme: object = None) -> None:
        self.changed.emit()


class ViewSettings(QObject):
    """Theme, mirror and full screen for ``window``, kept in ``store``.

    Signals: ``theme_changed(Theme)`` when the colours change, ``dark_changed(bool)``
    and ``follows_desktop_changed(bool)`` for the theme's menu entries (sent on
    every theme choice, changed or not), ``mirror_changed(bool)``.
    """

    theme_changed = Signal(object)
    dark_changed = Signal(bool)
    follows_desktop_changed = Signal(bool)
    mirror_changed = Signal(bool)

    def __init__(
        self,
        store: SettingsStore,
        window: QWidget,
        *,
        theme: Theme | None = None,
        desktop: DesktopScheme | None = None,
    ) -> None:
        super().__init__(window)
        self._store = store
        self._window = window
        self._desktop = desktop or DesktopScheme(self)
        self._theme = theme or theme_for(store.settings.theme, self._desktop.is_dark())
        self._desktop.changed.connect(self._on_desktop_changed)

    @property
    def theme(self) -> Theme:
        """The colours and fonts in use."""
        return self._theme

    @property
    def follows_desktop(self) -> bool:
        """True while the theme follows the desktop's light or dark choice."""
        return self._store.settings.theme == FOLLOW_DESKTOP

    @property
    def mirrored(self) -> bool:
        """True when the face picture is shown as in a mirror."""
        return self._store.settings.mirror

    def action_slots(self) -> dict[ActionId, Callable[[], object]]:
        """What the view menu's actions do."""
        return {
            ActionId.DARK_THEME: self.toggle_dark,
            ActionId.FOLLOW_DESKTOP: self.toggle_follow_desktop,
            ActionId.MIRROR: self.toggle_mirror,
            ActionId.FULL_SCREEN: self.toggle_full_screen,
        }

    def check_marks(self) -> list[tuple[ActionId, bool, SignalInstance | None]]:
        """Each checkable view action, ticked or not now, and the signal that changes it."""
        return [
            (ActionId.DARK_THEME, self._theme.dark, self.dark_changed),
            (ActionId.FOLLOW_DESKTOP, self.follows_desktop, self.follows_desktop_changed),
            (ActionId.MIRROR, self.mirrored, self.mirror_changed),
        ]

    def toggle_dark(self) -> None:
        """Light to dark or back; a choice by hand stops following the desktop."""
        self._store.update(theme=(LIGHT if self._theme.dark else DARK).name)
        self._apply_theme()

    def toggle_follow_desktop(self) -> None:
        """Follow the desktop from now on, or keep the theme in use as a fixed choice."""
        self._store.update(theme=self._theme.name if self.follows_desktop else FOLLOW_DESKTOP)
        self._apply_theme()

    def toggle_mirror(self) -> None:
        """Mirror the face picture, or show it plain again."""
        mirrored = not self.mirrored
        self._store.update(mirror=mirrored)
        self.mirror_changed.emit(mirrored)

    def toggle_full_screen(self) -> None:
        """Full screen, or back to the window as it was."""
        self._window.setWindowState(self._window.windowState() ^ Qt.WindowState.WindowFullScreen)

    def _on_desktop_changed(self) -> None:
        if self.follows_desktop:
            self._apply_theme()

    def _apply_theme(self) -> None:
        theme = theme_for(self._store.settings.theme, self._desktop.is_dark())
        self.dark_changed.emit(theme.dark)
        self.follows_desktop_changed.emit(self.follows_desktop)
        if theme != self._theme:
            self._theme = theme
            self.theme_changed.emit(theme)
