"""Starting at log-in follows the autostart setting, from the app and from the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from facegym_desktop.cli import main
from facegym_desktop.core.autostart import (
    DESKTOP_FILE_NAME,
    LoginEntry,
    command_data_dir,
    read_xdg_autostart,
)
from facegym_desktop.core.settings import Settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui import reminder_setup
from facegym_desktop.ui.autostart_sync import AutostartSync
from facegym_desktop.ui.settings_store import SettingsStore
from tests.ui.test_preferences import change, open_dialog


@pytest.fixture
def entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return config / "autostart" / DESKTOP_FILE_NAME


def test_the_app_writes_and_removes_the_entry_as_the_setting_changes(
    tmp_path: Path, entry: Path
) -> None:
    store = SettingsStore(tmp_path / "settings.json", Settings())
    AutostartSync(store)
    store.update(theme="dark")
    assert not entry.exists()
    store.update(autostart=True)
    assert "[Desktop Entry]" in entry.read_text(encoding="utf-8")
    store.update(autostart=False)
    assert not entry.exists()


def test_only_a_change_of_autostart_acts(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json", Settings(autostart=True))
    applied: list[bool] = []
    AutostartSync(store, apply=lambda on: applied.append(on) or LoginEntry("here"))
    store.update(autostart=True, theme="dark")
    assert applied == []
    store.update(autostart=False)
    assert applied == [False]


def test_a_failure_becomes_one_line(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json", Settings())
    lines: list[str] = []

    def refuse(enabled: bool) -> LoginEntry:
        raise PermissionError(13, "Permission denied")

    AutostartSync(store, apply=refuse, on_notice=lines.append)
    store.update(autostart=True)
    assert lines == ["Start at log-in could not be changed (Permission denied)."]
    assert store.settings.autostart  # the setting is kept


def test_the_command_writes_and_removes_the_entry(
    tmp_path: Path, entry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["settings", "set", "autostart", "true", *data]) == 0
    assert "[Desktop Entry]" in entry.read_text(encoding="utf-8")
    assert main(["settings", "set", "theme", "dark", *data]) == 0
    assert entry.exists()
    assert main(["settings", "reset", "autostart", *data]) == 0
    assert not entry.exists()
    assert main(["settings", "set", "autostart", "false", *data]) == 0  # nothing to remove
    assert "autostart = false" in capsys.readouterr().out


def test_the_app_entry_opens_the_data_folder_it_runs_with(tmp_path: Path, entry: Path) -> None:
    folder = tmp_path / "my data"
    store = SettingsStore(tmp_path / "settings.json", Settings())
    lines: list[str] = []
    AutostartSync(store, folder, on_notice=lines.append)
    store.update(autostart=True)
    assert command_data_dir(read_xdg_autostart() or []) == folder
    assert lines == []


def test_the_app_tells_of_another_folders_entry(tmp_path: Path, entry: Path) -> None:
    assert main(["settings", "set", "autostart", "true", "--data-dir", str(tmp_path / "a")]) == 0
    store = SettingsStore(tmp_path / "settings.json", Settings(autostart=True))
    lines: list[str] = []
    AutostartSync(store, tmp_path / "b", on_notice=lines.append)
    store.update(autostart=False)
    assert entry.exists()
    assert lines == [
        f"Start at log-in was left on: its entry opens {tmp_path / 'a'}, not this data "
        "folder; turn autostart off there to remove it."
    ]
    store.update(autostart=True)
    assert command_data_dir(read_xdg_autostart() or []) == tmp_path / "b"
    assert "the last data folder to turn it on wins" in lines[-1]


def test_the_settings_dialog_turns_it_on_for_the_window_data_folder(
    qtbot, make_window, data_dir: DataPaths, entry: Path
) -> None:
    window = make_window()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    background = reminder_setup.install(app, window, data_dir, None, with_tray=False)
    try:
        dialog = open_dialog(qtbot, window)
        change(dialog.editors["autostart"], True)
        qtbot.waitUntil(entry.exists)
        assert command_data_dir(read_xdg_autostart() or []) == data_dir.root
        change(dialog.editors["autostart"], False)
        qtbot.waitUntil(lambda: not entry.exists())
        dialog.close()
    finally:
        background.service.stop()


def test_the_command_entry_opens_the_data_folder_it_was_set_in(
    tmp_path: Path, entry: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / 'my "data" 50% $x'
    assert main(["settings", "set", "autostart", "true", "--data-dir", str(folder)]) == 0
    assert command_data_dir(read_xdg_autostart() or []) == folder
    monkeypatch.setenv("FACEGYM_DATA_DIR", str(tmp_path / "from env"))
    assert main(["settings", "set", "autostart", "true"]) == 0
    assert command_data_dir(read_xdg_autostart() or []) == tmp_path / "from env"
    err = capsys.readouterr().err
    assert err == (
        f"facegym: note: Start at log-in now opens {tmp_path / 'from env'} instead of "
        f"{folder} (one log-in entry: the last data folder to turn it on wins).\n"
    )
    assert main(["settings", "set", "autostart", "false", "--data-dir", str(folder)]) == 0
    assert entry.exists()
    assert capsys.readouterr().err == (
        f"facegym: note: Start at log-in was left on: its entry opens {tmp_path / 'from env'}, "
        "not this data folder; turn autostart off there to remove it.\n"
    )
    assert main(["settings", "set", "autostart", "false"]) == 0
    assert not entry.exists()


def test_the_command_without_a_data_folder_writes_no_option(
    tmp_path: Path, entry: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FACEGYM_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert main(["settings", "set", "autostart", "true"]) == 0
    command = read_xdg_autostart()
    assert command is not None and "--data-dir" not in command
    assert main(["settings", "set", "autostart", "false"]) == 0
    assert not entry.exists()


def test_a_data_folder_no_entry_can_hold_is_one_line(
    tmp_path: Path, entry: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bell\x07"
    assert main(["settings", "set", "autostart", "true", "--data-dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("facegym: autostart: the log-in entry could not be changed (")
    assert err.count("\n") == 1 and not entry.exists()
