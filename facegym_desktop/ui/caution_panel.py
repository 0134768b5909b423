"""The cautions of the session screen's pressure guide, in one panel."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from facegym_desktop.ui.theme import LIGHT, Theme

CAUTION_BAR = 6  # px, the panel's accent bar down its left edge
CAUTION_PADDING = (12, 8)  # px inside the panel, across and down; also between paragraphs


class CautionPanel(QWidget):
    """The cautions in one panel: one accent bar, one background, a paragraph each.

    Public API: ``set_lines(lines)``, ``lines()``, ``set_theme(theme)``; its height
    for a width is that of its wrapped paragraphs and padding.
    """

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._labels: list[QLabel] = []
        self.setAccessibleName("Cautions")

    def lines(self) -> tuple[str, ...]:
        """The paragraphs shown, top down."""
        return tuple(label.text() for label in self._labels)

    def set_lines(self, lines: Sequence[str]) -> None:
        """Show ``lines``, one paragraph each (none hides the panel)."""
        for label in self._labels:
            # Hidden at once: deleteLater only acts when the event loop comes round.
            label.hide()
            label.setParent(None)
            label.deleteLater()
        self._labels = []
        for line in lines:
            label = QLabel(line, self)
            label.setWordWrap(True)
            label.setAccessibleName(f"Caution: {line}")
            self._style(label)
            label.show()
            self._labels.append(label)
        self.setVisible(bool(lines))
        self._place()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        for label in self._labels:
            self._style(label)
        self._place()
        self.update()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        if not self._labels:
            return 0
        across, down = CAUTION_PADDING
        inner = max(1, width - CAUTION_BAR - 2 * across)
        text = sum(label.heightForWidth(inner) for label in self._labels)
        return text + down * (len(self._labels) + 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place()

    def _place(self) -> None:
        across, down = CAUTION_PADDING
        x = CAUTION_BAR + across
        inner = max(1, self.width() - x - across)
        y = down
        for label in self._labels:
            height = label.heightForWidth(inner)
            label.setGeometry(x, y, inner, height)
            y += height + down

    def _style(self, label: QLabel) -> None:
        theme = self._theme
        label.setFont(theme.font(theme.body_px, bold=True))
        label.setStyleSheet(f"color: {theme.caution}; background: transparent;")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self._theme.caution_background))
        painter.fillRect(0, 0, CAUTION_BAR, self.height(), QColor(self._theme.caution))
        painter.end()
