"""Plays a WAV clip in a way that can be stopped at once.

Linux runs ``aplay`` (or ``paplay`` / ``pw-play`` when aplay is missing), macOS
``afplay``; each is a subprocess, so stopping is a kill.  Windows uses ``winsound``
asynchronously.  ``FACEGYM_AUDIO_PLAYER`` replaces the command (split like a shell
line; the clip path is appended), which lets tests record what would be played.

Where no player command exists (a system without alsa-utils, such as a PyInstaller
bundle on a bare desktop), clips play inside the app through the ``miniaudio``
module (:class:`MiniaudioPlayback`, command name ``miniaudio``), which talks to
PulseAudio/PipeWire or ALSA itself.  The player commands come first because they
are the known-good path and their failures are already told apart by their
messages; ``FACEGYM_AUDIO_PLAYER=miniaudio`` picks in-app playback on purpose.

A player that does not finish a clip within its length plus ``hang_margin`` is
killed (or, in-app, abandoned) and reported as timed out.  Players run in process
groups of their own and die with the app (see ``processes``).
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Any

from facegym_desktop import APP_NAME
from facegym_desktop.speech.processes import die_with_parent, kill_group

log = logging.getLogger(__name__)

PLAYER_ENV = "FACEGYM_AUDIO_PLAYER"

_LINUX_PLAYERS: tuple[tuple[str, ...], ...] = (("aplay", "-q"), ("paplay",), ("pw-play",))
# The command name that stands for playing inside the app (MiniaudioPlayback).
IN_APP_PLAYER = "miniaudio"
# Seconds a player may take beyond a clip's length before it counts as hung.
HANG_MARGIN = 2.0
# In-app playback: milliseconds of sound per device period (three periods are queued).
DEVICE_PERIOD_MSEC = 30
# Starts the error of a sound device that would not open, in the words aplay uses,
# so ``problems.player_problem`` names it as NO_DEVICE whichever player failed.
DEVICE_ERROR_PREFIX = "audio open error"


class PlayerUnavailableError(RuntimeError):
    """No way to play audio on this system; the message says what to install."""


class PlayerSettingError(PlayerUnavailableError):
    """``FACEGYM_AUDIO_PLAYER`` names no command that can run (unbalanced quotes, a
    program that is not there); the message says which, in one line."""


@dataclass(frozen=True)
class PlaybackResult:
    ok: bool
    returncode: int | None
    error: str  # the player's last line of complaint, when it failed
    stopped: bool  # stopped on purpose (stop() or kill)
    timed_out: bool = False  # killed because it outlived the clip by the hang margin


def in_app_playback_available() -> bool:
    """True when the ``miniaudio`` module imports (clips can play inside the app)."""
    try:
        import miniaudio  # noqa: F401
    except ImportError:
        return False
    return True


def _in_app_or(reason: str) -> list[str]:
    if in_app_playback_available():
        return [IN_APP_PLAYER]
    raise PlayerUnavailableError(f"{reason}, and the miniaudio module is not installed")


def _chosen_command(text: str) -> list[str]:
    """``FACEGYM_AUDIO_PLAYER``'s command; PlayerSettingError when it cannot run."""
    try:
        command = shlex.split(text, posix=os.name != "nt")
    except ValueError as error:  # "No closing quotation", "No escaped character"
        reason = str(error).lower()
        raise PlayerSettingError(f"{PLAYER_ENV}={text!r} cannot be read: {reason}") from None
    if not command:
        raise PlayerSettingError(f"{PLAYER_ENV} is set but empty")
    if command != [IN_APP_PLAYER] and shutil.which(command[0]) is None:
        raise PlayerSettingError(
            f"{PLAYER_ENV} names {command[0]!r}, which is not a program that can run here"
        )
    return command


def player_command(environ: dict[str, str] | None = None) -> list[str]:
    """The command a clip path is appended to; raises PlayerUnavailableError
    (:class:`PlayerSettingError` when ``FACEGYM_AUDIO_PLAYER`` names no command that
    can run).

    ``["miniaudio"]`` means in-app playback (:class:`MiniaudioPlayback`): the answer
    when no player command is found and the module is installed.
    """
    env = os.environ if environ is None else environ
    override = env.get(PLAYER_ENV, "").strip()
    if override:
        return _chosen_command(override)
    if sys.platform == "win32":
        return ["winsound"]
    if sys.platform == "darwin":
        if shutil.which("afplay"):
            return ["afplay"]
        return _in_app_or("afplay was not found on PATH")
    for candidate in _LINUX_PLAYERS:
        if shutil.which(candidate[0]):
            return list(candidate)
    return _in_app_or("none of aplay, paplay or pw-play is on PATH")


class Playback:
    """One clip being played; ``stop()`` ends it at once, from any thread."""

    def __init__(
        self,
        path: str,
        command: Sequence[str],
        on_done: Callable[[Playback, PlaybackResult], None] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Start playing at once; ``timeout`` seconds later a player still running is
        killed and the result says ``timed_out``.  Raises OSError when it cannot start."""
        self._begin(path, on_done)
        if list(command) == ["winsound"]:
            self._start_winsound(path)
        else:
            self._start_process(path, command, timeout)

    def _begin(
        self, path: str, on_done: Callable[[Playback, PlaybackResult], None] | None
    ) -> None:
        self.path = path
        self.started_at = time.monotonic()
        self._on_done = on_done
        self._stopped = False
        self._timed_out = False
        self._finished = threading.Event()
        self._finish_lock = threading.Lock()
        self._result: PlaybackResult | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._winsound_timer: threading.Timer | None = None

    @property
    def pid(self) -> int | None:
        """The player process's id (None for winsound and in-app playback)."""
        return self._process.pid if self._process is not None else None

    def _start_process(self, path: str, command: Sequence[str], timeout: float | None) -> None:
        creationflags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        self._process = subprocess.Popen(
            die_with_parent([*command, path]),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            creationflags=creationflags,
            start_new_session=True,  # its own process group: see processes.kill_group
        )
        threading.Thread(
            target=self._wait_process, args=(timeout,), name="facegym-playback", daemon=True
        ).start()

    def _wait_process(self, timeout: float | None) -> None:
        assert self._process is not None
        try:
            _, err = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._timed_out = True
            log.warning("audio player %s hung on %s; killed it", self._process.pid, self.path)
            kill_group(self._process)
            _, err = self._process.communicate()
        lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
        code = self._process.returncode
        ok = code == 0 and not self._timed_out
        error = "" if ok else (lines[-1] if lines else "")
        self._finish(PlaybackResult(ok, code, error, self._stopped, self._timed_out))

    def _start_winsound(self, path: str) -> None:  # pragma: no cover - Windows only
        if sys.platform == "win32":  # also tells the type checker where winsound exists
            import winsound

            winsound.PlaySound(
                path, winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT
            )
        self._winsound_timer = threading.Timer(
            clip_seconds(path), lambda: self._finish(PlaybackResult(True, 0, "", False))
        )
        self._winsound_timer.daemon = True
        self._winsound_timer.start()

    def _finish(self, result: PlaybackResult) -> None:
        with self._finish_lock:  # the first result wins
            if self._finished.is_set():
                return
            self._result = result
            self._finished.set()
        if self._on_done is not None:
            self._on_done(self, result)

    @property
    def playing(self) -> bool:
        return not self._finished.is_set()

    @property
    def result(self) -> PlaybackResult | None:
        return self._result

    def wait(self, timeout: float | None = None) -> bool:
        """True when the clip has finished (or was stopped) within ``timeout``."""
        return self._finished.wait(timeout)

    def stop(self) -> None:
        """End the clip now; never blocks on the player process."""
        if self._finished.is_set():
            return
        self._stopped = True
        if self._process is not None:
            kill_group(self._process)
        elif self._winsound_timer is not None:  # pragma: no cover - Windows only
            self._winsound_timer.cancel()
            if sys.platform == "win32":
                import winsound

                winsound.PlaySound(None, 0)
            self._finish(PlaybackResult(True, 0, "", True))


class MiniaudioPlayback(Playback):
    """One clip played inside the app through ``miniaudio``; ``stop()`` ends it at once.

    A thread of its own decodes the clip, opens the default output of the first
    sound system that works (PulseAudio/PipeWire, then ALSA on Linux; Core Audio on
    macOS; WASAPI on Windows; never miniaudio's silent null device) and feeds it.
    The result comes as for a player command: ``ok`` once the clip has played out
    (``returncode`` 0); a device that will not open fails with an ``error`` that
    starts ``audio open error`` (the NO_DEVICE problem, see ``problems``); when the
    clip has not played ``timeout`` seconds after the start (a device that blocks
    while opening or playing), the playback is abandoned and the result says
    ``timed_out`` at once, whatever the device does next.
    """

    def __init__(
        self,
        path: str,
        on_done: Callable[[Playback, PlaybackResult], None] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Start at once; never raises for a sound problem (the result tells it)."""
        self._begin(path, on_done)
        # Set when the device has taken the whole clip, on stop() and on giving up.
        self._wake = threading.Event()
        self._watchdog: threading.Timer | None = None
        if timeout is not None:
            self._watchdog = threading.Timer(timeout, self._give_up)
            self._watchdog.daemon = True
            self._watchdog.start()
        threading.Thread(target=self._play, name="facegym-playback", daemon=True).start()

    def _play(self) -> None:
        import miniaudio

        try:
            info = miniaudio.get_file_info(self.path)
            sound = miniaudio.decode_file(
                self.path,
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=info.nchannels,
                sample_rate=info.sample_rate,
            )
        except (miniaudio.MiniaudioError, OSError) as error:
            self._finish(PlaybackResult(False, None, f"cannot read the clip: {error}", False))
            return
        try:
            device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=sound.nchannels,
                sample_rate=sound.sample_rate,
                buffersize_msec=DEVICE_PERIOD_MSEC,
                backends=_device_backends(miniaudio),
                app_name=APP_NAME,
            )
        except miniaudio.MiniaudioError as error:
            self._finish(PlaybackResult(False, None, _device_error(error), False))
            return
        clip = sound.samples.tobytes()
        frame_bytes = 2 * sound.nchannels
        try:
            if not self._stopped and not self._timed_out:
                feed = self._feed(clip, frame_bytes)
                next(feed)  # the device sends frame counts to a generator already started
                device.start(feed)
                self._play_out(len(clip) / frame_bytes / sound.sample_rate)
        except miniaudio.MiniaudioError as error:
            device.close()
            self._finish(PlaybackResult(False, None, _device_error(error), self._stopped))
            return
        device.close()  # before the report: the next clip must not overlap this one
        played = not self._stopped and not self._timed_out
        self._finish(
            PlaybackResult(
                ok=played or self._stopped,
                returncode=0 if played else None,
                error="",
                stopped=self._stopped,
                timed_out=self._timed_out,
            )
        )

    def _feed(self, clip: bytes, frame_bytes: int) -> Generator[bytes, int, None]:
        """Hands the device the frames it asks for; wakes ``_play`` when all are given."""
        position = 0
        wanted = yield b""
        while position < len(clip) and not self._stopped and not self._timed_out:
            chunk = clip[position : position + wanted * frame_bytes]
            position += len(chunk)
            wanted = yield chunk
        self._wake.set()

    def _play_out(self, seconds: float) -> None:
        """Wait until the clip has played, it was stopped or the watchdog gave up."""
        self._wake.wait()
        self._wake.clear()
        if self._stopped or self._timed_out:
            return
        # All frames are queued: the device plays its last periods out, and the clip
        # never ends sooner than its length after the start.
        tail = 4 * DEVICE_PERIOD_MSEC / 1000
        self._wake.wait(max(0.0, self.started_at + seconds - time.monotonic()) + tail)

    def _give_up(self) -> None:
        if self._finished.is_set():
            return
        self._timed_out = True
        self._wake.set()
        log.warning("the sound device hung on %s; gave up on it", self.path)
        # Reported now: closing a device that hangs may block the playback thread.
        self._finish(PlaybackResult(False, None, "", self._stopped, timed_out=True))

    def _finish(self, result: PlaybackResult) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        super()._finish(result)

    def stop(self) -> None:
        """End the clip now; never blocks (the device closes on the playback thread)."""
        if self._finished.is_set():
            return
        self._stopped = True
        self._wake.set()


def _device_error(error: BaseException) -> str:
    return f"{DEVICE_ERROR_PREFIX}: {' '.join(str(arg) for arg in error.args)}"


def _device_backends(miniaudio: Any) -> list[Any]:
    """Every real sound system miniaudio knows, in its own order (its null device,
    which plays into nothing, is left out so a missing device is reported)."""
    unwanted = {miniaudio.Backend.NULL, miniaudio.Backend.CUSTOM}
    return [backend for backend in miniaudio.Backend if backend not in unwanted]


class Player:
    """Starts clips with the system's player command.

    ``hang_margin``: seconds beyond a clip's length after which a player still
    running is killed (``PlaybackResult.timed_out``).
    """

    def __init__(
        self, command: Sequence[str] | None = None, *, hang_margin: float = HANG_MARGIN
    ) -> None:
        self._command = list(command) if command is not None else None
        self.hang_margin = hang_margin

    @property
    def command(self) -> list[str]:
        """The command given, or the system's found afresh (a player installed or
        removed while the app runs counts); raises PlayerUnavailableError."""
        if self._command is None:
            return player_command()
        return self._command

    def play(
        self,
        path: str,
        on_done: Callable[[Playback, PlaybackResult], None] | None = None,
    ) -> Playback:
        """Start playing ``path``; returns at once.  Raises PlayerUnavailableError or OSError.

        The player dies with the calling thread if the app ends without stopping it
        (see ``processes``), so call this from a thread that outlives the clip.
        A player still running ``hang_margin`` seconds after the clip's length is killed.
        The command ``["miniaudio"]`` plays in the app (:class:`MiniaudioPlayback`).
        """
        command = self.command
        timeout = clip_seconds(path) + self.hang_margin
        if command == [IN_APP_PLAYER]:
            return MiniaudioPlayback(path, on_done, timeout)
        return Playback(path, command, on_done, timeout=timeout)


def clip_seconds(path: str) -> float:
    """Length of a WAV file in seconds (0 when it cannot be read)."""
    try:
        with wave.open(path, "rb") as clip:
            rate = clip.getframerate()
            return clip.getnframes() / rate if rate else 0.0
    except (OSError, EOFError, wave.Error):
        return 0.0
