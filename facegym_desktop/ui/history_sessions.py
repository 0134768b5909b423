"""The session list: a table model over session records, newest first.

The model holds the records the worker loaded; cells are formatted only when the
view asks for them, so twenty years of sessions cost one list, not 15,000 widgets.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from facegym_desktop.core.history import IN_PROGRESS, SessionRecord, SessionStatus

HEADERS = ("Date", "Started", "Routine", "Length", "Status")
ROW_HEIGHT_PX = 28  # fixed, so the view never measures thousands of rows
ROWS_ALWAYS_SHOWN = 5  # the table's least height, in rows
STATUS_LABELS: dict[str, str] = {
    SessionStatus.COMPLETED: "Completed",
    SessionStatus.PARTIAL: "Partly done",
    SessionStatus.INTERRUPTED: "Interrupted",
    IN_PROGRESS: "In progress",
}

_Index = QModelIndex | QPersistentModelIndex


def format_length(seconds: int) -> str:
    """``40 s`` under a minute, else whole minutes: ``5 min``."""
    if seconds < 60:
        return f"{seconds} s"
    return f"{round(seconds / 60)} min"


def session_cells(record: SessionRecord) -> tuple[str, str, str, str, str]:
    return (
        record.local_date.strftime("%a %d %b %Y"),
        record.started_at.strftime("%H:%M"),
        record.routine_name,
        format_length(record.active_seconds),
        STATUS_LABELS.get(record.status, record.status),
    )


class SessionTableModel(QAbstractTableModel):
    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self._records: list[SessionRecord] = []

    def set_records(self, records: Sequence[SessionRecord]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record(self, row: int) -> SessionRecord | None:
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, session_id: int) -> int:
        for row, record in enumerate(self._records):
            if record.id == session_id:
                return row
        return -1

    def remove_session(self, session_id: int) -> int:
        """Drop a row at once (the delete is confirmed later by the worker)."""
        row = self.row_of(session_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._records[row]
            self.endRemoveRows()
        return row

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return session_cells(record)[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return record.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (1, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


def session_table(model: SessionTableModel, parent: QWidget | None = None) -> QTableView:
    """A read-only, single-row-selection view of ``model`` with fixed row heights."""
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    # Fixed row heights let the view skip measuring 15,000 rows.
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT_PX)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(False)
    for column, width in enumerate((170, 80, 0, 90, 130)):
        if width:
            header.resizeSection(column, width)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    table.setAccessibleName("Sessions, newest first")
    fit_rows(table, ROWS_ALWAYS_SHOWN)
    return table


def fit_rows(table: QTableView, sessions: int) -> None:
    """However small the window, the table keeps ``sessions`` rows in sight, at most
    ``ROWS_ALWAYS_SHOWN`` and at least one (the charts scroll first)."""
    rows = min(ROWS_ALWAYS_SHOWN, max(1, sessions))
    frame = 2 * table.frameWidth()
    header = table.horizontalHeader().sizeHint().height()
    table.setMinimumHeight(header + rows * ROW_HEIGHT_PX + frame)
