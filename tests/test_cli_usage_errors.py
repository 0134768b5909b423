"""Command-line mistakes get one line, ``facegym: ...``, naming the option and the
value as typed, and exit 2 (docs/contracts.md, Exit codes and errors)."""

from __future__ import annotations

from pathlib import Path

import pytest

from facegym_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str]:
    code = main([*argv, "--data-dir", str(tmp_path)])
    captured = capsys.readouterr()
    assert captured.out == ""
    return code, captured.err


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("facegym: "), err
    assert "Traceback" not in err and "usage:" not in err
    return err


@pytest.mark.parametrize("minutes", ["8.0000001", "2.9999999", "30", "1e+59"])
def test_a_length_out_of_range_is_shown_as_typed_with_the_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, minutes: str
) -> None:
    code, err = run(capsys, tmp_path, "plan", "morning-wake-up", "--minutes", minutes)
    assert code == 2
    assert one_line(err) == (
        f"facegym: Morning wake-up runs from 3 to 8 minutes; {minutes} is outside that range\n"
    )


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["plan", "morning-wake-up", "--minutes", "٥"], "--minutes"),
        (["plan", "morning-wake-up", "--minutes", "５"], "--minutes"),
        (["run", "morning-wake-up", "--time-scale", "３"], "--time-scale"),
        (["routines", "new", "Jaw", "--minutes", "٥"], "--minutes"),
        (["history", "stats", "--rest-days", "٣"], "--rest-days"),
        (["voice", "check", "--rate", "١٥٠"], "--rate"),
        (["settings", "set", "voice_rate", "١٥٠"], "voice_rate"),
        (["settings", "set", "prep_seconds", "５"], "prep_seconds"),
    ],
)
def test_other_scripts_digits_are_refused_naming_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], option: str
) -> None:
    code, err = run(capsys, tmp_path, *argv)
    assert code == 2
    assert option in one_line(err) and "digits 0-9" in err
    assert not (tmp_path / "settings.json").exists()
    assert not (tmp_path / "routines").exists() or not any((tmp_path / "routines").iterdir())


@pytest.mark.parametrize(
    "argv",
    [
        ["plan", "morning-wake-up", "--minutes", "9" * 400],
        ["history", "stats", "--rest-days", "1" * 400],
        ["settings", "set", "pause_seconds", "1" * 400],
        ["plan", "morning-wake-up", "--minutes", "1e400"],
    ],
)
def test_numbers_with_hundreds_of_digits_get_a_short_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    code, err = run(capsys, tmp_path, *argv)
    assert code == 2
    assert len(one_line(err)) < 200


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["plan"], "plan: the following arguments are required: ROUTINE"),
        (["plan", "morning-wake-up", "--minutes", "abc"], "'abc' is not a number"),
        (["history", "stats", "--bogus"], "unrecognized arguments: --bogus"),
        (["history"], "required: ACTION, one of stats, export, import, backup"),
        (["routines", "new", "Jaw"], "routines new: the following arguments are required"),
    ],
)
def test_usage_errors_are_one_line_with_where_to_read_more(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], words: str
) -> None:
    code, err = run(capsys, tmp_path, *argv)
    assert code == 2
    assert words in one_line(err)
    assert err.rstrip().endswith("--help")


def test_help_is_still_the_full_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: facegym plan")
