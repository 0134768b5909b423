"""The seams between the window and what it drives, as typing protocols.

``CoachPort`` is every call the UI makes on the voice coach; ``VoiceCoach`` in
``speech/coach.py`` satisfies it, and the tests' fakes implement it explicitly.
Nothing here is imported at run time by the coach or loads speech: the start
screen must come up without the voice helpers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from facegym_desktop.core.cue_fit import CueLike
    from facegym_desktop.core.planner import Plan
    from facegym_desktop.speech.base import SpeechState, VoiceInfo
    from facegym_desktop.speech.problems import VoiceProblem


class CoachPort(Protocol):
    """The voice coach as the UI uses it; every call returns at once and never raises.

    ``on_notice(text)`` and ``on_state(state)`` are called from the coach's own
    threads; the UI carries them to its thread with a queued signal.  ``state`` is
    a ``speech.base.SpeechState`` value (a string).
    """

    on_notice: Callable[[str], None] | None
    on_state: Callable[[SpeechState], None] | None

    @property
    def state(self) -> str:
        """"starting", "ready", "off" or "closed"."""
        ...

    @property
    def problem(self) -> VoiceProblem | None:
        """What keeps the voice from working as chosen now (its ``notice`` is the line
        for people), or None when nothing does."""
        ...

    def voices(self) -> Sequence[VoiceInfo]:
        """The voices known so far: empty until the engine has answered."""
        ...

    def prepare(self, plan: Plan) -> None:
        """Take a session's plan: choose what to say and render it ahead."""
        ...

    def cue_due(self, cue: CueLike) -> None:
        """The session reached ``cue``: speak it if it was chosen and not muted."""
        ...

    def pause(self) -> None:
        """Silence now; nothing said before is replayed."""
        ...

    def resume(self) -> None:
        """Speak cues again after a pause."""
        ...

    def skipped(self) -> None:
        """The session jumped: drop speech that no longer fits."""
        ...

    def stop(self) -> None:
        """The session stopped: silence now."""
        ...

    def set_muted(self, muted: bool) -> None:
        """Muted: cues are still followed, nothing is said."""
        ...

    def set_verbosity(self, verbosity: str) -> None:
        """One of ``core.settings.VERBOSITY_LEVELS``."""
        ...

    def set_rate(self, words_per_minute: int) -> None:
        """Speaking speed in words per minute."""
        ...

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        """Voice (None: the engine's default), rate in words per minute, volume 0-1."""
        ...

    def say_sample(self, text: str) -> None:
        """Speak ``text`` now, even when muted, so the person can judge a voice."""
        ...

    def close(self) -> None:
        """Silence and release the speech engine."""
        ...
