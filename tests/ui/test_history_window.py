"""The history window: counters, calendar, bars, areas, session list, delete and undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from facegym_desktop.core.history import HistoryStore, MoveRecord, NewSession
from facegym_desktop.core.stats import HEATMAP_WEEKS, WEEK_BARS
from facegym_desktop.ui.history_bars import bar_heights
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.history_heatmap import cell_size, heat_fraction
from facegym_desktop.ui.history_window import HistoryWindow, area_shading
from facegym_desktop.ui.theme import LIGHT
from facegym_desktop.ui.wrapping import whole_parts

TODAY = date(2026, 11, 19)
ZONE = timezone(timedelta(hours=1))


def session(
    days_ago: int, hour: int = 8, kind: str = "daily", minutes: int = 5, status: str = "completed"
) -> NewSession:
    day = TODAY - timedelta(days=days_ago)
    start = datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZONE)
    return NewSession(
        start,
        start + timedelta(minutes=minutes),
        f"{kind}-routine",
        f"{kind.title()} routine",
        minutes * 60,
        minutes * 60,
        status,
        3,
        3,
        kind,
        (MoveRecord("cheek-lift", ("cheeks",), minutes * 60),),
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore.open(tmp_path / "history.sqlite3", tmp_path / "backups")
    opened.record_sessions(
        [
            session(0),
            session(1),
            session(1, 20),
            session(2, kind="extended", minutes=18),
            session(10),
            session(40, status="partial"),
        ]
    )
    yield opened
    opened.close()


@pytest.fixture
def bridge(store: HistoryStore) -> Iterator[HistoryBridge]:
    made = HistoryBridge(store)
    yield made
    made.close()


@pytest.fixture
def window(bridge: HistoryBridge, qtbot: QtBot) -> HistoryWindow:
    made = HistoryWindow(bridge, today=TODAY)
    qtbot.addWidget(made)
    with qtbot.waitSignal(made.loaded, timeout=5000):
        made.show()
    return made


def test_counters_goals_and_message(window: HistoryWindow) -> None:
    assert window.message.text() == "3-day streak. Extended session due in 2 days."
    assert window.current_card.value.text() == "3 days"
    assert window.longest_card.value.text() == "3 days"
    assert window.daily_card.value.text() == "Done"
    assert window.daily_card.note.text() == whole_parts("today · 3 of the last 7 days")
    assert window.extended_card.value.text() == "In 2 days"
    assert window.totals_card.value.text() == "6"
    assert not window.notice.isVisible()


def test_a_stopped_session_alone_does_not_make_an_active_day(
    tmp_path: Path, qtbot: QtBot
) -> None:
    store = HistoryStore.open(tmp_path / "only-stopped.sqlite3", tmp_path / "backups")
    store.record_sessions([session(0, status="partial")])
    bridge = HistoryBridge(store)
    made = HistoryWindow(bridge, today=TODAY)
    qtbot.addWidget(made)
    with qtbot.waitSignal(made.loaded, timeout=5000):
        made.show()
    assert made.longest_card.note.text() == whole_parts("no session finished yet")
    assert made.totals_card.value.text() == "1"  # it is in the history all the same
    bridge.close()
    store.close()


def test_calendar_bars_and_list_are_filled(window: HistoryWindow) -> None:
    cells = window.heatmap.data.cells
    assert cells[-1].day == TODAY and cells[-1].is_today
    assert window.heatmap.data.columns == HEATMAP_WEEKS
    assert len(window.bars.weeks) == WEEK_BARS
    assert window.bars.weeks[-1].minutes == 33.0  # Tue 17 to Thu 19 Nov: 5 + 18 + 5 + 5
    assert window.model.rowCount() == 6
    first = [window.model.index(0, c).data() for c in range(5)]
    assert first == ["Thu 19 Nov 2026", "08:00", "Daily routine", "5 min", "Completed"]


def test_heatmap_paints_worked_days_and_marks_today(window: HistoryWindow) -> None:
    window.heatmap.setFixedSize(900, 150)
    image = window.heatmap.grab().toImage()
    today = window.heatmap.data.cells[-1]
    empty = window.heatmap.data.cells[-4]  # three days before today: nothing done
    assert empty.minutes == 0
    worked_at = window.heatmap.cell_rect(today.column, today.row).center().toPoint()
    empty_at = window.heatmap.cell_rect(empty.column, empty.row).center().toPoint()
    assert image.pixelColor(empty_at) == QColor(LIGHT.track)
    assert image.pixelColor(worked_at) != QColor(LIGHT.track)


def test_heatmap_keyboard(window: HistoryWindow, qtbot: QtBot) -> None:
    heatmap = window.heatmap
    heatmap.setFocus()
    last = len(heatmap.data.cells) - 1
    assert heatmap.selected_index == last
    qtbot.keyClick(heatmap, Qt.Key.Key_Left)
    assert heatmap.selected_index == last - 7
    assert window.day_label.text() == "Thu 12 Nov 2026: no session"
    qtbot.keyClick(heatmap, Qt.Key.Key_Right)
    qtbot.keyClick(heatmap, Qt.Key.Key_Up)
    assert window.day_label.text() == "Wed 18 Nov 2026: 10 min"
    qtbot.keyClick(heatmap, Qt.Key.Key_Home)
    assert heatmap.selected_index == 0


def test_week_bars_keyboard(window: HistoryWindow, qtbot: QtBot) -> None:
    window.bars.setFocus()
    qtbot.keyClick(window.bars, Qt.Key.Key_Left)
    assert window.week_label.text().startswith("Week of 9 Nov:")


def test_area_shading_lights_the_worked_area(window: HistoryWindow) -> None:
    assert area_shading({"cheeks": 30.0, "chin": 15.0, "neck": 0.0}) == {
        "cheeks": 1.0,
        "chin": 0.5,
        "neck": 0.0,
    }
    assert area_shading({"cheeks": 0.0}) == {}
    face = window.face_map
    image = face.grab().toImage()
    cheek = face.area_centres("cheeks")[0].toPoint()
    forehead = face.area_centres("forehead")[0].toPoint()
    assert image.pixelColor(cheek) != image.pixelColor(forehead)
    assert "Cheeks" in window.area_list.text()


def test_delete_and_undo_with_the_keyboard(
    window: HistoryWindow, store: HistoryStore, qtbot: QtBot
) -> None:
    window.table.setFocus()
    window.table.selectRow(0)
    doomed = window.selected_session_id()
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    assert store.get_session(doomed) is None  # type: ignore[arg-type]
    assert window.model.rowCount() == 5
    assert window.totals_card.value.text() == "5"
    assert window.undo_button.isEnabled()
    assert window.current_card.value.text() == "2 days"  # today is no longer done
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.get_session(doomed) is not None  # type: ignore[arg-type]
    assert window.model.rowCount() == 6
    assert window.selected_session_id() == doomed
    assert window.current_card.value.text() == "3 days"
    assert not window.undo_button.isEnabled()


def test_delete_and_undo_with_the_buttons(
    window: HistoryWindow, store: HistoryStore, qtbot: QtBot
) -> None:
    window.table.selectRow(2)
    doomed = window.selected_session_id()
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.mouseClick(window.delete_button, Qt.MouseButton.LeftButton)
    assert window.selected_session_id() != doomed
    with qtbot.waitSignal(window.loaded, timeout=5000):
        qtbot.mouseClick(window.undo_button, Qt.MouseButton.LeftButton)
    assert store.session_count() == 6
    assert window.selected_session_id() == doomed


def test_read_only_history_refuses_deletes(tmp_path: Path, qtbot: QtBot) -> None:
    import sqlite3

    from facegym_desktop.core.history import SCHEMA_VERSION

    first = HistoryStore.open(tmp_path / "history.sqlite3")
    first.record_session(session(0))
    first.close()
    with sqlite3.connect(tmp_path / "history.sqlite3") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    bridge = HistoryBridge(store)
    window = HistoryWindow(bridge, today=TODAY)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    assert window.notice.isVisible() and "read-only" in window.notice.text()
    assert not window.delete_button.isEnabled()
    window.table.selectRow(0)
    window.delete_selected()
    assert "read-only" in window.status.text()
    assert window.model.rowCount() == 1
    bridge.close()
    store.close()


def test_an_empty_history(tmp_path: Path, qtbot: QtBot) -> None:
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    bridge = HistoryBridge(store)
    window = HistoryWindow(bridge, today=TODAY)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    assert window.message.text().startswith("No completed sessions yet.")
    assert window.area_list.text() == "No moves recorded yet."
    assert not window.delete_button.isEnabled()
    window.undo()
    assert window.status.text() == "Nothing to undo."
    bridge.close()
    store.close()


def test_a_finished_session_refreshes_an_open_window(
    window: HistoryWindow, bridge: HistoryBridge, qtbot: QtBot
) -> None:
    start = datetime(2026, 11, 19, 20, 0, tzinfo=ZONE)
    def begin_and_save_a_move(store: HistoryStore) -> int:
        session_id = store.begin_session("evening", "Evening", "daily", 300, 1, start)
        store.checkpoint(
            session_id, move_id="m", areas=["neck"], seconds=300, active_seconds=300,
            moves_completed=1,
        )
        return session_id

    ids: list[int] = []
    bridge.run(begin_and_save_a_move).success(ids.append)
    qtbot.waitUntil(lambda: bool(ids), timeout=5000)
    end = start + timedelta(minutes=5)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        bridge.run(
            lambda store: store.finish_session(ids[0], "completed", end, 300, 1),
            changes_history=True,
        )
    assert window.totals_card.value.text() == "7"
    assert "Neck" in window.area_list.text()


def test_geometry_helpers() -> None:
    assert heat_fraction(0) == 0.0 and heat_fraction(4) == 1.0
    assert bar_heights([0.0, 5.0, 10.0], 100.0) == [0.0, 50.0, 100.0]
    assert bar_heights([0.0, 0.0], 100.0) == [0.0, 0.0]
    assert cell_size(900, 150, 53) > 10


def test_escape_closes_the_window(window: HistoryWindow, qtbot: QtBot) -> None:
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_tab_reaches_every_control(window: HistoryWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    window.heatmap.setFocus()
    reached = []
    for _ in range(3):
        window.focusNextChild()
        reached.append(window.focusWidget())
    # Undo is disabled (nothing deleted yet), so it is skipped.
    assert reached == [window.bars, window.table, window.delete_button]


def test_showing_again_reloads(window: HistoryWindow, store: HistoryStore, qtbot: QtBot) -> None:
    window.close()
    store.record_session(session(0, hour=21))
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    assert window.totals_card.value.text() == "7"
