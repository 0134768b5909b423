"""A writer killed with SIGKILL hundreds of times mid-save loses nothing it committed.

Each round starts a writer process that saves sessions the way the player does
(begin, a checkpoint per move, finish) and reports every commit on stdout.  The test
kills it after a random number of reports, so most kills land inside the next
transaction.  Afterwards the file must pass ``PRAGMA integrity_check``, open without
being treated as damaged, and hold every session and move the writer reported.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facegym_desktop.core.history import HistoryStore

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("FACEGYM_KILL_ROUNDS", "250"))

WRITER = r"""
import sys
from datetime import datetime, timedelta, timezone
sys.path.insert(0, sys.argv[1])
from facegym_desktop.core.history import HistoryStore

store = HistoryStore.open(sys.argv[2], sys.argv[3])
print("open", flush=True)
zone = timezone(timedelta(hours=int(sys.argv[4]) % 27 - 12))
base = datetime(2026, 1, 1, 7, 0, tzinfo=zone) + timedelta(days=int(sys.argv[4]) * 3)
n = 0
while True:
    started = base + timedelta(minutes=n * 7)
    sid = store.begin_session("kill-test", "Kill test", "daily", 300, 3, started)
    print(f"begun {sid}", flush=True)
    for move in range(1, 4):
        store.checkpoint(sid, move_id=f"move-{move}", areas=["cheeks", "jawline"], seconds=20,
                         active_seconds=20 * move, moves_completed=move)
        print(f"moved {sid} {move}", flush=True)
    print(f"finishing {sid}", flush=True)
    store.finish_session(sid, "completed", started + timedelta(minutes=1), 60, 3)
    print(f"done {sid}", flush=True)
    n += 1
"""


def test_sigkill_during_saves_never_loses_a_commit(tmp_path: Path) -> None:
    database = tmp_path / "history.sqlite3"
    backups = tmp_path / "backups"
    rng = random.Random(int(os.environ.get("FACEGYM_KILL_SEED", "20261120")))
    done: set[int] = set()
    moved: dict[int, int] = {}
    finishing: set[int] = set()
    kills = 0
    for round_number in range(ROUNDS):
        writer = subprocess.Popen(
            [
                sys.executable,
                "-S",
                "-c",
                WRITER,
                str(REPO),
                str(database),
                str(backups),
                str(round_number),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        lines_before_kill = rng.randint(1, 14)
        for _ in range(lines_before_kill):
            line = writer.stdout.readline()
            if not line:
                break
            word, *rest = line.split()
            if word == "moved":
                moved[int(rest[0])] = int(rest[1])
            elif word == "done":
                done.add(int(rest[0]))
            elif word == "finishing":
                finishing.add(int(rest[0]))
        writer.send_signal(signal.SIGKILL)
        # Reports written before the kill landed still count as commits.
        for line in writer.stdout.read().splitlines():
            word, *rest = line.split()
            if word == "moved":
                moved[int(rest[0])] = int(rest[1])
            elif word == "done":
                done.add(int(rest[0]))
            elif word == "finishing":
                finishing.add(int(rest[0]))
        writer.wait()
        stderr = writer.stderr.read() if writer.stderr else ""
        assert writer.returncode == -signal.SIGKILL, stderr
        kills += 1

    assert kills >= 200
    assert done, "the writer never finished a session; the test proves nothing"

    store = HistoryStore.open(database, backups)
    assert store.recovered_notice is None  # a killed writer is not damage
    assert store.integrity_check() == "ok"
    for session_id in done:
        record = store.get_session(session_id)
        assert record is not None, f"committed session {session_id} is missing"
        assert record.status == "completed" and record.moves_completed == 3
        assert len(store.moves(session_id)) == 3
    for session_id, count in moved.items():
        record = store.get_session(session_id)
        assert record is not None
        assert record.moves_completed >= count
        assert len(store.moves(session_id)) >= count
    dangling = store.mark_dangling_interrupted()
    assert dangling >= 1
    # Every transaction is all or nothing: each session's move count matches its rows,
    # and the per-area totals kept by triggers match the moves.
    total_moves = 0
    for record in store.sessions():
        moves = len(store.moves(record.id))
        total_moves += moves
        assert record.moves_completed == moves, record
        if record.status == "completed":
            assert moves == 3
    areas = store.area_seconds()
    assert areas["cheeks"] == areas["jawline"] == 20 * total_moves
    # A kill can land between a commit and its report, so a session may be complete
    # without "done"; but never without its finish having started.
    completed = {record.id for record in store.sessions() if record.status == "completed"}
    assert done <= completed <= done | finishing
    stats = store.stats(datetime.now(UTC).date())
    assert stats.completed_sessions == len(completed)
    store.close()
