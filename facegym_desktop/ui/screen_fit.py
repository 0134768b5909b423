"""Windows that fit the screen, and text that wraps rather than widening a window.

FaceGym runs on anything from a 1024x600 netbook to a 4K screen at 200 % scale.  A
window opens at its preferred size only where that fits the screen's available
area (less the panels), centred; a notice of any length wraps inside the width it
is given and never makes the window wider.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QWidget

# Room left on the screen for the title bar and borders the system adds.
FRAME_ALLOWANCE = QSize(16, 40)


def available_area(widget: QWidget) -> QRect:
    """The area of ``widget``'s screen (the primary one before it is shown) not taken
    by panels, in logical pixels; an empty rectangle without a screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect()


def fitted_size(preferred: QSize, available: QSize, minimum: QSize) -> QSize:
    """``preferred`` cut down to ``available``, but never below ``minimum`` (the
    window's own minimum wins where even that does not fit).  All in logical px."""
    return preferred.boundedTo(available).expandedTo(minimum)


def fitted_geometry(preferred: QSize, minimum: QSize, available: QRect) -> QRect:
    """Where a window opens in a screen's free area ``available``: ``preferred`` cut
    to what fits with the frame the system adds (``FRAME_ALLOWANCE``), never below
    ``minimum``, centred but never above or left of the area.  Logical px."""
    size = fitted_size(preferred, available.size() - FRAME_ALLOWANCE, minimum)
    left = available.left() + max(0, (available.width() - size.width()) // 2)
    top = available.top() + max(0, (available.height() - size.height()) // 2)
    return QRect(left, top, size.width(), size.height())


def fit_to_screen(window: QWidget, preferred: QSize) -> None:
    """Resize ``window`` to ``preferred`` or as much of it as the screen has room
    for, and centre it in the screen's available area."""
    area = available_area(window)
    if area.isEmpty():
        window.resize(preferred)
        return
    placed = fitted_geometry(preferred, window.minimumSizeHint(), area)
    window.resize(placed.size())
    window.move(placed.topLeft())


def wrap_notice(label: QLabel) -> None:
    """Let ``label`` wrap its text to any width it is given, however long the text:
    its width hint is ignored, so it never raises its window's minimum width."""
    label.setWordWrap(True)
    policy = label.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
    label.setSizePolicy(policy)


class ContentScrollArea(QScrollArea):
    """A scroll area that asks its layout for its whole content's height.

    ``QScrollArea`` caps its size hint at about 24 lines of text, so a layout would
    give it less than its content needs even where the window has room; this one asks
    for all of it and scrolls only where the window is too small.  Use it with
    ``setWidgetResizable(True)``.
    """

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        content = self.widget()
        if content is None:
            return hint
        # Wrapped text is taller in a narrower window: ask at the width there is
        # without a scroll bar (with all of it shown there is none).
        frame = 2 * self.frameWidth()
        height = content.heightForWidth(self.width() - frame)
        if height < 0:
            height = content.sizeHint().height()
        return QSize(hint.width(), height + frame)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the height asked for follows the width

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the content changed what it needs (new text, data)
        return super().eventFilter(watched, event)
