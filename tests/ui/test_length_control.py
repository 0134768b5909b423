"""The session length on the start screen: typed lengths, presets, and each routine's
length kept without starting it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from facegym_desktop.core.settings import Settings, load_settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.length_control import LengthControl, length_words
from facegym_desktop.ui.main_window import MainWindow
from tests.ui.fakes import RecordingCoach
from tests.ui.window_driver import QUICK_ID, press

CHOICES = [3.0 + 0.5 * i for i in range(11)]  # 3 to 8 minutes, as the daily routines
PRESETS = [("3 min", 3.0), ("5 min", 5.0)]


@pytest.fixture
def control(qtbot) -> LengthControl:
    widget = LengthControl(settle_ms=30)
    qtbot.addWidget(widget)
    widget.resize(700, 200)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_choices(CHOICES, PRESETS, 5.0, "morning")
    return widget


def type_length(qtbot, control: LengthControl, text: str) -> None:
    control.typed.clear()
    qtbot.keyClicks(control.typed, text)
    qtbot.keyClick(control.typed, Qt.Key.Key_Return)


def test_a_typed_length_in_minutes_and_seconds(qtbot, control: LengthControl) -> None:
    with qtbot.waitSignal(control.minutes_changed) as blocker:
        type_length(qtbot, control, "7:30")
    assert blocker.args == [7.5]
    assert control.minutes() == 7.5
    assert control.label.text() == "Length: 7 min 30 s"  # as the plan shows it, 7:30
    assert control.typed.text() == ""  # taken
    type_length(qtbot, control, "6 min 20 s")  # between two stops: kept as typed
    assert control.minutes() == pytest.approx(6 + 1 / 3)
    assert control.label.text() == "Length: 6 min 20 s"
    assert not control.problem.isVisible()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("30", "This routine runs from 3 to 8 minutes, not 30 min."),
        ("2:59", "This routine runs from 3 to 8 minutes, not 2 min 59 s."),
        ("soon", "Type a length such as 7:30, 7.5 or 450s."),
    ],
)
def test_a_length_the_routine_cannot_take_shows_why_and_keeps_the_old_one(
    qtbot, control: LengthControl, text: str, reason: str
) -> None:
    with qtbot.assertNotEmitted(control.minutes_changed):
        type_length(qtbot, control, text)
    assert control.problem.isVisible()
    assert control.problem.text() == reason
    assert control.minutes() == 5.0
    assert control.typed.text() == text  # left to be corrected
    type_length(qtbot, control, "4")
    assert not control.problem.isVisible() and control.minutes() == 4.0


def test_presets_are_the_usual_lengths_and_mark_the_current_one(
    qtbot, control: LengthControl
) -> None:
    assert [b.text() for b in control.preset_buttons] == ["3 min", "5 min"]
    assert [b.isChecked() for b in control.preset_buttons] == [False, True]
    with qtbot.waitSignal(control.minutes_changed) as blocker:
        qtbot.mouseClick(control.preset_buttons[0], Qt.MouseButton.LeftButton)
    assert blocker.args == [3.0]
    assert [b.isChecked() for b in control.preset_buttons] == [True, False]


def test_a_held_arrow_keeps_only_the_length_it_stops_at(qtbot, control: LengthControl) -> None:
    settled: list[tuple[str, float]] = []
    control.settled.connect(lambda owner, minutes: settled.append((owner, minutes)))
    for _ in range(4):  # as key repeat would
        control.step(+1)
    assert settled == []  # nothing kept while the length still moves
    qtbot.waitUntil(lambda: settled == [("morning", 7.0)], timeout=2000)
    control.step(-1)
    control.hide()  # a session starts or the window closes: kept at once
    assert settled[-1] == ("morning", 6.5)


def test_steps_go_to_the_next_stop_from_a_typed_length(qtbot, control: LengthControl) -> None:
    type_length(qtbot, control, "6:10")
    control.step(+1)
    assert control.minutes() == 6.5
    type_length(qtbot, control, "6:10")
    control.step(-1)
    assert control.minutes() == 6.0
    type_length(qtbot, control, "8")
    control.step(+1)  # the longest already: stays
    assert control.minutes() == 8.0


def test_length_words() -> None:
    assert length_words(5) == "5 minutes"
    assert length_words(7.5) == "7 min 30 s"
    assert length_words(7 + 1 / 3) == "7 min 20 s"


# ---------------------------------------------------------------------- in the window


def choose(qtbot, window: MainWindow, routine_id: str) -> None:
    routines = window.start_view.routine_list
    for row in range(routines.count()):
        if routines.item(row).data(Qt.ItemDataRole.UserRole) == routine_id:
            routines.setCurrentRow(row)
            return
    raise AssertionError(routine_id)


def test_each_routine_keeps_its_length_without_starting(
    qtbot, make_window, data_dir: DataPaths
) -> None:
    window = make_window(Settings(last_routine="morning-wake-up"))
    view = window.start_view
    assert view.selected_routine_id() == "morning-wake-up" and view.minutes() == 5.0
    press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_Right)
    assert view.minutes() == 6.0
    choose(qtbot, window, "extended-sculpt")
    type_length(qtbot, view.length_control, "16:30")
    assert view.minutes() == 16.5
    choose(qtbot, window, "morning-wake-up")
    assert view.minutes() == 6.0
    assert window.start_screen.minutes == 6.0
    choose(qtbot, window, "extended-sculpt")
    assert view.minutes() == 16.5
    assert window.controller is None  # nothing was started
    kept = load_settings(data_dir.settings).settings
    assert kept.minutes_by_routine == {"morning-wake-up": 6.0, "extended-sculpt": 16.5}
    assert kept.last_routine == "morning-wake-up"  # only starting a routine changes it


def test_a_length_still_settling_is_kept_when_the_window_closes(
    qtbot, make_window, data_dir: DataPaths
) -> None:
    window = make_window()  # quick-glow at 1.5 minutes
    press(qtbot, window, Qt.Key.Key_Right)
    assert not data_dir.settings.exists()  # still settling
    window.close()
    assert load_settings(data_dir.settings).settings.minutes_by_routine == {QUICK_ID: 2.0}


@pytest.mark.parametrize(
    ("routine_id", "presets"),
    [
        ("morning-wake-up", ["3 min", "5 min"]),
        ("gua-sha-lymphatic", ["5 min", "10 min"]),
        ("extended-sculpt", ["15 min", "20 min"]),
        (QUICK_ID, []),  # 1.5 to 2.5 minutes: none of the usual lengths fits
    ],
)
def test_the_presets_shown_match_the_routine(
    qtbot, make_window, routine_id: str, presets: list[str]
) -> None:
    window = make_window()
    choose(qtbot, window, routine_id)
    assert [b.text() for b in window.start_view.preset_buttons] == presets


def test_typing_a_length_on_the_start_screen_takes_no_window_keys(qtbot, make_window) -> None:
    coach = RecordingCoach()
    window = make_window(Settings(last_routine="morning-wake-up"), coach=coach)
    typed = window.start_view.length_control.typed
    typed.setFocus()
    type_length(qtbot, window.start_view.length_control, "7m30s")  # M would mute, F full screen
    assert window.start_view.minutes() == 7.5
    assert not window.voice.muted and coach.muted is None
    assert window.start_view.routine_list.hasFocus()  # Enter now starts, arrows change it
    assert window.start_screen.preview() is not None
    assert window.start_screen.minutes == 7.5


def test_esc_up_and_down_leave_the_typed_length(qtbot, make_window) -> None:
    window = make_window()
    view = window.start_view
    typed = view.length_control.typed
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Down, Qt.Key.Key_Up):
        typed.setFocus()
        qtbot.waitUntil(typed.hasFocus)
        qtbot.keyClicks(typed, "99")
        qtbot.keyClick(typed, key)
        assert view.routine_list.hasFocus(), key
        assert (typed.text() == "") is (key == Qt.Key.Key_Escape)
        typed.clear()


@pytest.mark.parametrize("scale", [0.8, 1.0, 1.3])
def test_the_typed_field_arriving_after_the_first_frame_moves_nothing(qtbot, scale: float) -> None:
    # The field is made right after the first frame; its slot already has its size.
    from facegym_desktop.ui.theme import LIGHT

    widget = LengthControl(theme=LIGHT.scaled(scale))
    qtbot.addWidget(widget)
    widget.set_choices(CHOICES, PRESETS, 5.0, "morning")
    widget.show()
    qtbot.waitExposed(widget)
    before = (widget.sizeHint().height(), widget.slider.y())
    field = widget.typed
    qtbot.waitUntil(lambda: field.isVisible())
    widget.layout().activate()
    assert (widget.sizeHint().height(), widget.slider.y()) == before
