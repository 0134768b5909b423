"""The history window: streaks and goals, a year's calendar, weekly minutes, areas, sessions.

Everything shown comes from one :class:`~facegym_desktop.core.history.Overview`
computed on the history worker (``HistoryBridge.load_overview``), so opening the
window with twenty years of sessions costs the UI thread only the painting.

Keyboard: Tab moves between the calendar, the weekly bars, the session list and
the buttons; arrows move inside each; Delete removes the selected session; Ctrl+Z
(or the Undo button) brings it back; F5 reloads; Escape closes.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.history import DeletedSession, Overview
from facegym_desktop.core.settings import REST_DAYS_PER_WEEK
from facegym_desktop.core.stats import Summary, extended_goal_message, streak_message
from facegym_desktop.core.vocabulary import AREA_BY_ID
from facegym_desktop.ui.face_map import FaceMapWidget
from facegym_desktop.ui.history_bars import WeeklyBars
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.history_heatmap import CalendarHeatmap
from facegym_desktop.ui.history_sessions import SessionTableModel, format_length, session_cells
from facegym_desktop.ui.theme import LIGHT, Theme

AREAS_LISTED = 6


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _hours_and_minutes(total_minutes: float) -> str:
    minutes = round(total_minutes)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def area_shading(per_area_minutes: dict[str, float]) -> dict[str, float]:
    """Each area's share of the most-worked area (0..1), for the face map."""
    top = max(per_area_minutes.values(), default=0.0)
    if top <= 0:
        return {}
    return {area: minutes / top for area, minutes in per_area_minutes.items()}


class _Card(QFrame):
    """A number, a caption and a note: one of the counters at the top."""

    def __init__(self, title: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        self.title = QLabel(title, self)
        self.title.setFont(theme.font(theme.small_px - 3, bold=True))
        self.value = QLabel("…", self)
        self.value.setFont(theme.font(theme.label_px + 2, bold=True))
        self.note = QLabel("", self)
        self.note.setFont(theme.font(theme.small_px - 3))
        self.note.setWordWrap(True)
        for label in (self.title, self.value, self.note):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_values(self, value: str, note: str) -> None:
        self.value.setText(value)
        self.note.setText(note)
        self.setAccessibleName(f"{self.title.text()}: {value}. {note}")


class HistoryWindow(QWidget):
    """The history view.  ``HistoryWindow(bridge)``; call ``show()``; it loads itself.

    ``today`` fixes the date the view is computed for (default: the store's clock);
    ``rest_days_per_week`` is the user's streak allowance (see ``REST_DAYS_PER_WEEK``
    in core/settings.py for the range).
    """

    loaded = Signal()  # an overview has been put on screen
    undo_available = Signal(bool)

    def __init__(
        self,
        bridge: HistoryBridge,
        *,
        rest_days_per_week: int = REST_DAYS_PER_WEEK.default,
        today: date | None = None,
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._rest_days = rest_days_per_week
        self._today = today
        self._theme = theme
        self._overview: Overview | None = None
        self._undo_stack: list[DeletedSession] = []
        self._reselect_id: int | None = None
        self._reselect_row = -1
        self._awaiting = 0
        self._deleting = False
        self.setWindowTitle("FaceGym history")
        self.setObjectName("historyWindow")
        self._build()
        self._connect_callbacks()
        self.resize(1180, 960)
        self.refresh()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        theme = self._theme
        self.setStyleSheet(
            f"#historyWindow {{ background: {theme.background}; }}"
            f" QLabel {{ color: {theme.text}; }}"
            f" #card {{ background: {theme.surface}; border-radius: 10px; }}"
            f" #notice {{ background: {theme.caution_background}; color: {theme.caution};"
            "  border-radius: 6px; padding: 8px; }"
            f" QTableView {{ background: {theme.background}; color: {theme.text};"
            f"  alternate-background-color: {theme.surface}; }}"
            f" QHeaderView::section {{ background: {theme.surface}; color: {theme.text};"
            f"  border: none; border-bottom: 1px solid {theme.track}; padding: 4px; }}"
            f" QPushButton {{ background: {theme.surface}; color: {theme.text};"
            f"  border: 1px solid {theme.track}; border-radius: 6px; padding: 5px 16px; }}"
            f" QPushButton:focus {{ border: 2px solid {theme.pressure['semi-firm']}; }}"
            f" QPushButton:disabled {{ color: {theme.text_muted}; }}"
        )
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(12)

        self.notice = QLabel(self)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        outer.addWidget(self.notice)

        self.message = QLabel("Loading your history…", self)
        self.message.setFont(theme.font(theme.body_px, bold=True))
        self.message.setAccessibleName("Streak summary")
        outer.addWidget(self.message)

        cards = QHBoxLayout()
        cards.setSpacing(10)
        self.current_card = _Card("Current streak", theme, self)
        self.longest_card = _Card("Longest streak", theme, self)
        self.daily_card = _Card("Daily routine", theme, self)
        self.extended_card = _Card("Extended session", theme, self)
        self.totals_card = _Card("All sessions", theme, self)
        for card in (
            self.current_card,
            self.longest_card,
            self.daily_card,
            self.extended_card,
            self.totals_card,
        ):
            cards.addWidget(card, 1)
        outer.addLayout(cards)

        outer.addWidget(self._caption("Minutes per day, last twelve months"))
        self.heatmap = CalendarHeatmap(self, theme)
        self.heatmap.setFixedHeight(162)
        outer.addWidget(self.heatmap)
        self.day_label = QLabel("", self)
        self.day_label.setFont(theme.font(theme.small_px - 3))
        outer.addWidget(self.day_label)

        middle = QHBoxLayout()
        middle.setSpacing(16)
        bars_column = QVBoxLayout()
        bars_column.addWidget(self._caption("Minutes per week"))
        self.bars = WeeklyBars(self, theme)
        bars_column.addWidget(self.bars, 1)
        self.week_label = QLabel("", self)
        self.week_label.setFont(theme.font(theme.small_px - 3))
        bars_column.addWidget(self.week_label)
        middle.addLayout(bars_column, 3)

        areas_column = QVBoxLayout()
        areas_column.addWidget(self._caption("Minutes per area"))
        areas_row = QHBoxLayout()
        self.face_map = FaceMapWidget(self, theme)
        self.face_map.setFixedSize(190, 232)
        self.face_map.setAccessibleName("Face map shaded by minutes per area")
        areas_row.addWidget(self.face_map)
        self.area_list = QLabel("", self)
        self.area_list.setFont(theme.font(theme.small_px - 3))
        self.area_list.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.area_list.setTextFormat(Qt.TextFormat.PlainText)
        areas_row.addWidget(self.area_list, 1)
        areas_column.addLayout(areas_row)
        areas_column.addStretch(1)
        middle.addLayout(areas_column, 2)
        outer.addLayout(middle)

        list_header = QHBoxLayout()
        list_header.addWidget(self._caption("Sessions"))
        list_header.addStretch(1)
        self.status = QLabel("", self)
        self.status.setFont(theme.font(theme.small_px - 3))
        list_header.addWidget(self.status)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setToolTip("Delete the selected session (Delete)")
        self.undo_button = QPushButton("Undo", self)
        self.undo_button.setToolTip("Bring back the last deleted session (Ctrl+Z)")
        self.undo_button.setEnabled(False)
        list_header.addWidget(self.delete_button)
        list_header.addWidget(self.undo_button)
        outer.addLayout(list_header)

        self.model = SessionTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        # Fixed row heights let the view skip measuring 15,000 rows.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((170, 80, 0, 90, 130)):
            if width:
                header.resizeSection(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Sessions, newest first")
        self.table.setMinimumHeight(180)
        outer.addWidget(self.table, 1)

        self.setTabOrder(self.heatmap, self.bars)
        self.setTabOrder(self.bars, self.table)
        self.setTabOrder(self.table, self.delete_button)
        self.setTabOrder(self.delete_button, self.undo_button)

    def _caption(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setFont(self._theme.font(self._theme.small_px - 1, bold=True))
        return label

    def _connect_callbacks(self) -> None:
        self._bridge.overview_ready.connect(self._show_overview)
        self._bridge.session_deleted.connect(self._on_deleted)
        self._bridge.session_restored.connect(self._on_restored)
        self._bridge.session_finished.connect(self._on_session_finished)
        self._bridge.error.connect(self._on_error)
        self.heatmap.day_selected.connect(self.day_label.setText)
        self.bars.week_selected.connect(self.week_label.setText)
        self.delete_button.clicked.connect(self.delete_selected)
        self.undo_button.clicked.connect(self.undo)
        # Shortcuts stay inside this view, so it can also sit in another window.
        inside = Qt.ShortcutContext.WidgetWithChildrenShortcut
        undo = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        undo.setContext(inside)
        undo.activated.connect(self.undo)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        reload_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        reload_key.setContext(inside)
        reload_key.activated.connect(self.refresh)
        close = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        close.setContext(inside)
        close.activated.connect(self._close_if_window)

    # ------------------------------------------------------------------ loading

    @property
    def overview(self) -> Overview | None:
        return self._overview

    @Slot()
    def refresh(self) -> None:
        """Reload everything from the store (on the worker)."""
        self._awaiting += 1
        self._bridge.load_overview(self._today, self._rest_days)

    @Slot(object)
    def _show_overview(self, overview: Overview) -> None:
        self._awaiting = max(0, self._awaiting - 1)
        self._overview = overview
        self._show_notices()
        self._show_summary(overview.summary)
        self.heatmap.set_data(overview.heatmap)
        self.bars.set_weeks(overview.weeks)
        self._show_areas(overview.summary)
        self._show_sessions(overview)
        self.loaded.emit()

    def _show_notices(self) -> None:
        notices = self._bridge.store.notices
        if notices:
            self.notice.setText("\n".join(notices))
            self.notice.show()

    def _show_summary(self, summary: Summary) -> None:
        goals = summary.goals
        self.message.setText(streak_message(summary))
        current_note = (
            "no streak running"
            if summary.current_streak == 0
            else "done today"
            if goals.daily_done_today
            else "a session today keeps it going"
        )
        if summary.rest_days_per_week:
            current_note += f" · {summary.rest_days_per_week} rest day(s) a week allowed"
        self.current_card.show_values(_days(summary.current_streak), current_note)
        last = summary.last_active_day
        self.longest_card.show_values(
            _days(summary.longest_streak),
            "last active " + (last.strftime("%d %b %Y") if last else "never"),
        )
        self.daily_card.show_values(
            "Done" if goals.daily_done_today else "Not yet",
            f"today · {goals.daily_days_in_window} of the last {goals.daily_window_days} days",
        )
        due = goals.extended_due_in_days
        if goals.extended_last_day is None or due == 0:
            value = "Due today"
        elif due > 0:
            value = f"In {_days(due)}"
        else:
            value = f"Overdue {_days(-due)}"
        last_extended = (
            goals.extended_last_day.strftime("%d %b") if goals.extended_last_day else "none yet"
        )
        self.extended_card.show_values(
            value, f"every {goals.extended_every_days} days · last {last_extended}"
        )
        self.extended_card.setToolTip(extended_goal_message(goals))
        self.totals_card.show_values(
            f"{summary.sessions}",
            f"{summary.completed_sessions} completed · {_hours_and_minutes(summary.total_minutes)}"
            f" · {summary.active_days} active days",
        )

    def _show_areas(self, summary: Summary) -> None:
        minutes = summary.per_area_minutes
        self.face_map.set_area_shading(area_shading(minutes))
        ranked = sorted(
            ((value, area) for area, value in minutes.items() if value > 0), reverse=True
        )
        if not ranked:
            self.area_list.setText("No moves recorded yet.")
            return
        lines = []
        for value, area in ranked[:AREAS_LISTED]:
            label = AREA_BY_ID[area].label if area in AREA_BY_ID else area
            lines.append(f"{label}: {_hours_and_minutes(value)}")
        if len(ranked) > AREAS_LISTED:
            lines.append(f"and {len(ranked) - AREAS_LISTED} more")
        self.area_list.setText("\n".join(lines))
        self.face_map.setAccessibleDescription("; ".join(lines))

    def _show_sessions(self, overview: Overview) -> None:
        current_row = self.table.currentIndex().row()
        self.model.set_records(overview.sessions)
        row = -1
        if self._reselect_id is not None:
            row = self.model.row_of(self._reselect_id)
            self._reselect_id = None
        elif self._reselect_row >= 0:
            row = min(self._reselect_row, self.model.rowCount() - 1)
            self._reselect_row = -1
        elif current_row >= 0:
            row = min(current_row, self.model.rowCount() - 1)
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self._select_row(row)
        self.delete_button.setEnabled(self.model.rowCount() > 0 and not self._read_only())

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _read_only(self) -> bool:
        return bool(self._bridge.store.read_only)

    # ------------------------------------------------------------------ delete / undo

    def selected_session_id(self) -> int | None:
        record = self.model.record(self.table.currentIndex().row())
        return None if record is None else record.id

    @Slot()
    def delete_selected(self) -> None:
        """Delete the selected session; Undo (Ctrl+Z) brings it back."""
        if self._read_only():
            self.status.setText("History is read-only; nothing can be deleted.")
            return
        row = self.table.currentIndex().row()
        record = self.model.record(row)
        if record is None:
            return
        self.model.remove_session(record.id)
        if self.model.rowCount():
            self._select_row(min(row, self.model.rowCount() - 1))
        self._reselect_row = row
        cells = session_cells(record)
        self.status.setText(f"Deleting {record.routine_name} of {cells[0]}…")
        self._deleting = True
        self._bridge.delete_session(record.id)

    @Slot(object)
    def _on_deleted(self, deleted: DeletedSession) -> None:
        self._deleting = False
        self._undo_stack.append(deleted)
        self.undo_button.setEnabled(True)
        self.undo_available.emit(True)
        self.status.setText("Session deleted. Undo with Ctrl+Z.")
        self.refresh()

    @Slot()
    def undo(self) -> None:
        """Bring back the most recently deleted session."""
        if not self._undo_stack:
            self.status.setText("Nothing to undo.")
            return
        deleted = self._undo_stack.pop()
        self.undo_button.setEnabled(bool(self._undo_stack))
        self.undo_available.emit(bool(self._undo_stack))
        self._reselect_id = deleted.session_id
        self._bridge.restore(deleted)

    @Slot(int)
    def _on_restored(self, session_id: int) -> None:
        self._reselect_id = session_id
        self.status.setText("Session restored.")
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # Shown again after being closed: sessions may have been saved meanwhile.
        if self._overview is not None and self._awaiting == 0:
            self.refresh()
        super().showEvent(event)

    @Slot()
    def _close_if_window(self) -> None:
        if self.isWindow():
            self.close()

    @Slot(int)
    def _on_session_finished(self, _session_id: int) -> None:
        if self.isVisible():
            self.refresh()

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.show()
        if self._deleting:
            # The row left the list before the store answered: show what is really kept.
            self._deleting = False
            self.status.setText("The session could not be deleted.")
            self.refresh()


__all__ = ["HistoryWindow", "area_shading", "format_length"]
