"""A speaker that says nothing: for muted sessions, tests and failed engines."""

from __future__ import annotations

from collections import deque

from facegym_desktop.core.cue_fit import Priority
from facegym_desktop.speech.base import Speaker, SpeechState, VoiceInfo


class NullSpeaker(Speaker):
    """Accepts every call and stays silent."""

    def __init__(self) -> None:
        self._state = SpeechState.READY
        # What it was asked to say, for tests and captions-only sessions.
        self.said: deque[tuple[str, str, float]] = deque(maxlen=1000)

    def say(self, text: str, priority: Priority = Priority.NORMAL, delay: float = 0.0) -> None:
        if self._state is not SpeechState.CLOSED:
            self.said.append((text, priority, delay))

    def stop(self) -> None:
        pass

    def set_voice(self, voice_id: str | None) -> None:
        pass

    def set_rate(self, words_per_minute: int) -> None:
        pass

    def set_volume(self, volume: float) -> None:
        pass

    def voices(self) -> list[VoiceInfo]:
        return []

    @property
    def state(self) -> SpeechState:
        return self._state

    def close(self) -> None:
        self._state = SpeechState.CLOSED
