"""Every bad routine file can be read from the start screen, not just the first three."""

from __future__ import annotations

from PySide6.QtCore import Qt

from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.problems_dialog import ProblemsDialog

BROKEN = 5


def test_show_all_lists_every_problem(qtbot, make_window, data_dir: DataPaths) -> None:
    for number in range(BROKEN):
        (data_dir.user_routines / f"broken-{number}.toml").write_text("name = [", "utf-8")
    window = make_window()
    view = window.start_view
    assert "(and 2 more)" in view.notice.text()  # the notice stays short
    assert view.problems_button.isVisible()

    qtbot.mouseClick(view.problems_button, Qt.MouseButton.LeftButton)
    dialog = view.problems_dialog
    assert isinstance(dialog, ProblemsDialog) and dialog.isVisible()
    assert dialog.text.isReadOnly()
    assert dialog.lines() == window.library.problem_lines()
    assert len(dialog.lines()) == BROKEN
    assert all(f"broken-{n}.toml" in "\n".join(dialog.lines()) for n in range(BROKEN))
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_no_show_all_without_problems(make_window) -> None:
    window = make_window()
    assert not window.start_view.problems_button.isVisibleTo(window)
