"""A running session: CPU share, peak memory and end-time error, each beside a baseline.

Run: ``.venv/bin/python bench/bench_session.py [--seconds 60] [--platform offscreen|xcb]
[--real-time]``.

``--real-time`` plays the session at its real speed (time scale 1) for ``--seconds``
after start-up and stops it there, beside a bare PySide6 window left open just as
long; it skips (3), which would need the whole session.

1. CPU and memory: ``facegym run ROUTINE --minutes M --time-scale F --mute
   --quit-when-done`` as a child process, with F chosen so the session lasts about
   ``--seconds`` of wall time (the frame timer and painting run at their real rate;
   only the session clock is faster).  User+system CPU time and peak RSS come from
   ``wait4`` for that child alone.  Baseline: the bare PySide6 window (QApplication, a
   QLabel, first paint, quit).  Budgets (docs/contracts.md, Performance budgets): 2% of
   one core, peak RSS within bare + 60 MiB.
2. End-time error of a 20-minute session: the real SessionController on a fake
   clock, each tick arriving after the interval its timer asks for (``FRAME_MS``,
   67 ms frames, or the slow tick while minimised) stretched the way a busy event
   loop stretches it, with the odd 300 ms stall.  Baseline: a countdown that adds its
   nominal interval (``FRAME_SECONDS``) per tick, as a tick-counting timer would.
   Budget: within 100 ms of plan.
3. End-time error of a real-time session in this process while (1) runs: a
   SessionController on an offscreen SessionView, its QTimer at ``FRAME_MS`` (67 ms),
   on the real monotonic clock scaled like (1).  Baseline beside it in the same event
   loop: a QTimer that counts ``FRAME_MS`` per timeout.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from facegym_desktop.core.library import load_library  # noqa: E402
from facegym_desktop.core.planner import plan  # noqa: E402
from facegym_desktop.core.session import Finished  # noqa: E402
from facegym_desktop.paths import builtin_routines_dir  # noqa: E402
from facegym_desktop.ui.session_controller import FRAME_MS  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_startup import BARE_WINDOW  # noqa: E402

ROUTINE = "morning-wake-up"
MINUTES = 3.0
LONG_ROUTINE = "extended-sculpt"
LONG_MINUTES = 20.0
FRAME_SECONDS = FRAME_MS / 1000  # the controller's frame tick while the window shows
CPU_BUDGET_PERCENT = 2.0  # of one core, once playing (docs/contracts.md)
MIB = 1024 * 1024


def cpu_seconds_so_far(pid: int) -> float | None:
    """User+system CPU time of a running process (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# A bare window that stays open (idle, painted once) for argv[1] seconds.
BARE_WINDOW_OPEN = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication(sys.argv[:1])
label = QLabel("FaceGym")
label.resize(1180, 760)
label.show()
QTimer.singleShot(int(float(sys.argv[1]) * 1000), app.quit)
app.exec()
"""


def run_child(
    cmd: list[str], env: dict[str, str], settle: float = 0.0, spawned=None,
    stop_after: float | None = None,
) -> tuple[float, float, int, int, float | None]:  # fmt: skip
    """(wall s, cpu s, peak RSS bytes, exit code, steady cpu share) of one child process.

    The steady share leaves out the first ``settle`` seconds (start-up, first paint).
    ``stop_after``: measure the steady share over that many seconds after ``settle``,
    then terminate the child (its exit code is then reported as 0).
    """
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed when collected; read on failure
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=errors)
    if spawned is not None:
        spawned.set()
    settled: tuple[float, float] | None = None
    if settle:
        try:
            child.wait(timeout=settle)
        except subprocess.TimeoutExpired:
            cpu_now = cpu_seconds_so_far(child.pid)
            if cpu_now is not None:
                settled = (cpu_now, time.perf_counter())
    stopped_steady = None
    if stop_after is not None and settled is not None:
        time.sleep(stop_after)
        cpu_now = cpu_seconds_so_far(child.pid)
        if cpu_now is not None:
            stopped_steady = (cpu_now - settled[0]) / (time.perf_counter() - settled[1])
        child.terminate()
    _, status, usage = os.wait4(child.pid, 0)
    ended = time.perf_counter()
    child.returncode = os.waitstatus_to_exitcode(status)
    if stop_after is not None:
        child.returncode = 0 if stopped_steady is not None else child.returncode
        cpu = usage.ru_utime + usage.ru_stime
        return ended - start, cpu, usage.ru_maxrss * 1024, child.returncode, stopped_steady
    if child.returncode != 0:
        errors.seek(0)
        sys.stderr.write(errors.read().decode(errors="replace"))
    cpu = usage.ru_utime + usage.ru_stime
    steady = None if settled is None else (cpu - settled[0]) / (ended - settled[1])
    return ended - start, cpu, usage.ru_maxrss * 1024, child.returncode, steady


# ------------------------------------------------------------------ fake-clock end time


def fake_clock_end_error(seed: int, hidden: bool) -> tuple[float, float]:
    """(player error, tick-counting error) in seconds for a 20-minute session.

    The real SessionController is driven on a fake clock: each tick comes after the
    interval its timer asks for, stretched by random lateness, with the odd stall.
    """
    from facegym_desktop.ui.session_controller import SessionController
    from facegym_desktop.ui.session_view import SessionView

    library = load_library(builtin_routines_dir(), Path(tempfile.mkdtemp()) / "none")
    routine = library.routines[LONG_ROUTINE]
    timeline = plan(routine, LONG_MINUTES)
    now = [500.0]
    view = SessionView()
    controller = SessionController(
        timeline, routine, view, clock=lambda: now[0], wall_clock=lambda: now[0]
    )
    finished_at: list[float] = []
    controller.engine.subscribe(
        lambda event: finished_at.append(now[0]) if isinstance(event, Finished) else None
    )
    rng = random.Random(seed)
    start = now[0]
    controller.start()
    controller.set_visible(not hidden)
    while not finished_at:
        now[0] += late(controller.timer_interval_ms / 1000, rng)
        controller.tick()
    controller.shutdown()
    view.deleteLater()

    # Baseline: a countdown that believes every tick took exactly its nominal interval.
    rng = random.Random(seed)
    nominal = 0.25 if hidden else FRAME_SECONDS
    elapsed = counted = 0.0
    while counted < timeline.total_seconds:
        elapsed += late(nominal, rng)
        counted += nominal
    return finished_at[0] - start - timeline.total_seconds, elapsed - timeline.total_seconds


def late(interval: float, rng: random.Random) -> float:
    """A timer's real interval: never early, often a little late, now and then stalled."""
    gap = interval * rng.uniform(1.0, 1.3) + rng.uniform(0, 0.004)
    if rng.random() < 0.002:
        gap += 0.3  # garbage collection, a slow disk
    return gap


# ------------------------------------------------------------------ real-time end time


def real_time_end_error(scale: float, app) -> tuple[float, float, int]:
    """(engine error, tick-counting error, frame ticks) in wall seconds, one real session."""
    from PySide6.QtCore import QEventLoop, QTimer

    from facegym_desktop.ui.session_controller import FRAME_MS, SessionController
    from facegym_desktop.ui.session_view import SessionView
    from facegym_desktop.ui.timers import Timer, qt_timers

    library = load_library(builtin_routines_dir(), Path(tempfile.mkdtemp()) / "none")
    routine = library.routines[ROUTINE]
    timeline = plan(routine, MINUTES)
    view = SessionView()
    view.resize(1180, 700)
    view.show()
    frames = [0]
    make_qt_timer = qt_timers(view)

    def counting_timers(on_timeout, single_shot: bool) -> Timer:
        """Qt timers; the repeating one (the frame timer) counts its timeouts."""
        if single_shot:
            return make_qt_timer(on_timeout, True)

        def frame() -> None:
            frames[0] += 1
            on_timeout()

        return make_qt_timer(frame, False)

    controller = SessionController(
        timeline,
        routine,
        view,
        time_scale=scale,
        timers=counting_timers,
    )
    loop = QEventLoop()
    ends: dict[str, float] = {}
    counted = [0.0]
    planned_wall = timeline.total_seconds / scale

    def count_tick() -> None:
        counted[0] += FRAME_MS / 1000
        if counted[0] >= planned_wall and "counted" not in ends:
            ends["counted"] = time.monotonic()
            counter.stop()

    def session_over(_summary, _finished) -> None:
        ends["engine"] = time.monotonic()

    def maybe_quit() -> None:
        if len(ends) == 2:
            loop.quit()

    counter = QTimer()
    counter.timeout.connect(count_tick)
    counter.timeout.connect(maybe_quit)
    controller.session_ended.connect(session_over)
    controller.session_ended.connect(lambda *_: QTimer.singleShot(0, maybe_quit))
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    guard.start(int((planned_wall + 30) * 1000))
    start = time.monotonic()
    controller.start()
    counter.start(FRAME_MS)
    loop.exec()
    controller.shutdown()
    view.close()
    engine_error = ends.get("engine", float("nan")) - start - planned_wall
    counted_error = ends.get("counted", float("nan")) - start - planned_wall
    return engine_error, counted_error, frames[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="wall time of the session")
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument(
        "--real-time", action="store_true", help="play at real speed for --seconds, then stop"
    )
    args = parser.parse_args()
    scale = MINUTES * 60 / args.seconds
    if args.real_time:
        return real_time_main(args)

    env = dict(os.environ, QT_QPA_PLATFORM=args.platform)
    env.pop("FACEGYM_DATA_DIR", None)
    env.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="facegym-runtime-"))

    # Both children start before this process loads Qt: a child's peak RSS counts the
    # parent's memory it was forked from until it runs its own program.
    bare_wall, bare_cpu, bare_rss, bare_code, _ = run_child(
        [sys.executable, "-c", BARE_WINDOW], env
    )
    import threading

    with tempfile.TemporaryDirectory(prefix="facegym-bench-") as data_dir:
        session_cmd = [
            sys.executable, "-m", "facegym_desktop", "run", ROUTINE,
            "--minutes", f"{MINUTES:g}", "--time-scale", f"{scale:g}",
            "--mute", "--quit-when-done", "--data-dir", data_dir,
        ]  # fmt: skip
        result: dict[str, tuple[float, float, int, int, float | None]] = {}
        settle = min(5.0, args.seconds / 4)
        spawned = threading.Event()
        runner = threading.Thread(
            target=lambda: result.update(
                child=run_child(session_cmd, env, settle=settle, spawned=spawned)
            )
        )
        runner.start()
        spawned.wait()
        from PySide6.QtWidgets import QApplication

        from facegym_desktop.ui.collector import MainThreadCollector

        app = QApplication.instance() or QApplication(sys.argv[:1])
        collector = MainThreadCollector(app)  # as in the app: never on the waiting thread
        # Part 3 runs while the child plays (a light load: one session, offscreen).
        real_engine, real_counted, frames = real_time_end_error(scale, app)
        runner.join()
        collector.stop()
    # Part 2 afterwards, so its busy loop does not compete with the measured child.
    fake = {
        hidden: [fake_clock_end_error(seed, hidden) for seed in range(5)]
        for hidden in (False, True)
    }
    wall, cpu, rss, code, steady = result["child"]

    print(f"session: {ROUTINE} at {MINUTES:g} min, time scale {scale:g} -> {wall:.1f} s wall, "
          f"platform {args.platform}, exit {code}")  # fmt: skip
    print()
    print(f"{'process':28} {'wall':>8} {'cpu':>8} {'cpu share':>10} {'peak RSS':>10}")
    for name, (w, c, r) in (
        ("bare PySide6 window", (bare_wall, bare_cpu, bare_rss)),
        ("facegym run (session)", (wall, cpu, rss)),
    ):
        print(f"{name:28} {w:7.1f}s {c:7.2f}s {c / w * 100:9.1f}% {r / MIB:8.1f}MiB")
    share = cpu / wall * 100
    extra = (rss - bare_rss) / MIB
    print(f"cpu share {share:.1f}% of one core over the whole run, start-up included")
    if steady is not None:
        steady_share = steady * 100
        verdict = "within" if steady_share <= CPU_BUDGET_PERCENT else "OVER"
        print(
            f"cpu share {steady_share:.1f}% once playing, after {settle:g} s "
            f"(budget {CPU_BUDGET_PERCENT:g}%: {verdict})"
        )
    print(f"peak RSS bare + {extra:.1f} MiB, ratio {rss / bare_rss:.2f}x "
          f"(budget bare + 60 MiB: {'within' if extra <= 60 else 'OVER'})")  # fmt: skip
    print()
    print("end-time error, 20-minute session on a fake clock (ms; + is late)")
    print(f"{'ticks':12} {'player worst':>14} {'tick counting worst':>20}")
    for hidden, label in ((False, f"{FRAME_MS} ms"), (True, "250 ms")):
        rows = fake[hidden]
        engine_worst = max(abs(e) for e, _ in rows) * 1000
        counted_worst = max(abs(c) for _, c in rows) * 1000
        print(f"{label:12} {engine_worst:12.0f}ms {counted_worst:18.0f}ms")
    print("budget: within 100 ms of plan")
    print()
    print(f"end-time error, {args.seconds:g}-second real-time session in this process "
          f"({frames} frame ticks; ms of wall time, + is late)")  # fmt: skip
    print(f"{'engine (clock-based)':28} {real_engine * 1000:8.0f}ms")
    print(f"{'tick counting baseline':28} {real_counted * 1000:8.0f}ms")
    return 0 if code == 0 and bare_code == 0 else 1


def real_time_main(args: argparse.Namespace) -> int:
    """CPU share of a session playing at real speed beside a bare window left open."""
    env = dict(os.environ, QT_QPA_PLATFORM=args.platform)
    env.pop("FACEGYM_DATA_DIR", None)
    env.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="facegym-runtime-"))
    settle = 5.0
    bare = run_child(
        [sys.executable, "-c", BARE_WINDOW_OPEN, f"{settle + args.seconds + 1:g}"],
        env, settle=settle, stop_after=args.seconds,
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="facegym-bench-") as data_dir:
        session_cmd = [
            sys.executable, "-m", "facegym_desktop", "run", ROUTINE,
            "--minutes", f"{MINUTES:g}", "--mute", "--data-dir", data_dir,
        ]  # fmt: skip
        session = run_child(session_cmd, env, settle=settle, stop_after=args.seconds)
    print(f"session: {ROUTINE} at {MINUTES:g} min, real time, measured {args.seconds:g} s "
          f"after {settle:g} s of start-up, platform {args.platform}")  # fmt: skip
    print()
    print(f"{'process':28} {'cpu share':>10} {'peak RSS':>10}")
    for name, (_w, _c, rss, _code, steady) in (
        ("bare PySide6 window (open)", bare),
        ("facegym run (session)", session),
    ):
        share = f"{steady * 100:9.2f}%" if steady is not None else "       n/a"
        print(f"{name:28} {share} {rss / MIB:8.1f}MiB")
    steady = session[4]
    if steady is not None:
        verdict = "within" if steady * 100 <= CPU_BUDGET_PERCENT else "OVER"
        print(
            f"cpu share {steady * 100:.2f}% of one core once playing "
            f"(target {CPU_BUDGET_PERCENT:g}%: {verdict})"
        )
    return 0 if bare[3] == 0 and session[3] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
