"""The history window's CSV export and import (docs/contracts.md, History CSV).

Export writes every finished session to a file the user picks, under the same
rules as ``facegym history export`` (never the history file itself, never a device
or a pipe).  Import reads a file, then shows a preview (:class:`ImportPreviewDialog`):
how many sessions will be added, how many are already in the history and skipped,
and every refused line with its reason.  Nothing is imported from a file with a
refused line: all rows or none.

Reading, counting and writing all run on the history worker through the bridge.
The file choosers are attributes holding callables, so tests and scripts replace
them: ``choose_import() -> Path | None`` and ``choose_export(suggested_name) ->
Path | None``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.history import HistoryError, HistoryStore, ImportResult, NewSession
from facegym_desktop.core.history_csv import (
    TargetError,
    checked_target,
    count_duplicates,
    read_csv,
    write_csv,
)
from facegym_desktop.core.timefmt import plural
from facegym_desktop.ui.history_bridge import HistoryBridge

FILE_FILTER = "CSV files (*.csv);;All files (*)"


@dataclass(frozen=True)
class ImportPreview:
    """An import file read and checked against the history.

    ``sessions``: the file's sessions (empty when any line is refused);
    ``duplicates``: how many of them are already in the history (skipped);
    ``problems``: the refused lines, each ``PATH: line N: REASON``; ``refused``: why
    nothing can be imported, in a few words ("3 lines refused").
    """

    source: Path
    sessions: tuple[NewSession, ...]
    duplicates: int
    problems: tuple[str, ...]
    refused: str = ""

    @property
    def added(self) -> int:
        """How many sessions an import adds."""
        return len(self.sessions) - self.duplicates

    @property
    def can_import(self) -> bool:
        """Whether the file may be imported: no refused line and something to add."""
        return not self.problems and self.added > 0


def preview_import(store: HistoryStore, source: Path) -> ImportPreview:
    """Read ``source`` and count its duplicates in ``store`` (run on the worker)."""
    parsed = read_csv(source)
    if not parsed.ok:
        return ImportPreview(
            source, (), 0, tuple(parsed.problem_lines(str(source))), parsed.refused()
        )
    duplicates = count_duplicates(parsed.sessions, store.sessions())
    return ImportPreview(source, parsed.sessions, duplicates, ())


def export_history(store: HistoryStore, target: Path) -> int:
    """Write every finished session of ``store`` to ``target`` (run on the worker).

    Returns the row count; raises HistoryError with a one-line reason when the
    target is refused (see :func:`checked_target`) or cannot be written.
    """
    try:
        resolved = checked_target(target, store.path)
    except TargetError as error:
        raise HistoryError(str(error)) from error
    try:
        return write_csv(store.export_rows(), resolved, moves_of=store.moves)
    except OSError as error:
        raise HistoryError(f"{target}: cannot write: {error.strerror or error}") from error


class ImportPreviewDialog(QDialog):
    """What an import will do, with Import and Cancel.  ``import_requested`` is
    emitted (with the preview) when the user presses Import."""

    import_requested = Signal(object)

    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("Import history")
        layout = QVBoxLayout(self)
        self.summary = QLabel(self._summary_text(), self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems = QPlainTextEdit(self)
        self.problems.setReadOnly(True)
        self.problems.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.problems.setPlainText("\n".join(preview.problems))
        self.problems.setVisible(bool(preview.problems))
        layout.addWidget(self.problems, 1)
        self.reason = QLabel(self._reason_text(), self)
        self.reason.setWordWrap(True)
        self.reason.setVisible(bool(self.reason.text()))
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox(self)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.setEnabled(preview.can_import)
        self.import_button.setDefault(preview.can_import)
        self.import_button.clicked.connect(self._import)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 360 if preview.problems else 160)

    def _summary_text(self) -> str:
        preview = self.preview
        if preview.problems:
            return f"{preview.source.name}: {preview.refused}."
        if preview.added == preview.duplicates == 0:  # a header alone, as an empty export
            return f"{preview.source.name} has a header row but no sessions."
        already = "is" if preview.duplicates == 1 else "are"
        return (
            f"{plural(preview.added, 'session')} will be added, {preview.duplicates} "
            f"{already} already in your history and {already} skipped."
        )

    def _reason_text(self) -> str:
        if self.preview.problems:
            return "Nothing can be imported from this file: it is imported whole or not at "\
                "all. Correct what is said above and try again."
        if self.preview.added == self.preview.duplicates == 0:
            return "Nothing to import."
        if self.preview.added == 0:
            return "Nothing to import: every session is already in your history."
        return ""

    @Slot()
    def _import(self) -> None:
        self.import_requested.emit(self.preview)
        self.accept()


class HistoryTransfer(QObject):
    """The Export… and Import… buttons of the history window and what they do.

    ``status`` shows the outcome in one line; ``today`` names the suggested export
    file (default: today's date).  A successful import is run with
    ``changes_history``, so the bridge's ``history_changed`` refreshes the window.
    """

    def __init__(
        self,
        bridge: HistoryBridge,
        status: QLabel,
        parent: QWidget,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._status = status
        self._parent = parent
        self._today = today
        self.dialog: ImportPreviewDialog | None = None
        self.choose_import: Callable[[], Path | None] = self._choose_import
        self.choose_export: Callable[[str], Path | None] = self._choose_export
        self.export_button = QPushButton("Export…", parent)
        self.export_button.setToolTip("Write every finished session to a CSV file")
        self.import_button = QPushButton("Import…", parent)
        self.import_button.setToolTip("Add sessions from a CSV file")
        self.export_button.clicked.connect(self.export_csv)
        self.import_button.clicked.connect(self.import_csv)

    @property
    def buttons(self) -> Sequence[QPushButton]:
        """Export…, Import…, in that order."""
        return (self.export_button, self.import_button)

    @Slot()
    def export_csv(self, target: Path | None = None) -> None:
        """Export to ``target`` (asked with ``choose_export`` when None)."""
        chosen = target or self.choose_export(f"facegym-history-{self._today().isoformat()}.csv")
        if chosen is None:
            return
        self._status.setText(f"Exporting to {chosen.name}…")
        self._bridge.run(lambda store: export_history(store, chosen), name="export").success(
            lambda count: self._status.setText(
                f"Exported {plural(count, 'session')} to {chosen}."
            )
        ).failure(self._failed)

    @Slot()
    def import_csv(self, source: Path | None = None) -> None:
        """Preview the file at ``source`` (asked with ``choose_import`` when None);
        the preview dialog opens when it has been read."""
        chosen = source or self.choose_import()
        if chosen is None:
            return
        self._status.setText(f"Reading {chosen.name}…")
        self._bridge.run(lambda store: preview_import(store, chosen), name="import").success(
            self._show_preview
        ).failure(self._failed)

    def _show_preview(self, preview: ImportPreview) -> None:
        self._status.setText("")
        dialog = ImportPreviewDialog(preview, self._parent)
        dialog.import_requested.connect(self._import)
        self.dialog = dialog
        dialog.open()

    @Slot(object)
    def _import(self, preview: ImportPreview) -> None:
        sessions = preview.sessions
        self._status.setText(f"Importing {preview.source.name}…")
        self._bridge.run(
            lambda store: store.import_sessions(sessions), name="import", changes_history=True
        ).success(self._imported(preview.source)).failure(
            lambda message: self._failed(f"Nothing imported: {message}")
        )

    def _imported(self, source: Path) -> Callable[[ImportResult], None]:
        def show(result: ImportResult) -> None:
            self._status.setText(
                f"Imported {plural(result.added, 'session')} from {source.name}; "
                f"skipped {result.skipped_duplicates} already in your history."
            )

        return show

    def _failed(self, message: str) -> None:
        self._status.setText(message)

    def _choose_import(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self._parent, "Import history", "", FILE_FILTER)
        return Path(name) if name else None

    def _choose_export(self, suggested: str) -> Path | None:
        start = str(Path.home() / suggested)
        name, _ = QFileDialog.getSaveFileName(self._parent, "Export history", start, FILE_FILTER)
        return Path(name) if name else None
