"""Time per face-map animation frame with the still-picture cache against a full redraw.

Run: ``.venv/bin/python bench/bench_face_map.py [--frames N] [--width 420] [--height 520]``.

Each frame advances the animation clock by 1/30 s (the session player's rate) and then
paints.  Three ways of painting the same frames, in the same run:

- full redraw (baseline): the face, shading, lit areas and stroke lines are painted
  again every frame, then the markers, over the whole widget;
- cached, whole widget: one blit of the cached still picture plus the markers;
- cached, marker region: only the region ``set_animation_time`` asks to repaint (the
  markers' old and new rectangles), which is what Qt repaints in the running app.

The move is the built-in move with the most strokes, both sides, its areas lit.
Prints a table and the ratio of medians; offscreen by default.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QPoint  # noqa: E402
from PySide6.QtGui import QImage, QRegion  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from facegym_desktop.core.library import load_library  # noqa: E402
from facegym_desktop.paths import builtin_routines_dir  # noqa: E402
from facegym_desktop.ui.face_map import FaceMapWidget  # noqa: E402

FRAME_SECONDS = 1 / 30


def make_map(width: int, height: int, cached: bool) -> FaceMapWidget:
    moves = load_library(builtin_routines_dir()).moves.values()
    move = max(moves, key=lambda move: (len(move.strokes), move.id))
    face = FaceMapWidget(cache_still_picture=cached)
    face.resize(width, height)
    face.set_active_areas(dict(move.pressure))
    face.set_strokes(move.strokes)
    return face


def time_frames(face: FaceMapWidget, frames: int, partial: bool) -> list[float]:
    """Seconds per frame: set the animation time, then render what would be repainted."""
    image = QImage(face.size(), QImage.Format.Format_ARGB32_Premultiplied)
    face.render(image)
    asked: list[QRegion] = []

    def record(*args: object) -> None:
        region = args[0] if args else None
        asked.append(region if isinstance(region, QRegion) else QRegion(face.rect()))

    face.update = record  # type: ignore[method-assign]  # stands in for Qt's repaint queue
    times = []
    for frame in range(frames):
        start = time.perf_counter()
        face.set_animation_time(frame * FRAME_SECONDS)
        if partial:
            for region in asked:
                face.render(image, region.boundingRect().topLeft(), region)
        elif asked:
            face.render(image, QPoint())
        asked.clear()
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=600)
    parser.add_argument("--width", type=int, default=420)
    parser.add_argument("--height", type=int, default=520)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)

    runs: dict[str, Callable[[int], list[float]]] = {
        "full redraw (baseline)": lambda n: time_frames(
            make_map(args.width, args.height, cached=False), n, partial=False
        ),
        "cached, whole widget": lambda n: time_frames(
            make_map(args.width, args.height, cached=True), n, partial=False
        ),
        "cached, marker region": lambda n: time_frames(
            make_map(args.width, args.height, cached=True), n, partial=True
        ),
    }
    for run in runs.values():  # warm-up: paint engine, glyph and path caches
        run(60)
    results = {name: run(args.frames) for name, run in runs.items()}
    app.processEvents()

    def row(name: str, values: list[float]) -> str:
        ms = sorted(v * 1000 for v in values)
        p95 = ms[int(len(ms) * 0.95) - 1]
        return f"{name:<26}{statistics.median(ms):>10.3f}{p95:>10.3f}{ms[-1]:>10.3f}"

    print(
        f"face map animation frame, {args.width}x{args.height} px, "
        f"{args.frames} frames at 30 fps (ms, set_animation_time + paint)"
    )
    print(f"{'':<26}{'median':>10}{'p95':>10}{'max':>10}")
    for name, values in results.items():
        print(row(name, values))
    baseline = statistics.median(results["full redraw (baseline)"])
    for name in ("cached, whole widget", "cached, marker region"):
        ratio = baseline / max(statistics.median(results[name]), 1e-9)
        print(f"ratio full redraw / {name} (median): {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
