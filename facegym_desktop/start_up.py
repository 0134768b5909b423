"""Garbage collection and the order of imports at start-up.

Loading the app creates tens of thousands of objects that live as long as the
process: Qt's bindings and their enums, the routines, the window.  Python's cycle
collector would walk them again and again while they are created (about 60 passes
before the first frame) and at every full collection afterwards.  So the app
pauses collection while it loads, then freezes what loading made (those objects are
never collected, and later passes skip them) and turns collection back on.  Qt-free,
so the command line can pause collection before it imports Qt.

Once Qt's bindings are loaded, PySide6 reads the source file of each module the
first time an import statement names it (looking for ``from __feature__ import``).
The Qt-free modules the first frame needs are therefore loaded before Qt, so that
the imports inside them run before that check is in place.
"""

from __future__ import annotations

import gc
import importlib


def pause_collection_for_start_up() -> None:
    gc.disable()


def resume_collection_after_start_up() -> None:
    """Keep everything made so far out of later collections, then collect as usual."""
    gc.freeze()
    gc.enable()


# The Qt-free modules the start screen needs; each brings what it imports in turn.
FIRST_FRAME_QT_FREE = (
    "facegym_desktop.core.library",
    "facegym_desktop.core.settings",
    "facegym_desktop.core.start_screen",
    "facegym_desktop.core.contrast",
    "facegym_desktop.qt_guard",
)


def import_qt_free_modules() -> None:
    """Import every module of ``FIRST_FRAME_QT_FREE``; call it before Qt is imported."""
    for name in FIRST_FRAME_QT_FREE:
        importlib.import_module(name)
