"""Garbage collection around start-up.

Loading the app creates tens of thousands of objects that live as long as the
process: Qt's bindings and their enums, the routines, the window.  Python's cycle
collector would walk them again and again while they are created (about 60 passes
before the first frame) and at every full collection afterwards.  So the app
pauses collection while it loads, then freezes what loading made (those objects are
never collected, and later passes skip them) and turns collection back on.  Qt-free,
so the command line can pause collection before it imports Qt.
"""

from __future__ import annotations

import gc


def pause_collection_for_start_up() -> None:
    gc.disable()


def resume_collection_after_start_up() -> None:
    """Keep everything made so far out of later collections, then collect as usual."""
    gc.freeze()
    gc.enable()
