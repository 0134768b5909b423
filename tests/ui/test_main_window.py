"""The main window as a person at the mirror uses it: keys only, on a fake clock.

Every test builds a real MainWindow on a fresh data folder with a clock that moves
only when the test says so; frames are driven by calling the controller's
``tick()``, the way its frame timer would.  Nothing sleeps.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QImage

from facegym_desktop.core.library import load_library
from facegym_desktop.core.settings import Settings, load_settings
from facegym_desktop.paths import DataPaths, builtin_routines_dir
from facegym_desktop.ui.actions import ActionId
from facegym_desktop.ui.session_controller import FRAME_MS
from facegym_desktop.ui.theme import DARK, LIGHT
from tests.ui.fakes import FakeDesktop, RecordingCoach
from tests.ui.window_driver import (
    QUICK_ID,
    FakeClock,
    engine,
    press,
    run_for,
    run_until,
    start_session,
)


class PaintCounter(QObject):
    def __init__(self, *widgets: QObject) -> None:
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


# ---------------------------------------------------------------------- the flow


def test_full_flow_start_session_finish_and_back(qtbot, make_window, clock: FakeClock) -> None:
    window = make_window()
    assert window.start_view.selected_routine_id() == QUICK_ID
    start_session(qtbot, window)
    session = engine(window)
    assert session.total_seconds == pytest.approx(90.0)
    assert window.session_view.move_label.text() == "Get ready"
    assert window.session_view.side_panel.currentWidget() is window.session_view.checklist
    assert "Clean hands" in window.session_view.checklist.text()

    seen_moves = []
    while window.controller.running:
        run_for(window, clock, 1.0)
        title = window.session_view.move_label.text()
        if not seen_moves or seen_moves[-1] != title:
            seen_moves.append(title)
    assert clock.now - 5000.0 == pytest.approx(90.0, abs=1.0)
    assert "Chin flicks" in seen_moves
    assert "Switch sides" in seen_moves
    assert any(title.startswith("Gua sha jawline") and "left" in title for title in seen_moves)
    assert any(title.startswith("Gua sha jawline") and "right" in title for title in seen_moves)

    assert window.stack.currentWidget() is window.finish_view
    assert window.finish_view.title.text() == "Well done"
    assert "2 of 2 moves" in window.finish_view.details.text()
    assert not window.action_table[ActionId.PAUSE].isEnabled()
    assert not window.controller.timer_active

    press(qtbot, window, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.start_view
    assert window.start_view.selected_routine_id() == QUICK_ID
    # Two keystrokes again start the next session.
    start_session(qtbot, window)


def test_escape_on_the_finish_screen_also_returns(qtbot, make_window, clock: FakeClock) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_until(window, clock, lambda: not window.controller.running)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.start_view


def test_arrows_on_the_start_screen_pick_routine_and_length(qtbot, make_window, clock) -> None:
    window = make_window()
    view = window.start_view
    first = view.selected_routine_id()  # the user's routine, listed last
    press(qtbot, window, Qt.Key.Key_Up)
    second = view.selected_routine_id()
    assert second != first
    before = view.minutes()
    press(qtbot, window, Qt.Key.Key_Right)
    assert view.minutes() > before
    chosen = view.minutes()
    press(qtbot, window, Qt.Key.Key_Return)
    routine = window.library.routine(second)
    assert engine(window).plan.routine_id == second
    # The planner lands within a second of any length the routine allows.
    assert routine.min_minutes <= chosen <= routine.max_minutes
    assert engine(window).total_seconds == pytest.approx(chosen * 60, abs=1.0)


# ---------------------------------------------------------------------- every key


def test_space_pauses_and_resumes(qtbot, make_window, clock: FakeClock) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_for(window, clock, 20)
    position = engine(window).position
    press(qtbot, window, Qt.Key.Key_Space)
    assert engine(window).state.value == "paused"
    assert window.session_view.banner.isVisibleTo(window)
    assert "Space" in window.session_view.banner.text()
    clock.now += 30
    assert engine(window).position == pytest.approx(position)
    press(qtbot, window, Qt.Key.Key_Space)
    assert engine(window).state.value == "running"
    assert not window.session_view.banner.isVisibleTo(window)
    run_for(window, clock, 2)
    assert engine(window).position == pytest.approx(position + 2)


def test_right_and_left_move_between_moves(qtbot, make_window, clock: FakeClock) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_for(window, clock, 2)  # still preparing
    press(qtbot, window, Qt.Key.Key_Right)
    assert engine(window).current.move_id == "chin-flicks"
    assert window.session_view.move_label.text() == "Chin flicks"
    press(qtbot, window, Qt.Key.Key_Right)
    assert engine(window).current.move_id == "gua-sha-jawline"
    assert engine(window).current.side == "left"
    press(qtbot, window, Qt.Key.Key_Left)  # near the start of a move: back one move
    assert engine(window).current.move_id == "chin-flicks"
    run_for(window, clock, 6)
    press(qtbot, window, Qt.Key.Key_Left)  # well into a move: back to its start
    assert engine(window).current.move_id == "chin-flicks"
    assert engine(window).position == pytest.approx(engine(window).current.start)


def test_r_restarts_the_current_move(qtbot, make_window, clock: FakeClock) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_until(window, clock, lambda: engine(window).current.move_id == "chin-flicks")
    run_for(window, clock, 10)
    segment = engine(window).current
    assert engine(window).position > segment.start + 9
    press(qtbot, window, Qt.Key.Key_R)
    assert engine(window).current == segment
    assert engine(window).position == pytest.approx(segment.start)
    assert window.session_view.ring.fraction == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("key", "change"), [(Qt.Key.Key_Plus, 10), (Qt.Key.Key_Equal, 10), (Qt.Key.Key_Minus, -10)]
)
def test_plus_and_minus_change_the_move_and_the_total(
    qtbot, make_window, clock, key, change
) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_until(window, clock, lambda: engine(window).current.move_id == "chin-flicks")
    run_for(window, clock, 1)
    total = engine(window).total_seconds
    move_length = engine(window).current.duration
    time_left = window.session_view.time_left_label.text()
    press(qtbot, window, key)
    assert engine(window).total_seconds == pytest.approx(total + change)
    assert engine(window).current.duration == pytest.approx(move_length + change)
    assert window.session_view.time_left_label.text() != time_left


def test_plus_during_preparation_changes_nothing(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    total = engine(window).total_seconds
    press(qtbot, window, Qt.Key.Key_Plus)
    assert engine(window).total_seconds == total


def test_m_mutes_and_unmutes_and_remembers(qtbot, make_window, clock, data_dir: DataPaths) -> None:
    coach = RecordingCoach()
    window = make_window(coach=coach)
    start_session(qtbot, window)
    assert coach.muted is False
    press(qtbot, window, Qt.Key.Key_M)
    assert coach.muted is True
    assert window.action_table[ActionId.MUTE].isChecked()
    assert window.session_view.notice.isVisibleTo(window)
    assert load_settings(data_dir.settings).settings.muted is True
    press(qtbot, window, Qt.Key.Key_M)
    assert coach.muted is False
    assert not window.session_view.notice.isVisibleTo(window)
    assert load_settings(data_dir.settings).settings.muted is False


def test_f_toggles_full_screen(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F)
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    press(qtbot, window, Qt.Key.Key_F)
    assert not window.windowState() & Qt.WindowState.WindowFullScreen
    press(qtbot, window, Qt.Key.Key_F11)
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    # Full screen keeps the session going.
    assert engine(window).state.value == "running"


def test_escape_asks_then_a_second_escape_stops(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_until(window, clock, lambda: engine(window).current.move_id == "chin-flicks")
    run_for(window, clock, 20)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert engine(window).state.value == "running"
    assert window.stack.currentWidget() is window.session_view
    assert "Esc" in window.session_view.banner.text()
    press(qtbot, window, Qt.Key.Key_Escape)
    assert engine(window).state.value == "stopped"
    assert window.stack.currentWidget() is window.finish_view
    assert window.finish_view.title.text() == "Session stopped"
    assert "1 of 2 moves" in window.finish_view.details.text()


def test_a_lone_escape_expires_and_does_not_stop(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.session_view.banner.isVisibleTo(window)
    window.controller.cancel_stop()  # what the confirmation timer does when it runs out
    assert not window.session_view.banner.isVisibleTo(window)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert engine(window).state.value == "running"


def test_session_keys_do_nothing_on_the_start_screen(qtbot, make_window, clock) -> None:
    window = make_window()
    for key in (Qt.Key.Key_Space, Qt.Key.Key_R, Qt.Key.Key_Escape, Qt.Key.Key_Plus):
        press(qtbot, window, key)
    assert window.controller is None
    assert window.stack.currentWidget() is window.start_view


def test_every_action_and_control_has_a_name(make_window) -> None:
    window = make_window()
    for action in window.actions():
        assert action.text(), action
        assert action.shortcuts(), action.text()
    view = window.session_view
    for widget in (
        view.move_label,
        view.caption,
        view.next_label,
        view.time_left_label,
        view.hints,
    ):
        assert widget.accessibleName()
    for widget in (
        window.start_view.routine_list,
        window.start_view.slider,
        window.start_view.start_button,
    ):
        assert widget.accessibleName()


# ---------------------------------------------------------------------- what is shown


def test_ctrl_i_mirrors_the_face_map(qtbot, make_window, clock, data_dir: DataPaths) -> None:
    window = make_window(
        Settings(last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5}, mirror=False)
    )
    face = window.session_view.face_map
    start_session(qtbot, window)
    # A one-sided move: the lit side must change place when the picture is mirrored.
    run_until(window, clock, lambda: engine(window).current.side == "left")
    run_for(window, clock, 1)
    assert not face.mirrored
    plain: QImage = face.grab().toImage()
    press(qtbot, window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert face.mirrored
    assert window.action_table[ActionId.MIRROR].isChecked()
    flipped: QImage = face.grab().toImage()
    assert flipped != plain
    # Flipping a mirrored picture back gives the plain one.
    back = flipped.flipped(Qt.Orientation.Horizontal)
    assert back == plain or _mostly_equal(back, plain)
    assert load_settings(data_dir.settings).settings.mirror is True


def _mostly_equal(first: QImage, second: QImage) -> bool:
    """Equal but for antialiasing on a column or two where the width is odd."""
    if first.size() != second.size():
        return False
    differing = 0
    step = 3
    for y in range(0, first.height(), step):
        for x in range(0, first.width(), step):
            if first.pixel(x, y) != second.pixel(x, y):
                differing += 1
    total = (first.height() // step + 1) * (first.width() // step + 1)
    return differing / total < 0.02


def test_pressure_guide_shows_each_area_at_its_level(qtbot, make_window, clock) -> None:
    window = make_window()
    guide = window.session_view.guide
    start_session(qtbot, window)
    checked = set()
    for step in window.library.routine(QUICK_ID).steps:
        move = step.move
        run_until(
            window,
            clock,
            lambda m=move: (
                engine(window).current.move_id == m.id and engine(window).current.kind == "move"
            ),
        )
        run_for(window, clock, 1)
        assert window.session_view.side_panel.currentWidget() is guide
        shown = {row.area_id: row.level_id for row in guide.rows()}
        assert shown == dict(move.pressure)
        assert window.session_view.ring.pressure_level in move.pressure.values()
        checked.add(move.id)
    assert checked == {"chin-flicks", "gua-sha-jawline"}


def test_pressure_guide_warns_for_delicate_areas(qtbot, make_window, clock) -> None:
    window = make_window(
        Settings(last_routine="morning-wake-up", minutes_by_routine={"morning-wake-up": 3})
    )
    guide = window.session_view.guide
    start_session(qtbot, window)
    run_until(
        window,
        clock,
        lambda: (
            engine(window).current.move_id == "lymphatic-drainage-face"
            and engine(window).current.kind == "move"
        ),
    )
    shown = {row.area_id: row.level_id for row in guide.rows()}
    assert shown["under-eyes"] == "feather"
    assert any("under" in line.lower() and "eye" in line.lower() for line in guide.caution_lines())


def test_ring_description_changes_at_boundaries_only(qtbot, make_window, clock) -> None:
    window = make_window()
    ring = window.session_view.ring
    start_session(qtbot, window)
    descriptions = [ring.accessibleDescription()]
    changes = 0
    frames = 0
    while window.controller.running:
        run_for(window, clock, 0.1, step=0.1)
        frames += 1
        current = ring.accessibleDescription()
        if current != descriptions[-1]:
            descriptions.append(current)
            changes += 1
    segments = engine(window).segments
    assert frames > 10 * len(segments)
    assert changes == len(segments) - 1
    for description, segment in zip(descriptions, segments, strict=True):
        assert description.startswith(segment.name)


def test_captions_show_every_cue_even_when_muted(qtbot, make_window, clock) -> None:
    coach = RecordingCoach()
    window = make_window(
        Settings(
            last_routine="morning-wake-up", minutes_by_routine={"morning-wake-up": 3}, muted=True
        ),
        coach=coach,
    )
    start_session(qtbot, window)
    assert coach.muted is True
    assert window.session_view.notice.isVisibleTo(window)
    expected = [cue.text for cue in engine(window).cues]
    shown = [window.session_view.caption.text()]
    while window.controller.running:
        run_for(window, clock, 0.1, step=0.1)
        text = window.session_view.caption.text()
        if text != shown[-1]:
            shown.append(text)
    collapsed = [text for i, text in enumerate(expected) if i == 0 or text != expected[i - 1]]
    assert shown == collapsed
    # The muted coach was still told about every cue; it decides what to say.
    assert coach.cues == expected


def test_next_up_names_the_following_move(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    assert window.session_view.next_label.text().startswith("Next up: Chin flicks")
    run_until(window, clock, lambda: engine(window).current.move_id == "chin-flicks")
    assert window.session_view.next_label.text().startswith("Next up: Gua sha jawline")
    run_until(window, clock, lambda: engine(window).current.side == "right")
    assert window.session_view.next_label.text() == "Last move"


def test_a_transition_names_the_coming_move_once(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_until(window, clock, lambda: engine(window).current.kind == "transition")
    view = window.session_view
    coming = engine(window).next_move()
    assert view.move_label.text() == coming.name
    assert view.next_label.text().startswith("Starts in a moment · ")
    shown = [view.move_label.text(), view.caption.text(), view.next_label.text()]
    assert sum(text.count(coming.name) for text in shown) <= 2  # title, and the spoken cue


# ---------------------------------------------------------------------- repainting


def test_no_frames_and_no_paints_while_paused(qtbot, make_window, clock) -> None:
    window = make_window()
    view = window.session_view
    start_session(qtbot, window)
    controller = window.controller
    assert controller.timer_active
    run_for(window, clock, 3)
    paints = PaintCounter(view.ring, view.face_map)
    run_for(window, clock, 1)
    qtbot.waitUntil(lambda: paints.count > 0)  # running: the ring does repaint

    press(qtbot, window, Qt.Key.Key_Space)
    assert not controller.timer_active
    QGuiApplication.processEvents()
    paused_at, paints.count = view.time_left_label.text(), 0
    clock.now += 120  # long past the end of the session: still nothing moves
    for _ in range(20):
        QGuiApplication.processEvents()
    assert view.time_left_label.text() == paused_at
    assert paints.count == 0
    assert engine(window).state.value == "paused"

    press(qtbot, window, Qt.Key.Key_Space)
    assert controller.timer_active
    assert controller.timer_interval_ms == FRAME_MS
    run_for(window, clock, 1)
    assert view.time_left_label.text() != paused_at
    qtbot.waitUntil(lambda: paints.count > 0)


def test_the_frame_timer_really_ticks_while_running(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    label = window.session_view.time_left_label
    shown = label.text()
    clock.now += 2  # only a real tick of the frame timer can show the time that passed
    qtbot.waitUntil(lambda: label.text() != shown, timeout=2000)


def test_no_paints_while_minimised_and_frames_resume_after(qtbot, make_window, clock) -> None:
    window = make_window()
    view = window.session_view
    start_session(qtbot, window)
    controller = window.controller
    run_for(window, clock, 5)
    window.showMinimized()
    assert window.isMinimized()
    assert controller.timer_active  # time and cues go on ...
    assert controller.timer_interval_ms <= 250  # ... on a slow tick, or sooner when due
    for _ in range(5):
        QGuiApplication.processEvents()
    # Watch every widget of the application, not only the painted ones: a changed
    # label would repaint the window too.
    paints = PaintCounter(QGuiApplication.instance())
    hidden_at = view.time_left_label.text()
    run_for(window, clock, 40)  # past the end of chin flicks: segments and cues change
    for _ in range(10):
        QGuiApplication.processEvents()
    assert engine(window).current.move_id == "gua-sha-jawline"
    assert view.time_left_label.text() == hidden_at
    assert paints.count == 0

    window.showNormal()
    assert controller.timer_interval_ms == FRAME_MS
    assert view.time_left_label.text() != hidden_at  # a fresh frame at once on return
    # Everything that happened while hidden is shown on return.
    assert view.move_label.text().startswith("Gua sha jawline")
    assert {row.area_id for row in view.guide.rows()} == set(engine(window).current.pressure)
    last_cue = [c.text for c in engine(window).cues if c.at <= engine(window).position][-1]
    assert view.caption.text() == last_cue
    assert view.ring.fraction == pytest.approx(engine(window).segment_fraction_remaining, abs=0.01)
    qtbot.waitUntil(lambda: paints.count > 0)


def test_pausing_while_minimised_shows_the_banner_on_return(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    window.showMinimized()
    window.controller.toggle_pause()
    assert not window.controller.timer_active
    window.showNormal()
    assert window.session_view.banner.isVisibleTo(window)
    assert not window.controller.timer_active


def test_a_session_finished_while_minimised_stops_the_timer(qtbot, make_window, clock) -> None:
    window = make_window()
    start_session(qtbot, window)
    window.showMinimized()
    run_for(window, clock, 100)
    assert not window.controller.running
    assert not window.controller.timer_active
    assert window.stack.currentWidget() is window.finish_view


# ---------------------------------------------------------------------- settings and files


def test_settings_survive_a_new_window(qtbot, make_window, clock, data_dir: DataPaths) -> None:
    window = make_window(Settings())
    assert window.theme is LIGHT
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.theme is DARK
    press(qtbot, window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # default is mirrored
    window.start_view.routine_list.setFocus()
    press(qtbot, window, Qt.Key.Key_Down)
    press(qtbot, window, Qt.Key.Key_Down)
    chosen = window.start_view.selected_routine_id()
    press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_Right)
    minutes = window.start_view.minutes()
    press(qtbot, window, Qt.Key.Key_Return)
    window.close()

    saved = load_settings(data_dir.settings)
    assert saved.problems == []
    assert saved.settings.theme == "dark"
    assert saved.settings.mirror is False
    assert saved.settings.last_routine == chosen
    assert saved.settings.minutes_by_routine[chosen] == minutes

    again = make_window(saved.settings)
    assert again.theme is DARK
    assert again.action_table[ActionId.DARK_THEME].isChecked()
    assert not again.session_view.face_map.mirrored
    assert not again.action_table[ActionId.MIRROR].isChecked()
    assert again.start_view.selected_routine_id() == chosen
    assert again.start_view.minutes() == minutes
    assert f"{minutes:g} minutes" in again.start_view.length_label.text()


def test_a_broken_user_routine_is_named_and_the_rest_load(
    qtbot, make_window, data_dir: DataPaths
) -> None:
    (data_dir.user_routines / "broken.toml").write_text(
        'id = "oops"\nname = [unclosed\n', encoding="utf-8"
    )
    (data_dir.user_routines / "bad-step.toml").write_bytes(b"\xff\xfe not text")
    window = make_window()
    notice = window.start_view.notice
    assert notice.isVisibleTo(window)
    assert "broken.toml" in notice.text()
    assert "bad-step.toml" in notice.text()
    listed = {
        window.start_view.routine_list.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(window.start_view.routine_list.count())
    }
    builtin = set(load_library(builtin_routines_dir(), data_dir.root / "nowhere").routines)
    assert listed == builtin | {QUICK_ID}


def test_a_broken_settings_file_gives_a_notice_and_defaults(
    qtbot, make_window, data_dir: DataPaths
) -> None:
    broken = '{"theme": "dark", "mirror": fals'
    data_dir.settings.write_text(broken, encoding="utf-8")
    loaded = load_settings(data_dir.settings)  # as the app does at start-up
    assert loaded.settings == Settings()
    window = make_window(loaded.settings, notices=loaded.problems)
    assert window.start_view.notice.isVisibleTo(window)
    assert "settings.json" in window.start_view.notice.text()
    assert window.theme is LIGHT
    kept = [p for p in data_dir.root.iterdir() if p.name.startswith("settings.json.")]
    assert len(kept) == 1
    assert kept[0].read_text(encoding="utf-8") == broken
    # Saving new settings later never touches the kept copy.
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert json.loads(data_dir.settings.read_text(encoding="utf-8"))["theme"] == "dark"
    assert kept[0].read_text(encoding="utf-8") == broken


def test_a_bad_value_in_settings_keeps_the_good_ones(make_window, data_dir: DataPaths) -> None:
    data_dir.settings.write_text(
        json.dumps({"version": 1, "theme": "dark", "mirror": "yes"}), encoding="utf-8"
    )
    loaded = load_settings(data_dir.settings)
    window = make_window(loaded.settings, notices=loaded.problems)
    assert window.theme is DARK
    assert "mirror" in window.start_view.notice.text()


# ---------------------------------------------------------------------- history and one-off mute


@pytest.mark.parametrize("fail", [False, True])
def test_the_session_is_saved_and_reported_even_when_saving_fails(
    qtbot, make_window, clock, inline_bridge, history_store, fail: bool
) -> None:
    history_store.fail_finish = fail
    window = make_window(bridge=inline_bridge)
    start_session(qtbot, window)
    with qtbot.waitSignal(window.session_saved, timeout=2000):
        run_until(window, clock, lambda: not window.controller.running)
    (record,) = history_store.sessions()
    # chin flicks, then each side of the jaw, each saved as it ended
    assert len(history_store.moves(record.id)) == 3
    assert record.status == ("in_progress" if fail else "completed")
    saved = window.finish_view.saved.text()
    assert ("disk full" in saved) if fail else (saved == "Saved to your history.")
    # The next session is saved once, not twice.
    press(qtbot, window, Qt.Key.Key_Return)
    start_session(qtbot, window)
    history_store.fail_finish = False
    saves = []
    window.session_saved.connect(lambda: saves.append(1))
    run_until(window, clock, lambda: not window.controller.running)
    qtbot.waitUntil(lambda: len(saves) == 1)
    with qtbot.assertNotEmitted(window.session_saved, wait=50):
        pass
    assert history_store.sessions()[0].status == "completed"


def test_mute_for_one_run_leaves_the_setting_alone(qtbot, make_window, clock, data_dir) -> None:
    coach = RecordingCoach()
    window = make_window(coach=coach)
    window.voice.mute_for_this_run()
    assert window.action_table[ActionId.MUTE].isChecked()
    start_session(qtbot, window)  # starting saves the choice of routine and length
    assert coach.muted is True
    assert window.session_view.notice.isVisibleTo(window)
    assert load_settings(data_dir.settings).settings.muted is False
    press(qtbot, window, Qt.Key.Key_M)  # the person unmutes: that is remembered
    assert coach.muted is False
    assert load_settings(data_dir.settings).settings.muted is False
    press(qtbot, window, Qt.Key.Key_M)
    assert load_settings(data_dir.settings).settings.muted is True


# ---------------------------------------------------------------------- sizes


@pytest.mark.parametrize(("width", "height"), [(900, 600), (1280, 800), (1920, 1080)])
def test_the_session_fits_small_and_large_windows(qtbot, make_window, clock, width, height) -> None:
    window = make_window()
    start_session(qtbot, window)
    run_until(window, clock, lambda: engine(window).current.side == "left")
    window.resize(width, height)
    QGuiApplication.processEvents()
    assert (window.width(), window.height()) == (width, height)
    view = window.session_view
    ring = view.ring
    assert min(ring.width(), ring.height()) >= min(width, height) * 0.3
    labels = [view.move_label, view.technique_label, view.caption, view.next_label, view.hints]
    for label in labels:
        assert label.isVisibleTo(window)
        # Whole lines: the label has the height its wrapped text needs at its width.
        needed = (
            label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
        )
        assert label.height() >= needed - 1, (label.accessibleName(), label.height(), needed)
        assert view.rect().contains(label.geometry()), label.accessibleName()
    guide = view.guide
    assert view.side_panel.geometry().right() <= view.width()
    assert guide.width() >= guide.minimumSizeHint().width()
    if width >= 1900:
        assert view.text_scale > 1
    if width <= 900:
        assert view.text_scale < 1


def test_views_built_after_a_theme_or_mirror_change_follow_it(
    qtbot, make_window, clock, data_dir: DataPaths
) -> None:
    window = make_window(
        Settings(last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5}, mirror=False)
    )
    # The start screen comes up alone; the other views wait until a session needs them.
    assert window.stack.count() == 1
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    start_session(qtbot, window)
    assert DARK.background in window.session_view.styleSheet()
    assert window.session_view.face_map.mirrored
    run_until(window, clock, lambda: window.stack.currentWidget() is window.finish_view)
    assert DARK.background in window.finish_view.styleSheet()
    assert window.stack.count() == 3


def test_the_system_theme_follows_the_desktop_until_chosen_by_hand(
    qtbot, make_window, data_dir: DataPaths
) -> None:
    desktop = FakeDesktop(dark=True)
    window = make_window(Settings(last_routine=QUICK_ID, theme="system"), desktop=desktop)
    follow, dark = (window.action_table[i] for i in (ActionId.FOLLOW_DESKTOP, ActionId.DARK_THEME))
    assert window.theme is DARK
    assert follow.isChecked() and dark.isChecked()
    # The desktop switches to light: the window follows.
    desktop.switch(dark=False)
    assert window.theme is LIGHT and not dark.isChecked()
    # Ctrl+D is a choice by hand: it stops following the desktop.
    press(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.theme is DARK and not follow.isChecked()
    desktop.switch(dark=False)
    assert window.theme is DARK
    assert load_settings(data_dir.settings).settings.theme == "dark"
    # Following again takes the desktop's current choice.
    follow.trigger()
    assert window.theme is LIGHT
    assert load_settings(data_dir.settings).settings.theme == "system"


def test_the_routine_tools_are_made_once_when_first_asked_for(qtbot, data_dir: DataPaths) -> None:
    from facegym_desktop.ui.main_window import MainWindow

    window = MainWindow(data_dir, load_library(builtin_routines_dir()), Settings())
    qtbot.addWidget(window)
    # Until then the Routine menu's entries are not connected (the app asks for the
    # tools right after the first frame).
    new_routine = window.action_table[ActionId.NEW_ROUTINE]
    before = new_routine.receivers("2triggered(bool)")
    tools = window.routine_tools
    assert window.routine_tools is tools
    assert new_routine.receivers("2triggered(bool)") == before + 1
    window.close()  # closing asks the tools' builders (none open) and closes
    assert not window.isVisible()
