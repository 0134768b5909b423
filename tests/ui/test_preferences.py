"""The settings dialog on a real window: every declared setting, applied at once.

The dialog is opened with Ctrl+, as a person would; each editor is changed through
its own widget (check box, spin box, combo box, line edit), and the result is read
back from settings.json, from the window and from the coach fake.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import QApplication

from facegym_desktop.cli import main
from facegym_desktop.core.setting_kinds import (
    BoolSetting,
    ChoiceSetting,
    FloatSetting,
    IntSetting,
    MinutesSetting,
    OptionalSecondsSetting,
    Setting,
    TextSetting,
    TimesSetting,
)
from facegym_desktop.core.settings import DECLARED, Settings, load_settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.speech.base import SpeechState
from facegym_desktop.speech.voice_choice import SAMPLE_PHRASE
from facegym_desktop.ui.actions import VERBOSITY_ACTIONS, ActionId
from facegym_desktop.ui.main_window import MainWindow
from facegym_desktop.ui.preferences_dialog import (
    MORE_GROUP,
    PreferencesDialog,
    grouped,
    theme_steps,
)
from facegym_desktop.ui.remembered_lengths import RememberedLengthsEditor
from facegym_desktop.ui.setting_editors import (
    BoolEditor,
    ChoiceEditor,
    FloatEditor,
    IntEditor,
    OptionalSecondsEditor,
    SettingEditor,
    TextEditor,
)
from facegym_desktop.ui.theme import DARK, LIGHT
from facegym_desktop.ui.voice_settings import UNKNOWN_OFF_REASON
from tests.ui.fakes import FakeDesktop, RecordingCoach
from tests.ui.test_main_window import PaintCounter
from tests.ui.window_driver import QUICK_ID, press

# The editor each declaration type gets.  A new type of setting fails
# test_every_declared_setting_has_an_editor until it is decided here (and the
# dialog handles it).
EDITOR_TYPES: dict[type[Setting[Any]], tuple[type[SettingEditor], ...]] = {
    BoolSetting: (BoolEditor,),
    IntSetting: (IntEditor,),
    FloatSetting: (FloatEditor,),
    ChoiceSetting: (ChoiceEditor,),
    TextSetting: (TextEditor, ChoiceEditor),  # the routine is chosen from a list
    MinutesSetting: (RememberedLengthsEditor,),  # a row per routine
    TimesSetting: (TextEditor,),  # typed as 07:30,21:00
    OptionalSecondsSetting: (OptionalSecondsEditor,),
}


def open_dialog(qtbot, window: MainWindow) -> PreferencesDialog:
    press(qtbot, window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(PreferencesDialog)
    assert isinstance(dialog, PreferencesDialog)
    qtbot.waitExposed(dialog)
    return dialog


def change(editor: SettingEditor, value: Any) -> None:
    """Make ``editor`` show ``value`` the way a person would, through its widget."""
    if isinstance(editor, BoolEditor):
        if editor.box.isChecked() != value:
            editor.box.click()
    elif isinstance(editor, FloatEditor) and editor.setting.percent:
        editor.spin.setValue(value * 100)  # a percentage: 0.5 is typed as 50
    elif isinstance(editor, IntEditor | FloatEditor):
        editor.spin.setValue(value)
    elif isinstance(editor, ChoiceEditor):
        index = editor.combo.findData(value)
        assert index >= 0, value
        editor.combo.setCurrentIndex(index)
    elif isinstance(editor, OptionalSecondsEditor):
        editor.spin.setValue(editor.spin.minimum() if value is None else value)
    elif isinstance(editor, TextEditor):
        editor.line.setText(editor.setting.format(value))
        editor.line.editingFinished.emit()
    elif isinstance(editor, RememberedLengthsEditor):
        for key in [key for key in editor.rows if key not in value]:
            editor.rows[key].forget.click()
        for key, minutes in value.items():
            assert key in editor.rows, key  # rows come from lengths chosen on the start screen
            editor.rows[key].length.setValue(round(minutes * 60))
    else:
        raise AssertionError(f"no way to change a {type(editor).__name__}")


def another_value(setting: Setting[Any]) -> Any:
    """An allowed value that is not the default."""
    if isinstance(setting, BoolSetting):
        return not setting.default
    if isinstance(setting, IntSetting | FloatSetting):
        other = round(setting.default + setting.step, 6)
        return other if other <= setting.maximum else round(setting.default - setting.step, 6)
    if isinstance(setting, ChoiceSetting):
        return next(choice for choice in setting.choices if choice != setting.default)
    if isinstance(setting, MinutesSetting):
        return {QUICK_ID: 2.5}  # the window opens with {QUICK_ID: 1.5}
    if isinstance(setting, OptionalSecondsSetting):
        return setting.minimum + 10
    if isinstance(setting, TimesSetting):
        return ("07:30", "21:00")
    if setting.key == "last_routine":
        return "evening-wind-down"
    if isinstance(setting, TextSetting):
        return "gmw/en-gb"
    raise AssertionError(f"no other value known for {setting.key}")


def saved(data_dir: DataPaths) -> Settings:
    loaded = load_settings(data_dir.settings)
    assert loaded.problems == []
    return loaded.settings


# ---------------------------------------------------------------------- what it shows


def test_every_declared_setting_has_an_editor(qtbot, make_window) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    assert set(dialog.editors) == {setting.key for setting in DECLARED}
    for setting in DECLARED:
        assert type(setting) in EDITOR_TYPES, f"no editor decided for {type(setting).__name__}"
        editor = dialog.editor(setting.key)
        assert isinstance(editor, EDITOR_TYPES[type(setting)]), setting.key
        assert editor.setting is setting
        assert editor.isVisibleTo(dialog)
        assert editor.field.accessibleName() == setting.label
        assert setting.help in editor.field.toolTip()
        assert editor.value() == setting.normal(getattr(window.settings, setting.key))
    # Each key in exactly one group, in declaration order within "More".
    keys = [key for _title, names in grouped() for key in names]
    assert sorted(keys) == sorted(setting.key for setting in DECLARED)
    assert set(dialog.group_boxes) == {title for title, _names in grouped()}


def test_a_setting_no_group_names_is_listed_under_more() -> None:
    extra = BoolSetting(key="autostart_test", default=False, label="Start", help="Starts.")
    groups = dict(grouped((*DECLARED, extra)))
    assert groups[MORE_GROUP] == ["autostart_test"]
    assert MORE_GROUP not in dict(grouped())


@pytest.mark.qt_log_ignore("does not support raise")  # offscreen windows have no stacking
def test_ctrl_comma_opens_one_dialog_that_fits_a_small_screen(qtbot, make_window) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert window.findChildren(PreferencesDialog) == [dialog]
    assert dialog.width() <= 1024 and dialog.height() <= 560  # 1024x600 with a title bar
    assert dialog.isVisible()


# ---------------------------------------------------------------------- changing


def test_each_editor_saves_its_setting_at_once(qtbot, make_window, data_dir: DataPaths) -> None:
    window = make_window(coach=RecordingCoach())
    dialog = open_dialog(qtbot, window)
    for setting in DECLARED:
        value = another_value(setting)
        change(dialog.editor(setting.key), value)
        assert getattr(window.settings, setting.key) == value, setting.key
        assert getattr(saved(data_dir), setting.key) == value, setting.key


def test_the_command_line_reads_what_the_dialog_saved(
    qtbot, make_window, data_dir: DataPaths, capsys
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    for setting in DECLARED:
        change(dialog.editor(setting.key), another_value(setting))
    capsys.readouterr()
    assert main(["settings", "list", "--json", "--data-dir", str(data_dir.root)]) == 0
    listed = {row["key"]: row["value"] for row in json.loads(capsys.readouterr().out)}
    assert listed == json.loads(json.dumps(dict(dialog.values())))  # as JSON: lists, not tuples
    # And back: a value set from the command line shows in a window that reads the file.
    assert main(["settings", "set", "voice_rate", "210", "--data-dir", str(data_dir.root)]) == 0
    again = make_window(saved(data_dir))
    assert open_dialog(qtbot, again).editor("voice_rate").value() == 210


def test_the_theme_switches_and_repaints_at_once(qtbot, make_window, data_dir) -> None:
    desktop = FakeDesktop(dark=False)
    window = make_window(Settings(last_routine=QUICK_ID, theme="light"), desktop=desktop)
    dialog = open_dialog(qtbot, window)
    paints = PaintCounter(window.start_view)
    change(dialog.editor("theme"), "dark")
    assert window.theme is DARK
    assert DARK.background in window.start_view.styleSheet()
    assert window.action_table[ActionId.DARK_THEME].isChecked()
    qtbot.waitUntil(lambda: paints.count > 0)
    change(dialog.editor("theme"), "system")
    assert window.theme is LIGHT  # the desktop is light
    assert window.action_table[ActionId.FOLLOW_DESKTOP].isChecked()
    assert saved(data_dir).theme == "system"


def test_theme_steps_take_the_fewest_toggles() -> None:
    assert theme_steps("light", False, "dark") == ["dark"]
    assert theme_steps("light", False, "light") == []
    assert theme_steps("light", False, "system") == ["follow"]
    assert theme_steps("dark", True, "system") == []
    assert theme_steps("dark", True, "dark") == ["follow"]
    assert theme_steps("dark", True, "light") == ["follow", "dark"]


def test_mirror_flips_the_face_map_of_the_session_view(qtbot, make_window) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, mirror=False))
    face_map = window.session_view.face_map  # built now, as a session would
    assert not face_map.mirrored
    dialog = open_dialog(qtbot, window)
    change(dialog.editor("mirror"), True)
    assert face_map.mirrored
    assert window.action_table[ActionId.MIRROR].isChecked()


def test_the_voice_parts_reach_the_coach(qtbot, make_window, data_dir) -> None:
    coach = RecordingCoach()
    window = make_window(coach=coach)
    dialog = open_dialog(qtbot, window)
    assert dialog.status.text() == "The voice is on."
    change(dialog.editor("voice_rate"), 180)
    assert coach.calls[-1] == ("configure", (None, 180, 0.9))
    change(dialog.editor("voice_volume"), 0.5)
    change(dialog.editor("voice_id"), "gmw/en-gb")
    assert coach.calls[-1] == ("configure", ("gmw/en-gb", 180, 0.5))
    change(dialog.editor("verbosity"), "brief")
    assert coach.calls[-1] == ("set_verbosity", "brief")
    assert window.action_table[VERBOSITY_ACTIONS["brief"]].isChecked()
    change(dialog.editor("muted"), True)
    assert coach.muted is True and window.action_table[ActionId.MUTE].isChecked()
    assert "muted" in dialog.status.text()
    qtbot.mouseClick(dialog.try_button, Qt.MouseButton.LeftButton)
    assert coach.calls[-1] == ("say_sample", SAMPLE_PHRASE)
    kept = saved(data_dir)
    assert (kept.voice_rate, kept.voice_volume, kept.voice_id) == (180, 0.5, "gmw/en-gb")
    assert (kept.verbosity, kept.muted) == ("brief", True)


def test_without_a_voice_the_status_says_so_and_try_is_off(qtbot, make_window) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    assert "no voice" in dialog.status.text()
    assert not dialog.try_button.isEnabled()
    coach = RecordingCoach()
    coach.state = SpeechState.STARTING
    window.attach_coach(coach)
    dialog.refresh()
    assert dialog.status.text().startswith("The voice is starting")
    coach.state = SpeechState.OFF
    window.voice.set_voice_notice(UNKNOWN_OFF_REASON)  # as the coach reports it
    assert dialog.status.text() == UNKNOWN_OFF_REASON
    assert not dialog.try_button.isEnabled()


def test_a_text_value_not_allowed_shows_why_and_keeps_the_old_one(
    qtbot, make_window, data_dir
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    editor = dialog.editor("reminder_times")
    assert isinstance(editor, TextEditor)
    before = window.settings.reminder_times
    editor.line.clear()
    qtbot.keyClicks(editor.line, "07:30,25:00")
    editor.line.editingFinished.emit()
    assert editor.problem.isVisible()
    assert '"25:00" is no time of day' in editor.problem.text()
    assert window.settings.reminder_times == before
    editor.line.setText("7:30")
    editor.line.editingFinished.emit()
    assert not editor.problem.isVisible()
    assert saved(data_dir).reminder_times == ("07:30",)


def test_closing_with_a_value_not_allowed_asks_and_no_keeps_it_open(
    qtbot, make_window, data_dir
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    asked: list[str] = []
    dialog.confirm = lambda title, text: asked.append(text) is None and len(asked) > 1
    editor = dialog.editor("reminder_times")
    assert isinstance(editor, TextEditor)
    editor.line.setFocus()
    qtbot.keyClicks(editor.line, "7:30, 25:00")
    qtbot.keyClick(editor.line, Qt.Key.Key_Escape)  # the first answer is No
    assert dialog.isVisible() and dialog.focusWidget() is editor.line
    assert asked[0].startswith('Daily reminders: "25:00" is no time of day')
    dialog.reject()  # Yes: closes, and the setting is as it was
    assert not dialog.isVisible() and saved(data_dir).reminder_times == ()


def test_a_value_typed_just_before_closing_is_kept(qtbot, make_window, data_dir) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    dialog.confirm = lambda title, text: pytest.fail(f"asked: {text}")
    editor = dialog.editor("reminder_times")
    editor.line.setFocus()
    qtbot.keyClicks(editor.line, "21:00")
    qtbot.keyClick(editor.line, Qt.Key.Key_Escape)  # no Enter, no Tab first
    assert not dialog.isVisible()
    assert saved(data_dir).reminder_times == ("21:00",)

def test_changes_made_elsewhere_show_in_the_open_dialog(qtbot, make_window) -> None:
    window = make_window(Settings(last_routine=QUICK_ID, theme="light"))
    dialog = open_dialog(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert dialog.editor("theme").value() == "dark"
    assert DARK.background == dialog.palette().window().color().name()


def test_restore_defaults_puts_every_setting_back(qtbot, make_window, data_dir) -> None:
    coach = RecordingCoach()
    changed = Settings(
        theme="dark",
        mirror=False,
        muted=True,
        verbosity="counts",
        voice_rate=210,
        last_routine=QUICK_ID,
        minutes_by_routine={QUICK_ID: 2.5},
        rest_days_per_week=2,
    )
    window = make_window(changed, coach=coach, desktop=FakeDesktop(dark=False))
    dialog = open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    defaults = Settings()
    kept = saved(data_dir)
    for setting in DECLARED:
        assert getattr(kept, setting.key) == getattr(defaults, setting.key), setting.key
        assert dialog.editor(setting.key).value() == setting.normal(setting.default)
    assert window.theme is LIGHT and window.view_settings.mirrored  # follows the light desktop
    assert coach.muted is False
    assert ("configure", (None, 150, 0.9)) in coach.calls


def test_a_damaged_settings_file_opens_with_defaults(qtbot, make_window, data_dir) -> None:
    data_dir.settings.write_text("{ not json", encoding="utf-8")
    loaded = load_settings(data_dir.settings)  # as the app does at start-up
    assert loaded.problems and not data_dir.settings.exists()
    window = make_window(loaded.settings)
    dialog = open_dialog(qtbot, window)
    assert dialog.editor("voice_rate").value() == 150
    change(dialog.editor("rest_days_per_week"), 1)
    assert saved(data_dir).rest_days_per_week == 1


@pytest.mark.parametrize("key", ["voice_rate", "voice_volume", "rest_days_per_week"])
def test_spin_boxes_hold_the_declared_range(qtbot, make_window, key: str) -> None:
    dialog = open_dialog(qtbot, make_window())
    editor = dialog.editor(key)
    assert isinstance(editor, IntEditor | FloatEditor)
    setting = editor.setting
    assert isinstance(setting, IntSetting | FloatSetting)
    scale = 100 if isinstance(setting, FloatSetting) and setting.percent else 1
    shown = (editor.spin.minimum(), editor.spin.maximum(), editor.spin.singleStep())
    declared = (setting.minimum, setting.maximum, setting.step)
    assert shown == pytest.approx(tuple(number * scale for number in declared))
    QGuiApplication.processEvents()


def test_volume_shows_in_percent_and_saves_the_fraction(qtbot, make_window, data_dir) -> None:
    dialog = open_dialog(qtbot, make_window())
    editor = dialog.editor("voice_volume")
    assert isinstance(editor, FloatEditor)
    assert editor.spin.text() == "90%"  # the default, 0.9
    editor.spin.selectAll()
    qtbot.keyClicks(editor.spin, "85")
    qtbot.keyClick(editor.spin, Qt.Key.Key_Return)
    assert editor.value() == 0.85
    assert saved(data_dir).voice_volume == 0.85


def test_the_wheel_scrolls_the_dialog_and_leaves_values_alone(qtbot, make_window) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window)
    editor = dialog.editor("verbosity")
    before = editor.value()
    window.setFocus()
    assert not editor.field.hasFocus()
    centre = editor.field.rect().center()
    for _ in range(5):
        event = QWheelEvent(
            QPointF(centre), QPointF(editor.field.mapToGlobal(centre)), QPoint(0, 0),
            QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )
        QApplication.sendEvent(editor.field, event)
    assert editor.value() == before
    assert window.settings.verbosity == before
