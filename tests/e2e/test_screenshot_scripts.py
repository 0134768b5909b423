"""The scripts that make the README's pictures run to the end and make every picture
the README shows (README.md, under the screenshots)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import REPO


def test_the_screenshot_scripts_make_every_picture_the_readme_shows(tmp_path: Path) -> None:
    makers = (
        ("scripts/screenshots.py", "--out"),
        ("scripts/builder_screenshots.py", "--out"),
        ("bench/bench_history.py", "--screenshots"),  # the History window, a year of data
    )
    for script, option in makers:
        done = subprocess.run(
            [sys.executable, str(REPO / script), option, str(tmp_path)],
            capture_output=True, text=True, timeout=180,
        )
        assert done.returncode == 0, (script, done.stderr[-2000:])
    shown = set(re.findall(r"docs/screenshots/([\w.-]+\.png)", (REPO / "README.md").read_text()))
    made = {path.name for path in tmp_path.glob("*.png")}
    assert shown <= made, sorted(shown - made)
    for name in made:
        assert (tmp_path / name).stat().st_size > 10_000, name  # a picture, not a blank
