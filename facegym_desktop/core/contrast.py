"""WCAG 2 colour contrast, as plain arithmetic on sRGB triples (no Qt here).

Used to check that text stays readable on whatever is painted behind it: WCAG asks
for a contrast ratio of at least 4.5:1 for body text (``MIN_TEXT_CONTRAST``).
"""

from __future__ import annotations

RGB = tuple[int, int, int]

MIN_TEXT_CONTRAST = 4.5


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb: RGB) -> float:
    """WCAG relative luminance (0 black .. 1 white) of an sRGB colour.

    ``rgb`` is (red, green, blue), each 0..255; raises ValueError outside that range.
    """
    if len(rgb) != 3 or any(not 0 <= channel <= 255 for channel in rgb):
        raise ValueError(f"not an sRGB triple of 0..255 channels: {rgb!r}")
    red, green, blue = (_linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """WCAG contrast ratio between two sRGB colours: 1 (same) to 21 (black on white).

    Symmetric: the order of the two colours does not matter.
    """
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
