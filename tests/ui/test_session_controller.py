"""The session controller on its own: timers, view updates and the voice, on a fake clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor

from facegym_desktop.core.planner import SegmentKind, plan
from facegym_desktop.core.routine import Step, Stroke
from facegym_desktop.core.timefmt import clock_text
from facegym_desktop.ui.face_map import FaceMapWidget
from facegym_desktop.ui.session_controller import (
    FRAME_MS,
    HIDDEN_TICK_MS,
    STOP_CONFIRM_MS,
    SessionController,
)
from facegym_desktop.ui.session_view import SessionView
from tests.factories import FakeClock, FakeTimer, FakeTimers, counted_move, routine_of, timed_move


class Coach:
    def __init__(self) -> None:
        self.calls: list[str] = []
        self.cues: list[str] = []

    def prepare(self, plan: Any) -> None:
        self.calls.append("prepare")

    def cue_due(self, cue: Any) -> None:
        self.cues.append(cue.text)

    def set_muted(self, muted: bool) -> None:
        self.calls.append(f"set_muted {muted}")

    def pause(self) -> None:
        self.calls.append("pause")

    def resume(self) -> None:
        self.calls.append("resume")

    def skipped(self) -> None:
        self.calls.append("skipped")

    def stop(self) -> None:
        self.calls.append("stop")


ROUTINE = routine_of(
    timed_move("glide", 40, 20, 90),
    counted_move("lift", reps=8, low=4, high=12, seconds_per_rep=4.0),
    minutes=(2, 3, 4),
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(now=100.0, wall=1_800_000_000.0)


@pytest.fixture
def view(qtbot) -> SessionView:
    widget = SessionView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


@pytest.fixture
def coach() -> Coach:
    return Coach()


@pytest.fixture
def timers() -> FakeTimers:
    return FakeTimers()


@pytest.fixture
def controller(qtbot, view: SessionView, clock: FakeClock, coach: Coach, timers: FakeTimers):
    made = SessionController(
        plan(ROUTINE, 2),
        ROUTINE,
        view,
        coach=coach,
        clock=clock,
        wall_clock=clock.wall_clock,
        timers=timers,
    )
    yield made
    made.shutdown()


@pytest.fixture
def frame_timer(controller: SessionController, timers: FakeTimers) -> FakeTimer:
    return timers.only(single_shot=False)


@pytest.fixture
def stop_timer(controller: SessionController, timers: FakeTimers) -> FakeTimer:
    return timers.only(single_shot=True)


def play(frame_timer: FakeTimer, clock: FakeClock, seconds: float, step: float = 0.2) -> None:
    """Let fake time pass, firing the frame timer every ``step`` seconds while it runs."""
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        clock.advance(min(step, end - clock.now))
        if frame_timer.isActive():
            frame_timer.fire()


def test_timer_runs_fast_while_visible_slow_while_hidden_and_stops_when_paused(
    controller: SessionController, frame_timer: FakeTimer
) -> None:
    assert not frame_timer.isActive()  # nothing before the start
    controller.start()
    assert frame_timer.isActive() and controller.timer_active
    assert frame_timer.interval() == controller.timer_interval_ms == FRAME_MS
    controller.set_visible(False)
    assert frame_timer.interval() <= HIDDEN_TICK_MS
    controller.set_visible(True)
    assert frame_timer.interval() == FRAME_MS
    controller.toggle_pause()
    assert not frame_timer.isActive() and not controller.timer_active
    controller.set_visible(False)
    controller.set_visible(True)
    assert not frame_timer.isActive()  # showing the window does not wake a paused session
    controller.toggle_pause()
    assert frame_timer.isActive()


def test_frames_are_shown_only_while_visible_and_running(
    controller: SessionController, view: SessionView, frame_timer: FakeTimer, clock: FakeClock
) -> None:
    controller.start()
    play(frame_timer, clock, 2)
    assert view.ring.fraction < 1
    controller.set_visible(False)
    hidden_at = (view.ring.fraction, view.time_left_label.text())
    play(frame_timer, clock, 2)
    assert (view.ring.fraction, view.time_left_label.text()) == hidden_at
    controller.set_visible(True)  # a fresh frame at once on return
    assert view.ring.fraction < hidden_at[0]
    assert view.time_left_label.text() != hidden_at[1]
    controller.toggle_pause()
    # A stray tick while paused changes nothing on screen.
    ring_fraction = view.ring.fraction
    clock.advance(10)
    controller.tick()
    assert view.ring.fraction == ring_fraction


def test_remaining_time_follows_the_clock_not_the_ticks(
    controller: SessionController, view: SessionView, frame_timer: FakeTimer, clock: FakeClock
) -> None:
    controller.start()
    # Late, uneven ticks (each well under the stall threshold) still land on the clock.
    for gap in (1.5, 0.1, 1.9, 1.9, 0.6, *[1.9] * 10):
        clock.advance(gap)
        frame_timer.fire()
    assert controller.engine.position == pytest.approx(ROUTINE.prep_seconds + 10)
    segment = controller.engine.current
    assert segment.move_id == "glide"
    assert view.ring.fraction == pytest.approx(
        (segment.end - controller.engine.position) / segment.duration
    )
    total = controller.engine.total_seconds
    assert view.time_left_label.text() == f"{clock_text(total - controller.engine.position)} left"


def test_a_stopped_process_pauses_where_it_stopped_and_says_why(
    controller: SessionController,
    view: SessionView,
    coach: Coach,
    frame_timer: FakeTimer,
    clock: FakeClock,
) -> None:
    """A process stopped for four minutes (SIGSTOP, a debugger): both clocks move on,
    no tick comes, and the four minutes are not massage."""
    controller.start()
    play(frame_timer, clock, 30)
    position, active = controller.engine.position, controller.engine.active_seconds
    clock.advance(240)
    frame_timer.fire()
    assert controller.engine.state.value == "paused"
    assert controller.engine.position == pytest.approx(position)
    assert controller.engine.active_seconds == pytest.approx(active)
    assert view.banner.text() == "Paused: the app was not running for 4 min. Press Space to go on."
    assert coach.calls[-1] == "pause"
    assert not controller.timer_active
    controller.toggle_pause()  # Space: on from where it stopped
    assert not view.banner.text()
    play(frame_timer, clock, 1)
    assert controller.engine.position == pytest.approx(position + 1)


def test_a_frozen_loop_seen_first_by_a_key_pauses_before_the_key_acts(
    controller: SessionController, frame_timer: FakeTimer, clock: FakeClock
) -> None:
    ended = []
    controller.move_ended.connect(ended.append)
    controller.start()
    play(frame_timer, clock, ROUTINE.prep_seconds + 10)
    clock.advance(30)  # the event loop froze; the key press is handled first
    controller.next()
    engine = controller.engine
    assert engine.state.value == "paused"
    assert engine.current.move_id == "lift"
    assert [event.active_seconds for event in ended] == [pytest.approx(10)]
    assert engine.active_seconds == pytest.approx(ROUTINE.prep_seconds + 10)


def test_the_stall_threshold_follows_the_tick_interval(
    controller: SessionController, frame_timer: FakeTimer, clock: FakeClock
) -> None:
    controller.start()
    engine = controller.engine
    assert engine.tick_seconds == pytest.approx(frame_timer.interval() / 1000)
    controller.set_visible(False)
    play(frame_timer, clock, 3)
    assert engine.tick_seconds == pytest.approx(frame_timer.interval() / 1000)
    assert engine.stall_seconds >= 8 * engine.tick_seconds
    clock.advance(engine.stall_seconds * 0.9)  # late, but not a stall
    frame_timer.fire()
    assert engine.state.value == "running"


def test_counted_moves_show_the_rep_count(
    controller: SessionController, view: SessionView, frame_timer: FakeTimer, clock: FakeClock
) -> None:
    controller.start()
    while controller.engine.current.move_id != "lift" or controller.engine.current.kind != "move":
        play(frame_timer, clock, 0.5)
    segment = controller.engine.current
    play(frame_timer, clock, segment.reps_start - controller.engine.position + 4.5)
    assert view.ring.reps_text == f"2 of {segment.reps}"


def test_stop_needs_two_requests(
    controller: SessionController, view: SessionView, frame_timer: FakeTimer, clock
) -> None:
    ended = []
    controller.session_ended.connect(lambda summary, finished: ended.append((summary, finished)))
    controller.start()
    play(frame_timer, clock, 30)
    assert controller.request_stop() is False
    assert view.banner.text()
    assert controller.running
    assert controller.request_stop() is True
    assert not controller.running
    assert not controller.timer_active
    assert len(ended) == 1
    summary, finished = ended[0]
    assert finished is False
    assert summary.status == "partial"
    assert controller.request_stop() is False  # nothing left to stop


def test_session_ends_once_with_finished_true(
    controller: SessionController, frame_timer: FakeTimer, clock
) -> None:
    ended = []
    controller.session_ended.connect(lambda summary, finished: ended.append((summary, finished)))
    controller.start()
    play(frame_timer, clock, 200, step=1.0)
    assert len(ended) == 1
    assert ended[0][1] is True
    assert ended[0][0].status == "completed"
    assert not controller.timer_active


def test_moves_report_when_they_end(
    controller: SessionController, frame_timer: FakeTimer, clock
) -> None:
    ended = []
    controller.move_ended.connect(ended.append)
    controller.start()
    play(frame_timer, clock, 200, step=1.0)
    assert [event.segment.move_id for event in ended] == ["glide", "lift"]
    assert all(event.completed for event in ended)


def test_the_voice_follows_the_controls(
    controller: SessionController, coach: Coach, frame_timer: FakeTimer, clock
) -> None:
    controller.start()
    assert coach.calls[:2] == ["prepare", "set_muted False"]
    play(frame_timer, clock, 1)
    controller.toggle_pause()
    controller.toggle_pause()
    controller.next()
    controller.toggle_mute()
    controller.request_stop()
    controller.request_stop()
    assert coach.calls[2:] == ["pause", "resume", "skipped", "set_muted True", "stop"]


def test_every_cue_reaches_the_voice_and_the_caption(
    controller: SessionController, coach: Coach, view: SessionView, frame_timer: FakeTimer, clock
) -> None:
    controller.start()
    captions = [view.caption.text()]
    while controller.running:
        play(frame_timer, clock, 0.1, step=0.1)
        if view.caption.text() != captions[-1]:
            captions.append(view.caption.text())
    expected = [cue.text for cue in controller.engine.cues]
    assert coach.cues == expected
    assert set(captions) == set(expected)


def test_a_sleeping_machine_pauses_the_session_and_says_why(
    controller: SessionController, view: SessionView, frame_timer: FakeTimer, clock: FakeClock
) -> None:
    controller.start()
    play(frame_timer, clock, 5)
    clock.advance(0.2, slept=3600)
    frame_timer.fire()
    assert controller.engine.state.value == "paused"
    assert view.banner.text() == "Paused: the app was not running for 1 h. Press Space to go on."
    assert not controller.timer_active


def test_an_unconfirmed_stop_runs_out(
    controller: SessionController, view: SessionView, stop_timer: FakeTimer
) -> None:
    controller.start()
    assert controller.request_stop() is False
    assert stop_timer.isActive() and stop_timer.interval() == STOP_CONFIRM_MS
    assert view.banner.text()
    stop_timer.fire()  # the confirmation time runs out
    assert not view.banner.text()
    assert controller.request_stop() is False  # asks again
    assert controller.running


def test_shutdown_stops_every_timer_and_the_voice(
    controller: SessionController, coach: Coach, frame_timer: FakeTimer, stop_timer: FakeTimer
) -> None:
    controller.start()
    controller.request_stop()
    assert stop_timer.isActive()
    controller.shutdown()
    assert not frame_timer.isActive()
    assert not stop_timer.isActive()
    assert coach.calls[-1] == "stop"


def test_preparation_shows_the_checklist_then_the_guide(
    controller: SessionController, view: SessionView, frame_timer: FakeTimer, clock
) -> None:
    controller.start()
    assert view.side_panel.currentWidget() is view.checklist
    for item in ROUTINE.prep:
        assert item in view.checklist.text()
    assert view.ring.pressure_level is None
    play(frame_timer, clock, ROUTINE.prep_seconds + 1)
    assert view.side_panel.currentWidget() is view.guide
    assert view.ring.pressure_level == "medium"
    assert view.face_map.active_areas == {"cheeks": "medium"}


def test_hidden_ticks_land_on_the_next_cue_or_segment_end(
    controller: SessionController, frame_timer: FakeTimer, clock: FakeClock
) -> None:
    """Minimised, the timer ticks slowly, but never past a cue or the end of a segment."""
    controller.start()
    controller.set_visible(False)
    engine = controller.engine
    prep_end = engine.current.end
    play(frame_timer, clock, prep_end - 0.1 - engine.position)  # 0.1 s before the first move
    cues_before = [c.at for c in engine.cues if engine.position < c.at < prep_end]
    assert cues_before == []
    assert frame_timer.interval() == 101  # lands just after the segment's end
    # In the middle of a long gap between cues the slow tick is used as it is.
    gaps = [
        (a.at, b.at)
        for a, b in zip(engine.cues, engine.cues[1:], strict=False)
        if b.at - a.at > 2 and a.at > engine.position
    ]
    start, _ = gaps[0]
    play(frame_timer, clock, start + 0.5 - engine.position)
    assert engine.current.end - engine.position > 1
    assert frame_timer.interval() == HIDDEN_TICK_MS


def test_hidden_ticks_follow_the_time_scale(qtbot, view: SessionView) -> None:
    fast = SessionController(plan(ROUTINE, 2), ROUTINE, view, time_scale=30)
    try:
        fast.start()
        fast.set_visible(False)
        # The next cue is at most a few seconds of session time away: 30 times less in ms.
        assert fast.timer_interval_ms < HIDDEN_TICK_MS
    finally:
        fast.engine.stop()
        fast.shutdown()


JAW = ((0.5, 0.83), (0.30, 0.77), (0.16, 0.58))  # one side's path, on the person's right


def run_one_step(view: SessionView, step: Step) -> tuple[SessionController, Callable[[], None]]:
    """Start a session of ``step`` alone and play it into its (first) move; the function
    returned plays on into the next move segment."""
    routine = routine_of(step.move, minutes=(0.5, 1, 2))._replace(steps=(step,))
    clock = FakeClock(now=100.0, wall=1_800_000_000.0)
    timers = FakeTimers()
    controller = SessionController(
        plan(routine, 1), routine, view, clock=clock, wall_clock=clock.wall_clock, timers=timers
    )
    frame_timer = timers.only(single_shot=False)

    def next_move() -> None:
        engine = controller.engine
        play(frame_timer, clock, engine.current.end - engine.position + 0.1)
        while engine.current.kind is not SegmentKind.MOVE:
            play(frame_timer, clock, engine.current.end - engine.position + 0.1)

    controller.start()
    next_move()
    return controller, next_move


def halves(face: FaceMapWidget, points: list[QPointF]) -> list[bool]:
    """For each widget point: is it on the viewer's left half?"""
    return sorted(point.x() < face.width() / 2 for point in points)


def colour_distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def lit(face: FaceMapWidget, area_id: str) -> list[bool]:
    """For each half of an area (person's right first): is it washed in medium pressure?"""
    image = face.grab().toImage()
    medium = QColor(face.theme.pressure_color("medium"))
    skin = QColor(face.theme.skin)
    colours = [image.pixelColor(point.toPoint()) for point in face.area_centres(area_id)]
    return [colour_distance(c, medium) < colour_distance(c, skin) for c in colours]


def test_a_one_sided_move_done_on_both_sides_at_once_draws_both_halves(view: SessionView) -> None:
    move = timed_move("stone-jaw", 45, 20, 90, sides="each", areas=("jawline",))._replace(
        strokes=(Stroke(JAW, 2.0, "glide", mirror=False),),
    )
    controller, _ = run_one_step(view, Step(move, sides="both"))
    try:
        assert controller.engine.current.side is None
        face = view.face_map
        assert halves(face, [point for point, _ in face.marker_states()]) == [False, True]
        assert lit(face, "jawline") == [True, True]
    finally:
        controller.engine.stop()
        controller.shutdown()


def test_a_move_for_both_sides_done_one_side_at_a_time_lights_that_side(
    view: SessionView,
) -> None:
    move = timed_move("both-jaw", 20, 10, 40, areas=("jawline",))._replace(
        strokes=(Stroke(JAW, 2.0, "glide", mirror=True),),
    )
    controller, next_move = run_one_step(view, Step(move, sides="each"))
    face = view.face_map
    try:
        for side, lit_halves in (("left", [False, True]), ("right", [True, False])):
            assert controller.engine.current.side == side
            right, left = face.area_centres("jawline")
            ((marker, _),) = face.marker_states()
            assert halves(face, [marker]) == halves(face, [left if side == "left" else right])
            assert lit(face, "jawline") == lit_halves
            if side == "left":
                next_move()
    finally:
        controller.engine.stop()
        controller.shutdown()
