"""Why the voice is not working, in words for people: one table, used everywhere.

Every speech failure the app can tell apart has a ``ProblemKind`` and one
``VoiceProblem``: a plain line on what is wrong and one on what to do.  The app's
notices, the voice dialog and ``facegym voice check`` all show ``problem.notice``,
so a failure reads the same wherever it shows.  The exact error (an exception, a
player's complaint) goes to the log, never into these lines.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum

from facegym_desktop.speech.player import PLAYER_ENV, PlayerSettingError, PlayerUnavailableError

VOICE_DIALOG = "Voice > Voice, speed and volume"


class ProblemKind(StrEnum):
    """The failures the voice can report, each with its own line and fix."""

    NO_ENGINE = "no-engine"  # espeak-ng (or the system's speech) is not installed
    ENGINE_FAILED = "engine-failed"  # the engine is installed but will not start
    ENGINE_STOPPED = "engine-stopped"  # the worker crashed or hung; it is being restarted
    EMPTY_CLIPS = "empty-clips"  # the engine renders clips with no sound in them
    VOICE_MISSING = "voice-missing"  # the chosen voice is gone; the default one speaks
    NO_PLAYER = "no-player"  # no audio player command on this system
    PLAYER_SETTING = "player-setting"  # FACEGYM_AUDIO_PLAYER names no command that runs
    NO_DEVICE = "no-device"  # the player found no sound device
    PLAYER_FAILED = "player-failed"  # the player failed some other way
    PLAYER_HUNG = "player-hung"  # the player did not finish a clip in time


@dataclass(frozen=True)
class VoiceProblem:
    """One failure as people read it.

    ``line`` says what is wrong and ``fix`` what to do, each a short sentence without
    its final full stop.  ``voice_off`` is False for problems the voice works around
    (a missing voice: the default one speaks instead).
    """

    kind: ProblemKind
    line: str
    fix: str
    voice_off: bool = True

    @property
    def text(self) -> str:
        """The line and the fix as one sentence pair: "No sound device .... Connect ...."."""
        return f"{self.line[:1].upper()}{self.line[1:]}. {self.fix}."

    @property
    def notice(self) -> str:
        """What the window, the voice dialog and the command line show."""
        prefix = "Voice off" if self.voice_off else "Voice"
        return f"{prefix}: {self.line}. {self.fix}."


def _install_fix(linux_package: str, mac: str, windows: str) -> str:
    if sys.platform.startswith("linux"):
        return f"Install the {linux_package} package"
    if sys.platform == "darwin":
        return mac
    return windows


_CHOOSE_VOICE = f"Choose another voice in {VOICE_DIALOG}"

PROBLEMS: dict[ProblemKind, VoiceProblem] = {
    problem.kind: problem
    for problem in (
        VoiceProblem(
            ProblemKind.NO_ENGINE,
            "the speech engine espeak-ng is not installed",
            _install_fix(
                "espeak-ng",
                "Install it with: brew install espeak-ng",
                "Install eSpeak NG from espeak-ng.org",
            ),
        ),
        VoiceProblem(
            ProblemKind.ENGINE_FAILED,
            "the speech engine did not start",
            "Reinstall FaceGym; the log has the details",
        ),
        VoiceProblem(
            ProblemKind.ENGINE_STOPPED,
            "the speech engine stopped responding",
            "It is being restarted; captions show every cue meanwhile",
        ),
        VoiceProblem(
            ProblemKind.EMPTY_CLIPS,
            "the speech engine produces no sound",
            _CHOOSE_VOICE,
        ),
        VoiceProblem(
            ProblemKind.VOICE_MISSING,
            "the chosen voice is no longer installed, so the default voice speaks",
            _CHOOSE_VOICE,
            voice_off=False,
        ),
        VoiceProblem(
            ProblemKind.NO_PLAYER,
            "no audio player was found",
            _install_fix(
                "alsa-utils",
                "Reinstall macOS's afplay (it ships with the system)",
                "Check that Windows audio works",
            ),
        ),
        VoiceProblem(
            ProblemKind.PLAYER_SETTING,
            f"the audio player set in {PLAYER_ENV} cannot run",
            f"Correct {PLAYER_ENV} (a program and its options, such as aplay -q) or unset it",
        ),
        VoiceProblem(
            ProblemKind.NO_DEVICE,
            "no sound device was found",
            "Connect speakers or headphones, or choose an output in the sound settings",
        ),
        VoiceProblem(
            ProblemKind.PLAYER_FAILED,
            "the audio player could not play the voice",
            "Check the sound settings; the log has the details",
        ),
        VoiceProblem(
            ProblemKind.PLAYER_HUNG,
            "the audio player stopped responding",
            "Close other programs that use the sound device; the voice tries again shortly",
        ),
    )
}


def problem(kind: ProblemKind | str) -> VoiceProblem:
    """The one ``VoiceProblem`` for ``kind``; KeyError for an unknown kind."""
    return PROBLEMS[ProblemKind(kind)]


def unavailable_problem(error: PlayerUnavailableError) -> VoiceProblem:
    """The problem for a player that cannot be found or started: PLAYER_SETTING when
    ``FACEGYM_AUDIO_PLAYER`` is at fault, else NO_PLAYER."""
    if isinstance(error, PlayerSettingError):
        return PROBLEMS[ProblemKind.PLAYER_SETTING]
    return PROBLEMS[ProblemKind.NO_PLAYER]


# What the wrapper that ties a player to the app (setpriv) prints when the player
# program itself cannot be run: the player is missing, not the sound device.
_NOT_RUN_SIGNS = ("failed to execute",)

# Phrases players print when there is no device to play on (aplay, paplay, pw-play).
_NO_DEVICE_SIGNS = (
    "audio open error",
    "cannot find card",
    "no such device",
    "no such file or directory",
    "connection refused",
    "connection failure",
    "no soundcards",
)


def player_problem(error: str) -> VoiceProblem:
    """Which problem a player's complaint (its stderr) points to."""
    lowered = error.lower()
    if any(sign in lowered for sign in _NOT_RUN_SIGNS):
        return PROBLEMS[ProblemKind.NO_PLAYER]
    if any(sign in lowered for sign in _NO_DEVICE_SIGNS):
        return PROBLEMS[ProblemKind.NO_DEVICE]
    return PROBLEMS[ProblemKind.PLAYER_FAILED]


def engine_problem(kind: str) -> VoiceProblem:
    """The problem for the worker's machine-readable start failure (see worker.py)."""
    if kind == "no-espeak":
        return PROBLEMS[ProblemKind.NO_ENGINE]
    return PROBLEMS[ProblemKind.ENGINE_FAILED]
