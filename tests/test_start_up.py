"""Collection is paused while the app loads, then what loading made is frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from facegym_desktop.start_up import (
    pause_collection_for_start_up,
    resume_collection_after_start_up,
)


@pytest.fixture
def restored_collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()


@pytest.mark.usefixtures("restored_collector")
def test_pause_then_resume_freezes_what_was_made_and_collects_again() -> None:
    pause_collection_for_start_up()
    assert not gc.isenabled()
    made_while_loading = [[index] for index in range(1000)]
    resume_collection_after_start_up()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made_while_loading)
    # Frozen objects are skipped: a new cycle is still found and freed.
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
