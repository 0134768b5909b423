"""The main window: start screen, session and finish screen in one stack.

The window wires views to the session controller, the history bridge and the voice
coach, keeps the settings, and owns the keyboard shortcuts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow, QStackedWidget

from facegym_desktop import APP_NAME
from facegym_desktop.core.library import Library
from facegym_desktop.core.planner import Plan, PlanRangeError, SegmentKind, plan
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.settings import VERBOSITY_LEVELS, Settings, save_settings
from facegym_desktop.core.timefmt import (
    NOT_YET,
    clock_text,
    duration_text,
    minute_choices,
    presets,
    relative_day,
)
from facegym_desktop.core.vocabulary import AREA_BY_ID
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.routine_cards import RoutineCard
from facegym_desktop.ui.session_recorder import SessionRecorder
from facegym_desktop.ui.start_view import PreviewLine, StartView
from facegym_desktop.ui.theme import DARK, LIGHT, Theme, theme_for

if TYPE_CHECKING:
    from datetime import datetime

    from facegym_desktop.core.session import MoveEnded, SessionSummary
    from facegym_desktop.speech.voice_choice import VoiceChoice
    from facegym_desktop.ui.finish_view import FinishView
    from facegym_desktop.ui.history_bridge import HistoryBridge
    from facegym_desktop.ui.session_controller import SessionController
    from facegym_desktop.ui.session_view import SessionView

log = logging.getLogger(__name__)
PREVIEW_KINDS = (SegmentKind.MOVE, SegmentKind.REST)


def _local_now() -> datetime:
    # Imported on first use: the start screen shows no dates until the history has
    # loaded, and the module takes longer to import than the routines take to load.
    from datetime import datetime

    return datetime.now().astimezone()


class MainWindow(QMainWindow):
    """Signals: ``session_saved()`` once a session's last write is done."""

    session_saved = Signal()

    def __init__(
        self,
        paths: DataPaths,
        library: Library,
        settings: Settings,
        *,
        bridge: HistoryBridge | None = None,
        coach: Any = None,
        notices: list[str] | None = None,
        theme: Theme | None = None,
        clock: Callable[[], float] | None = None,
        wall_clock: Callable[[], float] | None = None,
        time_scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.library = library
        self.settings = settings
        self.recorder = SessionRecorder(parent=self)
        self._initial_bridge = bridge
        self.coach = coach
        self.controller: SessionController | None = None
        self._clock = clock
        self._wall_clock = wall_clock
        self._time_scale = time_scale
        self._selected: Routine | None = None
        self._minutes = 0.0
        self._last_done: dict[str, datetime] = {}
        self._muted_for_run = False  # --mute: quiet for this run, the setting untouched
        self.voice_dialog: Any = None  # open while the person picks a voice
        self._voice_notice = ""  # the coach's reason the voice is off, if it is
        self._notices = list(notices or [])
        self.theme = theme or theme_for(settings.theme, _desktop_is_dark())

        self.setWindowTitle(APP_NAME)
        self.stack = QStackedWidget()
        self.start_view = StartView(theme=self.theme)
        self.stack.addWidget(self.start_view)
        # The session and finish views are built when first needed, so the start
        # screen shows sooner (see the session_view and finish_view properties).
        self._session_view: SessionView | None = None
        self._finish_view: FinishView | None = None
        self.setCentralWidget(self.stack)
        self._build_actions()
        self._connect_callbacks()
        self._show_routines()
        self._show_notices()
        self.resize(1180, 760)

    # ------------------------------------------------------------------ set-up

    def _build_actions(self) -> None:
        def action(
            text: str, keys: list[str] | str, slot: Callable[[], Any], *, session: bool = False
        ) -> QAction:
            item = QAction(text, self)
            sequences = [keys] if isinstance(keys, str) else keys
            item.setShortcuts([QKeySequence(k) for k in sequences])
            item.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            item.triggered.connect(slot)
            self.addAction(item)
            if session:
                self._session_actions.append(item)
            return item

        self._session_actions: list[QAction] = []
        self.pause_action = action(
            "Pause or resume",
            "Space",
            self._with_controller(lambda c: c.toggle_pause()),
            session=True,
        )
        self.next_action = action(
            "Next move", "Right", self._with_controller(lambda c: c.next()), session=True
        )
        self.previous_action = action(
            "Previous move", "Left", self._with_controller(lambda c: c.previous()), session=True
        )
        self.restart_action = action(
            "Restart move", "R", self._with_controller(lambda c: c.restart_move()), session=True
        )
        self.more_action = action(
            "Ten seconds more",
            ["+", "=", "Shift+="],
            self._with_controller(lambda c: c.add_time(10)),
            session=True,
        )
        self.less_action = action(
            "Ten seconds less",
            ["-", "_"],
            self._with_controller(lambda c: c.add_time(-10)),
            session=True,
        )
        self.stop_action = action("Stop session", "Escape", self._request_stop, session=True)
        self.mute_action = action("Mute voice", "M", self._toggle_mute)
        self.mute_action.setCheckable(True)
        self.mute_action.setChecked(self.settings.muted)
        self.fullscreen_action = action("Full screen", ["F", "F11"], self._toggle_full_screen)
        self.history_action = action("History…", "Ctrl+H", self._open_history)
        self.quit_action = action("Quit", "Ctrl+Q", self.close)
        self.dark_action = action("Dark theme", "Ctrl+D", self._toggle_theme)
        self.dark_action.setCheckable(True)
        self.dark_action.setChecked(self.theme.dark)
        self.follow_desktop_action = action(
            "Light or dark like the desktop", "Ctrl+Shift+D", self._follow_desktop_theme
        )
        self.follow_desktop_action.setCheckable(True)
        self.follow_desktop_action.setChecked(self.settings.theme == "system")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_desktop_scheme)
        self.mirror_action = action("Mirror the picture", "Ctrl+I", self._toggle_mirror)
        self.mirror_action.setCheckable(True)
        self.mirror_action.setChecked(self.settings.mirror)
        for item in self._session_actions:
            item.setEnabled(False)

        menu = self.menuBar()
        app_menu = menu.addMenu("&FaceGym")
        app_menu.addAction(self.history_action)
        app_menu.addSeparator()
        app_menu.addAction(self.quit_action)
        session_menu = menu.addMenu("&Session")
        for item in self._session_actions:
            session_menu.addAction(item)
        view_menu = menu.addMenu("&View")
        view_menu.addActions(
            [
                self.dark_action,
                self.follow_desktop_action,
                self.mirror_action,
                self.fullscreen_action,
            ]
        )
        voice_menu = menu.addMenu("V&oice")
        voice_menu.addAction(self.mute_action)
        verbosity_menu = voice_menu.addMenu("How much the coach says")
        group = QActionGroup(self)
        labels = {
            "full": "Everything",
            "brief": "Brief",
            "counts": "Counts only",
            "off": "Nothing (captions only)",
        }
        for level in VERBOSITY_LEVELS:
            item = QAction(labels[level], self, checkable=True)
            item.setChecked(level == self.settings.verbosity)
            item.triggered.connect(lambda _checked=False, value=level: self._set_verbosity(value))
            group.addAction(item)
            verbosity_menu.addAction(item)
        voice_menu.addAction(QAction("Speak faster", self, triggered=lambda: self._change_rate(+1)))
        voice_menu.addAction(QAction("Speak slower", self, triggered=lambda: self._change_rate(-1)))
        voice_menu.addSeparator()
        self.voice_action = action(
            "Voice, speed and volume…", "Ctrl+Shift+V", self.open_voice_dialog
        )
        voice_menu.addAction(self.voice_action)

    def _connect_callbacks(self) -> None:
        self.start_view.routine_selected.connect(self._on_routine_selected)
        self.start_view.minutes_changed.connect(self._on_minutes_changed)
        self.start_view.start_requested.connect(self.start_selected)
        self.start_view.history_requested.connect(self._open_history)
        self.recorder.saved.connect(self._on_saved)
        self.recorder.streak_ready.connect(self._on_streak)
        self.recorder.last_done_changed.connect(self._on_last_done)
        self.recorder.notice.connect(self._on_history_notice)
        self.attach_history(self._initial_bridge)

    @property
    def bridge(self) -> HistoryBridge | None:
        """The history sessions are kept in, or None while it is off."""
        return self.recorder.bridge

    def attach_history(self, bridge: HistoryBridge | None) -> None:
        """Keep sessions in ``bridge`` from now on (the app opens it after the first frame)."""
        self.recorder.attach(bridge)

    def attach_coach(self, coach: Any) -> None:
        """Speak through ``coach`` from now on (the app starts it after the first frame)."""
        self.coach = coach
        if coach is not None and self.muted:
            coach.set_muted(True)

    @property
    def session_view(self) -> SessionView:
        if self._session_view is None:
            from facegym_desktop.ui.session_view import SessionView

            view = SessionView(theme=self.theme)
            view.face_map.set_mirrored(self.settings.mirror)
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

    def _built_views(self) -> list[Any]:
        views: list[Any] = [self.start_view, self._session_view, self._finish_view]
        return [view for view in views if view is not None]

    # ------------------------------------------------------------------ start screen

    def _show_routines(self) -> None:
        today = _local_now().date() if self._last_done else None
        cards = []
        for routine in self.library.sorted_routines():
            last = self._last_done.get(routine.id)
            areas = ", ".join(AREA_BY_ID[a].label for a in routine.areas)
            cards.append(
                RoutineCard(
                    routine_id=routine.id,
                    name=routine.name,
                    kind=routine.kind,
                    span=f"{routine.min_minutes:g}–{routine.max_minutes:g} min",
                    areas=areas,
                    tools=", ".join(routine.tools).replace("-", " "),
                    last_done=relative_day(last.date(), today) if last and today else NOT_YET,
                    description=routine.description,
                )
            )
        selected = self._selected.id if self._selected else self.settings.last_routine
        self.start_view.set_routines(cards, selected)

    def _show_notices(self) -> None:
        problems = [str(p) for p in self.library.problems]
        lines = list(self._notices)
        if problems:
            shown = "; ".join(problems[:3]) + (
                f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            )
            lines.append(f"Some routine files were skipped: {shown}")
        self.start_view.set_notice("\n".join(lines))

    def add_notice(self, text: str) -> None:
        if text and text not in self._notices:
            self._notices.append(text)
            self._show_notices()

    def remove_notice(self, text: str) -> None:
        if text in self._notices:
            self._notices.remove(text)
            self._show_notices()

    def _on_routine_selected(self, routine_id: str) -> None:
        routine = self.library.routine(routine_id)
        if routine is None:
            return
        self._selected = routine
        self._minutes = self.settings.minutes_for(routine.id, routine.default_minutes)
        if not routine.min_minutes <= self._minutes <= routine.max_minutes:
            self._minutes = routine.default_minutes
        self.start_view.set_details(routine.name, routine.description)
        self.start_view.set_length_choices(
            minute_choices(routine.min_minutes, routine.max_minutes, routine.default_minutes),
            presets(routine.min_minutes, routine.default_minutes, routine.max_minutes),
            self._minutes,
        )
        self._update_preview()

    def _on_minutes_changed(self, minutes: float) -> None:
        self._minutes = minutes
        self._update_preview()

    def _update_preview(self) -> None:
        if self._selected is None:
            return
        timeline = plan(self._selected, self._minutes)
        lines = [
            PreviewLine(
                clock_text(s.start),
                s.name + (f" ({s.side})" if s.side else "") + (f" × {s.reps}" if s.reps else ""),
                duration_text(s.duration),
            )
            for s in timeline.segments
            if s.kind in PREVIEW_KINDS
        ]
        moves = len(self._selected.steps)
        self.start_view.set_preview(f"{clock_text(timeline.total_seconds)} · {moves} moves", lines)

    def show_start(self) -> None:
        self.stack.setCurrentWidget(self.start_view)
        self._show_routines()
        self.start_view.routine_list.setFocus()

    # ------------------------------------------------------------------ session

    def start_selected(self) -> None:
        if self._selected is not None:
            self.start_routine(self._selected, self._minutes)

    def start_routine(self, routine: Routine, minutes: float) -> None:
        try:
            timeline = plan(routine, minutes)
        except PlanRangeError as error:
            self.start_view.set_notice(str(error))
            return
        self._remember_choice(routine, minutes)
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
            coach=self.coach,
            muted=self.muted,
            time_scale=self._time_scale,
            clock=self._clock,
            wall_clock=self._wall_clock,
            parent=self,
        )
        self.controller.move_ended.connect(self._on_move_ended)
        self.controller.session_ended.connect(self._on_session_ended)
        self.controller.muted_changed.connect(self._on_muted_changed)
        self._show_session_notice()
        self.recorder.begin(routine, timeline, _local_now())
        for item in self._session_actions:
            item.setEnabled(True)
        self.stack.setCurrentWidget(self.session_view)
        self.session_view.setFocus()
        self.controller.start()

    def _with_controller(self, function: Callable[[SessionController], Any]) -> Callable[[], None]:
        def run() -> None:
            if self.controller is not None and self.controller.running:
                function(self.controller)

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
        title = "Well done" if summary.status == "completed" else "Session stopped"
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

    # ------------------------------------------------------------------ settings

    def _remember_choice(self, routine: Routine, minutes: float) -> None:
        chosen = dict(self.settings.minutes_by_routine)
        chosen[routine.id] = minutes
        self._update_settings(last_routine=routine.id, minutes_by_routine=chosen)

    def _update_settings(self, **changes: Any) -> None:
        from dataclasses import replace

        self.settings = replace(self.settings, **changes)
        try:
            save_settings(self.paths.settings, self.settings)
        except OSError as error:
            self.add_notice(
                f"{self.paths.settings}: could not save settings ({error.strerror or error})"
            )

    @property
    def muted(self) -> bool:
        return self.settings.muted or self._muted_for_run

    def mute_for_this_run(self) -> None:
        """Quiet until the person unmutes (``--mute``); the saved setting is left alone."""
        self._muted_for_run = True
        self.mute_action.setChecked(True)
        if self.coach is not None:
            self.coach.set_muted(True)

    def _toggle_mute(self) -> None:
        if self.controller is not None and self.controller.running:
            self.controller.toggle_mute()
        else:
            self._on_muted_changed(not self.muted)
            if self.coach is not None:
                self.coach.set_muted(self.muted)

    def _on_muted_changed(self, muted: bool) -> None:
        # Pressing M is a choice the person makes: it replaces a --mute for this run.
        self._muted_for_run = False
        self.mute_action.setChecked(muted)
        self._update_settings(muted=muted)
        self._show_session_notice()

    def set_voice_notice(self, text: str) -> None:
        """The coach's one line on why the voice is off; "" once it works again."""
        if self._voice_notice:
            self.remove_notice(self._voice_notice)
        self._voice_notice = text
        self.add_notice(text)
        self._show_session_notice()

    def _show_session_notice(self) -> None:
        # The session view, if built, shows why the voice is off or that it is muted.
        if self._session_view is None:
            return
        muted = "Voice muted. Press M to unmute." if self.muted else ""
        self._session_view.set_notice(self._voice_notice or muted)

    def _set_verbosity(self, level: str) -> None:
        if self.coach is not None:
            self.coach.set_verbosity(level)
        self._update_settings(verbosity=level)

    # The voice helpers are imported when first used: the start screen needs none of
    # them, and start-up time is budgeted.

    def _change_rate(self, steps: int) -> None:
        from facegym_desktop.speech.voice_choice import RATE_STEP, clamp_rate

        rate = clamp_rate(self.settings.voice_rate + steps * RATE_STEP)
        if self.coach is not None:
            self.coach.set_rate(rate)
        self._update_settings(voice_rate=rate)

    @property
    def voice_choice(self) -> VoiceChoice:
        """The saved voice, speed and volume."""
        from facegym_desktop.speech.voice_choice import VoiceChoice

        return VoiceChoice(
            self.settings.voice_id, self.settings.voice_rate, self.settings.voice_volume
        )

    def open_voice_dialog(self) -> None:
        """Voice, speed and volume, with a sample to try; kept only on OK."""
        from PySide6.QtCore import QLocale

        from facegym_desktop.ui.voice_dialog import VoiceDialog

        if self.voice_dialog is not None:
            self.voice_dialog.raise_()
            return
        if self.controller is not None and self.controller.running:
            self.controller.pause("Paused while you choose a voice. Press Space to go on.")
        saved = self.voice_choice
        dialog = VoiceDialog(
            saved,
            self.coach.voices if self.coach is not None else list,
            system_locale=QLocale.system().name(),
            unavailable_reason=self._voice_off_reason(),
            theme=self.theme,
            parent=self,
        )
        dialog.preview_requested.connect(self._try_voice)
        dialog.finished.connect(lambda result: self._voice_dialog_closed(dialog, saved, result))
        self.voice_dialog = dialog
        dialog.open()

    def _voice_off_reason(self) -> str:
        if self.coach is None:
            return "The voice is off for this run, so there is nothing to choose."
        from facegym_desktop.speech.base import SpeechState  # loaded with the coach

        if self.coach.state == SpeechState.OFF:
            reason = getattr(self.coach.speaker, "reason", "") or "the speech engine stopped"
            return f"The voice is off: {reason}"
        return ""

    def _apply_voice(self, choice: VoiceChoice) -> None:
        if self.coach is not None:
            self.coach.configure(choice.voice_id or None, choice.rate, choice.volume)

    def _try_voice(self, choice: VoiceChoice) -> None:
        from facegym_desktop.speech.voice_choice import SAMPLE_PHRASE

        if self.coach is not None:
            self._apply_voice(choice)
            self.coach.say_sample(SAMPLE_PHRASE)

    def _voice_dialog_closed(self, dialog: Any, saved: VoiceChoice, result: int) -> None:
        from PySide6.QtWidgets import QDialog  # loaded with the dialog, not at start-up

        self.voice_dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            if dialog.tried:
                self._apply_voice(saved)  # undo what Try it changed
            return
        chosen = dialog.choice().clamped()
        self._apply_voice(chosen)
        self._update_settings(
            voice_id=chosen.voice_id, voice_rate=chosen.rate, voice_volume=chosen.volume
        )

    def _toggle_theme(self) -> None:
        # Choosing by hand stops following the desktop.
        self._update_settings(theme=(LIGHT if self.theme.dark else DARK).name)
        self._apply_theme()

    def _follow_desktop_theme(self) -> None:
        chosen = "system" if self.follow_desktop_action.isChecked() else self.theme.name
        self._update_settings(theme=chosen)
        self._apply_theme()

    def _on_desktop_scheme(self, _scheme: object = None) -> None:
        if self.settings.theme == "system":
            self._apply_theme()

    def _apply_theme(self) -> None:
        theme = theme_for(self.settings.theme, _desktop_is_dark())
        self.dark_action.setChecked(theme.dark)
        self.follow_desktop_action.setChecked(self.settings.theme == "system")
        if theme == self.theme:
            return
        self.theme = theme
        for view in self._built_views():
            view.set_theme(self.theme)

    def _toggle_mirror(self) -> None:
        mirrored = not self.settings.mirror
        self.mirror_action.setChecked(mirrored)
        if self._session_view is not None:
            self._session_view.face_map.set_mirrored(mirrored)
        self._update_settings(mirror=mirrored)

    def _toggle_full_screen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    def _open_history(self) -> None:
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


def _desktop_is_dark() -> bool:
    """Whether the desktop asks for dark colours (Qt reports Unknown when it cannot tell)."""
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark
