"""The plain launches read without argparse must mean what the full parser says."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.cli import build_parser, plain_launch

TOKENS = [
    "--smoke",
    "--data-dir",
    "--data-dir=",
    "--data-dir=/tmp/a b",
    "/tmp/d",
    "-x",
    "",
    "--help",
    "--version",
    "--sm",
    "--data",
    "run",
    "history",
    "--mute",
]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (False, None)),
        (["--smoke"], (True, None)),
        (["--data-dir", "/tmp/d"], (False, "/tmp/d")),
        (["--data-dir=/tmp/d", "--smoke"], (True, "/tmp/d")),
        (["--smoke", "--data-dir", "/tmp/d"], (True, "/tmp/d")),
    ],
)
def test_plain_launches_are_recognised(argv: list[str], expected: tuple[bool, str | None]) -> None:
    assert plain_launch(argv) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "morning-wake-up"],
        ["--help"],
        ["--sm"],  # an abbreviation: the full parser decides
        ["--data-dir"],
        ["--data-dir", "--smoke"],
        ["--data-dir="],
        ["--smoke", "--smoke"],
        ["--data-dir", "/a", "--data-dir", "/b"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert plain_launch(argv) is None


@given(st.lists(st.sampled_from(TOKENS), max_size=5))
def test_plain_launch_agrees_with_the_full_parser(argv: list[str]) -> None:
    launch = plain_launch(argv)
    if launch is None:
        return
    args = build_parser().parse_args(argv)
    assert args.command is None
    assert (args.smoke, getattr(args, "data_dir", None)) == launch


def test_plain_launch_imports_neither_argparse_nor_the_commands() -> None:
    code = (
        "import sys\n"
        "from facegym_desktop.cli import plain_launch\n"
        "plain_launch(['--smoke'])\n"
        "PREFIXES = ('argparse', 'facegym_desktop.commands')\n"
        "loaded = [m for m in sys.modules if m.startswith(PREFIXES)]\n"
        "print(sorted(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
