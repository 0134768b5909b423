"""Small builders for moves and routines, and a recording speaker, for short tests."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable

from facegym_desktop.core.routine import Move, MoveCues, Routine, Step, Stroke, Timing
from facegym_desktop.speech.base import Speaker, SpeechState, VoiceInfo


def timed_move(
    move_id: str = "glide",
    seconds: int = 40,
    low: int = 20,
    high: int = 90,
    *,
    sides: str = "both",
    areas: tuple[str, ...] = ("cheeks",),
    level: str = "medium",
    tips: tuple[str, ...] = ("Breathe out slowly.",),
) -> Move:
    return Move(
        id=move_id,
        name=move_id.replace("-", " ").capitalize(),
        technique="Glide outward.",
        tool="fingers",
        areas=areas,
        pressure={area: level for area in areas},
        timing=Timing("timed", seconds=seconds, min_seconds=low, max_seconds=high),
        cues=MoveCues(f"{move_id.capitalize()}.", f"{level.capitalize()} pressure.", tips),
        sides=sides,
        strokes=(Stroke(((0.3, 0.5), (0.2, 0.4)), 1.5, "glide", True),),
    )


def counted_move(
    move_id: str = "lift",
    reps: int = 8,
    low: int = 4,
    high: int = 12,
    seconds_per_rep: float = 5.0,
    *,
    sides: str = "both",
    tempo: tuple[str, ...] = (),
) -> Move:
    return Move(
        id=move_id,
        name=move_id.capitalize(),
        technique="Lift and lower.",
        tool="fingers",
        areas=("forehead",),
        pressure={"forehead": "light"},
        timing=Timing(
            "counted",
            reps=reps,
            min_reps=low,
            max_reps=high,
            seconds_per_rep=seconds_per_rep,
            tempo=tempo,
        ),
        cues=MoveCues(f"{move_id.capitalize()}.", "Light pressure."),
        sides=sides,
    )


def routine_of(
    *moves: Move,
    routine_id: str = "test-routine",
    minutes: tuple[float, float, float] = (3, 5, 8),
    prep_seconds: int = 15,
    transition_seconds: int = 5,
    rests: dict[int, int] | None = None,
) -> Routine:
    low, default, high = minutes
    rests = rests or {}
    return Routine(
        id=routine_id,
        name="Test routine",
        description="For tests.",
        kind="daily",
        default_minutes=default,
        min_minutes=low,
        max_minutes=high,
        prep=("Clean hands", "A little oil"),
        steps=tuple(Step(move, rests.get(index, 0)) for index, move in enumerate(moves)),
        prep_seconds=prep_seconds,
        transition_seconds=transition_seconds,
    )


class FakeTimer:
    """Stands in for a ``QTimer`` (see ``facegym_desktop.ui.timers.Timer``): it never
    fires by itself; ``fire()`` runs its callback as a timeout would."""

    def __init__(self, on_timeout: Callable[[], None], single_shot: bool) -> None:
        self.on_timeout = on_timeout
        self.single_shot = single_shot
        self._active = False
        self._interval = 0

    def start(self) -> None:
        self._active = True

    def stop(self) -> None:
        self._active = False

    def isActive(self) -> bool:  # noqa: N802 - the QTimer name
        return self._active

    def interval(self) -> int:
        return self._interval

    def setInterval(self, msec: int, /) -> None:  # noqa: N802 - the QTimer name
        self._interval = msec

    def fire(self) -> None:
        """One timeout; a single-shot timer stops first.  Refuses when not started."""
        assert self._active, "a stopped timer does not fire"
        if self.single_shot:
            self._active = False
        self.on_timeout()


class FakeTimers:
    """A timer factory for the session controller that keeps every timer it made."""

    def __init__(self) -> None:
        self.made: list[FakeTimer] = []

    def __call__(self, on_timeout: Callable[[], None], single_shot: bool) -> FakeTimer:
        timer = FakeTimer(on_timeout, single_shot)
        self.made.append(timer)
        return timer

    def only(self, *, single_shot: bool) -> FakeTimer:
        """The one repeating (or single-shot) timer made; fails unless exactly one."""
        [timer] = [t for t in self.made if t.single_shot == single_shot]
        return timer


class FakeClock:
    """A monotonic clock and a wall clock that move only when told to.

    Call it for the monotonic reading; ``wall_clock`` is the time of day.  Setting
    ``now`` moves only the monotonic clock; ``advance`` moves both.
    """

    def __init__(self, now: float = 1000.0, wall: float = 1_700_000_000.0) -> None:
        self.now = now
        self.wall = wall

    def __call__(self) -> float:
        return self.now

    def wall_clock(self) -> float:
        return self.wall

    def advance(self, seconds: float, *, slept: float = 0.0) -> None:
        """Move both clocks; ``slept`` moves only the wall clock (a suspended machine)."""
        self.now += seconds
        self.wall += seconds + slept


# A valid moves file of one move, jaw-glide (40 s, 20 to 90), for routine-file tests.
JAW_GLIDE_MOVES = textwrap.dedent(
    """
    [[moves]]
    id = "jaw-glide"
    name = "Jaw glide"
    technique = "Knuckles glide out along the jaw."
    tool = "knuckles"
    areas = ["jawline", "chin"]
    pressure = { jawline = "firm", chin = "medium" }
    [moves.timing]
    seconds = 40
    min_seconds = 20
    max_seconds = 90
    [moves.cues]
    intro = "Jaw glide."
    technique = "Firm pressure along the bone."
    [[moves.strokes]]
    points = [[0.5, 0.83], [0.15, 0.56]]
    period = 2.0
    mirror = true
    """
)


def user_routine_toml(routine_id: str, name: str, description: str) -> str:
    """A short routine file over built-in moves: 90 s at its shortest, one move one-sided."""
    return f"""\
id = "{routine_id}"
name = "{name}"
description = "{description}"
kind = "daily"
default_minutes = 2
min_minutes = 1.5
max_minutes = 2.5
prep = ["Clean hands"]

[[steps]]
move = "chin-flicks"
seconds = 30

[[steps]]
move = "gua-sha-jawline"
seconds = 30
"""


class RecordingSpeaker(Speaker):
    """Keeps every call; measures each phrase at 0.3 s a word."""

    def __init__(self) -> None:
        self.said: list[tuple[str, str, float]] = []
        self.stops = 0
        self._state = SpeechState.READY
        self._reason = ""
        self.prefetched: list[str] = []
        self.settings: list[tuple[str, object]] = []
        self.voice_list = [VoiceInfo("gmw/en", "English")]

    def say(self, text: str, priority: str = "normal", delay: float = 0.0) -> None:
        self.said.append((text, priority, round(delay, 3)))

    def stop(self) -> None:
        self.stops += 1

    def prefetch(self, texts: Iterable[str], on_measured=None, on_done=None) -> None:
        for text in texts:
            self.prefetched.append(text)
            if on_measured is not None:
                on_measured(text, 0.3 * len(text.split()))
        if on_done is not None:
            on_done()

    def set_voice(self, voice_id: str | None) -> None:
        self.settings.append(("voice", voice_id))

    def set_rate(self, words_per_minute: int) -> None:
        self.settings.append(("rate", words_per_minute))

    def set_volume(self, volume: float) -> None:
        self.settings.append(("volume", volume))

    def voices(self) -> list[VoiceInfo]:
        return list(self.voice_list)

    @property
    def state(self) -> SpeechState:
        return self._state

    @property
    def reason(self) -> str:
        return self._reason

    def go_off(self, reason: str) -> None:
        self._state, self._reason = SpeechState.OFF, reason
        if self.on_state is not None:
            self.on_state(SpeechState.OFF, reason)

    def close(self) -> None:
        self._state = SpeechState.CLOSED
