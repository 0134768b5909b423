"""Faults of the machine met by the real program: a lock held past the end of a
session, a second process on the same folder, a data folder that cannot be created,
special files as targets, a history whose backup cannot be written, a full log disk.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facegym_desktop.core.history import HistoryStore, NewSession
from facegym_desktop.core.history_journal import JOURNAL_NAME
from tests.e2e.conftest import wait_or_kill
from tests.faults.seams import held_lock
from tests.faults.test_kill_faults import PLANNED_MOVES, RUN, facegym, make_data_dir

pytestmark = [pytest.mark.faults, pytest.mark.e2e]

REPO = Path(__file__).resolve().parents[2]
SESSION_SECONDS = 3.0  # the quick routine at 30 times speed
QUIT_WAIT_SECONDS = 5.0  # what quitting waits for writes at most


def run(data: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        facegym(data, *args), cwd=REPO, capture_output=True, text=True, timeout=timeout
    )


def clean(stderr: str) -> None:
    for bad in ("Traceback", "Logging error", "QThread: Destroyed", "Aborted"):
        assert bad not in stderr, stderr


def test_a_lock_past_the_end_of_a_session_is_waited_for_then_kept(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    (data / "logs").mkdir()
    (data / "logs" / "facegym.log").symlink_to("/dev/full")  # and the log disk is full
    database = data / "history.sqlite3"
    app = subprocess.Popen(
        facegym(data, *RUN), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        # Wait for the session's start to be written, then lock the file for good.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if database.exists():
                with HistoryStore.open(database, None, daily_backup=False) as store:
                    if store.session_count():
                        break
            time.sleep(0.05)
        with held_lock(database):
            locked_at = time.monotonic()
            _, stderr = app.communicate(timeout=SESSION_SECONDS + QUIT_WAIT_SECONDS + 20)
            quit_after = time.monotonic() - locked_at
            assert app.returncode == 0, stderr
            clean(stderr)
            assert quit_after <= SESSION_SECONDS + QUIT_WAIT_SECONDS + 5, quit_after
            kept = (data / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()
            assert [json.loads(line)["kind"] for line in kept][-1] == "finish"
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    # The next start (here: a command) applies what was kept.
    stats = run(data, "history", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    clean(stats.stderr)
    summary = json.loads(stats.stdout)
    assert (summary["sessions"], summary["completed_sessions"]) == (1, 1)
    assert not (data / JOURNAL_NAME).exists()


OWNER = r"""
import sys
from datetime import datetime, timezone
sys.path.insert(0, sys.argv[1])
from facegym_desktop.core.history import HistoryStore

store = HistoryStore.open(sys.argv[2], None)
sid = store.begin_session("r", "R", "daily", 300, 3, datetime(2026, 3, 1, 8, tzinfo=timezone.utc))
store.checkpoint(sid, move_id="m", areas=["cheeks"], seconds=30, active_seconds=30,
                 moves_completed=1)
print("begun", flush=True)
sys.stdin.read()
"""


def test_a_session_another_live_process_runs_is_not_settled(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    owner = subprocess.Popen(
        [sys.executable, "-S", "-c", OWNER, str(REPO), str(data / "history.sqlite3")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert owner.stdout is not None and owner.stdin is not None
    try:
        assert owner.stdout.readline().strip() == "begun"
        for args in (("--smoke",), ("history", "stats", "--json")):
            result = run(data, *args)
            assert result.returncode == 0, result.stderr
        with HistoryStore.open(data / "history.sqlite3", None) as store:
            (record,) = store.sessions()
            assert record.status == "in_progress"  # its owner still runs it
            assert store.stats().sessions == 0
    finally:
        owner.kill()
        owner.wait()
    # Its owner is gone: stats and export count it as interrupted, then it is settled.
    stats = json.loads(run(data, "history", "stats", "--json").stdout)
    assert stats["sessions"] == 1 and stats["completed_sessions"] == 0
    target = tmp_path / "out.csv"
    assert run(data, "history", "export", "--csv", str(target)).returncode == 0
    with target.open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["status"] == "interrupted"
    with HistoryStore.open(data / "history.sqlite3", None) as store:
        assert store.sessions()[0].status == "interrupted"


def test_a_data_folder_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be")
    data = blocker / "facegym"
    for args in (("history", "stats"), ("history", "export", "--csv", str(tmp_path / "x.csv"))):
        result = run(data, *args)
        assert result.returncode == 1, result
        lines = result.stderr.splitlines()
        # One line says why (a note may come first, as for the settings file it reads).
        assert all(line.startswith("facegym: ") for line in lines), result.stderr
        assert "cannot create the data folder" in lines[-1]
        clean(result.stderr)
    smoke = run(data, "--smoke")  # the window opens, saying why nothing is saved
    assert smoke.returncode == 0 and smoke.stdout.strip() == "ok", smoke.stderr
    clean(smoke.stderr)


@pytest.mark.parametrize("command", ["export", "backup"])
def test_special_files_and_missing_folders_are_refused(tmp_path: Path, command: str) -> None:
    data = make_data_dir(tmp_path)
    with HistoryStore.open(data / "history.sqlite3", None) as store:
        store.record_session(_finished())
    missing = tmp_path / "no" / "such" / "out.file"
    for target in (Path("/dev/full"), Path("/dev/null"), missing):
        args = ("--csv", str(target)) if command == "export" else (str(target),)
        result = run(data, "history", command, *args)
        assert result.returncode == 1, result
        assert len(result.stderr.splitlines()) == 1, result.stderr
        clean(result.stderr)
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command", ["export", "backup"])
def test_a_symbolic_link_is_written_through_and_stays_a_link(
    tmp_path: Path, command: str
) -> None:
    data = make_data_dir(tmp_path)
    with HistoryStore.open(data / "history.sqlite3", None) as store:
        store.record_session(_finished())
    target = tmp_path / "kept" / "history.out"
    target.parent.mkdir()
    link = tmp_path / "link.out"
    link.symlink_to(target)
    args = ("--csv", str(link)) if command == "export" else (str(link),)
    result = run(data, "history", command, *args)
    assert result.returncode == 0, result
    assert link.is_symlink() and target.is_file() and target.stat().st_size > 0


@pytest.mark.parametrize("command", ["export", "backup"])
def test_the_history_file_itself_is_never_a_target(tmp_path: Path, command: str) -> None:
    data = make_data_dir(tmp_path)
    with HistoryStore.open(data / "history.sqlite3", None) as store:
        store.record_session(_finished())
    database = data / "history.sqlite3"
    args = ("--csv", str(database)) if command == "export" else (str(database),)
    result = run(data, "history", command, *args)
    assert result.returncode == 1 and "history file itself" in result.stderr, result
    with HistoryStore.open(database, None) as store:
        assert len(store.sessions()) == 1


def test_reading_never_depends_on_writing_todays_backup(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    with HistoryStore.open(data / "history.sqlite3", None) as store:
        store.record_session(_finished())
    (data / "backups").write_text("a file where the backups folder should be")
    stats = run(data, "history", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["completed_sessions"] == 1
    assert "backup could not be written" in stats.stderr
    clean(stats.stderr)
    target = tmp_path / "out.csv"
    exported = run(data, "history", "export", "--csv", str(target))
    assert exported.returncode == 0 and "Exported 1 session" in exported.stdout


def test_a_full_log_disk_is_said_once_without_a_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import logging

    from facegym_desktop.app_log import QuietFileHandler

    handler = QuietFileHandler("/dev/full", encoding="utf-8")
    logger = logging.getLogger("facegym-fault-test")
    logger.addHandler(handler)
    try:
        for number in range(3):
            logger.warning("record %d", number)
    finally:
        logger.removeHandler(handler)
        handler.close()
    err = capfd.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err
    assert err.count("cannot write the log") == 1


def _finished() -> NewSession:
    started = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    return NewSession(
        started_at=started, ended_at=started.replace(minute=5), routine_id="r",
        routine_name="R", planned_seconds=300, active_seconds=300, status="completed",
        moves_completed=3, moves_total=3, routine_kind="daily",
    )


def _locked_history(data: Path) -> Path:
    """A history file with one session in ``data``, for another program to lock."""
    database = data / "history.sqlite3"
    with HistoryStore.open(database, None) as store:
        store.record_session(_finished())
    return database


def test_commands_and_the_smoke_check_with_a_lock_held_are_one_line(tmp_path: Path) -> None:
    data = make_data_dir(tmp_path)
    database = _locked_history(data)
    commands = {
        "stats": ("history", "stats", "--json"),
        "export": ("history", "export", "--csv", str(tmp_path / "out.csv")),
        "backup": ("history", "backup", str(tmp_path / "copy.sqlite3")),
        "smoke": ("--smoke",),
    }
    with held_lock(database):
        started = {
            name: subprocess.Popen(
                facegym(data, *args), cwd=REPO, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True,
            )
            for name, args in commands.items()
        }
        done = {name: (app, *app.communicate(timeout=60)) for name, app in started.items()}
    for name in ("stats", "export", "backup"):
        app, stdout, stderr = done[name]
        # docs/contracts.md: the command could not do its job, one line, exit 1.
        assert app.returncode == 1 and stdout == "", (name, stdout, stderr)
        (line,) = stderr.splitlines()
        assert line.startswith("facegym: history.sqlite3 is locked by another program"), line
        clean(stderr)
    smoke, stdout, stderr = done["smoke"]
    assert smoke.returncode == 0 and stdout.strip() == "ok", stderr
    clean(stderr)
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "copy.sqlite3").exists()


def test_the_app_started_with_a_lock_held_loses_no_session(tmp_path: Path) -> None:
    # Two runs side by side: the lock goes during one session, outlasts the other.
    runs = {}
    for name in ("released", "held"):
        data = make_data_dir(tmp_path / name)
        database = _locked_history(data)
        lock = ExitStack()
        lock.enter_context(held_lock(database))
        app = subprocess.Popen(
            facegym(data, *RUN), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        runs[name] = (data, lock, app)
    try:
        data, lock, _ = runs["released"]
        deadline = time.monotonic() + 30
        while not (data / JOURNAL_NAME).exists():  # the session began; its start is kept
            assert time.monotonic() < deadline, "the session's start was never kept"
            time.sleep(0.05)
        lock.close()
        for name, (_data, lock, app) in runs.items():
            _, stderr = app.communicate(timeout=60)
            assert app.returncode == 0, (name, stderr)
            clean(stderr)
            lock.close()
    finally:
        for _, lock, app in runs.values():
            lock.close()
            if app.poll() is None:
                app.kill()
                app.communicate()
    # Released during the run: the app itself saved the session and emptied the journal.
    data = runs["released"][0]
    assert not (data / JOURNAL_NAME).exists()
    with HistoryStore.open(data / "history.sqlite3", None, daily_backup=False) as store:
        completed = [s for s in store.sessions() if s.routine_id == "quick-glow"]
        assert [s.status for s in completed] == ["completed"]
        assert len(store.moves(completed[0].id)) == PLANNED_MOVES
    # Held past quitting: kept in the journal, applied by the next start.
    data = runs["held"][0]
    lines = (data / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()
    kinds = [json.loads(line)["kind"] for line in lines]
    assert (kinds[0], kinds[-1], kinds.count("move")) == ("begin", "finish", PLANNED_MOVES)
    stats = run(data, "history", "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    clean(stats.stderr)
    assert json.loads(stats.stdout)["completed_sessions"] == 2
    assert not (data / JOURNAL_NAME).exists()


def test_a_second_signal_while_quitting_with_a_lock_held_loses_nothing(tmp_path: Path) -> None:
    # Ctrl+C twice (or a session manager's second SIGTERM) during the bounded wait for
    # a held file: the steps are in the journal already and the app still exits 0.
    import signal

    data = make_data_dir(tmp_path)
    database = _locked_history(data)
    slow = [arg for arg in RUN if arg != "--quit-when-done"]
    slow[slow.index("--time-scale") + 1] = "2"  # the session outlasts the test
    with held_lock(database):
        app = subprocess.Popen(
            facegym(data, *slow), cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while not (data / JOURNAL_NAME).exists() and app.poll() is None:  # begun, and kept
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        app.send_signal(signal.SIGTERM)
        time.sleep(0.5)  # inside the wait for the held file
        app.send_signal(signal.SIGTERM)
        _, stderr = wait_or_kill(app, timeout=60)
    assert app.returncode == 0, stderr
    clean(stderr)
    kinds = [json.loads(line)["kind"] for line in (data / JOURNAL_NAME).read_text().splitlines()]
    assert (kinds[0], kinds[-1]) == ("begin", "finish")
    stats = run(data, "history", "stats", "--json")  # the lock is gone: the journal applies
    assert stats.returncode == 0, stats.stderr
    summary = json.loads(stats.stdout)
    assert (summary["sessions"], summary["completed_sessions"]) == (2, 1)
