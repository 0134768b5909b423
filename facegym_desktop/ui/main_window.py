"""The main window: start screen, session and finish screen in one stack.

The window composes its units (``actions``, ``core.start_screen``, ``session_runner``,
``session_recorder``, ``voice_settings``, ``view_settings``, ``settings_store``, and
``builder_actions`` after the first frame), connects them and switches pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from facegym_desktop import APP_NAME
from facegym_desktop.core.library import Library
from facegym_desktop.core.planner import PlanRangeError
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.settings import Settings
from facegym_desktop.core.start_screen import StartScreen
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.actions import ActionId, ActionTable
from facegym_desktop.ui.day_watch import DayWatch, local_now
from facegym_desktop.ui.screen_fit import fit_to_screen
from facegym_desktop.ui.session_recorder import SessionRecorder
from facegym_desktop.ui.session_runner import SESSION_KEYS, SessionRunner
from facegym_desktop.ui.settings_store import SettingsStore
from facegym_desktop.ui.start_view import StartView
from facegym_desktop.ui.theme import Theme, palette_for
from facegym_desktop.ui.timers import TimerFactory
from facegym_desktop.ui.view_settings import DesktopScheme, ViewSettings
from facegym_desktop.ui.voice_settings import NOTICE_SOURCE, VoiceSettings

if TYPE_CHECKING:
    from datetime import datetime

    from facegym_desktop.ui.builder_actions import RoutineTools
    from facegym_desktop.ui.finish_view import FinishView
    from facegym_desktop.ui.history_bridge import HistoryBridge
    from facegym_desktop.ui.history_window import HistoryWindow
    from facegym_desktop.ui.ports import CoachPort
    from facegym_desktop.ui.session_controller import SessionController
    from facegym_desktop.ui.session_view import SessionView

log = logging.getLogger(__name__)
PREFERRED_SIZE = QSize(1180, 760)  # logical px; smaller where the screen is


class MainWindow(QMainWindow):
    """Signals: ``session_saved()`` once a session's last write is done.

    ``desktop`` says whether the desktop is dark (the real desktop when None).
    ``local_now`` gives the local time (aware); ``timers`` makes the timer that
    refreshes the start screen's "last done" wording at local midnight (Qt timers
    when None).
    """

    session_saved = Signal()
    close_hook: Callable[[QMainWindow, QCloseEvent], bool] | None = None  # True: it hid us

    def __init__(
        self,
        paths: DataPaths,
        library: Library,
        settings: Settings,
        *,
        bridge: HistoryBridge | None = None,
        coach: CoachPort | None = None,
        notices: list[str] | None = None,
        theme: Theme | None = None,
        desktop: DesktopScheme | None = None,
        clock: Callable[[], float] | None = None,
        wall_clock: Callable[[], float] | None = None,
        time_scale: float = 1.0,
        local_now: Callable[[], datetime] = local_now,
        timers: TimerFactory | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.recorder = SessionRecorder(parent=self)
        self._initial_bridge = bridge
        self._last_done: dict[str, datetime] = {}
        self._local_now = local_now
        self.day_watch = DayWatch(local_now, timers, self)
        self.store = SettingsStore(paths.settings, settings, on_error=self.add_notice)
        self._timing = (settings.prep_seconds, settings.pause_seconds)
        self.start_screen = StartScreen(
            library,
            lambda: self.store.settings,
            notices=notices or (),
            today=lambda: self._local_now().date(),
        )
        self.view_settings = ViewSettings(self.store, self, theme=theme, desktop=desktop)
        self.voice = VoiceSettings(self.store, coach, self)
        QApplication.setPalette(palette_for(self.theme))
        self.sessions = SessionRunner(
            self.recorder,
            self.voice,
            lambda: self.session_view,
            local_now=self._local_now,
            rest_days_per_week=lambda: self.settings.rest_days_per_week,
            clock=clock,
            wall_clock=wall_clock,
            time_scale=time_scale,
            parent=self,
        )

        self.setWindowTitle(APP_NAME)
        self.stack = QStackedWidget()
        self.start_view = StartView(self.stack, theme=self.theme)  # styled in place, once
        self.stack.addWidget(self.start_view)
        # The session and finish views are made when first needed (see their properties).
        self._session_view: SessionView | None = None
        self._finish_view: FinishView | None = None
        self._history_window: HistoryWindow | None = None
        self.setCentralWidget(self.stack)
        self.action_table = ActionTable(self)
        self._session_actions = self.action_table.session_actions()
        self.action_table.place(self.menuBar(), self._focus_screen)
        self._paths = paths
        self._routine_tools: RoutineTools | None = None  # made after the first frame
        self._connect_callbacks()
        self._show_routines()
        self._show_notices()
        fit_to_screen(self, PREFERRED_SIZE)

    @property
    def routine_tools(self) -> RoutineTools:
        """The Routine menu's actions and file drops, made on first use (the app asks
        right after the first frame, so that frame loads none of the builder)."""
        if self._routine_tools is None:
            from facegym_desktop.ui.builder_actions import RoutineTools

            self._routine_tools = RoutineTools(self, self._paths)
        return self._routine_tools

    @property
    def settings(self) -> Settings:
        """The settings as they are now (kept and saved by ``store``)."""
        return self.store.settings

    @property
    def theme(self) -> Theme:
        """The colours and fonts every view uses."""
        return self.view_settings.theme

    def _connect_callbacks(self) -> None:
        table, view, voice = self.action_table, self.view_settings, self.voice
        sessions = self.sessions
        slots: dict[ActionId, Callable[[], object]] = {ActionId.STOP: sessions.request_stop}
        slots |= {key: sessions.steer(do) for key, do in SESSION_KEYS.items()}
        slots |= {ActionId.HISTORY: self.open_history, ActionId.QUIT: self.close}
        slots[ActionId.PREFERENCES] = self.open_preferences
        table.connect(slots | view.action_slots() | voice.action_slots(lambda: self.theme))
        table.bind_checked([*view.check_marks(), *voice.check_marks()])
        self.start_view.routine_selected.connect(self._on_routine_selected)
        self.start_view.minutes_changed.connect(self._on_minutes_changed)
        self.start_view.length_settled.connect(self.store.remember_length)
        self.store.add_listener(self._on_settings_changed)
        self.start_view.start_requested.connect(self.start_selected)
        self.start_view.history_requested.connect(self.open_history)
        self.recorder.saved.connect(self._on_saved)
        self.recorder.streak_ready.connect(lambda line: self.finish_view.set_streak(line))
        self.recorder.last_done_changed.connect(self._on_last_done)
        self.recorder.notice.connect(self._on_history_notice)
        self.attach_history(self._initial_bridge)
        self.day_watch.day_changed.connect(self._on_new_day)
        view.theme_changed.connect(self._on_theme_changed)
        view.mirror_changed.connect(self._on_mirror_changed)
        voice.voice_notice_changed.connect(partial(self.add_notice, source=NOTICE_SOURCE))
        voice.session_notice_changed.connect(self._show_session_notice)
        voice.session_pause_requested.connect(sessions.steer(lambda c, why: c.pause(why)))
        sessions.started.connect(self._on_session_started)
        sessions.ended.connect(self._on_session_ended)

    @property
    def bridge(self) -> HistoryBridge | None:
        """The history sessions are kept in, or None while it is off."""
        return self.recorder.bridge

    def attach_history(self, bridge: HistoryBridge | None) -> None:
        """Keep sessions in ``bridge`` from now on (the app opens it after the first frame)."""
        self.recorder.attach(bridge)

    def attach_coach(self, coach: CoachPort | None) -> None:
        """Speak through ``coach`` from now on (the app starts it after the first frame)."""
        self.voice.attach_coach(coach)

    @property
    def session_view(self) -> SessionView:
        if self._session_view is None:
            from facegym_desktop.ui.session_view import SessionView

            view = SessionView(theme=self.theme)
            view.face_map.set_mirrored(self.view_settings.mirrored)
            self.stack.addWidget(view)
            self._session_view = view
            self._show_session_notice()
        return self._session_view

    @property
    def finish_view(self) -> FinishView:
        if self._finish_view is None:
            from facegym_desktop.ui.finish_view import FinishView

            view = FinishView(theme=self.theme)
            view.done.connect(self.show_start)
            self.stack.addWidget(view)
            self._finish_view = view
        return self._finish_view

    # ------------------------------------------------------------------ start screen

    def _show_routines(self) -> None:
        self.start_view.set_routines(*self.start_screen.cards(self._last_done))
        if self._last_done:  # only then do the cards speak of days
            self.day_watch.start()

    def _on_new_day(self) -> None:
        # The cards' "today" is yesterday now; the routine and length on show stay.
        if self.stack.currentWidget() is not self.start_view:
            return  # show_start makes the cards anew
        minutes = self.start_screen.minutes
        self._show_routines()
        if self.start_screen.selected is not None:
            self.start_screen.set_minutes(minutes)
            self.start_view.set_minutes(minutes)
            self._update_preview()

    def _show_notices(self) -> None:
        self.start_view.set_notice(self.start_screen.notice_text())
        self.start_view.set_problems(self.library.problem_lines())

    def add_notice(self, text: str, source: Hashable | None = None) -> None:
        """Show a line on the start screen; see ``StartScreen.add_notice`` for ``source``."""
        self.start_screen.add_notice(text, source)
        self._show_notices()

    def _on_routine_selected(self, routine_id: str) -> None:
        choice = self.start_screen.select(routine_id)
        if choice is not None:
            self.start_view.set_details(choice.title, choice.description)
            self.start_view.set_length_choices(choice.choices, choice.presets, choice.minutes)
            self._update_preview()

    def _on_minutes_changed(self, minutes: float) -> None:
        self.start_screen.set_minutes(minutes)
        self._update_preview()

    def _on_settings_changed(self, settings: Settings) -> None:
        # The preparation and pause change the plan: the preview follows at once.
        timing = (settings.prep_seconds, settings.pause_seconds)
        if timing != self._timing:
            self._timing = timing
            self._update_preview()
        # A length kept for the routine on show, changed elsewhere, is offered from now on.
        routine = self.start_screen.selected
        if routine is not None and self.stack.currentWidget() is self.start_view:
            kept = settings.minutes_for(routine)
            if kept != self.start_screen.minutes:
                self._on_routine_selected(routine.id)

    def _update_preview(self) -> None:
        if (preview := self.start_screen.preview()) is not None:
            self.start_view.set_preview(preview.total, preview.lines)

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start_view)
        self._show_routines()
        self.start_view.routine_list.setFocus()

    def _focus_screen(self) -> None:
        """Give the keyboard focus to the screen on show (Enter and Space act on it)."""
        current = self.stack.currentWidget()
        if current is not None:
            (self.start_view.routine_list if current is self.start_view else current).setFocus()

    # ------------------------------------------------------------------ session

    def start_selected(self) -> None:
        """Start the routine and length chosen on the start screen."""
        if self.start_screen.selected is not None:
            self.start_routine(self.start_screen.selected, self.start_screen.minutes)

    def start_routine(self, routine: Routine, minutes: float) -> None:
        """Start ``routine`` at ``minutes``; a length it cannot take shows as a notice."""
        try:
            timeline = self.start_screen.session_plan(routine, minutes)
        except PlanRangeError as error:
            self.start_view.set_notice(str(error))
            return
        self.store.remember_choice(routine.id, minutes)
        self.sessions.start(routine, timeline)

    @property
    def controller(self) -> SessionController | None:
        """The session's controller: the one running, or the last one (None before)."""
        return self.sessions.controller

    def _on_session_started(self) -> None:
        for item in self._session_actions:
            item.setEnabled(True)
        self._show_session_notice()
        self.stack.setCurrentWidget(self.session_view)
        self.session_view.setFocus()

    def _on_session_ended(self, title: str, details: str) -> None:
        for item in self._session_actions:
            item.setEnabled(False)
        self.finish_view.show_result(title, details)
        self.stack.setCurrentWidget(self.finish_view)
        self.finish_view.setFocus()

    def _on_saved(self, line: str) -> None:
        self.finish_view.set_saved(line)
        self.session_saved.emit()

    def _on_last_done(self, last_done: dict[str, datetime]) -> None:
        self._last_done = dict(last_done)
        if self.stack.currentWidget() is self.start_view:
            self._show_routines()

    def _on_history_notice(self, message: str) -> None:
        log.warning("history: %s", message)
        self.add_notice(message)

    # ------------------------------------------------------------------ voice and look

    def _show_session_notice(self) -> None:
        # The session view, if built, shows why the voice is off or that it is muted.
        if self._session_view is not None:
            self._session_view.set_notice(self.voice.session_notice)

    def _on_theme_changed(self, theme: Theme) -> None:
        # Menus, the menu bar and dialogs take the application's palette.
        QApplication.setPalette(palette_for(theme))
        parts = (self.start_view, self._session_view, self._finish_view, self.voice.dialog)
        for view in (*parts, self._history_window):
            if view is not None:
                view.set_theme(theme)

    def _on_mirror_changed(self, mirrored: bool) -> None:
        if self._session_view is not None:
            self._session_view.face_map.set_mirrored(mirrored)

    def open_preferences(self) -> None:
        """The settings dialog (Ctrl+,), made on first use; raised when already open."""
        from facegym_desktop.ui.preferences_dialog import open_preferences

        open_preferences(self)

    def open_history(self) -> None:
        """Show the History window (nothing while the history is off)."""
        if self.bridge is None:
            return
        from facegym_desktop.ui.history_window import HistoryWindow

        window = self._history_window
        if window is None:
            window = HistoryWindow(
                self.bridge, theme=self.theme, rest_days_per_week=self.settings.rest_days_per_week
            )
            window.addAction(self.action_table[ActionId.QUIT])  # Ctrl+Q quits from it too
            self._history_window = window
        window.show()
        window.raise_()
        window.activateWindow()

    # ------------------------------------------------------------------ window events

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.WindowStateChange:
            self.sessions.set_visible(not self.isMinimized())
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.day_watch.check()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        self.day_watch.check()
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # The tray's hook may hide the window instead, ignoring the close.
        hidden = self.close_hook is not None and self.close_hook(self, event)
        if not hidden and self._routine_tools and not self._routine_tools.close_builders():
            event.ignore()  # a builder's changes were kept: nothing closes
            return
        self.sessions.shutdown()  # a running session is saved as partial
        if not hidden:
            super().closeEvent(event)

    def raise_to_front(self) -> None:
        """Called when a second launch asks this instance to show itself."""
        (self.showNormal if self.isMinimized() else self.show)()
        self.raise_()
        self.activateWindow()
