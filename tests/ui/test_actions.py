"""The actions table: every key belongs to one action, and the menus read as before."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow

from facegym_desktop.core.settings import VERBOSITY_LEVELS
from facegym_desktop.ui.actions import (
    ACTIONS,
    VERBOSITY_ACTIONS,
    ActionId,
    ActionSpec,
    ActionTable,
    Menu,
    keys_of,
)

# The keys a person at the mirror knows: kept as they are.
EXPECTED_KEYS = {
    ActionId.PAUSE: ("Space",),
    ActionId.NEXT: ("Right",),
    ActionId.PREVIOUS: ("Left",),
    ActionId.RESTART: ("R",),
    ActionId.STOP: ("Esc",),
    ActionId.MUTE: ("M",),
    ActionId.FULL_SCREEN: ("F", "F11"),
    ActionId.HISTORY: ("Ctrl+H",),
    ActionId.PREFERENCES: ("Ctrl+,",),
    ActionId.QUIT: ("Ctrl+Q",),
    ActionId.DARK_THEME: ("Ctrl+D",),
    ActionId.FOLLOW_DESKTOP: ("Ctrl+Shift+D",),
    ActionId.MIRROR: ("Ctrl+I",),
    ActionId.VOICE_DIALOG: ("Ctrl+Shift+V",),
    ActionId.SHORTCUTS: ("F1",),
}


# Characters matched whichever key and layout type them ("+" is Shift+= in the US).
EXPECTED_TYPED = {"+": ActionId.MORE_TIME, "=": ActionId.MORE_TIME}
EXPECTED_TYPED |= {"-": ActionId.LESS_TIME, "_": ActionId.LESS_TIME}


def portable(keys: str) -> str:
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.PortableText)


@pytest.fixture
def window(qtbot) -> QMainWindow:
    widget = QMainWindow()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def test_the_keys_are_the_ones_people_know() -> None:
    keyed = {
        action_id: tuple(portable(k) for k in spec.shortcuts)
        for action_id, spec in ACTIONS.items()
        if spec.shortcuts
    }
    assert keyed == EXPECTED_KEYS
    typed = {char: action_id for action_id, spec in ACTIONS.items() for char in spec.typed}
    assert typed == EXPECTED_TYPED


def test_no_key_belongs_to_two_actions() -> None:
    keys = Counter(portable(k) for spec in ACTIONS.values() for k in spec.shortcuts)
    assert [key for key, count in keys.items() if count > 1] == []
    assert all(keys)  # each parses to a real key sequence


def test_every_key_triggers_its_own_action_and_no_other(qtbot, window: QMainWindow) -> None:
    table = ActionTable(window)
    fired: list[ActionId] = []
    table.connect({action_id: (lambda a=action_id: fired.append(a)) for action_id in table})
    for action_id in table:
        table[action_id].setEnabled(True)
    for action_id, spec in ACTIONS.items():
        for keys in spec.shortcuts:
            combination = QKeySequence(keys)[0]
            fired.clear()
            qtbot.keyClick(window, combination.key(), combination.keyboardModifiers())
            assert fired == [action_id], keys


def test_the_platform_settings_key_is_added_once(qtbot) -> None:
    standard = QKeySequence.StandardKey.Preferences
    platform = [portable(k.toString()) for k in QKeySequence.keyBindings(standard)]
    keys = [portable(k.toString()) for k in keys_of(ACTIONS[ActionId.PREFERENCES])]
    assert keys[0] == "Ctrl+,"
    assert sorted(keys) == sorted({"Ctrl+,", *platform})  # each sequence once: not ambiguous
    # A platform key equal to one already given is not added twice.
    copy = QKeySequence.StandardKey.Copy
    given = [portable(k.toString()) for k in QKeySequence.keyBindings(copy)] or ["Ctrl+C"]
    spec = ActionSpec("Copy", Menu.APP, tuple(given), standard_key=copy)
    assert [portable(k.toString()) for k in keys_of(spec)] == list(dict.fromkeys(given))


def test_session_actions_start_disabled_and_only_they(window: QMainWindow) -> None:
    table = ActionTable(window)
    session = {action_id for action_id, spec in ACTIONS.items() if spec.session}
    assert session == {
        ActionId.PAUSE,
        ActionId.NEXT,
        ActionId.PREVIOUS,
        ActionId.RESTART,
        ActionId.MORE_TIME,
        ActionId.LESS_TIME,
        ActionId.STOP,
    }
    assert table.session_actions() == [table[a] for a in ACTIONS if a in session]
    assert [a for a in table if table[a].isEnabled() == (a in session)] == []


def test_only_actions_with_keys_join_the_window(window: QMainWindow) -> None:
    table = ActionTable(window)
    assert set(window.actions()) == {table[a] for a, spec in ACTIONS.items() if spec.shortcuts}


def test_the_menus_read_as_before(window: QMainWindow) -> None:
    table = ActionTable(window)
    menus = table.place(window.menuBar())
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&FaceGym", "&Session", "&View", "V&oice", "&Help"]

    def entries(menu: Menu) -> list[str]:
        return [a.text().split("\t")[0] or "---" for a in menus[menu].actions()]

    assert entries(Menu.APP) == ["History…", "Settings…", "---", "Quit"]
    assert entries(Menu.HELP) == [
        "Keyboard shortcuts",
        "Open data folder",
        "---",
        "About FaceGym Desktop",
    ]
    assert entries(Menu.SESSION) == [
        "Pause or resume",
        "Next move",
        "Previous move",
        "Restart move",
        "Ten seconds more",
        "Ten seconds less",
        "Stop session",
    ]
    assert entries(Menu.VIEW) == [
        "Dark theme",
        "Light or dark like the desktop",
        "Mirror the picture",
        "Full screen",
    ]
    assert entries(Menu.VOICE) == [
        "Mute voice",
        "How much the coach says",
        "Speak faster",
        "Speak slower",
        "---",
        "Voice, speed and volume…",
    ]
    assert entries(Menu.VERBOSITY) == [
        "Everything",
        "Brief",
        "Counts only",
        "Nothing (captions only)",
    ]
    assert table[ActionId.MORE_TIME].text() == "Ten seconds more\t+"
    assert table[ActionId.LESS_TIME].text() == "Ten seconds less\t-"
    checkable = {a for a in table if table[a].isCheckable()}
    assert checkable == {
        ActionId.MUTE,
        ActionId.DARK_THEME,
        ActionId.FOLLOW_DESKTOP,
        ActionId.MIRROR,
        *VERBOSITY_ACTIONS.values(),
    }


def test_verbosity_levels_exclude_each_other(window: QMainWindow) -> None:
    assert tuple(VERBOSITY_ACTIONS) == VERBOSITY_LEVELS
    table = ActionTable(window)
    full, brief = table[ActionId.VERBOSITY_FULL], table[ActionId.VERBOSITY_BRIEF]
    full.trigger()
    brief.trigger()
    assert brief.isChecked() and not full.isChecked()


def test_bound_check_marks_follow_their_signal(qtbot, window: QMainWindow) -> None:
    from PySide6.QtCore import QObject, Signal

    class Source(QObject):
        changed = Signal(bool)

    source = Source()
    table = ActionTable(window)
    table.bind_checked([(ActionId.MIRROR, True, source.changed)])
    assert table[ActionId.MIRROR].isChecked()
    source.changed.emit(False)
    assert not table[ActionId.MIRROR].isChecked()
