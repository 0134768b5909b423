"""The wheel works on its own: built, installed away from the checkout, it still
finds its built-in routines and artwork.

The installed copy goes into a new virtual environment in a temporary folder. That
environment sees the dependencies (PySide6, pyttsx3, platformdirs) of the one
running the tests through a plain path entry, so nothing is downloaded; such an
entry does not run the ``.pth`` hooks of that environment, so an editable install
of the checkout cannot leak in. Commands run from a folder outside the checkout,
and the test checks where the package really came from.
"""

from __future__ import annotations

import importlib.util
import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ROUTINE_KEYS = {"id", "name", "source", "default_minutes", "min_minutes", "max_minutes", "areas"}
MIN_BUILTIN_ROUTINES = 6
BIN = "Scripts" if os.name == "nt" else "bin"

pytestmark = pytest.mark.e2e


def _run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        **options,  # type: ignore[arg-type]
    )
    assert result.returncode == 0, (
        f"{command} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out_dir)]
    # Without isolation the build uses the hatchling installed here and needs no
    # network; with it, build fetches hatchling into a throwaway environment.
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-isolation")
    _run([*command, str(ROOT)], cwd=out_dir)
    (built,) = out_dir.glob("facegym_desktop-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment holding only the wheel; returns its folder."""
    env_dir = tmp_path_factory.mktemp("installed") / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / BIN / "python"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            str(wheel),
        ]
    )
    own_site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
        ).stdout.strip()
    )
    dependency_dirs = [path for path in site.getsitepackages() if Path(path).is_dir()]
    if site.ENABLE_USER_SITE and Path(site.getusersitepackages()).is_dir():
        dependency_dirs.append(site.getusersitepackages())
    (own_site / "facegym_test_dependencies.pth").write_text("\n".join(dependency_dirs) + "\n")
    return env_dir


def _clean_env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["FACEGYM_DATA_DIR"] = str(data_dir)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_wheel_carries_routines_and_assets(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    routine_files = [
        name
        for name in names
        if name.startswith("facegym_desktop/_data/routines/") and name.endswith(".toml")
    ]
    assert routine_files, f"no routine files in {wheel.name}"
    assert any(name.startswith("facegym_desktop/_data/assets/") for name in names), (
        f"no assets in {wheel.name}"
    )
    source_routines = sorted(path.name for path in (ROOT / "routines").glob("*.toml"))
    assert sorted(Path(name).name for name in routine_files) == source_routines


def test_wheel_carries_the_license_and_the_third_party_notices(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        for name in ("LICENSE", "THIRD-PARTY-NOTICES.md"):
            (inside,) = [entry for entry in names if entry.endswith(f".dist-info/licenses/{name}")]
            assert archive.read(inside) == (ROOT / name).read_bytes()
        metadata = next(entry for entry in names if entry.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode("utf-8")
    assert "License-Expression: MIT" in text
    assert "License-File: THIRD-PARTY-NOTICES.md" in text


def test_installed_package_comes_from_the_wheel(installed: Path, data_dir: Path) -> None:
    probe = (
        "import json, sys, facegym_desktop, facegym_desktop.paths as paths; "
        "print(json.dumps({'file': facegym_desktop.__file__, 'path': sys.path, "
        "'routines': str(paths.builtin_routines_dir()), 'assets': str(paths.assets_dir())}))"
    )
    result = _run(
        [str(installed / BIN / "python"), "-c", probe],
        cwd=data_dir,
        env=_clean_env(data_dir),
    )
    found = json.loads(result.stdout)
    assert Path(found["file"]).is_relative_to(installed)
    for key in ("routines", "assets"):
        assert Path(found[key]).is_relative_to(installed / "lib"), found[key]
    # No other sys.path entry may offer the package, such as the checkout. (An editable
    # install leaves a bare facegym_desktop/_data copy in site-packages; no __init__.py.)
    others = [
        entry
        for entry in found["path"]
        if entry
        and not Path(entry).is_relative_to(installed)
        and (Path(entry) / "facegym_desktop" / "__init__.py").exists()
    ]
    assert not others, f"another copy of facegym_desktop is on sys.path: {others}"
    assert str(ROOT) not in found["path"]


def test_installed_command_lists_builtin_routines(installed: Path, data_dir: Path) -> None:
    result = _run(
        [str(installed / BIN / "facegym"), "routines", "list", "--json"],
        cwd=data_dir,
        env=_clean_env(data_dir),
    )
    routines = json.loads(result.stdout)
    assert isinstance(routines, list)
    builtin = [routine for routine in routines if routine.get("source") == "builtin"]
    assert len(builtin) >= MIN_BUILTIN_ROUTINES, routines
    for routine in builtin:
        assert routine.keys() >= ROUTINE_KEYS, routine
        assert routine["min_minutes"] <= routine["default_minutes"] <= routine["max_minutes"]
        assert routine["areas"] and isinstance(routine["areas"], list)
    assert len({routine["id"] for routine in routines}) == len(routines)
