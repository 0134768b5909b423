"""The history window: streaks and goals, a year's calendar, weekly minutes, areas, sessions.

Everything shown comes from one :class:`~facegym_desktop.core.history.Overview`
computed on the history worker (``HistoryStore.overview`` run by the bridge), so opening the
window with twenty years of sessions costs the UI thread only the painting.

Keyboard: Tab moves between the calendar, the weekly bars, the session list and
the buttons; arrows move inside each; Delete removes the selected session; Ctrl+Z
(or the Undo button) brings it back; F5 reloads; Escape closes.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.history import DeletedSession, Overview
from facegym_desktop.core.settings import REST_DAYS_PER_WEEK
from facegym_desktop.ui.history_bars import WeeklyBars
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.history_heatmap import CalendarHeatmap
from facegym_desktop.ui.history_sessions import (
    SessionTableModel,
    fit_rows,
    format_length,
    session_cells,
    session_table,
)
from facegym_desktop.ui.history_summary import AreasPanel, SummaryPanel, area_shading
from facegym_desktop.ui.history_transfer import HistoryTransfer
from facegym_desktop.ui.screen_fit import ContentScrollArea, fitted_geometry
from facegym_desktop.ui.theme import LIGHT, Theme

PREFERRED_SIZE = QSize(1180, 960)
# Fits a 1024x600 screen with room for the window frame and a panel.
MINIMUM_SIZE = QSize(720, 480)

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
        self.setWindowTitle("FaceGym history")
        self.setObjectName("historyWindow")
        self._build()
        self._connect_callbacks()
        self.setMinimumSize(MINIMUM_SIZE)
        screen = self.screen()
        self.fit_to(screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 600))
        self.refresh()

    def fit_to(self, available: QRect) -> None:
        """Size and place the window for a screen whose free area is ``available``
        (see :func:`facegym_desktop.ui.screen_fit.fitted_geometry`)."""
        self.setGeometry(fitted_geometry(PREFERRED_SIZE, MINIMUM_SIZE, available))

    def set_theme(self, theme: Theme) -> None:
        """Repaint every part of the window in ``theme`` (light, dark), at any time."""
        if theme == self._theme:
            return
        self._theme = theme
        self._apply_style_sheet()
        for part in (self.heatmap, self.bars, self.areas_panel.face_map):
            part.set_theme(theme)

    # ------------------------------------------------------------------ building

    def _apply_style_sheet(self) -> None:
        theme = self._theme
        self.setStyleSheet(
            f"#historyWindow, #historyCharts {{ background: {theme.background}; }}"
            f" QLabel {{ color: {theme.text}; }}"
            f" #card {{ background: {theme.surface}; border-radius: 10px; }}"
            f" #notice {{ background: {theme.caution_background}; color: {theme.caution};"
            "  border-radius: 6px; padding: 8px; }"
            f" QTableView {{ background: {theme.background}; color: {theme.text};"
            f"  alternate-background-color: {theme.surface}; }}"
            " QTableView::item { padding: 0 8px; }"  # a right-aligned cell, then a left one
            f" QHeaderView::section {{ background: {theme.surface}; color: {theme.text};"
            f"  border: none; border-bottom: 1px solid {theme.track}; padding: 4px; }}"
            f" QPushButton {{ background: {theme.surface}; color: {theme.text};"
            f"  border: 1px solid {theme.track}; border-radius: 6px; padding: 5px 16px; }}"
            f" QPushButton:focus {{ border: 2px solid {theme.pressure['semi-firm']}; }}"
            f" QPushButton:disabled {{ color: {theme.text_muted}; }}"
        )

    def _build(self) -> None:
        theme = self._theme
        self._apply_style_sheet()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 16)
        outer.setSpacing(12)

        self.notice = QLabel(self)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        outer.addWidget(self.notice)

        # Everything above the session list scrolls, so the list and its buttons
        # stay on screen in a small window.
        upper = QWidget(self)
        upper.setObjectName("historyCharts")  # its own background: it scrolls
        top = QVBoxLayout(upper)
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(10)
        self.summary_panel = SummaryPanel(theme, upper)
        top.addWidget(self.summary_panel)
        self.message = self.summary_panel.message
        self.current_card = self.summary_panel.current_card
        self.longest_card = self.summary_panel.longest_card
        self.daily_card = self.summary_panel.daily_card
        self.extended_card = self.summary_panel.extended_card
        self.totals_card = self.summary_panel.totals_card

        top.addWidget(self._caption("Minutes per day, last twelve months", upper))
        self.heatmap = CalendarHeatmap(upper, theme)
        self.heatmap.setFixedHeight(162)
        top.addWidget(self.heatmap)
        self.day_label = QLabel("", upper)
        self.day_label.setFont(theme.font(theme.small_px - 3))
        top.addWidget(self.day_label)

        middle = QHBoxLayout()
        middle.setSpacing(16)
        bars_column = QVBoxLayout()
        bars_column.addWidget(self._caption("Minutes per week", upper))
        self.bars = WeeklyBars(upper, theme)
        self.bars.setMinimumHeight(150)
        bars_column.addWidget(self.bars, 1)
        self.week_label = QLabel("", upper)
        self.week_label.setFont(theme.font(theme.small_px - 3))
        bars_column.addWidget(self.week_label)
        middle.addLayout(bars_column, 3)
        areas_column = QVBoxLayout()
        areas_column.addWidget(self._caption("Minutes per area", upper))
        self.areas_panel = AreasPanel(theme, upper)
        self.face_map = self.areas_panel.face_map
        self.area_list = self.areas_panel.area_list
        areas_column.addWidget(self.areas_panel)
        areas_column.addStretch(1)
        middle.addLayout(areas_column, 2)
        top.addLayout(middle)

        self.upper_scroll = ContentScrollArea(self)  # all of it where there is room
        self.upper_scroll.setWidgetResizable(True)
        self.upper_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.upper_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.upper_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.upper_scroll.setWidget(upper)
        self.upper_scroll.setMinimumHeight(120)
        outer.addWidget(self.upper_scroll)

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
        self.transfer = HistoryTransfer(self._bridge, self.status, self)
        for button in self.transfer.buttons:
            list_header.addWidget(button)
        outer.addLayout(list_header)

        self.model = SessionTableModel(self)
        self.table = session_table(self.model, self)
        outer.addWidget(self.table, 1)  # the rest of the height

        self.setTabOrder(self.heatmap, self.bars)
        self.setTabOrder(self.bars, self.table)
        self.setTabOrder(self.table, self.delete_button)
        self.setTabOrder(self.delete_button, self.undo_button)
        self.setTabOrder(self.undo_button, self.transfer.export_button)
        self.setTabOrder(self.transfer.export_button, self.transfer.import_button)

    def _caption(self, text: str, parent: QWidget | None = None) -> QLabel:
        label = QLabel(text, parent or self)
        label.setFont(self._theme.font(self._theme.small_px - 1, bold=True))
        return label

    def _connect_callbacks(self) -> None:
        self._bridge.history_changed.connect(self._on_history_changed)
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
        today, rest_days = self._today, self._rest_days
        self._bridge.run(
            lambda store: store.overview(today, rest_days), name="overview"
        ).success(self._show_overview).failure(self._on_load_failed)

    @Slot(object)
    def _show_overview(self, overview: Overview) -> None:
        self._awaiting = max(0, self._awaiting - 1)
        self._overview = overview
        self._show_notices()
        self.summary_panel.show_summary(overview.summary)
        self.heatmap.set_data(overview.heatmap)
        self.bars.set_weeks(overview.weeks)
        self.areas_panel.show_areas(overview.summary)
        self._show_sessions(overview)
        self.loaded.emit()

    def _show_notices(self) -> None:
        notices = self._bridge.store.notices
        if notices:
            self.notice.setText("\n".join(notices))
            self.notice.show()

    def _show_sessions(self, overview: Overview) -> None:
        current_row = self.table.currentIndex().row()
        self.model.set_records(overview.sessions)
        fit_rows(self.table, self.model.rowCount())
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
        session_id = record.id
        self._bridge.run(lambda store: store.delete_session(session_id), name="delete").success(
            self._on_deleted
        ).failure(self._on_delete_failed)

    @Slot(object)
    def _on_deleted(self, deleted: DeletedSession) -> None:
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
        self._bridge.run(lambda store: store.restore_session(deleted), name="undo").success(
            self._on_restored
        )

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

    @Slot()
    def _on_history_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    @Slot(str)
    def _on_error(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.show()

    def _on_load_failed(self, message: str) -> None:
        self._awaiting = max(0, self._awaiting - 1)
        self._on_error(message)

    def _on_delete_failed(self, message: str) -> None:
        self._on_error(message)
        # The row left the list before the store answered: show what is really kept.
        self.status.setText("The session could not be deleted.")
        self.refresh()


__all__ = ["HistoryWindow", "area_shading", "format_length"]
