"""The Help menu: the shortcuts list comes from the actions table; About; the data folder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox, QWidget

from facegym_desktop import __version__
from facegym_desktop.ui.actions import ACTIONS, ActionId
from facegym_desktop.ui.help_dialogs import (
    LICENCE,
    NO_KEYS,
    START_SCREEN_GROUP,
    AboutDialog,
    ShortcutsDialog,
    about_text,
    log_file,
    open_data_folder,
)
from facegym_desktop.ui.help_menu import help_slots
from facegym_desktop.ui.start_view import START_KEYS


def test_the_shortcuts_dialog_lists_every_action_with_its_keys(qtbot, make_window) -> None:
    window = make_window()
    dialog = ShortcutsDialog(window.action_table)
    qtbot.addWidget(dialog)
    everything = dialog.rows()
    screen = [(text, keys) for menu, text, keys in everything if menu == START_SCREEN_GROUP]
    assert screen == list(START_KEYS)  # the keys the screens answer, listed first
    rows = [row for row in everything if row[0] != START_SCREEN_GROUP]
    assert everything[: len(screen)] == [(START_SCREEN_GROUP, *row) for row in screen]
    listed = {text for _menu, text, _keys in rows}
    assert len(rows) == len(list(window.action_table)) == len(ACTIONS)
    for action_id, spec in ACTIONS.items():
        assert spec.text.replace("&", "") in listed, action_id
    keys = {text: keys for _menu, text, keys in rows}
    assert keys["History…"] == "Ctrl+H"
    assert keys["Full screen"] == "F or F11"
    assert keys["Keyboard shortcuts"] == "F1"
    assert keys["Speak faster"] == NO_KEYS
    menus = [menu for menu, _text, _keys in rows]
    assert menus[0] == "FaceGym" and menus[-1] == "Help"


def test_about_shows_the_version_licence_folders_and_a_plain_note(qtbot, data_dir) -> None:
    dialog = AboutDialog(data_dir)
    qtbot.addWidget(dialog)
    text = dialog.text.text()
    assert text == about_text(data_dir)
    assert __version__ in text
    assert f"Licence: {LICENCE}" in text and LICENCE == "MIT"
    assert str(data_dir.root) in text
    assert str(log_file(data_dir)) in text and log_file(data_dir).name == "facegym.log"
    assert "not a medical treatment" in text


def test_open_data_folder_asks_the_desktop_to_open_it(qtbot, data_dir) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    opened: list[QUrl] = []
    open_data_folder(data_dir, parent, opened.append)
    assert [url.toLocalFile() for url in opened] == [str(data_dir.root)]


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform's note
def test_the_help_entries_open_their_dialogs(qtbot, make_window, data_dir) -> None:
    window = make_window()
    opened: list[QUrl] = []
    window.action_table.connect(help_slots(window, window.action_table, data_dir, opened.append))
    window.action_table[ActionId.SHORTCUTS].trigger()
    [shortcuts] = window.findChildren(ShortcutsDialog)
    assert shortcuts.isVisible()
    window.action_table[ActionId.SHORTCUTS].trigger()
    assert window.findChildren(ShortcutsDialog) == [shortcuts]  # one, shown again
    window.action_table[ActionId.ABOUT].trigger()
    assert window.findChild(AboutDialog).isVisible()
    window.action_table[ActionId.OPEN_DATA_FOLDER].trigger()
    assert [url.toLocalFile() for url in opened] == [str(data_dir.root)]


def test_with_no_file_manager_the_data_folder_is_named(qtbot, make_window, data_dir) -> None:
    window = make_window()
    window.action_table.connect(help_slots(window, window.action_table, data_dir, lambda _: False))
    window.action_table[ActionId.OPEN_DATA_FOLDER].trigger()
    [box] = window.findChildren(QMessageBox)
    assert box.isVisible() and not box.isModal()
    assert box.text().endswith(str(data_dir.root))
