"""Time per countdown-ring frame against painting an empty widget of the same size.

Run: ``.venv/bin/python bench/bench_ring.py [--frames N] [--size PX]``.
Prints a table; the budget (docs/contracts.md, Performance budgets) is under 1 ms per
frame.  Offscreen by default.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QImage, QPainter, QPaintEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from facegym_desktop.ui.countdown_ring import CountdownRing  # noqa: E402


class EmptyWidget(QWidget):
    """Baseline: a paint event that only fills the background."""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        painter.end()


def time_frames(widget: QWidget, frames: int, before_frame) -> list[float]:
    """Seconds per frame: each frame renders the widget into an image, as a repaint would."""
    image = QImage(widget.size(), QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for frame in range(frames):
        before_frame(frame)
        start = time.perf_counter()
        widget.render(image)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--size", type=int, default=420, help="widget side in pixels")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)

    empty = EmptyWidget()
    empty.resize(args.size, args.size)
    ring = CountdownRing()
    ring.resize(args.size, args.size)
    ring.set_pressure_level("medium")
    ring.set_reps(3, 10)
    ring.set_session_progress(0.4)

    def advance(frame: int) -> None:
        # A 60-second move at 60 frames per second, with a tempo pulse of 1 s.
        t = frame / 60.0
        ring.set_fraction(1.0 - (t % 60.0) / 60.0)
        ring.set_remaining_seconds(60.0 - (t % 60.0))
        ring.set_tempo_phase(t % 1.0)

    # Warm-up: fonts, glyph caches and the paint engine.
    time_frames(empty, 50, lambda _frame: None)
    time_frames(ring, 50, advance)
    baseline = time_frames(empty, args.frames, lambda _frame: None)
    frames = time_frames(ring, args.frames, advance)
    app.processEvents()

    def row(name: str, values: list[float]) -> str:
        ms = [v * 1000 for v in values]
        p95 = sorted(ms)[int(len(ms) * 0.95) - 1]
        return f"{name:<24}{statistics.median(ms):>10.3f}{p95:>10.3f}{max(ms):>10.3f}"

    print(f"ring frame, {args.size}x{args.size} px, {args.frames} frames (ms)")
    print(f"{'':<24}{'median':>10}{'p95':>10}{'max':>10}")
    print(row("empty widget (baseline)", baseline))
    print(row("countdown ring", frames))
    ratio = statistics.median(frames) / max(statistics.median(baseline), 1e-9)
    print(f"ratio ring / baseline (median): {ratio:.1f}x")
    verdict = "within" if statistics.median(frames) < 0.001 else "OVER"
    print(f"budget: under 1 ms per frame -> {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
