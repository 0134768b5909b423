"""The Qt-free core passes mypy in strict mode (the files are listed in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_the_core_type_checks_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy comes with the test extras: ./scripts/test.sh")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
