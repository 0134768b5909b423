"""Starting at log-in: the XDG autostart entry on disk, the plist and Run value as data."""

from __future__ import annotations

import configparser
import plistlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from facegym_desktop import APP_ID
from facegym_desktop.core.autostart import (
    DESKTOP_FILE_NAME,
    desktop_entry_text,
    launch_agent_path,
    launch_agent_plist,
    launch_command,
    remove_xdg_autostart,
    windows_run_value,
    write_launch_agent,
    write_xdg_autostart,
    xdg_autostart_dir,
)
from tests.e2e.conftest import require_tool


def _exec_of(path: Path) -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Icon"] == APP_ID
    return entry["Exec"]


def _unescape_exec(value: str) -> list[str]:
    """Read an Exec value back the way a desktop reads it (string, then quoting rules)."""
    text = value.replace("\\\\", "\\").replace("%%", "%")
    return shlex.split(text)


def test_xdg_config_home_decides_the_autostart_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert xdg_autostart_dir() == tmp_path / "config" / "autostart"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if sys.platform.startswith("linux"):
        assert xdg_autostart_dir() == tmp_path / "home" / ".config" / "autostart"


def test_the_written_entry_validates_and_runs_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    command = [str(tmp_path / "my apps" / "python3"), "-m", "facegym_desktop", "50%"]
    path = write_xdg_autostart(command)
    assert path == tmp_path / "config" / "autostart" / DESKTOP_FILE_NAME
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    assert _unescape_exec(_exec_of(path)) == command
    assert remove_xdg_autostart() is True
    assert not path.exists()
    assert remove_xdg_autostart() is False


def test_a_plain_command_is_not_quoted() -> None:
    assert "Exec=/usr/bin/facegym-desktop\n" in desktop_entry_text(["/usr/bin/facegym-desktop"])


def test_the_installed_program_beside_python_is_preferred(tmp_path: Path) -> None:
    python = tmp_path / "bin" / "python"
    python.parent.mkdir()
    assert launch_command(str(python), frozen=False, search_path=str(tmp_path / "none")) == [
        str(python),
        "-m",
        "facegym_desktop",
    ]
    name = "facegym-desktop.exe" if sys.platform == "win32" else "facegym-desktop"
    program = python.parent / name
    program.write_text("", encoding="utf-8")
    assert launch_command(str(python), frozen=False) == [str(program)]


def test_a_frozen_build_starts_itself(tmp_path: Path) -> None:
    bundle = str(tmp_path / "facegym")
    assert launch_command(bundle, frozen=True, search_path=str(tmp_path)) == [bundle]


def test_the_launch_agent_plist_runs_the_command_at_login(tmp_path: Path) -> None:
    command = ["/Applications/FaceGym Desktop.app/Contents/MacOS/facegym-desktop"]
    plist = launch_agent_plist(command)
    assert plist == {
        "Label": APP_ID,
        "ProgramArguments": command,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    assert plistlib.loads(plistlib.dumps(plist)) == plist
    path = write_launch_agent(command, home=tmp_path)
    assert path == launch_agent_path(tmp_path)
    assert path == tmp_path / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    assert plistlib.loads(path.read_bytes()) == plist


def test_the_run_value_quotes_paths_with_spaces() -> None:
    value = windows_run_value([r"C:\Program Files\FaceGym\facegym-desktop.exe"])
    assert value == r'"C:\Program Files\FaceGym\facegym-desktop.exe"'
