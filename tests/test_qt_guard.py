"""The app refuses PySide6 6.12 on Python 3.11 before any window exists."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from facegym_desktop.qt_guard import (
    FIX,
    NO_DISPLAY,
    check_qt_binding,
    display_problem,
    installed_pyside_version,
)


@pytest.mark.parametrize("pyside", ["6.12.0", "6.12.1", "6.12.0rc1"])
def test_pyside_6_12_on_python_3_11_is_refused_with_the_fix(pyside: str) -> None:
    problem = check_qt_binding((3, 11, 9), pyside)
    assert problem is not None and "\n" not in problem
    assert f"PySide6 {pyside}" in problem and "Python 3.11.9" in problem
    assert FIX in problem and "Python 3.12 or newer" in problem


@pytest.mark.parametrize(
    ("python", "pyside"),
    [
        ((3, 11, 9), "6.11.2"),
        ((3, 11, 9), "6.8.0"),
        ((3, 11, 9), "6.13.0"),
        ((3, 12, 1), "6.12.0"),
        ((3, 13, 0), "6.12.1"),
        ((3, 11, 9), None),
    ],
)
def test_other_pairs_start(python: tuple[int, ...], pyside: str | None) -> None:
    assert check_qt_binding(python, pyside) is None


def test_a_refused_binding_stops_the_launch_before_any_window(tmp_path: Path) -> None:
    # The installed version is faked in the child process; nothing else changes.
    code = (
        "import sys, facegym_desktop.qt_guard as guard\n"
        "guard.installed_pyside_version = lambda: '6.12.0'\n"
        "sys.version_info = (3, 11, 4, 'final', 0)\n"
        "from facegym_desktop.cli import main\n"
        "code = main(['--smoke', '--data-dir', sys.argv[1]])\n"
        "from PySide6.QtWidgets import QApplication\n"
        "print('window' if QApplication.instance() else 'no window')\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == "no window"
    (line,) = result.stderr.splitlines()
    assert line.startswith("facegym: PySide6 6.12.0 crashes on Python 3.11.4")
    assert FIX in line


def test_the_version_comes_from_the_metadata_folder(tmp_path: Path) -> None:
    empty, site = tmp_path / "empty", tmp_path / "site"
    empty.mkdir()
    (site / "PySide6_Essentials-6.12.0.dist-info").mkdir(parents=True)
    (site / "shiboken6-6.12.0.dist-info").mkdir()
    missing = str(tmp_path / "missing")
    assert installed_pyside_version([missing, str(empty), str(site)]) == "6.12.0"
    assert installed_pyside_version([str(empty)]) is None


def test_the_running_interpreter_reports_its_pyside() -> None:
    from importlib import metadata

    assert installed_pyside_version() == metadata.version("PySide6-Essentials")


@pytest.mark.parametrize(
    ("environ", "platform", "refused"),
    [
        ({}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", False),
        ({}, "freebsd14", True),
        ({}, "win32", False),
        ({}, "darwin", False),
    ],
)
def test_a_session_without_a_display_is_named(
    environ: dict[str, str], platform: str, refused: bool
) -> None:
    assert (display_problem(environ, platform) == NO_DISPLAY) is refused


def test_no_display_is_one_line_and_exit_1_not_a_qt_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = subprocess.run(
        [sys.executable, "-m", "facegym_desktop", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [f"facegym: {NO_DISPLAY}"]


def test_an_imported_pyside_gives_its_own_version(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    monkeypatch.setitem(sys.modules, "PySide6", types.SimpleNamespace(__version__="6.99.1"))
    assert installed_pyside_version() == "6.99.1"  # not the folders of sys.path
    assert check_qt_binding((3, 11, 9), installed_pyside_version()) is None
