"""Shared test set-up: Qt runs offscreen unless a test asks for a real screen."""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from facegym_desktop.start_up import generation_due

# Set before any Qt import so every QApplication the tests make is offscreen.
# FACEGYM_TEST_SCREEN=1 keeps the current DISPLAY for watching tests on a real screen.
if not os.environ.get("FACEGYM_TEST_SCREEN"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Qt warns (and the suite fails on warnings) when the runtime dir is missing or shared.
if not os.environ.get("XDG_RUNTIME_DIR"):
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="facegym-runtime-")


@pytest.fixture(autouse=True)
def platform_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Each test's platform folders are its own, under the returned folder (``config``,
    ``data``, ``state``, ``cache``): setting ``autostart`` writes the log-in entry under
    its config folder, never into the person's ``~/.config/autostart``, and a test that
    opens the default data folder (or moves old files out of it) never touches
    ``~/.local/share``."""
    home = tmp_path_factory.mktemp("home")
    for variable, name in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / name))
    return home


# As in the app (ui/collector.py), only the main thread collects: a cycle holding a Qt
# object left by one test must never be freed from a worker thread of another (the
# speech client, the history worker), which can crash the process.
gc.disable()


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    """After each test, collect what Python itself would collect by now."""
    yield
    if (generation := generation_due(gc.get_count(), gc.get_threshold())) is not None:
        gc.collect(generation)
