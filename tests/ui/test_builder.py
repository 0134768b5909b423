"""The routine builder in a real main window: build, edit a duplicate, reorder, check,
save and reload, delete with undo, try it.  Questions are answered by injected
functions; nothing reaches into private state."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from facegym_desktop.cli import main
from facegym_desktop.paths import builtin_routines_dir
from facegym_desktop.ui.actions import ActionId
from facegym_desktop.ui.builder_window import BuilderWindow
from facegym_desktop.ui.questions import Unsaved, ask_unsaved
from tests.ui.window_driver import QUICK_ID, press, run_until, start_session

MOVES = ("chin-flicks", "jawline-glide", "cheek-lift")


class Answers:
    """Answers ``confirm`` questions in turn and keeps what was asked."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    def __call__(self, title: str, text: str) -> bool:
        self.asked.append(f"{title}: {text}")
        return self.answers.pop(0)


class Choices:
    """Answers the unsaved-changes question in turn and keeps what it was asked about."""

    def __init__(self, *answers: Unsaved) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, bool]] = []

    def __call__(self, what: str, can_save: bool) -> Unsaved:
        self.asked.append((what, can_save))
        return self.answers.pop(0)


def card_ids(window) -> list[str]:
    listing = window.start_view.routine_list
    return [listing.item(row).data(Qt.ItemDataRole.UserRole) for row in range(listing.count())]


def step_ids(builder: BuilderWindow) -> list[str]:
    return [step.move.id for step in builder.draft.steps]


def new_builder(qtbot, window, name: str = "Neck and jaw") -> BuilderWindow:
    press(qtbot, window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    builder = window.routine_tools.builders[-1]
    qtbot.waitExposed(builder)
    builder.fields.name.selectAll()
    qtbot.keyClicks(builder.fields.name, name)
    for move_id in MOVES:
        assert builder.picker.select_move(move_id)
        qtbot.mouseClick(builder.picker.add_button, Qt.MouseButton.LeftButton)
    return builder


def test_building_from_scratch_saves_a_valid_file_that_the_start_list_shows(
    qtbot, make_window, data_dir, capsys
) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    assert step_ids(builder) == list(MOVES)
    assert builder.problems == {}
    assert builder.preview_total.text().endswith("· 3 moves")
    assert "Jawline" in builder.preview_areas.text()
    assert builder.preview_lines.count() == 3

    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)

    saved = data_dir.user_routines / "neck-and-jaw.toml"
    assert saved.is_file()
    assert main(["--data-dir", str(data_dir.root), "routines", "validate", str(saved)]) == 0
    assert capsys.readouterr().out == ""
    assert "neck-and-jaw" in card_ids(window)
    assert window.library.routine("neck-and-jaw").name == "Neck and jaw"
    assert builder.delete_button.isEnabled()


def test_the_move_list_filters_by_area_and_tool(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.picker.set_filters(area="neck", tool="gua-sha")
    shown = builder.picker.visible_move_ids()
    assert shown
    for move_id in shown:
        move = window.library.moves[move_id]
        assert "neck" in move.areas and move.tool == "gua-sha"
    assert not builder.picker.move_list.item(0).icon().isNull()


def test_editing_a_builtin_duplicates_it_and_leaves_it_as_it_was(
    qtbot, make_window, data_dir
) -> None:
    window = make_window()
    tools = window.routine_tools
    tools.confirm = Answers()  # nothing to ask: the copy opens, and says what it is
    original = window.library.routine("morning-wake-up")
    builtin_text = Path(original.path).read_text(encoding="utf-8")
    builder = tools.edit(original)
    assert builder.fields.name.text() == "Morning wake-up (copy)"
    assert "stays as it is: this is your copy" in builder.notice.text()
    assert builder.isWindowModified()  # closing it asks first

    builder.steps.setCurrentRow(1)
    builder.editor.amount.setValue(55)
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)

    copy = window.library.routine("morning-wake-up-copy")
    assert copy is not None and copy.steps[1].move.timing.seconds == 55
    assert Path(original.path).read_text(encoding="utf-8") == builtin_text
    assert (data_dir.user_routines / "morning-wake-up-copy.toml").is_file()


def test_ctrl_e_edits_the_selected_user_routine_in_place(qtbot, make_window, data_dir) -> None:
    window = make_window()
    assert window.start_view.selected_routine_id() == QUICK_ID
    window.routine_tools.confirm = Answers()  # nothing may be asked
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    builder = window.routine_tools.builders[-1]
    assert builder.draft.path.endswith("quick.toml")
    builder.fields.name.setText("Quick glow, renamed")
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    assert window.library.routine(QUICK_ID).name == "Quick glow, renamed"
    assert sorted(p.name for p in data_dir.user_routines.glob("*.toml")) == ["quick.toml"]


def test_alt_up_and_down_reorder_the_steps(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.steps.setCurrentRow(0)
    builder.steps.setFocus()
    qtbot.keyClick(builder.steps, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert step_ids(builder) == ["jawline-glide", "chin-flicks", "cheek-lift"]
    assert builder.steps.currentRow() == 1
    qtbot.keyClick(builder.steps, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert step_ids(builder) == ["jawline-glide", "cheek-lift", "chin-flicks"]
    qtbot.keyClick(builder.steps, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert step_ids(builder) == ["jawline-glide", "chin-flicks", "cheek-lift"]
    assert builder.steps.item(1).text().startswith("2. Chin flicks")


def test_a_drop_in_the_step_list_moves_the_step(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    moves: list[tuple[int, int]] = []
    builder.steps.step_moved.connect(lambda a, b: moves.append((a, b)))
    # What an internal drag and drop does to the list's model: first row to the end.
    assert builder.steps.model().moveRow(QModelIndex(), 0, QModelIndex(), 3)
    assert moves == [(0, 2)]
    assert step_ids(builder) == ["jawline-glide", "cheek-lift", "chin-flicks"]
    assert [builder.steps.item(r).text()[:2] for r in range(3)] == ["1.", "2.", "3."]


def test_a_problem_shows_beside_its_field_and_save_waits(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.fields.name.clear()
    message = builder.fields.messages["name"]
    assert message.isVisible() and message.text() == "Must not be empty."
    assert not builder.save_button.isEnabled()
    assert not builder.try_button.isEnabled()
    name_box = builder.fields.name.geometry()
    assert message.geometry().top() >= name_box.bottom()
    assert abs(message.geometry().left() - name_box.left()) <= 2
    assert message.geometry().top() < builder.fields.description.geometry().top()

    qtbot.keyClicks(builder.fields.name, "Back again")
    assert not message.isVisible() and builder.save_button.isEnabled()

    builder.steps.setCurrentRow(1)
    builder.editor.amount.setValue(900)
    assert builder.editor.problem.isVisible()
    assert builder.editor.problem.text() == "Must be between 5 and 600, got 900."
    assert builder.steps.item(1).text().startswith("2. ⚠")
    assert not builder.save_button.isEnabled()


def test_a_steps_sides_change_from_the_keyboard_and_are_kept(
    qtbot, make_window, data_dir
) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.steps.setCurrentRow(1)
    editor = builder.editor
    assert editor.sides.currentText() == "Both at once"
    assert editor.sides.accessibleName() == "Sides of the step"
    total = builder.preview_total.text()

    editor.amount.setFocus()
    qtbot.waitUntil(editor.amount.hasFocus)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.sides
    qtbot.keyClick(editor.sides, Qt.Key.Key_Down)

    assert builder.draft.steps[1].sides == "each"
    assert editor.sides.currentText() == "Each side in turn"
    assert editor.amount_label.text() == "Seconds per side"
    assert builder.steps.item(1).text().startswith("2. Jawline glide · ")
    assert "each side" in builder.steps.item(1).text()
    assert builder.preview_total.text() != total
    assert builder.preview_lines.count() == 4  # the jawline glide left, then right
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.rest

    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    saved = data_dir.user_routines / "neck-and-jaw.toml"
    assert saved.read_text(encoding="utf-8").count('sides = "each"') == 1
    routine = window.library.routine("neck-and-jaw")
    assert [step.sides for step in routine.steps] == ["both", "each", "both"]
    builder.close()
    window.routine_tools.confirm = Answers()  # a routine of your own opens without asking
    again = window.routine_tools.edit(routine)
    assert again is not None and again is not builder
    again.steps.setCurrentRow(1)
    assert again.editor.sides.currentText() == "Each side in turn"
    assert again.preview_total.text() == builder.preview_total.text()


def test_delete_and_undo_bring_the_file_and_the_card_back(qtbot, make_window, data_dir) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    saved = data_dir.user_routines / "neck-and-jaw.toml"
    text = saved.read_text(encoding="utf-8")

    qtbot.mouseClick(builder.delete_button, Qt.MouseButton.LeftButton)
    assert not saved.exists()
    assert "neck-and-jaw" not in card_ids(window)
    assert "Deleted Neck and jaw" in builder.notice.text()

    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow)
    qtbot.keyClick(builder, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert saved.read_text(encoding="utf-8") == text
    assert "neck-and-jaw" in card_ids(window)
    assert builder.delete_button.isEnabled()


def test_a_removed_step_comes_back_with_ctrl_z(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.steps.setCurrentRow(1)
    qtbot.mouseClick(builder.editor.remove_button, Qt.MouseButton.LeftButton)
    assert step_ids(builder) == ["chin-flicks", "cheek-lift"]
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow)
    qtbot.keyClick(builder, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert step_ids(builder) == list(MOVES)
    assert not builder.undo_button.isEnabled()


def test_try_it_plays_the_draft_without_keeping_it(
    qtbot, make_window, clock, inline_bridge, history_store
) -> None:
    window = make_window(bridge=inline_bridge)
    builder = new_builder(qtbot, window)
    qtbot.mouseClick(builder.try_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.session_view
    assert window.controller is not None and window.controller.running
    assert window.controller.engine.plan.routine_id == "neck-and-jaw"
    run_until(window, clock, lambda: not window.controller.running)
    assert window.stack.currentWidget() is window.finish_view
    assert history_store.session_count() == 0
    assert "neck-and-jaw" not in window.settings.minutes_by_routine
    # The history is back for the next real session.
    assert window.bridge is inline_bridge
    press(qtbot, window, Qt.Key.Key_Return)
    start_session(qtbot, window)
    run_until(window, clock, lambda: not window.controller.running)
    qtbot.waitUntil(lambda: history_store.session_count() == 1)


def test_try_it_waits_for_a_running_session(qtbot, make_window) -> None:
    window = make_window()
    start_session(qtbot, window)
    builder = new_builder(qtbot, window)
    qtbot.mouseClick(builder.try_button, Qt.MouseButton.LeftButton)
    assert window.controller.engine.plan.routine_id == QUICK_ID
    assert "Stop the session first" in window.start_screen.notice_text()
    window.action_table[ActionId.STOP].trigger()


def test_the_builder_fits_a_small_window(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    hint = builder.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 600
    builder.resize(1024, 600)
    QApplication.processEvents()
    area = builder.rect()
    for widget in (builder.save_button, builder.close_button, builder.picker.add_button,
                   builder.editor.remove_button, builder.fields.prep, builder.preview_lines):
        corner = widget.mapTo(builder, widget.rect().bottomRight())
        assert area.contains(corner), widget.accessibleName() or widget.text()
        assert widget.isVisible()


def test_closing_with_unsaved_changes_asks_first(qtbot, make_window, data_dir) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.unsaved_choice = Choices(Unsaved.KEEP_OPEN, Unsaved.DISCARD)
    qtbot.mouseClick(builder.close_button, Qt.MouseButton.LeftButton)
    assert builder.isVisible()
    qtbot.mouseClick(builder.close_button, Qt.MouseButton.LeftButton)
    assert not builder.isVisible()
    assert builder.unsaved_choice.asked[0] == ('“Neck and jaw”', True)
    assert not (data_dir.user_routines / "neck-and-jaw.toml").exists()


def test_save_in_the_unsaved_question_saves_and_closes(qtbot, make_window, data_dir) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.unsaved_choice = Choices(Unsaved.SAVE)
    qtbot.mouseClick(builder.close_button, Qt.MouseButton.LeftButton)
    assert not builder.isVisible()
    assert window.library.routine("neck-and-jaw") is not None


def test_a_routine_with_a_problem_cannot_be_saved_on_closing(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.fields.name.clear()  # a problem: no name
    builder.unsaved_choice = Choices(Unsaved.KEEP_OPEN)
    qtbot.mouseClick(builder.close_button, Qt.MouseButton.LeftButton)
    assert builder.unsaved_choice.asked == [("this routine", False)]
    assert builder.isVisible()


def test_a_saved_builder_closes_without_asking(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    builder.unsaved_choice = Choices()
    qtbot.mouseClick(builder.close_button, Qt.MouseButton.LeftButton)
    assert not builder.isVisible()


def test_the_title_marks_unsaved_changes_and_an_edit_clears_saved(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    assert builder.isWindowModified()
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    assert not builder.isWindowModified()
    assert builder.notice.text() == "Saved Neck and jaw."
    qtbot.keyClicks(builder.fields.name, " too")
    assert builder.isWindowModified()
    assert builder.notice.text() == ""  # no longer saved as it reads


def test_reordering_a_saved_routine_counts_as_a_change(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    qtbot.mouseClick(builder.save_button, Qt.MouseButton.LeftButton)
    builder.steps.setCurrentRow(0)
    builder.steps.setFocus()
    qtbot.keyClick(builder.steps, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert builder.isWindowModified()
    builder.unsaved_choice = Choices(Unsaved.KEEP_OPEN)
    qtbot.mouseClick(builder.close_button, Qt.MouseButton.LeftButton)
    assert builder.isVisible()
    assert builder.unsaved_choice.asked == [('“Neck and jaw”', True)]


@pytest.fixture(autouse=True)
def _builtin_files_stay(request) -> None:
    before = {p.name: p.read_bytes() for p in builtin_routines_dir().glob("*.toml")}
    yield
    after = {p.name: p.read_bytes() for p in builtin_routines_dir().glob("*.toml")}
    assert after == before


def test_tab_walks_through_the_text_fields_instead_of_typing_tabs(qtbot, make_window) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    for field in (builder.fields.description, builder.fields.prep):
        field.setFocus()
        qtbot.waitUntil(field.hasFocus)
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        assert not field.hasFocus()
        assert "\t" not in field.toPlainText()


@pytest.mark.parametrize("discard", [False, True])
def test_quitting_asks_about_unsaved_builder_changes_before_closing_anything(
    qtbot, make_window, discard: bool
) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)  # a name typed and moves added: not saved
    answer = Unsaved.DISCARD if discard else Unsaved.KEEP_OPEN
    window.routine_tools.unsaved_choice = choices = Choices(answer)
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow)
    qtbot.keyClick(builder, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # from the builder
    assert choices.asked == [('“Neck and jaw”', True)]
    assert window.isVisible() is (not discard) and builder.isVisible() is (not discard)


def answer_when_asked(qtbot, key: Qt.Key) -> list[tuple[str, str]]:
    """Press ``key`` in the next question box as soon as it is up; the (title, text)
    of each box seen."""
    from PySide6.QtCore import QTimer

    seen: list[tuple[str, str]] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # not up yet
            QTimer.singleShot(20, press)
            return
        seen.append((box.windowTitle(), box.text()))
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, press)
    return seen


def test_enter_in_a_question_about_losing_something_keeps_it(qtbot, make_window) -> None:
    window = make_window()
    seen = answer_when_asked(qtbot, Qt.Key.Key_Return)
    assert window.routine_tools.confirm("Replace the file?", "It is lost.") is False
    assert [title for title, _ in seen] == ["Replace the file?"]


@pytest.mark.parametrize(
    ("key", "can_save", "expected", "text"),
    [
        (Qt.Key.Key_Return, True, Unsaved.SAVE, 'Save the changes to “Jaw” before closing?'),
        (Qt.Key.Key_Escape, True, Unsaved.KEEP_OPEN, 'Save the changes to “Jaw” before closing?'),
        # Nothing is saved that cannot be: Enter keeps the window open.
        (Qt.Key.Key_Return, False, Unsaved.KEEP_OPEN, 'Close without saving the changes to “Jaw”?'),
    ],
)
def test_the_unsaved_question_saves_on_enter_and_stays_on_esc(
    qtbot, key: Qt.Key, can_save: bool, expected: Unsaved, text: str
) -> None:
    seen = answer_when_asked(qtbot, key)
    assert ask_unsaved(None, '“Jaw”', can_save) is expected
    assert [shown for _, shown in seen] == [text]


@pytest.mark.parametrize(
    "key", [(Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
            (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)],  # fmt: skip
)
def test_escape_and_ctrl_w_close_the_builder_asking_first(qtbot, make_window, key) -> None:
    window = make_window()
    builder = new_builder(qtbot, window)
    builder.unsaved_choice = choices = Choices(Unsaved.KEEP_OPEN, Unsaved.DISCARD)
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow)
    builder.fields.name.setFocus()
    qtbot.keyClick(builder.fields.name, *key)
    assert len(choices.asked) == 1 and builder.isVisible()  # Cancel: kept
    qtbot.keyClick(builder.fields.name, *key)
    assert not builder.isVisible() and window.isVisible()
