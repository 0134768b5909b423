"""settings.json as an untrusted file: odd files never hang, raise or lose a copy."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facegym_desktop.core import settings as settings_module
from facegym_desktop.core.settings import LoadedSettings, Settings, load_settings, save_settings


def test_two_bad_files_in_the_same_second_each_keep_their_copy(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{ first")
    first = load_settings(path)
    path.write_text("{ second")
    second = load_settings(path)
    kept = sorted(tmp_path.glob("settings.json.unreadable-*"))
    assert sorted(p.read_text() for p in kept) == ["{ first", "{ second"]
    assert not path.exists()
    names = {p.name for p in kept}
    for loaded in (first, second):
        assert len(loaded.problems) == 1
        assert any(name in loaded.problems[0] for name in names)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_never_hangs_start_up(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    os.mkfifo(path)
    result: list[LoadedSettings] = []
    worker = threading.Thread(target=lambda: result.append(load_settings(path)), daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert result[0].settings == Settings()
    assert result[0].problems == [
        f"{path}: file: is not a regular file (a pipe or a device?); it was not read, "
        "using defaults"
    ]
    assert path.exists()  # left alone


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root reads every file"
)
def test_permission_denied_is_said_as_such(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(rest_days_per_week=2))
    path.chmod(0)
    try:
        loaded = load_settings(path)
    finally:
        path.chmod(0o600)
    assert loaded.problems == [f"{path}: file: cannot be read: permission denied, using defaults"]
    assert path.exists() and not list(tmp_path.glob("*.unreadable-*"))


def test_permission_denied_when_opening_is_said_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Works as root too: the open itself is refused.
    path = tmp_path / "settings.json"
    save_settings(path, Settings(rest_days_per_week=2))

    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)
    loaded = load_settings(path)
    monkeypatch.undo()
    assert loaded.problems == [f"{path}: file: cannot be read: permission denied, using defaults"]
    assert path.exists() and not list(tmp_path.glob("*.unreadable-*"))


def test_a_folder_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()
    loaded = load_settings(path)
    assert loaded.problems == [f"{path}: file: is a folder, not a settings file, using defaults"]


def check_problems(path: Path, loaded: LoadedSettings) -> None:
    for problem in loaded.problems:
        assert problem.startswith(f"{path}: ")
        assert "\n" not in problem and "\r" not in problem and problem.isprintable()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("s") / "settings.json"
    path.write_bytes(data)
    check_problems(path, load_settings(path))


_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from([*settings_module.SETTINGS, "version"]) | st.text(max_size=8),
        _json_values,
        max_size=8,
    ),
    st.integers(0, 40),
)
def test_json_mutations_never_raise(
    tmp_path_factory: pytest.TempPathFactory, document: dict[str, object], cut: int
) -> None:
    folder = tmp_path_factory.mktemp("s")
    path = folder / "settings.json"
    text = json.dumps(document)
    for content in (text, text[: len(text) - cut]):
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
        loaded = load_settings(path)
        check_problems(path, loaded)
        save_settings(folder / "again.json", loaded.settings)


@pytest.mark.parametrize(
    "content",
    [
        "1" * 5000,  # more digits than int() converts: a ValueError, not a JSONDecodeError
        "[" * 100_000,
        '{"theme": "dark\\u2028\\u202e\\u0085", "voice_id": 5}',
        '{"version": "\\u2029two"}',
    ],
    ids=["huge-number", "deep-nesting", "separators-in-a-value", "separator-in-version"],
)
def test_hostile_documents_give_one_line_problems(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.problems
    check_problems(path, loaded)
