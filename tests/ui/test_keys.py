"""Keys are never ambiguous, and + and - work on every keyboard layout.

Qt does nothing (and prints "Ambiguous shortcut overload") when one key press
matches two shortcuts; "+" and "Shift+=" as shortcuts were such a pair.  Every key
sequence of the window's actions and of its dialogs is collected and compared, and
the key presses that type "+" and "-" on different layouts and on the keypad are
sent through a real window.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenuBar, QWidget

from facegym_desktop.speech.voice_choice import VoiceChoice
from facegym_desktop.ui.actions import ActionId, typed_character
from facegym_desktop.ui.problems_dialog import ProblemsDialog
from facegym_desktop.ui.voice_dialog import VoiceDialog
from tests.ui.window_driver import engine, run_for, run_until, start_session

Shift = Qt.KeyboardModifier.ShiftModifier
Keypad = Qt.KeyboardModifier.KeypadModifier
NoMod = Qt.KeyboardModifier.NoModifier

# (key, modifiers) of every way a keyboard sends "+" or "-".
PLUS_PRESSES = [
    (Qt.Key.Key_Plus, Shift),  # Shift+= on a US keyboard
    (Qt.Key.Key_Plus, NoMod),  # a "+" key of its own (German, Nordic layouts)
    (Qt.Key.Key_Plus, Keypad),
    (Qt.Key.Key_Plus, Shift | Keypad),
    (Qt.Key.Key_Equal, Shift),
    (Qt.Key.Key_Equal, NoMod),
]
MINUS_PRESSES = [
    (Qt.Key.Key_Minus, NoMod),
    (Qt.Key.Key_Minus, Keypad),
    (Qt.Key.Key_Minus, Shift),
    (Qt.Key.Key_Underscore, Shift),
]


def mnemonic(text: str) -> QKeySequence:
    """The Alt+letter a "&" in a button's text gives; empty without one."""
    return QKeySequence.mnemonic(text)


def window_sequences(window: QWidget) -> list[tuple[str, QKeySequence]]:
    """Every shortcut reachable in ``window``: its actions', its QShortcuts', mnemonics."""
    widgets = [window, *window.findChildren(QWidget)]
    actions = {item for widget in widgets for item in widget.actions()}
    found = [(item.text(), keys) for item in actions for keys in item.shortcuts()]
    for shortcut in window.findChildren(QShortcut):
        found.append((f"shortcut {shortcut.objectName()}", shortcut.key()))
    labelled = [*window.findChildren(QAbstractButton)]
    labelled += [item for bar in window.findChildren(QMenuBar) for item in bar.actions()]
    for item in labelled:
        if not (keys := mnemonic(item.text())).isEmpty():
            found.append((item.text(), keys))
    return found


def overlapping(first: QKeySequence, second: QKeySequence) -> bool:
    """Equal, or one the start of the other (Qt would wait for more keys)."""
    return (
        first.matches(second) != QKeySequence.SequenceMatch.NoMatch
        or second.matches(first) != QKeySequence.SequenceMatch.NoMatch
    )


def assert_no_overlap(sequences: list[tuple[str, QKeySequence]]) -> None:
    assert sequences
    clashes = [
        (a, b, keys.toString())
        for (a, keys), (b, other) in combinations(sequences, 2)
        if overlapping(keys, other)
    ]
    assert clashes == []


def test_no_two_keys_of_the_main_window_overlap(make_window) -> None:
    window = make_window()
    sequences = window_sequences(window)
    assert_no_overlap(sequences)
    # A typed character is never also a shortcut's key (with or without Shift).
    for char in window.action_table.typed():
        for text, keys in sequences:
            combination = keys[0]
            mods = combination.keyboardModifiers() & ~(Shift | Keypad)
            assert mods != NoMod or combination.key() != ord(char), (char, text)


def test_no_shortcut_needs_shift_on_a_punctuation_key(make_window) -> None:
    # Which character Shift with a punctuation key types depends on the layout (Shift+=
    # is "+" in the US): such a key belongs in ActionSpec.typed, never in shortcuts.
    window = make_window()
    for text, keys in window_sequences(window):
        combination = keys[0]
        char = chr(combination.key().value) if combination.key().value < 0x110000 else ""
        shifted = combination.keyboardModifiers() & Shift
        assert not (shifted and char.isprintable() and not char.isalnum()), text


def test_no_two_keys_of_a_dialog_overlap(make_window) -> None:
    window = make_window()
    in_window = window_sequences(window)
    assert any(text == "&Session" for text, _keys in in_window)  # menu titles count
    voice = VoiceDialog(VoiceChoice("", 170, 1.0), list, parent=window)
    problems = ProblemsDialog(["a.toml: line 1: broken"], parent=window)
    for dialog in (voice, problems):
        assert_no_overlap(window_sequences(dialog) + in_window)
        dialog.deleteLater()


def test_typed_character_ignores_shift_and_keypad_only() -> None:
    def event(key: Qt.Key, mods: Qt.KeyboardModifier, text: str = "") -> QKeyEvent:
        return QKeyEvent(QEvent.Type.KeyPress, key, mods, text)

    assert typed_character(event(Qt.Key.Key_Plus, Shift, "+")) == "+"
    assert typed_character(event(Qt.Key.Key_Equal, Shift, "+")) == "+"  # text wins
    assert typed_character(event(Qt.Key.Key_Plus, Keypad)) == "+"  # no text: the key
    assert typed_character(event(Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)) == ""
    assert typed_character(event(Qt.Key.Key_F1, NoMod)) == ""


@pytest.mark.parametrize(
    ("key", "mods", "change"),
    [(k, m, 10) for k, m in PLUS_PRESSES] + [(k, m, -10) for k, m in MINUS_PRESSES],
)
def test_plus_and_minus_work_once_on_every_layout(
    qtbot, qtlog, make_window, clock, key, mods, change
) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_until(window, clock, lambda: engine(window).current.move_id == "chin-flicks")
    run_for(window, clock, 1)
    total = engine(window).total_seconds
    qtbot.keyClick(QGuiApplication.focusObject() or window, key, mods)
    assert engine(window).total_seconds == pytest.approx(total + change)
    assert not [r for r in qtlog.records if "mbiguous" in r.message]


def test_a_plus_typed_by_an_unusual_key_still_counts(qtbot, make_window, clock) -> None:
    # Some layouts type "+" with a key Qt reports as another one (here "=" with Shift).
    window = make_window()
    start_session(qtbot, window)
    run_until(window, clock, lambda: engine(window).current.move_id == "chin-flicks")
    total = engine(window).total_seconds
    target = QApplication.focusWidget() or window
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_Equal, Shift, "+"))
    assert engine(window).total_seconds == pytest.approx(total + 10)


def test_plus_outside_a_session_does_nothing(qtbot, make_window) -> None:
    window = make_window()
    fired: list[bool] = []
    window.action_table[ActionId.MORE_TIME].triggered.connect(lambda: fired.append(True))
    assert window.finish_view is not None  # built, but the start screen is on show
    qtbot.keyClick(window, Qt.Key.Key_Plus, Shift)
    assert fired == []


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform's note
def test_ctrl_q_quits_from_the_history_window_too(qtbot, make_window, inline_bridge) -> None:
    from facegym_desktop.ui.history_window import HistoryWindow

    window = make_window(bridge=inline_bridge)
    window.action_table[ActionId.HISTORY].trigger()
    history = next(w for w in QApplication.topLevelWidgets() if isinstance(w, HistoryWindow))
    qtbot.addWidget(history)
    history.activateWindow()
    qtbot.waitUntil(history.isActiveWindow)
    with qtbot.waitSignal(window.action_table[ActionId.QUIT].triggered, timeout=1000):
        qtbot.keyClick(history, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_tab_follows_the_start_screen_from_the_routines_to_start(qtbot, make_window) -> None:
    window = make_window()
    view = window.start_view
    typed = view.length_control.typed  # made right after the first frame
    qtbot.waitUntil(typed.isVisible)
    view.routine_list.setFocus()
    qtbot.waitUntil(view.routine_list.hasFocus)
    visited = []
    for _ in range(len(view.preset_buttons) + 4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    expected = [typed, *view.preset_buttons, view.slider, view.history_button, view.start_button]
    assert visited == expected
