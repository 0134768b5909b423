"""A whole session in the real program on a real X11 screen (Xvfb), sped up 30 times.

`facegym run ROUTINE --time-scale 30 --quit-when-done --mute` must open the window,
play the routine, save it to the history and exit 0 after about the planned time
divided by 30; a screenshot of the screen taken while it plays must show the app.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import history_stats, require_tool, start_run, wait_or_kill

pytestmark = pytest.mark.e2e

ROUTINE = "morning-wake-up"
MINUTES = 3  # its shortest length
SCALE = 30
PLANNED_SECONDS = MINUTES * 60 / SCALE  # 6 s on the wall clock
EXIT_SECONDS = 3.0  # allowed past the plan for saving the session and quitting
WINDOW_TITLE = "FaceGym Desktop"


def find_window(env: dict[str, str], xdotool: str, timeout: float = 20) -> str:
    """Block (bounded) until a visible FaceGym window is mapped; its X window id."""
    found = subprocess.run(
        [xdotool, "search", "--sync", "--onlyvisible", "--name", WINDOW_TITLE],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return found.stdout.split()[0]


def has_window_icon(window: str, env: dict[str, str], xprop: str, timeout: float = 10) -> bool:
    """Whether the window gets an icon (set just after the first frame) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = subprocess.run(
            [xprop, "-id", window, "_NET_WM_ICON"], env=env, capture_output=True, text=True
        )
        if shown.returncode == 0 and "_NET_WM_ICON(CARDINAL)" in shown.stdout:
            return True
        time.sleep(0.1)
    return False


def distinct_colours(image: Path, env: dict[str, str]) -> int:
    counted = subprocess.run(
        ["identify", "-format", "%k", str(image)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return int(counted.stdout.strip())


def test_run_plays_the_routine_saves_it_and_exits(
    xvfb_display: dict[str, str], facegym_cmd: list[str], data_dir: Path, tmp_path: Path
) -> None:
    xdotool = require_tool("xdotool", "xdotool")
    xprop = require_tool("xprop", "x11-utils")
    require_tool("import", "imagemagick")
    env = dict(xvfb_display)
    env.pop("FACEGYM_DATA_DIR", None)
    started = time.monotonic()
    process = start_run(
        facegym_cmd,
        env,
        data_dir,
        ROUTINE,
        "--minutes",
        str(MINUTES),
        "--time-scale",
        str(SCALE),
        "--quit-when-done",
    )
    try:
        window = find_window(env, xdotool)
        shown = time.monotonic()
        # Let it play a little (a bounded wait on the process, which must not end yet).
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=PLANNED_SECONDS / 3)
        icon_shown = has_window_icon(window, env, xprop)
        screenshot = tmp_path / "mid-session.png"
        subprocess.run(
            ["import", "-window", "root", str(screenshot)], env=env, timeout=30, check=True
        )
        stdout, stderr = process.communicate(timeout=PLANNED_SECONDS + 40)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    ended = time.monotonic()

    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert icon_shown, "the window never got its icon"
    # The session starts as the window opens; it ends after about plan / 30.
    playing = ended - shown
    # From the window showing to the process exiting: the session, saving it and
    # closing down, which take well under the seconds allowed beyond the plan.
    assert PLANNED_SECONDS * 0.7 <= playing <= PLANNED_SECONDS + EXIT_SECONDS, playing
    assert ended - started >= PLANNED_SECONDS * 0.7

    # A blank or black screen has one or two colours; the session shows many.
    assert screenshot.stat().st_size > 0
    assert distinct_colours(screenshot, env) > 50

    summary = history_stats(facegym_cmd, env, data_dir)
    assert summary["sessions"] == 1
    assert summary["completed_sessions"] == 1
    assert summary["active_days"] == 1
    # The whole plan was followed: stats show tenths of a minute.
    assert summary["total_minutes"] == pytest.approx(MINUTES, abs=0.05)
    assert summary["per_area_minutes"]["cheeks"] > 0

    # --mute is for this run only: the saved setting still speaks.
    settings = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert settings["muted"] is False
    assert settings["last_routine"] == ROUTINE


def test_a_kept_length_outside_the_range_plays_the_default_and_ends(
    xvfb_display: dict[str, str], facegym_cmd: list[str], data_dir: Path
) -> None:
    # `facegym settings set` takes 1-90 minutes for any routine; this one runs 3-8.
    (data_dir / "settings.json").write_text(
        json.dumps({"minutes_by_routine": {ROUTINE: 30}}), encoding="utf-8"
    )
    env = dict(xvfb_display)
    env.pop("FACEGYM_DATA_DIR", None)
    process = start_run(facegym_cmd, env, data_dir, ROUTINE, "--time-scale", "300",
                        "--quit-when-done")  # fmt: skip
    _, stderr = wait_or_kill(process, timeout=60)
    assert process.returncode == 0, stderr
    summary = history_stats(facegym_cmd, env, data_dir)
    assert summary["completed_sessions"] == 1
