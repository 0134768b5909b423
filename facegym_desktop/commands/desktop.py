"""`facegym install-desktop`: put the app in the desktop's menu and software centre.

Writes, for the current user, under ``$XDG_DATA_HOME`` (``~/.local/share`` when the
variable is unset)::

    applications/io.github.facegym.Desktop.desktop           the menu entry
    icons/hicolor/scalable/apps/io.github.facegym.Desktop.svg  its icon
    metainfo/io.github.facegym.Desktop.metainfo.xml          AppStream data

The menu entry is packaging/io.github.facegym.Desktop.desktop with every ``Exec=``
running the program this copy was started as (``core.autostart.launch_command``: the
``facegym-desktop`` beside the running Python or PyInstaller bundle, else on PATH),
so a bundle unpacked anywhere gets a working entry.  ``--uninstall`` removes the
three files.  It is a command rather than something the first start does: a
distribution's package or a Flatpak installs these files itself, and a start from a
checkout or a test should not leave entries in the menu.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from facegym_desktop import APP_ID
from facegym_desktop.commands.common import EXIT_OK, CommandError, add_command, os_error_text
from facegym_desktop.core.autostart import desktop_exec_line, launch_command, write_file_atomically
from facegym_desktop.paths import assets_dir, resource_dir

DESKTOP_FILE = Path("applications") / f"{APP_ID}.desktop"
ICON_FILE = Path("icons") / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
METAINFO_FILE = Path("metainfo") / f"{APP_ID}.metainfo.xml"
_TEMPLATE_PROGRAM = "facegym"  # what Exec= runs in packaging/'s desktop file


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        subparsers,
        "install-desktop",
        "add the app's menu entry, icon and AppStream data for this user (Linux)",
    )
    parser.add_argument("--uninstall", action="store_true", help="remove them again")
    parser.set_defaults(handler=_install_desktop)


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset."""
    return platformdirs.user_data_path()


def desktop_entry(template: str, command: Sequence[str]) -> str:
    """The menu entry ``template`` with each ``Exec=facegym ARGS`` running ``command ARGS``.

    ``template`` is a desktop file's text; ``command`` the program and its arguments.
    Raises ValueError when an Exec line runs something other than ``facegym``.
    """
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            program, *arguments = line.removeprefix("Exec=").split()
            if program != _TEMPLATE_PROGRAM:
                raise ValueError(f"unexpected program in {line!r}")
            line = "Exec=" + desktop_exec_line([*command, *arguments])
        lines.append(line)
    return "\n".join(lines) + "\n"


def install_desktop_files(
    home: Path | None = None, command: Sequence[str] | None = None
) -> list[Path]:
    """Write the menu entry, icon and AppStream file under ``home`` (default
    :func:`data_home`); returns the paths written.  Raises OSError."""
    home = home or data_home()
    packaging = resource_dir("packaging")
    entry = desktop_entry(
        (packaging / DESKTOP_FILE.name).read_text(encoding="utf-8"),
        command or launch_command(),
    )
    contents = {
        DESKTOP_FILE: entry.encode("utf-8"),
        ICON_FILE: (assets_dir() / "icons" / ICON_FILE.name).read_bytes(),
        METAINFO_FILE: (packaging / METAINFO_FILE.name).read_bytes(),
    }
    written = []
    for relative, data in contents.items():
        write_file_atomically(home / relative, data)
        written.append(home / relative)
    return written


def uninstall_desktop_files(home: Path | None = None) -> list[Path]:
    """Remove the three files from under ``home``; returns those that were there.
    Raises OSError."""
    home = home or data_home()
    removed = []
    for relative in (DESKTOP_FILE, ICON_FILE, METAINFO_FILE):
        target = home / relative
        if target.exists():
            target.unlink()
            removed.append(target)
    return removed


def _install_desktop(args: argparse.Namespace) -> int:
    if sys.platform in ("win32", "darwin"):
        raise CommandError(
            "install-desktop is for Linux and other XDG desktops; see packaging/README.md"
        )
    try:
        if args.uninstall:
            removed = uninstall_desktop_files()
            for path in removed:
                print(f"Removed {path}")
            if not removed:
                print(f"Nothing to remove under {data_home()}")
        else:
            for path in install_desktop_files():
                print(f"Wrote {path}")
    except OSError as error:
        raise CommandError(f"cannot change the desktop files: {os_error_text(error)}") from error
    return EXIT_OK
