"""The start screen on its own: cards, keys, the length control and the preview."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from facegym_desktop.ui.start_view import PreviewLine, RoutineCard, StartView
from facegym_desktop.ui.theme import DARK


def card(routine_id: str, name: str) -> RoutineCard:
    return RoutineCard(
        routine_id=routine_id,
        name=name,
        kind="daily",
        span="3–8 min",
        areas="Cheeks, Jawline",
        tools="fingers",
        last_done="yesterday",
        description=f"About {name}.",
    )


CARDS = [card("first", "First"), card("second", "Second"), card("third", "Third")]
CHOICES = [3.0, 3.5, 4.0, 4.5, 5.0]
PRESETS = [("3 min", 3.0), ("4 min", 4.0), ("5 min", 5.0)]


def test_the_remembered_routine_is_selected_and_announced(qtbot, start_view: StartView) -> None:
    with qtbot.waitSignal(start_view.routine_selected) as blocker:
        start_view.set_routines(CARDS, "second")
    assert blocker.args == ["second"]
    assert start_view.selected_routine_id() == "second"
    assert start_view.routine_list.hasFocus() or start_view.routine_list is start_view.focusWidget()


def test_an_unknown_remembered_routine_falls_back_to_the_first(start_view: StartView) -> None:
    start_view.set_routines(CARDS, "gone")
    assert start_view.selected_routine_id() == "first"


def test_up_and_down_choose_the_routine(qtbot, start_view: StartView) -> None:
    start_view.set_routines(CARDS, "first")
    chosen = []
    start_view.routine_selected.connect(chosen.append)
    qtbot.keyClick(start_view.routine_list, Qt.Key.Key_Down)
    qtbot.keyClick(start_view.routine_list, Qt.Key.Key_Down)
    qtbot.keyClick(start_view.routine_list, Qt.Key.Key_Up)
    assert chosen == ["second", "third", "second"]


def test_left_and_right_change_the_length_within_the_choices(qtbot, start_view: StartView) -> None:
    start_view.set_routines(CARDS, "first")
    start_view.set_length_choices(CHOICES, PRESETS, 4.0)
    lengths = []
    start_view.minutes_changed.connect(lengths.append)
    qtbot.keyClick(start_view.routine_list, Qt.Key.Key_Right)
    assert start_view.minutes() == 4.5
    for _ in range(5):
        qtbot.keyClick(start_view.routine_list, Qt.Key.Key_Right)
    assert start_view.minutes() == 5.0  # stops at the longest
    for _ in range(9):
        qtbot.keyClick(start_view.routine_list, Qt.Key.Key_Left)
    assert start_view.minutes() == 3.0  # and at the shortest
    assert lengths[0] == 4.5 and lengths[-1] == 3.0
    assert "3 minutes" in start_view.length_label.text()
    assert start_view.selected_routine_id() == "first"  # the arrows did not change the routine


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_starts(qtbot, start_view: StartView, key) -> None:
    start_view.set_routines(CARDS, "first")
    with qtbot.waitSignal(start_view.start_requested):
        qtbot.keyClick(start_view.routine_list, key)


def test_start_button_and_double_click_start(qtbot, start_view: StartView) -> None:
    start_view.set_routines(CARDS, "first")
    with qtbot.waitSignal(start_view.start_requested):
        qtbot.mouseClick(start_view.start_button, Qt.MouseButton.LeftButton)
    item = start_view.routine_list.item(1)
    with qtbot.waitSignal(start_view.start_requested):
        start_view.routine_list.itemDoubleClicked.emit(item)


def test_presets_mark_the_current_length_and_are_replaced_not_added(start_view: StartView) -> None:
    start_view.set_length_choices(CHOICES, PRESETS, 4.0)
    start_view.set_length_choices(CHOICES, PRESETS, 4.0)
    assert len(start_view.preset_buttons) == 3
    assert start_view.length_control.presets_row.count() == 3
    checked = [b.text() for b in start_view.preset_buttons if b.isChecked()]
    assert checked == ["4 min"]
    start_view.set_minutes(5.0)
    assert [b.text() for b in start_view.preset_buttons if b.isChecked()] == ["5 min"]
    start_view.set_minutes(4.5)
    assert not any(b.isChecked() for b in start_view.preset_buttons)


def test_a_preset_click_reports_its_length(qtbot, start_view: StartView) -> None:
    start_view.set_length_choices(CHOICES, PRESETS, 4.0)
    with qtbot.waitSignal(start_view.minutes_changed) as blocker:
        qtbot.mouseClick(start_view.preset_buttons[0], Qt.MouseButton.LeftButton)
    assert blocker.args == [3.0]
    assert start_view.minutes() == 3.0


def test_setting_the_length_from_outside_stays_quiet(qtbot, start_view: StartView) -> None:
    start_view.set_length_choices(CHOICES, PRESETS, 4.0)
    with qtbot.assertNotEmitted(start_view.minutes_changed):
        start_view.set_minutes(3.5)
    assert start_view.minutes() == 3.5


def test_preview_lists_the_plan(start_view: StartView) -> None:
    start_view.set_preview(
        "3:00 · 2 moves",
        [PreviewLine("0:15", "Glide", "40 s"), PreviewLine("1:00", "Lift × 8", "32 s")],
    )
    texts = [start_view.preview.item(row).text() for row in range(start_view.preview.count())]
    assert texts[0] == "Plan: 3:00 · 2 moves"
    assert "Glide" in texts[1] and "40 s" in texts[1]
    assert "Lift × 8" in texts[2]


def test_notice_shows_only_with_text(start_view: StartView) -> None:
    assert not start_view.notice.isVisible()
    start_view.set_notice("routines/broken.toml: name: must be text")
    assert start_view.notice.isVisible()
    start_view.set_notice("")
    assert not start_view.notice.isVisible()


def test_cards_have_accessible_text(start_view: StartView) -> None:
    start_view.set_routines(CARDS, "first")
    text = start_view.routine_list.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "First" in text and "3–8 min" in text and "yesterday" in text


def test_theme_change_keeps_the_selection(start_view: StartView) -> None:
    start_view.set_routines(CARDS, "third")
    start_view.set_theme(DARK)
    assert start_view.selected_routine_id() == "third"
    assert start_view.routine_list.count() == len(CARDS)


def test_no_routines_means_nothing_to_start(qtbot, start_view: StartView) -> None:
    start_view.set_routines([], None)
    assert start_view.selected_routine_id() is None
    assert start_view.minutes() == 0.0


def test_a_notice_that_takes_room_keeps_the_chosen_routine_in_sight(
    qtbot, start_view: StartView
) -> None:
    cards = [card(f"routine-{n}", f"Routine {n}") for n in range(8)]
    start_view.set_routines(cards, "routine-3")
    listing = start_view.routine_list

    def chosen_in_sight() -> bool:
        shown = listing.viewport().rect()
        return shown.contains(listing.visualItemRect(listing.currentItem()))

    qtbot.waitUntil(chosen_in_sight)
    for _ in range(3):
        qtbot.keyClick(listing, Qt.Key.Key_Down)  # the sixth card, near the bottom
    qtbot.waitUntil(chosen_in_sight)
    start_view.set_notice("A long notice that wraps. " * 30)
    qtbot.waitUntil(lambda: listing.height() < 450)
    qtbot.waitUntil(chosen_in_sight)
