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
``python -m facegym_desktop`` when the app runs from a checkout.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import platformdirs

from facegym_desktop import APP_ID, APP_NAME
from facegym_desktop.core.atomic_file import write_atomically

PROGRAM = "facegym-desktop"
"""The GUI script pyproject.toml installs (no console window on Windows)."""
DESKTOP_FILE_NAME = f"{APP_ID}.desktop"
PLIST_NAME = f"{APP_ID}.plist"
WINDOWS_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
WINDOWS_VALUE_NAME = APP_NAME
_EXEC_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')


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


# ------------------------------------------------------------------ XDG (Linux)


def _exec_argument(argument: str) -> str:
    """One Exec argument, quoted as the Desktop Entry Specification asks."""
    if argument and not (_EXEC_RESERVED & set(argument)):
        quoted = argument
    else:
        escaped = "".join("\\" + char if char in '"`$\\' else char for char in argument)
        quoted = f'"{escaped}"'
    # The value as a whole is a desktop-entry string: backslashes double, % doubles.
    return quoted.replace("\\", "\\\\").replace("%", "%%")


def desktop_exec_line(command: Sequence[str]) -> str:
    """The value of a desktop entry's ``Exec=`` key that runs ``command``."""
    return " ".join(_exec_argument(argument) for argument in command)


def desktop_entry_text(command: Sequence[str]) -> str:
    """The autostart desktop entry that runs ``command`` (program and arguments)."""
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


def xdg_autostart_dir() -> Path:
    """``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart`` when unset)."""
    return platformdirs.user_config_path() / "autostart"


def write_xdg_autostart(
    command: Sequence[str] | None = None, folder: Path | None = None
) -> Path:
    """Write the autostart entry atomically; returns its path.  Raises OSError."""
    target = (folder or xdg_autostart_dir()) / DESKTOP_FILE_NAME
    write_file_atomically(target, desktop_entry_text(command or launch_command()).encode("utf-8"))
    return target


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


def remove_launch_agent(home: Path | None = None) -> bool:
    """Remove the LaunchAgent plist; False when there was none.  Raises OSError."""
    return _remove(launch_agent_path(home))


# ------------------------------------------------------------------ Windows


def windows_run_value(command: Sequence[str]) -> str:
    """The Run key's command line for ``command``, quoted the way Windows parses it."""
    return subprocess.list2cmdline(list(command))


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


def set_autostart(enabled: bool, command: Sequence[str] | None = None) -> str:
    """Turn starting at log-in on or off for this platform; returns where it is kept.

    Raises OSError when the entry cannot be written or removed.
    """
    if sys.platform == "win32":
        set_windows_run(enabled, command)
        return f"HKEY_CURRENT_USER\\{WINDOWS_RUN_KEY}\\{WINDOWS_VALUE_NAME}"
    if sys.platform == "darwin":
        if enabled:
            return str(write_launch_agent(command))
        remove_launch_agent()
        return str(launch_agent_path())
    if enabled:
        return str(write_xdg_autostart(command))
    remove_xdg_autostart()
    return str(xdg_autostart_dir() / DESKTOP_FILE_NAME)


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
