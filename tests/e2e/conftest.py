"""Fixtures for end-to-end tests that start the real program as a subprocess."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]

# Xvfb writes its display number once the server is ready to accept clients.
_XVFB_START_TIMEOUT_SECONDS = 20


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_tool(name: str, package: str) -> str:
    """The path of a command-line tool; skip without it, except in CI where it must exist."""
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed (Debian/Ubuntu package: {package})"
    if running_in_ci():
        pytest.fail(f"{message}; CI must run every test", pytrace=False)
    pytest.skip(message)


def _read_display_number(read_fd: int, server: subprocess.Popen[bytes]) -> str:
    received = b""
    while not received.endswith(b"\n"):
        ready, _, _ = select.select([read_fd], [], [], _XVFB_START_TIMEOUT_SECONDS)
        if not ready:
            raise RuntimeError("Xvfb did not report a display number in time")
        chunk = os.read(read_fd, 64)
        if not chunk:
            raise RuntimeError(f"Xvfb exited early with status {server.wait()}")
        received += chunk
    return received.decode().strip()


@pytest.fixture(scope="session")
def xvfb_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private X11 screen: yields an environment with DISPLAY set and Qt on xcb."""
    xvfb = require_tool("Xvfb", "xvfb")
    log_path = tmp_path_factory.mktemp("xvfb") / "xvfb.log"
    read_fd, write_fd = os.pipe()
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                xvfb,
                "-displayfd",
                str(write_fd),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
    os.close(write_fd)
    try:
        try:
            number = _read_display_number(read_fd, server)
        except RuntimeError as error:
            pytest.fail(f"{error}; log:\n{log_path.read_text(errors='replace')}", pytrace=False)
        finally:
            os.close(read_fd)
        env = dict(os.environ)
        env.pop("WAYLAND_DISPLAY", None)
        env["DISPLAY"] = f":{number}"
        env["QT_QPA_PLATFORM"] = "xcb"
        yield env
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def facegym_cmd() -> list[str]:
    """The command that starts FaceGym with the interpreter running the tests."""
    return [sys.executable, "-m", "facegym_desktop"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, empty data folder for one test (pass it as --data-dir)."""
    folder = tmp_path / "facegym-data"
    folder.mkdir()
    return folder


def start_run(
    facegym_cmd: list[str], env: dict[str, str], data_dir: Path, *options: str
) -> subprocess.Popen[str]:
    """Start ``facegym run ... --mute --data-dir DATA_DIR`` with ``options`` (text pipes).

    ``options`` go between ``run`` and ``--mute``: the routine and its flags.  The
    process runs from the checkout with ``env`` and its output captured.
    """
    return subprocess.Popen(
        [*facegym_cmd, "run", *options, "--mute", "--data-dir", str(data_dir)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_or_kill(process: subprocess.Popen[str], timeout: float) -> tuple[str, str]:
    """The output of ``process`` once it has exited (within ``timeout`` seconds, else
    ``subprocess.TimeoutExpired``); a process still running afterwards is killed."""
    try:
        return process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def history_stats(facegym_cmd: list[str], env: dict[str, str], data_dir: Path) -> dict[str, Any]:
    """The summary ``facegym history stats --json`` prints for ``data_dir``.

    Raises subprocess.CalledProcessError when the command fails, TimeoutExpired after 30 s.
    """
    stats = subprocess.run(
        [*facegym_cmd, "history", "stats", "--json", "--data-dir", str(data_dir)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    summary: dict[str, Any] = json.loads(stats.stdout)
    return summary


def facegym(
    cmd: list[str], *args: str, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` (the facegym command) with ``args``; text output captured, never raises
    for a non-zero exit (``subprocess.TimeoutExpired`` after ``timeout`` seconds)."""
    return subprocess.run(
        [*cmd, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
