"""`facegym voice check` and `facegym voice list`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.speech.player import PLAYER_ENV
from facegym_desktop.speech.problems import PROBLEMS, ProblemKind

from .conftest import Recorder, StandInEngine, use_player

REPO = Path(__file__).resolve().parents[2]


def test_voice_check_speaks_a_phrase_and_exits_0(
    recorder: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["voice", "check"]) == 0
    out = capsys.readouterr().out
    assert "Engine: pyttsx3 2.99 with the espeak driver" in out
    assert "gmw/en" in out
    assert out.rstrip().endswith("Speech works.")
    (played,) = recorder.wait_for(1)
    assert played.copy.stat().st_size > 10_000


def check_fails_with(kind: ProblemKind, capsys: pytest.CaptureFixture[str], *args: str) -> None:
    """`voice check` exits 1 with the app's own line for ``kind`` as its only complaint."""
    assert main(["voice", "check", *args]) == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        f"facegym: {PROBLEMS[kind].notice}"
    ]


def test_voice_check_names_the_missing_sound_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    alsa = tmp_path / "no-device.conf"
    alsa.write_text("pcm.!default { type hw; card 7 }\n")
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(alsa))
    check_fails_with(ProblemKind.NO_DEVICE, capsys)


def test_voice_check_names_a_missing_player(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setitem(sys.modules, "miniaudio", None)  # nor in-app playback
    check_fails_with(ProblemKind.NO_PLAYER, capsys)


def test_voice_check_names_a_failing_player(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_player(monkeypatch, tmp_path, "broken.sh", "echo 'segmentation fault' >&2\nexit 139\n")
    check_fails_with(ProblemKind.PLAYER_FAILED, capsys)


def test_voice_check_names_an_engine_without_sound(
    stand_in_engine: StandInEngine, recorder: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    check_fails_with(ProblemKind.EMPTY_CLIPS, capsys)
    assert recorder.played() == []


def test_voice_check_names_a_missing_voice(
    recorder: Recorder, capsys: pytest.CaptureFixture[str]
) -> None:
    check_fails_with(ProblemKind.VOICE_MISSING, capsys, "--voice", "xx/no-such-voice")


def test_voice_check_without_espeak_gives_the_fix_in_one_line(broken_engine: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "facegym_desktop", "voice", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "facegym: Voice off: the speech engine espeak-ng is not installed. "
        "Install the espeak-ng package."
    )


def test_voice_list_json() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "facegym_desktop", "voice", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    voices = json.loads(result.stdout)
    assert {"id", "name", "languages"} <= set(voices[0])
    assert any(voice["id"] == "gmw/en" for voice in voices)
    assert voices[0]["languages"][0].startswith("en")  # English voices come first
