"""Minutes per week as vertical bars, oldest week on the left.

Weeks come from ``core.stats.weekly_minutes``; the widget scales bar heights to the
largest week and paints.  Left/right arrows move a selection and announce the week.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from facegym_desktop.core.stats import WeekBar
from facegym_desktop.core.timefmt import minutes_text, whole_minutes
from facegym_desktop.ui.theme import LIGHT, Theme

BOTTOM_MARGIN = 22.0
TOP_MARGIN = 22.0
SIDE_MARGIN = 8.0
LABEL_EVERY = 4
VALUE_LINE_PX = 18.0  # the selected week's value, over its bar (fits in TOP_MARGIN)
STUB_HEIGHT = 2.0  # a week with some time that rounds to 0 min ("<1 min")


def bar_heights(minutes: list[float], available: float) -> list[float]:
    """Pixel heights proportional to minutes, the largest filling ``available``."""
    top = max(minutes, default=0.0)
    if top <= 0:
        return [0.0 for _ in minutes]
    return [available * value / top for value in minutes]


def week_heights(weeks: tuple[WeekBar, ...] | list[WeekBar], available: float) -> list[float]:
    """Bar heights that follow the minutes the labels show (:func:`whole_minutes`);
    a week whose time rounds to 0 gets a :data:`STUB_HEIGHT` stub, never a full bar."""
    shown = [float(whole_minutes(bar.minutes * 60)) for bar in weeks]
    heights = bar_heights(shown, available)
    return [
        min(STUB_HEIGHT, available) if height == 0 and bar.minutes > 0 else height
        for height, bar in zip(heights, weeks, strict=True)
    ]


def week_minutes_text(bar: WeekBar) -> str:
    """A week's minutes as labelled: "12 min", "<1 min", "0 min"."""
    return minutes_text(bar.minutes * 60)


def value_label_rect(
    bars: list[QRectF], index: int, text_width: float, area_width: float
) -> QRectF:
    """Where bar ``index``'s value goes: an 18 px line centred over the bar but inside
    ``[0, area_width]``, and above every bar it spans (beside the last bar it moves
    left, over its neighbours).  ``bars`` are the bars' rectangles; px."""
    bar = bars[index]
    left = min(max(0.0, bar.center().x() - text_width / 2), area_width - text_width)
    spanned = [b.top() for b in bars if b.right() > left and b.left() < left + text_width]
    top = min([bar.top(), *spanned]) - VALUE_LINE_PX - 2
    return QRectF(left, max(0.0, top), text_width, VALUE_LINE_PX)


def describe_week(bar: WeekBar) -> str:
    """ "Week of 3 Mar: 12 min"."""
    return f"Week of {bar.label}: {week_minutes_text(bar)}"


class WeeklyBars(QWidget):
    """The bar chart.  Setter: ``set_weeks(tuple[WeekBar, ...])``."""

    week_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._weeks: tuple[WeekBar, ...] = ()
        self._selected = -1
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Minutes per week")
        self.setMinimumSize(240, 160)

    def set_theme(self, theme: Theme) -> None:
        """Paint in ``theme`` from the next frame on."""
        if theme != self._theme:
            self._theme = theme
            self.update()

    @property
    def weeks(self) -> tuple[WeekBar, ...]:
        return self._weeks

    @property
    def selected_index(self) -> int:
        return self._selected

    def set_weeks(self, weeks: tuple[WeekBar, ...]) -> None:
        if weeks == self._weeks:
            return
        self._weeks = weeks
        self._selected = len(weeks) - 1
        self._announce()
        self.update()

    def select(self, index: int) -> None:
        if not self._weeks:
            return
        index = max(0, min(len(self._weeks) - 1, index))
        if index != self._selected:
            self._selected = index
            self._announce()
            self.update()

    def _announce(self) -> None:
        if 0 <= self._selected < len(self._weeks):
            text = describe_week(self._weeks[self._selected])
            self.setAccessibleDescription(text)
            self.week_selected.emit(text)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, 220)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = Qt.Key(event.key())
        if key == Qt.Key.Key_Left:
            self.select(self._selected - 1)
        elif key == Qt.Key.Key_Right:
            self.select(self._selected + 1)
        elif key == Qt.Key.Key_Home:
            self.select(0)
        elif key == Qt.Key.Key_End:
            self.select(len(self._weeks) - 1)
        else:
            super().keyPressEvent(event)

    def bar_rect(self, index: int) -> QRectF:
        count = max(1, len(self._weeks))
        slot = (self.width() - 2 * SIDE_MARGIN) / count
        available = self.height() - TOP_MARGIN - BOTTOM_MARGIN
        heights = week_heights(self._weeks, available)
        height = heights[index] if 0 <= index < len(heights) else 0.0
        width = max(2.0, slot * 0.7)
        x = SIDE_MARGIN + index * slot + (slot - width) / 2
        return QRectF(x, TOP_MARGIN + available - height, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        theme = self._theme
        baseline = self.height() - BOTTOM_MARGIN
        painter.setPen(QPen(theme.color("track"), 1.0))
        painter.drawLine(
            int(SIDE_MARGIN), int(baseline), int(self.width() - SIDE_MARGIN), int(baseline)
        )
        painter.setFont(theme.font(theme.small_px - 5))
        count = max(1, len(self._weeks))
        slot = (self.width() - 2 * SIDE_MARGIN) / count
        rects = [self.bar_rect(index) for index in range(len(self._weeks))]
        for index, (bar, rect) in enumerate(zip(self._weeks, rects, strict=True)):
            chosen = index == self._selected
            colour = theme.heat_color(1.0 if chosen else 0.7)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            if rect.height() > 0:
                painter.drawRoundedRect(rect, 2, 2)
            from_end = len(self._weeks) - 1 - index
            if from_end % LABEL_EVERY == 0:
                painter.setPen(theme.color("text_muted"))
                label_left = min(
                    max(0.0, SIDE_MARGIN + index * slot - 20), self.width() - slot - 40
                )
                label_rect = QRectF(label_left, baseline + 3, slot + 40, 18)
                painter.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter, bar.label)
        if 0 <= self._selected < len(self._weeks):
            bar, rect = self._weeks[self._selected], rects[self._selected]
            painter.setPen(theme.color("text"))
            text = week_minutes_text(bar)
            width = painter.fontMetrics().horizontalAdvance(text) + 8.0
            box = value_label_rect(rects, self._selected, width, self.width())
            painter.drawText(box, Qt.AlignmentFlag.AlignHCenter, text)
            if self.hasFocus():
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(QPen(theme.pressure_color("semi-firm"), 2.0))
                painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 3, 3)
        painter.end()
