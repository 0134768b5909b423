"""The face map: lit areas, strokes, mirroring and heat shading, by pixel samples."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QRegion

from facegym_desktop.core.ring_geometry import MARKER_FRAME_RATE
from facegym_desktop.core.routine import Stroke
from facegym_desktop.core.vocabulary import AREA_IDS
from facegym_desktop.ui.face_map import FaceMapWidget
from facegym_desktop.ui.theme import DARK, LIGHT

JAW = ((0.5, 0.83), (0.30, 0.77), (0.16, 0.58))
CHEEK_PRESS = ((0.30, 0.52),)


def pixel(image: QImage, point: QPointF) -> QColor:
    return image.pixelColor(round(point.x()), round(point.y()))


def distance(a: QColor, b: QColor | str) -> int:
    b = QColor(b)
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


@pytest.fixture
def face(qtbot) -> FaceMapWidget:
    widget = FaceMapWidget(theme=LIGHT)
    qtbot.addWidget(widget)
    widget.setFixedSize(360, 440)
    return widget


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_lighting_an_area_changes_its_centre(face: FaceMapWidget, area_id: str) -> None:
    plain = face.grab().toImage()
    face.set_active_areas({area_id: "firm"})
    lit = face.grab().toImage()
    for centre in face.area_centres(area_id):
        assert distance(pixel(plain, centre), pixel(lit, centre)) > 60, area_id
        # The wash leans toward the level's colour.
        firm = QColor(LIGHT.pressure["firm"])
        assert distance(pixel(lit, centre), firm) < distance(pixel(plain, centre), firm)


def test_other_areas_stay_as_they_were(face: FaceMapWidget) -> None:
    plain = face.grab().toImage()
    face.set_active_areas({"cheeks": "medium"})
    lit = face.grab().toImage()
    for area_id in ("forehead", "nose", "chin", "neck"):
        for centre in face.area_centres(area_id):
            assert pixel(plain, centre) == pixel(lit, centre), area_id


def test_levels_colour_areas_differently(face: FaceMapWidget) -> None:
    face.set_active_areas({"cheeks": "feather"})
    feather = pixel(face.grab().toImage(), face.area_centres("cheeks")[0])
    face.set_active_areas({"cheeks": "firm"})
    firm = pixel(face.grab().toImage(), face.area_centres("cheeks")[0])
    assert distance(feather, firm) > 60


def test_one_sided_area_swaps_halves_when_mirrored(face: FaceMapWidget) -> None:
    plain = face.grab().toImage()
    face.set_active_areas({"cheeks": "firm"}, side="left")
    right_half, left_half = face.area_centres("cheeks")  # person's right, person's left
    # Not mirrored: the person's left is on the viewer's right.
    assert left_half.x() > face.width() / 2 > right_half.x()
    image = face.grab().toImage()
    assert distance(pixel(plain, left_half), pixel(image, left_half)) > 60
    assert pixel(plain, right_half) == pixel(image, right_half)

    face.set_mirrored(True)
    mirrored_plain_spot = QPointF(face.width() - left_half.x() - 1, left_half.y())
    image = face.grab().toImage()
    (_, left_now) = face.area_centres("cheeks")
    assert left_now.x() < face.width() / 2  # the same cheek now shows on the viewer's left
    assert distance(pixel(plain, left_now), pixel(image, left_now)) > 60
    assert distance(pixel(plain, left_half), pixel(image, left_half)) < 10
    assert abs(left_now.x() - mirrored_plain_spot.x()) <= 1.5


def test_mirror_flips_the_whole_picture(face: FaceMapWidget) -> None:
    face.set_active_areas({"jawline": "firm"}, side="right")
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=True)], side="right")
    before = face.grab().toImage()
    face.set_mirrored(True)
    after = face.grab().toImage()
    width = face.width()
    # Every sampled pixel moved to its horizontal reflection (the map box is centred).
    for x in range(20, width - 20, 17):
        for y in range(20, face.height() - 20, 19):
            assert distance(before.pixelColor(x, y), after.pixelColor(width - 1 - x, y)) < 60


def test_one_sided_stroke_is_drawn_on_its_side_and_swaps_when_mirrored(face: FaceMapWidget) -> None:
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=True)], side="left")
    face.set_animation_time(1.0)
    (marker,) = face.marker_states()
    point, state = marker
    assert state.opacity == 1.0
    assert point.x() > face.width() / 2  # person's left: viewer's right
    image = face.grab().toImage()
    assert distance(pixel(image, point), LIGHT.marker) < 30

    face.set_mirrored(True)
    ((point_mirrored, _),) = face.marker_states()
    assert point_mirrored.x() < face.width() / 2
    assert point_mirrored.x() == pytest.approx(face.width() - point.x(), abs=1.5)
    image = face.grab().toImage()
    assert distance(pixel(image, point_mirrored), LIGHT.marker) < 30


def test_mirrored_stroke_without_a_side_draws_both_halves(face: FaceMapWidget) -> None:
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=True)])
    face.set_animation_time(1.0)
    points = [point for point, _ in face.marker_states()]
    assert len(points) == 2
    assert sorted(p.x() < face.width() / 2 for p in points) == [False, True]
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=False)])
    assert len(face.marker_states()) == 1


def test_stroke_line_is_drawn_along_its_path(face: FaceMapWidget) -> None:
    plain = face.grab().toImage()
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=False)])
    face.set_animation_time(0.0)  # marker faded out at the start of a pass
    drawn = face.grab().toImage()
    on_line = face.map_to_widget((0.30, 0.77))
    assert distance(pixel(drawn, on_line), LIGHT.stroke) < distance(
        pixel(plain, on_line), LIGHT.stroke
    )
    other_side = face.map_to_widget((0.70, 0.77))
    assert pixel(plain, other_side) == pixel(drawn, other_side)


def test_both_halves_draws_a_one_sided_stroke_on_each_half(face: FaceMapWidget) -> None:
    plain = face.grab().toImage()
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=False)], both_halves=True)
    face.set_animation_time(1.0)
    points = [point for point, _ in face.marker_states()]
    assert sorted(p.x() < face.width() / 2 for p in points) == [False, True]
    face.set_animation_time(0.0)  # markers faded out: only the lines differ
    drawn = face.grab().toImage()
    for on_line in (face.map_to_widget((0.30, 0.77)), face.map_to_widget((0.70, 0.77))):
        assert distance(pixel(drawn, on_line), LIGHT.stroke) < distance(
            pixel(plain, on_line), LIGHT.stroke
        )
    # A stroke that is already mirrored, or central, is drawn no more often.
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=True)], both_halves=True)
    assert len(face.marker_states()) == 2
    face.set_strokes([Stroke(((0.5, 0.2), (0.5, 0.1)), 2.0, "glide")], both_halves=True)
    assert len(face.marker_states()) == 1
    with pytest.raises(ValueError):
        face.set_strokes([Stroke(JAW, 2.0, "glide")], side="left", both_halves=True)

def test_marker_position_is_a_function_of_time(face: FaceMapWidget) -> None:
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=False)])
    face.set_animation_time(0.5)
    early = face.marker_states()[0][0]
    face.set_animation_time(1.5)
    late = face.marker_states()[0][0]
    face.set_animation_time(2.5)  # one period later: same place as at 0.5
    again = face.marker_states()[0][0]
    assert late.x() < early.x()  # travelling out toward the ear (viewer's left)
    assert again.x() == pytest.approx(early.x()) and again.y() == pytest.approx(early.y())


def test_press_marker_swells_in_place(face: FaceMapWidget) -> None:
    face.set_strokes([Stroke(CHEEK_PRESS, 2.0, "press", mirror=True)])
    face.set_animation_time(0.0)
    first = face.grab().toImage()
    face.set_animation_time(1.0)
    second = face.grab().toImage()
    centre = face.map_to_widget(CHEEK_PRESS[0])
    assert distance(pixel(second, centre), LIGHT.marker) < 30
    ring = QPointF(centre.x() + face.height() * 0.016 * 2.7, centre.y())
    assert pixel(first, ring) != pixel(second, ring)


class UpdateCounter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: object) -> None:
        self.calls += 1


def test_setters_repaint_only_on_change(face: FaceMapWidget, monkeypatch) -> None:
    counter = UpdateCounter()
    monkeypatch.setattr(face, "update", counter)
    face.set_animation_time(3.0)  # nothing animates yet
    assert counter.calls == 0
    face.set_active_areas({"chin": "medium"})
    face.set_active_areas({"chin": "medium"})
    assert counter.calls == 1
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=True)])
    face.set_strokes([Stroke(JAW, 2.0, "glide", mirror=True)])
    assert counter.calls == 2
    face.set_animation_time(3.0)
    assert counter.calls == 2
    face.set_animation_time(3.0 + 1e-6)
    assert counter.calls == 2
    face.set_animation_time(3.4)
    assert counter.calls == 3
    face.set_mirrored(False)
    face.set_area_shading({})
    face.set_theme(LIGHT)
    assert counter.calls == 3
    face.set_mirrored(True)
    face.set_area_shading({"neck": 0.5})
    face.set_theme(DARK)
    assert counter.calls == 6


def test_heat_shading(face: FaceMapWidget) -> None:
    plain = face.grab().toImage()
    face.set_area_shading({"cheeks": 1.0, "forehead": 0.3})
    shaded = face.grab().toImage()
    for centre in face.area_centres("cheeks"):
        assert distance(pixel(shaded, centre), LIGHT.heat_color(1.0)) < 12
    forehead = face.area_centres("forehead")[0]
    assert distance(pixel(shaded, forehead), LIGHT.heat_color(0.3)) < 12
    assert pixel(shaded, forehead) != pixel(plain, forehead)
    chin = face.area_centres("chin")[0]
    assert pixel(shaded, chin) == pixel(plain, chin)
    # More shading is further from bare skin.
    assert distance(LIGHT.heat_color(1.0), LIGHT.skin) > distance(LIGHT.heat_color(0.3), LIGHT.skin)


def test_dark_theme_and_accessibility(face: FaceMapWidget) -> None:
    face.set_theme(DARK)
    image = face.grab().toImage()
    assert distance(image.pixelColor(2, 2), DARK.background) < 6
    assert distance(pixel(image, face.area_centres("forehead")[0]), DARK.skin) < 6
    assert face.accessibleName() == "Face map"
    face.set_active_areas({"jawline": "firm", "chin": "medium"})
    assert face.accessibleDescription() == "Worked areas: Chin (medium), Jawline (firm)."


def test_bad_input_is_ignored_or_refused(face: FaceMapWidget) -> None:
    face.set_active_areas({"elbow": "firm", "chin": "light"})
    assert face.active_areas == {"chin": "light"}
    with pytest.raises(ValueError):
        face.set_active_areas({"chin": "light"}, side="middle")
    face.set_area_shading({"cheeks": float("nan"), "neck": 5.0, "knee": 1.0})
    shaded = face.grab().toImage()
    assert distance(pixel(shaded, face.area_centres("neck")[0]), LIGHT.heat_color(1.0)) < 12


# ---------------------------------------------------------------- the still-picture cache

GLIDE_AND_PRESS = [
    Stroke(JAW, 2.0, "glide", mirror=True),
    Stroke(CHEEK_PRESS, 1.5, "press", mirror=True),
]


def busy_face(face: FaceMapWidget) -> None:
    face.set_active_areas({"jawline": "firm", "cheeks": "medium"}, side="right")
    face.set_area_shading({"forehead": 0.6})
    face.set_strokes(GLIDE_AND_PRESS)


def test_animation_frames_reuse_the_still_picture(face: FaceMapWidget) -> None:
    busy_face(face)
    face.grab()
    still = face.still_picture().cacheKey()
    for frame in range(90):  # three seconds at 30 frames a second
        face.set_animation_time(frame / 30)
        face.grab()
    assert face.still_picture().cacheKey() == still


@pytest.mark.parametrize(
    "change",
    [
        lambda face: face.set_theme(DARK),
        lambda face: face.setFixedSize(300, 400),
        lambda face: face.set_active_areas({"chin": "light"}),
        lambda face: face.set_area_shading({"neck": 0.4}),
        lambda face: face.set_mirrored(True),
        lambda face: face.set_strokes([Stroke(JAW, 3.0, "flick", mirror=False)]),
    ],
    ids=["theme", "resize", "active areas", "shading", "mirror", "strokes"],
)
def test_the_still_picture_is_rebuilt_when_it_changes(face: FaceMapWidget, change) -> None:
    busy_face(face)
    face.grab()
    before = face.still_picture().cacheKey()
    change(face)
    face.grab()
    after = face.still_picture().cacheKey()
    assert after != before
    face.set_animation_time(0.7)
    face.grab()
    assert face.still_picture().cacheKey() == after


def test_unchanged_setters_keep_the_still_picture(face: FaceMapWidget) -> None:
    busy_face(face)
    face.grab()
    still = face.still_picture().cacheKey()
    busy_face(face)
    face.set_theme(LIGHT)
    face.set_mirrored(False)
    face.grab()
    assert face.still_picture().cacheKey() == still


def differing_pixels(a: QImage, b: QImage, step: int = 1) -> int:
    """Pixels (every ``step``-th in each direction) that are not the same colour."""
    assert a.size() == b.size()
    return sum(
        1
        for x in range(0, a.width(), step)
        for y in range(0, a.height(), step)
        if a.pixelColor(x, y) != b.pixelColor(x, y)
    )


def uncached_twin(qtbot, face: FaceMapWidget) -> FaceMapWidget:
    """A face map that paints everything every frame, the size and theme of ``face``."""
    twin = FaceMapWidget(theme=face.theme, cache_still_picture=False)
    qtbot.addWidget(twin)
    twin.setFixedSize(face.size())
    return twin


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("mirrored", [False, True], ids=["plain", "mirrored"])
def test_cached_picture_matches_a_full_redraw(
    qtbot, face: FaceMapWidget, theme, mirrored
) -> None:
    full_face = uncached_twin(qtbot, face)
    for widget in (face, full_face):
        widget.set_theme(theme)
        widget.set_mirrored(mirrored)
        busy_face(widget)
    for seconds in (0.0, 0.4, 1.0, 1.3):
        face.set_animation_time(seconds)
        full_face.set_animation_time(seconds)
        cached = face.grab().toImage()
        full = full_face.grab().toImage()
        assert differing_pixels(cached, full, step=2) == 0, seconds


def test_animation_frame_repaints_only_around_the_markers(face: FaceMapWidget, monkeypatch) -> None:
    busy_face(face)
    face.set_animation_time(0.5)
    before = [point for point, _ in face.marker_states()]
    regions = []
    monkeypatch.setattr(face, "update", lambda *args: regions.append(args))
    face.set_animation_time(0.9)
    after = [point for point, _ in face.marker_states()]
    assert len(regions) == 1 and len(regions[0]) == 1  # one update, given a region
    region = regions[0][0]
    for point in before + after:
        assert region.contains(point.toPoint())
    # Much less than the whole widget.
    area = sum(rect.width() * rect.height() for rect in region)
    assert area < face.width() * face.height() / 4
    # A spot on the forehead, far from every marker, is not repainted.
    assert not region.contains(face.area_centres("forehead")[0].toPoint())


def test_partial_repaints_leave_no_trails(qtbot, face: FaceMapWidget, monkeypatch) -> None:
    full_face = uncached_twin(qtbot, face)
    busy_face(face)
    busy_face(full_face)
    screen = face.grab().toImage()  # stands in for the window's backing store
    regions: list[QRegion] = []
    monkeypatch.setattr(face, "update", lambda *args: regions.append(args[0]))
    for frame in range(1, 61):
        face.set_animation_time(frame / 30)
        while regions:  # paint only what the widget asked for, as Qt would
            region = regions.pop()
            face.render(screen, region.boundingRect().topLeft(), region)
    full_face.set_animation_time(face.animation_time)
    full = full_face.grab().toImage()
    assert differing_pixels(screen.convertToFormat(full.format()), full) == 0


def test_markers_repaint_at_the_marker_frame_rate_at_most(face: FaceMapWidget, monkeypatch) -> None:
    busy_face(face)
    face.set_animation_time(0.0)
    counter = UpdateCounter()
    monkeypatch.setattr(face, "update", counter)
    for frame in range(1, 121):  # two seconds of a 60 Hz clock
        face.set_animation_time(frame / 60)
    assert 0 < counter.calls <= 2 * MARKER_FRAME_RATE
