"""The tray icon, its menu, and what closing the window does while reminders are on.

Where the desktop has a tray (``QSystemTrayIcon.isSystemTrayAvailable()``) the app
shows an icon whose menu opens the window, starts a routine, opens the history,
pauses the reminders for today and quits.  With reminders on, closing the window
from the desktop (its close button, Alt+F4) keeps the app in the tray so reminders
can still come, and the first time it says so, once (remembered in the reminder
state).  Quit (the menu, Ctrl+Q, the tray's Quit) always quits.  Without a tray, or
with reminders off, closing quits as before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from facegym_desktop import APP_NAME
from facegym_desktop.core.routine import Routine
from facegym_desktop.ui.main_window import MainWindow
from facegym_desktop.ui.reminder_service import ReminderService
from facegym_desktop.ui.reminder_window import session_running

TOLD_TITLE = f"{APP_NAME} is still running"
TOLD_TEXT = "Your reminders will still come. To quit, choose Quit in this icon's menu."


class TrayMenu(QMenu):
    """The tray icon's menu: Open, Start a routine ▸, History…, Pause reminders for
    today, Quit.  ``quit_app()`` ends the app.  The entries follow the window's state
    each time the menu opens (:meth:`refresh`)."""

    def __init__(
        self, window: MainWindow, service: ReminderService, quit_app: Callable[[], None]
    ) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self.open_action = self.addAction(f"Open {APP_NAME}")
        self.open_action.triggered.connect(window.raise_to_front)
        self.routines_menu = self.addMenu("Start a routine")
        self.history_action = self.addAction("History…")
        self.history_action.triggered.connect(window.open_history)
        self.pause_action = self.addAction("Pause reminders for today")
        self.pause_action.triggered.connect(service.skip_today)
        self.addSeparator()
        self.quit_action = self.addAction("Quit")
        self.quit_action.triggered.connect(quit_app)
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def routine_actions(self) -> list[QAction]:
        """The entries of the Start a routine submenu, in the start screen's order."""
        return [action for action in self.routines_menu.actions() if not action.isSeparator()]

    def refresh(self) -> None:
        """Rebuild the routine entries; enable each entry only where it can act."""
        self.routines_menu.clear()
        for routine in self._window.library.sorted_routines():
            action = self.routines_menu.addAction(routine.name)
            action.triggered.connect(lambda _checked=False, r=routine: self.start(r))
        self.routines_menu.setEnabled(not session_running(self._window))
        self.history_action.setEnabled(self._window.bridge is not None)
        paused = self._service.paused_today
        self.pause_action.setEnabled(self._service.enabled and not paused)
        self.pause_action.setText(
            "Reminders paused for today" if paused else "Pause reminders for today"
        )

    def start(self, routine: Routine) -> None:
        """Start ``routine`` at its kept length with the window in front."""
        window = self._window
        window.raise_to_front()
        minutes = window.settings.minutes_for(routine)
        window.start_routine(routine, minutes)


class CloseToTray(QObject):
    """Decides what closing the main window does (``MainWindow.close_hook``).

    ``tray_available``: an icon is in the tray; ``tell(title, text)`` shows a line from
    the tray icon.  Hiding turns off Qt's quit-on-last-window-closed until the window
    shows again, so closing another window (the history) does not end the app.
    """

    def __init__(
        self,
        service: ReminderService,
        tray_available: bool,
        tell: Callable[[str, str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._tray_available = tray_available
        self._tell = tell

    def should_hide(self, from_desktop: bool) -> bool:
        """Whether a close should hide the window to the tray instead of quitting:
        only one the desktop asked for (not Quit), with a tray and reminders on."""
        return from_desktop and self._tray_available and self._service.enabled

    def close_requested(self, window: QWidget, event: QCloseEvent) -> bool:
        """``MainWindow.close_hook``: :meth:`hide_on_close` for a close the desktop sent
        (a spontaneous event; Quit closes the window from code), ignoring ``event``
        when the window was hidden.  True when it was."""
        if not self.hide_on_close(window, event.spontaneous()):
            return False
        event.ignore()
        return True

    def hide_on_close(self, window: QWidget, from_desktop: bool) -> bool:
        """Hide ``window`` to the tray when :meth:`should_hide` says so (saying so the
        first time, once); True when it was hidden."""
        if not self.should_hide(from_desktop):
            return False
        window.hide()
        _set_quit_on_last_window_closed(False)
        window.installEventFilter(self)
        if not self._service.state.told_about_tray:
            self._tell(TOLD_TITLE, TOLD_TEXT)
            self._service.remember_told_about_tray()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show:
            _set_quit_on_last_window_closed(True)
            watched.removeEventFilter(self)
        return False


def _set_quit_on_last_window_closed(quit_on_close: bool) -> None:
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        app.setQuitOnLastWindowClosed(quit_on_close)


class FaceGymTray(QSystemTrayIcon):
    """The icon in the tray with :class:`TrayMenu`; a click brings the window forward."""

    def __init__(self, window: MainWindow, menu: TrayMenu) -> None:
        super().__init__(window.windowIcon(), window)
        self.menu = menu
        self.setToolTip(APP_NAME)
        self.setContextMenu(menu)
        self.activated.connect(self._on_activated)
        self._window = window

    def tell(self, title: str, text: str) -> None:
        """Show ``text`` in a balloon from the icon."""
        self.showMessage(title, text, self.icon())

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self._window.raise_to_front()


def tray_available() -> bool:
    """Whether the desktop shows tray icons."""
    return QSystemTrayIcon.isSystemTrayAvailable()
