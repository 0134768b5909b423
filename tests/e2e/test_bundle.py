"""The PyInstaller bundle runs and speaks on its own: built from packaging/facegym.spec,
it opens its window, and `voice check` passes with no audio player command on PATH,
its own espeak-ng loaded (not the system's) and ALSA writing into nothing."""

from __future__ import annotations

import ctypes
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import require_tool, running_in_ci

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle"),
]

ROOT = Path(__file__).resolve().parents[2]
BUILD_TIMEOUT_SECONDS = 300  # the build takes about 20 s on two cores
NULL_ALSA = "pcm.!default { type null }\n"  # ALSA's default output writes into nothing


def _system_espeak_loads() -> bool:
    try:
        ctypes.CDLL("libespeak-ng.so.1")
    except OSError:
        return False
    return True


def _skip_or_fail(reason: str) -> None:
    """Skip, except in CI, where every test must run."""
    if running_in_ci():
        pytest.fail(f"{reason}; CI must run every test", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the bundle once for this module; the folder holding the programs."""
    for module, reason in (
        ("PyInstaller", "PyInstaller comes with the test extras"),
        ("miniaudio", "miniaudio is a dependency on Linux"),
    ):
        if importlib.util.find_spec(module) is None:
            _skip_or_fail(f"{module} is not installed ({reason})")
    if not _system_espeak_loads():
        _skip_or_fail("the build takes espeak-ng from the system (libespeak-ng1, espeak-ng-data)")
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "packaging" / "facegym.spec"),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    yield work / "dist" / "facegym"
    shutil.rmtree(work, ignore_errors=True)  # about 200 MB


@pytest.fixture
def bare_system(tmp_path: Path, bundle: Path) -> dict[str, str]:
    """An environment as on a desktop without espeak-ng or alsa-utils.

    PATH holds no program at all (no aplay, paplay or pw-play); the loader looks in
    the bundle first; ALSA writes into nothing and PulseAudio is out of reach, so
    playing needs no sound hardware.
    """
    (tmp_path / "empty-bin").mkdir()
    (tmp_path / "home").mkdir()
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    alsa = tmp_path / "asound.conf"
    alsa.write_text(NULL_ALSA)
    return {
        "PATH": str(tmp_path / "empty-bin"),
        "HOME": str(tmp_path / "home"),
        "XDG_RUNTIME_DIR": str(runtime),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "LD_LIBRARY_PATH": str(bundle / "_internal"),
        "ALSA_CONFIG_PATH": str(alsa),
        "PULSE_SERVER": f"unix:{tmp_path / 'no-pulse-server'}",
        "FACEGYM_DATA_DIR": str(tmp_path / "data"),
    }


def run_bundle(bundle: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bundle / "facegym"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_the_bundle_opens_its_window(bundle: Path, bare_system: dict[str, str]) -> None:
    result = run_bundle(bundle, bare_system, "--smoke")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_bundle_speaks_without_espeak_ng_or_an_audio_player(
    bundle: Path, bare_system: dict[str, str]
) -> None:
    result = run_bundle(bundle, bare_system, "voice", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Player: miniaudio" in result.stdout
    assert result.stdout.rstrip().endswith("Speech works.")


def test_the_bundle_installs_its_menu_entry_running_itself(
    bundle: Path, bare_system: dict[str, str], tmp_path: Path
) -> None:
    env = {**bare_system, "XDG_DATA_HOME": str(tmp_path / "share")}
    result = run_bundle(bundle, env, "install-desktop")
    assert result.returncode == 0, result.stderr
    entry = tmp_path / "share" / "applications" / "io.github.facegym.Desktop.desktop"
    execs = [line for line in entry.read_text().splitlines() if line.startswith("Exec=")]
    assert execs and all(
        line.startswith(f"Exec={bundle / 'facegym-desktop'}") for line in execs
    ), execs
    tool = require_tool("desktop-file-validate", "desktop-file-utils")
    validate = subprocess.run([tool, str(entry)], capture_output=True, text=True, timeout=60)
    assert validate.returncode == 0 and not validate.stdout.strip(), validate.stdout


def _mapped_espeak(pid: int) -> set[str]:
    maps = Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
    fields = (line.split(maxsplit=5) for line in maps.splitlines())
    return {f[5] for f in fields if len(f) == 6 and Path(f[5]).name.startswith("libespeak")}


@pytest.fixture
def worker(bundle: Path, bare_system: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [str(bundle / "facegym"), "--speech-worker"],
        env=bare_system,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    yield process
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=10)


def test_the_speech_worker_loads_the_bundled_espeak_ng_and_its_data(
    bundle: Path, worker: subprocess.Popen[str], tmp_path: Path
) -> None:
    assert worker.stdin is not None and worker.stdout is not None
    hello = json.loads(worker.stdout.readline())
    assert hello["ok"] and hello["engine"] == "espeak", hello
    bundled = bundle / "_internal" / "espeak-ng"
    # The memory map, read from outside: only the bundle's copy is loaded.
    assert _mapped_espeak(worker.pid) == {str(bundled / "libespeak-ng.so.1")}
    assert hello["library"] == str(bundled / "libespeak-ng.so.1")
    assert hello["espeak_data"] == str(bundled)
    assert (bundled / "espeak-ng-data" / "phondata").is_file()
    clip = tmp_path / "ready.wav"
    request = {"id": 1, "op": "render", "text": "Ready.", "path": str(clip)}
    worker.stdin.write(json.dumps(request) + "\n")
    worker.stdin.flush()
    started = time.monotonic()
    answer = json.loads(worker.stdout.readline())
    assert answer["ok"] and answer["duration"] > 0.2, answer
    assert clip.stat().st_size > 5_000
    assert time.monotonic() - started < 10
