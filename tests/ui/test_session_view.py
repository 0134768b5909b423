"""The session screen at several sizes and in both themes: ring first, nothing jumps.

Everything is measured from what is painted (``grab()``) or from where widgets sit.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage

from facegym_desktop.core.library import load_library
from facegym_desktop.core.planner import plan
from facegym_desktop.core.ring_geometry import ring_layout
from facegym_desktop.paths import builtin_routines_dir
from facegym_desktop.ui.session_controller import SessionController
from facegym_desktop.ui.session_view import SessionView
from facegym_desktop.ui.theme import DARK, LIGHT, Theme
from tests.factories import FakeClock

THEMES = pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
ROUTINE = "morning-wake-up"
LAUGH_LINES = {"cheeks": "medium", "nasolabial": "semi-firm"}


def near(colour: QColor, expected: str, tolerance: int = 40) -> bool:
    want = QColor(expected)
    return (
        abs(colour.red() - want.red())
        + abs(colour.green() - want.green())
        + abs(colour.blue() - want.blue())
        <= tolerance
    )


def ink_height(image: QImage, box: QRect, colour: str) -> int:
    """Rows of ``box`` in ``image`` holding pixels of about ``colour``, top to bottom."""
    rows = [
        y
        for y in range(max(0, box.top()), min(image.height(), box.bottom() + 1))
        if any(
            near(image.pixelColor(x, y), colour)
            for x in range(max(0, box.left()), min(image.width(), box.right() + 1))
        )
    ]
    return rows[-1] - rows[0] + 1 if rows else 0


@pytest.fixture
def make_view(qtbot) -> Iterator:
    def make(width: int, height: int, theme: Theme) -> SessionView:
        view = SessionView(theme=theme)
        qtbot.addWidget(view)
        view.resize(width, height)
        view.set_routine("Morning wake-up")
        view.set_time_left("3:32 left")
        view.set_move(
            "Laugh line walk",
            "Fingertips walk outward from the sides of the nose across the laugh lines "
            "in small, steady presses.",
        )
        view.show_guide(LAUGH_LINES, "")
        view.set_caption("Halfway.")
        view.set_next("Next up: Jawline glide · 44 s")
        view.ring.set_pressure_level("semi-firm")
        view.ring.set_fraction(0.4)
        view.ring.set_remaining_seconds(48)
        view.show()
        qtbot.waitExposed(view)
        qtbot.wait(1)  # pending layout requests
        return view

    yield make


@THEMES
@pytest.mark.parametrize(
    ("width", "height", "least_px"),
    [(1024, 600, 60), (1280, 720, 90), (1366, 768, 90), (1920, 1080, 90)],
)
def test_the_countdown_digits_read_from_across_the_room(
    make_view, width: int, height: int, least_px: int, theme: Theme
) -> None:
    view = make_view(width, height, theme)
    ring = view.ring
    layout = ring_layout(ring.width(), ring.height())
    x, y, side, _ = layout.inner_box()
    inside = QRect(round(x), round(y), round(side), round(side))
    digits = ink_height(ring.grab().toImage(), inside, theme.text)
    assert digits >= least_px, (width, height, digits)


@THEMES
@pytest.mark.parametrize(("width", "height"), [(1024, 600), (1366, 768), (1920, 1080)])
def test_the_face_map_is_about_as_large_as_the_ring(
    make_view, width: int, height: int, theme: Theme
) -> None:
    view = make_view(width, height, theme)
    face = view.face_map
    top, bottom = face.map_to_widget((0.5, 0.0)), face.map_to_widget((0.5, 1.0))
    ring_side = min(view.ring.width(), view.ring.height())
    assert bottom.y() - top.y() >= 0.85 * ring_side
    # The chin and laugh-line areas are big enough to see from across the room.
    chin = [face.map_to_widget(p) for p in ((0.42, 0.8), (0.58, 0.8))]
    assert chin[1].x() - chin[0].x() >= 0.04 * width


@THEMES
@pytest.mark.parametrize(("width", "height"), [(1024, 600), (1366, 768), (1920, 1080)])
def test_titles_and_guide_wrap_inside_their_column(
    make_view, width: int, height: int, theme: Theme
) -> None:
    view = make_view(width, height, theme)
    for label in (view.move_label, view.technique_label):
        assert label.height() >= label.heightForWidth(label.width()) - 1
        right = label.mapTo(view, QPoint(label.width(), 0)).x()
        assert right <= view.width()
    ring_right = view.ring.mapTo(view, QPoint(view.ring.width(), 0)).x()
    guide_left = view.guide.mapTo(view, QPoint(0, 0)).x()
    assert guide_left >= ring_right
    assert view.guide.mapTo(view, QPoint(view.guide.width(), 0)).x() <= view.width()


def ring_centre(view: SessionView) -> QPoint:
    return view.ring.mapTo(view, view.ring.rect().center())


@pytest.mark.parametrize(("width", "height"), [(1024, 600), (1366, 768)])
def test_the_ring_stays_put_through_a_whole_routine(qtbot, width: int, height: int) -> None:
    library = load_library(builtin_routines_dir(), Path(tempfile.mkdtemp()) / "none")
    routine = library.routines[ROUTINE]
    clock = FakeClock()
    view = SessionView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    controller = SessionController(
        plan(routine, 5), routine, view, clock=clock, wall_clock=clock.wall_clock
    )
    controller.start()
    qtbot.wait(1)
    centre = ring_centre(view)
    seen = set()
    try:
        while controller.running:
            segment = controller.engine.current
            if id(segment) not in seen:
                seen.add(id(segment))
                qtbot.wait(1)  # let the layout settle after the new texts
                assert ring_centre(view) == centre, segment
            clock.now += 0.5
            controller.tick()
    finally:
        controller.shutdown()
    assert len(seen) > 5


@pytest.mark.parametrize("text", ["Paused · Space to resume", "Press Esc again to stop"])
def test_banners_float_over_the_screen_and_move_nothing(make_view, qtbot, text: str) -> None:
    view = make_view(1024, 600, LIGHT)
    places = {w: w.geometry() for w in (view.ring, view.face_map, view.guide, view.caption)}
    view.set_banner(text)
    qtbot.wait(1)
    assert view.banner.isVisible()
    assert view.rect().contains(view.banner.geometry())
    assert {w: w.geometry() for w in places} == places
    # Drawn on top: inside its padding, the banner shows, not what is under it.
    box = view.banner.geometry()
    inside = QPoint(box.left() + 4, box.center().y())
    assert near(view.grab().toImage().pixelColor(inside), LIGHT.caution_background, 10)
    view.set_banner("")
    qtbot.wait(1)
    assert not view.banner.isVisible()
    assert {w: w.geometry() for w in places} == places


def test_a_caption_longer_than_the_banner_never_shows_at_its_ends(make_view, qtbot) -> None:
    view = make_view(1280, 720, LIGHT)
    view.set_caption("Fingers flat at the centre of the forehead, then sweep slowly outward.")
    qtbot.wait(1)
    caption_box = view.caption.geometry()
    view.set_banner("Paused. Press Space to go on.")
    qtbot.wait(1)
    assert view.banner.width() < caption_box.width()  # the caption is the wider
    assert not view.caption.isVisible()
    # Beside the banner, on the caption's row: only the background is drawn.
    image = view.grab().toImage()
    row = view.banner.geometry().center().y()
    for x in range(caption_box.left(), view.banner.geometry().left() - 2, 3):
        assert near(image.pixelColor(QPoint(x, row)), LIGHT.background, 10), x
    assert view.caption.geometry() == caption_box
    view.set_banner("")
    qtbot.wait(1)
    assert view.caption.isVisible() and view.caption.geometry() == caption_box
