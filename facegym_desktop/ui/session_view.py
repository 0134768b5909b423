"""The session view: what a person follows at the mirror, readable from two metres.

Face map on the left, the countdown ring in the middle, the pressure guide (or the
preparation checklist) on the right; the move name above, the spoken cue as a
caption below, and what comes next.  The view has setters only; the session
controller feeds it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from facegym_desktop.ui.countdown_ring import CountdownRing
from facegym_desktop.ui.face_map import FaceMapWidget
from facegym_desktop.ui.pressure_guide import PressureGuide
from facegym_desktop.ui.theme import LIGHT, Theme

# No-break spaces inside each hint: a narrow window wraps between hints, never inside one.
KEY_HINTS = "  ·  ".join(
    hint.replace(" ", "\u00a0")
    for hint in (
        "Space pause",
        "← → move",
        "R restart",
        "+ − 10 s",
        "M mute",
        "F full screen",
        "Esc stop",
    )
)


def text_scale(width: int, height: int) -> float:
    """How much to scale the text for a view of this size.

    A small window (900x600) needs smaller type so the pressure guide leaves the ring
    room; a full-HD screen has room for larger type, read from two metres.
    """
    if width < 1100 or height < 640:
        return 0.8
    if width >= 1700 and height >= 900:
        return 1.3
    return 1.0


class SessionView(QWidget):
    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._base_theme = theme
        self._theme = theme
        self._scale = 1.0
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.routine_label = QLabel()
        self.routine_label.setAccessibleName("Routine")
        self.time_left_label = QLabel()
        self.time_left_label.setAccessibleName("Session time left")
        self.move_label = QLabel()
        self.move_label.setAccessibleName("Current move")
        self.move_label.setWordWrap(True)
        self.technique_label = QLabel()
        self.technique_label.setAccessibleName("Technique")
        self.technique_label.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setAccessibleName("Status")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.hide()

        self.face_map = FaceMapWidget(theme=theme)
        self.ring = CountdownRing(theme=theme)
        self.guide = PressureGuide(theme=theme)
        self.checklist = QLabel()
        self.checklist.setAccessibleName("Preparation checklist")
        self.checklist.setWordWrap(True)
        self.checklist.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.side_panel = QStackedWidget()
        self.side_panel.addWidget(self.guide)
        self.side_panel.addWidget(self.checklist)

        self.caption = QLabel()
        self.caption.setAccessibleName("Caption")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setWordWrap(True)
        self.next_label = QLabel()
        self.next_label.setAccessibleName("Next up")
        self.next_label.setWordWrap(True)
        self.hints = QLabel(KEY_HINTS)
        self.hints.setAccessibleName("Keyboard controls")
        self.hints.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Wraps in a narrow window instead of setting the window's minimum width.
        self.hints.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setAccessibleName("Notice")
        self.notice.hide()

        top = QHBoxLayout()
        top.addWidget(self.routine_label)
        top.addStretch(1)
        top.addWidget(self.time_left_label)

        middle = QHBoxLayout()
        middle.setSpacing(24)
        middle.addWidget(self.face_map, 3)
        middle.addWidget(self.ring, 4)
        middle.addWidget(self.side_panel, 3, Qt.AlignmentFlag.AlignVCenter)

        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        bottom.addWidget(self.next_label, 2)
        bottom.addWidget(self.hints, 3)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 14)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.move_label)
        layout.addWidget(self.technique_label)
        layout.addWidget(self.banner)
        layout.addLayout(middle, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.notice)
        layout.addLayout(bottom)
        self.set_theme(theme)

    # ------------------------------------------------------------------ setters

    @property
    def text_scale(self) -> float:
        return self._scale

    def set_theme(self, theme: Theme) -> None:
        self._base_theme = theme
        self._apply_theme(theme.scaled(self._scale) if self._scale != 1.0 else theme)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        scale = text_scale(event.size().width(), event.size().height())
        if scale != self._scale:
            self._scale = scale
            self.set_theme(self._base_theme)
        super().resizeEvent(event)

    def _apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        for widget in (self.face_map, self.ring, self.guide):
            widget.set_theme(theme)
        self.routine_label.setFont(theme.font(theme.small_px))
        self.time_left_label.setFont(theme.font(theme.small_px))
        self.move_label.setFont(theme.font(theme.label_px + 22, bold=True))
        self.technique_label.setFont(theme.font(theme.body_px))
        self.banner.setFont(theme.font(theme.label_px, bold=True))
        self.caption.setFont(theme.font(theme.label_px + 4))
        self.checklist.setFont(theme.font(theme.label_px))
        self.next_label.setFont(theme.font(theme.body_px))
        self.hints.setFont(theme.font(max(13, theme.small_px - 3)))
        self.notice.setFont(theme.font(theme.small_px))
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"""
            SessionView {{ background: {theme.background}; }}
            QLabel {{ color: {theme.text}; }}
            """
        )
        self.time_left_label.setStyleSheet(f"color: {theme.text_muted}")
        self.routine_label.setStyleSheet(f"color: {theme.text_muted}")
        self.hints.setStyleSheet(f"color: {theme.text_muted}")
        self.technique_label.setStyleSheet(f"color: {theme.text_muted}")
        self.checklist.setStyleSheet(
            f"color: {theme.text}; background: {theme.surface}; padding: 18px; border-radius: 12px"
        )
        self.banner.setStyleSheet(
            f"color: {theme.text}; background: {theme.caution_background};"
            " padding: 10px; border-radius: 8px"
        )
        self.notice.setStyleSheet(f"color: {theme.text_muted}")

    def set_routine(self, name: str) -> None:
        self.routine_label.setText(name)

    def set_time_left(self, text: str) -> None:
        if self.time_left_label.text() != text:
            self.time_left_label.setText(text)

    def set_move(self, title: str, technique: str) -> None:
        self.move_label.setText(title)
        self.technique_label.setText(technique)
        self.technique_label.setVisible(bool(technique))

    def show_checklist(self, items: Sequence[str]) -> None:
        lines = "".join(f"<p>☐&nbsp;&nbsp;{_escape(item)}</p>" for item in items)
        self.checklist.setText(f"<p><b>Before you start</b></p>{lines}")
        self.side_panel.setCurrentWidget(self.checklist)

    def show_guide(self, pressure: dict[str, str], caution: str) -> None:
        self.guide.set_pressure(pressure)
        self.guide.set_caution(caution or None)
        self.side_panel.setCurrentWidget(self.guide)

    def set_caption(self, text: str) -> None:
        self.caption.setText(text)

    def set_next(self, text: str) -> None:
        self.next_label.setText(text)

    def set_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
