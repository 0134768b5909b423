"""Cyclic garbage collection on the GUI thread only.

Python collects reference cycles in whichever thread happens to allocate when a
threshold is passed.  A cycle that holds a Qt object owned by Python is then
destroyed from a worker thread (the speech client, the history worker, a player
watcher), which Qt does not allow: the process can crash inside the collector.  So
the app turns automatic collection off once it has loaded and collects from a timer
on the GUI thread instead, generation by generation, at Python's own thresholds
(calibre handles the same hazard the same way).  No library offers this; it is a
timer and Python's ``gc`` calls.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QObject

from facegym_desktop.start_up import generation_due
from facegym_desktop.ui.timers import TimerFactory, qt_timers

INTERVAL_MS = 1000  # how often the GUI thread looks at the allocation counts


class MainThreadCollector(QObject):
    """Turns automatic collection off and collects on the GUI thread every
    ``interval_ms`` milliseconds, the oldest generation whose count passed its
    threshold (``gc.get_threshold()`` unless given).

    ``timers``, ``counts`` and ``collect`` stand in for ``QTimer``, ``gc.get_count``
    and ``gc.collect`` in tests.  ``stop()`` puts automatic collection back as it was.
    """

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        interval_ms: int = INTERVAL_MS,
        timers: TimerFactory | None = None,
        counts: Callable[[], tuple[int, int, int]] = gc.get_count,
        collect: Callable[[int], int] = gc.collect,
        thresholds: tuple[int, int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self._counts = counts
        self._collect = collect
        found = gc.get_threshold() if thresholds is None else thresholds
        self._thresholds = (found[0], found[1], found[2])
        self._timer = (timers or qt_timers(self))(self._on_timeout, False)
        self._timer.setInterval(interval_ms)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def _on_timeout(self) -> None:
        self.check()

    def check(self) -> int | None:
        """Collect the generation Python would collect now (see ``generation_due``);
        returns it, or None when no count has passed its threshold."""
        generation = generation_due(self._counts(), self._thresholds)
        if generation is not None:
            self._collect(generation)
        return generation

    def stop(self) -> None:
        """Stop the timer; automatic collection is back as it was before."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
