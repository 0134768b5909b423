"""Starting the GUI: one running instance, settings, history, voice and the window.

Everything that can fail on a user's machine (a broken settings file, a damaged
database, no speech engine) becomes a one-line notice in the window; the app
keeps running and nothing is lost.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from facegym_desktop import APP_ID, APP_NAME, __version__
from facegym_desktop.app_log import setup_logging
from facegym_desktop.core.library import Library, load_library
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.settings import load_settings
from facegym_desktop.paths import DataPaths, assets_dir, builtin_routines_dir
from facegym_desktop.qt_guard import display_problem, installed_qt_problem
from facegym_desktop.start_up import resume_collection_after_start_up
from facegym_desktop.ui.services import Services, settle_history

if TYPE_CHECKING:
    from facegym_desktop.ui.collector import MainThreadCollector
    from facegym_desktop.ui.main_window import MainWindow
    from facegym_desktop.ui.ports import CoachPort
    from facegym_desktop.ui.signals import SignalRelay
    from facegym_desktop.ui.voice_settings import VoiceSettings

log = logging.getLogger(__name__)


class LaunchOptions(NamedTuple):
    """How the window opens: plain, with a routine started at once, or as a smoke test."""

    routine: Routine | None = None
    minutes: float | None = None
    time_scale: float = 1.0
    mute: bool = False
    quit_when_done: bool = False
    smoke: bool = False
    history: bool = False  # open the History window once the start screen shows


class _FirstPaint(QObject):
    """Calls back once, right after the window's first paint."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self._callback = callback
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            watched.removeEventFilter(self)  # every later event skips this filter
            QTimer.singleShot(0, self._callback)
        return False


def run_gui(
    paths: DataPaths,
    options: LaunchOptions,
    library: Library | None = None,
    services: Services | None = None,
) -> int:
    """Open the app window; returns the process exit code.

    Callers may pause cyclic garbage collection while the app loads (see
    ``pause_collection_for_start_up``); it is back on right after the first frame, on
    the GUI thread only (see ``ui/collector.py``).
    Refuses (exit 1, one line) a Qt binding known to crash and a session without a
    display (see qt_guard).
    """
    if (problem := installed_qt_problem()) is not None:
        print(f"facegym: {problem}", file=sys.stderr)
        return 1
    running = QApplication.instance()
    if running is None and (problem := display_problem(os.environ, sys.platform)) is not None:
        print(f"facegym: {problem}", file=sys.stderr)
        return 1
    app = running or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("FaceGym")
    QGuiApplication.setDesktopFileName(APP_ID)

    window: MainWindow | None = None
    if not options.smoke and options.routine is None:
        # Plain "facegym" opens one window per data folder; run and smoke stand alone.
        from facegym_desktop.ui import single_instance

        if single_instance.ask_running_instance(paths):
            print("FaceGym Desktop is already open; brought it to the front.")
            return 0
        single_instance.listen_for_second_launch(
            paths, app, lambda: window.raise_to_front() if window is not None else None
        )

    notices: list[str] = []
    try:
        paths.ensure()
    except OSError as error:
        notices.append(f"{error}. Nothing can be saved until it can be created.")
    setup_logging(paths.logs)
    loaded = load_settings(paths.settings)
    notices.extend(loaded.problems)
    settings = loaded.settings
    if library is None:
        library = load_library(
            builtin_routines_dir(), paths.user_routines, parse_cache=paths.parsed_routines
        )

    services = services or Services()
    if options.routine is not None:
        # The session starts with the window, so it needs its history and voice now.
        services.open(paths, settings, options, notices)

    from facegym_desktop.ui.main_window import MainWindow

    window = MainWindow(
        paths,
        library,
        settings,
        bridge=services.bridge,
        coach=services.coach,
        notices=notices,
        time_scale=options.time_scale,
    )
    if options.mute:
        window.voice.mute_for_this_run()
    relay = _VoiceRelay(window.voice)
    relay.watch(services.coach)
    sys.excepthook = _make_excepthook(window)

    def after_first_paint() -> None:
        if options.smoke:
            print("ok", flush=True)
            settle_history(paths)
            app.quit()
            return
        from facegym_desktop.ui.collector import MainThreadCollector
        from facegym_desktop.ui.help_menu import help_slots

        collectors.append(MainThreadCollector(app))  # from here on only the GUI thread collects
        _set_window_icon(app)
        window.start_view.length_control.typed  # noqa: B018 - made now, not in the first frame
        window.routine_tools  # noqa: B018 - the Routine menu and file drops, made now too
        window.action_table.connect(help_slots(window, window.action_table, paths))
        if not closing:
            closing.append(_close_on_signals(window, app))
        if options.routine is None:
            # Opening the history (an integrity check, a daily backup) and starting the
            # speech worker wait until the start screen is on show.
            late_notices: list[str] = []
            services.open(paths, settings, options, late_notices)
            window.attach_history(services.bridge)
            if options.history:
                window.open_history()
            window.attach_coach(services.coach)
            relay.watch(services.coach)
            for notice in late_notices:
                window.add_notice(notice)
            # Reminders, the tray icon and starting at log-in (loads datetime: not sooner).
            from facegym_desktop.ui import reminder_setup

            background.append(reminder_setup.install(app, window, paths, services.bridge))

    background: list[object] = []  # kept for the life of the app
    collectors: list[MainThreadCollector] = []
    closing: list[SignalRelay] = []
    watcher = _FirstPaint(after_first_paint)
    window.installEventFilter(watcher)
    window.show()
    if options.routine is not None:
        closing.append(_close_on_signals(window, app))  # the session starts before it shows
        minutes = (
            options.minutes
            if options.minutes is not None
            else settings.minutes_for(options.routine)
        )
        window.start_routine(options.routine, minutes)
        if options.quit_when_done:
            window.session_saved.connect(app.quit)
    resume_collection_after_start_up()
    try:
        app.exec()
    finally:
        # A second Ctrl+C or SIGTERM during the bounded wait for the history must not
        # cut it short: the signal handlers go back only once the services are closed.
        services.close()
        for relay_of_signals in closing:
            relay_of_signals.uninstall()
        for collector in collectors:
            collector.stop()
    return 0


def _close_on_signals(window: MainWindow, app: QApplication) -> SignalRelay:
    """Ctrl+C in the terminal and SIGTERM close the app as Ctrl+Q does: a running
    session is saved as partial, and the history's last writes finish when the
    services close.  Installed after the first frame (nothing to save before it), or
    before a session that starts with the window (``facegym run``)."""
    from facegym_desktop.ui.signals import SignalRelay

    def close_on_signal(number: int) -> None:
        log.info("closing on signal %d", number)
        if window.close():  # a builder's unsaved changes may be kept: then it stays
            app.quit()

    return SignalRelay(close_on_signal)


def _set_window_icon(app: QApplication) -> None:
    # Set once the window is on screen: reading the SVG loads Qt's svg plug-in, and
    # nothing needs the icon before the first frame (the desktop file names it too).
    from PySide6.QtGui import QIcon

    icon_path = assets_dir() / "icons" / f"{APP_ID}.svg"
    if icon_path.exists():
        app.setWindowIcon(QIcon(str(icon_path)))


class _VoiceRelay(QObject):
    """Brings the voice coach's notices onto the UI thread and into the voice settings."""

    notice = Signal(str)
    state = Signal(str)

    def __init__(self, voice: VoiceSettings) -> None:
        super().__init__(voice)
        self.notice.connect(voice.set_voice_notice)
        self._voice = voice
        self.state.connect(self._state_changed)

    def _state_changed(self, state: str) -> None:
        # Loaded with the coach, not at start-up.
        from facegym_desktop.speech.base import SpeechState

        # Back to ready (the worker restarted): the reason no longer holds.
        if state == SpeechState.READY:
            self._voice.set_voice_notice("")

    def watch(self, coach: CoachPort | None) -> None:
        if coach is not None:
            # The coach calls back from its own threads; a signal carries it to the UI thread.
            coach.on_notice = self.notice.emit
            coach.on_state = self.state.emit


def _make_excepthook(window: object):  # type: ignore[no-untyped-def]
    """Unexpected errors go to the log and a one-line notice, never a traceback dialog."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, trace)))
        # The notice is a courtesy: a window already gone must not raise from the hook.
        with contextlib.suppress(Exception):
            window.add_notice(  # type: ignore[attr-defined]
                f"Something went wrong ({kind.__name__}: {error}); details are in the log."
            )

    return hook
