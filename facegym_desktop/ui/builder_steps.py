"""The builder's steps: the ordered list and the editor of the selected step.

:class:`StepList` reorders by drag and drop and by Alt+Up/Alt+Down, and reports each
move as ``step_moved(source, target)`` (the indexes before and after), whichever
way it was made; the builder applies it to the draft and shows the list again.
:class:`StepEditor` edits one step: seconds or reps (per side), its sides (both at
once or each in turn), and the rest after it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.routine import REPS_RANGE, REST_SECONDS_RANGE, SECONDS_RANGE, SIDES
from facegym_desktop.core.routine_draft import StepDraft
from facegym_desktop.ui.builder_moves import ICON_SIZE, move_picture, pressure_text
from facegym_desktop.ui.theme import LIGHT, Theme

_ModelIndex = QModelIndex | QPersistentModelIndex
# What the sides box says for each value of a step's ``sides``.
SIDES_TEXT = {"both": "Both at once", "each": "Each side in turn"}


def step_text(step: StepDraft) -> str:
    """A step's row: "Jawline glide · 40 s each side · rest 10 s"."""
    amount = f"{step.amount} reps" if step.counted else f"{step.amount} s"
    sides = " each side" if step.sides == "each" else ""
    rest = f" · rest {step.rest_after} s" if step.rest_after else ""
    return f"{step.move.name} · {amount}{sides}{rest}"


class StepList(QListWidget):
    """Signals: ``step_moved(source, target)``, ``remove_requested(index)``."""

    step_moved = Signal(int, int)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self.setAccessibleName("Steps")
        self.setIconSize(ICON_SIZE)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.model().rowsMoved.connect(self._on_rows_moved)

    def show_steps(self, steps: Sequence[StepDraft], current: int, problems: set[int]) -> None:
        """List ``steps`` (``problems``: indexes shown marked) and select ``current``."""
        self.blockSignals(True)
        self.clear()
        for index, step in enumerate(steps):
            mark = "⚠ " if index in problems else ""
            item = QListWidgetItem(f"{index + 1}. {mark}{step_text(step)}")
            item.setIcon(move_picture(step.move, ICON_SIZE, self._theme))
            item.setToolTip(pressure_text(step.move))
            self.addItem(item)
        if steps:
            self.setCurrentRow(max(0, min(current, len(steps) - 1)))
        self.blockSignals(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        row = self.currentRow()
        alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and row >= 0:
            target = row - 1 if event.key() == Qt.Key.Key_Up else row + 1
            if 0 <= target < self.count():
                self.step_moved.emit(row, target)
            return
        if event.key() == Qt.Key.Key_Delete and row >= 0:
            self.remove_requested.emit(row)
            return
        super().keyPressEvent(event)

    def _on_rows_moved(
        self, _parent: _ModelIndex, start: int, _end: int, _destination: _ModelIndex, row: int
    ) -> None:
        # ``row`` counts before the move: dropping below the item's old place lands one up.
        target = row if row < start else row - 1
        if target != start:
            self.step_moved.emit(start, target)


class StepEditor(QWidget):
    """Signals: ``amount_changed(int)``, ``sides_changed(str)`` ("both" or "each"),
    ``rest_changed(int)``, ``move_up()``, ``move_down()``, ``remove()`` for the step
    shown.  Tab goes from the length to the sides, the rest after, then the buttons."""

    amount_changed = Signal(int)
    sides_changed = Signal(str)
    rest_changed = Signal(int)
    move_up = Signal()
    move_down = Signal()
    remove = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.title = QLabel("No step selected")
        self.title.setFont(theme.font(theme.small_px, bold=True))
        self.title.setWordWrap(True)
        self.amount = QSpinBox()
        self.amount.setAccessibleName("Length of the step")
        self.rest = QSpinBox()
        self.rest.setRange(*REST_SECONDS_RANGE)
        self.rest.setSuffix(" s")
        self.rest.setAccessibleName("Rest after the step, seconds")
        self.sides = QComboBox()
        for value in SIDES:
            self.sides.addItem(SIDES_TEXT[value], value)
        self.sides.setAccessibleName("Sides of the step")
        self.sides.setToolTip("Both sides at once, or each in turn: left, a switch, then right")
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {theme.caution}")
        self.problem.setAccessibleName("Problem with the step")
        self.up_button = QPushButton("Up")
        self.up_button.setToolTip("Move the step up (Alt+Up)")
        self.down_button = QPushButton("Down")
        self.down_button.setToolTip("Move the step down (Alt+Down)")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the step (Delete; Ctrl+Z puts it back)")

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self.amount_label = QLabel("Seconds")
        form.addRow(self.amount_label, self.amount)
        form.addRow("Sides", self.sides)
        form.addRow("Rest after", self.rest)
        buttons = QHBoxLayout()
        for button in (self.up_button, self.down_button, self.remove_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)

        tab_order = (
            self.amount, self.sides, self.rest, self.up_button, self.down_button,
            self.remove_button,
        )
        for before, after in zip(tab_order, tab_order[1:], strict=False):
            QWidget.setTabOrder(before, after)

        self.amount.valueChanged.connect(self.amount_changed.emit)
        self.sides.currentIndexChanged.connect(self._on_sides)
        self.rest.valueChanged.connect(self.rest_changed.emit)
        self.up_button.clicked.connect(self.move_up.emit)
        self.down_button.clicked.connect(self.move_down.emit)
        self.remove_button.clicked.connect(self.remove.emit)
        self.show_step(None)

    def _on_sides(self, index: int) -> None:
        if index >= 0:
            self.sides_changed.emit(self.sides.itemData(index))

    def show_step(self, step: StepDraft | None, problem: str = "") -> None:
        """Show ``step`` (None: nothing selected) and its problem, without signalling."""
        fields = (self.amount, self.sides, self.rest)
        for widget in fields:
            widget.blockSignals(True)
        has_step = step is not None
        controls: tuple[QWidget, ...] = (
            *fields, self.up_button, self.down_button, self.remove_button
        )
        for control in controls:
            control.setEnabled(has_step)
        if step is None:
            self.title.setText("No step selected")
            self.sides.setCurrentIndex(-1)
        else:
            self.title.setText(step.move.name)
            counted = step.counted
            per_side = " per side" if step.sides == "each" else ""
            self.amount_label.setText(("Reps" if counted else "Seconds") + per_side)
            self.amount.setRange(*(REPS_RANGE if counted else (1, SECONDS_RANGE[1] * 2)))
            self.amount.setSuffix(" reps" if counted else " s")
            self.amount.setValue(step.amount)
            self.rest.setValue(step.rest_after)
            self.sides.setCurrentIndex(self.sides.findData(step.sides))
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        for widget in fields:
            widget.blockSignals(False)
