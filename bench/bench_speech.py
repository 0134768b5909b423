"""Speech benchmark: synthesis time, cue latency, and UI frame gaps while speaking.

Run: .venv/bin/python bench/bench_speech.py [--seconds 8] [--system-player]

1. Synthesis: every cue text of a built-in routine rendered by a fresh worker
   (pyttsx3 + espeak-ng); time per phrase as the worker measured it and as the
   caller saw it (round trip).
2. Latency: a session of prepared cues handed to the coach at their moments; time
   from the scheduled moment to the player process starting, measured by a
   stand-in player that notes the time it was started (this machine may have no
   sound card; --system-player uses aplay/afplay instead and reports the coach's
   own start times).
3. Frame gaps: a Qt event loop with a 16 ms QTimer while the coach speaks, against
   the same loop with a silent coach in the same run.  Budget: no gap over 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facegym_desktop.core.library import load_library  # noqa: E402
from facegym_desktop.core.planner import Cue, Plan, Segment, plan  # noqa: E402
from facegym_desktop.paths import builtin_routines_dir  # noqa: E402
from facegym_desktop.speech.client import WorkerClient  # noqa: E402
from facegym_desktop.speech.coach import VoiceCoach  # noqa: E402
from facegym_desktop.speech.null import NullSpeaker  # noqa: E402
from facegym_desktop.speech.player import PLAYER_ENV  # noqa: E402
from facegym_desktop.speech.tts import WorkerSpeaker  # noqa: E402

STAND_IN_PLAYER = """#!/bin/sh
printf '%s %s\\n' "$(date +%s.%N)" "$1" >> "$BENCH_PLAYER_LOG"
exec sleep "$(soxi -D "$1" 2>/dev/null || echo 1)"
"""

COUNT_WORDS = ("One.", "Two.", "Three.", "Four.", "Five.", "Six.", "Seven.", "Eight.")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def bench_synthesis(folder: Path) -> tuple[list[float], list[float]]:
    library = load_library(builtin_routines_dir())
    routine = library.routine("morning-wake-up") or next(iter(library.routines.values()))
    texts = list(dict.fromkeys(cue.text for cue in plan(routine, routine.default_minutes).cues))
    client = WorkerClient(folder)
    synth: list[float] = []
    round_trip: list[float] = []
    done = threading.Event()
    try:
        for text in texts:
            done.clear()
            sent = time.monotonic()

            def rendered(_text: str, clip: object, error: str, sent: float = sent) -> None:
                if clip is not None:
                    synth.append(clip.synth_seconds)  # type: ignore[attr-defined]
                    round_trip.append(time.monotonic() - sent)
                done.set()

            client.render(text, rendered, urgent=True)
            done.wait(30)
    finally:
        client.close(wait=5)
    return synth, round_trip[1:]  # the first includes starting the worker


def session_plan(seconds: float) -> Plan:
    cues = []
    at = 0.5
    number = 0
    while at < seconds - 1:
        cues.append(Cue(round(at, 3), COUNT_WORDS[number % len(COUNT_WORDS)], "high", "count", 0))
        if number % 4 == 3:
            cues.append(Cue(round(at + 1.0, 3), "Keep your wrists loose.", "low", "tip", 0))
            at += 1.0
        at += 1.0
        number += 1
    return Plan(
        "bench", "Bench", int(seconds), (Segment(0, "move", 0.0, seconds, "Bench"),), tuple(cues)
    )


def frame_gaps(coach: VoiceCoach, timeline: Plan, seconds: float) -> list[float]:
    """Run a Qt loop with a 16 ms timer for ``seconds``, feeding cues from the UI thread."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from facegym_desktop.ui.collector import MainThreadCollector

    app = QApplication.instance() or QApplication([])
    # As in the app: cycles are collected on this thread only, never a speech thread's.
    collector = MainThreadCollector(app)
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]
    pending = list(timeline.cues)
    started = time.monotonic()

    def tick() -> None:
        now = clock.nsecsElapsed()
        gaps.append((now - last[0]) / 1e9)
        last[0] = now
        elapsed = time.monotonic() - started
        while pending and pending[0].at <= elapsed:
            coach.cue_due(pending.pop(0))  # as the session window would, on the UI thread

    frame = QTimer()
    frame.setInterval(16)
    frame.timeout.connect(tick)
    stopper = QTimer()
    stopper.setSingleShot(True)
    stopper.timeout.connect(QCoreApplication.quit)
    frame.start()
    stopper.start(int(seconds * 1000))
    app.exec()
    frame.stop()
    collector.stop()
    return gaps[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each loop run")
    parser.add_argument("--system-player", action="store_true", help="use aplay/afplay")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    with tempfile.TemporaryDirectory(prefix="facegym-bench-speech-") as scratch:
        folder = Path(scratch)
        log = folder / "played.log"
        if not args.system_player:
            script = folder / "player.sh"
            script.write_text(STAND_IN_PLAYER)
            script.chmod(0o755)
            os.environ[PLAYER_ENV] = str(script)
            os.environ["BENCH_PLAYER_LOG"] = str(log)

        synth, round_trip = bench_synthesis(folder / "synth-cache")

        timeline = session_plan(args.seconds)
        silent = VoiceCoach(NullSpeaker())
        silent.prepare(timeline)
        baseline_gaps = frame_gaps(silent, timeline, args.seconds)
        silent.close()

        speaker = WorkerSpeaker(folder / "cache")
        coach = VoiceCoach(speaker)
        coach.prepare(timeline)
        coach.wait_prepared(30)
        wall_offset = time.time() - time.monotonic()
        speaking_gaps = frame_gaps(coach, timeline, args.seconds)
        records = list(speaker.history)
        coach.close()

        starts: dict[str, float] = {}
        if log.exists():
            for line in log.read_text().splitlines():
                stamp, _, source = line.partition(" ")
                starts.setdefault(source, float(stamp))
        # Popen returned -> coach's view; stand-in's own clock -> the player really ran.
        coach_latency = [record.latency - record.synth_seconds for record in records]
        player_latency = []
        for record in records:
            source = str(speaker.client.clip_path(record.text))
            if source in starts:
                player_latency.append(starts.pop(source) - (record.due + wall_offset))

    def ms(value: float) -> str:
        return f"{value * 1000:8.1f}"

    rows = [
        ("synthesis per phrase (worker)", synth),
        ("render round trip (caller)", round_trip),
        ("cue latency to player start (coach)", coach_latency),
        ("cue latency to player start (player)", player_latency),
    ]
    print(f"{'measure':<40} {'n':>4} {'median ms':>10} {'p95 ms':>9} {'max ms':>9}")
    for name, values in rows:
        if values:
            print(
                f"{name:<40} {len(values):>4} {ms(statistics.median(values)):>10} "
                f"{ms(percentile(values, 0.95)):>9} {ms(max(values)):>9}"
            )
        else:
            print(f"{name:<40} {0:>4} {'-':>10} {'-':>9} {'-':>9}")
    print()
    base_max, speak_max = max(baseline_gaps), max(speaking_gaps)
    base_p99, speak_p99 = percentile(baseline_gaps, 0.99), percentile(speaking_gaps, 0.99)
    print(f"{'16 ms QTimer frame gap':<40} {'silent':>10} {'speaking':>10} {'ratio':>7}")
    print(
        f"{'  longest gap ms':<40} {ms(base_max):>10} {ms(speak_max):>10} "
        f"{speak_max / base_max:>7.2f}"
    )
    print(
        f"{'  p99 gap ms':<40} {ms(base_p99):>10} {ms(speak_p99):>10} {speak_p99 / base_p99:>7.2f}"
    )
    print(f"{'  frames':<40} {len(baseline_gaps):>10} {len(speaking_gaps):>10}")
    budget_ok = speak_max <= 0.050 and (not player_latency or max(player_latency) <= 0.150)
    print()
    print("budget (gap <= 50 ms, latency <= 150 ms):", "met" if budget_ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
