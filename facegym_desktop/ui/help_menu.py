"""What the Help menu's entries do, wired when the window is built.

The dialogs themselves (``help_dialogs``) load when an entry is first chosen: the
start screen does not need them, and start-up time is budgeted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.actions import ActionId, ActionTable

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtWidgets import QDialog, QWidget

UrlOpener = Callable[["QUrl"], object]


def help_slots(
    window: QWidget,
    table: ActionTable,
    paths: DataPaths,
    opener: UrlOpener | None = None,
) -> dict[ActionId, Callable[[], object]]:
    """What each Help entry does, for ``ActionTable.connect``; dialogs are made on first
    use, kept, and shown without blocking the window.  ``opener`` opens a folder's URL
    (the desktop's file manager when None)."""
    made: dict[ActionId, QDialog] = {}

    def show(action_id: ActionId, make: Callable[[], QDialog]) -> Callable[[], None]:
        def run() -> None:
            if action_id not in made:
                made[action_id] = make()
            dialog = made[action_id]
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()

        return run

    def shortcuts() -> QDialog:
        from facegym_desktop.ui.help_dialogs import ShortcutsDialog

        return ShortcutsDialog(table, window)

    def about() -> QDialog:
        from facegym_desktop.ui.help_dialogs import AboutDialog

        return AboutDialog(paths, window)

    def open_folder() -> None:
        from facegym_desktop.ui.help_dialogs import open_data_folder

        if opener is None:
            open_data_folder(paths, window)
        else:
            open_data_folder(paths, window, opener)

    return {
        ActionId.SHORTCUTS: show(ActionId.SHORTCUTS, shortcuts),
        ActionId.ABOUT: show(ActionId.ABOUT, about),
        ActionId.OPEN_DATA_FOLDER: open_folder,
    }
