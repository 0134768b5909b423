"""The face map geometry: every area has a sane region where the anchors say."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.core import face_layout, ring_geometry
from facegym_desktop.core.face_layout import (
    AREA_REGIONS,
    FACE_FEATURES,
    LEFT,
    RIGHT,
    area_at,
    inside_face,
    mirror_polygon,
    point_in_polygon,
    polygon_area,
    polyline_side,
    stroke_polylines,
)
from facegym_desktop.core.vocabulary import AREA_IDS

PAIRED = {"brows", "temples", "under-eyes", "cheeks", "nasolabial", "jawline"}

area_ids = st.sampled_from(sorted(AREA_REGIONS))


def flat(points: object) -> list[float]:
    """Coordinates of a point sequence as one flat list, for pytest.approx."""
    return [value for point in points for value in point]  # type: ignore[attr-defined]


def test_every_area_of_the_vocabulary_has_a_region() -> None:
    assert set(AREA_REGIONS) == set(AREA_IDS)


def test_paired_areas_have_two_halves_and_central_ones_one() -> None:
    for area_id, region in AREA_REGIONS.items():
        assert region.paired == (area_id in PAIRED), area_id


@given(area_ids)
def test_regions_lie_inside_the_unit_square(area_id: str) -> None:
    for polygon in AREA_REGIONS[area_id].polygons:
        assert len(polygon) >= 3
        assert polygon_area(polygon) > 0.001
        for x, y in polygon:
            assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0


@given(area_ids)
def test_paired_halves_are_mirror_images_on_their_own_sides(area_id: str) -> None:
    region = AREA_REGIONS[area_id]
    if not region.paired:
        # A central area is its own mirror image (as a set of points, roughly).
        (polygon,) = region.polygons
        centre = region.centres()[0]
        assert centre[0] == pytest.approx(0.5, abs=0.01)
        assert flat(sorted(mirror_polygon(polygon))) == pytest.approx(
            flat(sorted(polygon)), abs=1e-6
        )
        return
    right, left = region.polygons
    assert flat(mirror_polygon(right)) == pytest.approx(flat(left))
    # The jawline halves meet at the chin; everything else keeps clear of the middle.
    assert all(x <= 0.5 for x, _ in right)
    assert all(x >= 0.5 for x, _ in left)
    assert region.centres()[0][0] < 0.5 < region.centres()[1][0]


@given(area_ids)
def test_centres_lie_inside_their_own_region_and_no_other(area_id: str) -> None:
    region = AREA_REGIONS[area_id]
    for polygon, centre in zip(region.polygons, region.centres(), strict=True):
        assert point_in_polygon(centre, polygon)
        assert area_at(centre) == (area_id,)
    assert point_in_polygon(region.label_anchor, region.polygons[0])


@given(area_ids)
def test_face_areas_stay_on_the_face(area_id: str) -> None:
    if area_id == "neck":
        return
    for polygon in AREA_REGIONS[area_id].polygons:
        for point in polygon:
            assert inside_face(point), (area_id, point)


@pytest.mark.parametrize(
    ("area_id", "point"),
    [
        ("forehead", (0.5, 0.16)),
        ("brows", (0.37, 0.30)),
        ("brows", (0.63, 0.30)),
        ("under-eyes", (0.36, 0.42)),
        ("under-eyes", (0.64, 0.42)),
        ("temples", (0.19, 0.30)),
        ("temples", (0.81, 0.30)),
        ("nose", (0.5, 0.45)),
        ("cheeks", (0.30, 0.52)),
        ("cheeks", (0.70, 0.52)),
        ("nasolabial", (0.41, 0.61)),
        ("nasolabial", (0.59, 0.61)),
        ("mouth", (0.5, 0.675)),
        ("chin", (0.5, 0.79)),
        ("jawline", (0.25, 0.70)),
        ("jawline", (0.75, 0.70)),
        ("neck", (0.5, 0.93)),
    ],
)
def test_anchors_that_strokes_are_written_against(area_id: str, point: tuple[float, float]) -> None:
    assert area_id in area_at(point)


def test_face_oval_spans_the_agreed_box() -> None:
    xs = [x for x, _ in FACE_FEATURES.outline]
    ys = [y for _, y in FACE_FEATURES.outline]
    assert min(xs) == pytest.approx(0.14, abs=0.005)
    assert max(xs) == pytest.approx(0.86, abs=0.005)
    assert min(ys) == pytest.approx(0.04, abs=0.005)
    assert max(ys) == pytest.approx(0.84, abs=0.005)


def test_features_are_inside_the_unit_square() -> None:
    shapes = [
        FACE_FEATURES.outline,
        FACE_FEATURES.hair,
        FACE_FEATURES.neck,
        *FACE_FEATURES.ears,
        *FACE_FEATURES.eyes,
        *FACE_FEATURES.brows,
        *FACE_FEATURES.nose,
        *FACE_FEATURES.lips,
    ]
    for shape in shapes:
        for x, y in shape:
            assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0


def test_side_convention_person_right_is_low_x() -> None:
    cheeks = AREA_REGIONS["cheeks"]
    (right,) = cheeks.polygons_for_side(RIGHT)
    (left,) = cheeks.polygons_for_side(LEFT)
    assert max(x for x, _ in right) < 0.5 < min(x for x, _ in left)
    assert cheeks.polygons_for_side(None) == cheeks.polygons
    assert AREA_REGIONS["nose"].polygons_for_side(LEFT) == AREA_REGIONS["nose"].polygons
    with pytest.raises(ValueError):
        cheeks.polygons_for_side("up")


JAW = ((0.5, 0.83), (0.3, 0.77), (0.16, 0.58))


def test_stroke_polylines_mirror_and_sides() -> None:
    assert polyline_side(JAW) == RIGHT
    both = stroke_polylines(JAW, mirror=True)
    assert len(both) == 2
    assert flat(both[1]) == pytest.approx(flat(mirror_polygon(JAW)))
    assert stroke_polylines(JAW, mirror=False) == (JAW,)
    assert stroke_polylines(JAW, mirror=True, side=RIGHT) == (JAW,)
    (left,) = stroke_polylines(JAW, mirror=True, side=LEFT)
    assert polyline_side(left) == LEFT
    # A central stroke is the same whatever the side.
    chin = ((0.5, 0.8), (0.5, 0.74))
    assert stroke_polylines(chin, mirror=True) == (chin,)
    assert stroke_polylines(chin, mirror=False, side=LEFT) == (chin,)
    with pytest.raises(ValueError):
        stroke_polylines(JAW, mirror=True, side="both sides")


point_in_square = st.tuples(st.floats(0, 1), st.floats(0, 1))


@given(
    st.lists(point_in_square, min_size=1, max_size=8),
    st.booleans(),
    st.sampled_from([None, RIGHT, LEFT]),
)
def test_stroke_polylines_stay_in_the_square(
    points: list[tuple[float, float]], mirror: bool, side: str | None
) -> None:
    for polyline in stroke_polylines(points, mirror, side):
        assert len(polyline) == len(points)
        for x, y in polyline:
            assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0
        if side is not None:
            assert polyline_side(polyline) in (side, None)


def test_geometry_modules_do_not_import_qt() -> None:
    for module in (face_layout, ring_geometry):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert "PySide6" not in source and "PyQt" not in source, module.__name__
