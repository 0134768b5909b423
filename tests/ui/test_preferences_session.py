"""The settings dialog's Session group on a real window: the preparation countdown and
the pause between moves reach the next session and the preview at once; the length
remembered for each routine is edited and forgotten row by row, from the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from facegym_desktop.core.planner import SegmentKind
from facegym_desktop.core.settings import Settings, load_settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.remembered_lengths import NOTHING_REMEMBERED, RememberedLengthsEditor
from facegym_desktop.ui.setting_editors import ROUTINE_OWN_TEXT, OptionalSecondsEditor
from tests.ui.test_preferences import open_dialog
from tests.ui.window_driver import QUICK_ID, engine, run_until, start_session

ROUTINE_PREP = 15  # the quick routine file names none: a routine's default
ROUTINE_PAUSE = 5


def saved(data_dir: DataPaths) -> Settings:
    loaded = load_settings(data_dir.settings)
    assert loaded.problems == []
    return loaded.settings


def seconds_editor(dialog, key: str) -> OptionalSecondsEditor:
    editor = dialog.editor(key)
    assert isinstance(editor, OptionalSecondsEditor)
    return editor


def lengths_editor(dialog) -> RememberedLengthsEditor:
    editor = dialog.editor("minutes_by_routine")
    assert isinstance(editor, RememberedLengthsEditor)
    return editor


def type_into(qtbot, widget, text: str) -> None:
    """Focus ``widget``, replace its text by typing, and Tab away (the value counts)."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def focused():
    return QApplication.focusWidget()


def close_dialog(qtbot, dialog, window) -> None:
    """Close the dialog, and the window has the keyboard again (as Esc would leave it)."""
    dialog.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


# ---------------------------------------------------------------------- prep and pause


def test_prep_typed_in_the_dialog_starts_the_next_session_with_that_much_preparation(
    qtbot, make_window, data_dir, clock
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    prep = seconds_editor(dialog, "prep_seconds")
    assert prep.spin.text() == ROUTINE_OWN_TEXT and prep.value() is None
    type_into(qtbot, prep.spin, "30")
    assert prep.spin.text() == "30 s"
    assert window.settings.prep_seconds == 30 and saved(data_dir).prep_seconds == 30
    # The start screen's preview follows at once: the first move starts at 0:30.
    assert window.start_view.preview.item(1).text().split()[0] == "0:30"
    close_dialog(qtbot, dialog, window)

    started = clock.now
    start_session(qtbot, window)
    first = engine(window).segments[0]
    assert (first.kind, first.start, first.end) == (SegmentKind.PREP, 0.0, 30.0)
    run_until(window, clock, lambda: engine(window).current.kind == SegmentKind.MOVE)
    assert clock.now - started == 30.0


def test_pause_between_moves_and_prep_of_none_shape_the_plan(qtbot, make_window) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, seconds_editor(dialog, "pause_seconds").spin, "12")
    type_into(qtbot, seconds_editor(dialog, "prep_seconds").spin, "0")
    assert (window.settings.prep_seconds, window.settings.pause_seconds) == (0, 12)
    close_dialog(qtbot, dialog, window)
    start_session(qtbot, window)
    segments = engine(window).segments
    assert segments[0].kind == SegmentKind.MOVE  # no preparation at all
    pauses = [s.end - s.start for s in segments if s.kind == SegmentKind.TRANSITION]
    assert pauses == [12.0]
    # The length chosen still holds: the moves gave up the time.
    assert engine(window).total_seconds == 90.0


def test_the_routines_own_is_one_step_below_the_range(qtbot, make_window, data_dir) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, prep_seconds=0))
    dialog = open_dialog(qtbot, window)
    prep = seconds_editor(dialog, "prep_seconds")
    assert prep.spin.text() == "0 s"
    prep.spin.setFocus()
    qtbot.keyClick(prep.spin, Qt.Key.Key_Down)
    assert prep.spin.text() == ROUTINE_OWN_TEXT
    assert window.settings.prep_seconds is None and saved(data_dir).prep_seconds is None
    qtbot.keyClick(prep.spin, Qt.Key.Key_Up)
    assert saved(data_dir).prep_seconds == 0
    assert (prep.spin.maximum(), seconds_editor(dialog, "pause_seconds").spin.maximum()) == (
        120,
        60,
    )
    assert prep.spin.suffix() == " s"


def test_restore_defaults_brings_the_routines_own_back(qtbot, make_window, data_dir) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, prep_seconds=40, pause_seconds=0))
    dialog = open_dialog(qtbot, window)
    assert seconds_editor(dialog, "prep_seconds").spin.text() == "40 s"
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    for key in ("prep_seconds", "pause_seconds"):
        assert seconds_editor(dialog, key).spin.text() == ROUTINE_OWN_TEXT
        assert getattr(window.settings, key) is None and getattr(saved(data_dir), key) is None
    close_dialog(qtbot, dialog, window)
    start_session(qtbot, window)
    segments = engine(window).segments
    assert (segments[0].kind, segments[0].end) == (SegmentKind.PREP, ROUTINE_PREP)
    pauses = {s.end - s.start for s in segments if s.kind == SegmentKind.TRANSITION}
    assert pauses == {ROUTINE_PAUSE}


# ---------------------------------------------------------------------- remembered lengths

REMEMBERED = {QUICK_ID: 1.5, "morning-wake-up": 5.0, "gone-routine": 4.25}


def test_each_remembered_length_is_a_row_by_routine_name(qtbot, make_window) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, minutes_by_routine=REMEMBERED))
    editor = lengths_editor(open_dialog(qtbot, window))
    assert list(editor.rows) == ["morning-wake-up", QUICK_ID, "gone-routine"]
    names = [row.name.text() for row in editor.rows.values()]
    assert names == ["Morning wake-up", "Quick glow", "gone-routine (not in your routines)"]
    texts = [row.length.text() for row in editor.rows.values()]
    assert texts == ["5 min", "1 min 30 s", "4 min 15 s"]
    quick = editor.rows[QUICK_ID]
    assert (quick.length.minimum(), quick.length.maximum()) == (90, 150)  # 1.5 to 2.5 min
    gone = editor.rows["gone-routine"].length  # any length a setting allows: 1 to 90 minutes
    assert (gone.minimum(), gone.maximum()) == (60, 90 * 60)
    assert quick.length.accessibleName() == "Length for Quick glow"
    assert quick.forget.accessibleName() == "Forget the length for Quick glow"
    assert quick.name.buddy() is quick.length
    assert editor.forget_all_button.isEnabled() and not editor.note.isVisible()


def test_tab_runs_through_the_rows_then_forget_all(qtbot, make_window) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, minutes_by_routine=REMEMBERED))
    dialog = open_dialog(qtbot, window)
    editor = lengths_editor(dialog)
    pause = seconds_editor(dialog, "pause_seconds").spin
    pause.setFocus()
    qtbot.waitUntil(pause.hasFocus)
    expected = [part for row in editor.rows.values() for part in (row.length, row.forget)]
    for widget in [*expected, editor.forget_all_button, dialog.editor("theme").field]:
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        assert focused() is widget


def test_editing_a_length_from_the_keyboard_writes_settings_json(
    qtbot, make_window, data_dir
) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, minutes_by_routine=REMEMBERED))
    editor = lengths_editor(open_dialog(qtbot, window))
    quick = editor.rows[QUICK_ID].length
    quick.setFocus()
    qtbot.waitUntil(quick.hasFocus)
    qtbot.keyClick(quick, Qt.Key.Key_Up)  # half a minute more
    assert quick.text() == "2 min"
    assert saved(data_dir).minutes_by_routine == {**REMEMBERED, QUICK_ID: 2.0}
    for _ in range(3):
        qtbot.keyClick(quick, Qt.Key.Key_Up)
    assert saved(data_dir).minutes_by_routine[QUICK_ID] == 2.5  # the routine's longest
    type_into(qtbot, editor.rows["morning-wake-up"].length, "7:30")
    assert saved(data_dir).minutes_by_routine["morning-wake-up"] == 7.5
    assert editor.rows["morning-wake-up"].length.text() == "7 min 30 s"
    type_into(qtbot, editor.rows["morning-wake-up"].length, "99")  # longer than it runs
    assert saved(data_dir).minutes_by_routine["morning-wake-up"] == 7.5
    assert window.settings.minutes_by_routine == saved(data_dir).minutes_by_routine


def test_forget_and_forget_all_write_settings_json(qtbot, make_window, data_dir) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, minutes_by_routine=REMEMBERED))
    dialog = open_dialog(qtbot, window)
    editor = lengths_editor(dialog)
    forget = editor.rows["morning-wake-up"].forget
    forget.setFocus()
    qtbot.waitUntil(forget.hasFocus)
    qtbot.keyClick(forget, Qt.Key.Key_Space)
    assert saved(data_dir).minutes_by_routine == {QUICK_ID: 1.5, "gone-routine": 4.25}
    assert list(editor.rows) == [QUICK_ID, "gone-routine"]
    assert focused() is editor.rows[QUICK_ID].forget  # the next row's, ready for another
    qtbot.mouseClick(editor.forget_all_button, Qt.MouseButton.LeftButton)
    assert saved(data_dir).minutes_by_routine == {}
    assert window.settings.minutes_by_routine == {}
    assert editor.rows == {} and editor.value() == {}
    assert editor.note.isVisible() and editor.note.text() == NOTHING_REMEMBERED
    assert not editor.forget_all_button.isEnabled()


def test_a_length_kept_on_the_start_screen_shows_in_the_open_dialog(
    qtbot, make_window
) -> None:
    window = make_window(Settings(last_routine=QUICK_ID))
    editor = lengths_editor(open_dialog(qtbot, window))
    assert editor.rows == {} and editor.note.isVisible()
    window.store.remember_length(QUICK_ID, 2.0)  # as the length control does once settled
    assert list(editor.rows) == [QUICK_ID]
    assert editor.rows[QUICK_ID].length.text() == "2 min"
    window.store.remember_length(QUICK_ID, 2.5)
    assert editor.rows[QUICK_ID].length.text() == "2 min 30 s"


def test_a_length_changed_or_forgotten_in_the_dialog_is_the_one_the_start_screen_offers(
    qtbot, make_window, data_dir
) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, minutes_by_routine=REMEMBERED))
    assert window.start_screen.minutes == 1.5
    dialog = open_dialog(qtbot, window)
    editor = lengths_editor(dialog)
    quick = editor.rows[QUICK_ID].length
    quick.setFocus()
    qtbot.waitUntil(quick.hasFocus)
    qtbot.keyClick(quick, Qt.Key.Key_Up)
    assert window.start_screen.minutes == 2.0
    assert window.start_view.length_control.minutes() == 2.0
    qtbot.mouseClick(editor.rows[QUICK_ID].forget, Qt.MouseButton.LeftButton)
    default = window.start_screen.selected.default_minutes
    assert window.start_view.length_control.minutes() == default
    close_dialog(qtbot, dialog, window)
    start_session(qtbot, window)  # as long as the start screen says
    assert abs(engine(window).plan.total_seconds - default * 60) <= 1  # the planner promise
