"""Starting at log-in: the XDG autostart entry on disk, the plist and Run value as data,
the Exec quoting read back, and which data folder the entry opens."""

from __future__ import annotations

import configparser
import plistlib
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop import APP_ID
from facegym_desktop.core.autostart import (
    DESKTOP_FILE_NAME,
    ExecValueError,
    LoginEntry,
    command_data_dir,
    desktop_entry_command,
    desktop_entry_text,
    desktop_exec_line,
    launch_agent_path,
    launch_agent_plist,
    launch_command,
    login_command,
    parse_desktop_exec,
    read_launch_agent,
    read_xdg_autostart,
    remove_xdg_autostart,
    set_autostart,
    split_windows_command_line,
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


# ------------------------------------------------------------------ the data folder


def test_the_login_command_opens_a_chosen_data_folder(tmp_path: Path) -> None:
    program = ["/usr/bin/facegym-desktop"]
    assert login_command(None, program) == program
    folder = tmp_path / "my data"
    assert login_command(folder, program) == [*program, "--data-dir", str(folder)]
    assert command_data_dir(login_command(folder, program)) == folder
    assert command_data_dir(program) is None
    assert command_data_dir([*program, f"--data-dir={folder}"]) == folder
    with pytest.raises(ValueError, match="not an absolute path"):
        login_command(Path("relative"), program)


def test_the_entry_opens_the_data_folder_whatever_its_name(tmp_path: Path) -> None:
    folder = tmp_path / 'Face gym "mine" 50% $HOME `x` \\ back é 日本'
    path = write_xdg_autostart(login_command(folder, ["/opt/face gym/facegym-desktop"]))
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    command = read_xdg_autostart()
    assert command == ["/opt/face gym/facegym-desktop", "--data-dir", str(folder)]
    assert parse_desktop_exec(_exec_of(path)) == command
    assert _as_a_shell_reads_it(_exec_of(path)) == command


def _as_a_shell_reads_it(value: str) -> list[str]:
    """The arguments ``sh`` finds in an Exec value once its string escapes and %% are
    read (the quoting rules are the shell's double quotes)."""
    shell = require_tool("sh", "dash")
    text = value.replace("\\\\", "\\").replace("%%", "%")
    script = "printf '%s\\0' " + text
    result = subprocess.run([shell, "-c", script], capture_output=True, timeout=60, check=True)
    return result.stdout.decode("utf-8").split("\0")[:-1]


@pytest.mark.parametrize(
    ("value", "command"),
    [
        ("facegym-desktop", ["facegym-desktop"]),
        ('"/a b/p"  x', ["/a b/p", "x"]),
        ('"" "a\\\\\\\\b" "\\\\$x \\\\`y\\\\" \\\\"z"', ["", "a\\b", "$x `y\" \"z"]),
        ("p 50%% %U", ["p", "50%"]),
        ("p%s%% %%", ["p%", "%"]),
        ('"a\\sb\\nc"', ["a b\nc"]),
    ],
)
def test_exec_values_read_as_the_specification_says(value: str, command: list[str]) -> None:
    assert parse_desktop_exec(value) == command


@pytest.mark.parametrize(
    "value", ['"open', "a\\\\b", "a\\qb", "a\\", "p 50%", "a;b", '"\\\\x"']
)
def test_exec_values_that_break_the_rules_are_refused(value: str) -> None:
    with pytest.raises(ExecValueError):
        parse_desktop_exec(value)


@pytest.mark.parametrize("argument", ["a\x01b", "\x7f", "\x85", "bad\udcffbyte"])
def test_an_argument_no_entry_can_hold_is_refused(argument: str) -> None:
    with pytest.raises(ExecValueError):
        desktop_exec_line(["/usr/bin/facegym-desktop", "--data-dir", argument])


_CONTROLS_AN_ENTRY_CANNOT_HOLD = [
    chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)] if chr(code) not in "\n\t\r"
]
_ARGUMENT = st.text(
    st.characters(
        blacklist_categories=("Cs",), blacklist_characters=_CONTROLS_AN_ENTRY_CANNOT_HOLD
    )
)


@given(st.lists(_ARGUMENT, min_size=1, max_size=6))
@settings(max_examples=300)
def test_exec_quoting_reads_back_the_same_command(command: list[str]) -> None:
    value = desktop_exec_line(command)
    assert "\n" not in value and "\r" not in value  # one line in the file
    assert parse_desktop_exec(value) == command
    assert desktop_entry_command(desktop_entry_text(command)) == command


@given(_ARGUMENT)
@settings(max_examples=200)
def test_any_absolute_data_folder_comes_back_from_the_entry(name: str) -> None:
    folder = Path("/home/person") / name.replace("/", "_")
    command = login_command(folder, ["/usr/bin/facegym-desktop"])
    parsed = parse_desktop_exec(desktop_exec_line(command))
    assert command_data_dir(parsed) == folder


@given(st.lists(st.text(st.characters(blacklist_characters="\x00")), min_size=1, max_size=6))
@settings(max_examples=300)
def test_the_run_value_splits_back_to_the_same_command(command: list[str]) -> None:
    assert split_windows_command_line(windows_run_value(command)) == command


def test_the_launch_agent_reads_back_its_command(tmp_path: Path) -> None:
    assert read_launch_agent(tmp_path) is None
    command = login_command(tmp_path / "data", ["/Applications/FaceGym.app/facegym-desktop"])
    write_launch_agent(command, home=tmp_path)
    assert read_launch_agent(tmp_path) == command
    launch_agent_path(tmp_path).write_bytes(b"not a plist")
    with pytest.raises(ValueError):
        read_launch_agent(tmp_path)


# ------------------------------------------------------------------ two data folders


PROGRAM = ["/usr/bin/facegym-desktop"]


def test_the_last_data_folder_to_turn_it_on_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    entry = set_autostart(True, first, PROGRAM)
    assert entry == LoginEntry(str(xdg_autostart_dir() / DESKTOP_FILE_NAME), None)
    assert set_autostart(True, first, PROGRAM).note is None  # the same folder again
    entry = set_autostart(True, second, PROGRAM)
    assert entry.note == (
        f"Start at log-in now opens {second} instead of {first} "
        "(one log-in entry: the last data folder to turn it on wins)."
    )
    assert read_xdg_autostart() == [*PROGRAM, "--data-dir", str(second)]
    entry = set_autostart(True, None, PROGRAM)
    assert entry.note is not None and "opens the default data folder instead of" in entry.note
    assert read_xdg_autostart() == PROGRAM


def test_turning_it_off_elsewhere_leaves_the_entry_and_says_so(tmp_path: Path) -> None:
    mine, other = tmp_path / "mine", tmp_path / "other"
    set_autostart(True, mine, PROGRAM)
    entry = set_autostart(False, other, PROGRAM)
    assert entry.note == (
        f"Start at log-in was left on: its entry opens {mine}, not this data folder; "
        "turn autostart off there to remove it."
    )
    assert read_xdg_autostart() == [*PROGRAM, "--data-dir", str(mine)]
    assert set_autostart(False, None, PROGRAM).note is not None  # nor the default folder
    assert set_autostart(False, mine, PROGRAM) == LoginEntry(entry.where, None)
    assert read_xdg_autostart() is None
    assert set_autostart(False, other, PROGRAM).note is None  # nothing there to keep


def test_an_entry_that_cannot_be_read_is_nobodys(tmp_path: Path) -> None:
    path = xdg_autostart_dir() / DESKTOP_FILE_NAME
    path.parent.mkdir(parents=True)
    path.write_text('[Desktop Entry]\nExec="unclosed\n', encoding="utf-8")
    assert set_autostart(False, tmp_path / "data", PROGRAM).note is None
    assert not path.exists()


def test_a_name_with_a_line_break_is_said_on_one_line(tmp_path: Path) -> None:
    set_autostart(True, tmp_path / "two\nlines", PROGRAM)
    note = set_autostart(True, None, PROGRAM).note
    assert note is not None and "\n" not in note and "two\\nlines" in note
