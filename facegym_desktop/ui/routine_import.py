"""Importing a routine file someone shared: a preview first, then a copy into your folder.

:class:`ImportDialog` shows what the file holds (name, moves, length) or, for a file
with problems, each problem on one line as ``facegym routines validate`` prints
them; Import stays off then.  A file that would replace one of your routines is
only written after ``confirm`` says yes.  :class:`RoutineDropFilter` lets a window
take ``.toml`` files dropped on it and hands their paths on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.ui.theme import LIGHT, Theme

if TYPE_CHECKING:  # the store (and its TOML writer) loads only when a file is imported
    from facegym_desktop.core.routine_store import ImportPreview

Confirm = Callable[[str, str], bool]


class ImportDialog(QDialog):
    """Signals: ``imported(path)`` once the file is in the user folder.

    ``problems`` lists the file's problems, one a line (empty for a sound file);
    ``import_button`` imports.
    """

    imported = Signal(str)

    def __init__(
        self,
        preview: ImportPreview,
        *,
        confirm: Confirm,
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.confirm = confirm
        self.setWindowTitle(f"Import {preview.source.name}")
        heading = QLabel(
            f"Import the routine in {preview.source.name}?"
            if preview.ok
            else f"{preview.source.name} cannot be imported:"
        )
        heading.setFont(theme.font(theme.small_px, bold=True))
        heading.setWordWrap(True)
        summary = QFormLayout()
        for label, value in preview.summary:
            text = QLabel(value)
            text.setWordWrap(True)
            summary.addRow(f"{label}:", text)
        if preview.replaces:
            summary.addRow("Replaces:", QLabel(preview.replaces))
        self.problems = QPlainTextEdit("\n".join(preview.problems))
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems in the file")
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.problems.setVisible(bool(preview.problems))
        self.notice = QLabel("")
        self.notice.setWordWrap(True)
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(preview.ok)
        self.import_button.setDefault(preview.ok)
        self.cancel_button = QPushButton("Cancel" if preview.ok else "Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice, 1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(buttons)
        self.import_button.clicked.connect(self.import_now)
        self.cancel_button.clicked.connect(self.reject)
        self.resize(640, 360 if preview.problems else 260)

    def import_now(self) -> Path | None:
        """Copy the file into the user folder, asking first before replacing anything.

        Returns where it was written, or None (problems, a "no", or a write failure).
        """
        from facegym_desktop.core.routine_store import RoutineFileError, import_file

        preview = self.preview
        if not preview.ok or preview.target is None:
            return None
        overwrite = False
        if preview.replaces:
            overwrite = self.confirm(
                "Replace your routine?",
                f"Importing {preview.source.name} replaces {preview.replaces}. Replace it?",
            )
            if not overwrite:
                self.notice.setText("Not imported; nothing was replaced.")
                return None
        try:
            target = import_file(preview, overwrite=overwrite)
        except RoutineFileError as error:
            self.notice.setText(str(error))
            return None
        self.imported.emit(str(target))
        self.accept()
        return target


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
