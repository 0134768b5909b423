"""History benchmarks: stats and the history window with 20 years of daily use.

Budgets (docs/contracts.md, Performance budgets): stats for 15,000 sessions under
50 ms; the history window open (first paint with the data) under 300 ms; no UI-thread
gap over 50 ms while loading.
Each figure is printed beside a baseline measured in the same run.

    .venv/bin/python bench/bench_history.py              # the table
    .venv/bin/python bench/bench_history.py --screenshots docs/screenshots

Runs offscreen unless DISPLAY is set (or QT_QPA_PLATFORM says otherwise).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facegym_desktop.core.history import HistoryStore, MoveRecord, NewSession  # noqa: E402

TODAY = date(2026, 11, 19)
HOME = ZoneInfo("Europe/Berlin")
AWAY = (ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo"), ZoneInfo("Europe/Lisbon"))

DAILY_MOVES = (
    ("chin-flicks", ("chin",), 40),
    ("laugh-line-walk", ("nasolabial",), 45),
    ("jawline-glide", ("jawline", "chin"), 60),
    ("brow-pinch-lift", ("brows",), 45),
    ("pressure-points", ("mouth", "cheeks", "brows", "temples"), 50),
    ("lymph-sweep", ("neck", "under-eyes", "cheeks"), 60),
)
EXTENDED_MOVES = DAILY_MOVES + (
    ("platysma-stretch", ("neck", "jawline"), 120),
    ("frontalis-lift", ("forehead",), 120),
    ("gua-sha-glide", ("cheeks", "jawline", "neck", "forehead"), 240),
    ("roller-strokes", ("cheeks", "forehead", "jawline"), 180),
)


def generate(days: int, today: date = TODAY, seed: int = 7) -> Iterator[NewSession]:
    """A plausible history: mornings most days, evenings often, a long session every
    3-4 days, holidays with gaps, and the odd trip abroad (other UTC offsets)."""
    rng = random.Random(seed)
    first = today - timedelta(days=days - 1)
    next_extended = first + timedelta(days=2)
    trip_until = first - timedelta(days=1)
    zone = HOME
    skip_until = first - timedelta(days=1)
    for index in range(days):
        day = first + timedelta(days=index)
        if day > trip_until:
            zone = HOME
            if rng.random() < 0.01:
                trip_until = day + timedelta(days=rng.randint(3, 12))
                zone = rng.choice(AWAY)
        if day <= skip_until:
            continue
        if rng.random() < 0.008:
            skip_until = day + timedelta(days=rng.randint(1, 6))
            continue
        slots = []
        if rng.random() < 0.96:
            slots.append(("morning-glow", "Morning glow", "daily", 300, 7, 15))
        if rng.random() < 0.9:
            slots.append(("evening-unwind", "Evening unwind", "daily", 300, 20, 23))
        if day >= next_extended and rng.random() < 0.85:
            slots.append(("sunday-sculpt", "Deep sculpt", "extended", 1080, 17, 20))
            next_extended = day + timedelta(days=rng.choice((3, 4)))
        for routine_id, name, kind, planned, low_hour, high_hour in slots:
            local = datetime(
                day.year,
                day.month,
                day.day,
                rng.randint(low_hour, high_hour),
                rng.randint(0, 59),
                tzinfo=zone,
            )
            started = local.astimezone(timezone(local.utcoffset() or timedelta()))
            pool = EXTENDED_MOVES if kind == "extended" else DAILY_MOVES
            roll = rng.random()
            status = "completed" if roll < 0.9 else "partial" if roll < 0.97 else "interrupted"
            count = len(pool) if status == "completed" else rng.randint(1, len(pool) - 1)
            moves = tuple(MoveRecord(m, a, s) for m, a, s in pool[:count])
            active = sum(move.seconds for move in moves)
            yield NewSession(
                started_at=started,
                ended_at=started + timedelta(seconds=active + 20),
                routine_id=routine_id,
                routine_name=name,
                planned_seconds=planned,
                active_seconds=active,
                status=status,
                moves_completed=count,
                moves_total=len(pool),
                routine_kind=kind,
                moves=moves,
            )


def fill(folder: Path, days: int, today: date = TODAY) -> HistoryStore:
    store = HistoryStore.open(
        folder / "history.sqlite3",
        folder / "backups",
        now=lambda: datetime(today.year, today.month, today.day, 9, 0, tzinfo=UTC),
    )
    store.record_sessions(generate(days, today))
    return store


def median_ms(function: Callable[[], object], repeats: int = 15) -> float:
    function()  # warm caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bench_stats(store: HistoryStore) -> list[tuple[str, float, str]]:
    count = store.session_count()
    floats = [300.0] * count
    # The baselines read the same file through a connection of their own.
    raw = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    baseline_count = median_ms(
        lambda: raw.execute("SELECT count(*) FROM sessions").fetchall()
    )
    baseline_sum = median_ms(lambda: sum(floats))
    # Reading each session's date and minutes once: the least any stats could do.
    baseline_scan = median_ms(
        lambda: raw.execute("SELECT local_date, status, active_seconds FROM sessions").fetchall()
    )
    raw.close()
    stats_ms = median_ms(lambda: store.stats(TODAY))
    overview_ms = median_ms(lambda: store.overview(TODAY), repeats=7)
    return [
        (f"baseline: SELECT count(*) over {count} sessions", baseline_count, ""),
        (f"baseline: sum() of {count} floats", baseline_sum, ""),
        ("baseline: read date, status, seconds of all", baseline_scan, ""),
        (
            "store.stats(today)",
            stats_ms,
            f"{stats_ms / baseline_scan:.1f}x the read; budget 50 ms: "
            + ("ok" if stats_ms < 50 else "OVER"),
        ),
        (
            "store.overview(today) (window data, worker)",
            overview_ms,
            f"{overview_ms / baseline_scan:.1f}x the read",
        ),
    ]


def _app():  # type: ignore[no-untyped-def]
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from facegym_desktop.ui.collector import MainThreadCollector

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        # As in the app: cycles holding Qt objects are collected on this thread, never
        # on the history worker's (where freeing a window crashes the process).
        MainThreadCollector(app)
    return app


def _wait_loaded(window, timeout_ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Block in Qt's event loop (GIL released while idle) until the window has data."""
    from PySide6.QtCore import QEventLoop, QTimer

    if window.overview is not None:
        return
    loop = QEventLoop()
    guard = QTimer(window)
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    window.loaded.connect(loop.quit)
    guard.start(timeout_ms)
    loop.exec()
    guard.stop()
    if window.overview is None:
        raise TimeoutError("the history window did not load in time")


def bench_window(store: HistoryStore) -> list[tuple[str, float, str]]:
    app = _app()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QLabel, QWidget

    from facegym_desktop.ui.history_bridge import HistoryBridge
    from facegym_desktop.ui.history_window import HistoryWindow

    # Baseline: a bare window with one label, shown and painted.
    start = time.perf_counter()
    bare = QWidget()
    QLabel("baseline", bare)
    bare.resize(1180, 960)
    bare.show()
    bare.repaint()
    app.processEvents()
    baseline_ms = (time.perf_counter() - start) * 1000
    bare.close()

    bridge = HistoryBridge(store)
    results = []
    for _attempt in range(3):
        ticks: list[float] = []
        holder = QWidget()
        timer = QTimer(holder)
        timer.setInterval(5)
        timer.timeout.connect(lambda ticks=ticks: ticks.append(time.perf_counter()))
        timer.start()
        start = time.perf_counter()
        ticks.append(start)
        window = HistoryWindow(bridge, today=TODAY)
        window.show()
        _wait_loaded(window)
        window.repaint()
        opened_ms = (time.perf_counter() - start) * 1000
        ticks.append(time.perf_counter())
        timer.stop()
        gaps = [(b - a) * 1000 for a, b in zip(ticks, ticks[1:], strict=False)]
        results.append((opened_ms, max(gaps, default=0.0)))
        window.close()
        window.deleteLater()
        holder.deleteLater()
        app.processEvents()
    bridge.close()
    opened = statistics.median(r[0] for r in results)
    gap = statistics.median(r[1] for r in results)
    return [
        ("baseline: bare window shown and painted", baseline_ms, ""),
        (
            "history window open (data on screen)",
            opened,
            f"{opened / max(baseline_ms, 0.001):.1f}x baseline; budget 300 ms: "
            + ("ok" if opened < 300 else "OVER"),
        ),
        (
            "longest UI-thread gap while opening",
            gap,
            "budget 50 ms: " + ("ok" if gap < 50 else "OVER"),
        ),
    ]


def screenshots(folder: Path) -> None:
    """The history window with a year of generated data, light and dark."""
    app = _app()
    from PySide6.QtCore import Qt

    from facegym_desktop.ui.history_bridge import HistoryBridge
    from facegym_desktop.ui.history_window import HistoryWindow
    from facegym_desktop.ui.theme import DARK, LIGHT

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        store = fill(Path(temp), 365)
        bridge = HistoryBridge(store)
        for name, theme in (("history.png", LIGHT), ("history-dark.png", DARK)):
            window = HistoryWindow(bridge, today=TODAY, theme=theme)
            window.resize(1180, 960)
            window.show()
            _wait_loaded(window)
            window.heatmap.setFocus(Qt.FocusReason.TabFocusReason)
            app.processEvents()
            window.grab().save(str(folder / name))
            print(f"wrote {folder / name}")
            window.close()
        bridge.close()
        store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=20 * 365, help="days of generated data")
    parser.add_argument("--screenshots", metavar="DIR", type=Path)
    args = parser.parse_args()
    if args.screenshots:
        screenshots(args.screenshots)
        return 0
    with tempfile.TemporaryDirectory() as temp:
        start = time.perf_counter()
        store = fill(Path(temp), args.days)
        filled_s = time.perf_counter() - start
        rows = bench_stats(store) + bench_window(store)
        store.close()
    print(f"history benchmark: {args.days} days generated in {filled_s:.1f} s")
    width = max(len(name) for name, _, _ in rows)
    print(f"{'measure':<{width}}  {'ms':>9}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:9.2f}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
