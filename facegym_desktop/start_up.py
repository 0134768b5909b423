"""Garbage collection and the order of imports at start-up.

Loading the app creates tens of thousands of objects that live as long as the
process: Qt's bindings and their enums, the routines, the window.  Python's cycle
collector would walk them again and again while they are created (about 60 passes
before the first frame) and at every full collection afterwards.  So the app
pauses collection while it loads, then freezes what loading made (those objects are
never collected, and later passes skip them); once the first frame has painted,
the GUI thread collects on a timer (``ui/collector.py``: a cycle holding a Qt object
must never be freed from a worker thread).  Qt-free, so the command line can pause
collection before it imports Qt, and the tests can collect between tests the same
way.

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
    """Keep everything made so far out of later collections.  Automatic collection
    stays as it is: the GUI's collector takes over (see ``ui/collector.py``)."""
    gc.freeze()


def generation_due(
    counts: tuple[int, int, int], thresholds: tuple[int, int, int]
) -> int | None:
    """The generation Python itself would collect now, or None.

    ``counts`` are ``gc.get_count()``'s allocation counts, ``thresholds``
    ``gc.get_threshold()``'s: the oldest generation whose count, and every younger
    one's, has passed its threshold.
    """
    due = None
    for level, (count, threshold) in enumerate(zip(counts, thresholds, strict=True)):
        if count <= threshold:
            break
        due = level
    return due


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
