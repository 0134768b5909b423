"""Calendar heatmap of the last twelve months: one square per day, shaded by minutes.

The cells (which week column and weekday row each day falls in, its shade level,
today's mark) come ready-made from ``core.stats.heatmap``; this widget only lays
them out in pixels and paints.  Arrow keys move a selection cursor day by day
(left/right a week, up/down a day) and announce the day through ``day_selected``.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from facegym_desktop.core.heatmap_layout import LabelPlace, month_label_places
from facegym_desktop.core.stats import HEAT_LEVEL_MINUTES, HeatCell, HeatmapData
from facegym_desktop.core.timefmt import minutes_text
from facegym_desktop.ui.theme import LIGHT, Theme

ROWS = 7
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}
LEFT_MARGIN = 34.0
TOP_MARGIN = 18.0
RIGHT_MARGIN = 5.0  # room for today's outline and the focus ring
GAP = 3.0


def heat_fraction(level: int) -> float:
    """Shade strength (0..1) of a heat level; level 0 is unshaded."""
    top = len(HEAT_LEVEL_MINUTES) - 1
    return max(0.0, min(1.0, level / top)) if top else 0.0


def cell_size(width: float, height: float, columns: int) -> float:
    """Largest square cell (with gaps) that fits ``columns`` x 7 in the given space."""
    across = (width - LEFT_MARGIN - RIGHT_MARGIN - GAP * (columns - 1)) / max(1, columns)
    down = (height - TOP_MARGIN - GAP * (ROWS - 1)) / ROWS
    return max(2.0, min(across, down))


def describe_cell(cell: HeatCell) -> str:
    amount = "no session" if cell.minutes <= 0 else minutes_text(cell.minutes * 60)
    suffix = " (today)" if cell.is_today else ""
    return f"{cell.day.strftime('%a %d %b %Y')}: {amount}{suffix}"


class CalendarHeatmap(QWidget):
    """The heatmap.  Setter: ``set_data(HeatmapData)``."""

    day_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._data = HeatmapData((), 0, ())
        self._selected = -1
        self._by_position: dict[tuple[int, int], int] = {}
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Calendar of the last twelve months")
        self.setMinimumHeight(120)

    # ------------------------------------------------------------------ state

    def set_theme(self, theme: Theme) -> None:
        """Paint in ``theme`` from the next frame on."""
        if theme != self._theme:
            self._theme = theme
            self.update()

    @property
    def data(self) -> HeatmapData:
        return self._data

    @property
    def selected_index(self) -> int:
        return self._selected

    def set_data(self, data: HeatmapData) -> None:
        if data == self._data:
            return
        self._data = data
        self._by_position = {(cell.column, cell.row): i for i, cell in enumerate(data.cells)}
        today = [i for i, cell in enumerate(data.cells) if cell.is_today]
        self._selected = today[0] if today else len(data.cells) - 1
        self._announce()
        self.update()

    def select(self, index: int) -> None:
        if not self._data.cells:
            return
        index = max(0, min(len(self._data.cells) - 1, index))
        if index != self._selected:
            self._selected = index
            self._announce()
            self.update()

    def _announce(self) -> None:
        if 0 <= self._selected < len(self._data.cells):
            text = describe_cell(self._data.cells[self._selected])
            self.setAccessibleDescription(text)
            self.day_selected.emit(text)

    # ------------------------------------------------------------------ geometry

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 150)

    def cell_rect(self, column: int, row: int) -> QRectF:
        size = cell_size(self.width(), self.height(), max(1, self._data.columns))
        return QRectF(
            LEFT_MARGIN + column * (size + GAP), TOP_MARGIN + row * (size + GAP), size, size
        )

    def month_label_places(self) -> tuple[LabelPlace, ...]:
        """The month labels as painted: none overlapping (see core.heatmap_layout)."""
        size = cell_size(self.width(), self.height(), max(1, self._data.columns))
        metrics = QFontMetricsF(self._theme.font(self._theme.small_px - 5))
        return month_label_places(
            self._data.month_labels, LEFT_MARGIN, size + GAP, metrics.horizontalAdvance,
            right_edge=float(self.width()),
        )

    def index_at(self, x: float, y: float) -> int:
        size = cell_size(self.width(), self.height(), max(1, self._data.columns))
        column = int((x - LEFT_MARGIN) // (size + GAP))
        row = int((y - TOP_MARGIN) // (size + GAP))
        return self._by_position.get((column, row), -1)

    # ------------------------------------------------------------------ input

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        steps = {
            Qt.Key.Key_Left: -ROWS,
            Qt.Key.Key_Right: ROWS,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
        }
        key = Qt.Key(event.key())
        if key in steps:
            self.select(self._selected + steps[key])
        elif key == Qt.Key.Key_Home:
            self.select(0)
        elif key == Qt.Key.Key_End:
            self.select(len(self._data.cells) - 1)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        index = self.index_at(event.position().x(), event.position().y())
        if index >= 0:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.select(index)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        index = self.index_at(event.position().x(), event.position().y())
        if index >= 0:
            QToolTip.showText(
                event.globalPosition().toPoint(), describe_cell(self._data.cells[index]), self
            )

    # ------------------------------------------------------------------ paint

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        theme = self._theme
        painter.setFont(theme.font(theme.small_px - 5))
        painter.setPen(theme.color("text_muted"))
        size = cell_size(self.width(), self.height(), max(1, self._data.columns))
        for place in self.month_label_places():
            painter.drawText(
                QRectF(place.x, 0, place.width, TOP_MARGIN - 2), Qt.AlignmentFlag.AlignLeft,
                place.text,
            )
        for row, label in WEEKDAY_LABELS.items():
            y = TOP_MARGIN + row * (size + GAP)
            painter.drawText(
                QRectF(0, y, LEFT_MARGIN - 6, size),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        empty = theme.color("track")
        painter.setPen(Qt.PenStyle.NoPen)
        radius = size * 0.2
        for cell in self._data.cells:
            rect = self.cell_rect(cell.column, cell.row)
            colour = empty if cell.level == 0 else theme.heat_color(heat_fraction(cell.level))
            painter.setBrush(colour)
            painter.drawRoundedRect(rect, radius, radius)
        today = [cell for cell in self._data.cells if cell.is_today]
        if today:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(theme.color("text"), 2.0))
            rect = self.cell_rect(today[0].column, today[0].row).adjusted(-1, -1, 1, 1)
            painter.drawRoundedRect(rect, radius, radius)
        if self.hasFocus() and 0 <= self._selected < len(self._data.cells):
            cell = self._data.cells[self._selected]
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(theme.pressure_color("semi-firm")), 2.5))
            rect = self.cell_rect(cell.column, cell.row).adjusted(-2.5, -2.5, 2.5, 2.5)
            painter.drawRoundedRect(rect, radius + 1, radius + 1)
        painter.end()
