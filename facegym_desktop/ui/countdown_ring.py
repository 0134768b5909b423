"""The countdown ring: remaining time as a sweeping arc, readable from across a room.

The widget holds no timer and no rules: a controller pushes values in through the
setters, and each setter repaints only when what is drawn would visibly change, and
only where: the arc when its end moves about a pixel (the box around the moving
end), the number and the tempo halo inside the band.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from facegym_desktop.core.ring_geometry import (
    RingLayout,
    arc_change_box,
    arc_for_fraction,
    arc_steps,
    clamp_fraction,
    pixel_steps,
    remaining_label,
    reps_label,
    ring_layout,
    segment_seconds,
    tempo_pulse,
)
from facegym_desktop.ui.theme import LIGHT, Theme

# The pulse is drawn in this many strengths; finer phase changes do not repaint.
PULSE_STEPS = 8


class CountdownRing(QWidget):
    """A ring that empties clockwise from 12 o'clock as the remaining fraction falls.

    Public setters: ``set_fraction``, ``set_remaining_seconds``, ``set_reps``,
    ``set_tempo_phase``, ``set_pressure_level``, ``set_session_progress``,
    ``set_theme``.  Read-only properties mirror what is shown, for controllers and
    tests.
    """

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._fraction = 1.0
        self._arc_span = arc_for_fraction(1.0).span
        self._remaining_seconds: float | None = None
        self._segment_seconds: float | None = None
        self._seconds_text = ""
        self._reps: tuple[int, int] | None = None
        self._tempo_phase: float | None = None
        self._pulse_step = 0
        self._pressure_level: str | None = None
        self._session_progress = 0.0
        self._session_span = 0
        self._layout: RingLayout = ring_layout(1, 1)
        self._seconds_font = QFont()
        self._minutes_font = QFont()
        self._reps_font = QFont()
        self._pixmaps: dict[str, tuple[tuple[object, ...], QPixmap]] = {}
        self.setAccessibleName("Countdown ring")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Everything is painted, including the background: skip Qt's own erase.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._relayout()

    # ------------------------------------------------------------------ state

    @property
    def fraction(self) -> float:
        return self._fraction

    @property
    def remaining_text(self) -> str:
        return self._seconds_text

    @property
    def reps_text(self) -> str:
        return reps_label(*self._reps) if self._reps else ""

    @property
    def pressure_level(self) -> str | None:
        return self._pressure_level

    @property
    def session_progress(self) -> float:
        return self._session_progress

    @property
    def theme(self) -> Theme:
        return self._theme

    # ------------------------------------------------------------------ setters

    def set_fraction(self, remaining_fraction: float) -> None:
        """How much of the current segment is left, 1 (full ring) to 0 (empty)."""
        fraction = clamp_fraction(remaining_fraction)
        self._fraction = fraction
        self._refresh_arc()

    def _refresh_arc(self) -> None:
        steps = arc_steps(self._layout.radius, self._segment_seconds)
        span = arc_for_fraction(self._fraction, steps).span
        if span != self._arc_span:
            old, self._arc_span = self._arc_span, span
            self._update_arc(self._layout.radius, self._layout.band, old, span)

    def set_remaining_seconds(self, seconds: float | None) -> None:
        """Seconds left; shown rounded up, as "m:ss" above 59. None hides the number."""
        self._remaining_seconds = seconds
        # The segment's length bounds how often the arc repaints.  It is taken anew
        # only when it differs by a quarter (a new segment): the fraction passed with
        # these seconds may be a frame old, and rounding must not flip the arc's steps.
        length = segment_seconds(seconds, self._fraction)
        known = self._segment_seconds
        if (length is None) != (known is None) or (
            length is not None and known is not None and abs(length - known) > known / 4
        ):
            self._segment_seconds = length
            self._refresh_arc()
        text = remaining_label(seconds)
        if text != self._seconds_text:
            self._seconds_text = text
            self._update_inside()

    def set_reps(self, current: int | None, total: int | None = None) -> None:
        """The rep counter ("3 of 10"); None for either hides it."""
        reps = None if current is None or total is None else (int(current), int(total))
        if reps != self._reps:
            self._reps = reps
            self._update_inside()

    def set_tempo_phase(self, phase: float | None) -> None:
        """Position in the current count (0..1) for the tempo pulse; None turns it off."""
        step = 0 if phase is None else round(tempo_pulse(phase) * PULSE_STEPS)
        self._tempo_phase = phase
        if step != self._pulse_step:
            self._pulse_step = step
            self._update_inside()

    def set_pressure_level(self, level_id: str | None) -> None:
        """The pressure level id whose colour the ring takes (None: neutral)."""
        if level_id != self._pressure_level:
            self._pressure_level = level_id
            self.update()

    def set_session_progress(self, progress: float) -> None:
        """How much of the whole session is done (0..1), on the thin outer track."""
        progress = clamp_fraction(progress)
        span = arc_for_fraction(progress, pixel_steps(self._layout.outer_radius)).span
        self._session_progress = progress
        if span != self._session_span:
            old, self._session_span = self._session_span, span
            layout = self._layout
            self._update_arc(layout.outer_radius, layout.outer_band, old, span)

    def set_theme(self, theme: Theme) -> None:
        if theme != self._theme:
            self._theme = theme
            self._relayout()
            self.update()

    def _update_arc(self, radius: float, band: float, old_span: int, new_span: int) -> None:
        box = arc_change_box(self._layout.centre, radius, band, old_span, new_span)
        if box is None:
            self.update()
        else:
            self.update(QRectF(*box).toAlignedRect())

    def _update_inside(self) -> None:
        """Repaint inside the band only: the number, the rep counter, the halo."""
        self.update(QRectF(*self._layout.inner_box()).toAlignedRect().adjusted(-1, -1, 1, 1))

    # ------------------------------------------------------------------ Qt

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, 320)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(96, 96)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return width

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._relayout()
        super().resizeEvent(event)

    def _relayout(self) -> None:
        self._layout = layout = ring_layout(self.width(), self.height())
        # The arcs are rounded to whole pixels of this radius.
        steps = arc_steps(layout.radius, self._segment_seconds)
        self._arc_span = arc_for_fraction(self._fraction, steps).span
        self._session_span = arc_for_fraction(
            self._session_progress, pixel_steps(layout.outer_radius)
        ).span
        self._seconds_font = self._theme.font(round(self._layout.seconds_font_px), bold=True)
        # "m:ss" has four glyphs: a smaller size keeps it clear of the band.
        self._minutes_font = self._theme.font(round(self._layout.seconds_font_px * 0.78), bold=True)
        self._reps_font = self._theme.font(round(self._layout.reps_font_px))

    def _cached(
        self, slot: str, key: tuple[object, ...], draw: Callable[[QPainter], None]
    ) -> QPixmap:
        """A widget-sized transparent pixmap, redrawn only when ``key`` changes.

        The tracks, the halo and the text change far less often than the arc moves;
        caching them keeps one frame well under a millisecond.
        """
        ratio = self.devicePixelRatioF()
        full_key = (key, self.width(), self.height(), ratio, self._theme)
        cached = self._pixmaps.get(slot)
        if cached is not None and cached[0] == full_key:
            return cached[1]
        pixmap = QPixmap(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        draw(painter)
        painter.end()
        self._pixmaps[slot] = (full_key, pixmap)
        return pixmap

    def _draw_tracks(self, painter: QPainter) -> None:
        theme = self._theme
        layout = self._layout
        cx, cy = layout.centre
        painter.fillRect(QRectF(0, 0, self.width(), self.height()), QColor(theme.background))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(theme.outer_track), layout.outer_band))
        painter.drawEllipse(QPointF(cx, cy), layout.outer_radius, layout.outer_radius)
        painter.setPen(QPen(QColor(theme.track), layout.band))
        painter.drawEllipse(QPointF(cx, cy), layout.radius, layout.radius)

    def _draw_halo(self, painter: QPainter) -> None:
        layout = self._layout
        width = max(2.0, layout.band * 0.28)
        radius = layout.inner_radius - width / 2 - max(1.0, layout.band * 0.12)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(self._theme.pressure_color(self._pressure_level), width))
        painter.drawEllipse(QPointF(*layout.centre), radius, radius)

    def _number_rect(self) -> QRectF:
        layout = self._layout
        cx, cy = layout.centre
        inner = layout.inner_radius
        number_height = layout.seconds_font_px * 1.2
        shift = -layout.reps_font_px * 0.6 if self._reps else 0.0
        return QRectF(cx - inner, cy - number_height / 2 + shift, 2 * inner, number_height)

    @property
    def number_font(self) -> QFont:
        """The font the big number is painted in (smaller for "m:ss")."""
        return self._minutes_font if len(self._seconds_text) > 3 else self._seconds_font

    def _draw_text(self, painter: QPainter) -> None:
        theme = self._theme
        layout = self._layout
        cx, cy = layout.centre
        reps = self.reps_text
        inner = layout.inner_radius
        if self._seconds_text:
            painter.setFont(self.number_font)
            painter.setPen(QColor(theme.text))
            painter.drawText(self._number_rect(), Qt.AlignmentFlag.AlignCenter, self._seconds_text)
        if reps:
            painter.setFont(self._reps_font)
            painter.setPen(QColor(theme.text_muted))
            line = layout.reps_font_px * 1.4
            top = cy + layout.seconds_font_px * 0.42
            painter.drawText(
                QRectF(cx - inner, top, 2 * inner, line), Qt.AlignmentFlag.AlignCenter, reps
            )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        theme = self._theme
        layout = self._layout
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._cached("tracks", (), self._draw_tracks))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        cx, cy = layout.centre
        painter.setBrush(Qt.BrushStyle.NoBrush)

        # Thin outer track: how much of the whole session is done.
        if self._session_span:
            outer = layout.outer_radius
            pen = QPen(QColor(theme.session), layout.outer_band)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawArc(
                QRectF(cx - outer, cy - outer, 2 * outer, 2 * outer),
                arc_for_fraction(0).start,
                self._session_span,
            )

        # Main band: what is left of the segment, in the pressure colour.
        if self._arc_span:
            radius = layout.radius
            pen = QPen(theme.pressure_color(self._pressure_level), layout.band)
            # Round ends look calmer, except on a full ring where they would overlap.
            full = abs(self._arc_span) >= 360 * 16
            pen.setCapStyle(Qt.PenCapStyle.FlatCap if full else Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            if full:
                painter.drawEllipse(QPointF(cx, cy), radius, radius)
            else:
                painter.drawArc(
                    QRectF(cx - radius, cy - radius, 2 * radius, 2 * radius),
                    arc_for_fraction(0).start,
                    self._arc_span,
                )

        # Tempo pulse: a soft halo just inside the band, never over it.
        if self._pulse_step:
            painter.setOpacity(0.35 * self._pulse_step / PULSE_STEPS)
            painter.drawPixmap(0, 0, self._cached("halo", (self._pressure_level,), self._draw_halo))
            painter.setOpacity(1.0)

        # Text: the number in the middle, the rep counter under it.
        if self._seconds_text or self._reps:
            key = (self._seconds_text, self._reps)
            painter.drawPixmap(0, 0, self._cached("text", key, self._draw_text))
        painter.end()
