"""The scripts that make the README's pictures run to the end and make every picture
the README shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import REPO


def test_the_screenshot_scripts_make_every_picture_the_readme_shows(tmp_path: Path) -> None:
    for script in ("screenshots.py", "builder_screenshots.py"):
        done = subprocess.run(
            [sys.executable, str(REPO / "scripts" / script), "--out", str(tmp_path)],
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, (script, done.stderr[-2000:])
    shown = set(re.findall(r"docs/screenshots/([\w.-]+\.png)", (REPO / "README.md").read_text()))
    made = {path.name for path in tmp_path.glob("*.png")}
    assert shown <= made, sorted(shown - made)
    for name in made:
        assert (tmp_path / name).stat().st_size > 10_000, name  # a picture, not a blank
