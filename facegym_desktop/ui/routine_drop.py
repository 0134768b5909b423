"""Dropping a shared routine file (``.toml``) on the window, as Routine > Import does.

Kept apart from the import dialog: the filter is installed with the window, the
dialog loads when a file is first dropped or imported.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget


def dropped_routine_files(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    """The local ``.toml`` files a drag carries (empty when it carries anything else)."""
    from facegym_desktop.core.routine_store import ROUTINE_SUFFIX

    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() == ROUTINE_SUFFIX]


class RoutineDropFilter(QObject):
    """Installed on a window: accepts dragged ``.toml`` files and emits ``dropped(path)``
    for each one dropped.  Other drags pass on untouched."""

    dropped = Signal(str)

    def install(self, window: QWidget) -> None:
        """Let ``window`` take drops and watch them."""
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if isinstance(event, QDragEnterEvent | QDropEvent) and event.type() in (
            QEvent.Type.DragEnter,
            QEvent.Type.DragMove,
            QEvent.Type.Drop,
        ):
            files = dropped_routine_files(event)
            if not files:
                return False
            event.acceptProposedAction()
            if event.type() == QEvent.Type.Drop:
                for path in files:
                    self.dropped.emit(str(path))
            return True
        return super().eventFilter(watched, event)
