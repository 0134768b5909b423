"""The shape of the code that the design depends on, checked mechanically.

``facegym_desktop/core`` is plain Python: it serves the command line and the unit
tests without a display and without loading Qt. Two checks: no Qt import anywhere
in its source (including imports inside functions), and importing each module for
real leaves every Qt binding out of ``sys.modules`` (catches indirect imports
through other packages of the app).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "facegym_desktop"
CORE_DIR = PACKAGE_DIR / "core"
QT_PACKAGES = frozenset({"PySide6", "PySide2", "shiboken6", "shiboken2", "PyQt5", "PyQt6", "qtpy"})
IMPORT_FUNCTIONS = frozenset({"import_module", "__import__"})


def _core_files() -> list[Path]:
    return sorted(CORE_DIR.rglob("*.py"))


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _top_level(name: str) -> str:
    return name.split(".", 1)[0]


def qt_imports(source: str, filename: str = "<source>") -> list[str]:
    """Each Qt import in ``source`` as ``line N: module``."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call):
            function = node.func
            called = getattr(function, "attr", None) or getattr(function, "id", None)
            if called in IMPORT_FUNCTIONS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names = [first.value]
        found.extend(
            f"line {node.lineno}: {name}" for name in names if _top_level(name) in QT_PACKAGES
        )
    return found


def test_core_has_modules() -> None:
    # Guards the checks below against passing on an empty or moved folder.
    assert (CORE_DIR / "__init__.py").is_file()
    assert len(_core_files()) >= 2


@pytest.mark.parametrize(
    "source",
    [
        "import PySide6",
        "from PySide6.QtCore import QTimer",
        "def later():\n    import shiboken6",
        "import importlib\nimportlib.import_module('PyQt6.QtGui')",
    ],
)
def test_qt_import_finder_sees_every_form(source: str) -> None:
    assert qt_imports(source)


def test_qt_import_finder_ignores_similar_names() -> None:
    assert not qt_imports("import pyside_helpers\nfrom . import qt_free\nname = 'PySide6'")


@pytest.mark.parametrize("path", _core_files(), ids=lambda path: path.name)
def test_core_source_never_imports_qt(path: Path) -> None:
    found = qt_imports(path.read_text(encoding="utf-8"), str(path))
    assert not found, f"{path.relative_to(PACKAGE_DIR.parent)} imports Qt: {found}"


_LOADED_QT = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
qt = {qt!r}
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in qt)))
"""


def _qt_modules_loaded_by(module: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", _LOADED_QT.format(qt=sorted(QT_PACKAGES)), module],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PACKAGE_DIR.parent,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, f"importing {module} failed:\n{result.stderr}"
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "module", [_module_name(path) for path in _core_files()], ids=lambda name: name
)
def test_importing_core_module_loads_no_qt(module: str) -> None:
    assert _qt_modules_loaded_by(module) == []


def test_command_line_loads_qt_only_when_a_window_opens() -> None:
    # Text commands (routines, plan, history) must work without a display and start fast.
    assert _qt_modules_loaded_by("facegym_desktop.cli") == []


def test_loaded_qt_check_sees_qt() -> None:
    # The subprocess check must be able to fail.
    assert "PySide6.QtCore" in _qt_modules_loaded_by("PySide6.QtCore")
