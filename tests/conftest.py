"""Shared test set-up: Qt runs offscreen unless a test asks for a real screen."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Set before any Qt import so every QApplication the tests make is offscreen.
# FACEGYM_TEST_SCREEN=1 keeps the current DISPLAY for watching tests on a real screen.
if not os.environ.get("FACEGYM_TEST_SCREEN"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Qt warns (and the suite fails on warnings) when the runtime dir is missing or shared.
if not os.environ.get("XDG_RUNTIME_DIR"):
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="facegym-runtime-")


@pytest.fixture(autouse=True)
def _config_home_of_its_own(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> Path:
    """Each test's config folder is its own: setting ``autostart`` writes the log-in
    entry under it, never into the person's ``~/.config/autostart``."""
    folder = tmp_path_factory.mktemp("config-home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder
