"""Import (preview, refusal, no overwrite without a yes, drops), export, and compose into
the builder, through a real main window with injected file choosers and answers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from facegym_desktop.cli import main
from facegym_desktop.ui.compose_dialog import ComposeDialog
from facegym_desktop.ui.questions import Unsaved
from facegym_desktop.ui.routine_import import ImportDialog
from tests.factories import user_routine_toml
from tests.ui.test_builder import Answers, card_ids
from tests.ui.window_driver import QUICK_ID

SHARED = user_routine_toml("shared-glow", "Shared glow", "A routine from a friend.")


def test_import_shows_a_preview_then_copies_the_file(qtbot, make_window, tmp_path, data_dir):
    window = make_window()
    source = tmp_path / "from-a-friend.toml"
    source.write_text(SHARED, encoding="utf-8")
    window.routine_tools.choose_import = lambda: source
    dialog = window.routine_tools.import_routine()
    assert isinstance(dialog, ImportDialog)
    assert dict(dialog.preview.summary)["Name"] == "Shared glow"
    assert "Chin flicks" in dict(dialog.preview.summary)["Moves"]
    assert "1.5–2.5 min" in dict(dialog.preview.summary)["Length"]
    assert dialog.import_button.isEnabled() and not dialog.problems.isVisible()

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)

    target = data_dir.user_routines / "shared-glow.toml"
    assert target.read_text(encoding="utf-8") == SHARED
    assert "shared-glow" in card_ids(window)


def test_a_bad_file_is_refused_with_its_problems_one_a_line(
    qtbot, make_window, tmp_path, data_dir, capsys
) -> None:
    window = make_window()
    source = tmp_path / "broken.toml"
    source.write_text(SHARED.replace('kind = "daily"', 'kind = "weekly"').replace(
        'move = "chin-flicks"', 'move = "no-such-move"'), encoding="utf-8")
    dialog = window.routine_tools.import_routine(source)
    assert dialog is not None
    assert not dialog.import_button.isEnabled()
    lines = dialog.problems.toPlainText().splitlines()
    main(["--data-dir", str(data_dir.root), "routines", "validate", str(source)])
    assert lines == capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "kind" in lines[0] and "no-such-move" in lines[1]
    assert dialog.import_now() is None
    assert not (data_dir.user_routines / "shared-glow.toml").exists()


def test_import_never_replaces_a_routine_without_a_yes(qtbot, make_window, tmp_path, data_dir):
    window = make_window()
    mine = data_dir.user_routines / "quick.toml"
    before = mine.read_text(encoding="utf-8")
    changed = before.replace('name = "Quick glow"', 'name = "Quick glow, shared"')
    source = tmp_path / "quick-from-a-friend.toml"
    source.write_text(changed, encoding="utf-8")
    answers = window.routine_tools.confirm = Answers(False, True)

    dialog = window.routine_tools.import_routine(source)
    assert dialog is not None and dialog.preview.replaces == "Quick glow"
    assert dialog.import_now() is None
    assert mine.read_text(encoding="utf-8") == before
    assert "Not imported" in dialog.notice.text()

    assert dialog.import_now() == mine
    assert mine.read_text(encoding="utf-8") == changed
    assert len(answers.asked) == 2 and "replaces Quick glow" in answers.asked[0]
    assert window.library.routine(QUICK_ID).name == "Quick glow, shared"


def test_a_file_with_a_builtin_routines_id_is_refused(qtbot, make_window, tmp_path) -> None:
    window = make_window()
    source = tmp_path / "mine.toml"
    source.write_text(
        user_routine_toml("morning-wake-up", "My morning", "Same id as a built-in."),
        encoding="utf-8",
    )
    dialog = window.routine_tools.import_routine(source)
    assert dialog is not None and not dialog.import_button.isEnabled()
    assert "is a built-in routine's" in dialog.problems.toPlainText()


def drag(window, path: Path) -> tuple[QDragEnterEvent, QDropEvent]:
    """A drag of ``path`` onto the window, entering then dropping, as a real drag goes."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(window, drop)
    return enter, drop


def test_dropping_a_routine_file_on_the_window_opens_the_preview(
    qtbot, make_window, tmp_path
) -> None:
    window = make_window()
    source = tmp_path / "dropped.toml"
    source.write_text(SHARED, encoding="utf-8")
    enter, drop = drag(window, source)
    assert enter.isAccepted() and drop.isAccepted()
    dialog = window.routine_tools.dialog
    assert isinstance(dialog, ImportDialog) and dialog.preview.source == source
    assert dialog.preview.ok


def test_other_files_dragged_on_the_window_are_not_taken(qtbot, make_window, tmp_path) -> None:
    window = make_window()
    picture = tmp_path / "face.png"
    picture.write_bytes(b"not a routine")
    enter, _drop = drag(window, picture)
    assert not enter.isAccepted()
    assert window.routine_tools.dialog is None


def test_export_writes_the_selected_routine_where_chosen(
    qtbot, make_window, tmp_path, data_dir, capsys
) -> None:
    window = make_window()
    assert window.start_view.selected_routine_id() == QUICK_ID
    chosen: list[str] = []
    target = tmp_path / "out" / "for-a-friend.toml"

    def choose(suggested: str) -> Path:
        chosen.append(suggested)
        return target

    window.routine_tools.choose_export = choose
    assert window.routine_tools.export_selected() == target
    assert chosen == ["quick-glow.toml"]
    assert target.read_text(encoding="utf-8") == (data_dir.user_routines / "quick.toml").read_text(
        encoding="utf-8"
    )
    other = tmp_path / "elsewhere"
    assert main(["--data-dir", str(other), "routines", "validate", str(target)]) == 0
    assert capsys.readouterr().out == ""


def test_export_from_the_builder_and_a_cancelled_chooser(qtbot, make_window, tmp_path) -> None:
    window = make_window()
    tools = window.routine_tools
    tools.choose_export = lambda _name: None
    builder = tools.new_routine()
    builder.add_move("chin-flicks")
    assert builder.export() is None
    tools.choose_export = lambda name: tmp_path / name
    assert builder.export() == tmp_path / "my-routine.toml"
    assert (tmp_path / "my-routine.toml").read_text(encoding="utf-8") == builder.draft.to_toml()


def test_compose_opens_the_result_in_the_builder(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.routine_tools.compose()
    assert isinstance(dialog, ComposeDialog)
    dialog.name.setText("Jaw focus")
    dialog.minutes.setValue(8)
    dialog.areas["jawline"].setChecked(True)
    dialog.tools["gua-sha"].setChecked(True)
    qtbot.mouseClick(dialog.compose_button, Qt.MouseButton.LeftButton)
    builder = window.routine_tools.builders[-1]
    assert builder.fields.name.text() == "Jaw focus"
    assert builder.draft.routine_id == "jaw-focus" and not builder.draft.path
    assert any("jawline" in step.move.areas for step in builder.draft.steps)
    assert builder.problems == {} and builder.save_button.isEnabled()
    assert builder.fields.minutes["default_minutes"].value() == 8
    # Composed but not saved: Esc asks before the routine is gone.
    asked: list[str] = []
    builder.unsaved_choice = lambda what, can_save: asked.append(what) or Unsaved.KEEP_OPEN
    qtbot.waitExposed(builder)
    builder.activateWindow()
    qtbot.waitUntil(builder.isActiveWindow)
    qtbot.keyClick(builder.fields.name, Qt.Key.Key_Escape)
    assert builder.isVisible() and asked == ['“Jaw focus”']


def test_an_impossible_request_says_why(qtbot, make_window) -> None:
    window = make_window()
    dialog = window.routine_tools.compose()
    dialog.minutes.setValue(1)
    for box in dialog.areas.values():
        box.setChecked(True)
    assert dialog.compose_now() is None
    assert dialog.reason.isVisible()
    assert "too short" in dialog.reason.text()
    assert window.routine_tools.builders == []
