"""The plain launches read without argparse must mean what the full parser says."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.cli import PlainLaunch, build_parser, main, plain_launch

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
    "--verbose",
    "--history",
]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], PlainLaunch()),
        (["--smoke"], PlainLaunch(smoke=True)),
        (["--data-dir", "/tmp/d"], PlainLaunch(data_dir="/tmp/d")),
        (["--data-dir=/tmp/d", "--smoke"], PlainLaunch(smoke=True, data_dir="/tmp/d")),
        (["--smoke", "--data-dir", "/tmp/d"], PlainLaunch(smoke=True, data_dir="/tmp/d")),
        (["--verbose"], PlainLaunch(verbose=True)),
        (["--history", "--data-dir", "/d"], PlainLaunch(data_dir="/d", history=True)),
    ],
)
def test_plain_launches_are_recognised(argv: list[str], expected: PlainLaunch) -> None:
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
        ["--history", "--history"],
        ["--verbose", "--verbose"],
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
    assert launch == PlainLaunch(
        args.smoke, getattr(args, "data_dir", None), getattr(args, "verbose", False), args.history
    )


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


@pytest.mark.parametrize("group", ["routines", "history", "voice", "settings", "reminders"])
def test_a_command_group_without_an_action_is_a_usage_error(
    group: str, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([group, "--data-dir", str(tmp_path)]) == 2
    assert "required: ACTION" in capsys.readouterr().err
