"""Theme, mirror and full screen, and the settings store that keeps them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from facegym_desktop.core.settings import Settings, load_settings
from facegym_desktop.ui.settings_store import SettingsStore
from facegym_desktop.ui.theme import DARK, LIGHT
from facegym_desktop.ui.view_settings import ViewSettings
from tests.ui.fakes import FakeDesktop


@pytest.fixture
def window(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def make_view(window: QWidget, path: Path, settings: Settings, desktop: FakeDesktop):
    return ViewSettings(SettingsStore(path, settings), window, desktop=desktop)


def test_following_the_desktop(qtbot, window: QWidget, tmp_path: Path) -> None:
    desktop = FakeDesktop(dark=True)
    view = make_view(window, tmp_path / "s.json", Settings(theme="system"), desktop)
    assert view.theme is DARK and view.follows_desktop
    with qtbot.waitSignal(view.theme_changed) as changed:
        desktop.switch(dark=False)
    assert changed.args == [LIGHT]
    assert view.theme is LIGHT


def test_a_theme_chosen_by_hand_stops_following(qtbot, window: QWidget, tmp_path: Path) -> None:
    desktop = FakeDesktop(dark=False)
    path = tmp_path / "s.json"
    view = make_view(window, path, Settings(theme="system"), desktop)
    ticks: list[tuple[str, bool]] = []
    view.dark_changed.connect(lambda dark: ticks.append(("dark", dark)))
    view.follows_desktop_changed.connect(lambda follows: ticks.append(("follows", follows)))
    view.toggle_dark()
    assert ticks == [("dark", True), ("follows", False)]
    assert view.theme is DARK and not view.follows_desktop
    assert load_settings(path).settings.theme == "dark"
    with qtbot.assertNotEmitted(view.theme_changed):
        desktop.switch(dark=False)
    assert view.theme is DARK
    # Following again takes the desktop's choice of the moment.
    view.toggle_follow_desktop()
    assert view.theme is LIGHT and view.follows_desktop
    assert load_settings(path).settings.theme == "system"
    # Leaving it keeps the theme in use as the fixed choice.
    view.toggle_follow_desktop()
    assert load_settings(path).settings.theme == "light"


def test_the_mirror_is_kept_and_reported(qtbot, window: QWidget, tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    view = make_view(window, path, Settings(mirror=True), FakeDesktop())
    with qtbot.waitSignal(view.mirror_changed) as changed:
        view.toggle_mirror()
    assert changed.args == [False]
    assert not view.mirrored
    assert load_settings(path).settings.mirror is False


def test_full_screen_goes_and_comes_back(qtbot, window: QWidget, tmp_path: Path) -> None:
    view = make_view(window, tmp_path / "s.json", Settings(), FakeDesktop())
    window.show()
    qtbot.waitExposed(window)
    view.toggle_full_screen()
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    view.toggle_full_screen()
    assert not window.windowState() & Qt.WindowState.WindowFullScreen


def test_a_failed_save_keeps_the_change_and_says_why(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    errors: list[str] = []
    store = SettingsStore(blocked / "settings.json", Settings(), on_error=errors.append)
    store.update(mirror=False)
    assert store.settings.mirror is False
    assert len(errors) == 1 and errors[0].startswith(f"{blocked / 'settings.json'}: could not save")


def test_remembering_a_choice_keeps_other_routines_lengths(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    store = SettingsStore(path, Settings(minutes_by_routine={"a": 3.0}))
    store.remember_choice("b", 4.5)
    kept = load_settings(path).settings
    assert kept.last_routine == "b"
    assert kept.minutes_by_routine == {"a": 3.0, "b": 4.5}
    with pytest.raises(TypeError):
        store.update(no_such_setting=1)
