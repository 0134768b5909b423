"""The pressure guide shows the right level, words and cautions for a move."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from facegym_desktop.core.vocabulary import PRESSURE_BY_ID
from facegym_desktop.ui.pressure_guide import PressureGuide, PressureScale
from facegym_desktop.ui.theme import DARK, LIGHT

# The jawline glide from docs/routine-format.md.
JAWLINE_GLIDE = {"jawline": "firm", "chin": "medium"}


@pytest.fixture
def guide(qtbot) -> PressureGuide:
    widget = PressureGuide(theme=LIGHT)
    qtbot.addWidget(widget)
    widget.resize(560, 600)
    return widget


def visible_texts(widget: PressureGuide) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


def test_rows_follow_the_move_top_of_the_face_down(guide: PressureGuide) -> None:
    guide.set_pressure(JAWLINE_GLIDE)
    rows = guide.rows()
    assert [(row.area_id, row.level_id, row.rank) for row in rows] == [
        ("chin", "medium", 3),
        ("jawline", "firm", 5),
    ]
    texts = visible_texts(guide)
    for expected in ("Chin", "Medium", PRESSURE_BY_ID["medium"].feel, "Jawline", "Firm"):
        assert expected in texts
    assert PRESSURE_BY_ID["firm"].feel in texts
    assert guide.caution_lines() == ()


def test_scales_fill_as_many_pips_as_the_level(guide: PressureGuide) -> None:
    guide.set_pressure({"cheeks": "medium", "under-eyes": "feather"})
    scales = {scale.level: scale for scale in guide.findChildren(PressureScale)}
    assert scales["medium"].filled == 3
    assert scales["feather"].filled == 1
    scale = scales["medium"]
    image = scale.grab().toImage()
    colours = [image.pixelColor(rect.center().toPoint()) for rect in scale.pip_rects()]
    medium = QColor(LIGHT.pressure["medium"])
    empty = QColor(LIGHT.pip_empty)
    assert [c == medium for c in colours] == [True, True, True, False, False]
    assert [c == empty for c in colours] == [False, False, False, True, True]
    assert scale.accessibleName() == "Medium pressure, 3 of 5"


def test_under_eyes_get_a_caution_line(guide: PressureGuide) -> None:
    guide.set_pressure({"under-eyes": "feather", "temples": "light"})
    (line,) = guide.caution_lines()
    assert line.startswith("Under-eyes")
    assert "never drag" in line
    assert line in visible_texts(guide)
    guide.set_pressure({"temples": "light"})
    assert guide.caution_lines() == ()
    assert not any("never drag" in text for text in visible_texts(guide))


def test_move_caution_is_shown_after_area_cautions(guide: PressureGuide) -> None:
    guide.set_pressure({"under-eyes": "light"})
    guide.set_caution("Keep the ring finger soft.")
    lines = guide.caution_lines()
    assert len(lines) == 2 and lines[1] == "Keep the ring finger soft."
    assert "Keep the ring finger soft." in visible_texts(guide)
    guide.set_caution("")
    assert len(guide.caution_lines()) == 1
    guide.set_caution(None)
    assert len(guide.caution_lines()) == 1


def test_changing_the_move_replaces_the_rows(guide: PressureGuide) -> None:
    guide.set_pressure(JAWLINE_GLIDE)
    guide.set_pressure({"forehead": "light"})
    assert [row.area_id for row in guide.rows()] == ["forehead"]
    texts = visible_texts(guide)
    assert "Forehead" in texts and "Jawline" not in texts
    guide.set_pressure({})
    assert guide.rows() == ()
    assert visible_texts(guide) == []


def test_unknown_areas_and_levels_are_skipped(guide: PressureGuide) -> None:
    guide.set_pressure({"elbow": "firm", "chin": "crushing", "nose": "light"})
    assert [(row.area_id, row.level_id) for row in guide.rows()] == [("nose", "light")]


def test_rows_are_not_rebuilt_when_nothing_changed(guide: PressureGuide) -> None:
    guide.set_pressure(JAWLINE_GLIDE)
    first = guide.findChildren(PressureScale)
    guide.set_pressure(dict(JAWLINE_GLIDE))
    assert guide.findChildren(PressureScale) == first


def test_accessible_names(guide: PressureGuide) -> None:
    guide.set_pressure({"under-eyes": "feather"})
    assert guide.accessibleName() == "Pressure guide"
    names = [widget.accessibleName() for widget in guide.findChildren(QLabel)]
    assert any(name.startswith("Caution: Under-eyes") for name in names)
    rows = [child for child in guide.children() if hasattr(child, "row")]
    assert rows[0].accessibleName().startswith("Under-eyes: feather pressure, 1 of 5.")


def test_theme_switch_keeps_the_content(guide: PressureGuide) -> None:
    guide.set_pressure(JAWLINE_GLIDE)
    guide.set_theme(DARK)
    assert [row.area_id for row in guide.rows()] == ["chin", "jawline"]
    scale = next(s for s in guide.findChildren(PressureScale) if s.level == "firm")
    rect = scale.pip_rects()[0]
    assert scale.grab().toImage().pixelColor(rect.center().toPoint()) == QColor(
        DARK.pressure["firm"]
    )
    assert guide.grab().toImage().pixelColor(guide.width() - 3, guide.height() - 3) == QColor(
        DARK.background
    )


def test_a_moves_caution_speaks_for_the_areas_it_names(guide: PressureGuide) -> None:
    guide.set_pressure({"under-eyes": "feather", "temples": "light"})
    guide.set_caution("Feather touch only under the eyes.", ["under-eyes"])
    assert guide.caution_lines() == ("Feather touch only under the eyes.",)
    # Without a caution of its own the move cannot take the area's away.
    guide.set_caution("", ["under-eyes"])
    (line,) = guide.caution_lines()
    assert line.startswith("Under-eyes:")
    guide.set_caution("Keep the ring finger soft.", ["temples"])
    assert len(guide.caution_lines()) == 2


def test_cautions_share_one_panel_a_paragraph_each(guide: PressureGuide) -> None:
    guide.set_pressure({"under-eyes": "feather"})
    guide.set_caution("Keep the ring finger soft.")
    panel = guide.cautions
    labels = [label for label in panel.findChildren(QLabel) if label.isVisibleTo(guide)]
    assert [label.text() for label in labels] == list(guide.caution_lines())
    first, second = (label.geometry() for label in labels)
    assert panel.rect().contains(first) and panel.rect().contains(second)
    assert first.bottom() < second.top()
    # One accent bar down the panel's left edge, one background behind both paragraphs.
    image = panel.grab().toImage()
    for y in (first.center().y(), (first.bottom() + second.top()) // 2, second.center().y()):
        assert image.pixelColor(1, y) == QColor(LIGHT.caution)
    between = QColor(image.pixelColor(panel.width() - 3, (first.bottom() + second.top()) // 2))
    assert between == QColor(LIGHT.caution_background)


@pytest.mark.parametrize("width", [360, 560])
def test_compact_rows_take_one_line_in_aligned_columns_when_they_fit(
    guide: PressureGuide, width: int
) -> None:
    guide.resize(width, 600)
    guide.set_pressure({"temples": "light", "under-eyes": "feather", "cheeks": "medium"})
    full = guide.heightForWidth(width)
    guide.set_compact(True)
    assert guide.one_line_rows
    rows = [child for child in guide.children() if hasattr(child, "row")]
    assert [row.feel.isVisibleTo(guide) for row in rows] == [False] * 3
    scales = [row.scale.mapTo(guide, row.scale.rect().topLeft()).x() for row in rows]
    levels = [row.level.mapTo(guide, row.level.rect().topLeft()).x() for row in rows]
    assert len(set(scales)) == 1 and len(set(levels)) == 1
    for row in rows:
        assert row.area.geometry().right() < row.scale.geometry().left()
        assert row.scale.geometry().right() < row.level.geometry().left()
        assert row.height() < 2 * row.area.fontMetrics().lineSpacing()
        # Never smaller than the text read from across the room.
        assert row.area.font().pixelSize() >= guide.theme.body_px
        assert row.level.font().pixelSize() >= guide.theme.body_px
    assert guide.heightForWidth(width) < full


def test_compact_rows_too_wide_for_one_line_keep_the_name_above(guide: PressureGuide) -> None:
    guide.resize(200, 600)
    guide.set_pressure({"nasolabial": "semi-firm"})
    guide.set_compact(True)
    assert not guide.one_line_rows
    (row,) = [child for child in guide.children() if hasattr(child, "row")]
    assert row.area.geometry().bottom() < row.level.geometry().top()
    guide.set_compact(False)
    assert not guide.one_line_rows
    assert row.feel.isVisibleTo(guide)
