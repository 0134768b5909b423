"""A label that ends in "…" rather than being cut off when its text does not fit."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QTextLayout
from PySide6.QtWidgets import QLabel


class ElidedLabel(QLabel):
    """Shows as much of its text as fits in at most ``max_lines`` lines, the last one
    ending in "…"; ``text()`` stays whole and the whole text is also the tooltip.

    With one line (the default) it is for a notice in a row of fixed height, where
    wrapping would push the row and cutting both ends hides what the line is about.
    With more, it wraps at word boundaries like a word-wrapped label, and its height
    for a width is that of the lines it shows (see :meth:`lines_needed`).
    """

    def __init__(self, text: str = "", max_lines: int = 1) -> None:
        super().__init__()
        self._max_lines = 1
        self.set_max_lines(max_lines)
        self.setText(text)

    @property
    def max_lines(self) -> int:
        return self._max_lines

    def set_max_lines(self, lines: int) -> None:
        """Show at most ``lines`` lines (at least 1; ValueError below that)."""
        if lines < 1:
            raise ValueError(f"an elided label shows at least one line, not {lines}")
        if lines != self._max_lines:
            self._max_lines = lines
            self.updateGeometry()
            self.update()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        self.setToolTip(text)
        self.updateGeometry()

    def lines_needed(self, width: int) -> int:
        """How many lines the whole text takes wrapped at word boundaries in ``width`` px."""
        return len(self._wrap(width))

    def breaks_a_word(self, width: int) -> bool:
        """Whether some word of the text is wider than ``width`` px on its own."""
        metrics = self.fontMetrics()
        return any(metrics.horizontalAdvance(word) > width for word in self.text().split())

    def shown_lines(self, width: int) -> list[str]:
        """The lines painted in ``width`` px: at most ``max_lines``, the last elided."""
        spans = self._wrap(width)
        text = self.text()
        lines = [text[start:end].rstrip() for start, end in spans[: self._max_lines]]
        if len(spans) > self._max_lines:
            rest = text[spans[self._max_lines - 1][0] :].replace("\n", " ")
            lines[-1] = self.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight, width)
        return lines

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return self._max_lines > 1

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        margins = self.contentsMargins()
        inner = max(1, width - margins.left() - margins.right())
        lines = max(1, min(self._max_lines, self.lines_needed(inner)))
        return lines * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        if self._max_lines == 1:
            return hint
        return QSize(hint.width(), self.heightForWidth(max(1, self.width())))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        if self._max_lines == 1:
            return super().minimumSizeHint()
        return QSize(0, self.fontMetrics().lineSpacing())

    def _wrap(self, width: int) -> list[tuple[int, int]]:
        """(start, end) of each line of the text wrapped at word boundaries."""
        text = self.text()
        if not text:
            return []
        layout = QTextLayout(text.replace("\n", "\u2028"), self.font())
        option = layout.textOption()
        option.setWrapMode(option.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        spans: list[tuple[int, int]] = []
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            spans.append((line.textStart(), line.textStart() + line.textLength()))
        layout.endLayout()
        return spans

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        area = self.contentsRect()
        painter = QPainter(self)
        if self._max_lines == 1:
            shown = self.fontMetrics().elidedText(
                self.text(), Qt.TextElideMode.ElideRight, area.width()
            )
            self.style().drawItemText(
                painter, area, int(self.alignment()), self.palette(), self.isEnabled(), shown,
                self.foregroundRole(),
            )
        else:
            step = QFontMetrics(self.font()).lineSpacing()
            horizontal = int(self.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask)
            row = area.adjusted(0, 0, 0, 0)
            row.setHeight(step)
            for line in self.shown_lines(area.width()):
                self.style().drawItemText(
                    painter, row, horizontal | int(Qt.AlignmentFlag.AlignVCenter),
                    self.palette(), self.isEnabled(), line, self.foregroundRole(),
                )
                row.translate(0, step)
        painter.end()
