"""The session view: what a person follows at the mirror, readable from two metres.

Laid out ring first: three columns at fixed shares of the width (face map, countdown
ring, then the move name, technique and pressure guide or preparation checklist,
fitted to what is left: a long name takes a smaller size, the technique and the
guide show less), the spoken cue as a caption below and what comes next.
Every row around the columns has a fixed height and the pause and stop banners float
over the screen, so the ring stays put from move to move.  The view has setters
only; the session controller feeds it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.session_layout import title_sizes
from facegym_desktop.ui.countdown_ring import CountdownRing
from facegym_desktop.ui.elided_label import ElidedLabel
from facegym_desktop.ui.face_map import FaceMapWidget
from facegym_desktop.ui.key_hints import KeyHints
from facegym_desktop.ui.pressure_guide import PressureGuide
from facegym_desktop.ui.session_columns import ColumnsLayout, TextColumn
from facegym_desktop.ui.theme import LIGHT, Theme, text_scale

KEY_HINTS = (
    "Space pause",
    "← → move",
    "R restart",
    "+ − 10 s",
    "M mute",
    "F full screen",
    "Esc stop",
)


MARGINS = (28, 18, 28, 14)  # left, top, right, bottom
CAPTION_LINES = 2  # the caption row keeps room for this many lines, shown or not


class SessionView(QWidget):
    """The session screen; ``ring``, ``face_map``, ``guide`` and the labels are public
    for the controller and tests.  ``banner`` floats over the screen when shown."""

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
        self.move_label = ElidedLabel()
        self.move_label.setAccessibleName("Current move")
        self.technique_label = ElidedLabel()
        self.technique_label.setAccessibleName("Technique")
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
        # Hidden under a banner, it keeps its room: nothing moves when a banner shows.
        policy = self.caption.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.caption.setSizePolicy(policy)
        self.next_label = QLabel()
        self.next_label.setAccessibleName("Next up")
        self.next_label.setWordWrap(True)
        self.hints = KeyHints(KEY_HINTS)
        self.hints.setAccessibleName("Keyboard controls")
        self.hints.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.notice = ElidedLabel()
        self.notice.setAccessibleName("Notice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # One line between the routine and the time left; never widens the window.
        self.notice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.notice.hide()

        top = QHBoxLayout()
        top.addWidget(self.routine_label)
        top.addStretch(1)
        top.addWidget(self.notice, 4)
        top.addStretch(1)
        top.addWidget(self.time_left_label)

        self.text_column = TextColumn(
            self.move_label, self.technique_label, self.side_panel, self.guide
        )

        self.columns = ColumnsLayout()
        self.columns.setSpacing(24)
        self.columns.addWidget(self.face_map)
        self.columns.addWidget(self.ring)
        self.columns.addWidget(self.text_column)

        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        bottom.addWidget(self.next_label, 2)
        bottom.addWidget(self.hints, 3)
        self.bottom_row = QWidget()
        self.bottom_row.setLayout(bottom)
        bottom.setContentsMargins(0, 0, 0, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(*MARGINS)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(self.columns, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.bottom_row)

        # Over the layout, not in it: showing it moves nothing.
        self.banner = QLabel(self)
        self.banner.setAccessibleName("Status")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.banner.raise_()
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
        self._place_banner()

    def _place_banner(self) -> None:
        """Put the banner over the caption row, centred, growing upwards if it wraps.

        The caption is stale while the banner shows (paused, or about to stop), and
        covering it rather than the ring leaves the ring unpainted.
        """
        if not self.banner.text():
            return
        left, _top, right, _bottom = MARGINS
        room = max(1, self.width() - left - right)
        metrics = QFontMetrics(self.banner.font())
        # Padding of the style sheet, both sides, and a little slack.
        width = min(room, metrics.horizontalAdvance(self.banner.text()) + 28)
        height = max(1, self.banner.heightForWidth(width))
        bottom = self.caption.geometry().bottom() + 1
        y = max(0, bottom - height) if self.caption.height() > 1 else 0
        self.banner.setGeometry((self.width() - width) // 2, y, width, height)

    def _apply_theme(self, theme: Theme) -> None:
        self._theme = theme
        for widget in (self.face_map, self.ring, self.guide):
            widget.set_theme(theme)
        self.routine_label.setFont(theme.font(theme.small_px))
        self.time_left_label.setFont(theme.font(theme.small_px))
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
        # Fixed heights around the columns: a caption or a hint that wraps differently
        # never moves the ring.
        caption_line = QFontMetrics(self.caption.font()).lineSpacing()
        self.caption.setFixedHeight(caption_line * CAPTION_LINES + 4)
        bottom_line = max(
            QFontMetrics(self.next_label.font()).lineSpacing(),
            QFontMetrics(self.hints.font()).lineSpacing(),
        )
        self.bottom_row.setFixedHeight(bottom_line * 2 + 4)
        self.text_column.set_title_fonts(
            [theme.font(px, bold=True) for px in title_sizes(theme.label_px, theme.body_px)]
        )
        self._place_banner()

    def set_routine(self, name: str) -> None:
        self.routine_label.setText(name)

    def set_time_left(self, text: str) -> None:
        if self.time_left_label.text() != text:
            self.time_left_label.setText(text)

    def set_move(self, title: str, technique: str) -> None:
        self.move_label.setText(title)
        self.technique_label.setText(technique)
        self.text_column.refit()

    def show_checklist(self, items: Sequence[str]) -> None:
        lines = "".join(f"<p>☐&nbsp;&nbsp;{_escape(item)}</p>" for item in items)
        self.checklist.setText(f"<p><b>Before you start</b></p>{lines}")
        self.side_panel.setCurrentWidget(self.checklist)
        self.text_column.refit()

    def show_guide(
        self, pressure: dict[str, str], caution: str, caution_areas: Sequence[str] = ()
    ) -> None:
        """Show the pressure guide: ``pressure`` ({area: level}), the move's own
        ``caution`` ("" for none) and the areas it speaks for (see
        :meth:`PressureGuide.set_caution`)."""
        self.guide.set_pressure(pressure)
        self.guide.set_caution(caution or None, caution_areas)
        self.side_panel.setCurrentWidget(self.guide)
        self.text_column.refit()

    def set_caption(self, text: str) -> None:
        self.caption.setText(text)

    def set_next(self, text: str) -> None:
        self.next_label.setText(text)

    def set_banner(self, text: str) -> None:
        """Show ``text`` in the banner floating over the screen; "" hides it.

        The caption under it is hidden meanwhile (it is stale, and a longer caption
        would show at the banner's ends)."""
        self.banner.setText(text)
        self._place_banner()
        self.banner.setVisible(bool(text))
        self.caption.setVisible(not text)

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
