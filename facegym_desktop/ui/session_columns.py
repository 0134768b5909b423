"""A layout that gives each column a fixed share of the width, whatever it holds.

Unlike ``QHBoxLayout`` it never trades width between columns for their size hints,
so a column's place depends on the window size alone (see
:func:`facegym_desktop.core.session_layout.column_spans`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget

from facegym_desktop.core.session_layout import COLUMN_SHARES, column_spans


class ColumnsLayout(QLayout):
    """Columns side by side at fixed shares of the width, each as tall as the layout.

    ``shares``: one positive number per column, in the order widgets are added.
    Columns do not push the window's minimum size: content that does not fit its
    column is clipped, never given room taken from another column.
    """

    def __init__(
        self, shares: Sequence[float] = COLUMN_SHARES, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._shares = tuple(shares)
        self._items: list[QLayoutItem] = []

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 420)

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(80 * len(self._shares), 160)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        shares = self._shares[: len(self._items)]
        if not shares:
            return
        for item, (x, width) in zip(
            self._items, column_spans(rect.width(), max(0, self.spacing()), shares), strict=False
        ):
            item.setGeometry(QRect(rect.x() + x, rect.y(), width, rect.height()))
