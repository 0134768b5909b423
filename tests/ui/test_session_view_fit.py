"""The longest move name the built-in library can show, done on each side in turn,
fits the text column: the name, the pressure guide and the ring never overlap, and
no text of the guide is cut.  Measured from where widgets sit in the window."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QWidget

from facegym_desktop.core.library import load_library
from facegym_desktop.core.planner import SegmentKind, plan
from facegym_desktop.core.routine import Move, Step
from facegym_desktop.paths import builtin_routines_dir
from facegym_desktop.ui.pressure_guide import PressureScale
from facegym_desktop.ui.session_controller import SessionController
from facegym_desktop.ui.session_view import SessionView
from facegym_desktop.ui.theme import LIGHT
from tests.factories import FakeClock, routine_of

SIZES = [(1100, 700), (1280, 720), (1024, 600), (1920, 1080)]


def widest_named_move() -> Move:
    """The built-in move whose name is widest in the session title's largest font."""
    library = load_library(builtin_routines_dir(), Path(tempfile.mkdtemp()) / "none")
    metrics = QFontMetrics(LIGHT.font(LIGHT.label_px + 12, bold=True))
    return max(library.moves.values(), key=lambda move: metrics.horizontalAdvance(move.name))


def in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def guide_parts(view: SessionView) -> list[QWidget]:
    """The guide's visible labels and scales: its rows and caution lines."""
    found: list[QWidget] = [
        *view.guide.findChildren(QLabel),
        *view.guide.findChildren(PressureScale),
    ]
    return [w for w in found if w.isVisibleTo(view)]


def play_to_right_side(view: SessionView, move: Move) -> SessionController:
    """A session of ``move`` done on each side in turn, played into its right side."""
    routine = replace(routine_of(move, minutes=(0.5, 1, 2)), steps=(Step(move, sides="each"),))
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
    view.set_move("Gua sha jawline · left side " * 2, "Glide.")
    title = view.move_label
    assert title.font().pixelSize() < largest
    assert title.height() == title.heightForWidth(title.width())
    assert len(title.shown_lines(title.width())) == title.max_lines == 2
    assert title.shown_lines(title.width())[-1].endswith("…")
    assert title.toolTip() == title.text()
