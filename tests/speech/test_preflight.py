"""The start-up check walks the whole voice path and names the first broken link."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from facegym_desktop.speech.client import WorkerClient
from facegym_desktop.speech.coach import VoiceCoach
from facegym_desktop.speech.player import PLAYER_ENV, Player
from facegym_desktop.speech.preflight import check_voice_path, loudness
from facegym_desktop.speech.problems import PROBLEMS, ProblemKind

from .conftest import Recorder, StandInEngine, use_player, wait_until

NO_DEVICE_ALSA = "pcm.!default { type hw; card 7 }\n"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[WorkerClient]:
    client = WorkerClient(tmp_path / "cache", backoff_first=0.1)
    yield client
    client.close(wait=5)


def test_a_working_path_passes_and_plays_only_silence(
    no_children_left: set[int], client: WorkerClient, recorder: Recorder
) -> None:
    assert check_voice_path(client, Player(), timeout=20) is None
    (played,) = recorder.played()
    assert loudness(played.copy) == (0.0, 0.0)  # the device was opened, nothing heard


def test_no_player(
    client: WorkerClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    monkeypatch.setitem(sys.modules, "miniaudio", None)  # nor in-app playback
    assert check_voice_path(client, Player(), timeout=20) == PROBLEMS[ProblemKind.NO_PLAYER]


def test_no_sound_device(
    client: WorkerClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    alsa = tmp_path / "no-device.conf"
    alsa.write_text(NO_DEVICE_ALSA)
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(alsa))
    assert check_voice_path(client, Player(), timeout=20) == PROBLEMS[ProblemKind.NO_DEVICE]


def test_a_player_that_hangs(
    no_children_left: set[int],  # first: checked after the client is closed
    client: WorkerClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_player(monkeypatch, tmp_path, "hung-player.sh", "exec sleep 30\n")
    problem = check_voice_path(client, Player(hang_margin=0.2), timeout=20)
    assert problem == PROBLEMS[ProblemKind.PLAYER_HUNG]


def test_an_engine_that_writes_no_sound(
    tmp_path: Path, stand_in_engine: StandInEngine, recorder: Recorder
) -> None:
    client = WorkerClient(tmp_path / "cache", backoff_first=0.1)
    try:
        assert check_voice_path(client, Player(), timeout=20) == PROBLEMS[ProblemKind.EMPTY_CLIPS]
        assert list((tmp_path / "cache").glob("*.wav")) == []
        assert recorder.played() == []
    finally:
        client.close(wait=5)


def test_no_engine(tmp_path: Path, broken_engine: Path, recorder: Recorder) -> None:
    client = WorkerClient(tmp_path / "cache", backoff_first=0.1)
    try:
        assert check_voice_path(client, Player(), timeout=20) == PROBLEMS[ProblemKind.NO_ENGINE]
    finally:
        client.close(wait=5)


def test_a_missing_voice_is_named_once_all_else_works(tmp_path: Path, recorder: Recorder) -> None:
    client = WorkerClient(tmp_path / "cache", voice="xx/no-such-voice")
    try:
        problem = check_voice_path(client, Player(), timeout=20)
        assert problem == PROBLEMS[ProblemKind.VOICE_MISSING]
    finally:
        client.close(wait=5)


def test_the_apps_coach_runs_the_check_at_start_and_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_children_left: set[int]
) -> None:
    monkeypatch.delenv(PLAYER_ENV, raising=False)
    alsa = tmp_path / "no-device.conf"
    alsa.write_text(NO_DEVICE_ALSA)
    monkeypatch.setenv("ALSA_CONFIG_PATH", str(alsa))
    notices: list[str] = []
    coach = VoiceCoach(cache_dir=tmp_path / "cache", on_notice=notices.append)
    try:
        # No cue was spoken: the check found it.
        assert wait_until(lambda: bool(notices), 20)
        assert notices == [PROBLEMS[ProblemKind.NO_DEVICE].notice]
        assert coach.state == "off"
    finally:
        coach.close()

