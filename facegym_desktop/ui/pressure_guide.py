"""The pressure guide: for each area a move touches, how hard to press and how it
should feel, plus caution lines.

Rows are ordinary labels (screen readers read them as they are) with a small painted
five-step scale: the area name on its own line, the scale and the level under it,
then the feel, so the guide fits a narrow column.  The widget only shows what it is
given, and paints its own background in the current theme.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from facegym_desktop.core.vocabulary import AREA_BY_ID, AREA_IDS, PRESSURE_BY_ID, PRESSURE_LEVELS
from facegym_desktop.ui.theme import LIGHT, Theme

SCALE_STEPS = len(PRESSURE_LEVELS)


def delicate_caution(area_label: str) -> str:
    """The caution line shown for a delicate area."""
    return f"{area_label}: the lightest touch only. Tap or rest the fingertips; never drag."


class PressureScale(QWidget):
    """Five pips, filled up to the level's rank, in the level's colour."""

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._level: str | None = None
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

    def _resize_for_theme(self) -> None:
        pip = self._theme.label_px * 0.8
        self.setFixedSize(
            QSize(round(pip * SCALE_STEPS + pip * 0.45 * (SCALE_STEPS - 1)) + 4, round(pip) + 4)
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.size()

    def pip_rects(self) -> tuple[QRectF, ...]:
        """Where each pip is drawn, lightest first (for tests and layout)."""
        pip = self._theme.label_px * 0.8
        gap = pip * 0.45
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


@dataclass(frozen=True)
class GuideRow:
    """What one row shows (for controllers and tests)."""

    area_id: str
    area_label: str
    level_id: str
    level_label: str
    feel: str
    rank: int


class _Row(QWidget):
    def __init__(self, row: GuideRow, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.area = QLabel(row.area_label, self)
        self.scale = PressureScale(self, theme)
        self.scale.set_level(row.level_id)
        self.level = QLabel(row.level_label, self)
        self.feel = QLabel(row.feel, self)
        self.feel.setWordWrap(True)
        grid = self._grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        self.area.setWordWrap(True)
        grid.addWidget(self.area, 0, 0, 1, 2)
        grid.addWidget(self.scale, 1, 0, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.level, 1, 1)
        grid.addWidget(self.feel, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.setAccessibleName(
            f"{row.area_label}: {row.level_label.lower()} pressure, {row.rank} of {SCALE_STEPS}. "
            f"{row.feel}"
        )
        self.apply_theme(theme)

    def set_compact(self, compact: bool) -> None:
        self.feel.setVisible(not compact)
        self._grid.invalidate()
        self.updateGeometry()

    def apply_theme(self, theme: Theme) -> None:
        self.area.setFont(theme.font(theme.label_px, bold=True))
        self.level.setFont(theme.font(theme.label_px))
        self.feel.setFont(theme.font(theme.body_px))
        self.area.setStyleSheet(f"color: {theme.text};")
        self.level.setStyleSheet(f"color: {theme.text};")
        self.feel.setStyleSheet(f"color: {theme.text_muted};")
        self.scale.set_theme(theme)


class PressureGuide(QWidget):
    """One row per touched area (top of the face down) and the caution lines.

    Public API: ``set_pressure({area: level})``, ``set_caution(text)``,
    ``set_theme(theme)``, ``set_compact(compact)``; read back with ``rows()``,
    ``caution_lines()`` and ``compact``.
    """

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._pressure: dict[str, str] = {}
        self._caution = ""
        self._compact = False
        self._rows: list[_Row] = []
        self._caution_labels: list[QLabel] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 6)
        self._layout.setSpacing(14)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(14)
        self._cautions_box = QVBoxLayout()
        self._cautions_box.setSpacing(8)
        self._layout.addLayout(self._rows_box)
        self._layout.addLayout(self._cautions_box)
        self._layout.addStretch(1)
        self.setAccessibleName("Pressure guide")

    # ------------------------------------------------------------------ state

    def rows(self) -> tuple[GuideRow, ...]:
        return tuple(row.row for row in self._rows)

    def caution_lines(self) -> tuple[str, ...]:
        return tuple(label.text() for label in self._caution_labels)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def compact(self) -> bool:
        """Whether the rows leave out their feel lines (see :meth:`set_compact`)."""
        return self._compact

    # ------------------------------------------------------------------ setters

    def set_pressure(self, pressure: Mapping[str, str]) -> None:
        """The areas the move touches and the level on each: ``{"cheeks": "medium"}``.

        Unknown areas or levels are skipped rather than shown wrongly.
        """
        clean = {
            area: level
            for area, level in pressure.items()
            if area in AREA_BY_ID and level in PRESSURE_BY_ID
        }
        if clean != self._pressure:
            self._pressure = clean
            self._rebuild()

    def set_caution(self, text: str | None) -> None:
        """The move's own caution line ("" or None for none)."""
        text = (text or "").strip()
        if text != self._caution:
            self._caution = text
            self._rebuild_cautions()

    def set_compact(self, compact: bool) -> None:
        """Leave out each row's feel line (True) to fit a short column; the area, the
        scale, the level and every caution line stay.  The feel stays in the row's
        accessible name either way."""
        if compact != self._compact:
            self._compact = compact
            for row in self._rows:
                row.set_compact(compact)
            self._layout.invalidate()
            self.updateGeometry()

    def set_theme(self, theme: Theme) -> None:
        if theme != self._theme:
            self._theme = theme
            for row in self._rows:
                row.apply_theme(theme)
            self.update()
            for label in self._caution_labels:
                self._style_caution(label)

    # ------------------------------------------------------------------ building

    def _rebuild(self) -> None:
        for row in self._rows:
            self._discard(row, self._rows_box)
        self._rows = []
        for area_id in AREA_IDS:
            level_id = self._pressure.get(area_id)
            if level_id is None:
                continue
            area = AREA_BY_ID[area_id]
            level = PRESSURE_BY_ID[level_id]
            row = _Row(
                GuideRow(area_id, area.label, level_id, level.label, level.feel, level.rank),
                self._theme,
                self,
            )
            row.set_compact(self._compact)
            self._rows_box.addWidget(row)
            # Shown now, not when the event loop comes round: measured at once.
            row.show()
            self._rows.append(row)
        self._rebuild_cautions()

    @staticmethod
    def _discard(widget: QWidget, box: QVBoxLayout) -> None:
        # Hidden at once: deleteLater only acts when the event loop comes round.
        box.removeWidget(widget)
        widget.hide()
        widget.setParent(None)
        widget.deleteLater()

    def _rebuild_cautions(self) -> None:
        for label in self._caution_labels:
            self._discard(label, self._cautions_box)
        self._caution_labels = []
        lines = [
            delicate_caution(AREA_BY_ID[area_id].label)
            for area_id in AREA_IDS
            if area_id in self._pressure and AREA_BY_ID[area_id].delicate
        ]
        if self._caution:
            lines.append(self._caution)
        for line in lines:
            label = QLabel(line, self)
            label.setWordWrap(True)
            label.setAccessibleName(f"Caution: {line}")
            self._style_caution(label)
            self._cautions_box.addWidget(label)
            label.show()
            self._caution_labels.append(label)

    def _style_caution(self, label: QLabel) -> None:
        theme = self._theme
        label.setFont(theme.font(theme.body_px, bold=True))
        label.setStyleSheet(
            f"color: {theme.caution}; background: {theme.caution_background};"
            f" border-left: 6px solid {theme.caution}; padding: 8px 12px;"
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # Painted from the theme, not the palette: a style sheet set on a parent
        # repolishes children and would put back an old palette's background.
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor(self._theme.background))
        painter.end()
