"""Fuzzing routine files as bytes on disk: never a traceback, always one line per problem."""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.commands.routines import validate_routines
from facegym_desktop.paths import builtin_routines_dir

VALID = (builtin_routines_dir() / "morning-wake-up.toml").read_bytes()
MOVES = (builtin_routines_dir() / "moves.toml").read_bytes()[:4000]
# Characters that end a line for str.splitlines(), the strictest reader of a line.
LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def validate_output(content: bytes) -> tuple[int, list[str], str]:
    """Run ``facegym routines validate`` in-process on one file holding ``content``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.toml"
        path.write_bytes(content)
        out = io.StringIO()
        args = argparse.Namespace(paths=[str(path)], data_dir=str(Path(folder) / "data"))
        with contextlib.redirect_stdout(out):
            status = validate_routines(args)
        return status, out.getvalue().split("\n")[:-1], str(path)


def assert_problem_lines(content: bytes) -> None:
    status, lines, path = validate_output(content)
    assert status == (1 if lines else 0)
    for line in lines:
        assert not LINE_BREAKS.search(line), repr(line)
        assert line.startswith(f"{path}: "), repr(line)
        location, separator, message = line[len(path) + 2 :].partition(": ")
        assert separator and location and message, repr(line)
        line.encode("utf-8")  # printable in UTF-8: no lone surrogates


@given(st.binary(max_size=600))
@settings(max_examples=200, deadline=None)
def test_random_bytes_give_only_problem_lines(content: bytes):
    assert_problem_lines(content)


mutation = st.tuples(
    st.sampled_from(["insert", "replace", "delete"]),
    st.floats(0, 1),
    st.binary(min_size=1, max_size=8)
    | st.sampled_from(
        [
            b"\\u0000",
            b"\\u202e",
            b"\\u2028",
            b"\\n",
            b"\\r",
            b"\\u0085",
            b"\x00",
            b"\xff",
            b'"\n"',
            b"[[steps]]\n",
            b"\n\"a\\nb\" = 1\n",
        ]
    ),
)


def mutate(content: bytes, changes: list[tuple[str, float, bytes]]) -> bytes:
    for kind, where, piece in changes:
        at = int(where * len(content))
        if kind == "insert":
            content = content[:at] + piece + content[at:]
        elif kind == "replace":
            content = content[:at] + piece + content[at + len(piece) :]
        else:
            content = content[:at] + content[at + len(piece) :]
    return content


@given(st.sampled_from([VALID, MOVES]), st.lists(mutation, min_size=1, max_size=4))
@settings(max_examples=300, deadline=None)
def test_mutated_routine_files_give_only_problem_lines(base: bytes, changes):
    assert_problem_lines(mutate(base, changes))


def test_the_unmutated_files_are_valid():
    assert validate_output(VALID)[:2] == (0, [])
