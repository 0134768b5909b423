"""The session screen's columns: a layout that gives each column a fixed share of
the width, whatever it holds, and the text column, which fits its texts to its box.

Unlike ``QHBoxLayout`` the columns layout never trades width between columns for
their size hints, so a column's place depends on the window size alone (see
:func:`facegym_desktop.core.session_layout.column_spans`).  The text column never
grows with its texts either: a long move name takes a smaller size, then the
technique and the pressure guide show less (:func:`fit_text_column`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import QLayout, QLayoutItem, QStackedWidget, QWidget

from facegym_desktop.core.session_layout import (
    COLUMN_SHARES,
    TITLE_LINES,
    TextColumnFit,
    column_spans,
    fit_text_column,
)
from facegym_desktop.ui.elided_label import ElidedLabel
from facegym_desktop.ui.pressure_guide import PressureGuide

TEXT_SPACING = 10  # px between the name, the technique and the guide


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


class TextColumn(QWidget):
    """The move's name, its technique and, under them, ``panel`` (the pressure guide
    or the preparation checklist), stacked top down inside the column's box.

    The name (``title``, at most :data:`TITLE_LINES` lines) takes the largest of the
    fonts given to :meth:`set_title_fonts` at which it fits without cutting a word,
    else the smallest, ending in "…".  Then :func:`fit_text_column` decides how many
    lines of ``technique`` show and whether ``guide`` leaves out its feel lines.
    Call :meth:`refit` after changing any of their texts; resizing refits itself.
    """

    def __init__(
        self,
        title: ElidedLabel,
        technique: ElidedLabel,
        panel: QStackedWidget,
        guide: PressureGuide,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.technique = technique
        self.panel = panel
        self.guide = guide
        self._title_fonts: tuple[QFont, ...] = (title.font(),)
        self._fit = TextColumnFit(compact_guide=False, technique_lines=0, fits=True)
        title.set_max_lines(TITLE_LINES)
        for widget in (title, technique, panel):
            widget.setParent(self)

    @property
    def fit(self) -> TextColumnFit:
        """The choice made by the last :meth:`refit`."""
        return self._fit

    def set_title_fonts(self, fonts: Sequence[QFont]) -> None:
        """The fonts the name may take, largest first (at least one)."""
        if not fonts:
            raise ValueError("the title needs at least one font")
        self._title_fonts = tuple(fonts)
        self.refit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.refit()

    def refit(self) -> None:
        """Choose the name's font and what shows, and place the three parts."""
        width = max(1, self.width())
        title = self.title
        for font in self._title_fonts:
            title.setFont(font)
            if title.lines_needed(width) <= TITLE_LINES and not title.breaks_a_word(width):
                break
        title_height = title.heightForWidth(width)
        technique = self.technique
        technique.set_max_lines(max(1, technique.lines_needed(width)))
        full, compact = self._panel_heights(width)
        self._fit = fit_text_column(
            self.height(),
            TEXT_SPACING,
            title_height,
            technique.fontMetrics().lineSpacing(),
            technique.lines_needed(width) if technique.text() else 0,
            full,
            compact,
        )
        self.guide.set_compact(self._fit.compact_guide)
        lines = self._fit.technique_lines
        if lines:
            technique.set_max_lines(lines)
        technique.setVisible(lines > 0)
        y = 0
        title.setGeometry(0, y, width, title_height)
        y += title_height + TEXT_SPACING
        if lines:
            height = technique.heightForWidth(width)
            technique.setGeometry(0, y, width, height)
            y += height + TEXT_SPACING
        self.panel.setGeometry(0, y, width, max(0, self.height() - y))

    def _panel_heights(self, width: int) -> tuple[int, int]:
        """The panel's height at ``width`` with the guide whole and compact."""
        shown = self.panel.currentWidget()
        if shown is not self.guide:
            height = _height_for(shown, width) if shown is not None else 0
            return height, height
        heights = []
        for compact in (False, True):
            self.guide.set_compact(compact)
            heights.append(_height_for(self.guide, width))
        return heights[0], heights[1]


def _height_for(widget: QWidget, width: int) -> int:
    height = widget.heightForWidth(width)
    return height if height >= 0 else widget.sizeHint().height()
