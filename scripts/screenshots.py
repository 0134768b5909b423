"""Make the README screenshots: start, session (light and dark), finish, voice and settings.

Builds the real MainWindow offscreen on a fake clock stopped at a chosen moment of
a built-in routine and saves ``window.grab()``.  The default run writes exactly the
pictures the README shows, the session included at common screen sizes
(``session-<w>x<h>-<theme>.png``, also alone with ``--sizes``); ``--more`` adds
extra views for checking layouts by eye, which are not kept in the repository.
Usage::

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--more | --sizes]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

# First: it sets Qt up (offscreen, the checkout on sys.path) before PySide6 loads.
import shots  # isort: skip

from PySide6.QtWidgets import QApplication  # noqa: E402

from facegym_desktop.core.library import load_library  # noqa: E402
from facegym_desktop.core.settings import Settings  # noqa: E402
from facegym_desktop.paths import DataPaths, builtin_routines_dir  # noqa: E402
from facegym_desktop.speech.base import VoiceInfo  # noqa: E402
from facegym_desktop.speech.voice_choice import VoiceChoice  # noqa: E402
from facegym_desktop.ui.main_window import MainWindow  # noqa: E402
from facegym_desktop.ui.voice_dialog import VoiceDialog  # noqa: E402
from tests.factories import FakeClock  # noqa: E402
from tests.ui.fakes import RecordingCoach  # noqa: E402

ROUTINE = "morning-wake-up"
MINUTES = 5
# Seconds into the session for the session shots: inside the second move, where
# there is a caption, a pressure guide and the stroke animation part-way through.
SESSION_MOMENT = 88.0
# Window sizes of the session shots at screen sizes: a netbook, a common laptop, full HD.
SESSION_SIZES = ((1024, 600), (1366, 768), (1920, 1080))


def build_window(data_dir: Path, theme: str, clock: FakeClock) -> MainWindow:
    library = load_library(builtin_routines_dir(), data_dir / "routines")
    settings = Settings(theme=theme, last_routine=ROUTINE, minutes_by_routine={ROUTINE: MINUTES})
    window = MainWindow(DataPaths(data_dir), library, settings, clock=clock, wall_clock=clock)
    window.start_view.length_control.typed  # noqa: B018 - as the app makes it after its first frame
    return window


def run_session_to(window: MainWindow, clock: FakeClock, seconds: float, app: QApplication) -> None:
    window.start_selected()
    assert window.controller is not None
    # Step through the timeline as a running session would, so every event fires.
    step = 0.5
    target = clock.now + seconds
    while clock.now < target:
        clock.now = min(target, clock.now + step)
        window.controller.tick()
    shots.settle(app)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    )
    parser.add_argument(
        "--more",
        action="store_true",
        help="also the start screen dark and small, and a session small and at 1920x1080",
    )
    parser.add_argument(
        "--sizes",
        action="store_true",
        help="only the session at " + ", ".join(f"{w}x{h}" for w, h in SESSION_SIZES),
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = shots.application()

    shoot_session_sizes(args.out, app)
    if args.sizes:
        return 0
    with tempfile.TemporaryDirectory(prefix="facegym-shots-") as tmp:
        for theme in ("light", "dark"):
            clock = FakeClock()
            window = build_window(Path(tmp) / theme, theme, clock)
            window.resize(1280, 800)
            window.show()
            if theme == "light" or args.more:
                shots.shoot(window, args.out / f"start-{theme}.png", app)
            if theme == "light" and args.more:
                window.resize(900, 600)
                shots.shoot(window, args.out / "start-small-light.png", app)
                window.resize(1280, 800)
            run_session_to(window, clock, SESSION_MOMENT, app)
            shots.shoot(window, args.out / f"session-{theme}.png", app)
            if theme == "light":
                if args.more:
                    window.resize(900, 600)
                    shots.shoot(window, args.out / "session-small-light.png", app)
                    window.resize(1920, 1080)
                    shots.shoot(window, args.out / "session-fullhd-light.png", app)
                window.resize(1280, 800)
                window.controller.next()
                # Step past the end of the routine so it finishes as it would on its own,
                # in steps short of a stall (a longer gap pauses the session).
                step = window.controller.engine.stall_seconds / 2
                while window.controller.running:
                    clock.now += step
                    window.controller.tick()
                shots.shoot(window, args.out / "finish-light.png", app)
            window.close()
            window.deleteLater()
            shots.settle(app)
    shoot_voice_dialog(args.out / "voice-light.png", app)
    shoot_settings_dialog(args.out / "settings-light.png", app)
    return 0


def shoot_session_sizes(out: Path, app: QApplication) -> None:
    """The session at each of ``SESSION_SIZES``, light and dark."""
    with tempfile.TemporaryDirectory(prefix="facegym-shots-") as tmp:
        for theme in ("light", "dark"):
            clock = FakeClock()
            window = build_window(Path(tmp) / theme, theme, clock)
            window.resize(*SESSION_SIZES[0])
            window.show()
            run_session_to(window, clock, SESSION_MOMENT, app)
            for width, height in SESSION_SIZES:
                window.resize(width, height)
                shots.shoot(window, out / f"session-{width}x{height}-{theme}.png", app)
            assert window.controller is not None
            window.controller.shutdown()
            window.close()
            window.deleteLater()
            shots.settle(app)


def shoot_settings_dialog(path: Path, app: QApplication) -> None:
    """The settings dialog over a light window, at the size it opens with."""
    from facegym_desktop.ui.preferences_dialog import open_preferences

    with tempfile.TemporaryDirectory(prefix="facegym-shots-") as tmp:
        window = build_window(Path(tmp), "light", FakeClock())
        window.attach_coach(RecordingCoach())  # a working voice, whatever this machine has
        window.resize(1280, 800)
        window.show()
        dialog = open_preferences(window)
        shots.shoot(dialog, path, app)
        dialog.close()
        window.close()
        window.deleteLater()
        shots.settle(app)


def shoot_voice_dialog(path: Path, app: QApplication) -> None:
    """The voice dialog with a fixed list, so the picture does not depend on the engine."""
    voices = [
        VoiceInfo(f"gmw/en-{code}", f"English ({place})", (f"en-{code}",))
        for code, place in (("us", "America"), ("gb", "Great Britain"), ("029", "Caribbean"))
    ]
    voices += [VoiceInfo("gmw/en-gb-scotland", "English (Scotland)", ("en-gb-scotland",))]
    voices += [VoiceInfo("roa/fr", "French (France)", ("fr-fr",))]
    dialog = VoiceDialog(VoiceChoice("gmw/en-gb", 150, 0.9), lambda: voices, system_locale="en_GB")
    dialog.show()
    shots.shoot(dialog, path, app)
    dialog.close()


if __name__ == "__main__":
    raise SystemExit(main())
