"""VoiceCoach: the one object the session window holds for spoken cues.

The window calls it on session events; it decides what to say (through
``core.cue_fit``), renders the plan's phrases ahead in the background, and speaks
each chosen cue when the session says it is due.  It has no Qt in it, every method
is safe from any thread and returns at once, and no speech failure ever raises
into the caller: the voice goes off with one notice and comes back when it can.
The coach made for the app checks the whole voice path once, in the background,
as it starts (``preflight``), so a problem shows before the first session.

Wiring in a session window (every call returns at once; callbacks arrive on
background threads, so forward them through a queued Qt signal):

    coach = VoiceCoach(voice=..., rate=..., volume=..., verbosity=..., muted=...,
                       cache_dir=data_paths.speech_cache,
                       on_notice=..., on_state=...)
    session created with a plan  -> coach.prepare(plan)
    "cue due" (cue)              -> coach.cue_due(cue)    (and show the caption)
    paused / resumed             -> coach.pause() / coach.resume()
    next, previous, restart, +/-10 s  -> coach.skipped()
    stopped                      -> coach.stop()
    finished                     -> nothing: the closing cue is still speaking
    mute key, settings changes   -> set_muted, set_verbosity, set_voice, set_rate, set_volume
    window closed                -> coach.close()
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from facegym_desktop.core.cue_fit import (
    VERBOSITIES,
    CueLike,
    DurationEstimator,
    Fit,
    Priority,
    SpokenCue,
    fit_cues,
    kinds_for,
)
from facegym_desktop.speech.base import DEFAULT_RATE_WPM, DEFAULT_VOLUME, Speaker, SpeechState
from facegym_desktop.speech.null import NullSpeaker
from facegym_desktop.speech.problems import PROBLEMS, ProblemKind, VoiceProblem

log = logging.getLogger(__name__)

# Rounds of "render, measure, fit again" for one plan; lengths settle after one.
_MAX_PREPARE_ROUNDS = 3

_CueKey = tuple[int, str, str]  # segment, kind, text


def _key(cue: CueLike) -> _CueKey:
    return (cue.segment, cue.kind, " ".join(cue.text.split()))


class VoiceCoach:
    """Speaks a session's cues; see the module docstring for the wiring.

    ``on_notice(text)`` gets the current problem's one line ("Voice off: ... .
    <what to do>.") each time it changes, and "" once it is gone; it is sent again
    after each state change while it holds.  A callback set later is sent the
    current line at once, so a window that starts listening late still shows it.
    ``on_state(state)`` gets "starting", "ready", "off" or "closed" on each change
    (before the notice that goes with it).  Both are called from background threads.
    """

    def __init__(
        self,
        speaker: Speaker | None = None,
        *,
        voice: str | None = None,
        rate: int = DEFAULT_RATE_WPM,
        volume: float = DEFAULT_VOLUME,
        verbosity: str = "full",
        muted: bool = False,
        cache_dir: str | os.PathLike[str] | None = None,
        on_notice: Callable[[str], None] | None = None,
        on_state: Callable[[SpeechState], None] | None = None,
    ) -> None:
        self._lock = threading.RLock()
        # Held while a state and its notice are worked out and sent, so reports from
        # the speaker's threads reach the listeners in order.
        self._report_lock = threading.RLock()
        self._on_notice = on_notice
        self.on_state = on_state
        self._verbosity = verbosity if verbosity in VERBOSITIES else "full"
        self._muted = bool(muted)
        self._paused = False
        self._closed = False
        self._estimator = DurationEstimator(rate)
        self._plan: Any = None
        self._cues: tuple[CueLike, ...] = ()
        self._segment_ends: dict[int, float] = {}
        self._fit = Fit((), ())
        self._lookup: dict[_CueKey, list[tuple[float, SpokenCue | None]]] = {}
        self._shift = 0.0  # live time minus plan time, from the last matched cue
        self._prepare_round = 0
        self._plan_token = 0
        self._notice = ""  # the current problem's line; "" when there is none
        self._prepared = threading.Event()
        self._state: SpeechState | None = None
        self._no_speaker: VoiceProblem | None = None  # why the default speaker failed
        if speaker is None:
            speaker = self._default_speaker(cache_dir, voice, rate, volume)
        self._speaker = speaker
        speaker.on_state = self._speaker_state
        # The speaker may have decided its state before we listened.
        self._speaker_state(speaker.state, speaker.reason)

    def _default_speaker(
        self,
        cache_dir: str | os.PathLike[str] | None,
        voice: str | None,
        rate: int,
        volume: float,
    ) -> Speaker:
        try:
            from facegym_desktop.speech.tts import WorkerSpeaker

            folder = (
                Path(cache_dir) if cache_dir else Path(tempfile.gettempdir()) / "facegym-speech"
            )
            return WorkerSpeaker(folder, voice=voice, rate=rate, volume=volume, preflight=True)
        except Exception:  # never let speech stop a session from starting
            log.exception("speech backend failed to start")
            self._no_speaker = PROBLEMS[ProblemKind.ENGINE_FAILED]
            return NullSpeaker()

    # ------------------------------------------------------------------ properties

    @property
    def speaker(self) -> Speaker:
        return self._speaker

    @property
    def on_notice(self) -> Callable[[str], None] | None:
        return self._on_notice

    @on_notice.setter
    def on_notice(self, callback: Callable[[str], None] | None) -> None:
        """Listen for notices; the current one, if any, is sent at once."""
        with self._report_lock:
            with self._lock:
                self._on_notice = callback
                notice = self._notice
            if notice:
                self._send_notice(notice)

    @property
    def problem(self) -> VoiceProblem | None:
        """What keeps the voice from working as chosen now (for the voice dialog), or None."""
        try:
            found = self._speaker.problem
        except Exception:
            log.exception("speech call failed")
            found = None
        return found or self._no_speaker

    @property
    def notice(self) -> str:
        """The current problem's one line, as last sent to ``on_notice``; "" if none."""
        with self._lock:
            return self._notice

    @property
    def state(self) -> SpeechState:
        return self._speaker.state

    @property
    def verbosity(self) -> str:
        return self._verbosity

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def fit(self) -> Fit:
        """What the coach will say for the prepared plan (for captions or tests)."""
        with self._lock:
            return self._fit

    def is_prepared(self) -> bool:
        """True once the prepared plan's phrases are rendered (or could not be)."""
        return self._prepared.is_set()

    def wait_prepared(self, timeout: float | None = None) -> bool:
        """Block until ``is_prepared()``; for tests and tools, not the UI thread."""
        return self._prepared.wait(timeout)

    def voices(self) -> list[Any]:
        """Voices the engine offers (empty until it has answered); never blocks."""
        voices: list[Any] = self._safe(self._speaker.voices, default=[])
        return voices

    # ------------------------------------------------------------------ session events

    def prepare(self, plan: Any) -> None:
        """Take a session plan: fit its cues now, render them in the background."""
        with self._lock:
            self._plan = plan
            self._cues = tuple(getattr(plan, "cues", ()) or ())
            ends: dict[int, float] = {}
            for position, segment in enumerate(getattr(plan, "segments", ()) or ()):
                end = getattr(segment, "end", None)
                if isinstance(end, (int, float)):
                    ends[int(getattr(segment, "index", position))] = float(end)
            self._segment_ends = ends
            self._shift = 0.0
            self._plan_token += 1
            self._prepare_round = 0
            self._prepared.clear()
            self._refit()
        self._prefetch()

    def cue_due(self, cue: CueLike) -> None:
        """The session reached ``cue`` (its ``at`` on the live timeline): speak it if chosen."""
        try:
            with self._lock:
                if self._closed or self._muted or self._paused:
                    return
                entry = self._match(cue)
                if entry is None:
                    return
                text, priority, delay = entry
            self._speaker.say(text, priority, delay)
        except Exception:
            log.exception("cue_due failed")

    def pause(self) -> None:
        """The session paused: silence at once; nothing said before is replayed."""
        with self._lock:
            self._paused = True
        self._safe(self._speaker.stop)

    def resume(self) -> None:
        with self._lock:
            self._paused = False

    def skipped(self) -> None:
        """The session jumped (next, previous, restart, +/-10 s): drop stale speech."""
        self._safe(self._speaker.stop)

    def stop(self) -> None:
        """The session stopped: silence now."""
        self._safe(self._speaker.stop)

    def set_muted(self, muted: bool) -> None:
        with self._lock:
            self._muted = bool(muted)
        if muted:
            self._safe(self._speaker.stop)

    def set_verbosity(self, verbosity: str) -> None:
        """One of full, brief, counts, off; anything else raises ValueError."""
        kinds_for(verbosity)
        with self._lock:
            if verbosity == self._verbosity:
                return
            self._verbosity = verbosity
            self._prepare_round = 0
            self._refit()
        if verbosity == "off":
            self._safe(self._speaker.stop)
        self._prefetch()

    def set_voice(self, voice_id: str | None) -> None:
        self._safe(self._speaker.set_voice, voice_id)
        self._settings_changed(None)

    def set_rate(self, words_per_minute: int) -> None:
        self._safe(self._speaker.set_rate, int(words_per_minute))
        self._settings_changed(int(words_per_minute))

    def set_volume(self, volume: float) -> None:
        self._safe(self._speaker.set_volume, float(volume))
        self._settings_changed(None)

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        """Voice, speed and volume at once: one refit and one round of rendering."""
        self._safe(self._speaker.configure, voice_id, int(rate), float(volume))
        self._settings_changed(int(rate))

    def say_sample(self, text: str) -> None:
        """Speak ``text`` now so the person can judge a voice, speed and volume.

        The person asked for it, so it is spoken even while the coach is muted.
        """
        with self._lock:
            if self._closed:
                return
        self._safe(self._speaker.say, text, "high")

    def close(self) -> None:
        """Silence and release the speech backend; returns at once.

        No ``on_notice`` or ``on_state`` call starts after this returns: the speech
        threads may outlive it, the listeners (a window being torn down) may not.
        """
        # The report lock waits for a report under way on a speech thread.
        with self._report_lock, self._lock:
            if self._closed:
                return
            self._closed = True
            self._on_notice = None
            self.on_state = None
        self._safe(self._speaker.close)

    # ------------------------------------------------------------------ internals

    def _safe(self, function: Callable[..., Any], *args: Any, default: Any = None) -> Any:
        try:
            return function(*args)
        except Exception:
            log.exception("speech call failed")
            return default

    def _settings_changed(self, rate: int | None) -> None:
        with self._lock:
            self._estimator = DurationEstimator(rate or self._estimator.rate_wpm)
            self._prepare_round = 0
            self._refit()
        self._prefetch()

    def _refit(self) -> None:
        # Called under the lock.
        try:
            self._fit = fit_cues(
                self._cues,
                self._estimator.estimate,
                self._verbosity,
                segment_ends=self._segment_ends,
            )
        except Exception:
            log.exception("fitting cues failed; speaking high-priority cues only")
            self._fit = Fit((), ())
        lookup: dict[_CueKey, list[tuple[float, SpokenCue | None]]] = {}
        for spoken in self._fit.spoken:
            lookup.setdefault(_key(spoken.cue), []).append((spoken.cue.at, spoken))
        for dropped in self._fit.dropped:
            lookup.setdefault(_key(dropped), []).append((dropped.at, None))
        for entries in lookup.values():
            entries.sort(key=lambda entry: entry[0])
        self._lookup = lookup

    def _match(self, cue: CueLike) -> tuple[str, Priority, float] | None:
        """What to say for a due cue: (text, priority, delay), or None to stay quiet."""
        # Called under the lock.
        allowed = kinds_for(self._verbosity)
        if allowed is not None and cue.kind not in allowed:
            return None
        entries = self._lookup.get(_key(cue))
        if not entries:
            # Not in the prepared plan: say high cues as they are, skip the rest.
            if cue.priority == Priority.HIGH:
                return cue.text, cue.priority, 0.0
            return None
        if len(entries) == 1:
            plan_at, spoken = entries[0]
        else:
            # The same words recur in a segment (counts): pick by time.
            expected = cue.at - self._shift
            plan_at, spoken = min(entries, key=lambda entry: abs(entry[0] - expected))
        self._shift = cue.at - plan_at
        if spoken is None:
            return None
        return spoken.text, cue.priority, max(0.0, spoken.delay)

    def _prefetch(self) -> None:
        with self._lock:
            if self._closed or self._verbosity == "off":
                self._prepared.set()
                return
            self._prepared.clear()
            texts = [spoken.text for spoken in self._fit.spoken]
            token = self._plan_token
            self._prepare_round += 1
            round_number = self._prepare_round

        def measured(text: str, seconds: float) -> None:
            with self._lock:
                self._estimator.record(text, seconds)

        def done() -> None:
            with self._lock:
                if token != self._plan_token or round_number != self._prepare_round:
                    return
                before = [spoken.text for spoken in self._fit.spoken]
                self._refit()
                after = [spoken.text for spoken in self._fit.spoken]
                unmeasured = [text for text in after if self._estimator.measured(text) is None]
                again = after != before and unmeasured and self._prepare_round < _MAX_PREPARE_ROUNDS
            if again:
                self._prefetch()
            else:
                self._prepared.set()

        self._safe(self._speaker.prefetch, texts, measured, done)

    def _speaker_state(self, state: SpeechState, reason: str) -> None:
        with self._report_lock:
            self._report(state, reason)

    def _report(self, state: SpeechState, reason: str) -> None:
        problem = self.problem
        if problem is not None:
            notice = problem.notice
        elif state == SpeechState.OFF and reason:
            notice = f"Voice off: {reason.rstrip('.')}."
        else:
            notice = ""
        with self._lock:
            changed = state != self._state
            self._state = state
        if changed and self.on_state is not None:
            try:
                self.on_state(state)
            except Exception:
                log.exception("on_state callback failed")
        # After the state: a listener may clear the notice when the state turns "ready".
        self._notify(notice, again=changed)

    def _notify(self, text: str, again: bool = False) -> None:
        with self._lock:
            if text == self._notice and not (again and text):
                return
            self._notice = text
        self._send_notice(text)

    def _send_notice(self, text: str) -> None:
        callback = self._on_notice
        if callback is not None:
            try:
                callback(text)
            except Exception:
                log.exception("on_notice callback failed")


__all__ = ["VoiceCoach", "VERBOSITIES", "SpeechState"]
