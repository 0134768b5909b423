"""Every built-in move fits the text column at every supported size and in both
themes: the name, the technique, the pressure guide and the ring never overlap, no
text of the guide is cut or squashed, and the longest name, done on each side in
turn, keeps its place.  Measured from where widgets sit in the window."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QWidget

from facegym_desktop.core.library import load_library
from facegym_desktop.core.planner import SegmentKind, plan
from facegym_desktop.core.routine import Move, Routine, Step
from facegym_desktop.paths import builtin_routines_dir
from facegym_desktop.ui.pressure_guide import PressureScale
from facegym_desktop.ui.session_controller import SessionController
from facegym_desktop.ui.session_view import SessionView
from facegym_desktop.ui.theme import DARK, LIGHT, Theme
from tests.factories import FakeClock, routine_of

SIZES = [(1100, 700), (1280, 720), (1024, 600), (1920, 1080)]


def builtin_moves() -> list[Move]:
    library = load_library(builtin_routines_dir(), Path(tempfile.mkdtemp()) / "none")
    return list(library.moves.values())


def widest_named_move() -> Move:
    """The built-in move whose name is widest in the session title's largest font."""
    metrics = QFontMetrics(LIGHT.font(LIGHT.label_px + 12, bold=True))
    return max(builtin_moves(), key=lambda move: metrics.horizontalAdvance(move.name))


def in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def guide_parts(view: SessionView) -> list[QWidget]:
    """The guide's visible labels and scales: its rows and caution lines."""
    found: list[QWidget] = [
        *view.guide.findChildren(QLabel),
        *view.guide.findChildren(PressureScale),
    ]
    return [w for w in found if w.isVisibleTo(view)]


def describe(part: QWidget) -> str:
    return part.text() if isinstance(part, QLabel) else part.accessibleName()


def fit_problems(view: SessionView) -> list[str]:
    """What is wrong with the text column as placed now: parts of the guide that
    overlap each other, the name, the technique or the ring, are cut by the column's
    edge or covered, or have less height than their text needs."""
    problems = []
    if not view.text_column.fit.fits:
        problems.append("the column's fit says it does not fit")
    column = in_window(view.text_column, view)
    title = view.move_label
    title_box, ring_box = in_window(title, view), in_window(view.ring, view)
    if not column.contains(title_box) or title_box.intersects(ring_box):
        problems.append(f"the name {title_box} leaves its column {column}")
    if title.height() < title.heightForWidth(title.width()):
        problems.append("the name is squashed")
    above = [title_box]
    technique = view.technique_label
    if technique.isVisibleTo(view):
        above.append(in_window(technique, view))
        if technique.height() < technique.heightForWidth(technique.width()):
            problems.append("the technique is squashed")
    parts = guide_parts(view)
    if not any(isinstance(part, PressureScale) for part in parts):
        problems.append("no pressure scale shows")
    boxes = [(describe(part), in_window(part, view), part) for part in parts]
    cautions = in_window(view.guide.cautions, view)
    for index, (label, box, part) in enumerate(boxes):
        if any(box.intersects(other) for other in (*above, ring_box)):
            problems.append(f"{label!r} overlaps the name, technique or ring")
        if not column.contains(box) or part.visibleRegion().boundingRect() != part.rect():
            problems.append(f"{label!r} is cut: {box} in {column}")
        if isinstance(part, QLabel):
            metrics = part.fontMetrics()
            needed = (
                part.heightForWidth(part.width()) if part.wordWrap() else metrics.height()
            )
            if part.height() < needed:
                problems.append(f"{label!r} is squashed: {part.height()} < {needed}")
            if not part.wordWrap() and part.width() < metrics.horizontalAdvance(part.text()):
                problems.append(f"{label!r} is cut short")
            if part.font().pixelSize() < view.guide.theme.body_px:
                problems.append(f"{label!r} is smaller than the text read across the room")
            if part.accessibleName().startswith("Caution") and not cautions.contains(box):
                problems.append(f"{label!r} is outside the caution panel")
        for other_label, other, _ in boxes[index + 1 :]:
            if box.intersects(other):
                problems.append(f"{label!r} overlaps {other_label!r}")
    return problems


def play_to_first_move(view: SessionView, routine: Routine) -> SessionController:
    """A session of ``routine`` played into its first move."""
    clock = FakeClock()
    controller = SessionController(
        plan(routine, 1), routine, view, clock=clock, wall_clock=clock.wall_clock
    )
    controller.start()
    while controller.running and controller.engine.current.kind is not SegmentKind.MOVE:
        clock.now += 0.5
        controller.tick()
    return controller


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize(
    ("width", "height"),
    [(1024, 600), (1100, 700), (1280, 720), (1366, 768), (1920, 1080)],
    ids=lambda v: str(v),
)
def test_every_builtin_move_fits_the_text_column(
    qtbot, width: int, height: int, theme: Theme
) -> None:
    view = SessionView(theme=theme)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    problems: dict[str, list[str]] = {}
    moves = builtin_moves()
    for move in moves:
        controller = play_to_first_move(view, routine_of(move, minutes=(0.5, 1, 2)))
        try:
            qtbot.wait(1)  # pending layout requests
            assert view.move_label.text().startswith(move.name)
            found = fit_problems(view)
            # What the voice says as the move's caution is also on the screen.
            if move.caution and move.caution not in view.guide.caution_lines():
                found.append("the spoken caution is not shown")
            if found:
                problems[move.id] = found
        finally:
            controller.shutdown()
    assert len(moves) >= 20
    assert problems == {}


def play_to_right_side(view: SessionView, move: Move) -> SessionController:
    """A session of ``move`` done on each side in turn, played into its right side."""
    routine = routine_of(move, minutes=(0.5, 1, 2))._replace(steps=(Step(move, sides="each"),))
    clock = FakeClock()
    controller = SessionController(
        plan(routine, 1), routine, view, clock=clock, wall_clock=clock.wall_clock
    )
    controller.start()
    while controller.running:
        segment = controller.engine.current
        if segment.kind is SegmentKind.MOVE and segment.side == "right":
            return controller
        clock.now += 0.5
        controller.tick()
    raise AssertionError(f"{move.id} never reached its right side")


@pytest.mark.parametrize(("width", "height"), SIZES, ids=lambda v: str(v))
def test_the_longest_title_leaves_the_guide_and_the_ring_in_place(
    qtbot, width: int, height: int
) -> None:
    move = widest_named_move()
    view = SessionView(theme=LIGHT)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    controller = play_to_right_side(view, move)
    try:
        qtbot.wait(1)  # pending layout requests
        title = view.move_label
        assert title.text() == f"{move.name} · right side"
        # Shown whole, on at most its lines, no smaller than the text read across the room.
        assert title.lines_needed(title.width()) <= title.max_lines
        assert title.height() >= title.heightForWidth(title.width())
        assert title.font().pixelSize() >= view.guide.theme.body_px
        column = in_window(view.text_column, view)
        title_box, ring_box = in_window(title, view), in_window(view.ring, view)
        assert column.contains(title_box) and not ring_box.intersects(title_box)
        parts = guide_parts(view)
        assert any(isinstance(part, PressureScale) for part in parts)
        for part in parts:
            box = in_window(part, view)
            label = part.text() if isinstance(part, QLabel) else part.accessibleName()
            assert not box.intersects(title_box), (label, box, title_box)
            assert not box.intersects(ring_box), (label, box, ring_box)
            assert column.contains(box), (label, box, column)
            # Nothing of it is covered or cut off by the column's edge.
            assert part.visibleRegion().boundingRect() == part.rect(), label
            if isinstance(part, QLabel) and part.wordWrap():
                assert part.height() >= part.heightForWidth(part.width()), label
        if view.technique_label.isVisible():
            technique = in_window(view.technique_label, view)
            assert technique.bottom() < min(in_window(p, view).top() for p in parts)
    finally:
        controller.shutdown()


def test_a_title_that_wraps_keeps_to_two_lines_at_a_smaller_size(qtbot) -> None:
    view = SessionView(theme=LIGHT)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    view.show_guide({"jawline": "medium", "chin": "light"}, "")
    view.set_move("Jaw", "Glide.")
    largest = view.move_label.font().pixelSize()
    view.set_move("Gua sha jawline · left side " * 3, "Glide.")
    title = view.move_label
    assert title.font().pixelSize() < largest
    assert title.height() == title.heightForWidth(title.width())
    assert len(title.shown_lines(title.width())) == title.max_lines == 2
    assert title.shown_lines(title.width())[-1].endswith("…")
    assert title.toolTip() == title.text()
