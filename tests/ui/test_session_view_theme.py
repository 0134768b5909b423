"""Every screen widget follows a theme switch: each visible label's text stays readable
(WCAG 4.5:1) against what is actually painted behind it, light -> dark -> light."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QWidget

from facegym_desktop.core.contrast import MIN_TEXT_CONTRAST, RGB, contrast_ratio
from facegym_desktop.ui.finish_view import FinishView
from facegym_desktop.ui.pressure_guide import PressureGuide
from facegym_desktop.ui.session_view import SessionView
from facegym_desktop.ui.theme import DARK, LIGHT

SIZES = [(1024, 600), (1366, 768)]
SWITCHES = [LIGHT, DARK, LIGHT]
# Under-eyes brings an area caution line; the move brings its own.
PRESSURE = {"under-eyes": "feather", "cheeks": "medium"}


def label_contrast(top: QWidget, label: QLabel) -> tuple[float, RGB, RGB]:
    """(contrast, text, background) of ``label`` as painted in ``top``'s grab.

    The background is the commonest colour in the label's box; the text colour is the
    painted colour that differs most from it (the core of the glyphs).
    """
    image = top.grab().toImage()
    box = QRect(label.mapTo(top, QPoint(0, 0)), label.size()).intersected(image.rect())
    colours: Counter[RGB] = Counter()
    for y in range(box.top(), box.bottom() + 1):
        for x in range(box.left(), box.right() + 1):
            colour = image.pixelColor(x, y)
            colours[(colour.red(), colour.green(), colour.blue())] += 1
    background = colours.most_common(1)[0][0]
    text = max(colours, key=lambda rgb: contrast_ratio(rgb, background))
    return contrast_ratio(text, background), text, background


def readable_everywhere(top: QWidget, skip: tuple[QWidget, ...] = ()) -> list[str]:
    """Labels of ``top`` that show text below the WCAG minimum, described."""
    problems = []
    labels = [label for label in top.findChildren(QLabel) if label not in skip]
    shown = [label for label in labels if label.isVisibleTo(top) and label.text().strip()]
    assert shown, "no labels to check"
    for label in shown:
        ratio, text, background = label_contrast(top, label)
        if ratio < MIN_TEXT_CONTRAST:
            problems.append(f"{label.accessibleName() or label.text()!r}: {ratio:.2f} "
                            f"(text {text} on {background})")  # fmt: skip
    return problems


def session_view(qtbot, width: int, height: int) -> SessionView:
    view = SessionView(theme=LIGHT)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.set_routine("Morning wake-up")
    view.set_time_left("3:32 left")
    view.set_move("Eye soother", "Ring fingers rest under the eyes and glide outward.")
    view.show_guide(PRESSURE, "Stop if the skin feels sore.")
    view.set_caption("Breathe out slowly.")
    view.set_next("Next up: Jawline glide · 44 s")
    view.set_notice("Voice off: muted")
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_session_labels_stay_readable_through_theme_switches(qtbot, width, height) -> None:
    view = session_view(qtbot, width, height)
    for theme in SWITCHES:
        view.set_theme(theme)
        qtbot.wait(1)
        assert readable_everywhere(view) == [], theme.name


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_checklist_and_banner_stay_readable_through_theme_switches(qtbot, width, height) -> None:
    view = session_view(qtbot, width, height)
    view.show_checklist(["Clean hands", "A little oil or serum", "Hair off the face"])
    for theme in SWITCHES:
        view.set_theme(theme)
        view.set_banner("Paused · Space to resume")
        qtbot.wait(1)
        # The caption is covered by the banner while it shows.
        assert readable_everywhere(view, skip=(view.caption,)) == [], theme.name
        view.set_banner("")


def test_a_theme_switch_mid_move_repaints_the_pressure_guide(qtbot) -> None:
    view = session_view(qtbot, 1366, 768)
    guide = view.guide
    for theme in SWITCHES:
        view.set_theme(theme)
        qtbot.wait(1)
        assert readable_everywhere(guide) == [], theme.name
        image = view.grab().toImage()
        corner = guide.mapTo(view, QPoint(guide.width() - 2, guide.height() - 2))
        assert image.pixelColor(corner).name() == theme.background


def test_a_pressure_guide_on_its_own_follows_the_theme(qtbot) -> None:
    guide = PressureGuide(theme=LIGHT)
    qtbot.addWidget(guide)
    guide.resize(360, 420)
    guide.set_pressure(PRESSURE)
    guide.set_caution("Stop if the skin feels sore.")
    guide.show()
    qtbot.waitExposed(guide)
    for theme in SWITCHES:
        guide.set_theme(theme)
        qtbot.wait(1)
        assert readable_everywhere(guide) == [], theme.name


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_finish_labels_stay_readable_through_theme_switches(qtbot, width, height) -> None:
    view = FinishView(theme=LIGHT)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show_result("Well done", "Morning wake-up · 5 min")
    view.set_streak("3 days in a row")
    view.set_saved("Saved")
    view.show()
    qtbot.waitExposed(view)
    for theme in SWITCHES:
        view.set_theme(theme)
        qtbot.wait(1)
        assert readable_everywhere(view) == [], theme.name
