"""Cyclic garbage collection runs on the GUI thread only, from a timer, at Python's own
thresholds; automatic collection is off meanwhile and back as it was afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from facegym_desktop.ui.collector import MainThreadCollector
from tests.factories import FakeTimers


@pytest.fixture
def automatic_collection_on() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


@pytest.mark.usefixtures("automatic_collection_on")
def test_the_timer_collects_what_python_would_and_automatic_collection_waits() -> None:
    counts = [(0, 0, 0)]
    collected: list[int] = []
    timers = FakeTimers()
    collector = MainThreadCollector(
        interval_ms=250,
        timers=timers,
        counts=lambda: counts[0],
        collect=lambda generation: collected.append(generation) or 0,
        thresholds=(700, 10, 10),
    )
    timer = timers.only(single_shot=False)
    assert timer.isActive() and timer.interval() == 250
    assert not gc.isenabled()  # no worker thread collects now
    timer.fire()
    assert collected == []
    for counts[0], generation in (((701, 3, 0), 0), ((900, 11, 2), 1), ((701, 11, 11), 2)):
        timer.fire()
        assert collected[-1] == generation
    collector.stop()
    assert not timer.isActive() and gc.isenabled()


def test_stop_leaves_automatic_collection_off_when_it_was_off() -> None:
    gc.disable()  # as the app has it while loading (and the tests, see conftest)
    timers = FakeTimers()
    collector = MainThreadCollector(timers=timers, collect=lambda generation: 0)
    collector.stop()
    assert not gc.isenabled()


def test_a_real_cycle_is_freed_by_the_collector_on_this_thread() -> None:
    timers = FakeTimers()
    collector = MainThreadCollector(timers=timers, thresholds=(0, 0, 0))
    freed: list[str] = []

    class Node:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            import threading

            freed.append(threading.current_thread().name)

    Node()
    timers.only(single_shot=False).fire()
    collector.stop()
    assert freed == ["MainThread"]
