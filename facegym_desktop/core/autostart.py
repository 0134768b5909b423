"""Start FaceGym Desktop at log-in: the XDG autostart entry, the macOS LaunchAgent and
the Windows Run key.

Plain file writing, no Qt.  Each platform's entry is built as pure data first
(:func:`desktop_entry_text`, :func:`launch_agent_plist`, :func:`windows_run_value`)
and then written or removed; :func:`set_autostart` picks the one for this computer.

* Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/io.github.facegym.Desktop.desktop``
  (``~/.config/autostart`` when the variable is unset; platformdirs resolves it).
* macOS: ``~/Library/LaunchAgents/io.github.facegym.Desktop.plist``.
* Windows: the value ``FaceGym Desktop`` under
  ``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.

The command started is the installed ``facegym-desktop`` program, or
``python -m facegym_desktop`` when the app runs from a checkout, followed by
``--data-dir DIR`` when the setting was saved in a data folder chosen with
``--data-dir`` or ``FACEGYM_DATA_DIR`` (:func:`login_command`), so the app opens at
log-in on the folder the person uses.

There is one entry per person, not one per data folder: the last data folder to turn
starting at log-in on wins, and turning it off from a data folder the entry does not
open leaves the entry in place (:func:`set_autostart` says so in
:attr:`LoginEntry.note`).
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs

from facegym_desktop import APP_ID, APP_NAME
from facegym_desktop.core.atomic_file import write_atomically
from facegym_desktop.core.routine_text import CONTROL_CHARACTERS, one_line

PROGRAM = "facegym-desktop"
"""The GUI script pyproject.toml installs (no console window on Windows)."""
DESKTOP_FILE_NAME = f"{APP_ID}.desktop"
PLIST_NAME = f"{APP_ID}.plist"
WINDOWS_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
WINDOWS_VALUE_NAME = APP_NAME
DATA_DIR_OPTION = "--data-dir"
"""The option that chooses the data folder (``facegym --data-dir DIR``)."""
_EXEC_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')
_EXEC_QUOTED_ESCAPES = '"`$\\'
_STRING_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_STRING_UNESCAPES = {"\\": "\\", "n": "\n", "t": "\t", "r": "\r", "s": " "}


class LoginEntry(NamedTuple):
    """What :func:`set_autostart` did.

    ``where`` names where the entry is kept (a file or the registry value); ``note``
    is one line for the person when another data folder is involved (its entry was
    replaced, or left in place), else None.
    """

    where: str
    note: str | None = None


class ExecValueError(ValueError):
    """A command that a desktop entry's ``Exec`` key cannot hold, or an ``Exec`` value
    that does not follow the Desktop Entry Specification."""


def launch_command(
    python: str = sys.executable,
    frozen: bool = bool(getattr(sys, "frozen", False)),
    search_path: str | None = None,
) -> list[str]:
    """The command that starts the app: program and arguments.

    ``facegym-desktop`` beside ``python`` (a virtual environment, a PyInstaller
    bundle), then on ``search_path`` (default ``$PATH``); otherwise ``python -m
    facegym_desktop`` (a source checkout), or ``python`` itself when frozen.
    """
    suffix = ".exe" if os.name == "nt" else ""
    beside = Path(python).parent / f"{PROGRAM}{suffix}"
    if beside.is_file():
        return [str(beside)]
    if frozen:
        return [python]
    found = shutil.which(PROGRAM, path=search_path)
    if found:
        return [found]
    return [python, "-m", "facegym_desktop"]


def login_command(data_dir: Path | None, command: Sequence[str] | None = None) -> list[str]:
    """The command the log-in entry runs: ``command`` (default :func:`launch_command`)
    followed by ``--data-dir DATA_DIR`` when ``data_dir`` is given.

    ``data_dir`` is the data folder chosen with ``--data-dir`` or ``FACEGYM_DATA_DIR``,
    or None for the platform folders (the default, which needs no option).  Raises
    ValueError when ``data_dir`` is not absolute: the entry runs from another folder.
    """
    program = list(command or launch_command())
    if data_dir is None:
        return program
    if not data_dir.is_absolute():
        raise ValueError(f"the data folder {data_dir} is not an absolute path")
    return [*program, DATA_DIR_OPTION, str(data_dir)]


def command_data_dir(command: Sequence[str]) -> Path | None:
    """The data folder ``command`` opens: the value of its last ``--data-dir DIR`` or
    ``--data-dir=DIR``, or None when it has none (the platform folders)."""
    found: Path | None = None
    for index, argument in enumerate(command):
        if argument == DATA_DIR_OPTION and index + 1 < len(command):
            found = Path(command[index + 1])
        elif argument.startswith(DATA_DIR_OPTION + "="):
            found = Path(argument.removeprefix(DATA_DIR_OPTION + "="))
    return found


def same_data_dir(first: Path | None, second: Path | None) -> bool:
    """Whether two data folders (None: the platform folders) are the same folder."""
    if first is None or second is None:
        return first is second
    return os.path.normcase(os.path.abspath(first)) == os.path.normcase(os.path.abspath(second))


def data_dir_name(data_dir: Path | None) -> str:
    """``data_dir`` as a line names it: its path (printable on one line), or "the
    default data folder"."""
    return "the default data folder" if data_dir is None else one_line(str(data_dir))


# ------------------------------------------------------------------ XDG (Linux)


def _exec_argument(argument: str) -> str:
    """One Exec argument, quoted as the Desktop Entry Specification asks.

    Raises ExecValueError for a character no desktop entry can hold (a control
    character other than newline, tab and carriage return, or text that is not UTF-8:
    a lone surrogate from an undecodable file name).
    """
    try:
        argument.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ExecValueError(f"{argument!r} is not UTF-8 text") from error
    if any(char in CONTROL_CHARACTERS and char not in "\n\t\r" for char in argument):
        raise ExecValueError(f"{argument!r} holds a control character")
    if argument and not (_EXEC_RESERVED & set(argument)):
        quoted = argument
    else:
        escaped = "".join(
            "\\" + char if char in _EXEC_QUOTED_ESCAPES else char for char in argument
        )
        quoted = f'"{escaped}"'
    # The value as a whole is a desktop-entry string: backslashes double, a newline,
    # tab or carriage return is written as \n, \t, \r; then % doubles (a literal %).
    as_string = "".join(_STRING_ESCAPES.get(char, char) for char in quoted)
    return as_string.replace("%", "%%")


def desktop_exec_line(command: Sequence[str]) -> str:
    """The value of a desktop entry's ``Exec=`` key that runs ``command``.

    Raises ExecValueError when an argument cannot be written (see
    :func:`parse_desktop_exec`, which reads the value back to ``command``).
    """
    return " ".join(_exec_argument(argument) for argument in command)


def parse_desktop_exec(value: str) -> list[str]:
    """The program and arguments an ``Exec=`` value runs, read as the Desktop Entry
    Specification says: the string escapes (``\\s \\n \\t \\r \\\\``) first, then the
    arguments (split at spaces; in double quotes, ``\\"``, ``\\```, ``\\$`` and
    ``\\\\`` stand for the character), then ``%%`` stands for ``%``.

    Field codes (``%f``, ``%U``, ...) are dropped, as when no file is opened; an
    argument that was only a field code is no argument.  Raises ExecValueError for an
    unknown string escape, an unclosed quote, a backslash outside a quoted argument
    or a ``%`` at the end.
    """
    text = _unescape_string(value)
    arguments: list[str] = []
    current: list[str] = []
    started = False
    index = 0
    while index < len(text):
        char = text[index]
        if char == " ":
            if started:
                arguments.append("".join(current))
                current, started = [], False
            index += 1
        elif char == '"':
            started = True
            index += 1
            while True:
                if index >= len(text):
                    raise ExecValueError(f"unclosed quote in Exec value {value!r}")
                char = text[index]
                if char == '"':
                    index += 1
                    break
                if char == "\\":
                    if index + 1 >= len(text) or text[index + 1] not in _EXEC_QUOTED_ESCAPES:
                        raise ExecValueError(f"stray backslash in Exec value {value!r}")
                    char = text[index + 1]
                    index += 1
                current.append(char)
                index += 1
        elif char in _EXEC_RESERVED and char not in " \t\n":
            raise ExecValueError(f"unquoted {char!r} in Exec value {value!r}")
        else:
            started = True
            current.append(char)
            index += 1
    if started:
        arguments.append("".join(current))
    expanded = (_expand_field_codes(argument, value) for argument in arguments)
    return [argument for argument in expanded if argument is not None]


def _unescape_string(value: str) -> str:
    """A desktop-entry string value with its escapes read (``\\s \\n \\t \\r \\\\``)."""
    out: list[str] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            following = value[index + 1 : index + 2]
            if following not in _STRING_UNESCAPES:
                raise ExecValueError(f"unknown escape in desktop entry value {value!r}")
            out.append(_STRING_UNESCAPES[following])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _expand_field_codes(argument: str, value: str) -> str | None:
    """``argument`` with ``%%`` read as ``%`` and field codes dropped; None when it was
    field codes only."""
    out: list[str] = []
    index = 0
    dropped = False
    while index < len(argument):
        char = argument[index]
        if char == "%":
            if index + 1 >= len(argument):
                raise ExecValueError(f"a lone % ends an argument in Exec value {value!r}")
            if argument[index + 1] == "%":
                out.append("%")
            else:
                dropped = True
            index += 2
        else:
            out.append(char)
            index += 1
    if dropped and not out:
        return None
    return "".join(out)


def desktop_entry_text(command: Sequence[str]) -> str:
    """The autostart desktop entry that runs ``command`` (program and arguments).

    Raises ExecValueError when an argument cannot be written in an ``Exec`` value.
    """
    exec_line = desktop_exec_line(command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Reminders for your face massage routine\n"
        f"Exec={exec_line}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def desktop_entry_command(text: str) -> list[str] | None:
    """The command the ``Exec`` key of a desktop entry's ``[Desktop Entry]`` group runs,
    or None when there is no such key.  Raises ExecValueError when it cannot be read."""
    in_group = False
    for line in text.split("\n"):  # lines end at LF only; other breaks are text
        if line.startswith("["):
            in_group = line.strip() == "[Desktop Entry]"
        elif in_group and line.startswith("Exec"):
            key, equals, value = line.partition("=")
            if equals and key.strip() == "Exec":
                return parse_desktop_exec(value.strip(" "))
    return None


def xdg_autostart_dir() -> Path:
    """``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart`` when unset)."""
    return platformdirs.user_config_path() / "autostart"


def write_xdg_autostart(
    command: Sequence[str] | None = None, folder: Path | None = None
) -> Path:
    """Write the autostart entry atomically; returns its path.  Raises OSError, or
    ExecValueError when ``command`` cannot be written in an ``Exec`` value."""
    target = (folder or xdg_autostart_dir()) / DESKTOP_FILE_NAME
    write_file_atomically(target, desktop_entry_text(command or launch_command()).encode("utf-8"))
    return target


def read_xdg_autostart(folder: Path | None = None) -> list[str] | None:
    """The command the autostart entry runs, or None when there is no entry.

    Raises OSError when it cannot be read, ExecValueError (a ValueError, like a
    file that is not UTF-8) when its ``Exec`` value cannot be read.
    """
    target = (folder or xdg_autostart_dir()) / DESKTOP_FILE_NAME
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return desktop_entry_command(text)


def remove_xdg_autostart(folder: Path | None = None) -> bool:
    """Remove the autostart entry; False when there was none.  Raises OSError."""
    return _remove((folder or xdg_autostart_dir()) / DESKTOP_FILE_NAME)


# ------------------------------------------------------------------ macOS


def launch_agent_plist(command: Sequence[str]) -> dict[str, Any]:
    """The LaunchAgent property list that runs ``command`` at log-in."""
    return {
        "Label": APP_ID,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }


def launch_agent_path(home: Path | None = None) -> Path:
    """``~/Library/LaunchAgents/io.github.facegym.Desktop.plist``."""
    return (home or Path.home()) / "Library" / "LaunchAgents" / PLIST_NAME


def write_launch_agent(command: Sequence[str] | None = None, home: Path | None = None) -> Path:
    """Write the LaunchAgent plist; returns its path.  Raises OSError."""
    target = launch_agent_path(home)
    data = plistlib.dumps(launch_agent_plist(command or launch_command()))
    write_file_atomically(target, data)
    return target


def read_launch_agent(home: Path | None = None) -> list[str] | None:
    """The command the LaunchAgent runs, or None when there is none.

    Raises OSError when it cannot be read, ValueError when it is not a property list
    with a list of strings as ``ProgramArguments``.
    """
    try:
        data = launch_agent_path(home).read_bytes()
    except FileNotFoundError:
        return None
    try:
        arguments = plistlib.loads(data).get("ProgramArguments")
    except (plistlib.InvalidFileException, AttributeError) as error:
        raise ValueError(f"{launch_agent_path(home)} is not a LaunchAgent") from error
    if not isinstance(arguments, list) or not all(isinstance(a, str) for a in arguments):
        raise ValueError(f"{launch_agent_path(home)} has no ProgramArguments")
    return arguments


def remove_launch_agent(home: Path | None = None) -> bool:
    """Remove the LaunchAgent plist; False when there was none.  Raises OSError."""
    return _remove(launch_agent_path(home))


# ------------------------------------------------------------------ Windows


def windows_run_value(command: Sequence[str]) -> str:
    """The Run key's command line for ``command``, quoted the way Windows parses it."""
    return subprocess.list2cmdline(list(command))


def split_windows_command_line(value: str) -> list[str]:
    """The arguments of a Windows command line, split as the C runtime splits them:
    spaces and tabs separate; double quotes group; ``2n`` backslashes before a quote
    stand for ``n`` and the quote groups, ``2n+1`` stand for ``n`` and a literal
    quote; other backslashes are literal.  The inverse of :func:`windows_run_value`."""
    arguments: list[str] = []
    current: list[str] = []
    started = quoted = False
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            run = len(value) - index - len(value[index:].lstrip("\\"))
            index += run
            if value[index : index + 1] == '"':
                current.append("\\" * (run // 2))
                if run % 2:
                    current.append('"')
                    index += 1
            else:
                current.append("\\" * run)
            started = True
        elif char == '"':
            quoted = not quoted
            started = True
            index += 1
        elif char in " \t" and not quoted:
            if started:
                arguments.append("".join(current))
                current, started = [], False
            index += 1
        else:
            current.append(char)
            started = True
            index += 1
    if started:
        arguments.append("".join(current))
    return arguments


def read_windows_run() -> list[str] | None:
    """The command the Run value starts, or None when there is none.  Raises OSError
    (also on other platforms)."""
    if sys.platform != "win32":
        raise OSError("the Run key exists on Windows only")
    import winreg

    access = winreg.KEY_QUERY_VALUE
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, WINDOWS_RUN_KEY, 0, access) as key:
        try:
            value, _kind = winreg.QueryValueEx(key, WINDOWS_VALUE_NAME)
        except FileNotFoundError:
            return None
    return split_windows_command_line(str(value))


def set_windows_run(enabled: bool, command: Sequence[str] | None = None) -> None:
    """Add or remove the Run value.  Raises OSError (also on other platforms)."""
    if sys.platform != "win32":
        raise OSError("the Run key exists on Windows only")
    import winreg

    access = winreg.KEY_SET_VALUE
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, WINDOWS_RUN_KEY, 0, access) as key:
        if enabled:
            value = windows_run_value(command or launch_command())
            winreg.SetValueEx(key, WINDOWS_VALUE_NAME, 0, winreg.REG_SZ, value)
        else:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, WINDOWS_VALUE_NAME)


# ------------------------------------------------------------------ any platform


class _Platform(NamedTuple):
    where: str
    read: Callable[[], list[str] | None]
    write: Callable[[Sequence[str]], object]
    remove: Callable[[], object]


def _this_platform() -> _Platform:
    if sys.platform == "win32":
        return _Platform(
            f"HKEY_CURRENT_USER\\{WINDOWS_RUN_KEY}\\{WINDOWS_VALUE_NAME}",
            read_windows_run,
            lambda command: set_windows_run(True, command),
            lambda: set_windows_run(False),
        )
    if sys.platform == "darwin":
        return _Platform(
            str(launch_agent_path()), read_launch_agent, write_launch_agent, remove_launch_agent
        )
    return _Platform(
        str(xdg_autostart_dir() / DESKTOP_FILE_NAME),
        read_xdg_autostart,
        write_xdg_autostart,
        remove_xdg_autostart,
    )


def set_autostart(
    enabled: bool, data_dir: Path | None = None, command: Sequence[str] | None = None
) -> LoginEntry:
    """Turn starting at log-in on or off for this platform, for the data folder
    ``data_dir`` (None: the default one); returns where the entry is kept and a note.

    On: the entry runs :func:`login_command` and replaces any entry another data folder
    wrote (the note says so: one entry, the last data folder to turn it on wins).  Off:
    the entry is removed when it opens ``data_dir`` (or cannot be read); an entry that
    opens another data folder stays, and the note says so.  ``command`` is the program
    without the data folder (default :func:`launch_command`).

    Raises OSError when the entry cannot be read, written or removed, and ValueError
    when ``data_dir`` is relative or the command cannot be written in the entry.
    """
    platform = _this_platform()
    ours = login_command(data_dir, command)
    try:
        existing = platform.read()
    except ValueError:
        existing = None  # unreadable: nobody's entry to keep
    theirs = command_data_dir(existing) if existing is not None else data_dir
    other = not same_data_dir(theirs, data_dir)
    if enabled:
        platform.write(ours)
        note = (
            f"Start at log-in now opens {data_dir_name(data_dir)} instead of "
            f"{data_dir_name(theirs)} (one log-in entry: the last data folder to turn "
            "it on wins)."
            if other
            else None
        )
        return LoginEntry(platform.where, note)
    if other:
        return LoginEntry(
            platform.where,
            f"Start at log-in was left on: its entry opens {data_dir_name(theirs)}, "
            "not this data folder; turn autostart off there to remove it.",
        )
    platform.remove()
    return LoginEntry(platform.where)


def write_file_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` (making its folder) so it is never seen half written
    (core/atomic_file.py).  Raises OSError; no temporary file is left then."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, data)


def _remove(target: Path) -> bool:
    try:
        target.unlink()
    except FileNotFoundError:
        return False
    return True
