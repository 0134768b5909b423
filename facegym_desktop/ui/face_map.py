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
from typing import Protocol

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPixmap,
    QRegion,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from facegym_desktop.core import face_layout
from facegym_desktop.core.face_layout import AREA_REGIONS, MAP_ASPECT
from facegym_desktop.core.ring_geometry import (
    MarkerState,
    fit_box,
    marker_at,
    marker_frame_time,
)
from facegym_desktop.core.vocabulary import AREA_BY_ID, AREA_IDS, PRESSURE_BY_ID
from facegym_desktop.ui.face_map_layers import (
    DrawnStroke,
    FaceScene,
    face_paths,
    marker_reach,
    paint_marker,
    paint_still,
    stroke_path,
)
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
        self._strokes: tuple[DrawnStroke, ...] = ()
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
        frame_time = marker_frame_time(self._time)
        for stroke in self._strokes:
            state = marker_at(stroke.points, stroke.period, frame_time, stroke.style)
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

    def set_strokes(
        self, strokes: Iterable[StrokeLike], side: str | None = None, *, both_halves: bool = False
    ) -> None:
        """The move's stroke paths.  Mirrored strokes are drawn on both halves; with
        ``side`` only the half on the person's ``"right"`` or ``"left"`` is drawn.

        ``both_halves`` draws every one-sided stroke on both halves, as if mirrored: the
        strokes of a move written for one side at a time, done on both sides at once.
        Raises ValueError when it comes with a ``side``.
        """
        if both_halves and side is not None:
            raise ValueError(f"both_halves draws both halves; it cannot go with side {side!r}")
        drawn: list[DrawnStroke] = []
        for stroke in strokes:
            points = tuple((float(x), float(y)) for x, y in stroke.points)
            if not points:
                continue
            mirror = stroke.mirror or both_halves
            for polyline in face_layout.stroke_polylines(points, mirror, side):
                drawn.append(DrawnStroke(polyline, float(stroke.period), stroke.style))
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

        self._face_paths, self._region_paths = face_paths(self.map_to_widget)
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

    def _current_marker_rects(self) -> tuple[QRect, ...]:
        reach = marker_reach(self._unit)
        return tuple(
            QRectF(point.x() - reach, point.y() - reach, 2 * reach, 2 * reach).toAlignedRect()
            for point, _state in self.marker_states()
        )

    def _rebuild_strokes(self) -> None:
        self._stroke_paths = tuple(
            stroke_path(stroke, self.map_to_widget) for stroke in self._strokes
        )

    def _markers_key(self) -> tuple[tuple[int, ...], ...]:
        # Whole pixels and twentieths of opacity: finer changes are not visible.
        return tuple(
            (
                round(point.x()),
                round(point.y()),
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

    def _scene(self) -> FaceScene:
        return FaceScene(
            theme=self._theme,
            unit=self._unit,
            face_paths=self._face_paths,
            region_paths=self._region_paths,
            shading=self._shading,
            active=self._active,
            active_side=self._active_side,
            strokes=self._strokes,
            stroke_paths=self._stroke_paths,
            to_widget=self.map_to_widget,
        )

    def _paint_still(self, painter: QPainter) -> None:
        """Everything that does not move; the markers go on top of it."""
        paint_still(painter, QRectF(self.rect()), self._scene())

    def _paint_markers(self, painter: QPainter) -> None:
        for point, state in self.marker_states():
            paint_marker(painter, self._theme, self._unit, point, state)
