"""The shape of the code that the design depends on, checked mechanically.

``facegym_desktop/core`` is plain Python: it serves the command line and the unit
tests without a display and without loading Qt. Two checks: no Qt import anywhere
in its source (including imports inside functions), and importing each module for
real leaves every Qt binding out of ``sys.modules`` (catches indirect imports
through other packages of the app).

The repository stays tidy: the root holds only the usual project files, every
screenshot is shown somewhere, and no file is committed twice.

Each check is a function of source text or file lists, with a test that feeds it a
bad example, so none of them can pass by accident. See docs/architecture.md, Rules.
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import json
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "facegym_desktop"
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


# ---------------------------------------------------------------------- repository hygiene

# Files the repository root may hold; anything else belongs in a folder (or nowhere).
ROOT_FILE_PATTERNS = (
    "README.md",
    "LICENSE*",
    "THIRD-PARTY-NOTICES*",
    "COPYING*",
    "CHANGELOG.md",
    "CONTRIBUTING.md",
    "pyproject.toml",
    ".gitignore",
    ".gitattributes",
    ".editorconfig",
)
SCREENSHOTS = "docs/screenshots/"
# Where a screenshot counts as used: the README, the docs, the AppStream metadata.
SCREENSHOT_USERS = ("README.md", "docs/", "packaging/")
# Folders whose files must not repeat each other byte for byte.
NO_DUPLICATES_UNDER = ("assets/", "packaging/", "docs/")


def _tracked_files() -> list[str]:
    """The repository's files as git knows them (paths relative to the root)."""
    try:
        result = subprocess.run(
            ["git", "ls-files", "-z"],
            capture_output=True,
            cwd=ROOT,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        pytest.skip("git is not installed")
    if result.returncode != 0:
        pytest.skip("not a git checkout (an unpacked sdist)")
    return [name for name in result.stdout.decode("utf-8").split("\0") if name]


def stray_root_files(tracked: Iterable[str]) -> list[str]:
    """Files at the top of ``tracked`` that match none of ``ROOT_FILE_PATTERNS``."""
    return sorted(
        name
        for name in tracked
        if "/" not in name
        and not any(fnmatch.fnmatchcase(name, pattern) for pattern in ROOT_FILE_PATTERNS)
    )


def unused_screenshots(tracked: Iterable[str], texts: Mapping[str, str]) -> list[str]:
    """Screenshots whose file name appears in none of ``texts`` (path -> content)."""
    return sorted(
        name
        for name in tracked
        if name.startswith(SCREENSHOTS)
        and not any(Path(name).name in text for text in texts.values())
    )


def duplicate_files(contents: Mapping[str, bytes]) -> list[list[str]]:
    """Groups of paths in ``contents`` (path -> bytes) whose bytes are the same."""
    by_hash: dict[str, list[str]] = {}
    for name, data in contents.items():
        by_hash.setdefault(hashlib.sha1(data).hexdigest(), []).append(name)
    return sorted(sorted(names) for names in by_hash.values() if len(names) > 1)


def test_root_finder_sees_stray_files() -> None:
    tracked = ["README.md", "LICENSE.txt", "pyproject.toml", "imp.txt", "docs/x.md", "notes.py"]
    assert stray_root_files(tracked) == ["imp.txt", "notes.py"]


def test_repository_root_holds_only_project_files() -> None:
    stray = stray_root_files(_tracked_files())
    assert not stray, f"move or delete these files at the repository root: {stray}"


def test_screenshot_finder_sees_unused_pictures() -> None:
    tracked = [SCREENSHOTS + "shown.png", SCREENSHOTS + "forgotten.png", "README.md"]
    texts = {"README.md": "![A session](docs/screenshots/shown.png)"}
    assert unused_screenshots(tracked, texts) == [SCREENSHOTS + "forgotten.png"]


def test_every_screenshot_is_shown_somewhere() -> None:
    tracked = _tracked_files()
    assert any(name.startswith(SCREENSHOTS) for name in tracked), "no screenshots found"
    texts = {
        name: (ROOT / name).read_text(encoding="utf-8")
        for name in tracked
        if name.startswith(SCREENSHOT_USERS) and name.endswith((".md", ".xml"))
    }
    unused = unused_screenshots(tracked, texts)
    assert not unused, f"no page shows these screenshots; delete them: {unused}"


def test_duplicate_finder_sees_copies() -> None:
    contents = {"assets/a.svg": b"<svg/>", "packaging/a.svg": b"<svg/>", "docs/b.md": b"b"}
    assert duplicate_files(contents) == [["assets/a.svg", "packaging/a.svg"]]


def test_no_file_is_committed_twice() -> None:
    contents = {
        name: (ROOT / name).read_bytes()
        for name in _tracked_files()
        if name.startswith(NO_DUPLICATES_UNDER) and (ROOT / name).is_file()
    }
    assert contents
    copies = duplicate_files(contents)
    assert not copies, f"keep one copy of each and point the others at it: {copies}"
