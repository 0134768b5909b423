"""The builder's move library: moves filtered by area and tool, each with its picture.

Each row shows the move's face-map illustration (its areas lit in their pressure
colours and its strokes drawn, painted once by a hidden :class:`FaceMapWidget` and
kept as a pixmap), its name, tool and pressure.  Enter, a double click or the Add
button asks for the selected move with ``add_requested(move_id)``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.routine import Move
from facegym_desktop.core.vocabulary import (
    AREA_IDS,
    AREAS,
    TOOLS,
    in_face_order,
)
from facegym_desktop.ui.face_map import FaceMapWidget
from facegym_desktop.ui.theme import LIGHT, Theme

ICON_SIZE = QSize(44, 54)
ALL_AREAS = "All areas"
ANY_TOOL = "Any tool"
_pictures: dict[tuple[str, int, int, str], QPixmap] = {}


def move_picture(move: Move, size: QSize = ICON_SIZE, theme: Theme = LIGHT) -> QPixmap:
    """The face map of ``move`` at ``size``: lit areas and strokes (cached per move)."""
    key = (move.id, size.width(), size.height(), theme.name)
    picture = _pictures.get(key)
    if picture is None:
        face = FaceMapWidget(theme=theme)
        face.resize(size)
        face.set_active_areas(dict(move.pressure))
        face.set_strokes(move.strokes)
        picture = _pictures[key] = face.grab()
        face.deleteLater()
    return picture


def pressure_text(move: Move) -> str:
    """ "Cheeks medium, under-eyes feather", areas from the top of the face down."""
    return ", ".join(
        f"{area.label} {level.label.lower()}" for area, level in in_face_order(move.pressure)
    )


def move_line(move: Move) -> str:
    """The second line of a row: tool, one side at a time or not, and pressure."""
    sides = "each side" if move.sides == "each" else "both sides"
    return f"{move.tool.replace('-', ' ')} · {sides} · {pressure_text(move)}"


class _MoveList(QListWidget):
    activated_by_key = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_by_key.emit()
            return
        super().keyPressEvent(event)


class MovePicker(QWidget):
    """Signals: ``add_requested(move_id)``.

    ``area_filter`` and ``tool_filter`` are the filter boxes (first entry: no filter).
    """

    add_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._moves: dict[str, Move] = {}
        title = QLabel("Moves")
        title.setFont(theme.font(theme.small_px, bold=True))
        self.area_filter = QComboBox()
        self.area_filter.addItem(ALL_AREAS, "")
        for area in AREAS:
            self.area_filter.addItem(area.label, area.id)
        self.area_filter.setAccessibleName("Show moves for area")
        self.tool_filter = QComboBox()
        self.tool_filter.addItem(ANY_TOOL, "")
        for tool in TOOLS:
            self.tool_filter.addItem(tool.replace("-", " ").capitalize(), tool)
        self.tool_filter.setAccessibleName("Show moves with tool")
        self.move_list = _MoveList()
        self.move_list.setIconSize(ICON_SIZE)
        self.move_list.setAccessibleName("Moves to add")
        self.move_list.setWordWrap(True)
        self.add_button = QPushButton("Add to routine")
        self.add_button.setToolTip("Add the selected move at the end (Enter)")

        filters = QHBoxLayout()
        filters.addWidget(self.area_filter, 1)
        filters.addWidget(self.tool_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.move_list, 1)
        layout.addWidget(self.add_button)

        self.area_filter.currentIndexChanged.connect(self._refill)
        self.tool_filter.currentIndexChanged.connect(self._refill)
        self.move_list.itemDoubleClicked.connect(self._add_current)
        self.move_list.activated_by_key.connect(self._add_current)
        self.add_button.clicked.connect(self._add_current)

    def set_moves(self, moves: Mapping[str, Move]) -> None:
        """The moves to offer, by id (a library's ``moves``)."""
        self._moves = dict(moves)
        self._refill()

    def set_filters(self, area: str = "", tool: str = "") -> None:
        """Show only moves that work ``area`` with ``tool`` ("" for any)."""
        self.area_filter.setCurrentIndex(max(0, self.area_filter.findData(area)))
        self.tool_filter.setCurrentIndex(max(0, self.tool_filter.findData(tool)))

    def visible_move_ids(self) -> list[str]:
        """The ids of the moves listed now, in order."""
        return [str(self.move_list.item(row).data(Qt.ItemDataRole.UserRole))
                for row in range(self.move_list.count())]

    def select_move(self, move_id: str) -> bool:
        """Select a listed move; False when the filters hide it."""
        ids = self.visible_move_ids()
        if move_id not in ids:
            return False
        self.move_list.setCurrentRow(ids.index(move_id))
        return True

    def _refill(self) -> None:
        area = str(self.area_filter.currentData() or "")
        tool = str(self.tool_filter.currentData() or "")
        self.move_list.clear()
        shown = sorted(self._moves.values(), key=lambda m: (_top(m), m.name))
        for move in shown:
            if (area and area not in move.areas) or (tool and move.tool != tool):
                continue
            item = QListWidgetItem(f"{move.name}\n{move_line(move)}")
            item.setIcon(move_picture(move, ICON_SIZE, self._theme))
            item.setData(Qt.ItemDataRole.UserRole, move.id)
            item.setToolTip(move.technique + (f"\n{move.caution}" if move.caution else ""))
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"{move.name}, {move_line(move)}"
            )
            self.move_list.addItem(item)
        if self.move_list.count():
            self.move_list.setCurrentRow(0)
        self.add_button.setEnabled(self.move_list.count() > 0)

    def _add_current(self) -> None:
        item = self.move_list.currentItem()
        if item is not None:
            self.add_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))


def _top(move: Move) -> int:
    """Where a move sits on the face: the index of its highest area."""
    return min(AREA_IDS.index(area) for area in move.areas)
