"""The finish screen: what was done, the streak, and the way back to the start."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from facegym_desktop.ui.screen_fit import wrap_notice
from facegym_desktop.ui.theme import LIGHT, Theme, on_accent


class FinishView(QWidget):
    """Enter or Escape returns to the start screen (``done`` signal)."""

    done = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel()
        self.title.setAccessibleName("Result")
        self.details = QLabel()
        self.details.setAccessibleName("Session details")
        self.streak = QLabel()
        self.streak.setAccessibleName("Streak")
        self.streak.setWordWrap(True)
        self.saved = QLabel()
        self.saved.setAccessibleName("Saved state")
        self.back_button = QPushButton("Back to routines  ⏎")
        self.back_button.setAccessibleName("Back to routines")
        self.back_button.setDefault(True)
        self.back_button.clicked.connect(self.done)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 60, 60, 60)
        layout.setSpacing(18)
        layout.addStretch(1)
        for label in (self.title, self.details, self.streak, self.saved):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            wrap_notice(label)  # any length fits any window width
            layout.addWidget(label)
        layout.addSpacing(20)
        layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self.title.setFont(theme.font(theme.label_px + 26, bold=True))
        self.details.setFont(theme.font(theme.label_px + 2))
        self.streak.setFont(theme.font(theme.label_px))
        self.saved.setFont(theme.font(theme.small_px))
        self.back_button.setFont(theme.font(theme.label_px, bold=True))
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            f"""
            FinishView {{ background: {theme.background}; }}
            QLabel {{ color: {theme.text}; }}
            QPushButton {{ padding: 12px 28px; border-radius: 8px;
                background: {theme.pressure["medium"]};
                color: {on_accent(theme)}; border: none; }}
            """
        )
        self.saved.setStyleSheet(f"color: {theme.text_muted}")
        self.streak.setStyleSheet(f"color: {theme.text}")

    def show_result(self, title: str, details: str) -> None:
        self.title.setText(title)
        self.details.setText(details)
        self.streak.setText("")
        self.saved.setText("Saving…")

    def set_streak(self, text: str) -> None:
        self.streak.setText(text)

    def set_saved(self, text: str) -> None:
        self.saved.setText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.done.emit()
            return
        super().keyPressEvent(event)
