"""`facegym voice check` and `facegym voice list`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from facegym_desktop.cli import main

from .conftest import Recorder


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


def test_voice_check_names_the_missing_sound_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "no-device.sh"
    script.write_text(
        "#!/bin/sh\necho 'aplay: main:831: audio open error: No such file' >&2\nexit 1\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("FACEGYM_AUDIO_PLAYER", str(script))
    assert main(["voice", "check"]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "facegym: speech does not work: no sound output device (aplay: main:831: audio open "
        "error: No such file). Check that speakers or headphones are connected"
    ]


def test_voice_check_without_espeak_gives_the_fix_in_one_line(broken_engine: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "facegym_desktop", "voice", "check"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "facegym: speech does not work: espeak-ng is not installed. "
        "Install it with: sudo apt install espeak-ng alsa-utils"
    )


def test_voice_list_json() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "facegym_desktop", "voice", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr
    voices = json.loads(result.stdout)
    assert {"id", "name", "languages"} <= set(voices[0])
    assert any(voice["id"] == "gmw/en" for voice in voices)
    assert voices[0]["languages"][0].startswith("en")  # English voices come first
