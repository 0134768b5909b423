"""Every problem the routine files have, one a line, in a scrollable read-only list.

The start screen's notice names only the first few; "Show all" opens this dialog.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.ui.screen_fit import fit_to_screen, wrap_notice
from facegym_desktop.ui.theme import LIGHT, Theme


class ProblemsDialog(QDialog):
    """Shows ``lines`` (one problem each, as ``Library.problem_lines()`` gives them).

    The text can be selected and copied but not changed; Escape or Close closes it.
    """

    def __init__(
        self, lines: Sequence[str], *, theme: Theme = LIGHT, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Routine files that were skipped")
        self.setObjectName("problemsDialog")
        count = len(lines)
        self.summary = QLabel(
            f"{count} problem{'s' if count != 1 else ''} in routine files. "
            "Fix the file and restart FaceGym to load it."
        )
        wrap_notice(self.summary)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Problems")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setPlainText("\n".join(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.set_theme(theme)
        fit_to_screen(self, QSize(640, 360))

    def set_theme(self, theme: Theme) -> None:
        """Colours and fonts of ``theme``."""
        self.text.setFont(theme.font(theme.small_px))
        self.summary.setFont(theme.font(theme.small_px))
        self.setStyleSheet(
            f"#problemsDialog {{ background: {theme.background}; }}"
            f" QLabel {{ color: {theme.text}; }}"
            f" QPlainTextEdit {{ background: {theme.surface}; color: {theme.text};"
            f"  border: 1px solid {theme.track}; border-radius: 6px; }}"
            f" QPushButton {{ background: {theme.surface}; color: {theme.text};"
            f"  border: 1px solid {theme.track}; border-radius: 6px; padding: 5px 16px; }}"
        )

    def lines(self) -> list[str]:
        """The lines on show."""
        return self.text.toPlainText().splitlines()
