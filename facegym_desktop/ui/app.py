"""Starting the GUI: one running instance, settings, history, voice and the window.

Everything that can fail on a user's machine (a broken settings file, a damaged
database, no speech engine) becomes a one-line notice in the window; the app
keeps running and nothing is lost.
"""

from __future__ import annotations

import hashlib
import logging
import logging.handlers
import sys
import traceback
from dataclasses import dataclass
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

from facegym_desktop import APP_ID, APP_NAME, __version__
from facegym_desktop.core.library import Library, load_library
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.settings import load_settings
from facegym_desktop.paths import DataPaths, assets_dir, builtin_routines_dir

log = logging.getLogger(__name__)
RAISE_MESSAGE = b"raise\n"


@dataclass(frozen=True)
class LaunchOptions:
    routine: Routine | None = None
    minutes: float | None = None
    time_scale: float = 1.0
    mute: bool = False
    quit_when_done: bool = False
    smoke: bool = False


def setup_logging(paths: DataPaths) -> None:
    try:
        paths.logs.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.logs / "facegym.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _server_name(paths: DataPaths) -> str:
    # One instance per data folder, so tests with their own folder never collide.
    digest = hashlib.sha1(str(paths.root).encode("utf-8")).hexdigest()[:12]
    return f"facegym-desktop-{digest}"


def _ask_running_instance(name: str) -> bool:
    """True when another instance answered and was asked to come to the front."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(300):
        return False
    socket.write(RAISE_MESSAGE)
    socket.waitForBytesWritten(300)
    socket.disconnectFromServer()
    return True


class _FirstPaint(QObject):
    """Calls back once, right after the window's first paint."""

    def __init__(self, callback: object) -> None:
        super().__init__()
        self._callback = callback
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and not self._seen:
            self._seen = True
            QTimer.singleShot(0, self._callback)  # type: ignore[arg-type]
        return False


def run_gui(paths: DataPaths, options: LaunchOptions, library: Library | None = None) -> int:
    """Open the app window; returns the process exit code."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("FaceGym")
    QGuiApplication.setDesktopFileName(APP_ID)
    icon_path = assets_dir() / "icons" / f"{APP_ID}.svg"
    if icon_path.exists():
        app.setWindowIcon(QIcon(str(icon_path)))

    server: QLocalServer | None = None
    if not options.smoke and options.routine is None:
        name = _server_name(paths)
        if _ask_running_instance(name):
            print("FaceGym Desktop is already open; brought it to the front.")
            return 0
        QLocalServer.removeServer(name)  # a stale socket left by a crash
        server = QLocalServer(app)
        server.listen(name)

    paths.ensure()
    setup_logging(paths)
    notices: list[str] = []
    loaded = load_settings(paths.settings)
    notices.extend(loaded.problems)
    settings = loaded.settings
    if library is None:
        library = load_library(builtin_routines_dir(), paths.user_routines)

    bridge = None if options.smoke else _open_history(paths, notices)
    muted = options.mute or settings.muted
    coach = None if options.smoke else _make_coach(paths, settings, muted, options.mute, notices)

    from facegym_desktop.ui.main_window import MainWindow

    window = MainWindow(
        paths,
        library,
        settings,
        bridge=bridge,
        coach=coach,
        notices=notices,
        time_scale=options.time_scale,
    )
    if options.mute:
        window.mute_for_this_run()
    relay = _VoiceRelay(window)
    if coach is not None:
        # The coach calls back from its own threads; a signal carries it to the UI thread.
        coach.on_notice = relay.notice.emit
        coach.on_state = relay.state.emit
    if server is not None:
        server.newConnection.connect(lambda: _on_second_launch(server, window))
    sys.excepthook = _make_excepthook(window)

    if options.smoke:
        watcher = _FirstPaint(lambda: (print("ok", flush=True), app.quit()))
        window.installEventFilter(watcher)
    window.show()
    if options.routine is not None:
        minutes = (
            options.minutes
            if options.minutes is not None
            else settings.minutes_for(options.routine.id, options.routine.default_minutes)
        )
        window.start_routine(options.routine, minutes)
        if options.quit_when_done:
            window.session_saved.connect(app.quit)
    try:
        app.exec()
    finally:
        if bridge is not None:
            bridge.close(close_store=True)
        if coach is not None:
            coach.close()
    return 0


def _open_history(paths: DataPaths, notices: list[str]) -> object | None:
    from facegym_desktop.core.history import HistoryError, HistoryStore
    from facegym_desktop.ui.history_bridge import HistoryBridge

    try:
        store = HistoryStore.open(paths.database, backups_dir=paths.backups)
    except HistoryError as error:
        notices.append(f"History is off: {error}")
        return None
    except Exception as error:  # noqa: BLE001 - the app must open even without its history
        log.exception("opening the history failed")
        notices.append(f"History is off: {paths.database} could not be opened ({error}).")
        return None
    notices.extend(store.notices)
    bridge = HistoryBridge(store)
    bridge.mark_dangling_interrupted()
    return bridge


def _make_coach(
    paths: DataPaths, settings: object, muted: bool, silent: bool, notices: list[str]
) -> object | None:
    try:
        from facegym_desktop.speech.coach import VoiceCoach
        from facegym_desktop.speech.null import NullSpeaker

        speaker = NullSpeaker() if silent else None
        return VoiceCoach(
            speaker,
            voice=getattr(settings, "voice_id", "") or None,
            rate=getattr(settings, "voice_rate", 150),
            volume=getattr(settings, "voice_volume", 0.9),
            verbosity=getattr(settings, "verbosity", "full"),
            muted=muted,
            cache_dir=paths.speech_cache,
        )
    except Exception as error:  # noqa: BLE001 - captions still work without a voice
        log.exception("voice coach failed to start")
        notices.append(f"Voice off: {error}. Captions still show every cue.")
        return None


class _VoiceRelay(QObject):
    """Brings the voice coach's notices onto the UI thread and into the window."""

    notice = Signal(str)
    state = Signal(str)

    def __init__(self, window: QObject) -> None:
        super().__init__(window)
        self._window = window
        self._shown = ""
        self.notice.connect(self._show)
        self.state.connect(self._on_state)

    def _show(self, text: str) -> None:
        self._shown = text
        self._window.session_view.set_notice(text)  # type: ignore[attr-defined]
        self._window.add_notice(text)  # type: ignore[attr-defined]

    def _on_state(self, state: str) -> None:
        if state == "ready" and self._shown:
            self._window.remove_notice(self._shown)  # type: ignore[attr-defined]
            self._window.session_view.set_notice("")  # type: ignore[attr-defined]
            self._shown = ""


def _on_second_launch(server: QLocalServer, window: object) -> None:
    connection = server.nextPendingConnection()
    if connection is not None:
        connection.readyRead.connect(lambda: _raise_for(connection, window))
        connection.disconnected.connect(connection.deleteLater)


def _raise_for(connection: QLocalSocket, window: object) -> None:
    connection.readAll()
    log.info("a second launch asked this window to come to the front")
    window.raise_to_front()  # type: ignore[attr-defined]


def _make_excepthook(window: object):  # type: ignore[no-untyped-def]
    """Unexpected errors go to the log and a one-line notice, never a traceback dialog."""

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, trace)))
        try:
            window.add_notice(
                f"Something went wrong ({kind.__name__}: {error}); details are in the log."
            )  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001
            pass

    return hook
