"""The desktop files in packaging/ are valid and agree with the app."""

from __future__ import annotations

import ast
import configparser
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from facegym_desktop import APP_ID, __version__
from facegym_desktop.cli import main
from facegym_desktop.core.autostart import launch_command
from tests.e2e.conftest import require_tool

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DESKTOP_FILE = PACKAGING / f"{APP_ID}.desktop"
METAINFO_FILE = PACKAGING / f"{APP_ID}.metainfo.xml"
ICON_FILE = ROOT / "assets" / "icons" / f"{APP_ID}.svg"  # one copy: the app and packages
FLATPAK_MANIFEST = PACKAGING / "flatpak" / f"{APP_ID}.yml"
# Where the metainfo's screenshots live: the repository's raw files (see packaging/README.md).
SCREENSHOT_URL = "https://raw.githubusercontent.com/facegym/facegym-desktop/main/docs/screenshots/"
SHA256 = re.compile(r"[0-9a-f]{64}")


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
        ("miniaudio", "MIT"),
        ("cffi", "MIT"),
    ):
        row = next(line for line in notices.splitlines() if line.startswith(f"| {component} "))
        assert license_id in row and "http" in row, row
    spec = (PACKAGING / "facegym.spec").read_text(encoding="utf-8")
    for name in ("LICENSE", "THIRD-PARTY-NOTICES.md"):
        assert f'(str(ROOT / "{name}"), ".")' in spec
    with (ROOT / "pyproject.toml").open("rb") as source:
        project = tomllib.load(source)["project"]
    assert project["license-files"] == ["LICENSE", "THIRD-PARTY-NOTICES.md"]


def test_metainfo_shows_screenshots_from_the_repository() -> None:
    component = ET.parse(METAINFO_FILE).getroot()
    screenshots = component.findall("screenshots/screenshot")
    assert [shot.get("type") for shot in screenshots].count("default") == 1
    for shot in screenshots:
        assert shot.findtext("caption")
        image = shot.find("image")
        assert image is not None and image.text is not None
        assert image.text.startswith(SCREENSHOT_URL)
        picture = ROOT / "docs" / "screenshots" / image.text.removeprefix(SCREENSHOT_URL)
        png = picture.read_bytes()
        size = (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big"))
        assert (int(image.get("width", 0)), int(image.get("height", 0))) == size, picture


def test_metainfo_has_brand_colours_for_light_and_dark() -> None:
    colours = ET.parse(METAINFO_FILE).getroot().findall("branding/color")
    assert {(c.get("type"), c.get("scheme_preference")) for c in colours} == {
        ("primary", "light"),
        ("primary", "dark"),
    }
    for colour in colours:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour.text or ""), colour.text


def test_metainfo_release_of_this_version_has_a_date_that_has_come() -> None:
    releases = ET.parse(METAINFO_FILE).getroot().iterfind("releases/release")
    (release,) = (release for release in releases if release.get("version") == __version__)
    assert date.fromisoformat(release.get("date", "")) <= date.today()


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if sys.platform in ("win32", "darwin"):
        pytest.skip("install-desktop is for XDG desktops")
    home = tmp_path / "share"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def test_install_desktop_puts_a_valid_entry_icon_and_metainfo_in_xdg_data_home(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["install-desktop"]) == 0
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    icon = data_home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    metainfo = data_home / "metainfo" / f"{APP_ID}.metainfo.xml"
    written = capsys.readouterr().out.splitlines()
    assert written == [f"Wrote {entry}", f"Wrote {icon}", f"Wrote {metainfo}"]
    assert icon.read_bytes() == ICON_FILE.read_bytes()
    assert metainfo.read_bytes() == METAINFO_FILE.read_bytes()
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    result = subprocess.run([tool, str(entry)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
    # Every Exec runs the installed program, with the arguments packaging/ gives it.
    program = launch_command()
    assert Path(program[0]).is_absolute()
    installed = [line for line in entry.read_text().splitlines() if line.startswith("Exec=")]
    packaged = [line for line in DESKTOP_FILE.read_text().splitlines() if line.startswith("Exec=")]
    assert installed == [
        line.replace("Exec=facegym", "Exec=" + " ".join(program), 1) for line in packaged
    ]


def test_install_desktop_uninstall_removes_the_three_files(
    data_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["install-desktop"]) == 0
    written = [line.removeprefix("Wrote ") for line in capsys.readouterr().out.splitlines()]
    assert main(["install-desktop", "--uninstall"]) == 0
    removed = [line.removeprefix("Removed ") for line in capsys.readouterr().out.splitlines()]
    assert removed == written and not any(Path(path).exists() for path in written)
    assert main(["install-desktop", "--uninstall"]) == 0
    assert capsys.readouterr().out.strip() == f"Nothing to remove under {data_home}"


def _manifest_section(lines: list[str], key: str) -> list[str]:
    """The lines of a top-level key's block in the manifest (without the key's line)."""
    start = lines.index(f"{key}:") + 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i] and not lines[i].startswith((" ", "#"))),
        len(lines),
    )
    return lines[start:end]


def test_flatpak_manifest_is_offline_and_plays_sound_on_wayland_or_x11() -> None:
    text = FLATPAK_MANIFEST.read_text(encoding="utf-8")
    assert "\t" not in text
    lines = text.splitlines()
    assert f"app-id: {APP_ID}" in lines
    assert "runtime: org.kde.Platform" in lines or "runtime: org.freedesktop.Platform" in lines
    (command,) = (line.removeprefix("command: ") for line in lines if line.startswith("command:"))
    with (ROOT / "pyproject.toml").open("rb") as source:
        assert command in tomllib.load(source)["project"]["gui-scripts"]
    finish_args = [
        line.strip().removeprefix("- ")
        for line in _manifest_section(lines, "finish-args")
        if line.strip().startswith("- ")
    ]
    for wanted in ("--socket=wayland", "--socket=fallback-x11", "--socket=pulseaudio"):
        assert wanted in finish_args
    assert not any(arg.startswith(("--share=network", "--filesystem")) for arg in finish_args)


def test_flatpak_manifest_builds_espeak_ng_and_pins_every_download() -> None:
    lines = FLATPAK_MANIFEST.read_text(encoding="utf-8").splitlines()
    modules = [line.split(": ", 1)[1] for line in lines if line.startswith("  - name: ")]
    assert modules == ["espeak-ng", "python-dependencies", "facegym-desktop"]
    urls = [i for i, line in enumerate(lines) if line.strip().startswith("url: ")]
    assert urls
    for index in urls:
        url = lines[index].split("url: ", 1)[1]
        assert url.startswith("https://"), url
        checksum = lines[index + 1].strip()  # each source's checksum follows its address
        assert checksum.startswith("sha256: ") and SHA256.fullmatch(checksum[8:]), url
    espeak = [lines[i] for i in urls if "espeak-ng-" in lines[i]]
    assert len(espeak) == 1
    assert re.search(r"/releases/download/([\d.]+)/espeak-ng-\1\.tar\.gz$", espeak[0])
    wheels = {lines[i].rsplit("/", 1)[1].split("-")[0].lower() for i in urls if ".whl" in lines[i]}
    assert {"pyside6_essentials", "shiboken6", "pyttsx3", "platformdirs", "tomli_w"} <= wheels
    assert {"miniaudio", "cffi", "pycparser", "hatchling"} <= wheels


def test_flatpak_manifest_parses_as_yaml() -> None:
    import yaml  # from the test extras

    manifest = yaml.safe_load(FLATPAK_MANIFEST.read_text(encoding="utf-8"))
    assert manifest["app-id"] == APP_ID
    assert "--share=network" not in manifest["finish-args"]
    espeak = manifest["modules"][0]
    assert espeak["name"] == "espeak-ng"
    assert espeak["sources"][0]["type"] == "archive"
    assert SHA256.fullmatch(espeak["sources"][0]["sha256"])
