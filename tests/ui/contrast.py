"""WCAG contrast of text against what is painted behind it, for the theme tests.

The WCAG formula is ``core.contrast`` (through ``ui.theme.contrast_ratio``);
``text_contrast`` reads the window as it is painted: the background is the colour
most of the widget's area has, the text the pixel inside its border that differs
most from it (the core of a glyph has the full text colour; edges are blends, which
only lower the ratio).
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from facegym_desktop.ui.theme import contrast_ratio

BORDER_PX = 4  # logical px at a widget's edge left out when looking for its text


def painted_background(image: QImage, area: QRect) -> QColor:
    """The colour most pixels of ``area`` in ``image`` have (text covers far fewer)."""
    counts: Counter[int] = Counter()
    step = max(1, min(area.width(), area.height()) // 24)
    for y in range(area.top(), area.bottom() + 1, step):
        for x in range(area.left(), area.right() + 1, step):
            counts[image.pixel(x, y)] += 1
    return QColor.fromRgb(counts.most_common(1)[0][0])


def painted_text(image: QImage, area: QRect, background: QColor) -> QColor:
    """The pixel of ``area`` in ``image`` with the most contrast to ``background``."""
    best, best_ratio = background, 1.0
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            colour = QColor.fromRgb(image.pixel(x, y))
            if (ratio := contrast_ratio(colour, background)) > best_ratio:
                best, best_ratio = colour, ratio
    return best


def text_contrast(window_image: QImage, window: QWidget, widget: QWidget) -> float:
    """Contrast of ``widget``'s text with what is painted behind it in ``window_image``
    (``window.grab().toImage()``, at the device pixel ratio of the grab)."""
    ratio = window_image.devicePixelRatio()
    origin = widget.mapTo(window, QPoint(0, 0))
    area = QRect(
        round(origin.x() * ratio),
        round(origin.y() * ratio),
        max(1, round(widget.width() * ratio)),
        max(1, round(widget.height() * ratio)),
    ).intersected(window_image.rect())
    background = painted_background(window_image, area)
    inset = round(BORDER_PX * ratio)  # borders and focus frames are not text
    inner = area.adjusted(inset, inset, -inset, -inset)
    return contrast_ratio(painted_text(window_image, inner, background), background)
