"""The pyttsx3 speaker: clips rendered by the worker process, played by the player.

Phrases are rendered ahead (``prefetch``) or on demand, then played at their
moment by a killable player.  One scheduling thread starts clips on time; the
caller's thread only queues work, so ``say`` and ``stop`` return at once.

What keeps the voice from working is ``problem`` (a ``problems.VoiceProblem``):
the engine's, from the worker client, or the player's.  After a player failure
(no player, no device, a player that hung or failed) the player is tried again on
a later phrase, after a pause that grows with each failure; one clip played to
the end clears the problem.  ``close()`` kills every player and the worker.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from facegym_desktop.speech.base import (
    DEFAULT_RATE_WPM,
    DEFAULT_VOLUME,
    MeasuredCallback,
    Speaker,
    SpeechState,
    StateCallback,
    VoiceInfo,
    priority_rank,
)
from facegym_desktop.speech.client import FAILED, STARTING, Clip, WorkerClient
from facegym_desktop.speech.player import Playback, PlaybackResult, Player, PlayerUnavailableError
from facegym_desktop.speech.preflight import check_voice_path, playback_problem
from facegym_desktop.speech.problems import (
    PROBLEMS,
    ProblemKind,
    VoiceProblem,
    unavailable_problem,
)
from facegym_desktop.speech.voice_choice import voice_from_dict

log = logging.getLogger(__name__)

# How late a phrase may still start, by priority rank: a count late by more than
# half a second is misleading; a tip two seconds late is still fine.
LATE_ALLOWANCE_SECONDS = (0.5, 2.0, 2.0)
# Pause before the player is tried again after a failure: first, and at most (seconds).
PLAYER_RETRY_FIRST = 2.0
PLAYER_RETRY_MAX = 30.0
# Problems of the player (rather than the engine): retried after a pause.
_PLAYER_KINDS = frozenset(
    {
        ProblemKind.NO_PLAYER,
        ProblemKind.NO_DEVICE,
        ProblemKind.PLAYER_FAILED,
        ProblemKind.PLAYER_HUNG,
    }
)


@dataclass(order=True)
class _Say:
    due: float
    seq: int
    text: str = field(compare=False)
    rank: int = field(compare=False)
    deadline: float = field(compare=False)
    generation: int = field(compare=False)
    scheduled: float = field(compare=False, default=0.0)  # the first due time
    clip: Clip | None = field(compare=False, default=None)
    synth_seconds: float = field(compare=False, default=0.0)


@dataclass(frozen=True)
class SpokenRecord:
    """When one phrase was due and when its player started (monotonic seconds)."""

    text: str
    due: float
    started: float
    synth_seconds: float  # rendering time spent after it was due (0 when prepared)

    @property
    def latency(self) -> float:
        return self.started - self.due


class WorkerSpeaker(Speaker):
    """Speaks through the pyttsx3 worker and a killable audio player.

    ``player_retry``: (first, longest) pause in seconds before the player is tried
    again after it failed.  ``preflight``: check the whole path once in the
    background at start (``preflight.check_voice_path``; it plays a silent clip).
    """

    def __init__(
        self,
        cache_dir: str | os.PathLike[str],
        *,
        voice: str | None = None,
        rate: int = DEFAULT_RATE_WPM,
        volume: float = DEFAULT_VOLUME,
        command: Sequence[str] | None = None,
        player: Player | None = None,
        on_state: StateCallback | None = None,
        client_options: dict[str, Any] | None = None,
        player_retry: tuple[float, float] = (PLAYER_RETRY_FIRST, PLAYER_RETRY_MAX),
        preflight: bool = False,
    ) -> None:
        self.on_state = on_state
        self._lock = threading.Condition()
        self._pending: list[_Say] = []
        self._seq = itertools.count()
        self._generation = 0
        self._closed = False
        self._current: tuple[Playback, int, float] | None = None  # playback, rank, end
        self._last_playback: Playback | None = None
        self._engine: tuple[str, VoiceProblem | None] = (STARTING, None)
        self._audio: VoiceProblem | None = None  # the player's problem
        self._player_retry = player_retry
        self._player_failures = 0
        self._player_retry_at = 0.0
        self._playbacks: set[Playback] = set()  # players not known to have ended
        self._reported: tuple[SpeechState, VoiceProblem | None] | None = None
        self._measured: dict[str, float] = {}
        self._voices: list[VoiceInfo] = []
        self.history: deque[SpokenRecord] = deque(maxlen=500)
        self._player = player or Player()
        try:
            self._player.command  # noqa: B018 - resolves now to report a missing player early
        except PlayerUnavailableError as error:
            self._player_failed(unavailable_problem(error), str(error), report=False)
        self._client = WorkerClient(
            cache_dir,
            command=command,
            voice=voice,
            rate=rate,
            volume=volume,
            on_status=self._engine_status,
            **(client_options or {}),
        )
        self._thread = threading.Thread(target=self._run, name="facegym-speech-play", daemon=True)
        self._thread.start()
        self._client.start()
        self._client.voices(self._got_voices)
        if preflight:
            threading.Thread(
                target=self.check, name="facegym-speech-check", daemon=True
            ).start()

    # ------------------------------------------------------------------ Speaker

    @property
    def client(self) -> WorkerClient:
        return self._client

    @property
    def player(self) -> Player:
        return self._player

    def check(self, timeout: float = 30.0) -> VoiceProblem | None:
        """Check the whole path now (engine, a test clip, the player, the sound device);
        blocks for up to about ``timeout`` seconds, so call it off the UI thread.

        A problem found is reported like one met while speaking; None when all works.
        """
        found = check_voice_path(self._client, self._player, timeout=timeout)
        if found is not None and found.kind in _PLAYER_KINDS:
            self._player_failed(found, "found by the start-up check")
        return found

    def say(self, text: str, priority: str = "normal", delay: float = 0.0) -> None:
        text = " ".join(text.split())
        if not text:
            return
        rank = priority_rank(priority)
        now = time.monotonic()
        due = now + max(0.0, delay)
        with self._lock:
            if self._closed:
                return
            item = _Say(
                due,
                next(self._seq),
                text,
                rank,
                due + LATE_ALLOWANCE_SECONDS[rank],
                self._generation,
                scheduled=due,
            )
            heapq.heappush(self._pending, item)
            self._lock.notify_all()

    def stop(self) -> None:
        with self._lock:
            self._generation += 1
            self._pending.clear()
            current, self._current = self._current, None
            self._lock.notify_all()
        if current is not None:
            current[0].stop()

    def prefetch(
        self,
        texts: Iterable[str],
        on_measured: MeasuredCallback | None = None,
        on_done: Callable[[], None] | None = None,
    ) -> None:
        unique = list(dict.fromkeys(" ".join(text.split()) for text in texts))
        unique = [text for text in unique if text]
        remaining = [len(unique)]
        remaining_lock = threading.Lock()
        if not unique:
            if on_done is not None:
                on_done()
            return

        def rendered(text: str, clip: Clip | None, error: str) -> None:
            if clip is not None:
                with self._lock:
                    self._measured[text] = clip.duration
                if on_measured is not None:
                    on_measured(text, clip.duration)
            elif error not in ("cancelled", "closed"):
                log.info("could not prepare %r: %s", text, error)
            with remaining_lock:
                remaining[0] -= 1
                finished = remaining[0] == 0
            if finished and on_done is not None:
                on_done()

        for text in unique:
            self._client.render(text, rendered)

    def measured(self, text: str) -> float | None:
        with self._lock:
            return self._measured.get(text)

    def set_voice(self, voice_id: str | None) -> None:
        voice, rate, volume = self._client.settings()
        self._reconfigure(voice_id, rate, volume)

    def set_rate(self, words_per_minute: int) -> None:
        voice, rate, volume = self._client.settings()
        self._reconfigure(voice, words_per_minute, volume)

    def set_volume(self, volume: float) -> None:
        voice, rate, old_volume = self._client.settings()
        self._reconfigure(voice, rate, volume)

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        self._reconfigure(voice_id, rate, volume)

    def _reconfigure(self, voice: str | None, rate: int, volume: float) -> None:
        if (voice or None, int(rate), float(volume)) == self._client.settings():
            return
        self._client.cancel_pending()
        self._client.configure(voice, rate, volume)
        with self._lock:
            self._measured.clear()

    def voices(self) -> list[VoiceInfo]:
        with self._lock:
            return list(self._voices)

    @property
    def state(self) -> SpeechState:
        return self._combined()[0]

    @property
    def reason(self) -> str:
        problem = self._combined()[1]
        return problem.text if problem is not None else ""

    @property
    def last_playback(self) -> Playback | None:
        """The most recently started clip (finished or not)."""
        with self._lock:
            return self._last_playback

    @property
    def speaking(self) -> bool:
        with self._lock:
            return self._current is not None and self._current[0].playing

    def close(self) -> None:
        """Kill every player and the worker; returns at once."""
        self.stop()
        with self._lock:
            self._closed = True
            playbacks = list(self._playbacks)
            self._lock.notify_all()
        for playback in playbacks:
            playback.stop()
        self._client.close()

    @property
    def problem(self) -> VoiceProblem | None:
        """What keeps the voice from working as chosen now, or None."""
        return self._combined()[1]

    @property
    def child_pids(self) -> list[int]:
        """Processes this speaker runs now: the worker and any players."""
        with self._lock:
            pids = [playback.pid for playback in self._playbacks]
        worker = self._client.pid
        return [pid for pid in [worker, *pids] if pid is not None]

    def join(self, timeout: float = 5.0) -> None:
        """Wait for the threads and the worker to end (tests and the command line)."""
        self._client.close(wait=timeout)
        self._thread.join(timeout)

    # ------------------------------------------------------------------ state

    def _combined(self) -> tuple[SpeechState, VoiceProblem | None]:
        with self._lock:
            if self._closed:
                return SpeechState.CLOSED, None
            engine_state, engine_problem = self._engine
            if engine_state == FAILED:
                return SpeechState.OFF, engine_problem
            if engine_problem is not None and engine_problem.voice_off:
                return SpeechState.OFF, engine_problem
            if self._audio is not None:
                return SpeechState.OFF, self._audio
            if engine_state == STARTING:
                return SpeechState.STARTING, None
            return SpeechState.READY, engine_problem  # a problem the voice works around, or None

    def _report(self) -> None:
        combined = self._combined()
        with self._lock:
            if combined == self._reported:
                return
            self._reported = combined
        state, problem = combined
        if self.on_state is not None:
            try:
                self.on_state(state, problem.text if problem is not None else "")
            except Exception:
                log.exception("speech state callback failed")

    def _engine_status(self, state: str, problem: VoiceProblem | None) -> None:
        with self._lock:
            if state == SpeechState.CLOSED:
                return
            self._engine = (state, problem)
        self._report()

    def _player_failed(self, problem: VoiceProblem, detail: str, report: bool = True) -> None:
        with self._lock:
            self._player_failures += 1
            first, longest = self._player_retry
            pause = min(longest, first * 2 ** (self._player_failures - 1))
            self._player_retry_at = time.monotonic() + pause
            self._audio = problem
        log.warning("audio player: %s: %s (next try in %.1f s)", problem.kind, detail, pause)
        if report:
            self._report()

    def _got_voices(self, voices: list[dict[str, Any]] | None, error: str) -> None:
        if not voices:
            return
        parsed = [voice_from_dict(voice) for voice in voices if isinstance(voice, dict)]
        with self._lock:
            self._voices = parsed

    # ------------------------------------------------------------------ playing

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._closed:
                    now = time.monotonic()
                    if self._pending and self._pending[0].due <= now:
                        break
                    timeout = self._pending[0].due - now if self._pending else None
                    self._lock.wait(timeout)
                if self._closed:
                    return
                item = heapq.heappop(self._pending)
                if item.generation != self._generation:
                    continue
            try:
                self._start(item)
            except Exception:
                log.exception("could not start a phrase")

    def _start(self, item: _Say) -> None:
        now = time.monotonic()
        if now > item.deadline:
            log.info("dropped %r: %.2f s late", item.text, now - item.due)
            return
        with self._lock:
            current = self._current
            if current is not None and current[0].playing and item.rank > 0:
                playback, rank, end = current
                if rank <= item.rank:
                    # Let the current phrase finish if that leaves this one in time.
                    if end + 0.05 <= item.deadline:
                        item.due = max(end + 0.05, now + 0.02)
                        heapq.heappush(self._pending, item)
                    return
        clip = item.clip or self._client.cached(item.text)
        if clip is None:
            started = time.monotonic()

            def rendered(text: str, clip: Clip | None, error: str) -> None:
                if clip is None:
                    log.info("not played (no clip): %r: %s", text, error)
                    return
                with self._lock:
                    self._measured[text] = clip.duration
                    if item.generation != self._generation or self._closed:
                        return
                    item.clip = clip
                    item.synth_seconds = time.monotonic() - started
                    item.due = time.monotonic()
                    heapq.heappush(self._pending, item)
                    self._lock.notify_all()

            self._client.render(item.text, rendered, urgent=True)
            return
        self._play(item, clip)

    def _play(self, item: _Say, clip: Clip) -> None:
        with self._lock:
            if item.generation != self._generation or self._closed:
                return
            if self._audio is not None and time.monotonic() < self._player_retry_at:
                log.info("not played (the player is off for now): %r", item.text)
                return
            previous, self._current = self._current, None
        if previous is not None:
            previous[0].stop()
        try:
            playback = self._player.play(clip.path, on_done=self._played)
        except PlayerUnavailableError as error:
            self._player_failed(unavailable_problem(error), str(error))
            return
        except OSError as error:
            self._player_failed(PROBLEMS[ProblemKind.NO_PLAYER], f"could not run it: {error}")
            return
        started = playback.started_at
        with self._lock:
            if playback.playing:
                self._playbacks.add(playback)
            self._current = (playback, item.rank, started + clip.duration)
            self._last_playback = playback
            self.history.append(
                SpokenRecord(item.text, item.scheduled, started, item.synth_seconds)
            )

    def _played(self, playback: Playback, result: PlaybackResult) -> None:
        with self._lock:
            self._playbacks.discard(playback)
            if self._current is not None and self._current[0] is playback:
                self._current = None
            if result.ok:
                self._audio = None
                self._player_failures = 0
        problem = playback_problem(result)
        if problem is not None:
            detail = result.error or f"exit code {result.returncode}"
            self._player_failed(problem, f"{detail} (playing {playback.path})")
        else:
            self._report()
