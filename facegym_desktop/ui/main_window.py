"""The main window: start screen, session and finish screen in one stack.

The window composes its units (``actions``, ``core.start_screen``, ``voice_settings``,
``view_settings``, ``settings_store``), connects them and switches pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from facegym_desktop import APP_NAME
from facegym_desktop.core.library import Library
from facegym_desktop.core.planner import Plan, PlanRangeError, plan
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.settings import Settings
from facegym_desktop.core.start_screen import StartScreen
from facegym_desktop.core.timefmt import duration_text
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.actions import ActionId, ActionTable
from facegym_desktop.ui.ports import CoachPort
from facegym_desktop.ui.session_recorder import SessionRecorder
from facegym_desktop.ui.settings_store import SettingsStore
from facegym_desktop.ui.start_view import StartView
from facegym_desktop.ui.theme import Theme
from facegym_desktop.ui.view_settings import DesktopScheme, ViewSettings
from facegym_desktop.ui.voice_settings import NOTICE_SOURCE, VoiceSettings

if TYPE_CHECKING:
    from datetime import datetime

    from facegym_desktop.core.session import MoveEnded, SessionSummary
    from facegym_desktop.ui.finish_view import FinishView
    from facegym_desktop.ui.history_bridge import HistoryBridge
    from facegym_desktop.ui.session_controller import SessionController
    from facegym_desktop.ui.session_view import SessionView

log = logging.getLogger(__name__)
# What each session key asks of the running session (Esc: see _request_stop).
SESSION_KEYS: dict[ActionId, Callable[[SessionController], object]] = {
    ActionId.PAUSE: lambda c: c.toggle_pause(),
    ActionId.NEXT: lambda c: c.next(),
    ActionId.PREVIOUS: lambda c: c.previous(),
    ActionId.RESTART: lambda c: c.restart_move(),
    ActionId.MORE_TIME: lambda c: c.add_time(10),
    ActionId.LESS_TIME: lambda c: c.add_time(-10),
}


def _local_now() -> datetime:
    # Imported on first use: the start screen shows no dates until the history has
    # loaded, and the module takes longer to import than the routines take to load.
    from datetime import datetime

    return datetime.now().astimezone()


class MainWindow(QMainWindow):
    """Signals: ``session_saved()`` once a session's last write is done.

    ``desktop`` says whether the desktop is dark (the real desktop when None).
    """

    session_saved = Signal()

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
    ) -> None:
        super().__init__()
        self.library = library
        self.recorder = SessionRecorder(parent=self)
        self._initial_bridge = bridge
        self.controller: SessionController | None = None
        self._clock = clock
        self._wall_clock = wall_clock
        self._time_scale = time_scale
        self._last_done: dict[str, datetime] = {}
        self.store = SettingsStore(paths.settings, settings, on_error=self.add_notice)
        self.start_screen = StartScreen(library, lambda: self.store.settings, notices=notices or ())
        self.view_settings = ViewSettings(self.store, self, theme=theme, desktop=desktop)
        self.voice = VoiceSettings(self.store, coach, self)

        self.setWindowTitle(APP_NAME)
        self.stack = QStackedWidget()
        self.start_view = StartView(theme=self.theme)
        self.stack.addWidget(self.start_view)
        # The session and finish views are built when first needed, so the start
        # screen shows sooner (see the session_view and finish_view properties).
        self._session_view: SessionView | None = None
        self._finish_view: FinishView | None = None
        self.setCentralWidget(self.stack)
        self.action_table = ActionTable(self)
        self._session_actions = self.action_table.session_actions()
        self.action_table.place(self.menuBar())
        self._connect_callbacks()
        self._show_routines()
        self._show_notices()
        self.resize(1180, 760)

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
        slots: dict[ActionId, Callable[[], object]] = {ActionId.STOP: self._request_stop}
        slots |= {key: self._with_controller(do) for key, do in SESSION_KEYS.items()}
        slots |= {ActionId.HISTORY: self.open_history, ActionId.QUIT: self.close}
        table.connect(slots | view.action_slots() | voice.action_slots(lambda: self.theme))
        table.bind_checked([*view.check_marks(), *voice.check_marks()])
        self.start_view.routine_selected.connect(self._on_routine_selected)
        self.start_view.minutes_changed.connect(self._on_minutes_changed)
        self.start_view.start_requested.connect(self.start_selected)
        self.start_view.history_requested.connect(self.open_history)
        self.recorder.saved.connect(self._on_saved)
        self.recorder.streak_ready.connect(self._on_streak)
        self.recorder.last_done_changed.connect(self._on_last_done)
        self.recorder.notice.connect(self._on_history_notice)
        self.attach_history(self._initial_bridge)
        view.theme_changed.connect(self._on_theme_changed)
        view.mirror_changed.connect(self._on_mirror_changed)
        voice.voice_notice_changed.connect(partial(self.add_notice, source=NOTICE_SOURCE))
        voice.session_notice_changed.connect(self._show_session_notice)
        voice.session_pause_requested.connect(self._with_controller(lambda c, why: c.pause(why)))

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

    def _show_notices(self) -> None:
        self.start_view.set_notice(self.start_screen.notice_text())

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

    def _update_preview(self) -> None:
        if (preview := self.start_screen.preview()) is not None:
            self.start_view.set_preview(preview.total, preview.lines)

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start_view)
        self._show_routines()
        self.start_view.routine_list.setFocus()

    # ------------------------------------------------------------------ session

    def start_selected(self) -> None:
        """Start the routine and length chosen on the start screen."""
        if self.start_screen.selected is not None:
            self.start_routine(self.start_screen.selected, self.start_screen.minutes)

    def start_routine(self, routine: Routine, minutes: float) -> None:
        """Start ``routine`` at ``minutes``; a length it cannot take shows as a notice."""
        try:
            timeline = plan(routine, minutes)
        except PlanRangeError as error:
            self.start_view.set_notice(str(error))
            return
        self.store.remember_choice(routine.id, minutes)
        self._start_plan(routine, timeline)

    def _start_plan(self, routine: Routine, timeline: Plan) -> None:
        from facegym_desktop.ui.session_controller import SessionController

        if self.controller is not None:
            self.controller.shutdown()
            self.controller.deleteLater()
        self.controller = SessionController(
            timeline,
            routine,
            self.session_view,
            coach=self.voice.coach,
            muted=self.voice.muted,
            time_scale=self._time_scale,
            clock=self._clock,
            wall_clock=self._wall_clock,
            parent=self,
        )
        self.controller.move_ended.connect(self._on_move_ended)
        self.controller.session_ended.connect(self._on_session_ended)
        self._show_session_notice()
        self.recorder.begin(routine, timeline, _local_now())
        for item in self._session_actions:
            item.setEnabled(True)
        self.stack.setCurrentWidget(self.session_view)
        self.session_view.setFocus()
        self.controller.start()

    def _with_controller(self, function: Callable[..., Any]) -> Callable[..., None]:
        def run(*args: Any) -> None:
            if self.controller is not None and self.controller.running:
                function(self.controller, *args)

        return run

    def _request_stop(self) -> None:
        if self.controller is not None and self.controller.running:
            self.controller.request_stop()

    def _on_move_ended(self, event: MoveEnded) -> None:
        if self.controller is not None:
            self.recorder.move_ended(event, self.controller.engine.active_seconds)

    def _on_session_ended(self, summary: SessionSummary, finished: bool) -> None:
        for item in self._session_actions:
            item.setEnabled(False)
        from facegym_desktop.core.session import finish_title  # loaded with the session

        title = finish_title(summary)
        details = (
            f"{duration_text(summary.active_seconds)} of massage · "
            f"{summary.moves_completed} of {summary.moves_total} moves"
        )
        self.finish_view.show_result(title, details)
        self.stack.setCurrentWidget(self.finish_view)
        self.finish_view.setFocus()
        self.recorder.finish(summary, _local_now(), self.settings.rest_days_per_week)

    def _on_saved(self, line: str) -> None:
        self.finish_view.set_saved(line)
        self.session_saved.emit()

    def _on_streak(self, line: str) -> None:
        self.finish_view.set_streak(line)

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
        for view in (self.start_view, self._session_view, self._finish_view):
            if view is not None:
                view.set_theme(theme)

    def _on_mirror_changed(self, mirrored: bool) -> None:
        if self._session_view is not None:
            self._session_view.face_map.set_mirrored(mirrored)

    def open_history(self) -> None:
        """Show the History window (nothing while the history is off)."""
        if self.bridge is None:
            return
        from facegym_desktop.ui.history_window import HistoryWindow

        window = getattr(self, "_history_window", None)
        if window is None:
            window = HistoryWindow(
                self.bridge, theme=self.theme, rest_days_per_week=self.settings.rest_days_per_week
            )
            self._history_window = window
        window.show()
        window.raise_()
        window.activateWindow()

    # ------------------------------------------------------------------ window events

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.WindowStateChange and self.controller is not None:
            self.controller.set_visible(not self.isMinimized())
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.controller is not None and self.controller.running:
            self.controller.engine.stop()  # saved as partial through session_ended
        if self.controller is not None:
            self.controller.shutdown()
        super().closeEvent(event)

    def raise_to_front(self) -> None:
        """Called when a second launch asks this instance to show itself."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()
