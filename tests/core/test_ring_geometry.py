"""The ring and stroke maths: plain functions, no Qt."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from facegym_desktop.core.ring_geometry import (
    ARC_FRAME_RATE,
    MARKER_FRAME_RATE,
    arc_change_box,
    arc_end_angle_degrees,
    arc_for_fraction,
    arc_steps,
    clamp_fraction,
    fit_box,
    marker_at,
    marker_frame_time,
    pixel_steps,
    point_along,
    point_on_circle,
    polyline_length,
    remaining_label,
    reps_label,
    ring_layout,
    segment_seconds,
    stroke_phase,
    tempo_pulse,
)

PATH = ((0.5, 0.83), (0.3, 0.77), (0.16, 0.58))


@pytest.mark.parametrize(
    ("fraction", "span"),
    [(0.0, 0), (0.25, -1440), (0.5, -2880), (0.75, -4320), (1.0, -5760)],
)
def test_arc_starts_at_twelve_and_runs_clockwise(fraction: float, span: int) -> None:
    arc = arc_for_fraction(fraction)
    assert arc.start == 90 * 16
    assert arc.span == span


@pytest.mark.parametrize(("value", "expected"), [(-0.5, 0.0), (1.7, 1.0), (float("nan"), 0.0)])
def test_out_of_range_fractions_are_clamped(value: float, expected: float) -> None:
    assert clamp_fraction(value) == expected
    assert arc_for_fraction(value).span == -round(expected * 5760)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_arc_span_always_within_one_turn(value: float) -> None:
    arc = arc_for_fraction(value)
    assert -5760 <= arc.span <= 0


@given(st.floats(0, 1), st.floats(0, 1))
def test_arc_span_grows_with_fraction(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert arc_for_fraction(low).span >= arc_for_fraction(high).span


def test_point_on_circle_is_clockwise_from_twelve_on_screen() -> None:
    top = point_on_circle((100, 100), 50, 0)
    right = point_on_circle((100, 100), 50, 90)
    bottom = point_on_circle((100, 100), 50, 180)
    assert top == pytest.approx((100, 50))
    assert right == pytest.approx((150, 100))
    assert bottom == pytest.approx((100, 150))
    assert arc_end_angle_degrees(0.25) == 90


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0"),
        (0.2, "1"),
        (1.0, "1"),
        (9.01, "10"),
        (59.0, "59"),
        (59.4, "1:00"),
        (60, "1:00"),
        (61, "1:01"),
        (125.5, "2:06"),
        (600, "10:00"),
        (-3, "0"),
        (None, ""),
    ],
)
def test_remaining_label(seconds: float | None, text: str) -> None:
    assert remaining_label(seconds) == text


def test_reps_label() -> None:
    assert reps_label(3, 10) == "3 of 10"
    assert reps_label(None, 10) == ""
    assert reps_label(3, None) == ""


def test_tempo_pulse_peaks_on_the_beat_and_stays_in_range() -> None:
    assert tempo_pulse(0.0) == pytest.approx(1.0)
    assert tempo_pulse(1.0) == pytest.approx(1.0)
    assert tempo_pulse(0.5) == pytest.approx(0.0)
    assert tempo_pulse(0.1) > tempo_pulse(0.3)
    assert tempo_pulse(float("nan")) == 0.0


@given(st.floats(-100, 100))
def test_tempo_pulse_range(phase: float) -> None:
    assert 0.0 <= tempo_pulse(phase) <= 1.0


@given(st.integers(1, 4000), st.integers(1, 4000))
def test_ring_layout_fits_inside_the_widget(width: int, height: int) -> None:
    layout = ring_layout(width, height)
    side = min(width, height)
    outer_edge = layout.outer_radius + layout.outer_band / 2
    if side >= 40:
        assert outer_edge <= side / 2
        # The band and the outer track do not overlap.
        assert layout.radius + layout.band / 2 < layout.outer_radius - layout.outer_band / 2
        assert layout.inner_radius > 0


@given(st.integers(0, 3000), st.integers(0, 3000), st.floats(0.2, 5))
def test_fit_box_keeps_aspect_and_stays_inside(width: int, height: int, aspect: float) -> None:
    box = fit_box(width, height, aspect, margin=4)
    assert box.x >= 0 and box.y >= 0
    assert box.x + box.width <= width + 1e-6
    assert box.y + box.height <= height + 1e-6
    if box.height > 0:
        assert box.width / box.height == pytest.approx(aspect)


def test_point_along_walks_by_length() -> None:
    line = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0))
    assert polyline_length(line) == 2.0
    assert point_along(line, 0.0)[0] == (0.0, 0.0)
    assert point_along(line, 0.25)[0] == pytest.approx((0.5, 0.0))
    assert point_along(line, 0.75)[0] == pytest.approx((1.0, 0.5))
    assert point_along(line, 0.75)[1] == pytest.approx((0.0, 1.0))
    assert point_along(line, 1.0)[0] == pytest.approx((1.0, 1.0))
    assert point_along(((0.3, 0.3),), 0.5) == ((0.3, 0.3), (0.0, 0.0))


def test_glide_marker_moves_along_the_path_in_its_period() -> None:
    start = marker_at(PATH, 2.0, 0.0, "glide")
    middle = marker_at(PATH, 2.0, 1.0, "glide")
    late = marker_at(PATH, 2.0, 1.8, "glide")
    assert start.point == pytest.approx(PATH[0])
    assert start.opacity == 0.0  # fades in so the jump back is not seen
    assert middle.progress == pytest.approx(0.5)
    assert middle.opacity == 1.0
    assert late.progress > middle.progress
    # Direction of travel is toward the ear: leftwards and up on screen.
    assert middle.direction[0] < 0 and middle.direction[1] < 0


@given(
    st.floats(0, 1000),
    st.floats(0.2, 20),
    st.sampled_from(["glide", "flick", "pinch", "circle", "press"]),
)
def test_marker_is_periodic_and_pure(t: float, period: float, style: str) -> None:
    # Right at a pass boundary, floating point may put t and t + period on opposite
    # sides of the wrap (end of one pass, start of the next): both are correct.
    cycles = t / period
    assume(min(cycles - math.floor(cycles), math.ceil(cycles) - cycles) > 1e-6)
    first = marker_at(PATH, period, t, style)
    again = marker_at(PATH, period, t, style)
    later = marker_at(PATH, period, t + period, style)
    assert first == again
    assert later.point == pytest.approx(first.point, abs=1e-6)
    assert 0 <= first.opacity <= 1 and 0 <= first.pulse <= 1 and 0 <= first.progress <= 1
    xs = [p[0] for p in PATH]
    ys = [p[1] for p in PATH]
    assert min(xs) - 1e-9 <= first.point[0] <= max(xs) + 1e-9
    assert min(ys) - 1e-9 <= first.point[1] <= max(ys) + 1e-9


def test_flick_is_quick_then_rests() -> None:
    early = marker_at(PATH, 1.0, 0.2, "flick")
    assert early.progress > 0.7  # most of the way by half of its active time
    resting = marker_at(PATH, 1.0, 0.9, "flick")
    assert resting.progress == 1.0
    assert resting.opacity == 0.0


def test_press_stays_put_and_swells() -> None:
    press = ((0.19, 0.30),)
    calm = marker_at(press, 2.0, 0.0, "press")
    full = marker_at(press, 2.0, 1.0, "press")
    assert calm.point == full.point == (0.19, 0.30)
    assert calm.pulse == pytest.approx(0.0)
    assert full.pulse == pytest.approx(1.0)


def test_pinch_rests_on_each_point() -> None:
    line = ((0.28, 0.3), (0.36, 0.29), (0.45, 0.3))
    # Each hop takes half the period; the last 40% of a hop is the rest at its end.
    resting = marker_at(line, 2.0, 0.9, "pinch")
    assert resting.point == pytest.approx(line[1])
    assert resting.pulse > 0


def test_circle_returns_to_its_start_without_a_jump() -> None:
    loop = ((0.3, 0.5), (0.34, 0.52), (0.3, 0.54), (0.26, 0.52))
    end = marker_at(loop, 2.0, 1.999, "circle")
    assert math.dist(end.point, loop[0]) < 0.01


def test_stroke_phase_handles_bad_periods() -> None:
    assert stroke_phase(5.0, 0.0) == 0.0
    assert stroke_phase(float("nan"), 2.0) == 0.0
    assert stroke_phase(3.0, 2.0) == pytest.approx(0.5)


# --------------------------------------------------------------------------- repaint steps


def test_pixel_steps_move_an_arc_end_about_a_pixel() -> None:
    for radius in (10.0, 150.0, 420.0):
        steps = pixel_steps(radius)
        assert 2 * math.pi * radius / steps == pytest.approx(1.0, rel=0.1)
    assert pixel_steps(0) == 1


def test_arc_rounded_to_steps_changes_only_at_a_step() -> None:
    steps = pixel_steps(200)
    base = arc_for_fraction(0.5, steps).span
    assert arc_for_fraction(0.5 + 0.3 / steps, steps).span == base
    assert arc_for_fraction(0.5 + 1.0 / steps, steps).span != base
    assert arc_for_fraction(1.0, steps).span == -5760
    assert arc_for_fraction(0.0, steps).span == 0


def test_arc_change_box_holds_both_ends_and_little_else() -> None:
    layout = ring_layout(400, 400)
    old = arc_for_fraction(0.25).span  # ends at 3 o'clock
    new = arc_for_fraction(0.24).span
    box = arc_change_box(layout.centre, layout.radius, layout.band, old, new)
    assert box is not None
    x, y, width, height = box
    for span in (old, new):
        px, py = point_on_circle(layout.centre, layout.radius, -span / 16)
        assert x + layout.band / 2 <= px <= x + width - layout.band / 2
        assert y + layout.band / 2 <= py <= y + height - layout.band / 2
    assert width * height < 400 * 400 / 10
    far = arc_for_fraction(0.9).span
    assert arc_change_box(layout.centre, layout.radius, layout.band, old, far) is None


def test_inner_box_is_the_square_inside_the_band() -> None:
    layout = ring_layout(300, 200)
    x, y, width, height = layout.inner_box()
    assert width == height == pytest.approx(2 * layout.inner_radius)
    assert (x + width / 2, y + height / 2) == pytest.approx(layout.centre)


def test_marker_frame_time_steps_at_the_marker_frame_rate() -> None:
    assert marker_frame_time(3.0) == pytest.approx(3.0)
    assert marker_frame_time(3.0 + 1e-6) == pytest.approx(3.0)
    assert marker_frame_time(3.0 + 1.01 / MARKER_FRAME_RATE) == pytest.approx(
        3.0 + 1 / MARKER_FRAME_RATE
    )
    frames = {marker_frame_time(i / 240) for i in range(240)}
    assert len(frames) == MARKER_FRAME_RATE
    assert marker_frame_time(float("nan")) == 0.0


def test_arc_steps_are_pixels_at_most_the_arc_frame_rate_per_second() -> None:
    assert arc_steps(200) == pixel_steps(200)
    assert arc_steps(200, 10.0) == 10 * ARC_FRAME_RATE
    assert arc_steps(200, 600.0) == pixel_steps(200)
    assert arc_steps(200, 0.0) == pixel_steps(200)


def test_segment_seconds_from_what_is_left() -> None:
    assert segment_seconds(15.0, 0.5) == 30.0
    assert segment_seconds(14.98, 0.4995) == 30.0
    assert segment_seconds(None, 0.5) is None
    assert segment_seconds(0.01, 0.001) is None
