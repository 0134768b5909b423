"""The Help menu: keyboard shortcuts, the data folder, About.

The shortcuts dialog is made from the window's actions table (``ui/actions.py``), so
every action is listed with the keys it really has and the list never goes stale.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop import APP_NAME, __version__
from facegym_desktop.app_log import LOG_NAME
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.actions import ACTIONS, ActionSpec, ActionTable
from facegym_desktop.ui.start_view import START_KEYS

LICENCE = "MIT"
NO_KEYS = "menu only"
START_SCREEN_GROUP = "Start and finish screens"
HEALTH_NOTE = (
    "A relaxing routine for a warm glow and a less puffy face, not a medical "
    "treatment. Stop if anything hurts."
)
UrlOpener = Callable[[QUrl], object]


def keys_text(action: QAction) -> str:
    """The keys that trigger ``action`` as the desktop writes them ("Ctrl+H or F1"),
    including a key shown in its menu text after a tab; "" for none."""
    names = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()]
    shown = action.text().partition("\t")[2]
    if shown and shown not in names:
        names.insert(0, shown)
    return " or ".join(name for name in names if name)


def menu_title(spec: ActionSpec) -> str:
    """The title of the menu ``spec`` is in, without its mnemonic marker."""
    return spec.menu.value.replace("&", "")


class ShortcutsDialog(QDialog):
    """Every action of ``table``, grouped by menu, with its keys."""

    def __init__(self, table: ActionTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        groups: dict[str, QTreeWidgetItem] = {}
        screen = self._group(START_SCREEN_GROUP)
        for text, keys in START_KEYS:
            QTreeWidgetItem(screen, [text, keys])
        groups[START_SCREEN_GROUP] = screen
        for action_id in table:
            spec = ACTIONS[action_id]
            title = menu_title(spec)
            if title not in groups:
                groups[title] = self._group(title)
            action = table[action_id]
            text = action.text().partition("\t")[0].replace("&", "")
            QTreeWidgetItem(groups[title], [text, keys_text(action) or NO_KEYS])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def _group(self, title: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self.tree, [title])
        group.setFirstColumnSpanned(True)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        return group

    def rows(self) -> list[tuple[str, str, str]]:
        """What the dialog lists: (menu, action, keys) for each action, in order."""
        found = []
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            assert group is not None
            for child in range(group.childCount()):
                item = group.child(child)
                assert item is not None
                found.append((group.text(0), item.text(0), item.text(1)))
        return found


class AboutDialog(QDialog):
    """The version, the licence, where the data and the log are, and what to expect."""

    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        self.text = QLabel(about_text(paths))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


def log_file(paths: DataPaths) -> Path:
    """The app's log file."""
    return paths.logs / LOG_NAME


def about_text(paths: DataPaths) -> str:
    """The About text, in plain lines."""
    return "\n\n".join(
        (
            f"{APP_NAME} {__version__}",
            "A calm, guided face massage at the mirror.",
            HEALTH_NOTE,
            f"Licence: {LICENCE}",
            f"Data folder: {paths.root}",
            f"Log file: {log_file(paths)}",
        )
    )


def open_data_folder(
    paths: DataPaths, parent: QWidget, opener: UrlOpener = QDesktopServices.openUrl
) -> None:
    """Open the data folder in the desktop's file manager (through ``opener``); where
    none opens it (``opener`` returns False), a message gives the folder's path."""
    if opener(QUrl.fromLocalFile(str(paths.root))) is not False:
        return
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Information,
        "Data folder",
        f"No file manager could open the data folder. It is:\n\n{paths.root}",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setModal(False)  # the window stays usable
    box.show()
