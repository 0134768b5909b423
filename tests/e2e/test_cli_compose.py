"""``facegym settings`` and ``facegym routines new`` as real processes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def facegym(cmd: list[str], data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cmd, *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_round_trip(facegym_cmd: list[str], data_dir: Path) -> None:
    result = facegym(facegym_cmd, data_dir, "settings", "set", "voice_rate", "165")
    assert result.returncode == 0, result.stderr
    listing = facegym(facegym_cmd, data_dir, "settings", "list", "--json")
    items = {item["key"]: item for item in json.loads(listing.stdout)}
    assert items["voice_rate"]["value"] == 165
    result = facegym(facegym_cmd, data_dir, "settings", "reset", "voice_rate")
    assert result.returncode == 0, result.stderr
    listing = facegym(facegym_cmd, data_dir, "settings", "list", "--json")
    items = {item["key"]: item for item in json.loads(listing.stdout)}
    assert items["voice_rate"]["value"] == items["voice_rate"]["default"]
    bad = facegym(facegym_cmd, data_dir, "settings", "set", "voice_rate", "fast")
    assert bad.returncode == 2 and "whole number from" in bad.stderr


def test_routines_new_writes_validates_and_plans(facegym_cmd: list[str], data_dir: Path) -> None:
    args = ("routines", "new", "Jaw and cheeks", "--minutes", "7.5")
    result = facegym(
        facegym_cmd, data_dir, *args, "--areas", "jawline,cheeks", "--tools", "knuckles"
    )
    assert result.returncode == 0, result.stderr
    path = data_dir / "routines" / "jaw-and-cheeks.toml"
    assert path.is_file()
    assert result.stdout.startswith("Jaw and cheeks: 7:30 (target 7:30)")
    planned = facegym(facegym_cmd, data_dir, "plan", "jaw-and-cheeks")
    assert planned.returncode == 0 and planned.stdout == result.stdout
    valid = facegym(facegym_cmd, data_dir, "routines", "validate", str(path))
    assert valid.returncode == 0 and valid.stdout == ""
    listed = facegym(facegym_cmd, data_dir, "routines", "list", "--json")
    mine = next(r for r in json.loads(listed.stdout) if r["id"] == "jaw-and-cheeks")
    assert mine["source"] == "user" and mine["default_minutes"] == 7.5
    assert {"jawline", "cheeks"} <= set(mine["areas"])
    assert set(mine["tools"]) <= {"fingers", "knuckles"}

    before = path.read_text()
    again = facegym(facegym_cmd, data_dir, *args)
    assert again.returncode == 1 and "--force" in again.stderr
    assert path.read_text() == before
    forced = facegym(facegym_cmd, data_dir, *args, "--force")
    assert forced.returncode == 0, forced.stderr


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--minutes", "5", "--areas", "elbow"), "unknown area elbow"),
        (("--minutes", "5", "--tools", "spoon"), "unknown tool spoon"),
        (("--minutes", "89"), "longer than these moves can fill"),
    ],
)
def test_routines_new_refuses_impossible_requests(
    facegym_cmd: list[str], data_dir: Path, tmp_path: Path, extra: tuple[str, ...], words: str
) -> None:
    output = tmp_path / "out.toml"
    result = facegym(
        facegym_cmd, data_dir, "routines", "new", "Mine", *extra, "--output", str(output)
    )
    assert result.returncode == 2
    assert words in result.stderr
    assert not output.exists()
