"""The settings store: a change made in the app never undoes one made elsewhere."""

from __future__ import annotations

from pathlib import Path

from facegym_desktop.core.settings import Settings, load_settings, save_settings
from facegym_desktop.ui.settings_store import SettingsStore


def test_a_change_in_the_app_keeps_one_made_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings())
    store = SettingsStore(path, load_settings(path).settings)
    heard: list[Settings] = []
    store.add_listener(heard.append)
    # `facegym settings set theme dark` while the app is open:
    save_settings(path, Settings(theme="dark"))
    store.update(mirror=False)
    on_disk = load_settings(path).settings
    assert (on_disk.theme, on_disk.mirror) == ("dark", False)
    assert (store.settings.theme, store.settings.mirror) == ("dark", False)
    assert heard == [store.settings]  # listeners hear the merged settings


def test_without_changes_elsewhere_the_held_settings_are_changed(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    store = SettingsStore(path, Settings(theme="light"))  # no file yet
    store.update(mirror=False)
    store.update(voice_rate=180)
    on_disk = load_settings(path).settings
    assert (on_disk.theme, on_disk.mirror, on_disk.voice_rate) == ("light", False, 180)


def test_a_damaged_file_written_elsewhere_gives_way_to_the_apps_settings(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(theme="dark"))
    store = SettingsStore(path, load_settings(path).settings)
    path.write_text("{not json", encoding="utf-8")
    store.update(mirror=False)
    on_disk = load_settings(path)
    assert on_disk.problems == []
    assert (on_disk.settings.theme, on_disk.settings.mirror) == ("dark", False)
