"""In-app playback (miniaudio): plays to the end, stops at once, names a missing
device and gives up on a device that hangs; the player falls back to it only when
no player command exists."""

from __future__ import annotations

import math
import os
import struct
import sys
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.speech.player import (
    IN_APP_PLAYER,
    PLAYER_ENV,
    MiniaudioPlayback,
    Player,
    PlayerUnavailableError,
    player_command,
)
from facegym_desktop.speech.preflight import device_problem
from facegym_desktop.speech.problems import PROBLEMS, ProblemKind

pytest.importorskip("miniaudio")

# ALSA's default output writes into nothing, so a clip "plays" without sound hardware.
NULL_ALSA = "pcm.!default { type null }\n"
NO_DEVICE_ALSA = "pcm.!default { type hw; card 7 }\n"  # a sound card that is not there


def write_tone(path: Path, seconds: float, rate: int = 22050) -> Path:
    """A 16-bit mono 440 Hz tone."""
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(rate)
        frames = (
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
            for i in range(int(seconds * rate))
        )
        clip.writeframes(b"".join(frames))
    return path


def use_alsa(monkeypatch: pytest.MonkeyPatch, folder: Path, config: str) -> None:
    """ALSA reads ``config`` alone; PulseAudio is out of reach, so ALSA is what plays."""
    alsa = folder / "asound.conf"
    alsa.write_text(config)
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(alsa))
    monkeypatch.setenv("PULSE_SERVER", f"unix:{folder / 'no-pulse-server'}")


@pytest.fixture
def null_device(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    use_alsa(monkeypatch, tmp_path, NULL_ALSA)
    yield


def test_a_clip_plays_to_its_end(tmp_path: Path, null_device: None) -> None:
    clip = write_tone(tmp_path / "tone.wav", 0.5)
    started = time.monotonic()
    playback = MiniaudioPlayback(str(clip), timeout=5.0)
    assert playback.pid is None
    assert playback.wait(5.0)
    took = time.monotonic() - started
    result = playback.result
    assert result is not None and result.ok and result.returncode == 0, result
    assert not result.stopped and not result.timed_out
    assert 0.5 <= took < 1.5  # played in real time, not faster


def test_stop_ends_a_clip_at_once(tmp_path: Path, null_device: None) -> None:
    clip = write_tone(tmp_path / "long.wav", 10.0)
    finished: list[float] = []
    playback = MiniaudioPlayback(
        str(clip), on_done=lambda _p, _r: finished.append(time.monotonic()), timeout=15.0
    )
    time.sleep(0.3)
    assert playback.playing
    stopped_at = time.monotonic()
    playback.stop()
    assert playback.wait(1.0)
    result = playback.result
    assert result is not None and result.stopped and not result.timed_out
    assert finished and finished[0] - stopped_at < 0.5


def test_a_missing_sound_device_is_the_no_device_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_alsa(monkeypatch, tmp_path, NO_DEVICE_ALSA)
    playback = Player([IN_APP_PLAYER]).play(str(write_tone(tmp_path / "tone.wav", 0.2)))
    assert playback.wait(5.0)
    result = playback.result
    assert result is not None and not result.ok and result.error.startswith("audio open error")
    assert device_problem(Player([IN_APP_PLAYER])) == PROBLEMS[ProblemKind.NO_DEVICE]


def test_a_device_that_hangs_is_given_up_after_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ALSA copies the sound into a pipe nobody reads: opening or writing it blocks.
    pipe = tmp_path / "nobody-reads"
    os.mkfifo(pipe)
    use_alsa(
        monkeypatch,
        tmp_path,
        f'pcm.!default {{ type file; slave.pcm "quiet"; file "{pipe}"; format "raw" }}\n'
        "pcm.quiet { type null }\n",
    )
    started = time.monotonic()
    playback = MiniaudioPlayback(str(write_tone(tmp_path / "tone.wav", 0.2)), timeout=1.0)
    try:
        assert playback.wait(3.0)
        result = playback.result
        assert result is not None and result.timed_out and not result.ok
        assert 1.0 <= time.monotonic() - started < 2.0
    finally:
        # A reader lets the blocked device go, so its thread ends with the test.
        reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
        time.sleep(0.5)
        os.close(reader)


def test_without_a_player_command_clips_play_in_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.platform == "win32":
        pytest.skip("Windows always plays with winsound")
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert player_command() == [IN_APP_PLAYER]
    monkeypatch.setitem(sys.modules, "miniaudio", None)  # not installed
    with pytest.raises(PlayerUnavailableError, match="miniaudio"):
        player_command()


def test_a_player_command_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    aplay = folder / "aplay"
    aplay.write_text("#!/bin/sh\n")
    aplay.chmod(0o755)
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    monkeypatch.setenv("PATH", str(folder))
    if sys.platform.startswith("linux"):
        assert player_command() == ["aplay", "-q"]
    monkeypatch.setenv(PLAYER_ENV, IN_APP_PLAYER)  # chosen on purpose
    assert player_command() == [IN_APP_PLAYER]


def test_voice_check_works_with_in_app_playback_alone(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    null_device: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    assert main(["voice", "check", "--data-dir", str(tmp_path / "data")]) == 0
    out = capsys.readouterr().out
    assert f"Player: {IN_APP_PLAYER}" in out
    assert out.rstrip().endswith("Speech works.")
