"""Ctrl+C in the terminal (SIGINT) and SIGTERM close the app as Ctrl+Q does.

Python runs a signal handler only between bytecodes, and while Qt's event loop waits
in C++ no bytecode runs: a plain handler would wait for the next timer or key.  So
the C-level handler writes the signal's number to a socket (``signal.set_wakeup_fd``)
whose other end a ``QSocketNotifier`` watches; the event loop wakes at once and the
notifier's slot calls back with the signal.
"""

from __future__ import annotations

import contextlib
import signal
import socket
from collections.abc import Callable, Iterable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier

CLOSING_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # the signals that close the app


def _ignore(_signum: int, _frame: FrameType | None) -> None:
    """The Python-level handler: the work happens in the notifier's slot."""


class SignalRelay(QObject):
    """Calls ``on_signal(signum)`` from the event loop for each of ``signals`` received.

    Installs handlers for ``signals`` and the wake-up socket; ``uninstall()`` (or the
    relay's deletion) puts the previous handlers back.  Only one relay may be
    installed at a time (there is one wake-up descriptor per process), and only from
    the main thread.  Raises ``ValueError`` from another thread.
    """

    def __init__(
        self,
        on_signal: Callable[[int], None],
        signals: Iterable[signal.Signals] = CLOSING_SIGNALS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {number: signal.signal(number, _ignore) for number in signals}
        self._notifier = QSocketNotifier(
            self._reader.fileno(), QSocketNotifier.Type.Read, self
        )
        self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        try:
            received = self._reader.recv(64)
        except (BlockingIOError, InterruptedError):
            return
        for number in received:
            if number in self._previous:
                self._on_signal(number)

    def uninstall(self) -> None:
        """Put back the handlers and wake-up descriptor there were before."""
        if not self._previous:
            return
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous = {}
        signal.set_wakeup_fd(self._previous_fd)
        for end in (self._reader, self._writer):
            with contextlib.suppress(OSError):
                end.close()
