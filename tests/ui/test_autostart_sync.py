"""Starting at log-in follows the autostart setting, from the app and from the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.core.autostart import DESKTOP_FILE_NAME
from facegym_desktop.core.settings import Settings
from facegym_desktop.ui.autostart_sync import AutostartSync
from facegym_desktop.ui.settings_store import SettingsStore


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
    AutostartSync(store, apply=lambda on: applied.append(on) or "here")
    store.update(autostart=True, theme="dark")
    assert applied == []
    store.update(autostart=False)
    assert applied == [False]


def test_a_failure_becomes_one_line(tmp_path: Path) -> None:
    store = SettingsStore(tmp_path / "settings.json", Settings())
    lines: list[str] = []

    def refuse(enabled: bool) -> str:
        raise PermissionError(13, "Permission denied")

    AutostartSync(store, apply=refuse, on_error=lines.append)
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
