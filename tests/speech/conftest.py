"""Fixtures for speech tests: a stand-in audio player and a broken engine."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from facegym_desktop.speech.player import PLAYER_ENV

# Records the wall time it started, keeps a copy of the clip it was given, then
# "plays" it by waiting for the clip's length, so it can be killed like aplay.
RECORDER_SCRIPT = """#!/bin/sh
now=$(date +%s.%N)
cp "$1" "$FACEGYM_TEST_RECORD_DIR/clip-$now.wav"
printf '%s %s\\n' "$now" "$1" >> "$FACEGYM_TEST_RECORD_DIR/log"
exec sleep "$(soxi -D "$1")"
"""

# Stands in for pyttsx3 on a machine without espeak-ng: init raises like the real one.
BROKEN_PYTTSX3 = """
def init(*args, **kwargs):
    raise RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!")
"""


@dataclass(frozen=True)
class Played:
    wall_time: float
    source: str  # the clip path the player was given
    copy: Path  # what it was given, as it was at that moment


class Recorder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def played(self) -> list[Played]:
        log = self.folder / "log"
        if not log.exists():
            return []
        entries = []
        for line in log.read_text().splitlines():
            stamp, _, source = line.partition(" ")
            entries.append(Played(float(stamp), source, self.folder / f"clip-{stamp}.wav"))
        return entries

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Played]:
        """The first ``count`` clips played; fails if they do not come in time."""
        assert wait_until(lambda: len(self.played()) >= count, timeout), (
            f"expected {count} clips, got {len(self.played())}"
        )
        return self.played()


def wait_until(condition: Callable[[], bool], timeout: float, step: float = 0.02) -> bool:
    """Poll a condition another process or thread makes true; bounded."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while time.monotonic() < deadline:
        if condition():
            return True
        pause.wait(step)
    return condition()


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Recorder:
    if not shutil.which("soxi"):
        pytest.fail("sox (soxi) is needed by the stand-in player")
    folder = tmp_path / "played"
    folder.mkdir()
    script = tmp_path / "record-player.sh"
    script.write_text(RECORDER_SCRIPT)
    script.chmod(0o755)
    monkeypatch.setenv("FACEGYM_TEST_RECORD_DIR", str(folder))
    monkeypatch.setenv(PLAYER_ENV, str(script))
    return Recorder(folder)


@pytest.fixture
def broken_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make worker processes import a pyttsx3 whose init raises."""
    folder = tmp_path / "broken-engine"
    (folder / "pyttsx3").mkdir(parents=True)
    (folder / "pyttsx3" / "__init__.py").write_text(BROKEN_PYTTSX3)
    monkeypatch.setenv("PYTHONPATH", str(folder))
    return folder
