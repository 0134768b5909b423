"""Each speech failure, through the real coach and worker: one notice in plain words,
the session goes on, the voice comes back once the cause is gone, and no process
of the coach's is left running."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from facegym_desktop.core.planner import Cue, Plan, Segment
from facegym_desktop.speech import clip_cache
from facegym_desktop.speech.client import worker_command
from facegym_desktop.speech.coach import VoiceCoach
from facegym_desktop.speech.player import PLAYER_ENV, Player
from facegym_desktop.speech.problems import PROBLEMS, ProblemKind
from facegym_desktop.speech.tts import WorkerSpeaker

from .conftest import (
    Recorder,
    StandInEngine,
    alive,
    live_descendants,
    use_player,
    wait_until,
)

CUES = tuple(
    Cue(float(second), text, "high", "count", 0)
    for second, text in enumerate(("One.", "Two.", "Three.", "Four.", "Five."))
)
PLAN = Plan("test", "Test", 10, (Segment(0, "move", 0.0, 10.0, "Counting"),), CUES)
PLAYER_RETRY = (0.2, 0.4)  # seconds: short pauses before the player is tried again

NO_DEVICE_ALSA = "pcm.!default { type hw; card 7 }\n"  # a sound card that is not there


class Notices:
    """Records what the coach tells the window."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.arrived = threading.Event()

    def __call__(self, line: str) -> None:
        self.lines.append(line)
        self.arrived.set()

    def shown(self) -> str:
        """What the window shows now: the last line ("" once cleared)."""
        return self.lines[-1] if self.lines else ""


def make_coach(
    tmp_path: Path,
    notices: Notices,
    *,
    voice: str | None = None,
    hang_margin: float = 2.0,
    **client_options: float,
) -> VoiceCoach:
    speaker = WorkerSpeaker(
        tmp_path / "cache",
        voice=voice,
        player=Player(hang_margin=hang_margin),
        player_retry=PLAYER_RETRY,
        client_options={"backoff_first": 0.1, **client_options},
    )
    return VoiceCoach(speaker, on_notice=notices)


# Seconds the cue calls may take before they count as hung: far above any call that
# only queues work, so a slow machine never fails here; only a call that waits on
# the failing voice (a worker that never answers) does.
HANG_GUARD = 10.0


def run_session(coach: VoiceCoach, cues: tuple[Cue, ...]) -> None:
    """Call cue_due for every cue from a thread of its own, as the session's timer
    would; fails when the calls do not come back (cue_due waited on the voice)."""
    returned = threading.Event()

    def session() -> None:
        for cue in cues:
            coach.cue_due(cue)
        returned.set()

    caller = threading.Thread(target=session, name="test-session", daemon=True)
    caller.start()
    caller.join(HANG_GUARD)
    assert returned.is_set(), "cue_due was held up by the failing voice"


def speak_until_heard(coach: VoiceCoach, recorder: Recorder, count: int) -> None:
    """Say a fresh phrase every 0.15 s until the player has played ``count`` clips."""
    for attempt in range(40):
        coach.say_sample(f"Try {attempt}.")
        if wait_until(lambda: len(recorder.played()) >= count, 0.15):
            return
    raise AssertionError("the voice did not come back")


def assert_recovered(coach: VoiceCoach, notices: Notices) -> None:
    assert wait_until(lambda: coach.state == "ready" and notices.shown() == "", 5), (
        coach.state,
        notices.lines,
    )
    assert coach.problem is None


def test_engine_that_cannot_start_gives_one_notice_and_the_session_goes_on(
    tmp_path: Path, broken_engine: Path, recorder: Recorder, no_children_left: set[int]
) -> None:
    notices = Notices()
    coach = make_coach(tmp_path, notices)
    try:
        assert notices.arrived.wait(20)
        coach.prepare(PLAN)
        run_session(coach, CUES)
        speaker = coach.speaker
        assert isinstance(speaker, WorkerSpeaker)
        # It keeps trying with growing pauses; the notice is not repeated.
        assert wait_until(lambda: speaker.client.failures >= 3, 10)
        assert coach.state == "off"
        assert notices.lines == [PROBLEMS[ProblemKind.NO_ENGINE].notice]
        assert notices.lines == [
            "Voice off: the speech engine espeak-ng is not installed. "
            "Install the espeak-ng package."
        ]
        assert recorder.played() == []
    finally:
        coach.close()


def test_worker_crash_mid_session_is_restarted_and_speech_continues(
    tmp_path: Path, recorder: Recorder, no_children_left: set[int]
) -> None:
    notices = Notices()
    coach = make_coach(tmp_path, notices)
    speaker = coach.speaker
    assert isinstance(speaker, WorkerSpeaker)
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        coach.cue_due(CUES[0])
        recorder.wait_for(1)
        first_pid = speaker.client.pid
        assert first_pid is not None
        os.kill(first_pid, signal.SIGKILL)
        # Prepared clips need no worker; a new phrase needs a new one.
        coach.cue_due(Cue(1.0, "Switch sides.", "high", "switch", 0))
        played = recorder.wait_for(2)
        assert wait_until(lambda: speaker.client.pid not in (None, first_pid), 10)
        coach.cue_due(Cue(2.0, "Six.", "high", "count", 0))
        played = recorder.wait_for(3)
        assert [Path(entry.source) for entry in played] == [
            speaker.client.clip_path(text) for text in ("One.", "Switch sides.", "Six.")
        ]
        assert speaker.client.restarts >= 1
        assert PROBLEMS[ProblemKind.ENGINE_STOPPED].notice in notices.lines
        assert_recovered(coach, notices)
    finally:
        coach.close()



@contextmanager
def hung_worker_coach(
    tmp_path: Path, request_timeout: float
) -> Iterator[tuple[VoiceCoach, WorkerSpeaker, Notices, int]]:
    """A coach whose plan's clips are rendered, then its worker stopped (SIGSTOP) as if
    it hung: (coach, speaker, notices, the hung worker's pid).  Closed afterwards."""
    notices = Notices()
    coach = make_coach(tmp_path, notices, request_timeout=request_timeout)
    speaker = coach.speaker
    assert isinstance(speaker, WorkerSpeaker)
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        hung_pid = speaker.client.pid
        assert hung_pid is not None
        os.kill(hung_pid, signal.SIGSTOP)
        yield coach, speaker, notices, hung_pid
    finally:
        coach.close()


def test_worker_hang_times_out_and_a_fresh_worker_takes_over(
    tmp_path: Path, recorder: Recorder, no_children_left: set[int]
) -> None:
    with hung_worker_coach(tmp_path, request_timeout=1.0) as hung:
        coach, speaker, notices, hung_pid = hung
        # The cue arrives while the worker cannot answer: the caller is never held up.
        run_session(coach, (Cue(0.0, "Seven.", "high", "count", 0),))
        assert notices.arrived.wait(10)
        assert notices.lines[0] == (
            "Voice off: the speech engine stopped responding. "
            "It is being restarted; captions show every cue meanwhile."
        )
        assert wait_until(lambda: speaker.client.pid not in (None, hung_pid), 10)
        assert_recovered(coach, notices)
        coach.cue_due(Cue(1.0, "Eight.", "high", "count", 0))
        recorder.wait_for(1)
        coach.cue_due(CUES[1])
        played = recorder.wait_for(2)
        assert [Path(entry.source) for entry in played] == [
            speaker.client.clip_path(text) for text in ("Eight.", "Two.")
        ]
        # The hung worker was killed, not left behind stopped.
        assert wait_until(lambda: not alive(hung_pid), 5)


def test_a_cue_never_waits_for_a_worker_that_does_not_answer(
    tmp_path: Path, recorder: Recorder, no_children_left: set[int]
) -> None:
    # No request times out while the test runs: the worker stays hung throughout, so
    # a cue_due that waited for it would never return.
    with hung_worker_coach(tmp_path, request_timeout=600.0) as hung:
        coach, speaker, notices, hung_pid = hung
        # A phrase not rendered yet: only the hung worker could make its clip.
        run_session(coach, (Cue(0.0, "Seven.", "high", "count", 0), *CUES))
        # The calls came back while the worker had still not answered.
        assert speaker.client.pid == hung_pid and speaker.client.restarts == 0
        assert speaker.client.cached("Seven.") is None
        assert notices.lines == []


def test_missing_player_says_what_to_install_and_comes_back_when_there_is_one(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorder: Recorder,
    no_children_left: set[int],
) -> None:
    path, player = os.environ["PATH"], os.environ[PLAYER_ENV]
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv(PLAYER_ENV)
    monkeypatch.setitem(sys.modules, "miniaudio", None)  # nor in-app playback
    notices = Notices()
    coach = VoiceCoach(
        WorkerSpeaker(tmp_path / "cache", command=worker_command(), player_retry=PLAYER_RETRY),
        on_notice=notices,
    )
    try:
        assert notices.lines == [
            "Voice off: no audio player was found. Install the alsa-utils package."
        ]
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        run_session(coach, CUES)
        assert coach.state == "off"
        # A player is installed: the next phrase after the pause is spoken.
        monkeypatch.setenv("PATH", path)
        monkeypatch.setenv(PLAYER_ENV, player)
        speak_until_heard(coach, recorder, 1)
        assert_recovered(coach, notices)
    finally:
        coach.close()


def test_no_sound_device_is_named_without_the_players_output_and_the_voice_comes_back(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
    no_children_left: set[int],
) -> None:
    recording_player = os.environ[PLAYER_ENV]
    monkeypatch.delenv(PLAYER_ENV)  # the real aplay, with no card to open
    alsa = tmp_path / "no-device.conf"
    alsa.write_text(NO_DEVICE_ALSA)
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(alsa))
    caplog.set_level(logging.WARNING, logger="facegym_desktop.speech")
    notices = Notices()
    coach = make_coach(tmp_path, notices)
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        coach.cue_due(CUES[0])
        assert notices.arrived.wait(10)
        assert notices.lines == [
            "Voice off: no sound device was found. "
            "Connect speakers or headphones, or choose an output in the sound settings."
        ]
        assert "audio open error" in caplog.text  # the exact error is in the log
        assert coach.state == "off"
        run_session(coach, CUES[1:])
        # Speakers are plugged in: after a pause the player is tried again.
        monkeypatch.setenv(PLAYER_ENV, recording_player)
        speak_until_heard(coach, recorder, 1)
        assert_recovered(coach, notices)
    finally:
        coach.close()


def test_a_missing_voice_falls_back_to_the_default_and_says_so(
    tmp_path: Path, recorder: Recorder, no_children_left: set[int]
) -> None:
    notices = Notices()
    coach = make_coach(tmp_path, notices, voice="xx/no-such-voice")
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        # Every phrase was rendered, in the default voice.
        assert all(coach.speaker.measured(cue.text) for cue in CUES)
        assert wait_until(lambda: bool(notices.lines), 5)
        assert notices.lines == [
            "Voice: the chosen voice is no longer installed, so the default voice speaks. "
            "Choose another voice in Voice > Voice, speed and volume."
        ]
        assert coach.state == "ready"
        coach.cue_due(CUES[0])
        recorder.wait_for(1)
        problem = coach.problem
        assert problem is not None and problem.kind == ProblemKind.VOICE_MISSING
        coach.configure("gmw/en", 150, 1.0)  # another voice chosen: the notice goes
        assert_recovered(coach, notices)
    finally:
        coach.close()


@pytest.mark.parametrize("mode", ["empty", "header"])
def test_clips_without_sound_turn_the_voice_off_and_leave_nothing_in_the_cache(
    tmp_path: Path,
    stand_in_engine: StandInEngine,
    recorder: Recorder,
    mode: str,
    no_children_left: set[int],
) -> None:
    stand_in_engine.set_mode(mode)
    notices = Notices()
    coach = make_coach(tmp_path, notices)
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        assert notices.lines == [
            "Voice off: the speech engine produces no sound. "
            "Choose another voice in Voice > Voice, speed and volume."
        ]
        assert coach.state == "off"
        assert list((tmp_path / "cache").glob("*.wav")) == []
        run_session(coach, CUES)
        assert recorder.played() == []
        # The engine works again: the next phrase is rendered, kept and spoken.
        stand_in_engine.set_mode("sound")
        coach.cue_due(Cue(6.0, "Six.", "high", "count", 0))
        recorder.wait_for(1)
        assert_recovered(coach, notices)
        # (Clips still being written start with a dot.)
        kept = list((tmp_path / "cache").glob("[!.]*.wav"))
        assert kept and all(clip_cache.audio_seconds(path) > 0.3 for path in kept)
    finally:
        coach.close()


def test_a_hung_player_is_stopped_after_the_clip_and_none_pile_up(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorder: Recorder,
    no_children_left: set[int],
) -> None:
    recording_player = os.environ[PLAYER_ENV]
    use_player(monkeypatch, tmp_path, "hung-player.sh", "exec sleep 30\n")
    notices = Notices()
    coach = make_coach(tmp_path, notices, hang_margin=0.3)
    speaker = coach.speaker
    assert isinstance(speaker, WorkerSpeaker)
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        coach.cue_due(CUES[0])
        assert notices.arrived.wait(5)
        assert notices.lines == [
            "Voice off: the audio player stopped responding. "
            "Close other programs that use the sound device; the voice tries again shortly."
        ]
        for cue in CUES[1:]:
            coach.cue_due(cue)
            # At most one player at a time, beside the worker (a player just stopped
            # may take a moment to go).
            assert wait_until(lambda: len(live_descendants() - no_children_left) <= 2, 1)
            time.sleep(0.1)
        monkeypatch.setenv(PLAYER_ENV, recording_player)
        speak_until_heard(coach, recorder, 1)
        assert_recovered(coach, notices)
    finally:
        coach.close()


def test_a_window_that_listens_late_is_told_the_current_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_children_left: set[int]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "miniaudio", None)  # nor in-app playback
    coach = VoiceCoach(WorkerSpeaker(tmp_path / "cache", command=worker_command()))
    try:
        assert coach.notice == PROBLEMS[ProblemKind.NO_PLAYER].notice
        notices = Notices()
        coach.on_notice = notices  # the window starts listening after the first frame
        assert notices.lines == [PROBLEMS[ProblemKind.NO_PLAYER].notice]
    finally:
        coach.close()
