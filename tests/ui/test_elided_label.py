"""A notice too long for its row ends in "…" instead of being cut at both ends."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from facegym_desktop.ui.elided_label import ElidedLabel

LONG = "Voice off: no sound device was found. Connect speakers or headphones, or choose one."


def test_a_long_text_shows_its_start_and_an_ellipsis(qtbot) -> None:
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setText(LONG)
    label.resize(260, 30)
    expected = label.fontMetrics().elidedText(LONG, Qt.TextElideMode.ElideRight, 260)
    assert expected.startswith("Voice off") and expected.endswith("…")
    plain = QLabel(expected)
    qtbot.addWidget(plain)
    plain.setAlignment(Qt.AlignmentFlag.AlignCenter)
    plain.resize(260, 30)
    assert label.grab().toImage() == plain.grab().toImage()
    assert label.text() == LONG and label.toolTip() == LONG


def test_a_short_text_shows_whole(qtbot) -> None:
    label = ElidedLabel()
    qtbot.addWidget(label)
    label.setText("Voice muted.")
    label.resize(260, 30)
    plain = QLabel("Voice muted.")
    qtbot.addWidget(plain)
    plain.resize(260, 30)
    assert label.grab().toImage() == plain.grab().toImage()
