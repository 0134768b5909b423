"""The small timer interface the session controller drives, and its Qt implementation.

Production code gets a ``QTimer``; tests pass a factory of fakes that they fire by
hand, so nothing waits on real time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer


class Timer(Protocol):
    """A repeating or single-shot timer; intervals in milliseconds.  ``QTimer`` is one."""

    def start(self) -> None:
        """Start (or restart) counting the interval from now."""

    def stop(self) -> None:
        """Stop; the callback is not called until the next ``start()``."""

    def isActive(self) -> bool:  # noqa: N802 - the QTimer name
        """True between ``start()`` and ``stop()`` (or a single shot's timeout)."""

    def interval(self) -> int:
        """Milliseconds between two timeouts."""

    def setInterval(self, msec: int, /) -> None:  # noqa: N802 - the QTimer name
        """Set the milliseconds between two timeouts; a running timer restarts."""


TimerFactory = Callable[[Callable[[], None], bool], Timer]
"""``make(on_timeout, single_shot)``: a stopped timer that calls ``on_timeout()`` at
each timeout (once per ``start()`` when ``single_shot``)."""


def qt_timers(parent: QObject) -> TimerFactory:
    """A factory of ``QTimer`` children of ``parent`` (they go when it goes)."""

    def make(on_timeout: Callable[[], None], single_shot: bool) -> Timer:
        timer = QTimer(parent)
        timer.setSingleShot(single_shot)
        timer.timeout.connect(on_timeout)
        return timer

    return make
