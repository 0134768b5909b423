"""Plain maths behind the painted widgets (no Qt here).

* the countdown ring: fraction -> arc in Qt's ``drawArc`` units, the ring's layout
  inside a widget, the remaining-time label, the tempo pulse;
* the face map: fitting the map into a widget, and where a stroke's moving marker is
  at time ``t`` (a pure function of time and the stroke's period).

Qt measures arc angles in 1/16 degree, counter-clockwise from 3 o'clock, and a
negative span runs clockwise.  Every arc here starts at 12 o'clock and runs clockwise.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]

SIXTEENTHS_PER_TURN = 360 * 16
TWELVE_O_CLOCK = 90 * 16


# --------------------------------------------------------------------------- ring


def clamp_fraction(value: float) -> float:
    """``value`` limited to 0..1; NaN counts as 0 so a bad input draws nothing."""
    if value != value:  # NaN
        return 0.0
    return min(1.0, max(0.0, float(value)))


@dataclass(frozen=True)
class Arc:
    """An arc for ``QPainter.drawArc``: start and span in 1/16 degree."""

    start: int
    span: int


def arc_for_fraction(fraction: float, steps: int | None = None) -> Arc:
    """The arc that shows ``fraction`` of a full turn, from 12 o'clock clockwise.

    0 gives an empty span, 1 a full circle (span -5760); values outside 0..1 are
    clamped.  ``steps`` (see ``pixel_steps``) rounds the turn to that many equal
    steps, so the span only changes when its end moves a visible amount.
    """
    turn = clamp_fraction(fraction)
    if steps is not None and steps > 0:
        turn = round(turn * steps) / steps
    return Arc(TWELVE_O_CLOCK, -round(turn * SIXTEENTHS_PER_TURN))


# The end of an arc is repainted when it has moved about a pixel along the middle of
# the band, and at most this many times a second: enough for a steady sweep.
ARC_STEP_PX = 1.0
ARC_FRAME_RATE = 15


def pixel_steps(radius: float, step_px: float = ARC_STEP_PX) -> int:
    """Steps per turn that move the end of an arc of ``radius`` pixels by about
    ``step_px`` pixels (at least one step)."""
    return max(1, math.floor(2 * math.pi * max(0.0, radius) / step_px))


def arc_steps(radius: float, segment_seconds: float | None = None) -> int:
    """Steps per turn for the arc of a segment lasting ``segment_seconds``: one per
    pixel of arc at ``radius``, but no more than ``ARC_FRAME_RATE`` a second of the
    segment (None: pixels alone)."""
    steps = pixel_steps(radius)
    if segment_seconds is None or not segment_seconds > 0:
        return steps
    return max(1, min(steps, round(segment_seconds * ARC_FRAME_RATE)))


def segment_seconds(remaining_seconds: float | None, fraction: float) -> float | None:
    """The length of a segment in whole seconds, from what is left of it in seconds and
    as a fraction; None when either is unknown or too small to tell."""
    if remaining_seconds is None or remaining_seconds != remaining_seconds or fraction < 0.02:
        return None
    return float(round(remaining_seconds / fraction))


def arc_change_box(
    centre: Point, radius: float, band: float, old_span: int, new_span: int
) -> tuple[float, float, float, float] | None:
    """The box (x, y, width, height) holding every pixel of a band of ``band`` px on a
    circle of ``radius`` that changes when an arc's span goes from ``old_span`` to
    ``new_span`` (1/16 degree, both from 12 o'clock), round caps and antialiasing
    included.  None when the ends are far apart (more than 20 degrees): repaint the
    whole ring then.
    """
    if abs(new_span - old_span) > 20 * 16:
        return None
    reach = band / 2 + 2.0
    xs, ys = [], []
    for span in (old_span, new_span):
        x, y = point_on_circle(centre, radius, -span / 16)
        xs.append(x)
        ys.append(y)
    # A short arc bulges at most radius * (1 - cos(10 degrees)) = 0.016 r off its chord.
    reach += radius * 0.016
    left, top = min(xs) - reach, min(ys) - reach
    return (left, top, max(xs) + reach - left, max(ys) + reach - top)


def arc_end_angle_degrees(fraction: float) -> float:
    """Where the arc for ``fraction`` ends, in degrees clockwise from 12 o'clock."""
    return clamp_fraction(fraction) * 360.0


def point_on_circle(centre: Point, radius: float, clockwise_degrees: float) -> Point:
    """Screen point (y down) at ``clockwise_degrees`` from 12 o'clock on a circle."""
    angle = math.radians(clockwise_degrees)
    return (centre[0] + radius * math.sin(angle), centre[1] - radius * math.cos(angle))


@dataclass(frozen=True)
class RingLayout:
    """Sizes of the ring in a widget, in pixels.

    ``radius`` is the middle of the main band; ``outer_radius`` the middle of the
    thin session-progress track outside it.
    """

    centre: Point
    radius: float
    band: float
    outer_radius: float
    outer_band: float
    seconds_font_px: float
    reps_font_px: float

    @property
    def inner_radius(self) -> float:
        return self.radius - self.band / 2

    def inner_box(self) -> tuple[float, float, float, float]:
        """The square (x, y, width, height) around the inside of the band: the text,
        and the tempo halo, are drawn within it."""
        inner = self.inner_radius
        return (self.centre[0] - inner, self.centre[1] - inner, 2 * inner, 2 * inner)


# The number's pixel size as a share of the inner radius: two bold digits then span
# about 1.1 inner radii, and their ink is about 0.58 inner radii tall.
SECONDS_FONT_SHARE = 0.8


def ring_layout(width: float, height: float) -> RingLayout:
    """Fit the ring, its outer track and its text into a ``width`` x ``height`` widget."""
    side = max(0.0, min(width, height))
    outer_band = max(2.0, side * 0.018)
    band = max(4.0, side * 0.085)
    margin = max(2.0, side * 0.015)
    outer_radius = side / 2 - margin - outer_band / 2
    gap = max(2.0, side * 0.025)
    radius = max(1.0, outer_radius - outer_band / 2 - gap - band / 2)
    inner = radius - band / 2
    return RingLayout(
        centre=(width / 2, height / 2),
        radius=radius,
        band=band,
        outer_radius=max(1.0, outer_radius),
        outer_band=outer_band,
        seconds_font_px=max(6.0, inner * SECONDS_FONT_SHARE),
        reps_font_px=max(5.0, inner * 0.2),
    )


def remaining_label(seconds: float | None) -> str:
    """The big number in the middle: whole seconds rounded up ("7"), "m:ss" above 59 s.

    Rounded up so "1" stays on screen through the last second and "0" means done.
    """
    if seconds is None or seconds != seconds:
        return ""
    whole = max(0, math.ceil(seconds - 1e-9))
    if whole <= 59:
        return str(whole)
    minutes, rest = divmod(whole, 60)
    return f"{minutes}:{rest:02d}"


def reps_label(current: int | None, total: int | None) -> str:
    """ "3 of 10", or "" when the move is not counted."""
    if current is None or total is None:
        return ""
    return f"{current} of {total}"


def tempo_pulse(phase: float) -> float:
    """Strength 0..1 of the tempo pulse at ``phase`` (0..1 through one count).

    Peaks at the start of each count and fades smoothly, so it reads as a soft beat
    rather than a flash.
    """
    if phase != phase:
        return 0.0
    phase = phase % 1.0
    return (0.5 + 0.5 * math.cos(2 * math.pi * phase)) ** 3


# --------------------------------------------------------------------------- face map


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float


def fit_box(width: float, height: float, aspect: float, margin: float = 0.0) -> Box:
    """The largest box of ``aspect`` (width / height) centred in the widget."""
    free_w = max(0.0, width - 2 * margin)
    free_h = max(0.0, height - 2 * margin)
    if free_h <= 0 or free_w <= 0 or aspect <= 0:
        return Box(width / 2, height / 2, 0.0, 0.0)
    if free_w / free_h > aspect:
        box_h = free_h
        box_w = box_h * aspect
    else:
        box_w = free_w
        box_h = box_w / aspect
    return Box((width - box_w) / 2, (height - box_h) / 2, box_w, box_h)


def polyline_length(points: Sequence[Point]) -> float:
    return sum(math.dist(points[i], points[i + 1]) for i in range(len(points) - 1))


def point_along(points: Sequence[Point], progress: float) -> tuple[Point, Point]:
    """The point ``progress`` (0..1) of the way along a polyline, by length, and the
    unit direction of travel there.  A single point has direction (0, 0)."""
    if not points:
        raise ValueError("a polyline needs at least one point")
    if len(points) == 1:
        return (points[0], (0.0, 0.0))
    total = polyline_length(points)
    if total <= 0:
        return (points[0], (0.0, 0.0))
    target = clamp_fraction(progress) * total
    walked = 0.0
    for i in range(len(points) - 1):
        start, end = points[i], points[i + 1]
        length = math.dist(start, end)
        if length <= 0:
            continue
        if walked + length >= target or i == len(points) - 2:
            t = min(1.0, max(0.0, (target - walked) / length))
            direction = ((end[0] - start[0]) / length, (end[1] - start[1]) / length)
            return (
                (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t),
                direction,
            )
        walked += length
    return (points[-1], (0.0, 0.0))  # pragma: no cover - loop always returns


def end_direction(points: Sequence[Point]) -> Point:
    """Unit direction of the last non-empty segment (for an arrowhead)."""
    for i in range(len(points) - 1, 0, -1):
        dx = points[i][0] - points[i - 1][0]
        dy = points[i][1] - points[i - 1][1]
        length = math.hypot(dx, dy)
        if length > 0:
            return (dx / length, dy / length)
    return (0.0, 0.0)


def _smoothstep(t: float) -> float:
    return t * t * (3 - 2 * t)


@dataclass(frozen=True)
class MarkerState:
    """Where a stroke's marker is and how to draw it.

    ``progress`` is how far along the path (0..1); ``opacity`` fades the marker in
    and out at the ends of a pass so the jump back to the start is not seen;
    ``pulse`` (0..1) is for presses, which stay in place and swell.
    """

    point: Point
    direction: Point
    progress: float
    opacity: float
    pulse: float


# Markers move at this many frames a second: smooth to the eye at the speed of a
# stroke, and half the frame timer's rate.
MARKER_FRAME_RATE = 15


def marker_frame_time(t: float) -> float:
    """``t`` (seconds) rounded down to the start of its marker frame.

    Markers are drawn at the frame time, so the picture changes at most
    ``MARKER_FRAME_RATE`` times a second whatever rate the clock is read at.
    """
    if t != t:
        return 0.0
    return math.floor(t * MARKER_FRAME_RATE) / MARKER_FRAME_RATE


def stroke_phase(t: float, period: float) -> float:
    """How far through the current pass (0..1) a stroke is at time ``t``."""
    if period <= 0 or t != t:
        return 0.0
    return (t % period) / period


def marker_at(
    points: Sequence[Point], period: float, t: float, style: str = "glide"
) -> MarkerState:
    """The marker of a stroke at animation time ``t`` seconds.

    A pure function of (points, period, t, style):

    * ``glide``: eases along the whole path once per period;
    * ``flick``: a quick pass in the first 40% of the period, then a pause;
    * ``pinch``: steps from point to point, resting briefly at each;
    * ``circle``: travels round the path and back to its start without a jump;
    * ``press``: stays on the first point and swells once per period.
    """
    phase = stroke_phase(t, period)
    if style == "press" or len(points) < 2:
        pulse = 0.5 - 0.5 * math.cos(2 * math.pi * phase)
        return MarkerState(points[0], (0.0, 0.0), phase, 1.0, pulse)
    if style == "circle":
        loop = list(points) + [points[0]]
        point, direction = point_along(loop, phase)
        return MarkerState(point, direction, phase, 1.0, 0.0)
    if style == "flick":
        active = 0.4
        if phase < active:
            progress = 1 - (1 - phase / active) ** 2  # fast start, soft finish
            opacity = 1.0
        else:
            progress = 1.0
            opacity = max(0.0, 1 - (phase - active) / 0.2)
        point, direction = point_along(points, progress)
        return MarkerState(point, direction, progress, opacity, 0.0)
    if style == "pinch":
        hops = len(points) - 1
        scaled = phase * hops
        index = min(int(scaled), hops - 1)
        within = scaled - index
        # Move during the first 60% of each hop, rest (pinch) for the rest.
        local = _smoothstep(min(1.0, within / 0.6))
        progress = _progress_at_vertex(points, index, local)
        point, direction = point_along(points, progress)
        pulse = 0.0 if within < 0.6 else math.sin(math.pi * (within - 0.6) / 0.4)
        return MarkerState(point, direction, progress, 1.0, pulse)
    # glide (and any unknown style)
    progress = _smoothstep(phase)
    opacity = min(1.0, phase / 0.08, (1 - phase) / 0.08)
    point, direction = point_along(points, progress)
    return MarkerState(point, direction, progress, max(0.0, opacity), 0.0)


def _progress_at_vertex(points: Sequence[Point], index: int, local: float) -> float:
    """Length fraction of the point ``local`` of the way along segment ``index``."""
    total = polyline_length(points)
    if total <= 0:
        return 0.0
    before = polyline_length(points[: index + 1])
    segment = math.dist(points[index], points[index + 1])
    return (before + segment * local) / total
