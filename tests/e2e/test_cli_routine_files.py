"""``facegym routines validate`` on paths that are not routine files: refused, never stuck."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from facegym_desktop.paths import builtin_routines_dir

TIMEOUT_SECONDS = 30


def validate(cmd: list[str], *paths: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*cmd, "routines", "validate", "--data-dir", str(data_dir), *paths],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_and_devices_are_refused_without_a_hang(
    facegym_cmd, tmp_path: Path, data_dir: Path
) -> None:
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    devices = [device for device in ("/dev/zero", "/dev/null") if os.path.exists(device)]
    result = validate(facegym_cmd, str(pipe), *devices, data_dir=data_dir)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{pipe}: file: is a named pipe (FIFO), not a regular file; not read",
        *(f"{d}: file: is a character device, not a regular file; not read" for d in devices),
    ]


def test_a_copy_of_the_built_in_routines_validates_cleanly(
    facegym_cmd, tmp_path: Path, data_dir: Path
) -> None:
    # As `facegym routines validate routines/*.toml` from a checkout against an installed copy.
    checkout = tmp_path / "routines"
    shutil.copytree(builtin_routines_dir(), checkout)
    files = sorted(str(path) for path in checkout.glob("*.toml"))
    result = validate(facegym_cmd, *files, data_dir=data_dir)
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"{len(files)} files checked: no problems.\n"
