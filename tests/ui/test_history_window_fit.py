"""The history window fits small screens, and shows minutes by the one rounding rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from facegym_desktop.core.history import HistoryStore, MoveRecord, NewSession
from facegym_desktop.core.stats import WeekBar
from facegym_desktop.ui.history_bars import STUB_HEIGHT, describe_week, week_heights
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.history_heatmap import describe_cell
from facegym_desktop.ui.history_sessions import ROW_HEIGHT_PX, ROWS_ALWAYS_SHOWN
from facegym_desktop.ui.history_window import MINIMUM_SIZE, PREFERRED_SIZE, HistoryWindow
from facegym_desktop.ui.screen_fit import fitted_geometry

TODAY = date(2026, 11, 25)
ZONE = timezone(timedelta(hours=1))


def record_sessions(store: HistoryStore, count: int) -> None:
    for day in range(count):
        start = datetime(2026, 11, 24 - day, 8, tzinfo=ZONE)
        store.record_session(
            NewSession(
                start, start + timedelta(seconds=24), "quick", "Quick", 60, 24, "completed",
                1, 1, "daily", (MoveRecord("brow-smooth", ("forehead",), 24),),
            )
        )


@pytest.fixture
def bridge(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[HistoryBridge]:
    """A history of one session, or as many as the test asks (indirect parameter)."""
    store = HistoryStore.open(tmp_path / "history.sqlite3", daily_backup=False)
    record_sessions(store, getattr(request, "param", 1))
    made = HistoryBridge(store)
    yield made
    made.close()
    store.close()


@pytest.fixture
def window(bridge: HistoryBridge, qtbot: QtBot) -> HistoryWindow:
    made = HistoryWindow(bridge, today=TODAY)
    qtbot.addWidget(made)
    return made


@pytest.mark.parametrize("bridge", [1, 7], indirect=True, ids=["1-session", "7-sessions"])
@pytest.mark.parametrize("screen", [QRect(0, 0, 1024, 600), QRect(0, 0, 1366, 768)])
def test_the_window_and_its_buttons_fit_the_screen(
    window: HistoryWindow, qtbot: QtBot, screen: QRect
) -> None:
    assert MINIMUM_SIZE.width() <= 1024 and MINIMUM_SIZE.height() <= 600
    window.fit_to(screen)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    qtbot.waitExposed(window)
    assert screen.contains(window.geometry())
    assert window.height() < 960  # the preferred size did not fit
    inside = window.rect()
    buttons = window.findChildren(QPushButton)
    assert {button.text() for button in buttons} >= {"Delete", "Undo"}
    for button in buttons:
        corner = button.mapTo(window, QPoint(0, 0))
        assert inside.contains(QRect(corner, button.size())), button.text()
        assert button.isVisible()
    assert window.table.viewport().height() >= ROW_HEIGHT_PX  # a session in sight


def test_a_big_screen_gets_the_preferred_size() -> None:
    placed = fitted_geometry(PREFERRED_SIZE, MINIMUM_SIZE, QRect(0, 0, 2560, 1400))
    assert (placed.width(), placed.height()) == (1180, 960)
    assert QRect(0, 0, 2560, 1400).contains(placed)


def test_a_24_second_session_reads_the_same_everywhere(
    window: HistoryWindow, qtbot: QtBot
) -> None:
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    data = window.heatmap.data
    (cell,) = [cell for cell in data.cells if cell.day == date(2026, 11, 24)]
    assert describe_cell(cell).endswith(": <1 min")
    week = window.bars.weeks[-1]
    assert describe_week(week).endswith(": <1 min")
    assert "Forehead: <1 min" in window.area_list.text()
    assert "<1 min" in window.totals_card.accessibleName()  # shown as one unbroken figure


def test_a_week_under_half_a_minute_is_a_stub_not_a_full_bar() -> None:
    weeks = [
        WeekBar(date(2026, 11, 16), "16 Nov", 20 / 60),
        WeekBar(date(2026, 11, 23), "23 Nov", 0),
    ]
    assert week_heights(weeks, 100.0) == [STUB_HEIGHT, 0.0]
    weeks.append(WeekBar(date(2026, 11, 30), "30 Nov", 10.0))
    assert week_heights(weeks, 100.0) == [STUB_HEIGHT, 0.0, 100.0]
    half = [WeekBar(date(2026, 11, 16), "16 Nov", 0.5)]
    assert week_heights(half, 100.0) == [100.0] and describe_week(half[0]).endswith("1 min")


def test_month_labels_on_screen_never_overlap(window: HistoryWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    places = window.heatmap.month_label_places()
    assert places and places[0].text == "Dec"  # "Nov" at column 0 gave way
    for before, after in zip(places, places[1:], strict=False):
        assert before.right <= after.x


@pytest.mark.parametrize("bridge", [1, 7], indirect=True, ids=["1-session", "7-sessions"])
@pytest.mark.parametrize(
    ("screen", "charts_whole"),
    [
        (QRect(0, 0, 1920, 1080), True),
        (QRect(0, 0, 1366, 768), False),
        (QRect(0, 0, 1024, 600), False),
    ],
)
def test_charts_show_whole_where_there_is_room_and_up_to_five_sessions_always(
    window: HistoryWindow, qtbot: QtBot, screen: QRect, charts_whole: bool
) -> None:
    window.fit_to(screen)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    qtbot.waitExposed(window)
    # The charts scroll only where the window is too small for them.
    bar = window.upper_scroll.verticalScrollBar()
    if charts_whole:
        qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=2000)
    else:
        assert bar.maximum() > 0
    header = window.table.horizontalHeader().height()
    rows = min(ROWS_ALWAYS_SHOWN, window.model.rowCount())
    assert window.table.viewport().height() >= rows * ROW_HEIGHT_PX
    assert header > 0


def test_few_sessions_leave_their_room_to_the_charts(tmp_path: Path, qtbot: QtBot) -> None:
    heights = {}
    for count in (2, 7):
        store = HistoryStore.open(tmp_path / f"{count}.sqlite3", daily_backup=False)
        record_sessions(store, count)
        bridge = HistoryBridge(store)
        window = HistoryWindow(bridge, today=TODAY)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.loaded, timeout=5000):
            window.show()
        heights[count] = window.table.minimumHeight()
        window.close()
        bridge.close()
        store.close()
    assert heights[7] - heights[2] == (ROWS_ALWAYS_SHOWN - 2) * ROW_HEIGHT_PX
