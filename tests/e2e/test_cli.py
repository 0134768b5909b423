"""The text commands as a script or a person calls them: real processes, no display."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import facegym
from tests.factories import user_routine_toml

pytestmark = pytest.mark.e2e

USER_ROUTINE = user_routine_toml("my-quick-glow", "My quick glow", "A short routine of my own.")

BROKEN_FILES = {
    "syntax.toml": b'id = "x"\nname = [\n',
    "binary.toml": b"\xff\xfe\x00junk",
    "empty.toml": b"",
    "unknown-move.toml": (
        b'id = "bad-routine"\nname = "Bad"\ndescription = "d"\nkind = "daily"\n'
        b"default_minutes = 5\nmin_minutes = 3\nmax_minutes = 8\n"
        b'[[steps]]\nmove = "no-such-move"\nseconds = 40\n'
    ),
    "wrong-types.toml": b'id = 3\nname = true\n[[steps]]\nmove = 3\nseconds = "long"\n',
    "deep.toml": b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "moves-only-bad.toml": b'[[moves]]\nid = "x"\nareas = ["elbow"]\n',
}
PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+\.toml): (?P<location>[^:]+): (?P<message>.+)$")


def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FACEGYM_DATA_DIR", None)
    return env


@pytest.fixture
def builtin(facegym_cmd: list[str], data_dir: Path) -> list[dict]:
    result = facegym(facegym_cmd, "routines", "list", "--json", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_routines_list_json_contract(builtin: list[dict]) -> None:
    assert len(builtin) >= 5
    required = {"id", "name", "source", "default_minutes", "min_minutes", "max_minutes", "areas"}
    for routine in builtin:
        assert required <= routine.keys(), routine.get("id")
        assert routine["source"] == "builtin"
        assert routine["min_minutes"] <= routine["default_minutes"] <= routine["max_minutes"]
        assert routine["areas"] and all(isinstance(area, str) for area in routine["areas"])
    assert len({r["id"] for r in builtin}) == len(builtin)


def test_user_routines_are_listed_with_source_user(facegym_cmd, data_dir: Path, builtin) -> None:
    (data_dir / "routines").mkdir()
    (data_dir / "routines" / "mine.toml").write_text(USER_ROUTINE, encoding="utf-8")
    result = facegym(facegym_cmd, "routines", "list", "--json", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    listed = {r["id"]: r for r in json.loads(result.stdout)}
    assert listed["my-quick-glow"]["source"] == "user"
    assert listed["my-quick-glow"]["min_minutes"] == 1.5
    assert {r["id"] for r in builtin} < listed.keys()


def test_data_dir_comes_from_the_option_or_the_environment(facegym_cmd, tmp_path: Path) -> None:
    with_routine = tmp_path / "with"
    without = tmp_path / "without"
    (with_routine / "routines").mkdir(parents=True)
    without.mkdir()
    (with_routine / "routines" / "mine.toml").write_text(USER_ROUTINE, encoding="utf-8")

    def ids(*args: str, env: dict[str, str]) -> set[str]:
        result = facegym(facegym_cmd, *args, env=env)
        assert result.returncode == 0, result.stderr
        return {r["id"] for r in json.loads(result.stdout)}

    env = clean_env()
    assert "my-quick-glow" in ids(
        "routines", "list", "--json", "--data-dir", str(with_routine), env=env
    )
    # The option may also stand before the command.
    assert "my-quick-glow" in ids(
        "--data-dir", str(with_routine), "routines", "list", "--json", env=env
    )
    assert "my-quick-glow" not in ids(
        "routines", "list", "--json", "--data-dir", str(without), env=env
    )
    env["FACEGYM_DATA_DIR"] = str(with_routine)
    assert "my-quick-glow" in ids("routines", "list", "--json", env=env)
    # The option wins over the environment.
    assert "my-quick-glow" not in ids(
        "routines", "list", "--json", "--data-dir", str(without), env=env
    )
    # Reading never wrote into the folder the user did not choose.
    assert list(without.iterdir()) == []


def test_plan_and_run_use_the_data_dir_routine(facegym_cmd, data_dir: Path) -> None:
    (data_dir / "routines").mkdir()
    (data_dir / "routines" / "mine.toml").write_text(USER_ROUTINE, encoding="utf-8")
    env = clean_env()
    env["FACEGYM_DATA_DIR"] = str(data_dir)
    result = facegym(facegym_cmd, "plan", "my-quick-glow", "--minutes", "1.5", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["routine"] == "my-quick-glow"


def test_validate_reports_one_line_per_problem_and_never_a_traceback(
    facegym_cmd, tmp_path: Path
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    for name, content in BROKEN_FILES.items():
        (folder / name).write_bytes(content)
    paths = sorted(str(p) for p in folder.iterdir())
    result = facegym(facegym_cmd, "routines", "validate", *paths)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    named = set()
    for line in lines:
        match = PROBLEM_LINE.match(line)
        assert match, f"not PATH: LOCATION: MESSAGE: {line!r}"
        assert match["path"] in paths
        named.add(match["path"])
    assert named == set(paths), "every broken file has at least one line"
    assert len(lines) == len(set(lines)), "no problem is reported twice"
    assert any(":steps[0].move:" in line.replace(" ", "") for line in lines)


def test_validate_accepts_good_files(facegym_cmd, tmp_path: Path) -> None:
    good = tmp_path / "mine.toml"
    good.write_text(USER_ROUTINE, encoding="utf-8")
    result = facegym(facegym_cmd, "routines", "validate", str(good))
    assert (result.returncode, result.stdout) == (0, "")


def test_validate_a_missing_file_or_a_folder_is_a_problem_not_a_crash(
    facegym_cmd, tmp_path
) -> None:
    result = facegym(
        facegym_cmd, "routines", "validate", str(tmp_path / "nope.toml"), str(tmp_path)
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.stdout.splitlines()) == 2


def _plans(builtin: list[dict]) -> list[tuple[str, float]]:
    return [
        (r["id"], minutes)
        for r in builtin
        for minutes in sorted({r["min_minutes"], r["default_minutes"], r["max_minutes"]})
    ]


def test_plan_every_builtin_at_its_min_default_and_max(facegym_cmd, builtin: list[dict]) -> None:
    for routine_id, minutes in _plans(builtin):
        result = facegym(facegym_cmd, "plan", routine_id, "--minutes", f"{minutes:g}", "--json")
        assert result.returncode == 0, (routine_id, minutes, result.stderr)
        timeline = json.loads(result.stdout)
        label = f"{routine_id} at {minutes:g} min"
        assert timeline["routine"] == routine_id
        assert timeline["target_seconds"] == round(minutes * 60)
        assert abs(timeline["total_seconds"] - minutes * 60) <= 1.0, label
        segments = timeline["segments"]
        assert segments[0]["start"] == 0
        for before, after in zip(segments, segments[1:], strict=False):
            assert before["end"] == pytest.approx(after["start"]), label
        for segment in segments:
            assert segment["kind"] in {"prep", "move", "transition", "switch", "rest"}
            assert segment["end"] > segment["start"], label
            if segment["kind"] == "move":
                assert set(segment["pressure"]) == set(segment["areas"]), label
        assert timeline["total_seconds"] == pytest.approx(segments[-1]["end"])
        ats = [cue["at"] for cue in timeline["cues"]]
        assert ats == sorted(ats), label
        assert all(0 <= at <= timeline["total_seconds"] for at in ats), label


@pytest.mark.parametrize("minutes", ["2", "9", "0", "-1"])
def test_plan_out_of_range_exits_2_with_the_range(facegym_cmd, minutes: str) -> None:
    result = facegym(facegym_cmd, "plan", "morning-wake-up", f"--minutes={minutes}")
    assert result.returncode == 2
    assert "3" in result.stderr and "8" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_run_out_of_range_exits_2_before_opening_a_window(facegym_cmd, data_dir: Path) -> None:
    env = clean_env()
    env.pop("DISPLAY", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = facegym(
        facegym_cmd,
        "run",
        "morning-wake-up",
        "--minutes",
        "30",
        "--data-dir",
        str(data_dir),
        env=env,
    )
    assert result.returncode == 2
    assert "3 to 8 minutes" in result.stderr


def test_unknown_routine_is_named(facegym_cmd) -> None:
    result = facegym(facegym_cmd, "plan", "no-such-routine")
    assert result.returncode == 1
    assert "no-such-routine" in result.stderr
    assert "morning-wake-up" in result.stderr  # the known ids are offered


def test_validate_accepts_folders(tmp_path):
    import sys

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.toml").write_text('id = "x"\nname = \n')
    (broken / "b.toml").write_text("[[moves]]\nid = 3\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "facegym_desktop", "routines", "validate", str(broken), str(empty)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{empty}: folder: holds no .toml files"
    assert any(line.startswith(f"{broken / 'a.toml'}: line 2, column") for line in lines)
    assert any(line.startswith(f"{broken / 'b.toml'}: moves[0].id:") for line in lines)
    assert "Traceback" not in result.stderr


def test_reminders_next_in_a_real_process_follows_tz(facegym_cmd, data_dir: Path) -> None:
    (data_dir / "settings.json").write_text('{"reminder_times": ["07:30"]}', encoding="utf-8")
    env = clean_env()
    env["TZ"] = "America/New_York"
    args = ("reminders", "next", "--json", "--data-dir", str(data_dir))
    result = facegym(facegym_cmd, *args, "--now", "2026-03-07T23:00-05:00", env=env)
    assert result.returncode == 0, result.stderr
    assert [item["at"] for item in json.loads(result.stdout)] == ["2026-03-08T07:30:00-04:00"]
    result = facegym(facegym_cmd, *args, "--now", "2026-03-07T23:00", env=env)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("facegym: --now: ") and "no UTC offset" in result.stderr
    assert "Traceback" not in result.stderr


HISTORY_LAUNCH = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

app = QApplication(sys.argv[:1])


def report() -> None:
    shown = sorted(w.windowTitle() for w in app.topLevelWidgets() if w.isVisible())
    print(shown, flush=True)
    app.quit()


QTimer.singleShot(4000, report)
from facegym_desktop.cli import main

sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(("options", "history_shown"), [((), False), (("--history",), True)])
def test_history_option_opens_the_history_window_with_the_app(
    data_dir: Path, options: tuple[str, ...], history_shown: bool
) -> None:
    import sys

    env = clean_env()
    env["QT_QPA_PLATFORM"] = "offscreen"
    command = [sys.executable, "-c", HISTORY_LAUNCH, *options, "--data-dir", str(data_dir)]
    result = facegym(command, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    titles = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    assert "FaceGym Desktop" in titles  # the main window
    assert len(titles) == (2 if history_shown else 1), titles  # and the History window


def test_plan_follows_the_preparation_and_pause_from_the_settings(
    facegym_cmd, data_dir: Path
) -> None:
    def timeline() -> list[dict]:
        result = facegym(
            facegym_cmd, "plan", "morning-wake-up", "--json", "--data-dir", str(data_dir)
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["segments"]

    def lengths(segments: list[dict], kind: str) -> set[float]:
        return {round(s["end"] - s["start"], 3) for s in segments if s["kind"] == kind}

    own = timeline()
    for key, value in (("prep_seconds", "37"), ("pause_seconds", "11")):
        changed = facegym(facegym_cmd, "settings", "set", key, value, "--data-dir", str(data_dir))
        assert changed.returncode == 0, changed.stderr
    chosen = timeline()
    assert lengths(chosen, "prep") == {37.0} != lengths(own, "prep")
    assert lengths(chosen, "transition") == {11.0} != lengths(own, "transition")
    # The session keeps its length: the moves give up the time.
    assert chosen[-1]["end"] == own[-1]["end"]


def test_validate_says_how_many_files_it_checked_when_all_are_good(
    facegym_cmd, tmp_path: Path
) -> None:
    good = tmp_path / "mine.toml"
    good.write_text(USER_ROUTINE, encoding="utf-8")
    result = facegym(facegym_cmd, "routines", "validate", str(good))
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr.strip() == "1 file checked: no problems."
