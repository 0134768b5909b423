"""The pyttsx3 speaker: clips rendered by the worker process, played by the player.

Phrases are rendered ahead (``prefetch``) or on demand, then played at their
moment by a killable player.  One scheduling thread starts clips on time; the
caller's thread only queues work, so ``say`` and ``stop`` return at once.
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

from facegym_desktop.core.cue_fit import Priority
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
from facegym_desktop.speech.client import Clip, WorkerClient
from facegym_desktop.speech.player import Playback, PlaybackResult, Player, PlayerUnavailableError
from facegym_desktop.speech.voice_choice import voice_from_dict

log = logging.getLogger(__name__)

# How late a phrase may still start, by priority rank: a count late by more than
# half a second is misleading; a tip two seconds late is still fine.
LATE_ALLOWANCE_SECONDS = (0.5, 2.0, 2.0)


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


def explain_player_failure(error: str, returncode: int | None) -> str:
    lowered = error.lower()
    if "audio open error" in lowered or "no such file" in lowered or "cannot find card" in lowered:
        return (
            f"no sound output device ({error.strip()}). "
            "Check that speakers or headphones are connected"
        )
    detail = error.strip() or f"exit code {returncode}"
    return f"the audio player failed ({detail})"


class WorkerSpeaker(Speaker):
    """Speaks through the pyttsx3 worker and a killable audio player."""

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
    ) -> None:
        self.on_state = on_state
        self._lock = threading.Condition()
        self._pending: list[_Say] = []
        self._seq = itertools.count()
        self._generation = 0
        self._closed = False
        self._current: tuple[Playback, int, float] | None = None  # playback, rank, end
        self._last_playback: Playback | None = None
        self._engine: tuple[str, str] = (SpeechState.STARTING, "")
        self._audio: tuple[SpeechState, str] = (SpeechState.READY, "")
        self._reported: tuple[SpeechState, str] | None = None
        self._measured: dict[str, float] = {}
        self._voices: list[VoiceInfo] = []
        self.history: deque[SpokenRecord] = deque(maxlen=500)
        self._player = player or Player()
        try:
            self._player.command  # noqa: B018 - resolves now to report a missing player early
        except PlayerUnavailableError as error:
            self._audio = (SpeechState.OFF, str(error))
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

    # ------------------------------------------------------------------ Speaker

    @property
    def client(self) -> WorkerClient:
        return self._client

    def say(self, text: str, priority: str = Priority.NORMAL, delay: float = 0.0) -> None:
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
        return self._combined()[1]

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
        self.stop()
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        self._client.close()

    def join(self, timeout: float = 5.0) -> None:
        """Wait for the threads and the worker to end (tests and the command line)."""
        self._client.close(wait=timeout)
        self._thread.join(timeout)

    # ------------------------------------------------------------------ state

    def _combined(self) -> tuple[SpeechState, str]:
        with self._lock:
            if self._closed:
                return SpeechState.CLOSED, ""
            if self._engine[0] == "failed":
                return SpeechState.OFF, self._engine[1]
            if self._audio[0] == SpeechState.OFF:
                return self._audio
            if self._engine[0] == SpeechState.STARTING:
                return SpeechState.STARTING, ""
            return SpeechState.READY, ""

    def _report(self) -> None:
        state = self._combined()
        with self._lock:
            if state == self._reported:
                return
            self._reported = state
        if self.on_state is not None:
            try:
                self.on_state(*state)
            except Exception:
                log.exception("speech state callback failed")

    def _engine_status(self, state: str, reason: str) -> None:
        with self._lock:
            if state == SpeechState.CLOSED:
                return
            self._engine = (state, reason)
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
                    log.info("could not render %r: %s", text, error)
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
            previous, self._current = self._current, None
        if previous is not None:
            previous[0].stop()
        try:
            playback = self._player.play(clip.path, on_done=self._played)
        except (PlayerUnavailableError, OSError) as error:
            with self._lock:
                self._audio = (SpeechState.OFF, str(error))
            self._report()
            return
        started = playback.started_at
        with self._lock:
            self._current = (playback, item.rank, started + clip.duration)
            self._last_playback = playback
            self.history.append(
                SpokenRecord(item.text, item.scheduled, started, item.synth_seconds)
            )

    def _played(self, playback: Playback, result: PlaybackResult) -> None:
        with self._lock:
            if self._current is not None and self._current[0] is playback:
                self._current = None
            if result.ok:
                self._audio = (SpeechState.READY, "")
            elif not result.stopped:
                self._audio = (
                    SpeechState.OFF,
                    explain_player_failure(result.error, result.returncode),
                )
        self._report()
