"""SIGTERM and Ctrl+C (SIGINT) close the real program as Ctrl+Q does.

`facegym run` plays a routine on Xvfb; a signal a couple of seconds in must end the
process with status 0 within a few seconds and leave the session in the history as
partial (not in progress until the next start).
"""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import history_stats, start_run

pytestmark = pytest.mark.e2e

ROUTINE = "morning-wake-up"
SCALE = 10  # 3 minutes play in 18 s: the signal comes well before the end
EXIT_SECONDS = 5.0  # from the signal to the process gone


def session_statuses(database: Path) -> list[str]:
    if not database.exists():
        return []
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5)
    try:
        return [row[0] for row in connection.execute("SELECT status FROM sessions")]
    except sqlite3.OperationalError:  # the schema is not written yet
        return []
    finally:
        connection.close()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_saves_the_session_as_partial_and_exits(
    xvfb_display: dict[str, str], facegym_cmd: list[str], data_dir: Path, number: int
) -> None:
    env = dict(xvfb_display)
    env.pop("FACEGYM_DATA_DIR", None)
    process = start_run(
        facegym_cmd, env, data_dir, ROUTINE, "--minutes", "3", "--time-scale", str(SCALE)
    )
    database = data_dir / "history.sqlite3"
    try:
        deadline = time.monotonic() + 30
        while session_statuses(database) != ["in_progress"]:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the session never started"
            time.sleep(0.1)
        time.sleep(2)  # a couple of seconds into the session
        sent = time.monotonic()
        process.send_signal(number)
        stdout, stderr = process.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, stderr
    assert took < EXIT_SECONDS, took
    assert "Traceback" not in stderr
    assert session_statuses(database) == ["partial"]
    summary = history_stats(facegym_cmd, env, data_dir)
    assert summary["sessions"] == 1
    assert summary["completed_sessions"] == 0
