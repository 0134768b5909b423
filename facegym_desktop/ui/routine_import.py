"""Importing a routine file someone shared: a preview first, then a copy into your folder.

:class:`ImportDialog` shows what the file holds (name, moves, length) or, for a file
with problems, each problem on one line as ``facegym routines validate`` prints
them; Import stays off then.  A file that would replace one of your routines is
only written after ``confirm`` says yes.  Dropped files come through
``ui/routine_drop.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
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
