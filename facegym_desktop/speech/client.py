"""Starts the speech worker and talks to it from a background thread.

Callers hand in render jobs and get a callback later; nothing here blocks the
caller.  The worker is started on demand, restarted with growing pauses after a
crash, a hang (a request that outlives its timeout) or an engine that will not
start, and its clips are kept in a cache folder keyed by text, voice, rate and
volume, so a phrase is rendered once and later sessions start instantly.

What goes wrong is reported as a ``problems.VoiceProblem`` (the words people see);
the exact cause goes to the log.  A clip with no sound in it is never kept in the
cache.
"""

from __future__ import annotations

import collections
import hashlib
import heapq
import itertools
import json
import logging
import os
import queue
import shutil
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
from facegym_desktop.speech.problems import PROBLEMS, ProblemKind, VoiceProblem, engine_problem
from facegym_desktop.speech.processes import die_with_parent, kill_group

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
StatusCallback = Callable[[str, "VoiceProblem | None"], None]  # state, problem

# Client states (``status[0]``).
STARTING = "starting"
READY = "ready"  # the engine answers (``status[1]`` may still name a problem)
FAILED = "failed"  # the engine cannot be used now; ``status[1]`` says why
CLOSED = "closed"


class WorkerError(Exception):
    """The worker failed: ``problem`` is what people are told, ``detail`` is for the log."""

    def __init__(self, problem: VoiceProblem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem
        self.detail = detail


def _stopped(detail: str) -> WorkerError:
    return WorkerError(PROBLEMS[ProblemKind.ENGINE_STOPPED], detail)


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
        # setpriv (see processes) runs the worker; a missing interpreter is still OSError.
        if not Path(command[0]).exists() and not shutil.which(command[0]):
            raise FileNotFoundError(command[0])
        self.popen = subprocess.Popen(
            die_with_parent(command),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            env=env,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            start_new_session=True,  # its own process group: see processes.kill_group
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
                raise _stopped(f"no answer within {timeout:g} s")
            try:
                line = self.lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                code = self.popen.wait(timeout=5)
                tail = "; ".join(list(self.stderr_tail)[-2:])
                raise _stopped(f"exited with code {code}" + (f" ({tail})" if tail else ""))
            try:
                message = json.loads(line)
            except ValueError:
                log.warning("speech worker wrote a non-protocol line: %r", line[:200])
                continue
            if isinstance(message, dict):
                return message

    def kill(self) -> None:
        kill_group(self.popen)
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


class WorkerClient:
    """Renders phrases to cached WAV clips through the worker, off the caller's thread.

    ``on_status(state, problem)`` reports each change of ``status``: "ready" when the
    engine answers (with a problem the voice works around, or one with the clips it
    renders), "failed" with the problem when it cannot be used.  It is called from
    the client's thread (or the one calling ``configure``), never under its lock.
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
        on_status: StatusCallback | None = None,
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
        self._starting: _Process | None = None  # started, greeting not read yet
        self._failures = 0
        self._next_start = 0.0
        self._wanted_start = False
        self._info: EngineInfo | None = None
        self._voices: list[dict[str, Any]] | None = None
        self._voice_waiters: list[Callable[[list[dict[str, Any]] | None, str], None]] = []
        self._engine: tuple[str, VoiceProblem | None] = (STARTING, None)
        self._clip_problem: VoiceProblem | None = None  # the last render had no sound
        self._voice_problem: VoiceProblem | None = None  # the chosen voice is missing
        self._reported: tuple[str, VoiceProblem | None] = (STARTING, None)
        self._restarts = 0
        self._thread = threading.Thread(target=self._run, name="facegym-speech-client", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ public

    @property
    def status(self) -> tuple[str, VoiceProblem | None]:
        """(state, problem): starting, ready, failed or closed, and what is wrong if any."""
        with self._lock:
            return self._status_now()

    def _status_now(self) -> tuple[str, VoiceProblem | None]:
        # Called under the lock.  An engine failure outranks a clip or voice problem.
        state, problem = self._engine
        if problem is None and state == READY:
            problem = self._clip_problem or self._voice_problem
        return state, problem

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
        """New settings for the next renders; a voice the engine lacks is reported."""
        with self._lock:
            changed = (voice or None) != self._voice
            self._voice = voice or None
            self._rate = int(rate)
            self._volume = max(0.0, min(1.0, float(volume)))
            if changed:
                self._voice_problem = self._missing_voice_problem()
                self._clip_problem = None  # another voice may render fine
        if changed:
            self._publish()

    def _missing_voice_problem(self) -> VoiceProblem | None:
        # Called under the lock: checks the chosen voice against the engine's list.
        if self._voice is None or self._voices is None:
            return None
        if any(str(known.get("id", "")) == self._voice for known in self._voices):
            return None
        log.warning("speech: voice %r is not among the engine's voices", self._voice)
        return PROBLEMS[ProblemKind.VOICE_MISSING]

    def clip_path(self, text: str) -> Path:
        voice, rate, volume = self.settings()
        key = json.dumps([CLIP_FORMAT, text, voice, rate, round(volume, 3)], ensure_ascii=False)
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / f"{digest}.wav"

    def cached(self, text: str) -> Clip | None:
        """The clip for ``text`` at the current settings if it is on disk already.

        A file there with no sound in it (empty, header only, cut short) is removed.
        """
        path = self.clip_path(text)
        if not path.exists():
            return None
        duration = clip_cache.audio_seconds(path)
        if duration <= 0:
            clip_cache.discard(path)
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
        """Kill the worker now; returns at once unless ``wait`` seconds are given for
        the client's thread to finish its callbacks."""
        with self._lock:
            self._closed = True
            processes = [self._process, self._starting]
            self._lock.notify_all()
        for process in processes:
            if process is not None:
                kill_group(process.popen)  # never blocks; the client's thread reaps it
        if wait > 0:
            self._thread.join(wait)

    # ------------------------------------------------------------------ thread

    def _set_status(self, state: str, problem: VoiceProblem | None = None) -> None:
        with self._lock:
            if self._closed and state != CLOSED:
                return  # a worker killed by close() is not a failure to report
            self._engine = (state, problem)
        self._publish()

    def _publish(self) -> None:
        with self._lock:
            status = self._status_now()
            changed = status != self._reported
            self._reported = status
        if changed and self.on_status is not None:
            try:
                self.on_status(*status)
            except Exception:
                log.exception("speech status callback failed")

    def _run(self) -> None:
        try:
            clip_cache.prune(self.cache_dir)  # here, off the caller's thread
            self._loop()
        except Exception:
            log.exception("speech client thread failed")
            self._set_status(FAILED, PROBLEMS[ProblemKind.ENGINE_FAILED])
        finally:
            with self._lock:
                process, self._process = self._process, None
                jobs, self._jobs = self._jobs, []
                waiters, self._voice_waiters = self._voice_waiters, []
            if process is not None:
                process.kill()
            for job in jobs:
                if job.callback is not None:
                    job.callback(job.text, None, "closed")
            for waiter in waiters:
                waiter(None, "closed")
            self._set_status(CLOSED)

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
            problem = self.status[1] or PROBLEMS[ProblemKind.ENGINE_STOPPED]
            self._deliver(job, None, problem.line)
            return None
        try:
            process = self._start()
        except WorkerError as error:
            self._fail(error)
            self._requeue_or_fail(job, error.problem.line)
            self._fail_voice_waiters(error.problem.line)
            return None
        with self._lock:
            self._process = process
            self._wanted_start = False
        return process

    def _start(self) -> _Process:
        failed = PROBLEMS[ProblemKind.ENGINE_FAILED]
        try:
            process = _Process(self.command)
        except OSError as error:
            raise WorkerError(failed, f"could not run {self.command[0]}: {error}") from error
        with self._lock:
            closed = self._closed
            if not closed:
                self._starting = process  # close() kills it too
        if closed:
            process.kill()
            raise WorkerError(failed, "closed while starting")
        try:
            hello = process.receive(self.start_timeout)
        except WorkerError as error:
            process.kill()
            raise WorkerError(failed, f"no greeting: {error.detail}") from error
        finally:
            with self._lock:
                self._starting = None
        if not hello.get("ok"):
            process.kill()
            raise WorkerError(
                engine_problem(str(hello.get("kind", ""))),
                f"{hello.get('kind', '')}: {hello.get('error', '')}",
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
        self._set_status(READY)
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
        if self._closed:
            return  # close() killed it
        log.warning(
            "speech worker: %s: %s (next start in %.2f s)", error.problem.kind, error.detail, delay
        )
        self._set_status(FAILED, error.problem)

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
            raise _stopped(f"could not send a request: {error}") from error
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
            self._requeue_or_fail(job, error.problem.line)
            return
        with self._lock:
            self._failures = 0
        if not answer.get("ok"):
            error_text = str(answer.get("error", "render failed"))
            if answer.get("kind") == "empty-clip":
                log.warning("speech: no sound in the clip for %r (%s)", job.text, error_text)
                clip_cache.discard(path)
                with self._lock:
                    self._clip_problem = PROBLEMS[ProblemKind.EMPTY_CLIPS]
                self._publish()
            else:
                log.warning("speech: could not render %r (%s)", job.text, error_text)
            self._deliver(job, None, error_text)
            return
        missing = bool(answer.get("voice_missing"))
        if missing:
            log.warning("speech: voice %r could not be set; the default voice spoke", voice)
        with self._lock:
            self._clip_problem = None
            if missing:
                self._voice_problem = PROBLEMS[ProblemKind.VOICE_MISSING]
        self._publish()
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
            self._fail_voice_waiters(error.problem.line)
            return
        voices = answer.get("voices") if answer.get("ok") else None
        with self._lock:
            if isinstance(voices, list):
                self._voices = voices
                self._voice_problem = self._missing_voice_problem()
            waiters, self._voice_waiters = self._voice_waiters, []
        self._publish()
        for waiter in waiters:
            waiter(voices if isinstance(voices, list) else None, str(answer.get("error", "")))
