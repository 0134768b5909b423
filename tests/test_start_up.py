"""Collection is paused while the app loads, then what loading made is frozen."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from facegym_desktop.start_up import (
    generation_due,
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
    else:
        gc.disable()


@pytest.mark.usefixtures("restored_collector")
def test_pause_then_resume_freezes_what_was_made_and_collects_again() -> None:
    pause_collection_for_start_up()
    assert not gc.isenabled()
    made_while_loading = [[index] for index in range(1000)]
    resume_collection_after_start_up()
    assert not gc.isenabled()  # the GUI thread's collector takes over (ui/collector.py)
    assert gc.get_freeze_count() >= len(made_while_loading)
    # Frozen objects are skipped: a new cycle is still found and freed.
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1


def test_the_first_frames_qt_free_modules_load_before_qt() -> None:
    # Everything Qt-free that the window and app modules import is loaded by
    # import_qt_free_modules, and that loads no Qt (see start_up's docstring).
    code = (
        "import sys\n"
        "from facegym_desktop.start_up import import_qt_free_modules\n"
        "import_qt_free_modules()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
        "before = set(sys.modules)\n"
        "import facegym_desktop.ui.app, facegym_desktop.ui.main_window\n"
        "late = {m for m in set(sys.modules) - before if m.startswith('facegym_desktop.core')}\n"
        "print(sorted(late))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    qt_first, late_core = result.stdout.splitlines()
    assert qt_first == "[]"
    assert late_core == "[]"


@pytest.mark.parametrize(
    ("counts", "due"),
    [
        ((0, 0, 0), None),
        ((700, 10, 10), None),  # at a threshold is not past it
        ((701, 0, 0), 0),
        ((701, 11, 0), 1),
        ((701, 11, 11), 2),
        ((701, 0, 11), 0),  # an older count only counts with every younger one past
        ((0, 11, 11), None),
    ],
)
def test_the_generation_due_is_the_one_python_would_collect(
    counts: tuple[int, int, int], due: int | None
) -> None:
    assert generation_due(counts, (700, 10, 10)) == due
