"""The pressure guide: for each area a move touches, how hard to press and how it
should feel, plus the cautions.

Rows are ordinary labels (screen readers read them as they are) with a small painted
five-step scale: the area name on its own line, the scale and the level under it,
then the feel, so the guide fits a narrow column.  Compact (no feel lines), each row
takes one line when the width allows: the names, scales and levels in aligned
columns (:func:`~facegym_desktop.core.session_layout.guide_columns`).  The cautions
share one panel, a paragraph each.  The guide places its parts itself and knows the
height it needs for a width (``heightForWidth``); it only shows what it is given,
and paints its own background in the current theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from facegym_desktop.core.session_layout import guide_columns
from facegym_desktop.core.vocabulary import AREA_BY_ID, AREA_IDS, PRESSURE_BY_ID, in_face_order
from facegym_desktop.ui.caution_panel import CautionPanel
from facegym_desktop.ui.pressure_scale import SCALE_STEPS, PressureScale
from facegym_desktop.ui.theme import LIGHT, Theme

__all__ = ["GuideRow", "PressureGuide", "PressureScale", "delicate_caution"]

MARGIN = 6  # px above the first row and below the cautions
ROW_GAP = 14  # px between rows, and between the rows and the cautions
LINE_GAP = 2  # px between the lines of a row
ONE_LINE_ROW_GAP = 8  # px between rows of one line each
COLUMN_GAP = 10  # px between the columns of one-line rows, and the scale and its level
ONE_LINE_PIP = 0.5  # a one-line row's pip, in its text's px
ONE_LINE_PIP_GAP = 0.3  # between a one-line row's pips, in pips


def delicate_caution(area_label: str) -> str:
    """The caution line shown for a delicate area."""
    return f"{area_label}: the lightest touch only. Tap or rest the fingertips; never drag."


@dataclass(frozen=True)
class GuideRow:
    """What one row shows (for controllers and tests)."""

    area_id: str
    area_label: str
    level_id: str
    level_label: str
    feel: str
    rank: int


@dataclass(frozen=True)
class _Plan:
    """How the rows are laid out at one width: ``columns`` (name, scale, level
    widths) when each takes one line at ``text_px``, else None; ``rows``: each row's
    height; ``height``: the whole guide's, cautions included."""

    columns: tuple[int, int, int] | None
    text_px: int
    rows: tuple[int, ...]
    height: int


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
        self.feel.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName(
            f"{row.area_label}: {row.level_label.lower()} pressure, {row.rank} of {SCALE_STEPS}. "
            f"{row.feel}"
        )
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        self.feel.setFont(theme.font(theme.body_px))
        self.area.setStyleSheet(f"color: {theme.text};")
        self.level.setStyleSheet(f"color: {theme.text};")
        self.feel.setStyleSheet(f"color: {theme.text_muted};")
        self.scale.set_theme(theme)

    def place(self, theme: Theme, plan: _Plan, compact: bool) -> None:
        """Set the fonts and put the parts where ``plan`` says, in this row's box."""
        width, height = self.width(), self.height()
        one_line = plan.columns is not None
        px = plan.text_px if one_line else theme.label_px
        self.area.setFont(theme.font(px, bold=True))
        self.level.setFont(theme.font(px))
        if one_line:
            self.scale.set_pip(px * ONE_LINE_PIP, ONE_LINE_PIP_GAP)
        else:
            self.scale.set_pip(None)
        scale = self.scale.size()
        self.feel.setVisible(not compact)
        if plan.columns is not None:
            names, scales, _levels = plan.columns
            self.area.setGeometry(0, 0, names, height)
            x = names + COLUMN_GAP
            self.scale.move(x, (height - scale.height()) // 2)
            x += scales + COLUMN_GAP
            self.level.setGeometry(x, 0, max(0, width - x), height)
            return
        line = QFontMetrics(self.area.font()).lineSpacing()
        self.area.setGeometry(0, 0, width, line)
        y = line + LINE_GAP
        second = max(scale.height(), QFontMetrics(self.level.font()).lineSpacing())
        self.scale.move(0, y + (second - scale.height()) // 2)
        x = scale.width() + COLUMN_GAP
        self.level.setGeometry(x, y, max(0, width - x), second)
        y += second + LINE_GAP
        self.feel.setGeometry(0, y, width, max(0, height - y))


class PressureGuide(QWidget):
    """One row per touched area (top of the face down) and the cautions under them.

    Public API: ``set_pressure({area: level})``, ``set_caution(text, areas)``,
    ``set_theme(theme)``, ``set_compact(compact)``; read back with ``rows()``,
    ``caution_lines()``, ``compact`` and ``one_line_rows``.
    """

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._pressure: dict[str, str] = {}
        self._caution = ""
        self._caution_areas: frozenset[str] = frozenset()
        self._compact = False
        self._rows: list[_Row] = []
        self.cautions = CautionPanel(self, theme)
        self.cautions.hide()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Pressure guide")

    # ------------------------------------------------------------------ state

    def rows(self) -> tuple[GuideRow, ...]:
        return tuple(row.row for row in self._rows)

    def caution_lines(self) -> tuple[str, ...]:
        return self.cautions.lines()

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def compact(self) -> bool:
        """Whether the rows leave out their feel lines (see :meth:`set_compact`)."""
        return self._compact

    @property
    def one_line_rows(self) -> bool:
        """Whether each row takes one line at the guide's current width."""
        return self._plan(max(1, self.width())).columns is not None

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

    def set_caution(self, text: str | None, areas: Iterable[str] = ()) -> None:
        """The move's own caution ("" or None for none) and the ``areas`` it speaks
        for: a delicate area named there gets no generic caution line of its own
        (see ``caution_areas`` in docs/routine-format.md).  Without a caution the
        areas are ignored, so a delicate area always has a caution shown."""
        text = (text or "").strip()
        covered = frozenset(areas) if text else frozenset()
        if (text, covered) != (self._caution, self._caution_areas):
            self._caution, self._caution_areas = text, covered
            self._rebuild_cautions()

    def set_compact(self, compact: bool) -> None:
        """Leave out each row's feel line (True) to fit a short column; the area, the
        scale, the level and every caution stay, each row on one line when the
        width allows.  The feel stays in the row's accessible name either way."""
        if compact != self._compact:
            self._compact = compact
            self._changed()

    def set_theme(self, theme: Theme) -> None:
        if theme != self._theme:
            self._theme = theme
            for row in self._rows:
                row.apply_theme(theme)
            self.cautions.set_theme(theme)
            self._changed()
            self.update()

    # ------------------------------------------------------------------ geometry

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self._plan(max(1, width)).height

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = max(1, self.width())
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(PressureScale.size_for(self._theme.label_px * 0.8).width(), 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place()

    def _plan(self, width: int) -> _Plan:
        theme = self._theme
        rows = self.rows()
        columns = None
        text_px = theme.label_px
        if self._compact:
            for px in dict.fromkeys((theme.label_px, theme.body_px)):
                names = QFontMetrics(theme.font(px, bold=True))
                levels = QFontMetrics(theme.font(px))
                columns = guide_columns(
                    width,
                    COLUMN_GAP,
                    [names.horizontalAdvance(row.area_label) for row in rows],
                    PressureScale.size_for(px * ONE_LINE_PIP, ONE_LINE_PIP_GAP).width(),
                    [levels.horizontalAdvance(row.level_label) for row in rows],
                )
                if columns is not None:
                    text_px = px
                    break
        if columns is not None:
            line = max(
                QFontMetrics(theme.font(text_px, bold=True)).lineSpacing(),
                PressureScale.size_for(text_px * ONE_LINE_PIP, ONE_LINE_PIP_GAP).height(),
            )
            heights = tuple(line for _ in rows)
            gap = ONE_LINE_ROW_GAP
        else:
            name = QFontMetrics(theme.font(theme.label_px, bold=True)).lineSpacing()
            second = max(
                PressureScale.size_for(theme.label_px * 0.8).height(),
                QFontMetrics(theme.font(theme.label_px)).lineSpacing(),
            )
            heights = tuple(
                name + LINE_GAP + second
                + (0 if self._compact else LINE_GAP + row.feel.heightForWidth(width))
                for row in self._rows
            )
            gap = ROW_GAP
        height = 2 * MARGIN + sum(heights) + gap * max(0, len(heights) - 1)
        cautions = self.cautions.heightForWidth(width)
        if cautions:
            height += (ROW_GAP if heights else 0) + cautions
        return _Plan(columns, text_px, heights, height)

    def _place(self) -> None:
        width = max(1, self.width())
        plan = self._plan(width)
        gap = ROW_GAP if plan.columns is None else ONE_LINE_ROW_GAP
        y = MARGIN
        for row, height in zip(self._rows, plan.rows, strict=True):
            row.setGeometry(0, y, width, height)
            row.place(self._theme, plan, self._compact)
            y += height + gap
        if self._rows:
            y += ROW_GAP - gap
        self.cautions.setGeometry(0, y, width, self.cautions.heightForWidth(width))

    def _changed(self) -> None:
        self._place()
        self.updateGeometry()

    # ------------------------------------------------------------------ building

    def _rebuild(self) -> None:
        for row in self._rows:
            # Hidden at once: deleteLater only acts when the event loop comes round.
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self._rows = []
        for area, level in in_face_order(self._pressure):
            row = _Row(
                GuideRow(area.id, area.label, level.id, level.label, level.feel, level.rank),
                self._theme,
                self,
            )
            # Shown now, not when the event loop comes round: measured at once.
            row.show()
            self._rows.append(row)
        self._rebuild_cautions()

    def _rebuild_cautions(self) -> None:
        lines = [
            delicate_caution(AREA_BY_ID[area_id].label)
            for area_id in AREA_IDS
            if area_id in self._pressure
            and AREA_BY_ID[area_id].delicate
            and area_id not in self._caution_areas
        ]
        if self._caution:
            lines.append(self._caution)
        self.cautions.set_lines(lines)
        self._changed()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # Painted from the theme, not the palette: a style sheet set on a parent
        # repolishes children and would put back an old palette's background.
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor(self._theme.background))
        painter.end()
