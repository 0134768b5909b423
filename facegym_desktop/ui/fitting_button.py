"""A push button that says as much as its width allows.

The length presets read "Short · 3 min" in a wide window; in a narrow one the
button shows "3 min" rather than a clipped "hort · 3 mi".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget


class FittingButton(QPushButton):
    """Shows the first of ``texts`` (longest first) that fits its width, else the last.

    Its size hint is the first text's, its minimum size hint the last one's, so a
    layout gives it the full text when there is room.  Raises ``ValueError`` for no
    texts.
    """

    def __init__(self, texts: Sequence[str], parent: QWidget | None = None) -> None:
        if not texts:
            raise ValueError("a FittingButton needs at least one text")
        super().__init__(texts[0], parent)
        self._texts = list(texts)
        self.setToolTip(texts[0])
        # Preferred, not a push button's usual Minimum: it may shrink to a shorter text.
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        self.setSizePolicy(policy)

    def full_text(self) -> str:
        """The longest text, whatever is on show."""
        return self._texts[0]

    def _width_for(self, text: str) -> int:
        # The style's padding and frame around the text, as the current text has them.
        frame = super().sizeHint().width() - self.fontMetrics().horizontalAdvance(self.text())
        return frame + self.fontMetrics().horizontalAdvance(text)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(self._width_for(self._texts[0]), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        return QSize(self._width_for(self._texts[-1]), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._choose_text()

    def changeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)  # type: ignore[arg-type]
        self._choose_text()  # a new font or style changes what fits

    def _choose_text(self) -> None:
        width = self.width()
        fitting = [text for text in self._texts if self._width_for(text) <= width]
        chosen = fitting[0] if fitting else self._texts[-1]
        if chosen != self.text():
            self.setText(chosen)
