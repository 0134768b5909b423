"""FACEGYM_AUDIO_PLAYER that cannot run, and a missing player told from a missing device."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from facegym_desktop.speech.player import (
    IN_APP_PLAYER,
    PLAYER_ENV,
    Player,
    PlayerSettingError,
    player_command,
)
from facegym_desktop.speech.preflight import play_problem, player_ready
from facegym_desktop.speech.problems import ProblemKind, player_problem


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("aplay 'unbalanced", "no closing quotation"),
        ('aplay "-q', "no closing quotation"),
        ("aplay -q \\", "no escaped character"),
        ("no-such-player-program -q", "'no-such-player-program', which is not a program"),
        ("/no/such/folder/player", "which is not a program"),
    ],
)
def test_a_player_setting_that_cannot_run_says_why_in_one_line(value: str, words: str) -> None:
    with pytest.raises(PlayerSettingError) as caught:
        player_command({PLAYER_ENV: value})
    message = str(caught.value)
    assert message.startswith(PLAYER_ENV) and words in message and "\n" not in message


def test_a_player_setting_that_runs_is_used_as_written(tmp_path: Path) -> None:
    assert player_command({PLAYER_ENV: f"{sys.executable} -c pass"}) == [
        sys.executable,
        "-c",
        "pass",
    ]
    assert player_command({PLAYER_ENV: IN_APP_PLAYER}) == [IN_APP_PLAYER]


@pytest.mark.parametrize("value", ["aplay 'unbalanced", "no-such-player-program"])
def test_the_voice_check_names_the_setting_not_the_device(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(PLAYER_ENV, value)
    problem = player_ready(Player())
    assert problem is not None and problem.kind == ProblemKind.PLAYER_SETTING
    assert PLAYER_ENV in problem.notice and "\n" not in problem.notice


@pytest.mark.parametrize(
    ("complaint", "kind"),
    [
        ("setpriv: failed to execute aplay: No such file or directory", ProblemKind.NO_PLAYER),
        ("setpriv: failed to execute /etc/passwd: Permission denied", ProblemKind.NO_PLAYER),
        ("aplay: main:831: audio open error: No such file or directory", ProblemKind.NO_DEVICE),
        ("Connection failure: Connection refused", ProblemKind.NO_DEVICE),
    ],
)
def test_a_missing_player_is_told_from_a_missing_device(complaint: str, kind: str) -> None:
    assert player_problem(complaint).kind == kind


def test_a_player_program_gone_after_it_was_found_is_a_missing_player(tmp_path: Path) -> None:
    clip = tmp_path / "silence.wav"
    clip.write_bytes(b"")
    problem = play_problem(Player([str(tmp_path / "gone-player")]), clip)
    assert problem is not None and problem.kind == ProblemKind.NO_PLAYER
