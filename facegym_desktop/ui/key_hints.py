"""A row of key hints ("Space pause", "Esc stop", ...) that wraps into even lines.

A plain word-wrapped label fills its first line and leaves the last hint alone on
the second; this one keeps each hint whole and, when the row does not fit its
width, shares the hints out over as few lines as needed, as evenly as they go
(:func:`~facegym_desktop.core.session_layout.balanced_lines`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from facegym_desktop.core.session_layout import balanced_lines

# Two em spaces between hints: wide enough to set them apart, and not a mark that a
# wrapped line would end with.
SEPARATOR = "\u2003\u2003"


class KeyHints(QLabel):
    """Shows ``hints`` in order, each kept on one line (no-break spaces inside it).

    Word wrap stays on, so the label asks for the height of its lines at its width
    and never sets the window's minimum width.
    """

    def __init__(self, hints: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hints = tuple(hint.replace(" ", "\u00a0") for hint in hints)
        self.setWordWrap(True)
        self._wrap()

    def lines(self) -> list[str]:
        """The lines as shown now."""
        return self.text().split("\n")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._wrap()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._wrap()

    def _wrap(self) -> None:
        metrics = QFontMetrics(self.font())
        widths = [metrics.horizontalAdvance(hint) for hint in self.hints]
        width = self.contentsRect().width() - 2 * self.margin()
        counts = balanced_lines(widths, metrics.horizontalAdvance(SEPARATOR), max(1, width))
        lines, start = [], 0
        for count in counts:
            lines.append(SEPARATOR.join(self.hints[start : start + count]))
            start += count
        text = "\n".join(lines)
        if text != self.text():
            self.setText(text)
