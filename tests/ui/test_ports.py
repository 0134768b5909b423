"""The coach port: the real coach and the tests' fake both satisfy it, as mypy sees them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SATISFIES = """
from facegym_desktop.speech.coach import VoiceCoach
from facegym_desktop.ui.ports import CoachPort
from tests.ui.fakes import RecordingCoach


def real(coach: VoiceCoach) -> CoachPort:
    return coach


def fake(coach: RecordingCoach) -> CoachPort:
    return coach
"""

# A fake with one method misspelt must not pass for a coach.
MISSPELT = """
from tests.ui.fakes import RecordingCoach
from facegym_desktop.ui.ports import CoachPort


class Misspelt(RecordingCoach):
    set_muted = None  # type: ignore[assignment]

    def set_mute(self, muted: bool) -> None: ...


def fake(coach: Misspelt) -> CoachPort:
    return coach
"""


def mypy(source: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy", reason="mypy comes with the test extras: ./scripts/test.sh")
    module = tmp_path / "check_port.py"
    module.write_text(source, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--follow-imports=silent",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(module),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_voice_coach_and_the_fake_satisfy_the_port(tmp_path: Path) -> None:
    result = mypy(SATISFIES, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_fake_with_a_misspelt_method_does_not(tmp_path: Path) -> None:
    result = mypy(MISSPELT, tmp_path)
    assert result.returncode != 0
    assert "set_muted" in result.stdout
