"""``plan`` and ``run`` by an id whose file was refused: the file and its problem are named."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.e2e.conftest import facegym
from tests.factories import user_routine_toml

pytestmark = pytest.mark.e2e

LEFT_SIDE = user_routine_toml("left-side", "Left side", "Only the left side.") + (
    '\n[[steps]]\nmove = "chin-flicks"\nseconds = 30\nsides = "left"\n'
)


def no_display_env() -> dict[str, str]:
    """The environment without a screen: a window, if one were opened, could not be seen."""
    env = dict(os.environ)
    env.pop("FACEGYM_DATA_DIR", None)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture
def refused_file(data_dir: Path) -> Path:
    folder = data_dir / "routines"
    folder.mkdir()
    path = folder / "left-side.toml"
    path.write_text(LEFT_SIDE, encoding="utf-8")
    return path.resolve()


def known_ids(cmd: list[str], data_dir: Path) -> str:
    """The ids ``routines list`` shows for ``data_dir``, sorted and comma separated."""
    listed = facegym(cmd, "routines", "list", "--json", "--data-dir", str(data_dir))
    assert listed.returncode == 0, listed.stderr
    return ", ".join(sorted(routine["id"] for routine in json.loads(listed.stdout)))


def expected_message(cmd: list[str], refused_file: Path, data_dir: Path) -> str:
    problem = f"{refused_file}: steps[2].sides: must be one of both, each, got 'left'"
    return (
        f"facegym: no routine with id 'left-side': {refused_file} was refused ({problem}); "
        f'run "facegym routines validate {refused_file} --data-dir {data_dir}" '
        f"for every problem; known: {known_ids(cmd, data_dir)}"
    )


def test_plan_names_the_refused_file_and_its_first_problem(
    facegym_cmd: list[str], data_dir: Path, refused_file: Path
) -> None:
    result = facegym(facegym_cmd, "plan", "left-side", "--data-dir", str(data_dir))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [expected_message(facegym_cmd, refused_file, data_dir)]
    assert "morning-wake-up" in result.stderr  # the known ids are still offered


def test_the_validate_command_named_lists_the_same_problem(
    facegym_cmd: list[str], data_dir: Path, refused_file: Path
) -> None:
    result = facegym(
        facegym_cmd, "routines", "validate", str(refused_file), "--data-dir", str(data_dir)
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{refused_file}: steps[2].sides: must be one of both, each, got 'left'"
    ]


def test_run_names_the_refused_file_without_opening_a_window(
    facegym_cmd: list[str], data_dir: Path, refused_file: Path
) -> None:
    result = facegym(
        facegym_cmd, "run", "left-side", "--mute", "--data-dir", str(data_dir), env=no_display_env()
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [expected_message(facegym_cmd, refused_file, data_dir)]


def test_an_unrelated_refused_file_is_counted(
    facegym_cmd: list[str], data_dir: Path, refused_file: Path
) -> None:
    result = facegym(facegym_cmd, "plan", "no-such-routine", "--data-dir", str(data_dir))
    assert result.returncode == 1
    known = known_ids(facegym_cmd, data_dir)
    assert result.stderr.splitlines() == [
        f"facegym: no routine with id 'no-such-routine' (known: {known}); "
        f'1 problem in routine files: "facegym routines list --data-dir {data_dir}" shows them'
    ]
    assert str(refused_file) not in result.stderr
