"""``facegym settings list|set|reset`` in-process: every declaration, kind reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.core.settings import DECLARED, SETTINGS


def as_json(value: object) -> object:
    """``value`` as it reads back from JSON (tuples become lists)."""
    return json.loads(json.dumps(value))

def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--data-dir", str(data_dir)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(capsys: pytest.CaptureFixture[str], data_dir: Path) -> dict[str, dict[str, object]]:
    code, out, _ = run(capsys, data_dir, "settings", "list", "--json")
    assert code == 0
    return {item["key"]: item for item in json.loads(out)}


def test_list_json_shows_every_declared_setting_with_its_declaration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = listed(capsys, tmp_path)
    assert list(items) == [setting.key for setting in DECLARED]
    for setting in DECLARED:
        item = items[setting.key]
        assert set(item) == {"key", "value", "default", "allowed", "label", "help"}
        assert item["value"] == item["default"] == as_json(setting.normal(setting.default))
        assert item["allowed"] == setting.allowed
        assert item["label"] == setting.label
        assert item["help"] == setting.help


def test_list_text_marks_defaults_and_shows_the_help(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, tmp_path, "settings", "set", "theme", "dark")
    code, out, _ = run(capsys, tmp_path, "settings", "list")
    assert code == 0
    lines = out.splitlines()
    assert "theme = dark" in lines
    assert "mirror = true (default)" in lines
    assert f"    {SETTINGS['theme'].help}" in lines
    # Each setting's allowed values follow its help, as `settings set` would check them.
    for setting in DECLARED:
        assert f"    Allowed: {setting.allowed}." in lines
    at = lines.index("theme = dark")
    assert lines[at + 2] == f"    Allowed: {SETTINGS['theme'].allowed}."


@pytest.mark.parametrize("setting", DECLARED, ids=lambda setting: setting.key)
def test_every_setting_round_trips_through_set_and_reset(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, setting: object
) -> None:
    from facegym_desktop.core.setting_kinds import Setting

    assert isinstance(setting, Setting)
    text = _other_value_text(setting)
    code, out, err = run(capsys, tmp_path, "settings", "set", setting.key, text)
    assert code == 0, err
    expected = setting.parse(text)
    assert listed(capsys, tmp_path)[setting.key]["value"] == as_json(setting.normal(expected))
    saved = json.loads((tmp_path / "settings.json").read_text())
    assert saved[setting.key] == as_json(setting.normal(expected))
    code, out, _ = run(capsys, tmp_path, "settings", "reset", setting.key)
    assert code == 0
    assert out.strip().endswith("(default)")
    item = listed(capsys, tmp_path)[setting.key]
    assert item["value"] == item["default"]


def _other_value_text(setting: object) -> str:
    """Text for an allowed value other than the default, from the declaration alone."""
    from facegym_desktop.core.setting_kinds import (
        BoolSetting,
        ChoiceSetting,
        FloatSetting,
        IntSetting,
        MinutesSetting,
        OptionalSecondsSetting,
        TextSetting,
    )

    if isinstance(setting, BoolSetting):
        return "false" if setting.default else "true"
    if isinstance(setting, ChoiceSetting):
        return next(choice for choice in setting.choices if choice != setting.default)
    if isinstance(setting, IntSetting | FloatSetting):
        value = setting.maximum if setting.default != setting.maximum else setting.minimum
        return str(value)
    if isinstance(setting, TextSetting):
        return "x" * min(5, setting.max_length)
    if isinstance(setting, MinutesSetting):
        return json.dumps({"morning-wake-up": setting.minimum})
    if isinstance(setting, OptionalSecondsSetting):
        return str(setting.maximum)
    # A declaration kind added later: its own formatted default still round-trips.
    return str(setting.format(setting.default))  # type: ignore[attr-defined]


def test_a_value_outside_the_declaration_exits_2_naming_the_allowed_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, tmp_path, "settings", "set", "voice_rate", "300")
    assert code == 2
    assert SETTINGS["voice_rate"].allowed in err
    code, _, err = run(capsys, tmp_path, "settings", "set", "theme", "purple")
    assert code == 2
    assert "system, light, dark" in err
    assert not (tmp_path / "settings.json").exists()


def test_an_unknown_key_exits_2_with_close_matches_or_every_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, tmp_path, "settings", "set", "voice_rat", "150")
    assert code == 2
    assert "voice_rate" in err and "theme" not in err
    code, _, err = run(capsys, tmp_path, "settings", "reset", "zzzz")
    assert code == 2
    assert all(key in err for key in SETTINGS)


def test_keys_from_a_newer_version_are_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "theme": "light", "from_the_future": [1, 2]}))
    code, _, _ = run(capsys, tmp_path, "settings", "set", "muted", "yes")
    assert code == 0
    saved = json.loads(path.read_text())
    assert saved["from_the_future"] == [1, 2]
    assert saved["theme"] == "light" and saved["muted"] is True
    assert not list(tmp_path.glob("*.tmp"))


def test_a_damaged_file_is_moved_aside_with_a_notice_and_the_command_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    code, out, err = run(capsys, tmp_path, "settings", "set", "theme", "dark")
    assert code == 0
    assert out.strip() == "theme = dark"
    assert "cannot be read" in err and str(path) in err
    kept = list(tmp_path.glob("settings.json.unreadable-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{not json"
    assert json.loads(path.read_text())["theme"] == "dark"


@pytest.mark.parametrize(("key", "seconds"), [("prep_seconds", 10), ("pause_seconds", 0)])
def test_prep_and_pause_take_seconds_or_the_routines_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str, seconds: int
) -> None:
    item = listed(capsys, tmp_path)[key]
    assert item["value"] is None and item["default"] is None
    assert '"routine" (each routine\'s own)' in str(item["allowed"])
    code, out, _ = run(capsys, tmp_path, "settings", "set", key, str(seconds))
    assert (code, out.strip()) == (0, f"{key} = {seconds}")
    assert json.loads((tmp_path / "settings.json").read_text())[key] == seconds
    assert listed(capsys, tmp_path)[key]["value"] == seconds
    code, out, _ = run(capsys, tmp_path, "settings", "set", key, "routine")
    assert (code, out.strip()) == (0, f"{key} = routine (default)")
    assert json.loads((tmp_path / "settings.json").read_text())[key] is None
    run(capsys, tmp_path, "settings", "set", key, str(seconds))
    code, out, _ = run(capsys, tmp_path, "settings", "reset", key)
    assert (code, out.strip()) == (0, f"{key} = routine (default)")
    assert listed(capsys, tmp_path)[key]["value"] is None
    code, out, _ = run(capsys, tmp_path, "settings", "list")
    assert f"{key} = routine (default)" in out.splitlines()


@pytest.mark.parametrize(
    ("key", "text", "allowed"),
    [
        ("prep_seconds", "121", "from 0 to 120"),
        ("prep_seconds", "soon", "from 0 to 120"),
        ("pause_seconds", "61", "from 0 to 60"),
        ("pause_seconds", "-5", "from 0 to 60"),
    ],
)
def test_a_prep_or_pause_outside_the_range_exits_2_naming_the_allowed_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str, text: str, allowed: str
) -> None:
    code, out, err = run(capsys, tmp_path, "settings", "set", key, text)
    assert code == 2 and out == ""
    assert f"{key}: " in err
    assert f'"routine" (each routine\'s own) or a whole number of seconds {allowed}' in err
    assert not (tmp_path / "settings.json").exists()


def test_minus_zero_is_kept_and_shown_as_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, tmp_path, "settings", "set", "voice_volume", "-0")
    assert code == 0 and out.strip() == "voice_volume = 0.0"
    assert json.loads((tmp_path / "settings.json").read_text())["voice_volume"] == 0.0
    assert "-0" not in (tmp_path / "settings.json").read_text()
