"""Every file written whole replaces its target in one step and, when the write fails
(a full disk, a folder that refuses the rename, an error while the content is made),
leaves neither a temporary file nor a changed target behind."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from facegym_desktop.cli import main
from facegym_desktop.core import atomic_file
from facegym_desktop.core.atomic_file import atomic_text, replacing, write_atomically
from facegym_desktop.core.autostart import write_file_atomically
from facegym_desktop.core.history_csv import write_csv
from facegym_desktop.core.history_errors import HistoryError
from facegym_desktop.core.history_files import copy_database
from facegym_desktop.core.history_journal import SessionWrite, WriteJournal
from facegym_desktop.core.reminders import ReminderState, save_state
from facegym_desktop.core.routine_store import RoutineFileError
from facegym_desktop.core.routine_store import write_atomically as write_routine_file
from facegym_desktop.core.settings import Settings, save_settings
from facegym_desktop.core.toml_cache import TomlCache
from facegym_desktop.paths import DataPaths, move_old_files

OLD = "the old content\n"


def full_disk(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def files_in(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


# ------------------------------------------------------------------ the helper


def test_a_write_replaces_the_target_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "file.json"
    target.write_text(OLD)
    write_atomically(target, "new")
    with atomic_text(tmp_path / "other.txt", newline="") as handle:
        handle.write("a\r\nb")
    assert target.read_text() == "new"
    assert (tmp_path / "other.txt").read_bytes() == b"a\r\nb"
    assert files_in(tmp_path) == {"file.json", "other.txt"}


@pytest.mark.parametrize("failing", ["replace", "fsync", "block"])
def test_a_failed_write_removes_its_temporary_file_and_keeps_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "settings.json"
    target.write_text(OLD)
    if failing != "block":
        monkeypatch.setattr(os, failing, full_disk)
    with pytest.raises(OSError), replacing(target) as temporary:
        temporary.write_text("half")
        assert temporary.parent == tmp_path and temporary.name.endswith(".tmp")
        if failing == "block":
            raise OSError(errno.EIO, "the content could not be made")
    assert target.read_text() == OLD
    assert files_in(tmp_path) == {"settings.json"}


def test_an_interrupted_write_removes_its_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "routine.toml"
    with pytest.raises(KeyboardInterrupt), atomic_text(target) as handle:
        handle.write("half")
        raise KeyboardInterrupt
    assert files_in(tmp_path) == set()


def test_a_folder_that_refuses_new_files_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(path: object, *args: object, **kwargs: object) -> int:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))

    monkeypatch.setattr(atomic_file.os, "open", read_only)
    with pytest.raises(OSError, match="Read-only"):
        write_atomically(tmp_path / "x.json", "data")
    assert files_in(tmp_path) == set()


def test_two_temporary_names_beside_one_target_differ(tmp_path: Path) -> None:
    names = {atomic_file.temporary_name(tmp_path / "a.json") for _ in range(50)}
    assert len(names) == 50
    assert all(name.name.startswith(".a.json.") for name in names)


# ------------------------------------------------------------------ every path that uses it


def _history(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    return path


def _copy(folder: Path) -> None:
    source = _history(folder / "old-history.sqlite3")
    with closing(sqlite3.connect(source)) as conn:
        copy_database(conn, source, folder / "target")


def _journal(folder: Path) -> None:
    write = SessionWrite.begin(
        datetime(2026, 3, 29, 7, 30, tzinfo=UTC), "morning", "Morning", "daily", 300, 4
    )
    journal = WriteJournal(folder / "target")
    with journal.locked():
        journal.replace([write])


def _move(folder: Path) -> None:
    old = folder / "old"
    old.mkdir()
    (old / "settings.json").write_text("{}")
    paths = DataPaths(old, config_dir=folder, state_dir=old, log_dir=old, cache_dir=old)
    assert not move_old_files(paths)
    assert (old / "settings.json").read_text() == "{}"  # a file that cannot move stays
    (folder / "target").write_text(OLD)


WRITERS: dict[str, Callable[[Path], object]] = {
    "settings": lambda folder: save_settings(folder / "target", Settings()),
    "reminder state": lambda folder: save_state(folder / "target", ReminderState()),
    "log-in entry": lambda folder: write_file_atomically(folder / "target", b"[Desktop Entry]"),
    "routine file": lambda folder: write_routine_file(folder / "target", "id = 'x'\n"),
    "history CSV": lambda folder: write_csv([], folder / "target"),
    "history backup": _copy,
    "journal": _journal,
    "moved settings": _move,
}


@pytest.mark.parametrize("writer", list(WRITERS), ids=list(WRITERS))
def test_every_file_written_whole_leaves_nothing_when_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str
) -> None:
    target = tmp_path / "target"
    target.write_text(OLD)
    before = files_in(tmp_path)
    monkeypatch.setattr(os, "replace", full_disk)
    try:
        WRITERS[writer](tmp_path)
    except (OSError, RoutineFileError, HistoryError):
        pass
    else:
        assert writer == "moved settings"  # reports the failure instead of raising
    monkeypatch.undo()
    # The journal's lock file stays by design; the sources of a copy or a move stay.
    left = files_in(tmp_path) - before - {"target.lock", "old/settings.json", "old-history.sqlite3"}
    assert not left
    assert target.read_text() == OLD


def test_the_parse_cache_leaves_nothing_when_it_cannot_be_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = TomlCache(tmp_path / "routines.json")
    cache.put("x = 1", {"x": 1})
    monkeypatch.setattr(os, "replace", full_disk)
    cache.save()  # failures only cost speed later
    assert files_in(tmp_path) == set()


# ------------------------------------------------------------------ as the command line says it


@pytest.mark.parametrize(
    "argv",
    [
        ["settings", "set", "muted", "yes"],
        ["routines", "new", "Jaw", "--minutes", "5", "--areas", "jawline"],
    ],
)
def test_a_command_that_cannot_write_says_one_line_and_leaves_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
) -> None:
    monkeypatch.setattr(os, "replace", full_disk)
    assert main([*argv, "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("facegym: ")
    assert "No space left on device" in err and "Errno" not in err
    assert not [name for name in files_in(tmp_path) if name.endswith(".tmp")]
