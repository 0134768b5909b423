"""The pressure guide's five-step scale: pips filled up to a level's rank."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from facegym_desktop.core.vocabulary import PRESSURE_BY_ID, PRESSURE_LEVELS
from facegym_desktop.ui.theme import LIGHT, Theme

SCALE_STEPS = len(PRESSURE_LEVELS)
PIP_GAP = 0.45  # the gap between pips, in pips


class PressureScale(QWidget):
    """Five pips, filled up to the level's rank, in the level's colour."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._level: str | None = None
        self._pip: float | None = None
        self._gap = PIP_GAP
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._resize_for_theme()
        self.setAccessibleName("Pressure scale")

    @property
    def level(self) -> str | None:
        return self._level

    @property
    def filled(self) -> int:
        """How many pips are filled (the level's rank, 0 for none)."""
        level = PRESSURE_BY_ID.get(self._level or "")
        return level.rank if level else 0

    def set_level(self, level_id: str | None) -> None:
        if level_id != self._level:
            self._level = level_id
            level = PRESSURE_BY_ID.get(level_id or "")
            self.setAccessibleName(
                f"{level.label} pressure, {level.rank} of {SCALE_STEPS}" if level else "No pressure"
            )
            self.update()

    def set_theme(self, theme: Theme) -> None:
        if theme != self._theme:
            self._theme = theme
            self._resize_for_theme()
            self.update()

    def set_pip(self, pip: float | None, gap: float = PIP_GAP) -> None:
        """Draw pips ``pip`` px wide, or (None) the theme's: 0.8 of its label size;
        ``gap``: the space between pips, in pips."""
        if (pip, gap) != (self._pip, self._gap):
            self._pip, self._gap = pip, gap
            self._resize_for_theme()
            self.update()

    @property
    def pip(self) -> float:
        """The width in px of one pip."""
        return self._pip if self._pip is not None else self._theme.label_px * 0.8

    @staticmethod
    def size_for(pip: float, gap: float = PIP_GAP) -> QSize:
        """The size of a scale whose pips are ``pip`` px wide, ``gap`` pips apart."""
        return QSize(
            round(pip * SCALE_STEPS + pip * gap * (SCALE_STEPS - 1)) + 4, round(pip) + 4
        )

    def _resize_for_theme(self) -> None:
        self.setFixedSize(self.size_for(self.pip, self._gap))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.size()

    def pip_rects(self) -> tuple[QRectF, ...]:
        """Where each pip is drawn, lightest first (for tests and layout)."""
        pip = self.pip
        gap = pip * self._gap
        return tuple(QRectF(2 + i * (pip + gap), 2, pip, pip) for i in range(SCALE_STEPS))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        theme = self._theme
        filled = self.filled
        colour = theme.pressure_color(self._level)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for index, rect in enumerate(self.pip_rects()):
            if index < filled:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
            else:
                # Empty pips keep an outline so the five steps always read as a scale.
                painter.setPen(QPen(QColor(theme.text_muted), max(1.0, rect.width() * 0.08)))
                painter.setBrush(QColor(theme.pip_empty))
            radius = rect.width() * 0.3
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), radius, radius)
        painter.end()
