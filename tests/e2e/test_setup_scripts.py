"""scripts/app.sh and scripts/test.sh, run for real against a stand-in repository.

Each test copies the scripts into a temporary folder with a small pyproject.toml and
a stand-in ``.venv``: its ``python`` records pip calls instead of installing and
hands everything else to the interpreter running these tests; its ``facegym``
prints the arguments it got. ``apt-get``, ``dpkg-query`` and ``id`` are replaced
the same way where the system package step is under test, so nothing is installed.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def _write_program(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@dataclass
class FakeRepo:
    root: Path
    log: Path
    stubs: Path

    def run(
        self, script: str, *args: str, missing: tuple[str, ...] | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        """Run scripts/<script> from a folder outside the repository.

        ``missing`` switches the system package step on, with those packages absent.
        """
        full_env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"CI", "FACEGYM_PYTHON", "FACEGYM_SKIP_SYSTEM_PACKAGES"}
        }
        full_env["FAKE_LOG"] = str(self.log)
        if missing is None:
            full_env["FACEGYM_SKIP_SYSTEM_PACKAGES"] = "1"
        else:
            (self.stubs / "missing.txt").write_text("".join(f"{name}\n" for name in missing))
            full_env["PATH"] = f"{self.stubs}{os.pathsep}{full_env['PATH']}"
        full_env.update(env)
        elsewhere = self.root.parent / "elsewhere"
        elsewhere.mkdir(exist_ok=True)
        return subprocess.run(
            ["bash", str(self.root / "scripts" / script), *args],
            cwd=elsewhere,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    def logged(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def repo(tmp_path: Path) -> FakeRepo:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "scripts", root / "scripts")
    (root / "pyproject.toml").write_text('[project]\nname = "stand-in"\nversion = "1"\n')
    (root / "tests").mkdir()
    log = tmp_path / "calls.log"
    venv_bin = root / ".venv" / "bin"
    _write_program(
        venv_bin / "python",
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "pip $*" >> "$FAKE_LOG"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n',
    )
    _write_program(venv_bin / "facegym", '#!/bin/sh\necho "facegym $*"\n')
    stubs = tmp_path / "stubs"
    _write_program(
        stubs / "dpkg-query",
        "#!/bin/sh\n"
        'for last in "$@"; do :; done\n'
        'grep -qx "$last" "$(dirname "$0")/missing.txt" && exit 1\n'
        'echo "ii "\n',
    )
    _write_program(stubs / "apt-get", '#!/bin/sh\necho "apt-get $*" >> "$FAKE_LOG"\n')
    _write_program(stubs / "id", '#!/bin/sh\necho "${FAKE_UID:-1000}"\n')
    return FakeRepo(root, log, stubs)


def test_app_installs_once_then_passes_arguments_through(repo: FakeRepo) -> None:
    first = repo.run("app.sh", "routines", "list", "--json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == "facegym routines list --json\n"  # set-up talk stays on stderr
    assert "installing" in first.stderr
    assert repo.logged() == ["pip -m pip install -e ."]

    again = repo.run("app.sh", "--version")
    assert again.returncode == 0, again.stderr
    assert again.stderr == ""
    assert len(repo.logged()) == 1

    with (repo.root / "pyproject.toml").open("a") as pyproject:
        pyproject.write('description = "changed"\n')
    changed = repo.run("app.sh", "--version")
    assert changed.returncode == 0, changed.stderr
    assert len(repo.logged()) == 2


def test_test_install_also_serves_the_app(repo: FakeRepo) -> None:
    (repo.root / "tests" / "test_ok.py").write_text("def test_ok():\n    pass\n")
    result = repo.run("test.sh", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert repo.logged() == ["pip -m pip install -e .[test]"]
    assert repo.run("app.sh").returncode == 0
    assert len(repo.logged()) == 1


def test_test_script_passes_pytest_failures_through(repo: FakeRepo) -> None:
    (repo.root / "tests" / "test_broken.py").write_text("def test_broken():\n    assert False\n")
    result = repo.run("test.sh", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 1
    assert "1 failed" in result.stdout


def test_no_collected_tests_is_a_failure(repo: FakeRepo) -> None:
    result = repo.run("test.sh", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 1
    assert "no tests were collected" in result.stderr


def test_new_venv_refuses_old_python(repo: FakeRepo, tmp_path: Path) -> None:
    shutil.rmtree(repo.root / ".venv")
    old_python = tmp_path / "old" / "python3"
    _write_program(
        old_python, '#!/bin/sh\ncase "$2" in *sys.exit*) exit 1 ;; *) echo 3.10.12 ;; esac\n'
    )
    result = repo.run("app.sh", FACEGYM_PYTHON=str(old_python))
    assert result.returncode == 1
    assert "needs Python 3.11 or newer" in result.stderr
    assert "3.10.12" in result.stderr


def test_root_installs_missing_system_packages(repo: FakeRepo) -> None:
    result = repo.run(
        "test.sh", "-q", "-p", "no:cacheprovider", missing=("sox", "xvfb"), FAKE_UID="0"
    )
    calls = [line for line in repo.logged() if line.startswith("apt-get")]
    assert calls == [
        "apt-get update -q",
        "apt-get install -y -q --no-install-recommends xvfb sox",
    ], result.stderr


def test_app_without_root_prints_the_install_line_and_starts(repo: FakeRepo) -> None:
    result = repo.run("app.sh", "--smoke", missing=("espeak-ng",))
    assert result.returncode == 0, result.stderr
    assert "sudo apt-get install --no-install-recommends espeak-ng" in result.stderr
    assert result.stdout == "facegym --smoke\n"
    assert not [line for line in repo.logged() if line.startswith("apt-get")]


def test_tests_without_root_skip_only_optional_tools(repo: FakeRepo) -> None:
    (repo.root / "tests" / "test_ok.py").write_text("def test_ok():\n    pass\n")
    optional = repo.run("test.sh", "-q", "-p", "no:cacheprovider", missing=("imagemagick",))
    assert optional.returncode == 0, optional.stderr
    assert "sudo apt-get install --no-install-recommends imagemagick" in optional.stderr

    in_ci = repo.run("test.sh", "-q", missing=("imagemagick",), CI="true")
    assert in_ci.returncode == 1
    assert "cannot run the tests without imagemagick" in in_ci.stderr

    essential = repo.run("test.sh", "-q", missing=("libegl1",))
    assert essential.returncode == 1
    assert "cannot run the tests without libegl1" in essential.stderr


def test_ci_entry_point_runs_the_documented_test_command() -> None:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert 'exec bash "$(dirname "$0")/../scripts/test.sh"' in lines
    for script in ("app.sh", "test.sh", "lib/setup.sh"):
        check = subprocess.run(["bash", "-n", str(ROOT / "scripts" / script)], capture_output=True)
        assert check.returncode == 0, check.stderr
