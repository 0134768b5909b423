"""Plays a WAV clip in a way that can be stopped at once.

Linux runs ``aplay`` (or ``paplay`` / ``pw-play`` when aplay is missing), macOS
``afplay``; each is a subprocess, so stopping is a kill.  Windows uses ``winsound``
asynchronously.  ``FACEGYM_AUDIO_PLAYER`` replaces the command (split like a shell
line; the clip path is appended), which lets tests record what would be played.

A player that does not finish a clip within its length plus ``hang_margin`` is
killed and reported as timed out.  Players run in process groups of their own and
die with the app (see ``processes``).
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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from facegym_desktop.speech.processes import die_with_parent, kill_group

log = logging.getLogger(__name__)

PLAYER_ENV = "FACEGYM_AUDIO_PLAYER"

_LINUX_PLAYERS: tuple[tuple[str, ...], ...] = (("aplay", "-q"), ("paplay",), ("pw-play",))
# Seconds a player may take beyond a clip's length before it counts as hung.
HANG_MARGIN = 2.0


class PlayerUnavailableError(RuntimeError):
    """No way to play audio on this system; the message says what to install."""


@dataclass(frozen=True)
class PlaybackResult:
    ok: bool
    returncode: int | None
    error: str  # the player's last line of complaint, when it failed
    stopped: bool  # stopped on purpose (stop() or kill)
    timed_out: bool = False  # killed because it outlived the clip by the hang margin


def player_command(environ: dict[str, str] | None = None) -> list[str]:
    """The command a clip path is appended to; raises PlayerUnavailableError."""
    env = os.environ if environ is None else environ
    override = env.get(PLAYER_ENV, "").strip()
    if override:
        command = shlex.split(override, posix=os.name != "nt")
        if not command:
            raise PlayerUnavailableError(f"{PLAYER_ENV} is set but empty")
        return command
    if sys.platform == "win32":
        return ["winsound"]
    if sys.platform == "darwin":
        if shutil.which("afplay"):
            return ["afplay"]
        raise PlayerUnavailableError("afplay was not found on PATH")
    for candidate in _LINUX_PLAYERS:
        if shutil.which(candidate[0]):
            return list(candidate)
    raise PlayerUnavailableError("none of aplay, paplay or pw-play is on PATH")


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
        self.path = path
        self.started_at = time.monotonic()
        self._on_done = on_done
        self._stopped = False
        self._timed_out = False
        self._finished = threading.Event()
        self._result: PlaybackResult | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._winsound_timer: threading.Timer | None = None
        if list(command) == ["winsound"]:
            self._start_winsound(path)
        else:
            self._start_process(path, command, timeout)

    @property
    def pid(self) -> int | None:
        """The player process's id (None for winsound)."""
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
        """
        command = self.command
        return Playback(path, command, on_done, timeout=clip_seconds(path) + self.hang_margin)


def clip_seconds(path: str) -> float:
    """Length of a WAV file in seconds (0 when it cannot be read)."""
    try:
        with wave.open(path, "rb") as clip:
            rate = clip.getframerate()
            return clip.getnframes() / rate if rate else 0.0
    except (OSError, EOFError, wave.Error):
        return 0.0
