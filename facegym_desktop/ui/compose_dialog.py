"""Compose a routine: choose a length, focus areas and the tools at hand.

The routine is made by :func:`facegym_desktop.core.composer.compose` (the same as
``facegym routines new``) and handed on with ``composed(routine)`` to open in the
builder.  A request that cannot be met shows the composer's reason under the
choices, and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.composer import (
    DEFAULT_NAME,
    HANDS,
    CompositionError,
    Request,
    compose,
)
from facegym_desktop.core.routine import MAX_NAME, MINUTES_RANGE, Move, Routine
from facegym_desktop.core.routine_draft import MINUTES_STEP
from facegym_desktop.core.vocabulary import AREAS, TOOLS
from facegym_desktop.ui.theme import LIGHT, Theme

DEFAULT_MINUTES = 10.0
AREA_COLUMNS = 3


class ComposeDialog(QDialog):
    """Signals: ``composed(routine)`` when a routine was made.

    ``areas`` and ``tools`` are the check boxes by id; ``reason`` shows why the last
    request could not be met.
    """

    composed = Signal(object)

    def __init__(
        self,
        moves: Mapping[str, Move],
        *,
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._moves = moves
        self.setWindowTitle("Compose a routine")
        self.name = QLineEdit(DEFAULT_NAME)
        self.name.setMaxLength(MAX_NAME)
        self.name.setAccessibleName("Name of the routine")
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(*MINUTES_RANGE)
        self.minutes.setSingleStep(MINUTES_STEP)
        self.minutes.setDecimals(1)
        self.minutes.setSuffix(" min")
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setAccessibleName("Length in minutes")
        self.areas = {area.id: QCheckBox(area.label) for area in AREAS}
        self.tools = {tool: QCheckBox(tool.replace("-", " ").capitalize()) for tool in TOOLS}
        self.tools[HANDS].setChecked(True)
        self.tools[HANDS].setEnabled(False)
        self.tools[HANDS].setToolTip("Your fingers are always at hand")
        self.reason = QLabel("")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(f"color: {theme.caution}")
        self.reason.setAccessibleName("Why it cannot be composed")
        self.reason.setVisible(False)
        self.compose_button = QPushButton("Compose and open in the builder")
        self.compose_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Length", self.minutes)
        area_box = QGroupBox("Focus areas (none: the whole face, balanced)")
        grid = QGridLayout(area_box)
        for index, box in enumerate(self.areas.values()):
            grid.addWidget(box, index // AREA_COLUMNS, index % AREA_COLUMNS)
        tool_box = QGroupBox("Tools at hand")
        tool_row = QHBoxLayout(tool_box)
        for box in self.tools.values():
            tool_row.addWidget(box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.compose_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(area_box)
        layout.addWidget(tool_box)
        layout.addWidget(self.reason)
        layout.addLayout(buttons)
        self.compose_button.clicked.connect(self.compose_now)
        self.cancel_button.clicked.connect(self.reject)

    def request(self) -> Request:
        """What the choices ask for."""
        areas = tuple(area for area, box in self.areas.items() if box.isChecked())
        tools = tuple(tool for tool, box in self.tools.items() if box.isChecked())
        name = self.name.text().strip() or DEFAULT_NAME
        return Request(self.minutes.value(), areas, tools, name)

    def compose_now(self) -> Routine | None:
        """Compose; on success emit ``composed`` and close, else show the reason."""
        try:
            routine = compose(self._moves, self.request())
        except CompositionError as error:
            self.reason.setText(f"Cannot compose this: {error}.")
            self.reason.setVisible(True)
            return None
        self.reason.setVisible(False)
        self.composed.emit(routine)
        self.accept()
        return routine
