"""The reminder itself: a small window on top with Start now, In 30 minutes, Skip today.

It works on every desktop, with or without a tray.  Enter is Start now, Esc closes it
(the reminder counts as shown).  It does not take the keyboard focus when it opens,
so a key meant for another program never answers it by accident.

:class:`ReminderPrompt` shows it for each ``ReminderService.due`` and carries out the
answer: Start now brings the main window to the front with the due routine chosen on
the start screen (the extended routine for the extended nudge, otherwise the routine
used last), ready for Enter; In 30 minutes snoozes; Skip today silences the day.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, SignalInstance
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from facegym_desktop import APP_NAME
from facegym_desktop.core.library import Library
from facegym_desktop.core.reminders import EXTENDED, SNOOZE, Reminder
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.actions import ActionId
from facegym_desktop.ui.main_window import MainWindow
from facegym_desktop.ui.reminder_service import ReminderService

DAILY_HEADING = "Time for your face massage"
EXTENDED_HEADING = "Your extended session is due today"


def due_routine(library: Library, settings: Settings, kind: str) -> Routine | None:
    """The routine a reminder of ``kind`` offers: the first extended routine for the
    extended nudge; otherwise the routine used last, else the first one listed.
    None when the library has none."""
    ordered = library.sorted_routines()
    if kind == EXTENDED:
        extended = [routine for routine in ordered if routine.kind == EXTENDED]
        if extended:
            return extended[0]
    last = library.routine(settings.last_routine)
    if last is not None:
        return last
    return ordered[0] if ordered else None


def session_running(window: MainWindow) -> bool:
    """Whether ``window`` runs a session now."""
    return window.controller is not None and window.controller.running


def present_routine(window: MainWindow, routine_id: str) -> None:
    """Bring ``window`` to the front with ``routine_id`` chosen on the start screen
    (a running session stays on show instead)."""
    if not session_running(window):
        window.show_start()
        routines = window.start_view.routine_list
        for row in range(routines.count()):
            if routines.item(row).data(Qt.ItemDataRole.UserRole) == routine_id:
                routines.setCurrentRow(row)
                break
    window.raise_to_front()


class ReminderWindow(QDialog):
    """Three answers to a reminder.  Signals: ``start_requested()``,
    ``snooze_requested()``, ``skip_requested()``; Esc or closing just hides it."""

    start_requested = Signal()
    snooze_requested = Signal()
    skip_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(f"{APP_NAME} reminder")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        # Open or closed, it neither keeps the app running nor ends it.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.start_button = QPushButton("Start now")
        self.snooze_button = QPushButton("In 30 minutes")
        self.skip_button = QPushButton("Skip today")
        self.start_button.setDefault(True)
        for button, signal in (
            (self.start_button, self.start_requested),
            (self.snooze_button, self.snooze_requested),
            (self.skip_button, self.skip_requested),
        ):
            button.clicked.connect(self._answer(signal))
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.snooze_button)
        buttons.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)

    def _answer(self, signal: SignalInstance) -> Callable[[], None]:
        def answer() -> None:
            self.hide()
            signal.emit()

        return answer

    def show_reminder(self, heading: str, detail: str) -> None:
        """Show (or update) the reminder on top of other windows."""
        self.heading.setText(heading)
        self.detail.setText(detail)
        self.start_button.setFocus()
        self.adjustSize()
        self.show()
        self.raise_()


class ReminderPrompt(QObject):
    """Shows :class:`ReminderWindow` for each reminder ``service`` fires and does what
    the person answers (see the module).  ``window`` is the main window."""

    def __init__(
        self,
        service: ReminderService,
        window: MainWindow,
        reminder_window: ReminderWindow | None = None,
    ) -> None:
        super().__init__(window)
        self._service = service
        self._window = window
        self.reminder_window = reminder_window or ReminderWindow()
        self._kind = ""
        self._routine_id: str | None = None
        service.due.connect(self.show_due)
        self.reminder_window.start_requested.connect(self.start_now)
        self.reminder_window.snooze_requested.connect(service.snooze)
        self.reminder_window.skip_requested.connect(service.skip_today)
        # Ctrl+Q quits from the reminder too, as from every window of the app.
        self.reminder_window.addAction(window.action_table[ActionId.QUIT])
        window.destroyed.connect(self.reminder_window.deleteLater)

    def show_due(self, reminder: Reminder) -> None:
        """Show the reminder (a snooze repeats the kind snoozed)."""
        if reminder.kind != SNOOZE or not self._kind:
            self._kind = reminder.kind
        window = self._window
        routine = due_routine(window.library, window.settings, self._kind)
        self._routine_id = routine.id if routine is not None else None
        heading = EXTENDED_HEADING if self._kind == EXTENDED else DAILY_HEADING
        if routine is None:
            detail = "Press Enter to open FaceGym Desktop."
        else:
            minutes = window.settings.minutes_for(routine)
            detail = f"{routine.name}, {minutes:g} minutes. Press Enter to get ready."
        self.reminder_window.show_reminder(heading, detail)

    def start_now(self) -> None:
        """The main window to the front, the due routine chosen and ready for Enter."""
        self.reminder_window.hide()
        if self._routine_id is None:
            self._window.raise_to_front()
        else:
            present_routine(self._window, self._routine_id)
