"""WCAG contrast arithmetic against the standard's own reference values."""

from __future__ import annotations

import pytest

from facegym_desktop.core.contrast import MIN_TEXT_CONTRAST, contrast_ratio, relative_luminance


def test_luminance_of_black_white_and_primaries() -> None:
    assert relative_luminance((0, 0, 0)) == 0
    assert relative_luminance((255, 255, 255)) == pytest.approx(1.0)
    assert relative_luminance((255, 0, 0)) == pytest.approx(0.2126)
    assert relative_luminance((0, 255, 0)) == pytest.approx(0.7152)
    assert relative_luminance((0, 0, 255)) == pytest.approx(0.0722)


def test_luminance_uses_the_srgb_curve() -> None:
    # #777777 is the well-known grey that just misses 4.5:1 on white.
    assert relative_luminance((119, 119, 119)) == pytest.approx(0.1845, abs=1e-4)
    assert relative_luminance((10, 10, 10)) == pytest.approx(10 / 255 / 12.92)


def test_contrast_ratio_reference_values() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast_ratio((80, 80, 80), (80, 80, 80)) == pytest.approx(1.0)
    assert contrast_ratio((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio((118, 118, 118), (255, 255, 255)) >= MIN_TEXT_CONTRAST


@pytest.mark.parametrize("bad", [(256, 0, 0), (-1, 0, 0), (0, 0)])
def test_out_of_range_colours_are_refused(bad) -> None:
    with pytest.raises(ValueError):
        relative_luminance(bad)
