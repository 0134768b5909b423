"""The countdown ring, checked by sampling the pixels it paints."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QColor, QPaintEvent
from PySide6.QtWidgets import QApplication

from facegym_desktop.core.ring_geometry import ARC_FRAME_RATE, point_on_circle, ring_layout
from facegym_desktop.core.vocabulary import PRESSURE_IDS
from facegym_desktop.ui.countdown_ring import PULSE_STEPS, CountdownRing
from facegym_desktop.ui.theme import DARK, LIGHT, THEMES, contrast_ratio, relative_lightness

SIZE = 300
LAYOUT = ring_layout(SIZE, SIZE)


def close(actual: QColor, expected: str | QColor, tolerance: int = 6) -> bool:
    want = QColor(expected)
    return (
        abs(actual.red() - want.red()) <= tolerance
        and abs(actual.green() - want.green()) <= tolerance
        and abs(actual.blue() - want.blue()) <= tolerance
    )


def band_pixel(
    ring: CountdownRing, clockwise_degrees: float, radius: float | None = None
) -> QColor:
    """The colour in the middle of the band at an angle clockwise from 12 o'clock."""
    x, y = point_on_circle(LAYOUT.centre, radius or LAYOUT.radius, clockwise_degrees)
    return ring.grab().toImage().pixelColor(round(x), round(y))


@pytest.fixture
def ring(qtbot) -> CountdownRing:
    widget = CountdownRing(theme=LIGHT)
    qtbot.addWidget(widget)
    widget.setFixedSize(SIZE, SIZE)
    widget.set_pressure_level("medium")
    return widget


# Angles well away from the arc's ends (round caps reach a few degrees past them).
@pytest.mark.parametrize(
    ("fraction", "lit", "unlit"),
    [
        (0.0, [], [20, 90, 180, 270, 340]),
        (0.25, [20, 45, 70], [120, 180, 270, 340]),
        (0.5, [20, 90, 160], [200, 270, 340]),
        (1.0, [1, 45, 90, 180, 270, 359], []),
    ],
)
def test_arc_covers_the_remaining_fraction_clockwise_from_twelve(
    ring: CountdownRing, fraction: float, lit: list[int], unlit: list[int]
) -> None:
    ring.set_fraction(fraction)
    image = ring.grab().toImage()
    arc_colour = LIGHT.pressure["medium"]
    for degrees in lit:
        x, y = point_on_circle(LAYOUT.centre, LAYOUT.radius, degrees)
        assert close(image.pixelColor(round(x), round(y)), arc_colour), (fraction, degrees)
    for degrees in unlit:
        x, y = point_on_circle(LAYOUT.centre, LAYOUT.radius, degrees)
        assert close(image.pixelColor(round(x), round(y)), LIGHT.track), (fraction, degrees)


def test_ring_takes_the_colour_of_the_pressure_level(ring: CountdownRing) -> None:
    ring.set_fraction(1.0)
    seen = []
    for level in PRESSURE_IDS:
        ring.set_pressure_level(level)
        colour = band_pixel(ring, 45)
        assert close(colour, LIGHT.pressure[level]), level
        seen.append(colour.name())
    assert len(set(seen)) == len(PRESSURE_IDS)
    ring.set_pressure_level(None)
    assert close(band_pixel(ring, 45), LIGHT.text_muted)


def test_session_progress_fills_the_outer_track(ring: CountdownRing) -> None:
    ring.set_session_progress(0.5)
    assert close(band_pixel(ring, 90, LAYOUT.outer_radius), LIGHT.session)
    assert close(band_pixel(ring, 270, LAYOUT.outer_radius), LIGHT.outer_track)
    ring.set_session_progress(0.0)
    assert close(band_pixel(ring, 90, LAYOUT.outer_radius), LIGHT.outer_track)


def test_tempo_pulse_shows_inside_the_band_and_leaves_the_band_alone(ring: CountdownRing) -> None:
    ring.set_fraction(1.0)
    halo_radius = LAYOUT.inner_radius - LAYOUT.band * 0.26
    before = band_pixel(ring, 135, halo_radius)
    ring.set_tempo_phase(0.0)  # on the beat: strongest pulse
    during = band_pixel(ring, 135, halo_radius)
    assert not close(before, during, tolerance=3)
    assert close(band_pixel(ring, 135), LIGHT.pressure["medium"])
    ring.set_tempo_phase(None)
    assert close(band_pixel(ring, 135, halo_radius), before, tolerance=1)


def test_texts(ring: CountdownRing) -> None:
    ring.set_remaining_seconds(7.2)
    assert ring.remaining_text == "8"
    ring.set_remaining_seconds(75)
    assert ring.remaining_text == "1:15"
    ring.set_remaining_seconds(None)
    assert ring.remaining_text == ""
    ring.set_reps(3, 10)
    assert ring.reps_text == "3 of 10"
    ring.set_reps(None, None)
    assert ring.reps_text == ""


def test_number_is_painted_in_the_middle(ring: CountdownRing) -> None:
    ring.set_fraction(0.0)
    empty = ring.grab().toImage()
    ring.set_remaining_seconds(8)
    ring.set_reps(3, 10)
    drawn = ring.grab().toImage()
    inner = round(LAYOUT.inner_radius * 0.6)
    cx, cy = round(LAYOUT.centre[0]), round(LAYOUT.centre[1])
    changed = sum(
        empty.pixelColor(x, y) != drawn.pixelColor(x, y)
        for x in range(cx - inner, cx + inner, 3)
        for y in range(cy - inner, cy + inner, 3)
    )
    assert changed > 20


class UpdateCounter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object) -> None:
        self.calls += 1


def test_setters_repaint_only_on_change(ring: CountdownRing, monkeypatch) -> None:
    ring.set_fraction(0.4)
    ring.set_remaining_seconds(7.6)  # the last 40% of a 19-second segment
    counter = UpdateCounter()
    monkeypatch.setattr(ring, "update", counter)
    ring.set_fraction(0.4)
    ring.set_fraction(0.40001)  # same arc to the pixel: nothing to repaint
    ring.set_remaining_seconds(7.6)
    ring.set_remaining_seconds(7.2)  # still shows "8"
    assert counter.calls == 0
    ring.set_remaining_seconds(6.9)
    assert counter.calls == 1
    ring.set_reps(1, 5)
    ring.set_reps(1, 5)
    assert counter.calls == 2
    ring.set_pressure_level("firm")
    ring.set_pressure_level("firm")
    assert counter.calls == 3
    ring.set_session_progress(0.3)
    ring.set_session_progress(0.3)
    assert counter.calls == 4
    ring.set_tempo_phase(0.5)  # the pulse is zero mid-count, as with no pulse at all
    assert counter.calls == 4
    ring.set_tempo_phase(0.0)
    assert counter.calls == 5
    ring.set_theme(LIGHT)
    assert counter.calls == 5
    ring.set_theme(DARK)
    assert counter.calls == 6


def test_dark_theme_paints_its_background(ring: CountdownRing) -> None:
    ring.set_theme(DARK)
    assert close(ring.grab().toImage().pixelColor(2, 2), DARK.background)
    ring.set_fraction(1.0)
    assert close(band_pixel(ring, 45), DARK.pressure["medium"])


def test_accessible_name(ring: CountdownRing) -> None:
    assert ring.accessibleName() == "Countdown ring"


@pytest.mark.parametrize("theme", list(THEMES.values()), ids=list(THEMES))
def test_pressure_colours_get_darker_step_by_step_and_stand_out(theme) -> None:
    lightness = [relative_lightness(theme.pressure[level]) for level in PRESSURE_IDS]
    assert all(a - b >= 4 for a, b in zip(lightness, lightness[1:], strict=False)), lightness
    for level in PRESSURE_IDS:
        assert contrast_ratio(theme.pressure[level], theme.background) >= 3.0, level
    assert contrast_ratio(theme.text, theme.background) >= 7.0
    assert contrast_ratio(theme.text_muted, theme.background) >= 4.5
    assert contrast_ratio(theme.caution, theme.caution_background) >= 4.5


class PaintRecorder(QObject):
    """Records the rectangle of every paint event a widget gets."""

    def __init__(self, widget: CountdownRing) -> None:
        super().__init__()
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            assert isinstance(event, QPaintEvent)
            self.rects.append(event.rect())
        return False


@pytest.fixture
def shown_ring(qtbot) -> CountdownRing:
    widget = CountdownRing(theme=LIGHT)
    qtbot.addWidget(widget)
    widget.setFixedSize(480, 480)
    widget.set_pressure_level("medium")
    widget.set_fraction(0.5)
    widget.set_remaining_seconds(30)
    widget.set_tempo_phase(0.5)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.wait(1)
    return widget


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def test_an_unchanged_or_paused_ring_paints_nothing(shown_ring: CountdownRing) -> None:
    paints = PaintRecorder(shown_ring)
    for _ in range(30):  # a second of frames that find nothing new
        shown_ring.set_fraction(0.5)
        shown_ring.set_remaining_seconds(30)
        shown_ring.set_tempo_phase(0.5)
        shown_ring.set_session_progress(0.0)
        settle()
    assert paints.rects == []


def test_the_arc_repaints_once_it_moves_about_a_pixel(shown_ring: CountdownRing) -> None:
    layout = ring_layout(480, 480)
    pixel = 1 / (2 * math.pi * layout.radius)  # one pixel of arc, as a fraction
    paints = PaintRecorder(shown_ring)
    shown_ring.set_fraction(0.5 - pixel * 0.3)
    settle()
    assert paints.rects == []
    shown_ring.set_fraction(0.5 - pixel * 3)
    settle()
    assert len(paints.rects) == 1
    # Only around the end of the arc (6 o'clock), not the whole ring.
    rect = paints.rects[0]
    assert rect.width() * rect.height() < 480 * 480 / 10
    end = point_on_circle(layout.centre, layout.radius, 180)
    assert rect.contains(round(end[0]), round(end[1]))


def test_the_number_and_pulse_repaint_only_inside_the_band(shown_ring: CountdownRing) -> None:
    x, y, side, _ = ring_layout(480, 480).inner_box()
    inside = QRect(round(x) - 2, round(y) - 2, round(side) + 4, round(side) + 4)
    paints = PaintRecorder(shown_ring)
    shown_ring.set_remaining_seconds(29)
    settle()
    shown_ring.set_tempo_phase(0.0)
    settle()
    assert len(paints.rects) >= 1
    assert all(inside.contains(rect) for rect in paints.rects)


def test_the_tempo_pulse_repaints_a_few_times_a_count(shown_ring: CountdownRing) -> None:
    paints = PaintRecorder(shown_ring)
    for frame in range(30):  # one count at 30 frames a second
        shown_ring.set_tempo_phase(frame / 30)
        settle()
    assert 0 < len(paints.rects) <= 2 * PULSE_STEPS


def test_a_short_segment_repaints_the_arc_at_the_arc_frame_rate(shown_ring: CountdownRing) -> None:
    paints = PaintRecorder(shown_ring)
    shown_ring.set_tempo_phase(None)
    seconds = 10.0  # a short segment sweeps fast: over a pixel every 60 Hz frame
    for frame in range(60):
        remaining = seconds - frame / 60
        shown_ring.set_fraction(remaining / seconds)
        shown_ring.set_remaining_seconds(remaining)
        settle()
    # One second of frames: the arc at ARC_FRAME_RATE, the number once, and slack.
    assert len(paints.rects) <= ARC_FRAME_RATE + 3
