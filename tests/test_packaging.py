"""The desktop files in packaging/ are valid and agree with the app."""

from __future__ import annotations

import ast
import configparser
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from facegym_desktop import APP_ID, __version__
from tests.e2e.conftest import require_tool

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / f"{APP_ID}.metainfo.xml"
ICON_FILE = ROOT / "assets" / "icons" / f"{APP_ID}.svg"  # one copy: the app and packages


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in desktop files
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def _console_scripts() -> dict[str, str]:
    with (ROOT / "pyproject.toml").open("rb") as source:
        return tomllib.load(source)["project"]["scripts"]


def test_metainfo_passes_appstream_validation() -> None:
    tool = require_tool("appstreamcli", "appstream")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_passes_validation() -> None:
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(DESKTOP_FILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_desktop_file_runs_the_installed_command_and_names_the_icon() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] in _console_scripts()


def test_metainfo_uses_the_app_id_and_lists_this_version() -> None:
    component = ET.parse(METAINFO_FILE).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == DESKTOP_FILE.name
    assert component.findtext("icon") == APP_ID
    assert component.findtext("provides/binary") in _console_scripts()
    releases = [release.get("version") for release in component.iterfind("releases/release")]
    assert __version__ in releases, "add a <release> entry for the new version"


def test_icon_is_a_square_svg() -> None:
    svg = ET.parse(ICON_FILE).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    _, _, width, height = (float(value) for value in svg.get("viewBox", "").split())
    assert width == height > 0


def test_pyinstaller_spec_bundles_the_data_where_the_app_looks() -> None:
    source = (PACKAGING / "facegym.spec").read_text(encoding="utf-8")
    ast.parse(source)  # PyInstaller executes the spec as Python
    for name in ("routines", "assets"):
        assert f'"facegym_desktop/_data/{name}"' in source
    assert "_data" in (ROOT / "facegym_desktop" / "paths.py").read_text(encoding="utf-8")


def test_the_frozen_build_has_an_icon_for_each_system() -> None:
    spec = (PACKAGING / "facegym.spec").read_text(encoding="utf-8")
    for name in ("facegym.ico", "facegym-1024.png"):
        assert (PACKAGING / "icons" / name).is_file()
        assert name in spec
    ico = (PACKAGING / "icons" / "facegym.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert int.from_bytes(ico[4:6], "little") >= 5  # several sizes


def _desktop_actions() -> dict[str, configparser.SectionProxy]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP_FILE, encoding="utf-8")
    names = [name for name in parser["Desktop Entry"]["Actions"].split(";") if name]
    return {name: parser[f"Desktop Action {name}"] for name in names}


def test_desktop_actions_start_the_morning_routine_and_open_the_history() -> None:
    from facegym_desktop.cli import build_parser, plain_launch

    actions = _desktop_actions()
    assert set(actions) == {"morning", "history"}
    for action in actions.values():
        program, *arguments = action["Exec"].split()
        assert program in _console_scripts() and action["Name"]
        args = build_parser().parse_args(arguments)  # the command line accepts it
        if action.name.endswith("morning"):
            assert args.command == "run"
            routine = tomllib.loads(
                (ROOT / "routines" / f"{args.routine}.toml").read_text(encoding="utf-8")
            )
            assert (routine["id"], routine["kind"]) == (args.routine, "daily")
            assert "morning" in routine["id"]
        else:
            launch = plain_launch(arguments)
            assert launch is not None and launch.history


def test_licenses_are_in_the_repository_and_the_bundle() -> None:
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License")
    assert "Copyright (c) 2026 FaceGym Desktop team" in license_text
    notices = (ROOT / "THIRD-PARTY-NOTICES.md").read_text(encoding="utf-8")
    for component, license_id in (
        ("PySide6", "LGPL-3.0"),
        ("shiboken6", "LGPL-3.0"),
        ("Qt 6", "LGPL-3.0"),
        ("pyttsx3", "MPL-2.0"),
        ("platformdirs", "MIT"),
        ("espeak-ng", "GPL-3.0"),
        ("alsa-utils", "GPL-2.0"),
    ):
        row = next(line for line in notices.splitlines() if line.startswith(f"| {component} "))
        assert license_id in row and "http" in row, row
    spec = (PACKAGING / "facegym.spec").read_text(encoding="utf-8")
    for name in ("LICENSE", "THIRD-PARTY-NOTICES.md"):
        assert f'(str(ROOT / "{name}"), ".")' in spec
    with (ROOT / "pyproject.toml").open("rb") as source:
        project = tomllib.load(source)["project"]
    assert project["license-files"] == ["LICENSE", "THIRD-PARTY-NOTICES.md"]
