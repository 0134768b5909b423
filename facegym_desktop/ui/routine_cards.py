"""Routine cards on the start screen: what a card says, and a delegate that paints it.

Each card is painted, not built from a frame of labels: building four word-wrapped
labels per routine took about a tenth of start-up, and a painted card costs only
its text layout.  The card's height follows the list's width, so text wraps rather
than being cut off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from facegym_desktop.core.start_screen import RoutineCard
from facegym_desktop.core.timefmt import NOT_YET
from facegym_desktop.ui.theme import Theme
from facegym_desktop.ui.wrapping import unbroken

__all__ = ["CARD_ROLE", "RoutineCard", "RoutineCardDelegate", "accessible_text", "card_lines"]

CARD_ROLE = int(Qt.ItemDataRole.UserRole) + 1  # the RoutineCard behind a list item
PADDING_X = 16
PADDING_Y = 12
LINE_GAP = 4
BORDER = 3  # the selected card's outline
RADIUS = 10
MARGIN_BELOW = 8  # air between one card and the next, on top of the list's spacing


class _Line(NamedTuple):
    font: QFont
    text: str
    is_title: bool
    height: int  # wrapped to the card's width


def card_lines(card: RoutineCard) -> list[tuple[str, bool]]:
    """The card's lines, top to bottom, as (text, is_title)."""
    last = "Not done yet" if card.last_done == NOT_YET else f"Last done {card.last_done}"
    return [
        (card.name, True),
        (f"{card.span}  ·  {card.kind}  ·  {card.tools}", False),
        (", ".join(unbroken(area) for area in card.areas.split(", ")), False),
        (last, False),
    ]


def accessible_text(card: RoutineCard) -> str:
    return f"{card.name}, {card.span}, last done {card.last_done}"


class RoutineCardDelegate(QStyledItemDelegate):
    """Paints a RoutineCard: surface-coloured, rounded, outlined when selected.

    ``available_width`` gives the width a card may take (the list's inner width);
    ``is_selected`` tells whether a row is the chosen one.
    """

    def __init__(
        self,
        theme: Theme,
        available_width: Callable[[], int],
        is_selected: Callable[[int], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._available_width = available_width
        self._is_selected = is_selected
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._title_font = theme.font(theme.label_px, bold=True)
        self._detail_font = theme.font(theme.small_px)
        # Laid-out lines per card at the current width: the view asks for sizes many
        # times per layout and paints often, and text layout is the costly part.
        self._layouts: dict[RoutineCard, list[_Line]] = {}
        self._layout_width = 0

    def card_height(self, card: RoutineCard, width: int) -> int:
        """The height ``card`` needs at ``width`` pixels, its text wrapped."""
        lines = self._lines(card, width)
        return sum(line.height for line in lines) + LINE_GAP * (len(lines) - 1) + 2 * PADDING_Y

    def sizeHint(  # noqa: N802 - Qt override
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        card = index.data(CARD_ROLE)
        if not isinstance(card, RoutineCard):
            return super().sizeHint(option, index)
        width = max(1, self._available_width())
        return QSize(width, self.card_height(card, width) + MARGIN_BELOW)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        card = index.data(CARD_ROLE)
        if not isinstance(card, RoutineCard):
            super().paint(painter, option, index)
            return
        theme = self._theme
        rect = QRect(option.rect)
        rect.setHeight(rect.height() - MARGIN_BELOW)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self._is_selected(index.row()):
            painter.setPen(QPen(QColor(theme.pressure["medium"]), BORDER))
            inset = BORDER / 2
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            inset = 0.0
        painter.setBrush(QColor(theme.surface))
        painter.drawRoundedRect(QRectF(rect).adjusted(inset, inset, -inset, -inset), RADIUS, RADIUS)
        top = rect.top() + PADDING_Y
        for line in self._lines(card, rect.width()):
            painter.setFont(line.font)
            painter.setPen(QColor(theme.text if line.is_title else theme.text_muted))
            painter.drawText(
                QRect(rect.left() + PADDING_X, top, rect.width() - 2 * PADDING_X, line.height),
                int(Qt.TextFlag.TextWordWrap),
                line.text,
            )
            top += line.height + LINE_GAP
        painter.restore()

    def _lines(self, card: RoutineCard, width: int) -> list[_Line]:
        """Each line's font, text, whether it is the title, and its wrapped height."""
        if width != self._layout_width:
            self._layouts = {}
            self._layout_width = width
        if card not in self._layouts:
            text_width = max(1, width - 2 * PADDING_X)
            lines = []
            for text, is_title in card_lines(card):
                font = self._title_font if is_title else self._detail_font
                bounds = QFontMetrics(font).boundingRect(
                    QRect(0, 0, text_width, 100_000), int(Qt.TextFlag.TextWordWrap), text
                )
                lines.append(_Line(font, text, is_title, bounds.height()))
            self._layouts[card] = lines
        return self._layouts[card]
