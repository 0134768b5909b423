"""Geometry of the face map, in normalised face coordinates (no Qt here).

Coordinates
    ``x`` runs from 0 to 1 across the picture, ``y`` from 0 (top of the forehead) to
    1 (bottom of the neck).  The map shows the person from the front, as someone
    facing them would: ``x < 0.5`` is the **person's right** (the viewer's left) and
    ``x > 0.5`` is the **person's left** (the viewer's right).  Routine stroke points
    use the same coordinates (see ``docs/routine-format.md``).

Sides
    A side is always named from the person's point of view: ``"right"`` is the half
    with ``x < 0.5``, ``"left"`` the half with ``x > 0.5``.  When the picture is
    mirrored (so it matches what the person sees in a mirror) the widget flips it
    horizontally at paint time; the geometry here never changes.

Paired areas (brows, temples, under-eyes, cheeks, laugh lines, jawline) have two
polygons, always in the order (person's right, person's left); the second is the
exact mirror image of the first.

Fixed anchors that stroke paths are authored against:
    face oval centred on x = 0.5, x 0.14-0.86, y 0.04-0.84; forehead band y 0.08-0.24;
    brows along y 0.30 over x 0.28-0.45 and 0.55-0.72; eyes at y 0.36 (x 0.36, 0.64);
    under-eyes y 0.39-0.45; temples about (0.17, 0.30) and (0.83, 0.30); nose x
    0.45-0.55, y 0.32-0.55; cheeks centred (0.30, 0.52) and (0.70, 0.52); laugh lines
    from (0.44, 0.55) to (0.38, 0.67) and mirrored; mouth x 0.40-0.60, y 0.64-0.71;
    chin about (0.50, 0.79); jawline from the chin (0.50, 0.83) to below the ears
    (0.15, 0.56) on both sides; neck x 0.36-0.64, y 0.86-1.0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Point = tuple[float, float]
Polygon = tuple[Point, ...]

RIGHT = "right"  # the person's right: x < 0.5, the viewer's left when not mirrored
LEFT = "left"  # the person's left: x > 0.5
SIDE_NAMES = (RIGHT, LEFT)

# The face oval: an ellipse through the fixed anchors above.
FACE_CENTRE: Point = (0.5, 0.44)
FACE_RADIUS_X = 0.36
FACE_RADIUS_Y = 0.40
# Width / height of the drawn map: the unit square is drawn a little taller than wide
# so the oval reads as a face, not a ball.  Coordinates stay normalised regardless.
MAP_ASPECT = 0.82


# --------------------------------------------------------------------------- helpers


def mirror_point(point: Point) -> Point:
    """The same place on the other half of the face."""
    return (round(1.0 - point[0], 6), point[1])


def mirror_polygon(polygon: Sequence[Point]) -> Polygon:
    """Mirror image of a polygon or polyline across x = 0.5 (point order kept)."""
    return tuple(mirror_point(point) for point in polygon)


def ellipse(cx: float, cy: float, rx: float, ry: float, segments: int = 28) -> Polygon:
    """An ellipse as a closed polygon (last point not repeated)."""
    return tuple(
        (
            round(cx + rx * math.cos(2 * math.pi * i / segments), 6),
            round(cy + ry * math.sin(2 * math.pi * i / segments), 6),
        )
        for i in range(segments)
    )


def face_half_width(y: float) -> float:
    """Half the width of the face oval at height ``y`` (0 outside the oval)."""
    dy = (y - FACE_CENTRE[1]) / FACE_RADIUS_Y
    if abs(dy) >= 1.0:
        return 0.0
    return FACE_RADIUS_X * math.sqrt(1.0 - dy * dy)


def inside_face(point: Point, margin: float = 0.0) -> bool:
    """True when ``point`` lies inside the face oval shrunk by ``margin``."""
    rx = FACE_RADIUS_X - margin
    ry = FACE_RADIUS_Y - margin
    dx = (point[0] - FACE_CENTRE[0]) / rx
    dy = (point[1] - FACE_CENTRE[1]) / ry
    return dx * dx + dy * dy <= 1.0


def _pull_inside_face(polygon: Iterable[Point], margin: float = 0.008) -> Polygon:
    """Move any point outside the oval onto its (slightly shrunk) edge, along the ray
    from the centre; regions near the edge then hug the outline instead of spilling."""
    result = []
    rx = FACE_RADIUS_X - margin
    ry = FACE_RADIUS_Y - margin
    cx, cy = FACE_CENTRE
    for x, y in polygon:
        dx = (x - cx) / rx
        dy = (y - cy) / ry
        distance = math.hypot(dx, dy)
        if distance > 1.0:
            x = cx + (x - cx) / distance
            y = cy + (y - cy) / distance
        result.append((round(x, 6), round(y, 6)))
    return tuple(result)


def face_outline(segments: int = 96) -> Polygon:
    """The face oval as a closed polygon, clockwise on screen from the top."""
    cx, cy = FACE_CENTRE
    return tuple(
        (
            round(cx + FACE_RADIUS_X * math.sin(2 * math.pi * i / segments), 6),
            round(cy - FACE_RADIUS_Y * math.cos(2 * math.pi * i / segments), 6),
        )
        for i in range(segments)
    )


def _band(centre_line: Sequence[Point], widths: Sequence[float]) -> Polygon:
    """A band around a polyline: ``widths[i]`` is the full thickness at point i."""
    top: list[Point] = []
    bottom: list[Point] = []
    count = len(centre_line)
    for i, (x, y) in enumerate(centre_line):
        before = centre_line[max(i - 1, 0)]
        after = centre_line[min(i + 1, count - 1)]
        tx, ty = after[0] - before[0], after[1] - before[1]
        length = math.hypot(tx, ty) or 1.0
        nx, ny = -ty / length, tx / length
        half = widths[i] / 2
        top.append((round(x + nx * half, 6), round(y + ny * half, 6)))
        bottom.append((round(x - nx * half, 6), round(y - ny * half, 6)))
    return tuple(top + bottom[::-1])


def polygon_area(polygon: Sequence[Point]) -> float:
    """Unsigned area (shoelace formula)."""
    total = 0.0
    for i, (x1, y1) in enumerate(polygon):
        x2, y2 = polygon[(i + 1) % len(polygon)]
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def polygon_centroid(polygon: Sequence[Point]) -> Point:
    """Centre of mass of a simple polygon (falls back to the vertex mean)."""
    signed = 0.0
    cx = cy = 0.0
    for i, (x1, y1) in enumerate(polygon):
        x2, y2 = polygon[(i + 1) % len(polygon)]
        cross = x1 * y2 - x2 * y1
        signed += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(signed) < 1e-12:
        n = len(polygon)
        return (sum(p[0] for p in polygon) / n, sum(p[1] for p in polygon) / n)
    signed /= 2
    return (cx / (6 * signed), cy / (6 * signed))


def interior_point(polygon: Sequence[Point]) -> Point:
    """A point well inside the polygon: its centroid when that lies inside (convex
    shapes), otherwise the middle of the widest horizontal span through the centroid's
    height (curved bands such as the jawline)."""
    centre = polygon_centroid(polygon)
    if point_in_polygon(centre, polygon):
        return centre
    y = centre[1]
    crossings = []
    for i, (x1, y1) in enumerate(polygon):
        x2, y2 = polygon[(i + 1) % len(polygon)]
        if (y1 > y) != (y2 > y):
            crossings.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
    crossings.sort()
    spans = list(zip(crossings[::2], crossings[1::2], strict=False))
    if not spans:
        return centre
    start, end = max(spans, key=lambda span: span[1] - span[0])
    return ((start + end) / 2, y)


def point_in_polygon(point: Point, polygon: Sequence[Point]) -> bool:
    """Even-odd rule test."""
    x, y = point
    inside = False
    j = len(polygon) - 1
    for i in range(len(polygon)):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


# --------------------------------------------------------------------------- areas


@dataclass(frozen=True)
class AreaRegion:
    """Where one area lies on the map.

    ``polygons`` holds one polygon for a central area and two for a paired one, in
    the order (person's right, person's left).  ``label_anchor`` is a point inside
    the area (on the person's right for a paired area) where a label may be drawn.
    """

    area_id: str
    polygons: tuple[Polygon, ...]
    label_anchor: Point

    @property
    def paired(self) -> bool:
        return len(self.polygons) == 2

    def centres(self) -> tuple[Point, ...]:
        """A point well inside each polygon, in the same order as ``polygons``."""
        return tuple(interior_point(polygon) for polygon in self.polygons)

    def polygons_for_side(self, side: str | None) -> tuple[Polygon, ...]:
        """The polygons to light for a side (``"right"``, ``"left"`` or None for both).

        A central area (forehead, nose, ...) is whole on either side.
        """
        if side is None or not self.paired:
            return self.polygons
        if side == RIGHT:
            return self.polygons[:1]
        if side == LEFT:
            return self.polygons[1:]
        raise ValueError(f"unknown side {side!r}; use 'right' or 'left'")


def _paired(area_id: str, right_half: Polygon) -> AreaRegion:
    polygon = tuple(right_half)
    return AreaRegion(area_id, (polygon, mirror_polygon(polygon)), interior_point(polygon))


def _single(area_id: str, polygon: Polygon) -> AreaRegion:
    return AreaRegion(area_id, (polygon,), interior_point(polygon))


def _forehead() -> Polygon:
    """The band y 0.08-0.24 inside the oval, a little in from its edge."""
    top, bottom = 0.08, 0.24
    inset = 0.03
    steps = 8
    # Down the viewer's right edge (person's left), then the lower edge, which bows up
    # slightly between the brows, then up the other edge.
    edge = [
        (
            round(0.5 + face_half_width(top + (bottom - top) * i / steps) - inset, 6),
            round(top + (bottom - top) * i / steps, 6),
        )
        for i in range(steps + 1)
    ]
    lower = [(0.62, 0.238), (0.5, 0.228), (0.38, 0.238)]
    other = [mirror_point(point) for point in reversed(edge)]
    return tuple(edge + lower + other)


def _jawline_right() -> Polygon:
    """Band along the lower oval from the chin to below the ear (person's right)."""
    cx, cy = FACE_CENTRE
    outer: list[Point] = []
    inner: list[Point] = []
    # Walk the oval from its bottom (chin) to y = 0.56 on the viewer's left.
    end_angle = math.asin((0.56 - cy) / FACE_RADIUS_Y)  # angle below the horizontal
    steps = 12
    for i in range(steps + 1):
        angle = math.pi / 2 + (math.pi / 2 - end_angle) * i / steps
        ox = cx + FACE_RADIUS_X * math.cos(angle)
        oy = cy + FACE_RADIUS_Y * math.sin(angle)
        outer.append((round(cx + (ox - cx) * 0.985, 6), round(cy + (oy - cy) * 0.985, 6)))
        inner.append((round(cx + (ox - cx) * 0.88, 6), round(cy + (oy - cy) * 0.88, 6)))
    return tuple(outer + inner[::-1])


def _build_regions() -> dict[str, AreaRegion]:
    regions = [
        _single("forehead", _forehead()),
        _paired(
            "brows",
            _band(
                [(0.28, 0.312), (0.32, 0.293), (0.37, 0.286), (0.415, 0.289), (0.45, 0.300)],
                [0.022, 0.030, 0.032, 0.030, 0.026],
            ),
        ),
        _paired("temples", _pull_inside_face(ellipse(0.195, 0.30, 0.042, 0.062, 20))),
        _paired(
            "under-eyes",
            (
                (0.295, 0.388),
                (0.33, 0.395),
                (0.36, 0.397),
                (0.39, 0.395),
                (0.43, 0.386),
                (0.415, 0.425),
                (0.385, 0.446),
                (0.355, 0.452),
                (0.325, 0.444),
                (0.305, 0.420),
            ),
        ),
        _single(
            "nose",
            (
                (0.475, 0.32),
                (0.525, 0.32),
                (0.535, 0.42),
                (0.555, 0.49),
                (0.56, 0.525),
                (0.54, 0.55),
                (0.5, 0.555),
                (0.46, 0.55),
                (0.44, 0.525),
                (0.445, 0.49),
                (0.465, 0.42),
            ),
        ),
        _paired("cheeks", _pull_inside_face(ellipse(0.30, 0.52, 0.085, 0.065, 24))),
        _paired(
            "nasolabial",
            _band(
                [(0.44, 0.55), (0.415, 0.585), (0.395, 0.625), (0.38, 0.67)],
                [0.024, 0.028, 0.028, 0.022],
            ),
        ),
        _single(
            "mouth",
            (
                (0.40, 0.675),
                (0.43, 0.652),
                (0.47, 0.641),
                (0.5, 0.646),
                (0.53, 0.641),
                (0.57, 0.652),
                (0.60, 0.675),
                (0.57, 0.697),
                (0.53, 0.708),
                (0.5, 0.71),
                (0.47, 0.708),
                (0.43, 0.697),
            ),
        ),
        _single("chin", _pull_inside_face(ellipse(0.5, 0.785, 0.075, 0.042, 24), 0.012)),
        _paired("jawline", _jawline_right()),
        _single(
            "neck",
            (
                (0.37, 0.86),
                (0.63, 0.86),
                (0.635, 0.93),
                (0.645, 0.995),
                (0.355, 0.995),
                (0.365, 0.93),
            ),
        ),
    ]
    return {region.area_id: region for region in regions}


AREA_REGIONS: dict[str, AreaRegion] = _build_regions()


def region(area_id: str) -> AreaRegion:
    """The region of one area id (KeyError for an unknown id)."""
    return AREA_REGIONS[area_id]


def area_at(point: Point) -> tuple[str, ...]:
    """Every area whose region contains ``point`` (areas may touch or overlap)."""
    return tuple(
        area_id
        for area_id, area_region in AREA_REGIONS.items()
        if any(point_in_polygon(point, polygon) for polygon in area_region.polygons)
    )


# --------------------------------------------------------------------------- strokes


def polyline_side(points: Sequence[Point], tolerance: float = 0.02) -> str | None:
    """Which half a stroke lies on: ``"right"`` (x < 0.5), ``"left"`` or None (central)."""
    mean_x = sum(point[0] for point in points) / len(points)
    if mean_x < 0.5 - tolerance:
        return RIGHT
    if mean_x > 0.5 + tolerance:
        return LEFT
    return None


def stroke_polylines(
    points: Sequence[Point], mirror: bool, side: str | None = None
) -> tuple[Polygon, ...]:
    """The polylines to draw for one stroke.

    ``mirror`` adds the mirror image on the other half.  With ``side`` (``"right"`` or
    ``"left"``, the person's) only the half on that side is kept; a one-sided stroke
    authored on the other half is mirrored over, since a move done "each side" uses
    the same path on both.  Central strokes are always kept.
    """
    original = tuple((float(x), float(y)) for x, y in points)
    own_side = polyline_side(original)
    if side is None:
        if mirror and own_side is not None:
            return (original, mirror_polygon(original))
        return (original,)
    if side not in SIDE_NAMES:
        raise ValueError(f"unknown side {side!r}; use 'right' or 'left'")
    if own_side is None or own_side == side:
        return (original,)
    return (mirror_polygon(original),)


# --------------------------------------------------------------------------- drawing


@dataclass(frozen=True)
class FaceFeatures:
    """The lines and shapes that make the map read as a face (not areas)."""

    outline: Polygon
    hair: Polygon
    ears: tuple[Polygon, Polygon]
    neck: Polygon  # the neck and shoulders shape behind the face
    eyes: tuple[Polygon, Polygon]
    irises: tuple[tuple[Point, float], tuple[Point, float]]  # centre and radius
    brows: tuple[Polygon, Polygon]  # brow centre lines
    nose: tuple[Polygon, ...]  # open polylines
    lips: tuple[Polygon, Polygon]  # upper lip line, lower lip line (open polylines)


def _build_features() -> FaceFeatures:
    eye_right: Polygon = (
        (0.30, 0.362),
        (0.325, 0.347),
        (0.36, 0.341),
        (0.395, 0.348),
        (0.42, 0.362),
        (0.395, 0.373),
        (0.36, 0.377),
        (0.325, 0.373),
    )
    ear_right: Polygon = (
        (0.150, 0.335),
        (0.125, 0.330),
        (0.108, 0.350),
        (0.106, 0.400),
        (0.115, 0.455),
        (0.132, 0.505),
        (0.150, 0.525),
        (0.160, 0.500),
    )
    brow_right: Polygon = ((0.28, 0.312), (0.32, 0.293), (0.37, 0.286), (0.415, 0.289), (0.45, 0.3))
    # The hair: a soft cap over the top of the oval, parted gently at the middle.
    hair_points: list[Point] = []
    cx, cy = FACE_CENTRE
    for i in range(25):
        angle = math.pi * 1.03 + math.pi * 0.94 * i / 24  # left side, over the top
        hair_points.append(
            (
                round(cx + (FACE_RADIUS_X + 0.022) * math.cos(angle), 6),
                round(cy + (FACE_RADIUS_Y + 0.035) * math.sin(angle), 6),
            )
        )
    # The hairline stays just inside the oval so the outline never crosses itself.
    hairline: list[Point] = [
        (0.872, 0.43),
        (0.838, 0.33),
        (0.815, 0.235),
        (0.76, 0.155),
        (0.66, 0.100),
        (0.545, 0.083),
        (0.50, 0.092),
        (0.44, 0.088),
        (0.33, 0.105),
        (0.235, 0.160),
        (0.185, 0.235),
        (0.162, 0.33),
        (0.128, 0.43),
    ]
    hair = tuple(hair_points) + tuple(hairline)
    neck: Polygon = (
        (0.365, 0.72),
        (0.635, 0.72),
        (0.64, 0.90),
        (0.70, 0.955),
        (0.86, 1.0),
        (0.14, 1.0),
        (0.30, 0.955),
        (0.36, 0.90),
    )
    nose: tuple[Polygon, ...] = (
        ((0.468, 0.36), (0.462, 0.44), (0.452, 0.495)),
        (
            (0.44, 0.52),
            (0.455, 0.538),
            (0.478, 0.534),
            (0.5, 0.545),
            (0.522, 0.534),
            (0.545, 0.538),
            (0.56, 0.52),
        ),
    )
    upper_lip: Polygon = (
        (0.41, 0.676),
        (0.45, 0.664),
        (0.48, 0.662),
        (0.5, 0.667),
        (0.52, 0.662),
        (0.55, 0.664),
        (0.59, 0.676),
    )
    lower_lip: Polygon = ((0.44, 0.69), (0.47, 0.698), (0.5, 0.700), (0.53, 0.698), (0.56, 0.69))
    return FaceFeatures(
        outline=face_outline(),
        hair=hair,
        ears=(ear_right, mirror_polygon(ear_right)[::-1]),
        neck=neck,
        eyes=(eye_right, mirror_polygon(eye_right)),
        irises=(((0.36, 0.359), 0.016), ((0.64, 0.359), 0.016)),
        brows=(brow_right, mirror_polygon(brow_right)),
        nose=nose,
        lips=(upper_lip, lower_lip),
    )


FACE_FEATURES: FaceFeatures = _build_features()

# Details drawn on top of the features: the closed lips, the line between them, and
# the soft inner curve of each ear (person's right first).
LIPS_OUTLINE: Polygon = (
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
MOUTH_LINE: Polygon = ((0.415, 0.677), (0.46, 0.682), (0.5, 0.684), (0.54, 0.682), (0.585, 0.677))
EAR_INNER_LINES: tuple[Polygon, Polygon] = (
    ((0.14, 0.37), (0.125, 0.41), (0.135, 0.47)),
    ((0.86, 0.37), (0.875, 0.41), (0.865, 0.47)),
)
