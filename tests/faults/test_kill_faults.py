"""SIGKILL at random moments: of the real app playing sessions, and of a writer that
keeps a journal while the file is locked part of the time.  Nothing acknowledged is
lost, and the next start settles what was left in progress.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from facegym_desktop.core.history import HistoryStore
from facegym_desktop.core.history_journal import JOURNAL_NAME
from tests.factories import user_routine_toml

pytestmark = [pytest.mark.faults, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
APP_SECONDS = float(os.environ.get("FACEGYM_FAULT_APP_SECONDS", "40"))
WRITER_SECONDS = float(os.environ.get("FACEGYM_FAULT_WRITER_SECONDS", "25"))
SEED = int(os.environ.get("FACEGYM_FAULT_SEED", "20261201"))
# A 1.5-minute routine at 30 times speed: 3 s of session after about 1 s of start-up.
RUN = ["run", "quick-glow", "--minutes", "1.5", "--time-scale", "30", "--quit-when-done", "--mute"]

PLANNED_MOVES = 3

# Results of the runs, for the README table (printed with -s).
COUNTS: dict[str, int] = {}


def facegym(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "facegym_desktop", *args, "--data-dir", str(data_dir)]


def make_data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "routines").mkdir(parents=True)
    (data / "routines" / "quick.toml").write_text(
        user_routine_toml("quick-glow", "Quick glow", "For the fault suite."), encoding="utf-8"
    )
    return data


def test_the_app_killed_at_random_moments_loses_no_finished_session(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    rng = random.Random(SEED)
    finished = kills = 0
    deadline = time.monotonic() + APP_SECONDS
    while time.monotonic() < deadline:
        app = subprocess.Popen(
            facegym(data, *RUN), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        try:
            app.wait(timeout=rng.uniform(0.3, 4.6))
        except subprocess.TimeoutExpired:
            app.send_signal(signal.SIGKILL)
        _, stderr = app.communicate(timeout=30)
        if app.returncode == 0:
            finished += 1
            assert "Traceback" not in stderr and "Logging error" not in stderr, stderr
        else:
            assert app.returncode == -signal.SIGKILL, stderr
            kills += 1
    COUNTS["app kills"] = kills
    assert kills >= APP_SECONDS / 8 and finished >= 1, (kills, finished)

    smoke = subprocess.run(
        facegym(data, "--smoke"), cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert smoke.returncode == 0 and "Traceback" not in smoke.stderr, smoke.stderr
    store = HistoryStore.open(data / "history.sqlite3", data / "backups")
    assert store.recovered_notice is None and store.integrity_check() == "ok"
    sessions = store.sessions()
    # --smoke settled every session whose process was killed.
    assert all(s.status != "in_progress" for s in sessions)
    completed = [s for s in sessions if s.status == "completed"]
    # A kill can land after the finish was written, never the other way round.
    assert finished <= len(completed) <= len(sessions) <= finished + kills
    # Its plan has three moves (the jaw is worked one side at a time): a finished
    # session holds all three, an interrupted one those saved before the kill.
    for record in sessions:
        assert len(store.moves(record.id)) <= PLANNED_MOVES, record
    for record in completed:
        assert record.moves_completed == record.moves_total
        assert len(store.moves(record.id)) == PLANNED_MOVES, record
    COUNTS["app sessions lost"] = finished - len(completed)
    store.close()


# A fork server: imports once, then forks one writer per round (a kill point costs
# milliseconds, not an interpreter start).  Each writer saves sessions step by step
# while another connection holds the file part of the time, and reports every step
# once it is acknowledged: committed, or synced to the journal.
WRITER = r"""
import os, random, sqlite3, sys
from datetime import datetime, timedelta, timezone
sys.path.insert(0, sys.argv[1])
from facegym_desktop.core.history import HistoryStore, SessionWrite
from facegym_desktop.core.history_journal import PendingWrites

database = sys.argv[2]


def write_sessions(round_number):
    store = HistoryStore.open(database, None, busy_timeout=0.01, daily_backup=False)
    store.settle()
    pending = PendingWrites(store.journal)
    holder = sqlite3.connect(database, isolation_level=None)
    rng = random.Random(round_number)
    base = datetime(2026, 1, 1, 7, 0, tzinfo=timezone.utc) + timedelta(days=round_number)
    for n in range(1000):
        started = base + timedelta(minutes=n * 7)
        writes = [SessionWrite.begin(started, "kill-test", "Kill test", "daily", 300, 3)]
        writes += [
            SessionWrite.move(started, "kill-test", position=m, move_id=f"move-{m}",
                              areas=["cheeks", "jawline"], seconds=20, reps=None,
                              active_seconds=20 * m, moves_completed=m,
                              at=started + timedelta(seconds=20 * m))
            for m in (1, 2, 3)
        ]
        writes.append(SessionWrite.finish(started, "kill-test", status="completed",
                                          ended_at=started + timedelta(minutes=1),
                                          active_seconds=60, moves_completed=3))
        for step, write in enumerate(writes):
            if not holder.in_transaction and rng.random() < 0.3:
                holder.execute("BEGIN EXCLUSIVE")
            elif holder.in_transaction and rng.random() < 0.4:
                holder.execute("ROLLBACK")
            pending.add(write)
            pending.flush(store.apply_write, lambda: store.replay_journal().notes)
            print(f"ack {started.isoformat()} {step}", flush=True)


for line in sys.stdin:
    round_number = int(line)
    pid = os.fork()
    if pid == 0:
        print(f"child {os.getpid()}", flush=True)
        write_sessions(round_number)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    print(f"reaped {status}", flush=True)
"""


def test_a_writer_killed_at_random_while_journaling_loses_nothing_acknowledged(
    tmp_path: Path,
) -> None:
    database = tmp_path / "history.sqlite3"
    rng = random.Random(SEED)
    acked: dict[str, int] = {}
    kills = 0
    journaled_rounds = 0
    server = subprocess.Popen(
        [sys.executable, "-S", "-c", WRITER, str(REPO), str(database)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert server.stdin is not None and server.stdout is not None and server.stderr is not None
    deadline = time.monotonic() + WRITER_SECONDS
    try:
        while time.monotonic() < deadline:
            server.stdin.write(f"{kills}\n")
            server.stdin.flush()
            word, pid = server.stdout.readline().split()
            assert word == "child"
            lines = rng.randint(0, 8)
            while lines:
                line = server.stdout.readline()
                assert line.startswith("ack "), line + server.stderr.read()
                _, started, step = line.split()
                acked[started] = max(acked.get(started, -1), int(step))
                lines -= 1
            os.kill(int(pid), signal.SIGKILL)
            while not (line := server.stdout.readline()).startswith("reaped "):
                assert line.startswith("ack "), line + server.stderr.read()
                _, started, step = line.split()
                acked[started] = max(acked.get(started, -1), int(step))
            assert os.WIFSIGNALED(int(line.split()[1]))
            journaled_rounds += (tmp_path / JOURNAL_NAME).exists()
            kills += 1
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    assert "Traceback" not in server.stderr.read()
    COUNTS["writer kills"] = kills
    assert kills >= WRITER_SECONDS * 5 and journaled_rounds >= 5, (kills, journaled_rounds)

    store = HistoryStore.open(database, None)  # the next start
    assert store.recovered_notice is None
    settled = store.settle()
    assert settled.kept == 0 and not (tmp_path / JOURNAL_NAME).exists()
    assert store.integrity_check() == "ok"
    lost = 0
    by_start = {record.started_at: record for record in store.sessions()}
    for started, step in acked.items():
        record = by_start.get(datetime.fromisoformat(started))
        if record is None:
            lost += 1
            continue
        moves = len(store.moves(record.id))
        if step == 4:
            lost += record.status != "completed" or moves != 3
        else:
            lost += moves < step
            # Interrupted, or finished by a write the kill let through before its report.
            assert record.status in ("interrupted", "completed"), record
    COUNTS["writer steps lost"] = lost
    COUNTS["writer sessions"] = len(acked)
    assert lost == 0
    # Every session's rows agree with its counters (each write all or nothing).
    for record in store.sessions():
        assert len(store.moves(record.id)) == record.moves_completed, record
    with closing(sqlite3.connect(database)) as conn:
        total = conn.execute("SELECT COUNT(*) FROM session_moves").fetchone()[0]
    assert store.area_seconds().get("cheeks", 0) == 20 * total
    store.close()
    print(f"fault counts: {COUNTS}")


def test_zone_is_kept_in_the_journal() -> None:
    # The writer keys sessions by their aware start; the journal keeps the offset.
    from facegym_desktop.core.history import SessionWrite

    started = datetime(2026, 1, 1, 7, 0, tzinfo=timezone(timedelta(hours=-5)))
    write = SessionWrite.begin(started, "r", "R", "daily", 300, 3)
    again = SessionWrite.from_json(write.to_json())
    assert again == write and again.started_at.utcoffset() == timedelta(hours=-5)
