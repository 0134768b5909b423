"""The builder's routine fields: name, description, kind, lengths and preparation.

Each field has a message line right under it, shown only while the draft has a
problem with that field (``show_problems``).  Edits are reported by ``changed()``;
``write_to(draft)`` copies the fields into the draft.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.routine import MAX_NAME, MINUTES_RANGE
from facegym_desktop.core.routine_draft import LENGTH_CAPTIONS, MINUTES_STEP, RoutineDraft
from facegym_desktop.core.vocabulary import ROUTINE_KINDS
from facegym_desktop.ui.theme import LIGHT, Theme

# The problem fields shown under the length row, in its order.
MINUTE_FIELDS = tuple(LENGTH_CAPTIONS)
_KIND_LABELS = {"daily": "Daily", "extended": "Extended", "relax": "Relax", "tool": "With a tool"}


class RoutineFields(QWidget):
    """Signals: ``changed()`` on any edit, ``minutes_edited()`` when a length is set by
    hand, ``fit_requested()`` for the "Fit to steps" button.

    ``messages`` maps each field of ``core.routine_draft.FIELD_NAMES`` shown here to
    the label under it.
    """

    changed = Signal()
    minutes_edited = Signal()
    fit_requested = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._loading = False
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME * 2)  # longer names are shown as a problem
        self.name.setAccessibleName("Routine name")
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setTabChangesFocus(True)  # a description needs no tab stops
        self.description.setFixedHeight(theme.small_px * 3 + 8)
        self.kind = QComboBox()
        for kind in ROUTINE_KINDS:
            self.kind.addItem(_KIND_LABELS.get(kind, kind), kind)
        self.kind.setAccessibleName("Kind of routine")
        self.minutes = {key: QDoubleSpinBox() for key in MINUTE_FIELDS}
        for key, spin in self.minutes.items():
            spin.setRange(*MINUTES_RANGE)
            spin.setSingleStep(MINUTES_STEP)
            spin.setDecimals(1)
            spin.setSuffix(" min")
            spin.setAccessibleName(f"{LENGTH_CAPTIONS[key]} length")
            # The box takes no digit that would pass its range: say what the range is.
            spin.setToolTip(f"From {MINUTES_RANGE[0]:g} to {MINUTES_RANGE[1]:g} min")
        self.fit_button = QPushButton("Fit to steps")
        self.fit_button.setToolTip("Set the lengths to what the steps can reach")
        self.prep = QPlainTextEdit()
        self.prep.setAccessibleName("What you need, one a line")
        self.prep.setPlaceholderText("What you need, one a line")
        self.prep.setTabChangesFocus(True)
        self.prep.setFixedHeight(theme.small_px * 3 + 8)
        self.messages: dict[str, QLabel] = {}
        for key in ("name", "description", "kind", "minutes", "prep"):
            label = QLabel("")
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {theme.caution}")
            label.setVisible(False)
            self.messages[key] = label
        for key in MINUTE_FIELDS:
            self.messages[key] = self.messages["minutes"]

        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        rows: list[tuple[str, QWidget, str]] = [
            ("Name", self.name, "name"),
            ("Description", self.description, "description"),
            ("Kind", self.kind, "kind"),
        ]
        for row, (text, widget, key) in enumerate(rows):
            grid.addWidget(QLabel(text), row * 2, 0)
            grid.addWidget(widget, row * 2, 1)
            grid.addWidget(self.messages[key], row * 2 + 1, 1)
        lengths = QHBoxLayout()
        for key, caption in LENGTH_CAPTIONS.items():
            column = QVBoxLayout()
            column.setSpacing(0)
            small = QLabel(caption)
            small.setFont(theme.font(theme.small_px - 4))
            column.addWidget(small)
            column.addWidget(self.minutes[key])
            lengths.addLayout(column)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(grid)
        layout.addLayout(lengths)
        layout.addWidget(self.fit_button)
        layout.addWidget(self.messages["minutes"])
        layout.addWidget(QLabel("You need"))
        layout.addWidget(self.prep)
        layout.addWidget(self.messages["prep"])

        self.name.textChanged.connect(self._edited)
        self.description.textChanged.connect(self._edited)
        self.kind.currentIndexChanged.connect(self._edited)
        self.prep.textChanged.connect(self._edited)
        for spin in self.minutes.values():
            spin.valueChanged.connect(self._minutes_edited)
        self.fit_button.clicked.connect(self.fit_requested.emit)

    def load(self, draft: RoutineDraft) -> None:
        """Show the draft's fields (no signals)."""
        self._loading = True
        if self.name.text() != draft.name:
            self.name.setText(draft.name)
        if self.description.toPlainText() != draft.description:
            self.description.setPlainText(draft.description)
        self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
        self.show_minutes(draft)
        prep = "\n".join(draft.prep)
        if self.prep.toPlainText() != prep:
            self.prep.setPlainText(prep)
        self._loading = False

    def show_minutes(self, draft: RoutineDraft) -> None:
        """Show the draft's lengths (after "Fit to steps" or a change of steps)."""
        loading, self._loading = self._loading, True
        for key, spin in self.minutes.items():
            spin.setValue(float(getattr(draft, key)))
        self._loading = loading

    def write_to(self, draft: RoutineDraft) -> None:
        """Copy the fields into ``draft`` (lengths only when edited by hand)."""
        draft.set_name(self.name.text())
        draft.description = self.description.toPlainText()
        draft.kind = str(self.kind.currentData())
        draft.prep = [line for line in self.prep.toPlainText().splitlines() if line.strip()]

    def write_minutes_to(self, draft: RoutineDraft) -> None:
        """Set the draft's lengths from the three boxes (they stop following the steps)."""
        low, usual, high = (self.minutes[key].value() for key in MINUTE_FIELDS)
        draft.set_minutes(low, usual, high)

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Show each problem under its field; fields without one show nothing."""
        shown: dict[int, str] = {}
        for key, label in self.messages.items():
            text = problems.get(key, "")
            if text and id(label) not in shown:
                shown[id(label)] = text
        for label in set(self.messages.values()):
            text = shown.get(id(label), "")
            label.setText(text)
            label.setVisible(bool(text))

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()

    def _minutes_edited(self) -> None:
        if not self._loading:
            self.minutes_edited.emit()
