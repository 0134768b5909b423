"""End to end: cues rendered by pyttsx3 + espeak-ng, played on time, audibly speech."""

from __future__ import annotations

import array
import math
import shutil
import signal
import subprocess
import threading
import time
import wave
from pathlib import Path

import pytest

from facegym_desktop.core.planner import Cue, Plan, Segment
from facegym_desktop.speech.coach import VoiceCoach
from facegym_desktop.speech.player import PLAYER_ENV
from facegym_desktop.speech.tts import WorkerSpeaker

from .conftest import Recorder, wait_until

LATENCY_BUDGET = 0.150
# Seconds a wait may take before it counts as hung; never reached unless broken.
HANG_GUARD = 10.0

CUES = (
    Cue(0.0, "Chin flicks. Fingers under the chin.", "high", "name", 0),
    Cue(0.0, "Medium pressure. Quick upward flicks.", "normal", "technique", 0),
    Cue(5.5, "Lift.", "high", "count", 0),
    Cue(6.5, "Two.", "high", "count", 0),
    Cue(7.5, "Three.", "high", "count", 0),
    Cue(8.5, "Keep your wrists loose.", "low", "tip", 0),
    Cue(10.5, "Switch sides.", "high", "switch", 1),
    Cue(12.0, "Three, two, one.", "high", "countdown", 1),
)
PLAN = Plan(
    "e2e",
    "End to end",
    15,
    (Segment(0, "move", 0.0, 10.5, "Chin flicks"), Segment(1, "switch", 10.5, 15.0, "Switch")),
    CUES,
)


def speech_profile(path: Path) -> tuple[float, float, float]:
    """Length, RMS (0-1) and the share of 20 ms frames that carry sound."""
    with wave.open(str(path)) as clip:
        rate = clip.getframerate()
        samples = array.array("h")
        samples.frombytes(clip.readframes(clip.getnframes()))
    frame = rate // 50
    loud_frames = 0
    frames = 0
    for start in range(0, len(samples) - frame + 1, frame):
        chunk = samples[start : start + frame]
        frames += 1
        if math.sqrt(sum(value * value for value in chunk) / frame) > 300:
            loud_frames += 1
    rms = math.sqrt(sum(value * value for value in samples) / len(samples)) / 32768
    return len(samples) / rate, rms, loud_frames / max(1, frames)


def test_cues_are_played_on_time_as_audible_speech(tmp_path: Path, recorder: Recorder) -> None:
    speaker = WorkerSpeaker(tmp_path / "cache")
    coach = VoiceCoach(speaker)
    try:
        coach.prepare(PLAN)
        assert coach.wait_prepared(30)
        fit = coach.fit
        assert [spoken.cue for spoken in fit.spoken] == list(CUES)  # everything fits here

        # Play the session: each cue is handed over at its moment, like the session does.
        clock = threading.Event()
        session_start = time.time() + 0.3
        for cue in CUES:
            clock.wait(max(0.0, session_start + cue.at - time.time()))
            coach.cue_due(cue)
        played = recorder.wait_for(len(CUES), timeout=15)
    finally:
        coach.close()

    by_source = {entry.source: entry for entry in played}
    assert len(by_source) == len(CUES)
    synthesis = {record.text: record.synth_seconds for record in speaker.history}
    for spoken in fit.spoken:
        entry = by_source[str(speaker.client.clip_path(spoken.text))]
        scheduled = session_start + spoken.start
        late = entry.wall_time - scheduled - synthesis[spoken.text]
        assert -0.02 <= late <= LATENCY_BUDGET, (spoken.text, late)

        length, rms, voiced = speech_profile(entry.copy)
        assert length > 0.25 and rms > 0.02, (spoken.text, length, rms)
        assert 0.4 < voiced <= 1.0, (spoken.text, voiced)  # sound with the gaps of speech
        measured = speaker.measured(spoken.text)
        assert measured is not None and abs(length - measured) < 0.01
    # Phrases started in plan order, none before the previous one's slot ended.
    starts = sorted(entry.wall_time for entry in played)
    assert starts == [
        by_source[str(speaker.client.clip_path(s.text))].wall_time for s in fit.spoken
    ]


def test_pause_stops_the_phrase_at_once(tmp_path: Path, recorder: Recorder) -> None:
    speaker = WorkerSpeaker(tmp_path / "cache")
    coach = VoiceCoach(speaker)
    long_cue = Cue(
        0.0,
        "Slow and even strokes, all the way out to the ear, then back.",
        "normal",
        "technique",
        0,
    )
    paused_cue = Cue(10.0, "Two.", "high", "count", 0)
    next_cue = Cue(14.0, "Lift.", "high", "count", 0)
    cues = (long_cue, paused_cue, next_cue)
    try:
        coach.prepare(Plan("p", "P", 20, (Segment(0, "move", 0, 20, "M"),), cues))
        assert coach.wait_prepared(30)
        assert all(speaker.client.cached(cue.text) for cue in cues)
        coach.cue_due(long_cue)
        recorder.wait_for(1)
        playback = speaker.last_playback
        assert playback is not None and playback.playing and speaker.speaking
        coach.pause()
        # The pause killed the player mid-clip (the wait only guards against a hang).
        assert playback.wait(HANG_GUARD)
        assert playback.result is not None and playback.result.stopped
        assert playback.result.returncode == -signal.SIGKILL
        assert not speaker.speaking
        coach.cue_due(paused_cue)  # due while paused: never said
        coach.resume()
        coach.cue_due(next_cue)
        # The next clip after the pause is the cue after it: the paused one was not
        # queued and the stopped phrase was not replayed.
        played = recorder.wait_for(2)
        assert [Path(entry.source) for entry in played[:2]] == [
            speaker.client.clip_path(cue.text) for cue in (long_cue, next_cue)
        ]
    finally:
        coach.close()


# Through the real player into ALSA: the "file" plugin pipes each stream to a script
# that notes when the sound device was opened and keeps the samples it was sent.
DEVICE_SCRIPT = """#!/bin/sh
cat > "$FACEGYM_TEST_DEVICE_DIR/opened-$(date +%s.%N).raw"
"""
FILE_DEVICE_ALSA = """pcm.!default {{
    type file
    slave.pcm {{ type null }}
    file "|{script}"
    format "raw"
}}
"""
DEVICE_CUES = (
    Cue(0.0, "Chin flicks.", "high", "name", 0),
    Cue(2.0, "Two.", "high", "count", 0),
    Cue(3.0, "Switch sides.", "high", "switch", 0),
)
DEVICE_PLAN = Plan(
    "device", "Device", 5, (Segment(0, "move", 0.0, 5.0, "Chin flicks"),), DEVICE_CUES
)


def sox_stat(raw: Path, rate: int) -> dict[str, float]:
    """sox's `stat` of 16-bit mono samples: length, RMS amplitude, rough frequency, ..."""
    command = ["sox", "-t", "raw", "-r", str(rate), "-e", "signed-integer", "-b", "16"]
    result = subprocess.run(
        [*command, "-c", "1", str(raw), "-n", "stat"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    values = {}
    for line in result.stderr.splitlines():
        name, _, value = line.partition(":")
        try:
            values[" ".join(name.split())] = float(value)
        except ValueError:
            continue
    return values


def test_cues_reach_the_sound_device_on_time_as_speech(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for tool in ("aplay", "sox"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is needed by this test (alsa-utils, sox)")
    device = tmp_path / "device"
    device.mkdir()
    script = tmp_path / "device.sh"
    script.write_text(DEVICE_SCRIPT)
    script.chmod(0o755)
    alsa = tmp_path / "asound.conf"
    alsa.write_text(FILE_DEVICE_ALSA.format(script=script))
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(alsa))
    monkeypatch.setenv("FACEGYM_TEST_DEVICE_DIR", str(device))
    monkeypatch.delenv(PLAYER_ENV, raising=False)  # the real aplay

    speaker = WorkerSpeaker(tmp_path / "cache")
    coach = VoiceCoach(speaker)
    try:
        coach.prepare(DEVICE_PLAN)
        assert coach.wait_prepared(30)
        fit = coach.fit
        assert [spoken.cue for spoken in fit.spoken] == list(DEVICE_CUES)
        clock = threading.Event()
        session_start = time.time() + 0.3
        for cue in DEVICE_CUES:
            clock.wait(max(0.0, session_start + cue.at - time.time()))
            coach.cue_due(cue)
        # Every clip has reached the device and the last one has played to its end.
        assert wait_until(
            lambda: len(list(device.glob("*.raw"))) >= len(DEVICE_CUES) and not speaker.speaking,
            10,
        )
    finally:
        coach.close()

    opened = sorted(device.glob("*.raw"), key=lambda path: float(path.stem.split("-", 1)[1]))
    assert len(opened) == len(DEVICE_CUES)
    for spoken, raw in zip(fit.spoken, opened, strict=True):
        late = float(raw.stem.split("-", 1)[1]) - (session_start + spoken.start)
        assert -0.02 <= late <= LATENCY_BUDGET, (spoken.text, late)
        with wave.open(str(speaker.client.clip_path(spoken.text))) as clip:
            rate = clip.getframerate()
        stat = sox_stat(raw, rate)
        assert stat["Length (seconds)"] > 0.25, (spoken.text, stat)
        assert stat["RMS amplitude"] > 0.02, (spoken.text, stat)  # not silence
        assert 80 < stat["Rough frequency"] < 4000, (spoken.text, stat)  # in the voice's range
        _, _, voiced = speech_profile_raw(raw, rate)
        assert 0.4 < voiced <= 1.0, (spoken.text, voiced)  # sound with the gaps of speech


def speech_profile_raw(raw: Path, rate: int) -> tuple[float, float, float]:
    """``speech_profile`` for headerless 16-bit mono samples."""
    wav = raw.with_suffix(".wav")
    with wave.open(str(wav), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(rate)
        clip.writeframes(raw.read_bytes())
    return speech_profile(wav)
