"""Painting the face map's two layers: the still picture and the moving markers.

The widget (:mod:`facegym_desktop.ui.face_map`) maps the face to pixels and decides
when to repaint; the functions here only paint what a ``FaceScene`` describes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF

from facegym_desktop.core import face_layout
from facegym_desktop.core.face_layout import (
    AREA_REGIONS,
    EAR_INNER_LINES,
    FACE_FEATURES,
    LIPS_OUTLINE,
    MOUTH_LINE,
)
from facegym_desktop.core.ring_geometry import MarkerState, end_direction
from facegym_desktop.core.vocabulary import AREA_IDS
from facegym_desktop.ui.theme import Theme

Point = tuple[float, float]


@dataclass(frozen=True)
class DrawnStroke:
    """A stroke as drawn: normalised points already on the side to draw."""

    points: tuple[Point, ...]
    period: float
    style: str


@dataclass(frozen=True)
class FaceScene:
    """Everything the still picture shows, already mapped to widget pixels.

    ``unit`` is pixels per unit of face height; ``to_widget`` maps a normalised face
    point to widget pixels (mirror included).
    """

    theme: Theme
    unit: float
    face_paths: Mapping[str, QPainterPath]
    region_paths: Mapping[str, tuple[QPainterPath, ...]]
    shading: Mapping[str, float]
    active: Mapping[str, str]
    active_side: str | None
    strokes: tuple[DrawnStroke, ...]
    stroke_paths: tuple[QPainterPath, ...]
    to_widget: Callable[[Point], QPointF]


def smooth_path(points: Sequence[QPointF], closed: bool) -> QPainterPath:
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


def _closed(
    points: Sequence[Point], to_widget: Callable[[Point], QPointF], smooth: bool = True
) -> QPainterPath:
    mapped = [to_widget(point) for point in points]
    if smooth:
        return smooth_path(mapped, closed=True)
    path = QPainterPath()
    path.addPolygon(QPolygonF(mapped))
    path.closeSubpath()
    return path


def face_paths(
    to_widget: Callable[[Point], QPointF],
) -> tuple[dict[str, QPainterPath], dict[str, tuple[QPainterPath, ...]]]:
    """The face's feature paths by name, and each area's region paths (person's right
    half first), mapped to widget pixels by ``to_widget``."""

    def open_line(points: Sequence[Point]) -> QPainterPath:
        return smooth_path([to_widget(point) for point in points], closed=False)

    features = FACE_FEATURES
    paths = {
        "outline": _closed(features.outline, to_widget, smooth=False),
        "hair": _closed(features.hair, to_widget),
        "neck": _closed(features.neck, to_widget),
        "ear_right": _closed(features.ears[0], to_widget),
        "ear_left": _closed(features.ears[1], to_widget),
        "eye_right": _closed(features.eyes[0], to_widget),
        "eye_left": _closed(features.eyes[1], to_widget),
        "brow_right": open_line(features.brows[0]),
        "brow_left": open_line(features.brows[1]),
        "lips": _closed(LIPS_OUTLINE, to_widget),
        "mouth_line": open_line(MOUTH_LINE),
        "ear_inner_right": open_line(EAR_INNER_LINES[0]),
        "ear_inner_left": open_line(EAR_INNER_LINES[1]),
    }
    for index, line in enumerate(features.nose):
        paths[f"nose_{index}"] = open_line(line)
    regions = {
        area_id: tuple(
            _closed(polygon, to_widget, smooth=area_id != "jawline") for polygon in region.polygons
        )
        for area_id, region in AREA_REGIONS.items()
    }
    return paths, regions


def stroke_path(stroke: DrawnStroke, to_widget: Callable[[Point], QPointF]) -> QPainterPath:
    """The line a stroke is drawn along (closed for a circle; empty for one point)."""
    mapped = [to_widget(point) for point in stroke.points]
    if stroke.style == "circle" and len(mapped) > 2:
        return smooth_path(mapped, closed=True)
    if len(mapped) > 1:
        return smooth_path(mapped, closed=False)
    return QPainterPath()


def marker_radius(unit: float) -> float:
    """Radius in pixels of a marker dot on a face ``unit`` pixels tall."""
    return max(4.0, unit * 0.016)


def marker_reach(unit: float) -> float:
    """Half the side of a square that holds any marker, pulse ring included."""
    radius = marker_radius(unit)
    ring = radius * 2.7 + max(1.5, radius * 0.35) / 2  # widest press ring and its pen
    dot = radius + max(1.5, radius * 0.3) / 2
    return max(ring, dot) + 2.0  # antialiasing spills about a pixel each side


def paint_still(painter: QPainter, rect: QRectF, scene: FaceScene) -> None:
    """Everything that does not move, over the background of ``rect``."""
    theme = scene.theme
    unit = scene.unit
    paths = scene.face_paths
    painter.fillRect(rect, QColor(theme.background))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)

    line = QPen(QColor(theme.face_line), max(1.0, unit * 0.004))
    line.setCapStyle(Qt.PenCapStyle.RoundCap)
    line.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    skin = QBrush(QColor(theme.skin))

    # Neck and shoulders, ears, then the face over them.
    painter.setPen(line)
    painter.setBrush(QBrush(QColor(theme.skin_shade)))
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
    for area_id in AREA_IDS:
        amount = scene.shading.get(area_id)
        if amount:
            painter.setBrush(theme.heat_color(amount))
            for path in scene.region_paths[area_id]:
                painter.drawPath(path)

    _paint_features(painter, line, scene)

    # Worked areas: a see-through wash in the pressure colour with a firm edge,
    # over the features so eyes and lips stay visible but tinted.
    for area_id in AREA_IDS:
        level = scene.active.get(area_id)
        if level is None:
            continue
        colour = theme.pressure_color(level)
        wash = QColor(colour)
        wash.setAlphaF(0.55)
        edge = QPen(colour, max(1.5, unit * 0.005))
        edge.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(edge)
        painter.setBrush(wash)
        half_paths = scene.region_paths[area_id]
        if AREA_REGIONS[area_id].paired and scene.active_side is not None:
            right = scene.active_side == face_layout.RIGHT
            half_paths = half_paths[:1] if right else half_paths[1:]
        for path in half_paths:
            painter.drawPath(path)

    _paint_strokes(painter, scene)


def _paint_features(painter: QPainter, line: QPen, scene: FaceScene) -> None:
    theme = scene.theme
    unit = scene.unit
    paths = scene.face_paths
    # Eyes: white, a soft iris with a pupil and a highlight, a firmer upper lid.
    for name, (centre, radius) in zip(("eye_right", "eye_left"), FACE_FEATURES.irises, strict=True):
        eye = paths[name]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.eye_white))
        painter.drawPath(eye)
        painter.save()
        painter.setClipPath(eye)
        middle = scene.to_widget(centre)
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


def _paint_strokes(painter: QPainter, scene: FaceScene) -> None:
    theme = scene.theme
    colour = QColor(theme.stroke)
    halo = QColor(theme.background)
    halo.setAlphaF(0.7)
    width = max(1.5, scene.unit * 0.006)
    for stroke, path in zip(scene.strokes, scene.stroke_paths, strict=True):
        if stroke.style == "press" or path.isEmpty():
            continue
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
            _paint_arrowhead(painter, scene, stroke.points, colour, width)


def _paint_arrowhead(
    painter: QPainter, scene: FaceScene, points: Sequence[Point], colour: QColor, width: float
) -> None:
    direction = end_direction(points)
    tip = scene.to_widget(points[-1])
    before = scene.to_widget(
        (points[-1][0] - direction[0] * 0.01, points[-1][1] - direction[1] * 0.01)
    )
    dx, dy = tip.x() - before.x(), tip.y() - before.y()
    length = math.hypot(dx, dy)
    if length == 0:
        return
    ux, uy = dx / length, dy / length
    size = max(6.0, scene.unit * 0.028)
    back = QPointF(tip.x() - ux * size, tip.y() - uy * size)
    side = QPointF(-uy * size * 0.55, ux * size * 0.55)
    head = QPolygonF([tip + QPointF(ux * width, uy * width), back + side, back - side])
    halo = QColor(scene.theme.background)
    halo.setAlphaF(0.7)
    painter.setPen(QPen(halo, width * 1.2))
    painter.setBrush(colour)
    painter.drawPolygon(head)


def paint_marker(
    painter: QPainter, theme: Theme, unit: float, point: QPointF, state: MarkerState
) -> None:
    """One stroke's moving marker: a dot, with a swelling ring for a press."""
    colour = QColor(theme.stroke)
    radius = marker_radius(unit)
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
    fill = QColor(theme.marker)
    fill.setAlphaF(state.opacity)
    edge = QColor(theme.background)
    edge.setAlphaF(state.opacity)
    painter.setPen(QPen(edge, max(1.5, radius * 0.3)))
    painter.setBrush(fill)
    painter.drawEllipse(QRectF(point.x() - radius, point.y() - radius, 2 * radius, 2 * radius))
