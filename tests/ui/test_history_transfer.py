"""The history window's CSV export and import preview, over a real store."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from facegym_desktop.core.history import HistoryStore, MoveRecord, NewSession
from facegym_desktop.core.history_csv import read_csv
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.history_transfer import ImportPreviewDialog
from facegym_desktop.ui.history_window import HistoryWindow

TODAY = date(2026, 11, 19)
ZONE = timezone(timedelta(hours=1))


def session(days_ago: int, routine: str = "daily") -> NewSession:
    day = TODAY - timedelta(days=days_ago)
    start = datetime(day.year, day.month, day.day, 8, 0, tzinfo=ZONE)
    return NewSession(
        start,
        start + timedelta(minutes=5),
        f"{routine}-routine",
        f"{routine.title()} routine",
        300,
        300,
        "completed",
        1,
        1,
        "daily",
        (MoveRecord("cheek-lift", ("cheeks",), 300),),
    )


def open_window(bridge: HistoryBridge, qtbot: QtBot) -> HistoryWindow:
    window = HistoryWindow(bridge, today=TODAY)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.loaded, timeout=5000):
        window.show()
    return window


def preview_of(window: HistoryWindow, path: Path, qtbot: QtBot) -> ImportPreviewDialog:
    window.transfer.choose_import = lambda: path
    window.transfer.import_button.click()
    qtbot.waitUntil(lambda: window.transfer.dialog is not None, timeout=5000)
    dialog = window.transfer.dialog
    assert dialog is not None
    return dialog


def test_export_writes_a_file_the_import_accepts(
    history_store: HistoryStore, inline_bridge: HistoryBridge, qtbot: QtBot, tmp_path: Path
) -> None:
    history_store.record_sessions([session(1), session(2, "extended")])
    window = open_window(inline_bridge, qtbot)
    target = tmp_path / "out.csv"
    asked: list[str] = []

    def choose(name: str) -> Path:
        asked.append(name)
        return target

    window.transfer.choose_export = choose
    window.transfer.export_button.click()
    qtbot.waitUntil(lambda: window.status.text().startswith("Exported"), timeout=5000)
    assert asked and asked[0].endswith(".csv")
    assert window.status.text() == f"Exported 2 sessions to {target}."
    parsed = read_csv(target)
    assert parsed.ok
    assert [s.routine_id for s in parsed.sessions] == ["extended-routine", "daily-routine"]
    assert parsed.sessions[0].moves == (MoveRecord("cheek-lift", ("cheeks",), 300),)


def test_export_refuses_the_history_file_itself(
    history_store: HistoryStore, inline_bridge: HistoryBridge, qtbot: QtBot
) -> None:
    history_store.record_sessions([session(1)])
    before = history_store.path.read_bytes()
    window = open_window(inline_bridge, qtbot)
    window.transfer.choose_export = lambda name: history_store.path
    window.transfer.export_button.click()
    qtbot.waitUntil(lambda: "history file itself" in window.status.text(), timeout=5000)
    assert history_store.path.read_bytes() == before


def test_cancelled_chooser_does_nothing(inline_bridge: HistoryBridge, qtbot: QtBot) -> None:
    window = open_window(inline_bridge, qtbot)
    window.transfer.choose_import = lambda: None
    window.transfer.choose_export = lambda name: None
    window.transfer.import_button.click()
    window.transfer.export_button.click()
    qtbot.wait(50)
    assert window.transfer.dialog is None
    assert window.status.text() == ""


def test_preview_counts_added_and_duplicates_then_import_shows_them(
    history_store: HistoryStore, inline_bridge: HistoryBridge, qtbot: QtBot, tmp_path: Path
) -> None:
    history_store.record_sessions([session(1), session(2), session(3)])
    source = tmp_path / "backup.csv"
    window = open_window(inline_bridge, qtbot)
    window.transfer.choose_export = lambda name: source
    window.transfer.export_button.click()
    qtbot.waitUntil(lambda: source.exists(), timeout=5000)
    # Two of the exported sessions are gone from the history: the import adds them back.
    for record in history_store.sessions()[:2]:
        history_store.delete_session(record.id)
    window.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5000)

    dialog = preview_of(window, source, qtbot)
    assert dialog.summary.text() == (
        "2 sessions will be added, 1 is already in your history and is skipped."
    )
    assert dialog.import_button.isEnabled()
    assert not dialog.problems.isVisible()

    with qtbot.waitSignal(window.loaded, timeout=5000):
        dialog.import_button.click()
    assert window.model.rowCount() == 3
    assert len(history_store.sessions()) == 3
    assert window.status.text() == (
        "Imported 2 sessions from backup.csv; skipped 1 already in your history."
    )


def test_a_refused_line_is_shown_and_import_is_disabled(
    history_store: HistoryStore, inline_bridge: HistoryBridge, qtbot: QtBot, tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    window = open_window(inline_bridge, qtbot)
    window.transfer.choose_export = lambda name: source
    history_store.record_sessions([session(1)])
    window.transfer.export_button.click()
    qtbot.waitUntil(lambda: source.exists(), timeout=5000)
    lines = source.read_text(encoding="utf-8").splitlines()
    lines.append(lines[1].replace("completed", "finished"))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    dialog = preview_of(window, source, qtbot)
    assert not dialog.import_button.isEnabled()
    assert dialog.problems.toPlainText().startswith(f"{source}: line 3: status: 'finished'")
    assert dialog.summary.text() == "bad.csv: 1 line refused."
    assert "imported whole or not at all" in dialog.reason.text()
    dialog.cancel_button.click()
    assert len(history_store.sessions()) == 1


@pytest.mark.parametrize("count", [1, 2])
def test_nothing_new_disables_import(
    history_store: HistoryStore,
    inline_bridge: HistoryBridge,
    qtbot: QtBot,
    tmp_path: Path,
    count: int,
) -> None:
    history_store.record_sessions([session(day) for day in range(count)])
    source = tmp_path / "same.csv"
    window = open_window(inline_bridge, qtbot)
    window.transfer.choose_export = lambda name: source
    window.transfer.export_button.click()
    qtbot.waitUntil(lambda: source.exists(), timeout=5000)
    dialog = preview_of(window, source, qtbot)
    already = "is" if count == 1 else "are"
    assert dialog.summary.text() == (
        f"0 sessions will be added, {count} {already} already in your history "
        f"and {already} skipped."
    )
    assert not dialog.import_button.isEnabled()
    assert "every session is already in your history" in dialog.reason.text()


def test_a_header_alone_says_there_are_no_sessions(
    inline_bridge: HistoryBridge, qtbot: QtBot, tmp_path: Path
) -> None:
    source = tmp_path / "empty.csv"
    window = open_window(inline_bridge, qtbot)
    window.transfer.choose_export = lambda name: source
    window.transfer.export_button.click()  # an empty history exports a header alone
    qtbot.waitUntil(lambda: source.exists(), timeout=5000)
    dialog = preview_of(window, source, qtbot)
    assert dialog.summary.text() == "empty.csv has a header row but no sessions."
    assert dialog.reason.text() == "Nothing to import."
    assert not dialog.import_button.isEnabled()
