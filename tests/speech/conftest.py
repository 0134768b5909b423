"""Fixtures for speech tests: stand-in audio players and engines, child process checks."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
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


# Stands in for pyttsx3: every clip it writes is what the file named by
# $FACEGYM_TEST_ENGINE_MODE says: "empty" (0 bytes), "header" (a WAV header and no
# frames) or "sound" (0.4 s of a tone).  The mode can change while it runs.
STAND_IN_PYTTSX3 = '''
import math, os, struct, wave


class _Voice:
    def __init__(self, id, name):
        self.id, self.name, self.languages, self.gender = id, name, ["en"], None


class Engine:
    def __init__(self):
        self._properties = {"voice": "stand/in", "rate": 150, "volume": 1.0}
        self._paths = []

    def getProperty(self, name):
        if name == "voices":
            return [_Voice("stand/in", "Stand-in")]
        return self._properties[name]

    def setProperty(self, name, value):
        self._properties[name] = value

    def save_to_file(self, text, path):
        self._paths.append(path)

    def runAndWait(self):
        with open(os.environ["FACEGYM_TEST_ENGINE_MODE"]) as control:
            mode = control.read().strip()
        for path in self._paths:
            if mode == "empty":
                open(path, "wb").close()
                continue
            with wave.open(path, "wb") as clip:
                clip.setnchannels(1)
                clip.setsampwidth(2)
                clip.setframerate(22050)
                if mode == "sound":
                    clip.writeframes(b"".join(
                        struct.pack("<h", int(8000 * math.sin(i * 0.125))) for i in range(8820)
                    ))
        self._paths = []


def init(*args, **kwargs):
    return Engine()
'''


class StandInEngine:
    """Worker processes started from now on use the stand-in engine; ``mode`` steers it."""

    def __init__(self, control: Path) -> None:
        self.control = control

    def set_mode(self, mode: str) -> None:
        self.control.write_text(mode)


@pytest.fixture
def stand_in_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> StandInEngine:
    folder = tmp_path / "stand-in-engine"
    (folder / "pyttsx3").mkdir(parents=True)
    (folder / "pyttsx3" / "__init__.py").write_text(STAND_IN_PYTTSX3)
    monkeypatch.setenv("PYTHONPATH", str(folder))
    control = tmp_path / "engine-mode"
    monkeypatch.setenv("FACEGYM_TEST_ENGINE_MODE", str(control))
    engine = StandInEngine(control)
    engine.set_mode("header")
    return engine


def use_player(monkeypatch: pytest.MonkeyPatch, folder: Path, name: str, body: str) -> Path:
    """Make a shell script the audio player for players started from now on."""
    script = folder / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    monkeypatch.setenv(PLAYER_ENV, str(script))
    return script


def live_descendants(root: int | None = None) -> set[int]:
    """Processes below ``root`` (this process by default) that have not exited."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        state, parent = stat[stat.rindex(")") + 2 :].split()[:2]
        if state not in ("Z", "X"):
            children.setdefault(int(parent), []).append(int(entry))
    found: set[int] = set()
    todo = [os.getpid() if root is None else root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in ("Z", "X")


@pytest.fixture
def no_children_left() -> Iterator[set[int]]:
    """Fails the test if it leaves a process of its own running (checked at teardown)."""
    before = live_descendants()
    yield before
    assert wait_until(lambda: not (live_descendants() - before), 5), (
        f"left running: {sorted(live_descendants() - before)}"
    )
