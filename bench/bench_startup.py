"""Start-up time: ``facegym --smoke`` against a bare PySide6 window, in the same run.

Run: ``.venv/bin/python bench/bench_startup.py [--rounds N] [--platform offscreen|xcb]
[--instructions] [--compare CHECKOUT]``.
Each round starts both as fresh processes, in turn from a different one, and times
from the process start to its exit after the first paint and to the ``ok`` it prints
at the first paint, and takes the CPU time each used.  Prints the medians and the
ratios; the budget (docs/contracts.md, Performance budgets) is 1.5x of the whole run,
start to exit.  On a real screen or Xvfb use ``--platform xcb`` (for example under
``xvfb-run -a``).

``--instructions`` also counts each one's instructions under valgrind, a figure that
other work on the machine leaves alone.  ``--compare CHECKOUT`` (repeatable) also
starts another version's ``--smoke`` (a checkout of this repository, first on
``PYTHONPATH``) in the same rounds and prints its ratios beside this one's: versions
timed together share the machine's moods.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The baseline: QApplication, one QLabel shown, quit after its first paint, print ok.
BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print("ok", flush=True), app.quit()))
            watched.removeEventFilter(self)
        return False

app = QApplication(sys.argv[:1])
label = QLabel("FaceGym")
watcher = FirstPaint()
label.installEventFilter(watcher)
label.resize(1180, 760)
label.show()
app.exec()
"""


def facegym_command() -> list[str]:
    """The installed ``facegym`` entry point, as ./scripts/app.sh runs it."""
    script = Path(sys.executable).with_name("facegym")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "facegym_desktop"]


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds until the program printed ok (its first paint), until it exited, and the
    CPU time (user and system) it used.  CPU time moves less than wall time when other
    work shares the machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    first_line = process.stdout.readline()
    painted = time.perf_counter() - start
    _, stderr = process.communicate(timeout=60)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0 or first_line.strip() != "ok":
        raise SystemExit(f"{' '.join(cmd)} failed ({process.returncode}):\n{stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return painted, elapsed, cpu


def instructions(cmd: list[str], env: dict[str, str]) -> int:
    """How many instructions ``cmd`` executes, counted by valgrind's callgrind.

    Unlike times, the count hardly moves from run to run or with other work on the
    machine, so small differences between versions show.  It leaves out what costs
    time without instructions (waiting for files, the X server, the kernel).  A
    helper process the program forks is reported too; the program is the largest.
    """
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (Debian: apt install valgrind)")
    with tempfile.TemporaryDirectory(prefix="facegym-callgrind-") as out:
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/%p", *cmd],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
        )
    counts = [int(found) for found in re.findall(r"Collected : (\d+)", result.stderr)]
    if result.returncode != 0 or not counts:
        raise SystemExit(f"{' '.join(cmd)} under valgrind failed:\n{result.stderr[-2000:]}")
    return max(counts)


def own_folders(env: dict[str, str], home: Path) -> dict[str, str]:
    """``env`` with the platform's data, config, state and cache folders under ``home``.

    Each version timed gets folders of its own, found through platformdirs as a
    user's would be: versions whose routine files differ would otherwise replace each
    other's parsed-routine cache and each parse the files on every start.
    """
    folders = {
        "XDG_DATA_HOME": "data",
        "XDG_CONFIG_HOME": "config",
        "XDG_STATE_HOME": "state",
        "XDG_CACHE_HOME": "cache",
    }
    return env | {variable: str(home / name) for variable, name in folders.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions each run executes (needs valgrind)",
    )
    parser.add_argument(
        "--compare",
        type=Path,
        action="append",
        default=[],
        help="another checkout, timed in the same rounds (may be given more than once)",
    )
    args = parser.parse_args()

    env = dict(os.environ, QT_QPA_PLATFORM=args.platform)
    env.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="facegym-runtime-"))
    # An installed app has its bytecode cached (pip compiles it, a checkout writes
    # __pycache__ on first run), as PySide6's own modules do: time it that way.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("FACEGYM_DATA_DIR", None)
    with tempfile.TemporaryDirectory(prefix="facegym-bench-") as home:
        smoke = [*facegym_command(), "--smoke"]
        bare = [sys.executable, "-c", BARE_WINDOW]
        runs: list[tuple[str, list[str], dict[str, str]]] = [
            ("bare PySide6 window", bare, env),
            ("facegym --smoke", smoke, own_folders(env, Path(home, "0"))),
        ]
        for number, checkout in enumerate(args.compare, start=1):
            path = os.pathsep.join(filter(None, (str(checkout.resolve()), env.get("PYTHONPATH"))))
            other = own_folders(dict(env, PYTHONPATH=path), Path(home, str(number)))
            runs.append((f"{checkout.name} --smoke", smoke, other))
        # Warm-up: disk caches, bytecode, and the data folder a returning user already has.
        for _, cmd, run_env in runs:
            timed(cmd, run_env)
        times: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _, _ in runs}
        for round_number in range(args.rounds):
            order = runs[round_number % len(runs) :] + runs[: round_number % len(runs)]
            for name, cmd, run_env in order:
                times[name].append(timed(cmd, run_env))
        counted = (
            {name: instructions(cmd, run_env) for name, cmd, run_env in runs}
            if args.instructions
            else {}
        )

    print(f"start-up, {args.rounds} rounds each, platform {args.platform}")
    print(
        f"{'':24} {'to exit: median':>16} {'min':>7} {'max':>7}   {'to first paint':>14}"
        f"   {'CPU time':>8}"
    )
    for name, measured in times.items():
        exits = [t[1] * 1000 for t in measured]
        paints = [t[0] * 1000 for t in measured]
        cpus = [t[2] * 1000 for t in measured]
        print(
            f"{name[:24]:24} {statistics.median(exits):14.0f}ms {min(exits):5.0f}ms "
            f"{max(exits):5.0f}ms   {statistics.median(paints):12.0f}ms"
            f"   {statistics.median(cpus):6.0f}ms"
        )
    bare_times = times[runs[0][0]]
    for name, _, _ in runs[1:]:
        paint_ratio, ratio, cpu_ratio = (
            statistics.median(t[which] for t in times[name])
            / statistics.median(t[which] for t in bare_times)
            for which in (0, 1, 2)
        )
        verdict = "within" if ratio <= 1.5 else "OVER"
        print(f"{name}: ratio {ratio:.2f}x  (budget 1.5x, process start to exit: {verdict})")
        print(f"    to the first paint alone {paint_ratio:.2f}x; CPU time {cpu_ratio:.2f}x")
    if counted:
        bare_count = counted[runs[0][0]]
        print("instructions executed, start to exit (valgrind; the same on every run):")
        for name, count in counted.items():
            print(f"{name[:24]:24} {count / 1e6:10.1f} M   {count / bare_count:.3f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
