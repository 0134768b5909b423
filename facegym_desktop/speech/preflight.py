"""Check the whole voice path before a session needs it.

``check_voice_path`` walks every link a spoken cue needs, in order: a player
command, the speech engine, one rendered test clip that holds sound, and the sound
device (a short silent clip played through the player).  It blocks for up to its
timeout, so it runs off the UI thread: the coach runs it once when the app starts
(``WorkerSpeaker(preflight=True)``), and ``facegym voice check`` runs the same
steps one by one.  Each failure is one ``VoiceProblem``; details go to the log.
"""

from __future__ import annotations

import array
import logging
import math
import os
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

from facegym_desktop.speech import clip_cache
from facegym_desktop.speech.client import FAILED, Clip, WorkerClient
from facegym_desktop.speech.player import (
    PlaybackResult,
    Player,
    PlayerUnavailableError,
)
from facegym_desktop.speech.problems import (
    PROBLEMS,
    ProblemKind,
    VoiceProblem,
    player_problem,
    unavailable_problem,
)

log = logging.getLogger(__name__)

CHECK_PHRASE = "Ready."
# A clip quieter than this (RMS as a fraction of full scale) counts as no sound.
SILENT_RMS = 0.005
_SILENT_SECONDS = 0.1
_SILENT_RATE = 22050


def loudness(path: str | os.PathLike[str]) -> tuple[float, float]:
    """RMS and peak of a 16-bit WAV, both as fractions of full scale (0, 0 if unreadable)."""
    try:
        with wave.open(str(path), "rb") as clip:
            if clip.getsampwidth() != 2:
                return 0.0, 0.0
            samples = array.array("h")
            samples.frombytes(clip.readframes(clip.getnframes()))
    except (OSError, EOFError, wave.Error):
        return 0.0, 0.0
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return 0.0, 0.0
    rms = math.sqrt(sum(value * value for value in samples) / len(samples)) / 32768
    peak = max(abs(value) for value in samples) / 32768
    return rms, peak


def playback_problem(result: PlaybackResult) -> VoiceProblem | None:
    """What a finished playback says about the player: None when it played or was stopped."""
    if result.ok or (result.stopped and not result.timed_out):
        return None
    if result.timed_out:
        return PROBLEMS[ProblemKind.PLAYER_HUNG]
    return player_problem(result.error)


def player_ready(player: Player) -> VoiceProblem | None:
    """NO_PLAYER when no player command can be found (PLAYER_SETTING when
    FACEGYM_AUDIO_PLAYER names none that can run), else None."""
    try:
        player.command  # noqa: B018 - resolving it is the check
    except PlayerUnavailableError as error:
        log.warning("voice check: %s", error)
        return unavailable_problem(error)
    return None


def render_now(client: WorkerClient, text: str, timeout: float) -> Clip | VoiceProblem:
    """Render ``text`` through ``client``, waiting up to ``timeout`` seconds; the clip,
    or the problem that kept it from being made."""
    done = threading.Event()
    result: list[Clip | None] = [None]

    def rendered(_text: str, clip: Clip | None, error: str) -> None:
        result[0] = clip
        if clip is None:
            log.warning("voice check: the test phrase did not render (%s)", error)
        done.set()

    client.render(text, rendered, urgent=True)
    answered = done.wait(timeout)
    clip = result[0]
    if clip is not None:
        return clip
    state, problem = client.status
    if problem is not None and (problem.voice_off or state == FAILED):
        return problem
    if not answered:
        log.warning("voice check: no clip within %.0f s", timeout)
        return PROBLEMS[ProblemKind.ENGINE_STOPPED]
    return PROBLEMS[ProblemKind.ENGINE_FAILED]


def clip_problem(path: str | os.PathLike[str]) -> VoiceProblem | None:
    """EMPTY_CLIPS when the clip holds no audible sound, else None."""
    seconds = clip_cache.audio_seconds(Path(path))
    rms, _peak = loudness(path) if seconds > 0 else (0.0, 0.0)
    if seconds <= 0 or rms < SILENT_RMS:
        log.warning("voice check: %s holds no sound (%.2f s, RMS %.4f)", path, seconds, rms)
        return PROBLEMS[ProblemKind.EMPTY_CLIPS]
    return None


def play_problem(player: Player, path: str | os.PathLike[str]) -> VoiceProblem | None:
    """Play ``path`` to the end and say what went wrong, if anything.

    Waits for the clip's length plus the player's hang margin (and a second more).
    """
    try:
        playback = player.play(str(path))
    except PlayerUnavailableError as error:
        log.warning("voice check: %s", error)
        return unavailable_problem(error)
    except OSError as error:
        log.warning("voice check: the player could not run (%s)", error)
        return PROBLEMS[ProblemKind.NO_PLAYER]
    limit = clip_cache.audio_seconds(Path(path)) + player.hang_margin + 1.0
    if not playback.wait(limit):
        playback.stop()
        playback.wait(1.0)
        log.warning("voice check: the player did not finish within %.1f s", limit)
        return PROBLEMS[ProblemKind.PLAYER_HUNG]
    result = playback.result
    assert result is not None
    problem = playback_problem(result)
    if problem is not None:
        log.warning(
            "voice check: %s (exit code %s): %s", problem.kind, result.returncode, result.error
        )
    return problem


def write_silence(path: str | os.PathLike[str], seconds: float = _SILENT_SECONDS) -> None:
    """Write a 16-bit mono WAV of silence (to open the sound device without a sound)."""
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(_SILENT_RATE)
        clip.writeframes(b"\0\0" * int(_SILENT_RATE * seconds))


def device_problem(player: Player) -> VoiceProblem | None:
    """Play a short silent clip: NO_DEVICE and the like when the sound device fails."""
    handle, name = tempfile.mkstemp(prefix="facegym-silence-", suffix=".wav")
    os.close(handle)
    try:
        write_silence(name)
        return play_problem(player, name)
    finally:
        Path(name).unlink(missing_ok=True)


def check_voice_path(
    client: WorkerClient, player: Player, *, timeout: float = 30.0, phrase: str = CHECK_PHRASE
) -> VoiceProblem | None:
    """Check engine, a rendered test clip, the player and the sound device, in that order.

    Returns the first problem found, or the one the voice works around (a missing
    voice) when everything else works, or None.  Blocks for up to about ``timeout``
    seconds (plus the length of the silent clip); never raises for a speech failure.
    """
    started = time.monotonic()
    problem = player_ready(player)
    if problem is not None:
        return problem
    made = render_now(client, phrase, timeout)
    if isinstance(made, VoiceProblem):
        return made
    problem = clip_problem(made.path)
    if problem is not None:
        clip_cache.discard(Path(made.path))
        return problem
    problem = device_problem(player)
    if problem is not None:
        return problem
    log.info("voice check: all works (%.2f s)", time.monotonic() - started)
    return client.status[1]
