"""Speech failures are survivable: the session goes on, the voice comes back."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from facegym_desktop.core.planner import Cue, Plan, Segment
from facegym_desktop.speech.client import worker_command
from facegym_desktop.speech.coach import VoiceCoach
from facegym_desktop.speech.tts import WorkerSpeaker

from .conftest import Recorder, wait_until

CUES = tuple(
    Cue(float(second), text, "high", "count", 0)
    for second, text in enumerate(("One.", "Two.", "Three.", "Four.", "Five."))
)
PLAN = Plan("test", "Test", 10, (Segment(0, "move", 0.0, 10.0, "Counting"),), CUES)


class Notices:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.arrived = threading.Event()

    def __call__(self, line: str) -> None:
        self.lines.append(line)
        self.arrived.set()


def make_coach(tmp_path: Path, notices: Notices, **client_options: float) -> VoiceCoach:
    speaker = WorkerSpeaker(
        tmp_path / "cache", client_options={"backoff_first": 0.1, **client_options}
    )
    return VoiceCoach(speaker, on_notice=notices)


def run_session(coach: VoiceCoach, cues: tuple[Cue, ...]) -> float:
    """Call cue_due for every cue; returns the longest call in seconds."""
    longest = 0.0
    for cue in cues:
        started = time.monotonic()
        coach.cue_due(cue)
        longest = max(longest, time.monotonic() - started)
    return longest


def test_engine_that_cannot_start_gives_one_notice_and_the_session_goes_on(
    tmp_path: Path, broken_engine: Path, recorder: Recorder
) -> None:
    notices = Notices()
    coach = make_coach(tmp_path, notices)
    try:
        assert notices.arrived.wait(20)
        coach.prepare(PLAN)
        assert run_session(coach, CUES) < 0.05
        speaker = coach.speaker
        assert isinstance(speaker, WorkerSpeaker)
        # It keeps trying with growing pauses; the notice is not repeated.
        assert wait_until(lambda: speaker.client.failures >= 3, 10)
        assert coach.state == "off"
        assert notices.lines == [
            "Voice off: espeak-ng is not installed. "
            "Install it with: sudo apt install espeak-ng alsa-utils."
        ]
        assert recorder.played() == []
    finally:
        coach.close()


def test_worker_crash_mid_session_is_restarted_and_speech_continues(
    tmp_path: Path, recorder: Recorder
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
        assert coach.state == "ready"
    finally:
        coach.close()


def test_worker_hang_times_out_and_a_fresh_worker_takes_over(
    tmp_path: Path, recorder: Recorder
) -> None:
    notices = Notices()
    coach = make_coach(tmp_path, notices, request_timeout=1.0)
    speaker = coach.speaker
    assert isinstance(speaker, WorkerSpeaker)
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        hung_pid = speaker.client.pid
        assert hung_pid is not None
        os.kill(hung_pid, signal.SIGSTOP)
        # The cue arrives while the worker cannot answer: the caller is never held up.
        assert run_session(coach, (Cue(0.0, "Seven.", "high", "count", 0),)) < 0.05
        assert notices.arrived.wait(10)
        assert "stopped responding" in notices.lines[0]
        assert wait_until(lambda: speaker.client.pid not in (None, hung_pid), 10)
        assert wait_until(lambda: coach.state == "ready", 10)
        coach.cue_due(Cue(1.0, "Eight.", "high", "count", 0))
        recorder.wait_for(1)
        coach.cue_due(CUES[1])
        played = recorder.wait_for(2)
        assert [Path(entry.source) for entry in played] == [
            speaker.client.clip_path(text) for text in ("Eight.", "Two.")
        ]
    finally:
        coach.close()
        with pytest.raises(ProcessLookupError):
            # The hung worker was killed, not left behind stopped.
            wait_until(lambda: not _alive(hung_pid), 5)
            os.kill(hung_pid, 0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_missing_player_turns_the_voice_off_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv("FACEGYM_AUDIO_PLAYER", raising=False)
    notices = Notices()
    coach = VoiceCoach(
        WorkerSpeaker(tmp_path / "cache", command=worker_command()),
        on_notice=notices,
    )
    try:
        assert notices.lines == [
            "Voice off: aplay is not installed. "
            "Install it with: sudo apt install espeak-ng alsa-utils."
        ]
        coach.prepare(PLAN)
        run_session(coach, CUES)
    finally:
        coach.close()


def test_player_that_fails_gives_a_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "no-device.sh"
    script.write_text(
        "#!/bin/sh\necho 'aplay: main:831: audio open error: No such file' >&2\nexit 1\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("FACEGYM_AUDIO_PLAYER", str(script))
    notices = Notices()
    coach = make_coach(tmp_path, notices)
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(20)
        coach.cue_due(CUES[0])
        assert notices.arrived.wait(10)
        assert notices.lines == [
            "Voice off: no sound output device (aplay: main:831: audio open error: No such file). "
            "Check that speakers or headphones are connected."
        ]
        assert coach.state == "off"
    finally:
        coach.close()
