"""Routine cards: their lines, their height at a width, and how they are painted."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from facegym_desktop.ui.routine_cards import (
    BORDER,
    MARGIN_BELOW,
    RoutineCard,
    card_lines,
)
from facegym_desktop.ui.start_view import StartView
from facegym_desktop.ui.theme import DARK, LIGHT

LONG_AREAS = "Forehead, Brows, Temples, Under-eyes, Nose, Cheeks, Laugh lines, Chin, Jawline"


def card(routine_id: str, name: str, last_done: str = "not yet") -> RoutineCard:
    return RoutineCard(
        routine_id=routine_id,
        name=name,
        kind="daily",
        span="3–8 min",
        areas=LONG_AREAS,
        tools="fingers, knuckles",
        last_done=last_done,
        description="",
    )


def test_a_card_reads_name_then_length_areas_and_last_time() -> None:
    lines = card_lines(card("a", "Morning wake-up", "yesterday"))
    assert lines == [
        ("Morning wake-up", True),
        ("3–8 min  ·  daily  ·  fingers, knuckles", False),
        # Each area wraps as one word.
        (LONG_AREAS.replace("Under-eyes", "Under\u2011eyes").replace("h l", "h\u00a0l"), False),
        ("Last done yesterday", False),
    ]
    assert card_lines(card("a", "Fresh"))[-1] == ("Not done yet", False)


def test_a_narrow_list_wraps_text_into_taller_cards(start_view: StartView) -> None:
    delegate = start_view.card_delegate
    one = card("a", "Morning wake-up")
    wide, narrow = delegate.card_height(one, 900), delegate.card_height(one, 260)
    assert narrow > wide
    assert delegate.card_height(one, 260) == narrow  # asked again: same answer


def test_cards_fill_the_list_width_and_never_scroll_sideways(qtbot, start_view: StartView) -> None:
    start_view.set_routines([card("a", "First"), card("b", "Second")], "a")
    listing = start_view.routine_list
    qtbot.waitUntil(lambda: listing.visualItemRect(listing.item(0)).width() > 0)
    rect = listing.visualItemRect(listing.item(0))
    assert rect.width() == listing.inner_width()
    assert listing.horizontalScrollBar().maximum() == 0
    height = start_view.card_delegate.card_height(card("a", "First"), rect.width())
    assert rect.height() == height + MARGIN_BELOW


def _pixel(start_view: StartView, row: int, x: int, y: int) -> QColor:
    listing = start_view.routine_list
    rect = listing.visualItemRect(listing.item(row))
    image = listing.grab().toImage()
    origin = listing.contentsRect().topLeft()
    return image.pixelColor(origin.x() + rect.left() + x, origin.y() + rect.top() + y)


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_chosen_card_is_outlined_in_the_accent_colour(
    qtbot, start_view: StartView, theme
) -> None:
    start_view.set_theme(theme)
    start_view.set_routines([card("a", "First"), card("b", "Second")], "b")
    listing = start_view.routine_list
    qtbot.waitUntil(lambda: listing.visualItemRect(listing.item(1)).height() > 0)
    accent = QColor(theme.pressure["medium"])
    surface = QColor(theme.surface)
    # Half-way down the left edge: the outline on the chosen card, plain surface elsewhere.
    middle = listing.visualItemRect(listing.item(0)).height() // 2
    assert _pixel(start_view, 1, BORDER // 2 + 1, middle) == accent
    assert _pixel(start_view, 0, BORDER // 2 + 1, middle) == surface
    listing.setCurrentRow(0)
    qtbot.waitUntil(lambda: _pixel(start_view, 0, BORDER // 2 + 1, middle) == accent)
    assert _pixel(start_view, 1, BORDER // 2 + 1, middle) == surface


def test_card_text_is_painted_in_the_theme_text_colours(qtbot, start_view: StartView) -> None:
    start_view.set_routines([card("a", "Wide Title Of A Routine")], "a")
    listing = start_view.routine_list
    qtbot.waitUntil(lambda: listing.visualItemRect(listing.item(0)).height() > 0)
    rect = listing.visualItemRect(listing.item(0))
    image = listing.grab().toImage()
    origin = listing.contentsRect().topLeft()
    colours = {
        image.pixelColor(origin.x() + rect.left() + x, origin.y() + rect.top() + y).name()
        for x in range(16, rect.width() - 16, 2)
        for y in range(12, rect.height() - MARGIN_BELOW - 12, 2)
    }
    # Anti-aliased glyphs give many shades; the two text colours themselves appear.
    assert QColor(LIGHT.text).name() in colours
    assert len(colours) > 10
