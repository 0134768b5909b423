"""Speech call benchmark: how long the session's own thread spends in the voice.

Run: .venv/bin/python bench/bench_speech_calls.py [--rounds 30]

1. cue_due: a fresh phrase (so its clip must come from the worker) handed to the
   coach, with the worker stopped (SIGSTOP, as if hung) against the same calls with
   a worker that answers, in the same run.  cue_due only queues work, so the two
   should be alike and well under a millisecond.
2. Pause to silence: from ``coach.pause()`` to the player process having exited,
   against ``Playback.stop()`` called directly on a player of the same clip.

The functional tests check that these calls never wait (tests/speech); this only
reports the figures.  The stand-in player "plays" a clip by sleeping for its length.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facegym_desktop.core.planner import Cue, Plan, Segment  # noqa: E402
from facegym_desktop.speech.coach import VoiceCoach  # noqa: E402
from facegym_desktop.speech.player import PLAYER_ENV, Playback, Player  # noqa: E402
from facegym_desktop.speech.tts import WorkerSpeaker  # noqa: E402

STAND_IN_PLAYER = """#!/bin/sh
exec sleep "$(soxi -D "$1" 2>/dev/null || echo 5)"
"""
LONG_TEXT = "Slow and even strokes, all the way out to the ear, then back."
WAIT = 30.0  # seconds: longest wait for the worker or a player before giving up


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def timed_cues(coach: VoiceCoach, label: str, rounds: int) -> list[float]:
    """Seconds spent in cue_due for ``rounds`` phrases never rendered before."""
    took = []
    for index in range(rounds):
        cue = Cue(float(index), f"{label} {index}.", "high", "count", 0)  # type: ignore[arg-type]
        started = time.perf_counter()
        coach.cue_due(cue)
        took.append(time.perf_counter() - started)
        coach.stop()  # nothing piles up in the player
    return took


def make_coach(folder: Path, request_timeout: float) -> tuple[VoiceCoach, WorkerSpeaker]:
    speaker = WorkerSpeaker(folder, client_options={"request_timeout": request_timeout})
    return VoiceCoach(speaker), speaker


def bench_cue_due(folder: Path, rounds: int) -> tuple[list[float], list[float]]:
    coach, speaker = make_coach(folder / "answering", WAIT)
    try:
        coach.say_sample("Ready.")  # the worker has started and answered once
        deadline = time.monotonic() + WAIT
        while speaker.client.cached("Ready.") is None and time.monotonic() < deadline:
            time.sleep(0.05)
        answering = timed_cues(coach, "Answering", rounds)
    finally:
        coach.close()
    coach, speaker = make_coach(folder / "hung", 600.0)
    try:
        coach.say_sample("Ready.")
        deadline = time.monotonic() + WAIT
        while speaker.client.cached("Ready.") is None and time.monotonic() < deadline:
            time.sleep(0.05)
        pid = speaker.client.pid
        if pid is None:
            raise SystemExit("the speech worker did not start")
        os.kill(pid, signal.SIGSTOP)
        hung = timed_cues(coach, "Hung", rounds)
    finally:
        coach.close()
    return answering, hung


def until_silent(stop: Callable[[], None], playback: Playback | None) -> float:
    """Seconds from ``stop()`` to ``playback``'s player process having exited."""
    if playback is None:
        raise SystemExit("nothing was playing")
    started = time.perf_counter()
    stop()
    if not playback.wait(WAIT):
        raise SystemExit("a player did not stop")
    return time.perf_counter() - started


def bench_pause(folder: Path, rounds: int) -> tuple[list[float], list[float]]:
    long_cue = Cue(0.0, LONG_TEXT, "normal", "technique", 0)  # type: ignore[arg-type]
    speaker = WorkerSpeaker(folder / "pause")
    coach = VoiceCoach(speaker)
    paused: list[float] = []
    direct: list[float] = []
    try:
        move = Segment(0, "move", 0, 10, "M")  # type: ignore[arg-type]
        coach.prepare(Plan("p", "P", 10, (move,), (long_cue,)))
        if not coach.wait_prepared(WAIT):
            raise SystemExit("the clip was not rendered")
        clip = speaker.client.cached(LONG_TEXT)
        assert clip is not None
        player = Player()
        for _ in range(rounds):
            coach.resume()
            coach.cue_due(long_cue)
            deadline = time.monotonic() + WAIT
            while speaker.last_playback is None or not speaker.speaking:
                if time.monotonic() > deadline:
                    raise SystemExit("the clip did not start")
                time.sleep(0.005)
            time.sleep(0.05)  # the player has started, as the bare one below
            paused.append(until_silent(coach.pause, speaker.last_playback))
            bare = player.play(clip.path)
            time.sleep(0.05)
            direct.append(until_silent(bare.stop, bare))
    finally:
        coach.close()
    return direct, paused


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        player = folder / "player.sh"
        player.write_text(STAND_IN_PLAYER)
        player.chmod(0o755)
        os.environ[PLAYER_ENV] = str(player)
        answering, hung = bench_cue_due(folder, args.rounds)
        direct, paused = bench_pause(folder, args.rounds)
    print(f"{'measure':<44} {'baseline ms':>12} {'measured ms':>12} {'ratio':>7}")
    rows = (
        ("cue_due: hung worker vs answering worker", answering, hung),
        ("to silence: coach.pause() vs Playback.stop()", direct, paused),
    )
    for name, baseline, measured in rows:
        base, value = median_ms(baseline), median_ms(measured)
        print(f"{name:<44} {base:>12.3f} {value:>12.3f} {value / base:>6.2f}x")
    worst = max(hung) * 1000
    print(f"\nlongest cue_due with the worker hung: {worst:.3f} ms ({len(hung)} calls)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
