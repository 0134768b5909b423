"""The routine builder: make a routine of your own, or change one you made.

Three columns: the routine's fields with the plan preview (total, minutes per area,
timeline), the steps with the selected step's editor, and the move library.  Every
edit goes to a :class:`~facegym_desktop.core.routine_draft.RoutineDraft`, which is
checked like a routine file; its problems show beside their fields and Save, Try
and Export stay off while there is any.  Save writes ``<id>.toml`` in the user
routines folder atomically; Delete removes that file, and Ctrl+Z (or Undo) puts
back the last removed step or file.

The window asks nothing of the person directly: ``confirm(title, text) -> bool``,
``unsaved_choice(what, can_save) -> Unsaved`` (closing with unsaved changes) and
``choose_export(suggested_name) -> Path | None`` are passed in (dialogs in the app,
plain functions in tests).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.library import Library
from facegym_desktop.core.routine_draft import RoutineDraft
from facegym_desktop.core.routine_store import (
    DeletedFile,
    RoutineFileError,
    delete_file,
    restore_file,
    user_file,
    write_atomically,
)
from facegym_desktop.ui.builder_fields import RoutineFields
from facegym_desktop.ui.builder_moves import MovePicker
from facegym_desktop.ui.builder_steps import StepEditor, StepList
from facegym_desktop.ui.questions import Unsaved
from facegym_desktop.ui.theme import LIGHT, Theme

TRY_TIME_SCALE = 10.0  # "Try it" plays the routine this many times faster
Confirm = Callable[[str, str], bool]
UnsavedChoice = Callable[[str, bool], Unsaved]
ChooseExport = Callable[[str], "Path | None"]
_Value = TypeVar("_Value", int, str)  # a step field's value: seconds or reps, or sides


class BuilderWindow(QWidget):
    """Signals: ``saved(path)`` after a save or an undone delete, ``deleted(path)``,
    ``try_requested(routine, minutes)``.

    ``draft`` is what is edited, ``user_folder`` where new routines are saved.
    """

    saved = Signal(str)
    deleted = Signal(str)
    try_requested = Signal(object, float)

    def __init__(
        self,
        draft: RoutineDraft,
        user_folder: Path,
        *,
        confirm: Confirm,
        unsaved_choice: UnsavedChoice,
        choose_export: ChooseExport,
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.draft = draft
        self.user_folder = user_folder
        self.confirm = confirm
        self.unsaved_choice = unsaved_choice
        self.choose_export = choose_export
        self._undo: list[DeletedFile | None] = []  # None: a removed step
        self._current = 0
        small = theme.font(theme.small_px - 2)
        self.setFont(small)

        self.fields = RoutineFields(theme=theme)
        self.preview_total = QLabel("")
        self.preview_total.setFont(theme.font(theme.small_px, bold=True))
        self.preview_areas = QLabel("")
        self.preview_areas.setWordWrap(True)
        self.preview_lines = QListWidget()
        self.preview_lines.setAccessibleName("Plan preview")
        self.preview_lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps = StepList(theme=theme)
        self.steps_message = QLabel("")
        self.steps_message.setWordWrap(True)
        self.steps_message.setStyleSheet(f"color: {theme.caution}")
        self.editor = StepEditor(theme=theme)
        self.picker = MovePicker(theme=theme)
        self.notice = QLabel("")
        self.notice.setWordWrap(True)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Put back what was removed last (Ctrl+Z)")
        self.try_button = QPushButton(f"Try it ({TRY_TIME_SCALE:g}× speed)")
        self.export_button = QPushButton("Export…")
        self.delete_button = QPushButton("Delete")
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.close_button = QPushButton("Close")
        self._lay_out(theme)
        self._connect()
        self.picker.set_moves(draft.library.moves)
        self.fields.load(draft)
        self._refresh()
        # A routine made elsewhere with no file yet (composed, or a copy) is unsaved work.
        self.setWindowModified(not draft.path and bool(draft.steps))
        self.resize(1000, 580)

    def _lay_out(self, theme: Theme) -> None:
        left = QVBoxLayout()
        left.addWidget(self.fields)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        left.addWidget(line)
        left.addWidget(self.preview_total)
        left.addWidget(self.preview_areas)
        left.addWidget(self.preview_lines, 1)
        middle = QVBoxLayout()
        title = QLabel("Steps (drag, or Alt+Up and Alt+Down, to reorder)")
        title.setFont(theme.font(theme.small_px - 2, bold=True))
        title.setWordWrap(True)
        middle.addWidget(title)
        middle.addWidget(self.steps, 1)
        middle.addWidget(self.steps_message)
        middle.addWidget(self.editor)
        columns = QHBoxLayout()
        columns.addLayout(left, 32)
        columns.addLayout(middle, 36)
        columns.addWidget(self.picker, 32)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        for button in (self.undo_button, self.try_button, self.export_button,
                       self.delete_button, self.save_button, self.close_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.fields.changed.connect(self._on_fields)
        self.fields.minutes_edited.connect(lambda: self._on_fields(minutes=True))
        self.fields.fit_requested.connect(self._on_fit)
        self.picker.add_requested.connect(self.add_move)
        self.steps.currentRowChanged.connect(self._on_current)
        self.steps.step_moved.connect(self.move_step)
        self.steps.remove_requested.connect(self.remove_step)
        self.editor.amount_changed.connect(lambda n: self._edit_step(self.draft.set_amount, n))
        self.editor.rest_changed.connect(lambda n: self._edit_step(self.draft.set_rest, n))
        self.editor.sides_changed.connect(lambda s: self._edit_step(self.draft.set_sides, s))
        self.editor.move_up.connect(lambda: self.move_step(self._current, self._current - 1))
        self.editor.move_down.connect(lambda: self.move_step(self._current, self._current + 1))
        self.editor.remove.connect(lambda: self.remove_step(self._current))
        self.undo_button.clicked.connect(self.undo)
        self.try_button.clicked.connect(self.try_it)
        self.export_button.clicked.connect(self.export)
        self.delete_button.clicked.connect(self.delete)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        keys: list[tuple[QKeySequence, Callable[[], object]]] = [
            (QKeySequence(QKeySequence.StandardKey.Undo), self.undo),
            (QKeySequence(QKeySequence.StandardKey.Save), self.save),
            (QKeySequence("Ctrl+W"), self.close),  # asks first when changes are unsaved
            (QKeySequence(Qt.Key.Key_Escape), self.close),
            (QKeySequence("Alt+Up"), lambda: self.move_step(self._current, self._current - 1)),
            (QKeySequence("Alt+Down"), lambda: self.move_step(self._current, self._current + 1)),
        ]
        for sequence, slot in keys:
            shortcut = QShortcut(sequence, self)
            shortcut.activated.connect(slot)

    # ------------------------------------------------------------------ public

    @property
    def problems(self) -> dict[str, str]:
        """The draft's problems by field, as shown."""
        return self.draft.problems()

    def set_library(self, library: Library) -> None:
        """Use ``library`` from now on (reloaded after a save, import or delete)."""
        self.draft.library = library
        self.picker.set_moves(library.moves)
        self._refresh()

    def add_move(self, move_id: str) -> None:
        """Add the library's move ``move_id`` after the selected step."""
        at = self._current + 1 if self.draft.steps else 0
        self._current = self.draft.add_step(move_id, at)
        self._steps_changed()

    def move_step(self, source: int, target: int) -> None:
        """Move a step from ``source`` to ``target`` (no-op when either is out of range)."""
        count = len(self.draft.steps)
        if not (0 <= source < count and 0 <= target < count) or source == target:
            self._refresh()  # a drag that went nowhere: show the draft's order again
            return
        self._current = self.draft.move_step(source, target)
        self._steps_changed()

    def remove_step(self, index: int) -> None:
        """Remove a step; Ctrl+Z or Undo puts it back."""
        if 0 <= index < len(self.draft.steps):
            removed = self.draft.remove_step(index)
            self._undo.append(None)
            self._current = min(index, max(0, len(self.draft.steps) - 1))
            self._steps_changed()
            self.set_notice(f"Removed {removed.move.name}. Ctrl+Z puts it back.")

    def undo(self) -> None:
        """Put back the last removed step, or the last deleted routine file."""
        if not self._undo:
            return
        entry = self._undo.pop()
        if entry is None:
            index = self.draft.undo()
            if index is not None:
                self._current = index
            self.set_notice("")
            self._steps_changed()
            return
        try:
            restore_file(entry)
        except RoutineFileError as error:
            self.set_notice(str(error))
            return
        self.draft.path = str(entry.path)
        self.set_notice(f"{entry.name} is back.")
        self.saved.emit(str(entry.path))
        self._refresh()

    def save(self) -> Path | None:
        """Save the routine to its file; returns the path, or None when not saved."""
        self.fields.write_to(self.draft)
        routine, problems = self.draft.check()
        if routine is None:
            self._refresh()
            return None
        own = bool(self.draft.path)
        target = Path(self.draft.path) if own else user_file(self.user_folder, routine.id)
        if not own and target.exists() and not self.confirm(
            "Replace the file?", f"{target.name} is already in your routines. Replace it?"
        ):
            return None
        try:
            write_atomically(target, self.draft.to_toml())
        except RoutineFileError as error:
            self.set_notice(str(error))
            return None
        self.draft.path = str(target)
        self.draft.id_follows_name = False
        self.setWindowModified(False)
        self.set_notice(f"Saved {routine.name}.")
        self.saved.emit(str(target))
        self._refresh()
        return target

    def delete(self) -> None:
        """Delete the saved routine's file (Undo or Ctrl+Z puts it back)."""
        if not self.draft.path:
            return
        try:
            removed = delete_file(Path(self.draft.path), self.draft.name)
        except RoutineFileError as error:
            self.set_notice(str(error))
            return
        self._undo.append(removed)
        self.draft.path = ""
        self.set_notice(f"Deleted {removed.name}. Ctrl+Z or Undo puts it back.")
        self.deleted.emit(str(removed.path))
        self._refresh()

    def try_it(self) -> None:
        """Ask for the routine to play at its usual length, sped up (``try_requested``)."""
        routine = self.draft.check()[0]
        if routine is not None:
            self.try_requested.emit(routine, float(routine.default_minutes))

    def export(self) -> Path | None:
        """Write the routine to a file chosen with ``choose_export``; returns it or None."""
        if self.draft.check()[0] is None:
            return None
        target = self.choose_export(f"{self.draft.routine_id}.toml")
        if target is None:
            return None
        try:
            write_atomically(Path(target), self.draft.to_toml())
        except RoutineFileError as error:
            self.set_notice(str(error))
            return None
        self.set_notice(f"Exported to {target}.")
        return Path(target)

    def set_notice(self, text: str) -> None:
        """The line beside the buttons: what was just done, or why it could not be."""
        self.notice.setText(text)

    # ------------------------------------------------------------------ updates

    def _mark_unsaved(self) -> None:
        # Edited since opened or saved: Qt's window-modified flag, a * in the title.
        if not self.isWindowModified():
            self.set_notice("")  # "Saved ..." or "Exported ..." no longer holds
            self.setWindowModified(True)

    def _on_fields(self, minutes: bool = False) -> None:
        self._mark_unsaved()
        (self.fields.write_minutes_to if minutes else self.fields.write_to)(self.draft)
        self._refresh()

    def _on_fit(self) -> None:
        self._mark_unsaved()
        self.draft.fit_minutes()
        self.fields.show_minutes(self.draft)
        self._refresh()

    def _on_current(self, row: int) -> None:
        if row >= 0:
            self._current = row
        self._show_editor(self.draft.problems())

    def _edit_step(self, change: Callable[[int, _Value], None], value: _Value) -> None:
        if 0 <= self._current < len(self.draft.steps):
            change(self._current, value)
            self._steps_changed()

    def _steps_changed(self) -> None:
        self._mark_unsaved()
        if self.draft.minutes_follow_steps:
            self.fields.show_minutes(self.draft)
        self._refresh()

    def _refresh(self) -> None:
        problems = self.draft.problems()
        self.fields.show_problems(problems)
        bad_steps = {
            int(key[6:-1]) for key in problems if key.startswith("steps[")
        }
        self.steps.show_steps(self.draft.steps, self._current, bad_steps)
        whole = problems.get("steps", "") or problems.get("routine", "")
        self.steps_message.setText(whole)
        self.steps_message.setVisible(bool(whole))
        self._show_editor(problems)
        self._show_preview()
        valid = not problems
        for button in (self.save_button, self.try_button, self.export_button):
            button.setEnabled(valid)
        self.save_button.setToolTip("" if valid else "Fix the problems shown first")
        self.delete_button.setEnabled(bool(self.draft.path))
        self.undo_button.setEnabled(bool(self._undo))
        state = "your routine" if self.draft.path else "not saved yet"
        # Qt puts a * where "[*]" is while the window is marked modified.
        self.setWindowTitle(f"Routine builder: {self.draft.name or 'unnamed'} · {state}[*]")

    def _show_editor(self, problems: dict[str, str]) -> None:
        steps = self.draft.steps
        step = steps[self._current] if 0 <= self._current < len(steps) else None
        self.editor.show_step(step, problems.get(f"steps[{self._current}]", ""))
        if step is not None:
            self.editor.up_button.setEnabled(self._current > 0)
            self.editor.down_button.setEnabled(self._current < len(steps) - 1)

    def _show_preview(self) -> None:
        preview = self.draft.preview()
        self.preview_lines.clear()
        if preview is None:
            self.preview_total.setText("Plan: fix the problems to see it")
            self.preview_areas.setText("")
            return
        self.preview_total.setText(f"Plan at {preview.minutes:g} min: {preview.total}")
        areas = (f"{item.label} {item.text}".replace(" ", "\u00a0") for item in preview.areas)
        self.preview_areas.setText(" · ".join(areas))
        for line in preview.lines:
            self.preview_lines.addItem(f"{line.start:>5}  {line.name} · {line.length}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.isWindowModified():
            name = self.draft.name.strip()
            what = f"“{name[:60]}”" if name else "this routine"
            choice = self.unsaved_choice(what, not self.draft.problems())
            if choice is Unsaved.KEEP_OPEN or (choice is Unsaved.SAVE and self.save() is None):
                event.ignore()
                return
        super().closeEvent(event)
