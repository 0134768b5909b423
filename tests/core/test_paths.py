"""Folders per platform, --data-dir keeping one folder, and the one-time move of old files."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from facegym_desktop.paths import (
    DATA_DIR_ENV,
    MOVED_MARKER,
    DataPaths,
    data_paths,
    move_old_files,
)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="XDG folders are the Linux convention"
)


@pytest.fixture
def home(platform_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HOME with every XDG folder inside it (see ``platform_home``)."""
    monkeypatch.setenv("HOME", str(platform_home))
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    return platform_home


def test_each_kind_of_file_goes_to_its_platform_folder(home: Path) -> None:
    paths = data_paths()
    assert not paths.single_folder
    assert paths.database == home / "data" / "facegym-desktop" / "history.sqlite3"
    assert paths.user_routines == home / "data" / "facegym-desktop" / "routines"
    assert paths.backups == home / "data" / "facegym-desktop" / "backups"
    assert paths.settings == home / "config" / "facegym-desktop" / "settings.json"
    assert paths.logs == home / "state" / "facegym-desktop" / "log"
    assert paths.reminder_state == home / "state" / "facegym-desktop" / "reminders.json"
    assert paths.speech_cache == home / "cache" / "facegym-desktop" / "speech"
    assert paths.parsed_routines == home / "cache" / "facegym-desktop" / "routines.json"
    paths.ensure()
    assert paths.settings.parent.is_dir() and paths.logs.is_dir()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_data_dir_keeps_everything_in_one_folder(
    home: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    folder = home / "one"
    if how == "environment":
        monkeypatch.setenv(DATA_DIR_ENV, str(folder))
        paths = data_paths()
    else:
        paths = data_paths(folder)
    assert paths.single_folder
    for path in (
        paths.database,
        paths.settings,
        paths.logs,
        paths.speech_cache,
        paths.parsed_routines,
        paths.reminder_state,
    ):
        assert path.is_relative_to(folder), path
    assert paths.settings == folder / "settings.json"
    assert paths.logs == folder / "logs"
    assert paths.speech_cache == folder / "cache" / "speech"


def _old_layout(root: Path) -> None:
    """What an older version left: everything under the data folder."""
    (root / "logs").mkdir(parents=True)
    (root / "cache" / "speech" / "ab").mkdir(parents=True)
    (root / "routines").mkdir()
    (root / "history.sqlite3").write_bytes(b"sessions")
    (root / "settings.json").write_text('{"theme": "dark"}', encoding="utf-8")
    (root / "logs" / "facegym.log").write_text("old log\n", encoding="utf-8")
    (root / "cache" / "speech" / "ab" / "clip.wav").write_bytes(b"RIFF")
    (root / "cache" / "routines.json").write_text("{}", encoding="utf-8")
    (root / "routines" / "mine.toml").write_text('id = "mine"\n', encoding="utf-8")


def test_old_files_move_once_and_the_history_stays(home: Path) -> None:
    old_root = home / "data" / "facegym-desktop"
    _old_layout(old_root)
    paths = data_paths()
    assert paths.settings.read_text(encoding="utf-8") == '{"theme": "dark"}'
    assert (paths.logs / "facegym.log").read_text(encoding="utf-8") == "old log\n"
    assert (paths.speech_cache / "ab" / "clip.wav").read_bytes() == b"RIFF"
    assert paths.parsed_routines.exists()
    assert not (old_root / "settings.json").exists()
    assert not (old_root / "logs").exists() and not (old_root / "cache").exists()
    assert paths.database.read_bytes() == b"sessions"
    assert (paths.user_routines / "mine.toml").exists()
    assert (old_root / MOVED_MARKER).exists()
    # Once: a settings file appearing in the old place later is not moved again.
    (old_root / "settings.json").write_text('{"theme": "light"}', encoding="utf-8")
    data_paths()
    assert paths.settings.read_text(encoding="utf-8") == '{"theme": "dark"}'


def test_a_newer_file_at_the_destination_is_never_overwritten(home: Path) -> None:
    old_root = home / "data" / "facegym-desktop"
    _old_layout(old_root)
    newer = home / "config" / "facegym-desktop" / "settings.json"
    newer.parent.mkdir(parents=True)
    newer.write_text('{"theme": "light"}', encoding="utf-8")
    old_time = (old_root / "settings.json").stat().st_mtime
    os.utime(newer, (old_time + 60, old_time + 60))
    data_paths()
    assert newer.read_text(encoding="utf-8") == '{"theme": "light"}'
    assert (old_root / "settings.json").exists()  # kept, not lost


def test_an_older_file_at_the_destination_is_replaced(home: Path) -> None:
    old_root = home / "data" / "facegym-desktop"
    _old_layout(old_root)
    stale = home / "config" / "facegym-desktop" / "settings.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    old_time = (old_root / "settings.json").stat().st_mtime
    os.utime(stale, (old_time - 60, old_time - 60))
    data_paths()
    assert stale.read_text(encoding="utf-8") == '{"theme": "dark"}'


def test_a_failed_move_leaves_the_old_file_logs_and_retries(
    home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old_root = home / "data" / "facegym-desktop"
    _old_layout(old_root)
    blocker = home / "config" / "facegym-desktop"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the config folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="facegym_desktop.paths"):
        paths = data_paths()
    assert (old_root / "settings.json").read_text(encoding="utf-8") == '{"theme": "dark"}'
    assert not (old_root / MOVED_MARKER).exists()
    assert "could not move" in caplog.text
    blocker.unlink()
    assert move_old_files(paths)
    assert paths.settings.read_text(encoding="utf-8") == '{"theme": "dark"}'


def test_a_fresh_install_only_writes_the_marker(home: Path) -> None:
    paths = data_paths()
    assert (paths.root / MOVED_MARKER).exists()
    assert not paths.settings.exists() and not paths.cache.exists()


def test_move_old_files_does_nothing_for_one_folder(tmp_path: Path) -> None:
    _old_layout(tmp_path)
    assert move_old_files(DataPaths(tmp_path))
    assert (tmp_path / "settings.json").exists() and (tmp_path / "logs" / "facegym.log").exists()
