"""The worker and the players never outlive the app, however it ends."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from facegym_desktop.speech.processes import die_with_parent

from .conftest import alive, use_player, wait_until

# An app that speaks through a player that never finishes, then waits to be ended.
APP = """
import json, sys, time
from facegym_desktop.speech.coach import VoiceCoach
from facegym_desktop.speech.player import Player
from facegym_desktop.speech.tts import WorkerSpeaker

speaker = WorkerSpeaker(sys.argv[1], player=Player(hang_margin=60))
coach = VoiceCoach(speaker)
speaker.say("Hello.", "high")
deadline = time.monotonic() + 20
while len(speaker.child_pids) < 2 and time.monotonic() < deadline:
    time.sleep(0.02)
print(json.dumps(speaker.child_pids), flush=True)
sys.stdin.readline()
if sys.argv[2] == "close":
    coach.close()
    print("closed", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("ending", ["SIGTERM", "SIGKILL", "close"])
def test_no_worker_or_player_outlives_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    use_player(monkeypatch, tmp_path, "hung-player.sh", "exec sleep 30\n")
    app = subprocess.Popen(
        [sys.executable, "-c", APP, str(tmp_path / "cache"), ending],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert app.stdout is not None and app.stdin is not None
        pids = json.loads(app.stdout.readline())
        assert len(pids) == 2 and all(alive(pid) for pid in pids)  # the worker and a player
        if ending == "close":
            app.stdin.write("\n")
            app.stdin.flush()
            assert app.stdout.readline().strip() == "closed"
        else:
            app.send_signal(getattr(signal, ending))
            app.wait(10)
        assert wait_until(lambda: not any(alive(pid) for pid in pids), 5), [
            pid for pid in pids if alive(pid)
        ]
    finally:
        app.kill()
        app.wait(10)


def test_children_are_started_through_setpriv_on_linux() -> None:
    command = die_with_parent(["aplay", "-q", "clip.wav"])
    if sys.platform.startswith("linux"):
        assert command == ["setpriv", "--pdeathsig", "KILL", "--", "aplay", "-q", "clip.wav"]
    else:
        assert command == ["aplay", "-q", "clip.wav"]
