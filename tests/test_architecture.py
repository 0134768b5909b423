"""The shape of the code that the design depends on, checked mechanically.

``facegym_desktop/core`` is plain Python: it serves the command line and the unit
tests without a display and without loading Qt. Two checks: no Qt import anywhere
in its source (including imports inside functions), and importing each module for
real leaves every Qt binding out of ``sys.modules`` (catches indirect imports
through other packages of the app).

The UI stays in small modules with typed ports: no module under ``ui/`` over 400
lines; the coach, the history bridge and the session recorder are never passed or
stored as ``Any`` (or without an annotation) there; and nowhere in the package is a
coach, bridge, speaker or history probed with ``hasattr``/``getattr``: they are
called through their declared types.

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
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "facegym_desktop"
CORE_DIR = PACKAGE_DIR / "core"
UI_DIR = PACKAGE_DIR / "ui"
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


# ---------------------------------------------------------------------- ui size and ports

MAX_UI_LINES = 400
# Parameters and attributes that hold the coach or the history: typed, never Any.
PORT_NAMES = frozenset({"coach", "bridge", "history", "recorder"})
# Objects whose methods are called, never looked up by name or probed.
NO_PROBING = frozenset({"coach", "bridge", "speaker", "history"})
PROBES = frozenset({"hasattr", "getattr"})


def _ui_files() -> list[Path]:
    return sorted(UI_DIR.rglob("*.py"))


def _package_files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def _relative(path: Path) -> str:
    return str(path.relative_to(PACKAGE_DIR.parent))


def line_count(source: str) -> int:
    """Lines in ``source`` as an editor numbers them."""
    return len(source.splitlines())


def _mentions_any(annotation: ast.expr) -> bool:
    """True when ``annotation`` is or contains ``Any`` (``Any | None``, ``"Any"``, ...)."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name) and node.id == "Any":
            return True
        if isinstance(node, ast.Attribute) and node.attr == "Any":
            return True
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                inner = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                continue
            if _mentions_any(inner):
                return True
    return False


def _target_name(target: ast.expr) -> str | None:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return None


def untyped_ports(source: str, filename: str = "<source>") -> list[str]:
    """Each parameter or attribute named in ``PORT_NAMES`` typed ``Any`` or not at all.

    Parameters of every function (positional, keyword-only) must carry an annotation
    without ``Any``; annotated attributes and class fields (``self.coach: Any = None``)
    must not mention ``Any``.  Leading underscores are ignored (``_bridge`` counts).
    Found as ``line N: NAME (what is wrong)``.
    """
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
                if argument.arg.lstrip("_") not in PORT_NAMES:
                    continue
                if argument.annotation is None:
                    found.append(f"line {argument.lineno}: {argument.arg} (no annotation)")
                elif _mentions_any(argument.annotation):
                    found.append(f"line {argument.lineno}: {argument.arg} (annotated Any)")
        elif isinstance(node, ast.AnnAssign):
            name = _target_name(node.target)
            if name and name.lstrip("_") in PORT_NAMES and _mentions_any(node.annotation):
                found.append(f"line {node.lineno}: {name} (annotated Any)")
    return found


def _probed_name(target: ast.expr) -> str | None:
    """``coach`` for ``coach``, ``self.coach``, ``self._coach`` or ``window.coach``."""
    name = _target_name(target)
    return None if name is None else name.lstrip("_")


def probed_ports(source: str, filename: str = "<source>") -> list[str]:
    """Each ``hasattr``/``getattr`` call whose object is named in ``NO_PROBING``.

    Found as ``line N: hasattr(OBJECT, ...)``.
    """
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        if node.func.id not in PROBES or not node.args:
            continue
        if _probed_name(node.args[0]) in NO_PROBING:
            found.append(f"line {node.lineno}: {node.func.id}({ast.unparse(node.args[0])}, ...)")
    return found


def test_ui_has_modules() -> None:
    # Guards the checks below against passing on an empty or moved folder.
    assert len(_ui_files()) >= 5


def test_line_count_sees_a_long_module() -> None:
    assert line_count("x = 1\n" * (MAX_UI_LINES + 1)) > MAX_UI_LINES
    assert line_count("x = 1\n" * MAX_UI_LINES) == MAX_UI_LINES


@pytest.mark.parametrize("path", _ui_files(), ids=lambda path: path.name)
def test_ui_modules_stay_small(path: Path) -> None:
    lines = line_count(path.read_text(encoding="utf-8"))
    assert lines <= MAX_UI_LINES, f"{_relative(path)} has {lines} lines (at most {MAX_UI_LINES})"


@pytest.mark.parametrize(
    "source",
    [
        "def attach(self, coach: Any) -> None: ...",
        "def attach(self, bridge) -> None: ...",
        "def attach(self, *, history: Any | None = None) -> None: ...",
        "def attach(self, recorder: 'typing.Any') -> None: ...",
        "class Window:\n    def __init__(self):\n        self._coach: Any = None",
        "class Services:\n    bridge: Optional[Any] = None",
    ],
)
def test_port_finder_sees_any_and_missing_types(source: str) -> None:
    assert untyped_ports(source)


def test_port_finder_accepts_real_types_and_other_names() -> None:
    source = (
        "def attach(self, coach: VoiceCoach | None, bridge: 'HistoryBridge') -> None:\n"
        "    self.coach: VoiceCoach | None = coach\n"
        "def other(self, value: Any, payload) -> None: ...\n"
    )
    assert untyped_ports(source) == []


@pytest.mark.parametrize("path", _ui_files(), ids=lambda path: path.name)
def test_ui_types_the_coach_and_history_ports(path: Path) -> None:
    found = untyped_ports(path.read_text(encoding="utf-8"), str(path))
    assert not found, f"{_relative(path)}: give these their real types: {found}"


@pytest.mark.parametrize(
    "source",
    [
        "hasattr(coach, 'pause')",
        "if hasattr(self.bridge, 'load_last_done'):\n    pass",
        "getattr(self._speaker, 'history', None)",
        "method = getattr(window.history, name)",
    ],
)
def test_probe_finder_sees_hasattr_and_getattr_on_ports(source: str) -> None:
    assert probed_ports(source)


def test_probe_finder_ignores_other_objects_and_calls() -> None:
    source = (
        "getattr(settings, 'voice_id', '')\n"
        "hasattr(sys, '_MEIPASS')\n"
        "coach.pause()\n"
        "self.bridge.load_stats(None)\n"
    )
    assert probed_ports(source) == []


@pytest.mark.parametrize("path", _package_files(), ids=_relative)
def test_ports_are_called_not_probed(path: Path) -> None:
    found = probed_ports(path.read_text(encoding="utf-8"), str(path))
    assert not found, f"{_relative(path)}: call the declared methods instead: {found}"

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


def test_the_readme_names_every_area_and_tool_the_composer_takes() -> None:
    # The README lists the ids for `routines new --areas/--tools`; they come from
    # core/vocabulary.py, so a new area or tool must reach the README too.
    from facegym_desktop.core.vocabulary import AREAS, TOOLS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("Area ids for `--areas`:")
    listing = readme[start : readme.index("\n\n", start)]
    for name in (*(area.id for area in AREAS), *TOOLS):
        assert re.search(rf"\b{re.escape(name)}\b", listing), name
