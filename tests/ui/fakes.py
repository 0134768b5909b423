"""Fakes for the window's seams, each implementing its port explicitly.

``RecordingCoach`` implements ``ui.ports.CoachPort`` method by method (a misspelt
call fails, and mypy checks it against the protocol in test_ports.py);
``FakeDesktop`` is a desktop whose light or dark choice a test sets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from facegym_desktop.speech.base import SpeechState
from facegym_desktop.speech.problems import VoiceProblem
from facegym_desktop.ui.view_settings import DesktopScheme


class RecordingCoach:
    """Stands in for the voice coach and remembers what it was asked to do."""

    def __init__(self, voices: Sequence[Any] = ()) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.cues: list[str] = []
        self.muted: bool | None = None
        self.state: str = SpeechState.READY
        self.problem: VoiceProblem | None = None
        self.voice_list = list(voices)
        self.on_notice: Callable[[str], None] | None = None
        self.on_state: Callable[[SpeechState], None] | None = None

    def voices(self) -> Sequence[Any]:
        return list(self.voice_list)

    def prepare(self, plan: Any) -> None:
        self.calls.append(("prepare", plan.routine_id))

    def cue_due(self, cue: Any) -> None:
        self.cues.append(cue.text)

    def pause(self) -> None:
        self.calls.append(("pause", ()))

    def resume(self) -> None:
        self.calls.append(("resume", ()))

    def skipped(self) -> None:
        self.calls.append(("skipped", ()))

    def stop(self) -> None:
        self.calls.append(("stop", ()))

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        self.calls.append(("set_muted", muted))

    def set_verbosity(self, verbosity: str) -> None:
        self.calls.append(("set_verbosity", verbosity))

    def set_rate(self, words_per_minute: int) -> None:
        self.calls.append(("set_rate", words_per_minute))

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        self.calls.append(("configure", (voice_id, rate, volume)))

    def say_sample(self, text: str) -> None:
        self.calls.append(("say_sample", text))

    def close(self) -> None:
        self.calls.append(("close", ()))


class FakeDesktop(DesktopScheme):
    """A desktop that is dark or light as the test says; ``switch`` tells the window."""

    def __init__(self, dark: bool = False) -> None:
        super().__init__()
        self.dark = dark

    def is_dark(self) -> bool:
        return self.dark

    def switch(self, dark: bool) -> None:
        self.dark = dark
        self.changed.emit()
