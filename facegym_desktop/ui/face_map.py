"""The face map: a calm vector face with the worked areas lit and the strokes animated.

Geometry comes from :mod:`facegym_desktop.core.face_layout` (normalised coordinates,
person's right on the viewer's left); this widget only maps it to pixels and paints.
There is no timer: the controller calls ``set_animation_time`` and the marker of each
stroke is a pure function of that time and the stroke's period.

Everything but the markers (face, shading, lit areas, stroke lines) is painted once
into a pixmap and reused, so an animation frame is one blit plus the markers, and only
the markers' old and new rectangles are repainted.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QRegion,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from facegym_desktop.core import face_layout
from facegym_desktop.core.face_layout import AREA_REGIONS, FACE_FEATURES, MAP_ASPECT
from facegym_desktop.core.ring_geometry import MarkerState, end_direction, fit_box, marker_at
from facegym_desktop.core.vocabulary import AREA_BY_ID, AREA_IDS, PRESSURE_BY_ID
from facegym_desktop.ui.theme import LIGHT, Theme

Point = tuple[float, float]


class StrokeLike(Protocol):
    """What the map needs from a stroke (``core.routine.Stroke`` fits)."""

    @property
    def points(self) -> Sequence[Point]: ...

    @property
    def period(self) -> float: ...

    @property
    def style(self) -> str: ...

    @property
    def mirror(self) -> bool: ...


@dataclass(frozen=True)
class _DrawnStroke:
    points: tuple[Point, ...]  # normalised, already placed on the side to draw
    period: float
    style: str


def _smooth_path(points: Sequence[QPointF], closed: bool) -> QPainterPath:
    """A Catmull-Rom curve through the points, as cubic Beziers (soft, not angular)."""
    path = QPainterPath()
    count = len(points)
    if count == 0:
        return path
    path.moveTo(points[0])
    if count < 3:
        for point in points[1:]:
            path.lineTo(point)
        if closed:
            path.closeSubpath()
        return path
    segments = count if closed else count - 1
    for i in range(segments):
        p0 = points[(i - 1) % count] if closed or i > 0 else points[i]
        p1 = points[i]
        p2 = points[(i + 1) % count]
        p3 = points[(i + 2) % count] if closed or i + 2 < count else p2
        c1 = p1 + (p2 - p0) / 6.0
        c2 = p2 - (p3 - p1) / 6.0
        path.cubicTo(c1, c2, p2)
    if closed:
        path.closeSubpath()
    path.setFillRule(Qt.FillRule.WindingFill)
    return path


class FaceMapWidget(QWidget):
    """The face seen from the front, optionally mirrored to match the mirror.

    Public setters: ``set_active_areas``, ``set_strokes``, ``set_animation_time``,
    ``set_mirrored``, ``set_area_shading``, ``set_theme``.  Each repaints only when
    the picture changes.  Everything that does not move is painted once into a
    cached still picture (``still_picture()``) and each frame paints the markers on
    it; ``cache_still_picture=False`` paints everything on every frame instead (the
    reference the cache is compared with).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        theme: Theme = LIGHT,
        *,
        cache_still_picture: bool = True,
    ) -> None:
        super().__init__(parent)
        self._theme = theme
        self._active: dict[str, str] = {}
        self._active_side: str | None = None
        self._shading: dict[str, float] = {}
        self._strokes: tuple[_DrawnStroke, ...] = ()
        self._time = 0.0
        self._marker_key: tuple[tuple[int, ...], ...] = ()
        self._mirrored = False
        self._transform = QTransform()
        self._unit = 1.0  # pixels per unit of face height
        self._face_paths: dict[str, QPainterPath] = {}
        self._region_paths: dict[str, tuple[QPainterPath, ...]] = {}
        self._stroke_paths: tuple[QPainterPath, ...] = ()
        self._built_for: tuple[int, int, bool] | None = None
        self._marker_rects: tuple[QRect, ...] = ()  # where the markers were last asked drawn
        # The still picture: rebuilt when its key (size, pixel ratio, scene version) moves.
        self._scene_version = 0  # bumped by every setter that changes the still picture
        self._background: QPixmap | None = None
        self._background_key: tuple[int, int, float, bool, int] | None = None
        self._cache_enabled = cache_still_picture
        self.setAccessibleName("Face map")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self._rebuild()

    # ------------------------------------------------------------------ state

    @property
    def active_areas(self) -> dict[str, str]:
        return dict(self._active)

    @property
    def mirrored(self) -> bool:
        return self._mirrored

    @property
    def animation_time(self) -> float:
        return self._time

    @property
    def theme(self) -> Theme:
        return self._theme

    def map_to_widget(self, point: Point) -> QPointF:
        """Where a normalised face point is drawn, in widget pixels (mirror included)."""
        self._ensure_geometry()
        return self._transform.map(QPointF(point[0], point[1]))

    def _ensure_geometry(self) -> None:
        # A hidden widget gets its resize event late (at show or grab): check the size
        # itself so queries made before then use the real geometry.
        if self._built_for != (self.width(), self.height(), self._mirrored):
            self._rebuild()

    def area_centres(self, area_id: str) -> tuple[QPointF, ...]:
        """Widget points well inside each half of an area, in the order of
        ``face_layout`` (person's right half first)."""
        return tuple(self.map_to_widget(point) for point in AREA_REGIONS[area_id].centres())

    def marker_states(self) -> tuple[tuple[QPointF, MarkerState], ...]:
        """The marker of every drawn stroke at the current time, in widget pixels."""
        result = []
        for stroke in self._strokes:
            state = marker_at(stroke.points, stroke.period, self._time, stroke.style)
            result.append((self.map_to_widget(state.point), state))
        return tuple(result)

    # ------------------------------------------------------------------ setters

    def set_active_areas(self, levels: Mapping[str, str], side: str | None = None) -> None:
        """Light the worked areas, each in its pressure colour: ``{"cheeks": "medium"}``.

        ``side`` (``"right"``/``"left"``, the person's) lights only that half of
        paired areas; None lights both.  Unknown area ids are ignored.
        """
        active = {area: level for area, level in levels.items() if area in AREA_REGIONS}
        if side is not None and side not in face_layout.SIDE_NAMES:
            raise ValueError(f"unknown side {side!r}; use 'right' or 'left'")
        if active != self._active or side != self._active_side:
            self._active = active
            self._active_side = side
            self._describe()
            self._scene_changed()

    def set_strokes(self, strokes: Iterable[StrokeLike], side: str | None = None) -> None:
        """The move's stroke paths.  Mirrored strokes are drawn on both halves; with
        ``side`` only the half on the person's ``"right"`` or ``"left"`` is drawn."""
        drawn: list[_DrawnStroke] = []
        for stroke in strokes:
            points = tuple((float(x), float(y)) for x, y in stroke.points)
            if not points:
                continue
            for polyline in face_layout.stroke_polylines(points, stroke.mirror, side):
                drawn.append(_DrawnStroke(polyline, float(stroke.period), stroke.style))
        new = tuple(drawn)
        if new != self._strokes:
            self._strokes = new
            self._rebuild_strokes()
            self._refresh_markers()
            self._scene_changed()

    def set_animation_time(self, seconds: float) -> None:
        """Animation clock in seconds; repaints only if a marker visibly moves."""
        self._time = float(seconds)
        if not self._strokes:
            return
        key = self._markers_key()
        if key != self._marker_key:
            old_rects = self._marker_rects
            self._marker_key = key
            self._marker_rects = new_rects = self._current_marker_rects()
            if self._cache_enabled:
                # The still picture is unchanged: repaint where the markers were and are,
                # one rectangle per marker to keep the clip simple.
                if len(old_rects) == len(new_rects):
                    rects = [a.united(b) for a, b in zip(old_rects, new_rects, strict=True)]
                else:
                    rects = [*old_rects, *new_rects]
                region = QRegion()
                for rect in rects:
                    region += rect
                self.update(region)
            else:
                self.update()

    def set_mirrored(self, mirrored: bool) -> None:
        """Flip left and right so the picture matches what the person sees in a mirror."""
        mirrored = bool(mirrored)
        if mirrored != self._mirrored:
            self._mirrored = mirrored
            self._rebuild()
            self._scene_changed()

    def set_area_shading(self, amounts: Mapping[str, float]) -> None:
        """Heat shading for the history view: ``{"cheeks": 0.8}``, 0 (none) to 1."""
        shading = {
            area: min(1.0, max(0.0, float(amount)))
            for area, amount in amounts.items()
            if area in AREA_REGIONS and amount == amount  # skip NaN
        }
        shading = {area: amount for area, amount in shading.items() if amount > 0}
        if shading != self._shading:
            self._shading = shading
            self._scene_changed()

    def set_theme(self, theme: Theme) -> None:
        if theme != self._theme:
            self._theme = theme
            self._scene_changed()

    # ------------------------------------------------------------------ geometry

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(360, 440)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(120, 150)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._rebuild()
        super().resizeEvent(event)

    def _rebuild(self) -> None:
        """Map all face geometry to pixels once per size or mirror change."""
        self._built_for = (self.width(), self.height(), self._mirrored)
        margin = max(4.0, min(self.width(), self.height()) * 0.03)
        box = fit_box(self.width(), self.height(), MAP_ASPECT, margin)
        transform = QTransform()
        if self._mirrored:
            transform.translate(box.x + box.width, box.y)
            transform.scale(-box.width, box.height)
        else:
            transform.translate(box.x, box.y)
            transform.scale(box.width, box.height)
        self._transform = transform
        self._unit = max(1.0, box.height)

        def closed(points: Sequence[Point], smooth: bool = True) -> QPainterPath:
            mapped = [self.map_to_widget(point) for point in points]
            if smooth:
                return _smooth_path(mapped, closed=True)
            path = QPainterPath()
            path.addPolygon(QPolygonF(mapped))
            path.closeSubpath()
            return path

        def open_line(points: Sequence[Point]) -> QPainterPath:
            return _smooth_path([self.map_to_widget(point) for point in points], closed=False)

        features = FACE_FEATURES
        lips_outline = (
            (0.41, 0.678),
            (0.45, 0.665),
            (0.48, 0.661),
            (0.5, 0.666),
            (0.52, 0.661),
            (0.55, 0.665),
            (0.59, 0.678),
            (0.555, 0.695),
            (0.5, 0.702),
            (0.445, 0.695),
        )
        self._face_paths = {
            "outline": closed(features.outline, smooth=False),
            "hair": closed(features.hair),
            "neck": closed(features.neck),
            "ear_right": closed(features.ears[0]),
            "ear_left": closed(features.ears[1]),
            "eye_right": closed(features.eyes[0]),
            "eye_left": closed(features.eyes[1]),
            "brow_right": open_line(features.brows[0]),
            "brow_left": open_line(features.brows[1]),
            "lips": closed(lips_outline),
            "mouth_line": open_line(
                ((0.415, 0.677), (0.46, 0.682), (0.5, 0.684), (0.54, 0.682), (0.585, 0.677))
            ),
        }
        for index, line in enumerate(features.nose):
            self._face_paths[f"nose_{index}"] = open_line(line)
        # Soft ear detail and the neck's shadow line under the jaw.
        self._face_paths["ear_inner_right"] = open_line(
            ((0.14, 0.37), (0.125, 0.41), (0.135, 0.47))
        )
        self._face_paths["ear_inner_left"] = open_line(((0.86, 0.37), (0.875, 0.41), (0.865, 0.47)))
        self._region_paths = {
            area_id: tuple(
                closed(polygon, smooth=area_id != "jawline") for polygon in region.polygons
            )
            for area_id, region in AREA_REGIONS.items()
        }
        self._rebuild_strokes()
        self._refresh_markers()

    def _scene_changed(self) -> None:
        """The still picture changed: drop the cached pixmap and repaint everything."""
        self._scene_version += 1
        self._background = None
        self.update()

    def _refresh_markers(self) -> None:
        self._marker_key = self._markers_key()
        self._marker_rects = self._current_marker_rects()

    def _marker_reach(self) -> float:
        """Half the side of a square that holds any marker, pulse ring included."""
        radius = max(4.0, self._unit * 0.016)
        ring = radius * 2.7 + max(1.5, radius * 0.35) / 2  # widest press ring and its pen
        dot = radius + max(1.5, radius * 0.3) / 2
        return max(ring, dot) + 2.0  # antialiasing spills about a pixel each side

    def _current_marker_rects(self) -> tuple[QRect, ...]:
        reach = self._marker_reach()
        return tuple(
            QRectF(point.x() - reach, point.y() - reach, 2 * reach, 2 * reach).toAlignedRect()
            for point, _state in self.marker_states()
        )

    def _rebuild_strokes(self) -> None:
        paths = []
        for stroke in self._strokes:
            path = QPainterPath()
            mapped = [self.map_to_widget(point) for point in stroke.points]
            if stroke.style == "circle" and len(mapped) > 2:
                path = _smooth_path(mapped, closed=True)
            elif len(mapped) > 1:
                path = _smooth_path(mapped, closed=False)
            paths.append(path)
        self._stroke_paths = tuple(paths)

    def _markers_key(self) -> tuple[tuple[int, ...], ...]:
        # Half-pixel steps and twentieths of opacity: finer changes are not visible.
        return tuple(
            (
                round(point.x() * 2),
                round(point.y() * 2),
                round(state.opacity * 20),
                round(state.pulse * 20),
            )
            for point, state in self.marker_states()
        )

    def _describe(self) -> None:
        if not self._active:
            self.setAccessibleDescription("No area is being worked.")
            return
        parts = [
            f"{AREA_BY_ID[area].label} ({PRESSURE_BY_ID[level].label.lower()})"
            if level in PRESSURE_BY_ID
            else AREA_BY_ID[area].label
            for area in AREA_IDS
            if area in self._active
            for level in (self._active[area],)
        ]
        self.setAccessibleDescription("Worked areas: " + ", ".join(parts) + ".")

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self._ensure_geometry()
        painter = QPainter(self)
        if self._cache_enabled:
            painter.drawPixmap(0, 0, self.still_picture())
        else:
            self._paint_still(painter)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_markers(painter)
        painter.end()

    def still_picture(self) -> QPixmap:
        """The cached face, shading, lit areas and stroke lines, at the screen's pixel ratio.

        Painted again only when one of them, the size or the pixel ratio changed since
        the last call; otherwise the same pixmap (same ``cacheKey()``) is returned.
        """
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), ratio, self._mirrored, self._scene_version)
        if self._background is None or key != self._background_key:
            pixmap = QPixmap(
                max(1, math.ceil(self.width() * ratio)), max(1, math.ceil(self.height() * ratio))
            )
            pixmap.setDevicePixelRatio(ratio)
            # A fractional ratio leaves a sliver past the logical rect: keep it background.
            pixmap.fill(QColor(self._theme.background))
            painter = QPainter(pixmap)
            self._paint_still(painter)
            painter.end()
            self._background = pixmap
            self._background_key = key
        return self._background

    def _paint_still(self, painter: QPainter) -> None:
        """Everything that does not move; the markers go on top of it."""
        theme = self._theme
        unit = self._unit
        paths = self._face_paths
        painter.fillRect(self.rect(), QColor(theme.background))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

        line = QPen(QColor(theme.face_line), max(1.0, unit * 0.004))
        line.setCapStyle(Qt.PenCapStyle.RoundCap)
        line.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        skin = QBrush(QColor(theme.skin))
        shade = QBrush(QColor(theme.skin_shade))

        # Neck and shoulders, ears, then the face over them.
        painter.setPen(line)
        painter.setBrush(shade)
        painter.drawPath(paths["neck"])
        painter.setBrush(skin)
        painter.drawPath(paths["ear_right"])
        painter.drawPath(paths["ear_left"])
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(paths["ear_inner_right"])
        painter.drawPath(paths["ear_inner_left"])
        painter.setBrush(skin)
        painter.drawPath(paths["outline"])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.hair))
        painter.drawPath(paths["hair"])

        # History heat shading sits on the skin, under the features.
        painter.setPen(Qt.PenStyle.NoPen)
        for area_id in AREA_IDS:
            amount = self._shading.get(area_id)
            if amount:
                painter.setBrush(theme.heat_color(amount))
                for path in self._region_paths[area_id]:
                    painter.drawPath(path)

        self._paint_features(painter, line)

        # Worked areas: a see-through wash in the pressure colour with a firm edge,
        # over the features so eyes and lips stay visible but tinted.
        for area_id in AREA_IDS:
            level = self._active.get(area_id)
            if level is None:
                continue
            colour = theme.pressure_color(level)
            wash = QColor(colour)
            wash.setAlphaF(0.55)
            edge = QPen(colour, max(1.5, unit * 0.005))
            edge.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(edge)
            painter.setBrush(wash)
            region = AREA_REGIONS[area_id]
            half_paths = self._region_paths[area_id]
            if region.paired and self._active_side is not None:
                half_paths = (
                    half_paths[:1] if self._active_side == face_layout.RIGHT else half_paths[1:]
                )
            for path in half_paths:
                painter.drawPath(path)

        self._paint_strokes(painter)

    def _paint_features(self, painter: QPainter, line: QPen) -> None:
        theme = self._theme
        unit = self._unit
        paths = self._face_paths
        # Eyes: white, a soft iris with a pupil and a highlight, a firmer upper lid.
        for name, (centre, radius) in zip(
            ("eye_right", "eye_left"), FACE_FEATURES.irises, strict=True
        ):
            eye = paths[name]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.eye_white))
            painter.drawPath(eye)
            painter.save()
            painter.setClipPath(eye)
            middle = self.map_to_widget(centre)
            iris_radius = radius * unit
            painter.setBrush(QColor(theme.iris))
            painter.drawEllipse(middle, iris_radius, iris_radius)
            painter.setBrush(QColor("#1d2329"))
            painter.drawEllipse(middle, iris_radius * 0.45, iris_radius * 0.45)
            painter.setBrush(QColor(255, 255, 255, 200))
            glint = QPointF(iris_radius * 0.35, -iris_radius * 0.35)
            painter.drawEllipse(middle + glint, iris_radius * 0.18, iris_radius * 0.18)
            painter.restore()
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(line)
            painter.drawPath(eye)

        # Brows: soft thick strokes in the hair colour.
        brow = QPen(QColor(theme.hair), max(1.5, unit * 0.011))
        brow.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(brow)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(paths["brow_right"])
        painter.drawPath(paths["brow_left"])

        # Nose: a hint of the bridge and the base.
        nose = QPen(line)
        nose.setWidthF(max(1.0, unit * 0.0035))
        painter.setPen(nose)
        for key in ("nose_0", "nose_1"):
            painter.drawPath(paths[key])

        # Lips with a gentle, closed smile.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.lips))
        painter.drawPath(paths["lips"])
        mouth = QPen(QColor(theme.face_line).darker(130), max(1.0, unit * 0.004))
        mouth.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(mouth)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(paths["mouth_line"])

    def _paint_strokes(self, painter: QPainter) -> None:
        if not self._strokes:
            return
        theme = self._theme
        unit = self._unit
        colour = QColor(theme.stroke)
        halo = QColor(theme.background)
        halo.setAlphaF(0.7)
        width = max(1.5, unit * 0.006)
        for stroke, path in zip(self._strokes, self._stroke_paths, strict=True):
            if stroke.style != "press" and not path.isEmpty():
                # A pale halo under the line keeps it readable on any lit area.
                painter.setBrush(Qt.BrushStyle.NoBrush)
                under = QPen(halo, width * 2.4)
                under.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(under)
                painter.drawPath(path)
                pen = QPen(colour, width)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                if stroke.style in ("flick", "pinch"):
                    pen.setDashPattern([2.0, 2.2])
                painter.setPen(pen)
                painter.drawPath(path)
                if stroke.style != "circle":
                    self._paint_arrowhead(painter, stroke.points, colour, width)

    def _paint_markers(self, painter: QPainter) -> None:
        if not self._strokes:
            return
        colour = QColor(self._theme.stroke)
        for point, state in self.marker_states():
            self._paint_marker(painter, point, state, colour)

    def _paint_arrowhead(
        self, painter: QPainter, points: Sequence[Point], colour: QColor, width: float
    ) -> None:
        tip = self.map_to_widget(points[-1])
        before = self.map_to_widget(
            (
                points[-1][0] - end_direction(points)[0] * 0.01,
                points[-1][1] - end_direction(points)[1] * 0.01,
            )
        )
        dx, dy = tip.x() - before.x(), tip.y() - before.y()
        length = math.hypot(dx, dy)
        if length == 0:
            return
        ux, uy = dx / length, dy / length
        size = max(6.0, self._unit * 0.028)
        back = QPointF(tip.x() - ux * size, tip.y() - uy * size)
        side = QPointF(-uy * size * 0.55, ux * size * 0.55)
        head = QPolygonF([tip + QPointF(ux * width, uy * width), back + side, back - side])
        halo = QColor(self._theme.background)
        halo.setAlphaF(0.7)
        painter.setPen(QPen(halo, width * 1.2))
        painter.setBrush(colour)
        painter.drawPolygon(head)

    def _paint_marker(
        self, painter: QPainter, point: QPointF, state: MarkerState, colour: QColor
    ) -> None:
        radius = max(4.0, self._unit * 0.016)
        outline = QColor(self._theme.background)
        if state.direction == (0.0, 0.0):
            # A press: a dot with a ring that swells and fades once per period.
            ring = QColor(colour)
            ring.setAlphaF(0.8 * (1 - state.pulse) + 0.1)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(ring, max(1.5, radius * 0.35)))
            grow = radius * (1.3 + 1.4 * state.pulse)
            painter.drawEllipse(point, grow, grow)
        if state.opacity <= 0:
            return
        fill = QColor(self._theme.marker)
        fill.setAlphaF(state.opacity)
        edge = QColor(outline)
        edge.setAlphaF(state.opacity)
        painter.setPen(QPen(edge, max(1.5, radius * 0.3)))
        painter.setBrush(fill)
        painter.drawEllipse(QRectF(point.x() - radius, point.y() - radius, 2 * radius, 2 * radius))
