"""The Speaker interface every speech backend implements.

A speaker says short phrases with a priority, can be silenced at once, and renders
phrases ahead of time when the backend supports it.  No method blocks the caller
or raises because speech failed: failures show up as ``state is SpeechState.OFF``
with a one-line ``reason`` and through ``on_state``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from facegym_desktop.speech.problems import VoiceProblem

from facegym_desktop.core.cue_fit import Priority
from facegym_desktop.core.settings import VOICE_RATE, VOICE_VOLUME

# What a speaker uses until it is told otherwise: the settings' defaults.
DEFAULT_RATE_WPM = VOICE_RATE.default
DEFAULT_VOLUME = VOICE_VOLUME.default


class SpeechState(StrEnum):
    """Where a speaker stands; values are their strings ("ready", "off", ...)."""

    STARTING = "starting"  # the engine has not answered yet
    READY = "ready"
    OFF = "off"  # speech cannot work right now; ``reason`` says why and what to do
    CLOSED = "closed"


StateCallback = Callable[[SpeechState, str], None]  # state, reason
MeasuredCallback = Callable[[str, float], None]  # text, clip seconds


@dataclass(frozen=True)
class VoiceInfo:
    id: str
    name: str
    languages: tuple[str, ...] = field(default_factory=tuple)
    gender: str | None = None


def priority_rank(priority: str) -> int:
    """0 for high, 1 for normal, 2 for low (unknown counts as low); see :class:`Priority`."""
    return Priority.rank_of(priority)


class Speaker(ABC):
    """One speech backend."""

    on_state: StateCallback | None = None

    @abstractmethod
    def say(self, text: str, priority: Priority = Priority.NORMAL, delay: float = 0.0) -> None:
        """Speak ``text`` after ``delay`` seconds.  A high phrase cuts off whatever is
        playing; a lower one waits briefly for it or is dropped."""

    @abstractmethod
    def stop(self) -> None:
        """Silence now: stop the current phrase and forget the ones waiting."""

    def prefetch(
        self,
        texts: Iterable[str],
        on_measured: MeasuredCallback | None = None,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        """Prepare phrases ahead of time; report each clip's length.  Optional."""
        if on_done is not None:
            on_done()

    def measured(self, text: str) -> float | None:
        """The known length of ``text`` as spoken, if it was rendered."""
        return None

    @abstractmethod
    def set_voice(self, voice_id: str | None) -> None: ...

    @abstractmethod
    def set_rate(self, words_per_minute: int) -> None: ...

    @abstractmethod
    def set_volume(self, volume: float) -> None: ...

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        """All three settings; backends that restart work on a change do it once here."""
        self.set_voice(voice_id)
        self.set_rate(rate)
        self.set_volume(volume)

    @abstractmethod
    def voices(self) -> list[VoiceInfo]:
        """The voices known so far (an empty list until the engine has answered)."""

    @property
    @abstractmethod
    def state(self) -> SpeechState: ...

    @property
    def reason(self) -> str:
        return ""

    @property
    def speaking(self) -> bool:
        return False

    @property
    def problem(self) -> VoiceProblem | None:
        """What keeps the voice from working as chosen, if the backend can tell."""
        return None

    @abstractmethod
    def close(self) -> None:
        """Release the backend; returns at once."""
