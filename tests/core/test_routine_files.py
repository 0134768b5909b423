"""Routine files on disk: only plain files are read, folders and collisions are reported."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import textwrap
import threading
from pathlib import Path

import pytest

from facegym_desktop.commands.routines import validate_routines
from facegym_desktop.core.library import load_library, read_file, validate_files
from facegym_desktop.core.routine import MAX_FILE_BYTES
from facegym_desktop.core.routine_files import MAX_FILES_PER_FOLDER
from facegym_desktop.paths import builtin_routines_dir
from tests.factories import JAW_GLIDE_MOVES as MOVES

ROUTINE = textwrap.dedent(
    """
    id = "short"
    name = "Short"
    description = "A short one."
    kind = "daily"
    default_minutes = 1
    min_minutes = 1
    max_minutes = 1.5
    [[steps]]
    move = "jaw-glide"
    """
)

READ_TIMEOUT_SECONDS = 5


def read_with_timeout(path: Path) -> list[str]:
    """The problems of ``path``; fails (and unblocks the reader) if reading hangs."""
    result: list[list[str]] = []
    reader = threading.Thread(
        target=lambda: result.append([str(p) for p in read_file(path).problems]), daemon=True
    )
    reader.start()
    reader.join(READ_TIMEOUT_SECONDS)
    if reader.is_alive():
        # Opening the write end lets a reader blocked on a named pipe go on.
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(READ_TIMEOUT_SECONDS)
        pytest.fail(f"reading {path} blocked")
    return result[0]


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path):
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    assert read_with_timeout(pipe) == [
        f"{pipe}: file: is a named pipe (FIFO), not a regular file; not read"
    ]


@needs_fifo
def test_a_named_pipe_in_the_routines_folder_is_reported(tmp_path: Path):
    (tmp_path / "moves.toml").write_text(MOVES)
    os.mkfifo(tmp_path / "pipe.toml")
    outcome: list[list[str]] = []
    loader = threading.Thread(
        target=lambda: outcome.append(load_library(tmp_path).problem_lines()), daemon=True
    )
    loader.start()
    loader.join(READ_TIMEOUT_SECONDS)
    if loader.is_alive():
        os.close(os.open(tmp_path / "pipe.toml", os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("loading the folder blocked on a named pipe")
    refusal = "file: is a named pipe (FIFO), not a regular file; not read"
    assert outcome == [[f"{tmp_path / 'pipe.toml'}: {refusal}"]]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_is_refused(device: str):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    assert read_with_timeout(Path(device)) == [
        f"{device}: file: is a character device, not a regular file; not read"
    ]


def test_a_folder_and_a_missing_file_are_problems(tmp_path: Path):
    assert read_file(tmp_path).problems[0].message == "is a folder, not a file"
    assert read_file(tmp_path / "nope.toml").problems[0].message == "does not exist"


@pytest.mark.parametrize("size", [MAX_FILE_BYTES + 1, 2 * 1024 * 1024])
def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, size: int):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * size)
    assert [p.message for p in read_file(big).problems] == [
        "is larger than 256 KiB; is this a routine file?"
    ]


def test_a_file_at_the_size_limit_is_read(tmp_path: Path):
    comment = "# " + "x" * (MAX_FILE_BYTES - len(MOVES) - 3) + "\n"
    exact = tmp_path / "exact.toml"
    exact.write_text(MOVES + comment)
    assert exact.stat().st_size == MAX_FILE_BYTES
    assert read_file(exact).problems == []


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path):
    odd = tmp_path / "odd.toml"
    odd.write_bytes(b'id = "\xff"\n')
    assert [p.message for p in read_file(odd).problems] == ["is not UTF-8 text (byte 6)"]


def fill(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for index in range(count):
        (folder / f"m{index:04d}.toml").write_text("moves = []\n")


def test_files_past_the_folder_limit_are_reported_as_skipped(tmp_path: Path):
    user = tmp_path / "user"
    fill(user, MAX_FILES_PER_FOLDER + 1)
    library = load_library(builtin_routines_dir(), user)
    assert library.problem_lines() == [
        f"{user}: folder: holds 501 .toml files, more than the 500 read; "
        "skipped 1, from m0500.toml"
    ]


def test_a_folder_at_the_limit_has_no_problem(tmp_path: Path):
    user = tmp_path / "user"
    fill(user, MAX_FILES_PER_FOLDER)
    assert load_library(builtin_routines_dir(), user).problems == []


def test_validate_reports_a_folder_past_the_limit(tmp_path: Path):
    fill(tmp_path, MAX_FILES_PER_FOLDER + 3)
    # Through the command's own folder expansion, as `facegym routines validate DIR`.
    out = io.StringIO()
    args = argparse.Namespace(paths=[str(tmp_path)], data_dir=str(tmp_path / "data"))
    with contextlib.redirect_stdout(out):
        status = validate_routines(args)
    assert status == 1
    assert out.getvalue().splitlines() == [
        f"{tmp_path}: folder: holds 503 .toml files, more than the 500 read; "
        "skipped 3, from m0500.toml"
    ]


def test_given_files_take_the_place_of_built_in_files_of_the_same_name(tmp_path: Path):
    # A source checkout's routines/*.toml checked against an installed copy elsewhere.
    checkout = tmp_path / "checkout"
    shutil.copytree(builtin_routines_dir(), checkout)
    given = sorted(str(path) for path in checkout.glob("*.toml"))
    assert validate_files(given, builtin_routines_dir()) == []


def test_an_edited_copy_of_a_built_in_file_is_checked_against_the_others(tmp_path: Path):
    installed = tmp_path / "installed"
    installed.mkdir()
    (installed / "moves.toml").write_text(MOVES)
    (installed / "short.toml").write_text(ROUTINE)
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "moves.toml").write_text(MOVES.replace('id = "jaw-glide"', 'id = "jaw-sweep"'))
    # The installed moves.toml is replaced, so its jaw-glide is gone.
    given = [str(checkout / "moves.toml"), str(installed / "short.toml")]
    problems = validate_files(given, installed)
    assert [str(p) for p in problems] == [
        f"{installed / 'short.toml'}: steps[0].move: unknown move 'jaw-glide'"
    ]


def test_a_user_move_reusing_a_built_in_id_names_the_built_in_file(tmp_path: Path):
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "moves.toml").write_text(MOVES)
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.toml").write_text(MOVES)
    expected = (
        f"{user / 'mine.toml'}: moves[id=jaw-glide]: "
        "move id 'jaw-glide' is already defined in the built-in file moves.toml"
    )
    assert load_library(builtin, user).problem_lines() == [expected]
    assert [str(p) for p in validate_files([str(user / "mine.toml")], builtin)] == [expected]


def test_a_file_in_the_user_folder_does_not_replace_the_built_in_of_its_name(tmp_path: Path):
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "moves.toml").write_text(MOVES)
    user = tmp_path / "user"
    user.mkdir()
    (user / "moves.toml").write_text(MOVES)
    problems = validate_files([str(user / "moves.toml")], builtin, user)
    assert [p.message for p in problems] == [
        "move id 'jaw-glide' is already defined in the built-in file moves.toml"
    ]


def test_a_user_move_reusing_another_user_move_names_that_file(tmp_path: Path):
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    user = tmp_path / "user"
    user.mkdir()
    (user / "a.toml").write_text(MOVES)
    (user / "b.toml").write_text(MOVES)
    assert [p.message for p in load_library(builtin, user).problems] == [
        f"move id 'jaw-glide' is already defined in {user / 'a.toml'}"
    ]


def test_a_user_routine_reusing_a_built_in_id_names_the_built_in_file(tmp_path: Path):
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    (builtin / "moves.toml").write_text(MOVES)
    (builtin / "short.toml").write_text(ROUTINE)
    user = tmp_path / "user"
    user.mkdir()
    (user / "mine.toml").write_text(ROUTINE)
    assert [p.message for p in load_library(builtin, user).problems] == [
        "routine id 'short' is already used by the built-in file short.toml"
    ]


def test_every_problem_is_listed_one_line_each(tmp_path: Path):
    user = tmp_path / "user"
    user.mkdir()
    for index in range(7):
        (user / f"bad{index}.toml").write_text(f'id = "x"\nname = "bad\\n{index}"\n')
    lines = load_library(builtin_routines_dir(), user).problem_lines()
    assert {line.split(":")[0] for line in lines} == {str(user / f"bad{i}.toml") for i in range(7)}
    assert all(len(line.splitlines()) == 1 for line in lines)


def test_a_link_whose_file_is_gone_is_named_once(tmp_path: Path) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "gone.toml").symlink_to(tmp_path / "moved-away.toml")
    library = load_library(builtin_routines_dir(), folder)
    lines = [str(problem) for problem in library.problems]
    assert lines == [
        f"{folder / 'gone.toml'}: file: is a link to {tmp_path / 'moved-away.toml'}, "
        "which does not exist; not read"
    ]
