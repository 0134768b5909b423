"""The session's key hints: one line when they fit, even lines when they do not."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics

from facegym_desktop.ui.key_hints import SEPARATOR, KeyHints
from facegym_desktop.ui.session_view import KEY_HINTS


@pytest.fixture
def hints(qtbot) -> KeyHints:
    label = KeyHints(KEY_HINTS)
    qtbot.addWidget(label)
    label.show()
    return label


def _row_width(label: KeyHints) -> int:
    return QFontMetrics(label.font()).horizontalAdvance(SEPARATOR.join(label.hints))


def test_hints_that_fit_stay_on_one_line_in_order(hints: KeyHints) -> None:
    hints.resize(_row_width(hints) + 10, 60)
    assert hints.lines() == [SEPARATOR.join(hints.hints)]
    assert hints.hints[0] == "Space\u00a0pause"  # a hint never breaks inside


def test_a_row_that_does_not_fit_wraps_into_even_lines(hints: KeyHints) -> None:
    width = _row_width(hints) * 3 // 4
    hints.resize(width, 60)
    lines = hints.lines()
    assert len(lines) == 2
    counts = [len(line.split(SEPARATOR)) for line in lines]
    assert sorted(counts) == [3, 4]  # not six and a lone "Esc stop"
    assert SEPARATOR.join(lines) == SEPARATOR.join(hints.hints)
    metrics = QFontMetrics(hints.font())
    assert all(metrics.horizontalAdvance(line) <= width for line in lines)


def test_a_larger_font_wraps_again(hints: KeyHints) -> None:
    hints.resize(_row_width(hints) + 10, 60)
    font = hints.font()
    font.setPixelSize(font.pixelSize() * 2 if font.pixelSize() > 0 else 30)
    hints.setFont(font)
    assert len(hints.lines()) > 1
