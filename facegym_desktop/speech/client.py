"""Starts the speech worker and talks to it from a background thread.

Callers hand in render jobs and get a callback later; nothing here blocks the
caller.  The worker is started on demand, restarted with growing pauses after a
crash, a hang (a request that outlives its timeout) or an engine that will not
start, and its clips are kept in a cache folder keyed by text, voice, rate and
volume, so a phrase is rendered once and later sessions start instantly.
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import heapq
import itertools
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facegym_desktop.speech import clip_cache
from facegym_desktop.speech.base import DEFAULT_RATE_WPM, DEFAULT_VOLUME
from facegym_desktop.speech.player import LINUX_AUDIO_FIX, clip_seconds

log = logging.getLogger(__name__)

SPEECH_WORKER_FLAG = "--speech-worker"
# Bump when the worker's output changes (trimming, format) so old clips are not reused.
CLIP_FORMAT = 2

URGENT = 0  # a cue due now
AHEAD = 1  # rendering a plan ahead of time
# How long a cue due now may wait for the worker to come back.
_URGENT_PATIENCE = 0.5


def worker_command() -> list[str]:
    """How the app starts its worker: itself with a flag when frozen, else ``-m``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, SPEECH_WORKER_FLAG]
    return [sys.executable, "-m", "facegym_desktop", SPEECH_WORKER_FLAG]


@dataclass(frozen=True)
class Clip:
    text: str
    path: str
    duration: float
    synth_seconds: float  # 0 for a clip found in the cache


@dataclass(frozen=True)
class EngineInfo:
    engine: str
    version: str
    default_voice: str


RenderCallback = Callable[[str, "Clip | None", str], None]  # text, clip or None, error


class WorkerError(Exception):
    """The worker failed; ``reason`` is one line a user can act on."""

    def __init__(self, reason: str, *, restart: bool = True) -> None:
        super().__init__(reason)
        self.reason = reason
        self.restart = restart


def explain_engine_failure(kind: str, error: str) -> str:
    """One line on why the engine did not start and what to install."""
    if kind == "no-pyttsx3":
        return "the pyttsx3 package is missing. Install it with: pip install pyttsx3"
    if kind == "no-espeak":
        if sys.platform.startswith("linux"):
            return f"espeak-ng is not installed. {LINUX_AUDIO_FIX}"
        if sys.platform == "darwin":
            return "espeak-ng is not installed. Install it with: brew install espeak-ng"
        return "espeak-ng is not installed. Install eSpeak NG from espeak-ng.org"
    if kind == "windows-speech":
        return f"Windows speech did not start ({error}). Check Settings > Time & language > Speech"
    return f"the speech engine did not start ({error})"


@dataclass(order=True)
class _Job:
    urgency: int
    seq: int
    text: str = ""
    callback: RenderCallback | None = None
    attempts: int = 0


class _Process:
    """One running worker with threads that drain its output."""

    def __init__(self, command: Sequence[str]) -> None:
        env = dict(os.environ)
        if not getattr(sys, "frozen", False):
            # Lets ``-m facegym_desktop`` work from a source checkout in any folder.
            package_parent = str(Path(__file__).resolve().parents[2])
            env["PYTHONPATH"] = os.pathsep.join(
                part for part in (package_parent, env.get("PYTHONPATH", "")) if part
            )
        env["PYTHONIOENCODING"] = "utf-8"
        self.popen = subprocess.Popen(
            list(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            env=env,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=20)
        threading.Thread(target=self._read_out, name="facegym-speech-out", daemon=True).start()
        threading.Thread(target=self._read_err, name="facegym-speech-err", daemon=True).start()

    @property
    def pid(self) -> int:
        return self.popen.pid

    def _read_out(self) -> None:
        assert self.popen.stdout is not None
        try:
            for line in self.popen.stdout:
                self.lines.put(line)
        except (OSError, ValueError):
            pass
        self.lines.put(None)

    def _read_err(self) -> None:
        assert self.popen.stderr is not None
        try:
            for line in self.popen.stderr:
                if line.strip():
                    self.stderr_tail.append(line.rstrip())
        except (OSError, ValueError):
            pass

    def send(self, message: dict[str, Any]) -> None:
        assert self.popen.stdin is not None
        self.popen.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
        self.popen.stdin.flush()

    def receive(self, timeout: float) -> dict[str, Any]:
        """The next message; WorkerError when the worker dies, hangs or talks nonsense."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerError("the speech engine stopped responding; restarting it")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                code = self.popen.wait(timeout=5)
                raise WorkerError(
                    f"the speech engine stopped unexpectedly (exit code {code}); restarting it"
                )
            try:
                message = json.loads(line)
            except ValueError:
                log.warning("speech worker wrote a non-protocol line: %r", line[:200])
                continue
            if isinstance(message, dict):
                return message

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.popen.kill()
        try:
            self.popen.wait(timeout=2)
        except subprocess.TimeoutExpired:
            log.warning("speech worker %s did not exit after kill", self.pid)
        for stream in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass

    def shut(self) -> None:
        """Ask the worker to exit by closing its input; kill it if it lingers."""
        try:
            if self.popen.stdin is not None:
                self.popen.stdin.close()
            self.popen.wait(timeout=1)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class WorkerClient:
    """Renders phrases to cached WAV clips through the worker, off the caller's thread.

    ``on_status(state, reason)`` reports "ready" when the engine answers and
    "failed" with a one-line reason when it cannot; it is called from the client's
    thread, never under its lock.
    """

    def __init__(
        self,
        cache_dir: str | os.PathLike[str],
        *,
        command: Sequence[str] | None = None,
        voice: str | None = None,
        rate: int = DEFAULT_RATE_WPM,
        volume: float = DEFAULT_VOLUME,
        start_timeout: float = 15.0,
        request_timeout: float = 8.0,
        backoff_first: float = 0.25,
        backoff_max: float = 30.0,
        on_status: Callable[[str, str], None] | None = None,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.command = list(command) if command is not None else worker_command()
        self.start_timeout = start_timeout
        self.request_timeout = request_timeout
        self.backoff_first = backoff_first
        self.backoff_max = backoff_max
        self.on_status = on_status
        self._voice = voice or None
        self._rate = int(rate)
        self._volume = float(volume)
        self._lock = threading.Condition()
        self._jobs: list[_Job] = []
        self._seq = itertools.count()
        self._closed = False
        self._process: _Process | None = None
        self._failures = 0
        self._next_start = 0.0
        self._wanted_start = False
        self._info: EngineInfo | None = None
        self._voices: list[dict[str, Any]] | None = None
        self._voice_waiters: list[Callable[[list[dict[str, Any]] | None, str], None]] = []
        self._status: tuple[str, str] = ("starting", "")
        self._restarts = 0
        self._thread = threading.Thread(target=self._run, name="facegym-speech-client", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ public

    @property
    def status(self) -> tuple[str, str]:
        with self._lock:
            return self._status

    @property
    def info(self) -> EngineInfo | None:
        with self._lock:
            return self._info

    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._process.pid if self._process is not None else None

    @property
    def restarts(self) -> int:
        """How many times a worker was started after the first one."""
        with self._lock:
            return self._restarts

    @property
    def failures(self) -> int:
        """Worker starts or renders that failed in a row (0 after a good render)."""
        with self._lock:
            return self._failures

    def start(self) -> None:
        """Start the worker now (in the background) rather than at the first job."""
        with self._lock:
            self._wanted_start = True
            self._lock.notify_all()

    def settings(self) -> tuple[str | None, int, float]:
        with self._lock:
            return self._voice, self._rate, self._volume

    def configure(self, voice: str | None, rate: int, volume: float) -> None:
        with self._lock:
            self._voice = voice or None
            self._rate = int(rate)
            self._volume = max(0.0, min(1.0, float(volume)))

    def clip_path(self, text: str) -> Path:
        voice, rate, volume = self.settings()
        key = json.dumps([CLIP_FORMAT, text, voice, rate, round(volume, 3)], ensure_ascii=False)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / f"{digest}.wav"

    def cached(self, text: str) -> Clip | None:
        """The clip for ``text`` at the current settings if it is on disk already."""
        path = self.clip_path(text)
        duration = clip_seconds(str(path)) if path.exists() else 0.0
        if duration <= 0:
            return None
        clip_cache.touch(path)  # recently heard clips are the last to be pruned
        return Clip(text, str(path), duration, 0.0)

    def render(self, text: str, callback: RenderCallback, *, urgent: bool = False) -> None:
        """Render ``text`` (or find it cached) and call ``callback`` from the client thread."""
        with self._lock:
            if self._closed:
                callback(text, None, "closed")
                return
            job = _Job(URGENT if urgent else AHEAD, next(self._seq), text, callback)
            heapq.heappush(self._jobs, job)
            self._lock.notify_all()

    def cancel_pending(self, urgency: int = AHEAD) -> None:
        """Forget queued jobs of this urgency (their callbacks get "cancelled")."""
        with self._lock:
            kept = [job for job in self._jobs if job.urgency != urgency]
            gone = [job for job in self._jobs if job.urgency == urgency]
            heapq.heapify(kept)
            self._jobs = kept
        for job in gone:
            if job.callback is not None:
                job.callback(job.text, None, "cancelled")

    def voices(self, callback: Callable[[list[dict[str, Any]] | None, str], None]) -> None:
        """Ask for the voice list; ``callback(voices or None, error)`` from the client thread."""
        with self._lock:
            known = self._voices
            if known is None:
                self._voice_waiters.append(callback)
                self._wanted_start = True
                self._lock.notify_all()
        if known is not None:
            callback(known, "")

    def close(self, wait: float = 0.0) -> None:
        """Stop the worker; returns at once unless ``wait`` seconds are given."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        if wait > 0:
            self._thread.join(wait)

    # ------------------------------------------------------------------ thread

    def _set_status(self, state: str, reason: str = "") -> None:
        with self._lock:
            changed = self._status != (state, reason)
            self._status = (state, reason)
        if changed and self.on_status is not None:
            try:
                self.on_status(state, reason)
            except Exception:
                log.exception("speech status callback failed")

    def _run(self) -> None:
        try:
            clip_cache.prune(self.cache_dir)  # here, off the caller's thread
            self._loop()
        except Exception:
            log.exception("speech client thread failed")
            self._set_status("failed", "the speech service failed; voice is off until restart")
        finally:
            with self._lock:
                process, self._process = self._process, None
                jobs, self._jobs = self._jobs, []
                waiters, self._voice_waiters = self._voice_waiters, []
            if process is not None:
                process.shut()
            for job in jobs:
                if job.callback is not None:
                    job.callback(job.text, None, "closed")
            for waiter in waiters:
                waiter(None, "closed")
            self._set_status("closed", "")

    def _loop(self) -> None:
        while True:
            with self._lock:
                while not self._closed and not self._jobs and not self._needs_worker():
                    self._lock.wait()
                if self._closed:
                    return
                job = heapq.heappop(self._jobs) if self._jobs else None
            if job is not None:
                clip = self.cached(job.text)
                if clip is not None:
                    self._deliver(job, clip, "")
                    continue
            process = self._ensure_process(job)
            if process is None:
                continue
            if job is None:
                self._serve_voices(process)
                continue
            self._serve_render(process, job)

    def _needs_worker(self) -> bool:
        # Called under the lock: start the worker early, or fetch voices.
        return (self._wanted_start and self._process is None) or bool(
            self._voice_waiters and self._process is not None
        )

    def _deliver(self, job: _Job, clip: Clip | None, error: str) -> None:
        if job.callback is None:
            return
        try:
            job.callback(job.text, clip, error)
        except Exception:
            log.exception("speech render callback failed")

    def _ensure_process(self, job: _Job | None) -> _Process | None:
        """A running worker, or None after dealing with the job (failed or requeued)."""
        with self._lock:
            if self._process is not None:
                return self._process
            wait = self._next_start - time.monotonic()
            # A cue due now may wait out a short pause, not a long one.
            give_up = job is not None and job.urgency == URGENT and wait > _URGENT_PATIENCE
            if wait > 0 and not give_up:
                if job is not None:
                    heapq.heappush(self._jobs, job)
                self._lock.wait(timeout=wait)
                return None
        if give_up:
            assert job is not None
            self._deliver(job, None, self._status[1] or "the speech engine is restarting")
            return None
        try:
            process = self._start()
        except WorkerError as error:
            self._fail(error)
            self._requeue_or_fail(job, error.reason)
            self._fail_voice_waiters(error.reason)
            return None
        with self._lock:
            self._process = process
            self._wanted_start = False
        return process

    def _start(self) -> _Process:
        try:
            process = _Process(self.command)
        except OSError as error:
            raise WorkerError(f"could not start the speech engine ({error})") from error
        try:
            hello = process.receive(self.start_timeout)
        except WorkerError as error:
            tail = "; ".join(list(process.stderr_tail)[-2:])
            process.kill()
            if "stopped responding" in error.reason:
                raise WorkerError(
                    f"the speech engine did not start within {self.start_timeout:g} s"
                ) from error
            detail = f" ({tail})" if tail else ""
            raise WorkerError(f"the speech engine did not start{detail}") from error
        if not hello.get("ok"):
            process.kill()
            raise WorkerError(
                explain_engine_failure(str(hello.get("kind", "")), str(hello.get("error", "")))
            )
        info = EngineInfo(
            str(hello.get("engine", "unknown")),
            str(hello.get("pyttsx3", "unknown")),
            str(hello.get("voice", "")),
        )
        with self._lock:
            if self._info is not None or self._failures:
                self._restarts += 1
            self._info = info
        self._set_status("ready", "")
        return process

    def _fail(self, error: WorkerError) -> None:
        with self._lock:
            self._failures += 1
            delay = min(self.backoff_max, self.backoff_first * 2 ** (self._failures - 1))
            self._next_start = time.monotonic() + delay
            # Start again once the pause is over, without waiting for the next job.
            self._wanted_start = True
            process, self._process = self._process, None
        if process is not None:
            process.kill()
        log.warning("speech worker: %s (next start in %.2f s)", error.reason, delay)
        self._set_status("failed", error.reason)

    def _requeue_or_fail(self, job: _Job | None, reason: str) -> None:
        if job is None:
            return
        if job.attempts < (2 if job.urgency == AHEAD else 1):
            job.attempts += 1
            with self._lock:
                heapq.heappush(self._jobs, job)
            return
        self._deliver(job, None, reason)

    def _fail_voice_waiters(self, reason: str) -> None:
        with self._lock:
            waiters, self._voice_waiters = self._voice_waiters, []
        for waiter in waiters:
            waiter(None, reason)

    def _request(self, process: _Process, message: dict[str, Any]) -> dict[str, Any]:
        request_id = next(self._seq)
        try:
            process.send({"id": request_id, **message})
        except (OSError, ValueError) as error:
            raise WorkerError("the speech engine stopped unexpectedly; restarting it") from error
        while True:
            answer = process.receive(self.request_timeout)
            if answer.get("id") == request_id:
                return answer

    def _serve_render(self, process: _Process, job: _Job) -> None:
        path = self.clip_path(job.text)
        voice, rate, volume = self.settings()
        try:
            answer = self._request(
                process,
                {
                    "op": "render",
                    "text": job.text,
                    "path": str(path),
                    "voice": voice,
                    "rate": rate,
                    "volume": volume,
                },
            )
        except WorkerError as error:
            self._fail(error)
            self._requeue_or_fail(job, error.reason)
            return
        with self._lock:
            self._failures = 0
        if not answer.get("ok"):
            self._deliver(job, None, str(answer.get("error", "render failed")))
            return
        clip = Clip(
            job.text,
            str(answer.get("path", path)),
            float(answer.get("duration", 0.0)),
            float(answer.get("synth_seconds", 0.0)),
        )
        self._deliver(job, clip, "")

    def _serve_voices(self, process: _Process) -> None:
        try:
            answer = self._request(process, {"op": "voices"})
        except WorkerError as error:
            self._fail(error)
            self._fail_voice_waiters(error.reason)
            return
        voices = answer.get("voices") if answer.get("ok") else None
        with self._lock:
            if isinstance(voices, list):
                self._voices = voices
            waiters, self._voice_waiters = self._voice_waiters, []
        for waiter in waiters:
            waiter(voices if isinstance(voices, list) else None, str(answer.get("error", "")))
