"""The signal relay calls back from the event loop and puts the old handlers back."""

from __future__ import annotations

import os
import signal

from facegym_desktop.ui.signals import SignalRelay


def test_a_signal_reaches_the_callback_while_the_event_loop_waits(qtbot) -> None:
    before = signal.getsignal(signal.SIGUSR1)
    received: list[int] = []
    relay = SignalRelay(received.append, (signal.SIGUSR1,))
    try:
        os.kill(os.getpid(), signal.SIGUSR1)
        qtbot.waitUntil(lambda: received == [signal.SIGUSR1], timeout=2000)
    finally:
        relay.uninstall()
    assert signal.getsignal(signal.SIGUSR1) is before
    assert signal.set_wakeup_fd(-1) == -1  # no wake-up socket is left behind


def test_other_signals_are_not_reported(qtbot) -> None:
    received: list[int] = []
    relay = SignalRelay(received.append, (signal.SIGUSR1,))
    try:
        previous = signal.signal(signal.SIGUSR2, lambda *_: None)
        os.kill(os.getpid(), signal.SIGUSR2)
        os.kill(os.getpid(), signal.SIGUSR1)
        qtbot.waitUntil(lambda: received != [], timeout=2000)
        qtbot.wait(20)
        signal.signal(signal.SIGUSR2, previous)
    finally:
        relay.uninstall()
    assert received == [signal.SIGUSR1]
