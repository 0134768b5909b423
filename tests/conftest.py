"""Shared test set-up: Qt runs offscreen unless a test asks for a real screen."""

from __future__ import annotations

import os

# Set before any Qt import so every QApplication the tests make is offscreen.
# FACEGYM_TEST_SCREEN=1 keeps the current DISPLAY for looking at tests on a real screen.
if not os.environ.get("FACEGYM_TEST_SCREEN"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
