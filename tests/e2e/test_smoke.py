"""Starting the app for real on Xvfb: the smoke check and the single running instance."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import require_tool

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
WINDOW_TITLE = "FaceGym Desktop"


def run(
    cmd: list[str], env: dict[str, str], timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)


def test_smoke_prints_ok_after_the_first_paint(
    xvfb_display: dict[str, str], facegym_cmd: list[str], data_dir: Path
) -> None:
    result = run([*facegym_cmd, "--smoke", "--data-dir", str(data_dir)], xvfb_display)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert "Traceback" not in result.stderr


def test_smoke_on_a_broken_settings_file_still_starts_and_keeps_the_file(
    xvfb_display: dict[str, str], facegym_cmd: list[str], data_dir: Path
) -> None:
    (data_dir / "settings.json").write_text("{ not json", encoding="utf-8")
    result = run([*facegym_cmd, "--smoke", "--data-dir", str(data_dir)], xvfb_display)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    kept = [p for p in data_dir.iterdir() if p.name.startswith("settings.json.")]
    assert [p.read_text(encoding="utf-8") for p in kept] == ["{ not json"]


def test_a_second_launch_raises_the_first_and_exits(
    xvfb_display: dict[str, str], facegym_cmd: list[str], data_dir: Path
) -> None:
    xdotool = require_tool("xdotool", "xdotool")
    env = dict(xvfb_display)
    first = subprocess.Popen(
        [*facegym_cmd, "--data-dir", str(data_dir)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        subprocess.run(
            [xdotool, "search", "--sync", "--onlyvisible", "--name", WINDOW_TITLE],
            env=env,
            capture_output=True,
            timeout=20,
            check=True,
        )
        second = run([*facegym_cmd, "--data-dir", str(data_dir)], env)
        assert second.returncode == 0, second.stderr
        assert "already open" in second.stdout
        # The first one is still running and was asked to come forward.
        assert first.poll() is None
        log = data_dir / "logs" / "facegym.log"
        asked = "second launch asked this window to come to the front"
        # Bounded wait on the first process; the log line lands within a moment.
        for _ in range(50):
            if log.exists() and asked in log.read_text(encoding="utf-8"):
                break
            with pytest.raises(subprocess.TimeoutExpired):
                first.wait(timeout=0.1)
        assert asked in log.read_text(encoding="utf-8")
        visible = subprocess.run(
            [xdotool, "search", "--onlyvisible", "--name", WINDOW_TITLE],
            env=env,
            capture_output=True,
            text=True,
            timeout=10,
        )
        assert len(visible.stdout.split()) == 1, "one window, not two"
    finally:
        first.terminate()
        try:
            first.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            first.kill()
            first.communicate()


def test_another_data_dir_is_another_instance(
    xvfb_display: dict[str, str], facegym_cmd: list[str], tmp_path: Path
) -> None:
    """The lock is per data folder: smoke checks in two folders never wait on each other."""
    for name in ("one", "two"):
        folder = tmp_path / name
        result = run([*facegym_cmd, "--smoke", "--data-dir", str(folder)], xvfb_display)
        assert (result.returncode, result.stdout.strip()) == (0, "ok")


# Modules the first frame must not wait for: dates, the TOML parser once routines are
# cached, the database, speech, the views a session builds when it starts, and the
# Routine menu's tools (made right after the first frame).
NOT_AT_START_UP = (
    "datetime",
    "tomllib",
    "sqlite3",
    "facegym_desktop.commands",
    "facegym_desktop.core.history",
    "facegym_desktop.core.session",
    "facegym_desktop.speech",
    "facegym_desktop.ui.session_view",
    "facegym_desktop.ui.finish_view",
    "facegym_desktop.ui.history_window",
    "facegym_desktop.ui.voice_dialog",
    "facegym_desktop.ui.single_instance",
    "facegym_desktop.ui.builder_actions",
    "facegym_desktop.ui.routine_drop",
)

LOADED_AFTER_SMOKE = """
import gc
import sys
from facegym_desktop.cli import main

code = main(sys.argv[1:])
print("collector on:", gc.isenabled(), "frozen:", gc.get_freeze_count(), file=sys.stderr)
watched = {watched!r}
print(sorted(m for m in sys.modules if m.startswith(watched)), file=sys.stderr)
sys.exit(code)
"""


def test_the_first_frame_loads_only_what_it_shows(
    xvfb_display: dict[str, str], data_dir: Path
) -> None:
    import sys

    script = LOADED_AFTER_SMOKE.format(watched=NOT_AT_START_UP)
    command = [sys.executable, "-c", script, "--smoke", "--data-dir", str(data_dir)]
    first = run(command, xvfb_display)  # a first start parses the routines and caches them
    assert first.returncode == 0, first.stderr
    assert "'tomllib'" in first.stderr.strip().splitlines()[-1]  # so the check does see
    again = run(command, xvfb_display)
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip().splitlines()[-1] == "[]"


COLLECTED_IN_A_SESSION = """
import gc
import sys
import threading
from facegym_desktop.cli import main

threads = set()
gc.callbacks.append(lambda phase, info: threads.add(threading.current_thread().name))
code = main(sys.argv[1:])
print("automatic:", gc.isenabled(), "frozen:", gc.get_freeze_count(), file=sys.stderr)
print("collected in:", sorted(threads), file=sys.stderr)
sys.exit(code)
"""


def test_start_up_objects_are_frozen_and_only_the_gui_thread_collects(
    xvfb_display: dict[str, str], data_dir: Path
) -> None:
    import sys

    # A real session, fast-forwarded: the history worker and the speech helpers run
    # Python code in their own threads while the GUI thread's collector does its work.
    command = [
        sys.executable, "-c", COLLECTED_IN_A_SESSION, "run", "morning-wake-up",
        "--minutes", "3", "--time-scale", "60", "--quit-when-done", "--mute",
        "--data-dir", str(data_dir),
    ]
    result = run(command, xvfb_display, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    words = next(line for line in lines if line.startswith("automatic:")).split()
    assert words[1] == "False"  # no thread collects by itself (see ui/collector.py)
    # The bindings, enums, routines and window made while loading stay out of
    # later collections (there are tens of thousands of them).
    assert int(words[-1]) > 10_000
    collected_in = next(line for line in lines if line.startswith("collected in:"))
    assert collected_in == "collected in: ['MainThread']", result.stderr
