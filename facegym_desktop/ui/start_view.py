"""The start screen: routines as cards, a length control with a live plan preview, Start.

At the mirror two keystrokes are enough: arrows pick a routine (the last one used is
already selected) and Enter starts it.  The view only lays out and reports; the
main window decides what a choice means.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.start_screen import PreviewLine
from facegym_desktop.ui.fitting_button import FittingButton
from facegym_desktop.ui.length_control import LengthControl
from facegym_desktop.ui.routine_cards import (
    CARD_ROLE,
    RoutineCard,
    RoutineCardDelegate,
    accessible_text,
)
from facegym_desktop.ui.screen_fit import wrap_notice
from facegym_desktop.ui.theme import LIGHT, Theme, on_accent, text_scale

if TYPE_CHECKING:
    from facegym_desktop.ui.problems_dialog import ProblemsDialog

__all__ = ["PreviewLine", "START_KEYS", "StartView"]

# The keys the start and finish screens answer themselves (not menu actions), for
# the keyboard shortcuts list: (what it does, keys).
START_KEYS: tuple[tuple[str, str], ...] = (
    ("Choose a routine", "Up, Down"),
    ("Shorter or longer", "Left, Right"),
    ("Type a length, then Enter", "Tab from the routines to the length field"),
    ("Leave the length field", "Esc, Up, Down"),
    ("Start the routine", "Enter"),
    ("Back to the routines from the finish screen", "Enter, Esc"),
)


class _RoutineList(QListWidget):
    """Up/Down pick a routine, Left/Right change the length, Enter starts."""

    activated_by_key = Signal()
    length_step = Signal(int)

    def inner_width(self) -> int:
        """The width a card may take: the viewport's, less the spacing on each side."""
        # Measured without asking for viewport(): wrapping that first plain QWidget
        # pointer makes PySide6 resolve every QWidget subclass it knows, which costs
        # several milliseconds of start-up.
        width = self.contentsRect().width()
        scroll_bar = self.verticalScrollBar()
        if scroll_bar.isVisible():
            width -= scroll_bar.width()
        return width - 2 * self.spacing()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.scheduleDelayedItemsLayout()  # card heights follow the width
        if (current := self.currentItem()) is not None:
            # A notice above or a smaller window never hides the chosen routine.
            self.scrollToItem(current)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated_by_key.emit()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self.length_step.emit(1 if key == Qt.Key.Key_Right else -1)
        else:
            super().keyPressEvent(event)


class StartView(QWidget):
    """Signals: ``routine_selected(id)``, ``minutes_changed(float)``, ``start_requested()``,
    ``length_settled(routine_id, minutes)`` once a length the person chose has stayed put
    (see ``LengthControl``)."""

    routine_selected = Signal(str)
    minutes_changed = Signal(float)
    length_settled = Signal(str, float)
    start_requested = Signal()
    history_requested = Signal()

    def __init__(self, parent: QWidget | None = None, theme: Theme = LIGHT) -> None:
        super().__init__(parent)
        self._theme = theme
        self._base_theme = theme
        self._scale = 1.0  # smaller type in a small window (see theme.text_scale)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._cards: list[RoutineCard] = []
        self._updating = False

        self.routine_list = _RoutineList()
        self.card_delegate = RoutineCardDelegate(
            theme,
            self.routine_list.inner_width,
            lambda row: row == self.routine_list.currentRow(),
            self.routine_list,
        )
        self.routine_list.setItemDelegate(self.card_delegate)
        self.routine_list.setObjectName("routines")
        self.routine_list.setAccessibleName("Routines")
        # Cards follow the list's width (see inner_width), so never scroll sideways.
        self.routine_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.routine_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.routine_list.setSpacing(6)
        self.routine_list.setMinimumWidth(290)
        self.routine_list.setMaximumWidth(480)
        self.routine_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.description = QLabel()
        self.description.setWordWrap(True)
        # In a small window the preview list gives up room first; the text stays whole.
        self.description.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.length_control = LengthControl(theme=theme)
        self.length_label = self.length_control.label
        self.slider = self.length_control.slider
        self.preview = QListWidget()
        self.preview.setObjectName("preview")
        self.preview.setAccessibleName("Plan preview")
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setMinimumHeight(48)
        self.start_button = QPushButton("Start  ⏎")
        self.start_button.setAccessibleName("Start session")
        self.start_button.setDefault(True)
        self.history_button = QPushButton("History")
        self.history_button.setAccessibleName("Open history")
        self.notice = QLabel()
        wrap_notice(self.notice)
        self.notice.setAccessibleName("Notice")
        self.notice.hide()
        self.problems_button = QPushButton("Show all")
        self.problems_button.setObjectName("showAll")
        self.problems_button.setAccessibleName("Show every problem with routine files")
        self.problems_button.hide()
        self.problems_dialog: ProblemsDialog | None = None
        self._problems: list[str] = []
        self.disclaimer = QLabel(
            "A calm routine for relaxation and a warm glow, not a medical treatment. "
            "Use oil or serum so fingers glide; stop if anything hurts, and skip broken "
            "or irritated skin and recent procedures."
        )
        self.disclaimer.setWordWrap(True)

        details = QVBoxLayout()
        details.setSpacing(10)
        details.addWidget(self.title)
        details.addWidget(self.description)
        details.addSpacing(6)
        details.addWidget(self.length_control)
        details.addWidget(self.preview, 1)

        # In the smallest windows the details scroll rather than squeeze or clip.
        self.details = QScrollArea()
        self.details.setObjectName("details")
        self.details.setWidgetResizable(True)
        self.details.setFrameShape(QFrame.Shape.NoFrame)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        inner = QWidget()
        inner.setObjectName("detailsInner")
        inner.setLayout(details)
        self.details.setWidget(inner)
        buttons = QHBoxLayout()  # below the scrolling part: Start is always in sight
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        right = QVBoxLayout()
        right.setSpacing(10)
        right.addWidget(self.details, 1)
        right.addLayout(buttons)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addWidget(self.routine_list, 2)
        columns.addLayout(right, 3)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 24, 28, 20)
        outer.setSpacing(12)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.problems_button, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(notice_row)
        outer.addLayout(columns, 1)
        outer.addWidget(self.disclaimer)

        self._connect_callbacks()
        self.set_theme(theme)

    def _connect_callbacks(self) -> None:
        self.routine_list.currentRowChanged.connect(self._on_row_changed)
        self.routine_list.activated_by_key.connect(self.start_requested)
        self.routine_list.length_step.connect(self.length_control.step)
        self.routine_list.itemDoubleClicked.connect(lambda _item: self.start_requested.emit())
        self.length_control.minutes_changed.connect(self.minutes_changed)
        self.length_control.settled.connect(self.length_settled)
        self.length_control.typed_entered.connect(self._after_typed)
        self.length_control.typing_left.connect(self.routine_list.setFocus)
        self.length_control.parts_changed.connect(self._order_tabs)
        self.start_button.clicked.connect(self.start_requested)
        self.history_button.clicked.connect(self.history_requested)
        self.problems_button.clicked.connect(self.show_problems)

    # ------------------------------------------------------------------ setters

    def set_theme(self, theme: Theme) -> None:
        """Colours and type from ``theme``, the type smaller in a small window."""
        self._base_theme = theme
        theme = theme.scaled(self._scale) if self._scale != 1.0 else theme
        self._theme = theme
        self.card_delegate.set_theme(theme)
        self.title.setFont(theme.font(theme.label_px + 10, bold=True))
        self.description.setFont(theme.font(theme.body_px))
        self.length_control.set_theme(theme)
        self.preview.setFont(theme.font(theme.small_px))
        self.start_button.setFont(theme.font(theme.label_px, bold=True))
        self.history_button.setFont(theme.font(theme.small_px))
        self.problems_button.setFont(theme.font(theme.small_px))
        self.disclaimer.setFont(theme.font(theme.small_px - 2))
        self.notice.setFont(theme.font(theme.small_px))
        self.setStyleSheet(
            f"""
            StartView, QScrollArea#details, QWidget#detailsInner {{
                background: {theme.background}; }}
            QLabel {{ color: {theme.text}; }}
            QListWidget {{ background: {theme.background}; border: none; color: {theme.text}; }}
            QListWidget#preview {{ background: {theme.surface}; border-radius: 10px;
                padding: 8px; }}
            QScrollBar:vertical {{ background: transparent; width: 12px; margin: 0; }}
            QScrollBar::handle:vertical {{ background: {theme.track}; border-radius: 6px;
                min-height: 32px; }}
            QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
            QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: none; }}
            QPushButton {{ padding: 10px 22px; border-radius: 8px; background: {theme.surface};
                color: {theme.text}; border: 1px solid {theme.track}; }}
            QPushButton:default {{ background: {theme.pressure["medium"]};
                color: {on_accent(theme)}; }}
            QPushButton#preset {{ padding: 10px 12px; }}
            QPushButton#showAll {{ padding: 6px 14px; }}
            QPushButton:checked {{ border: 3px solid {theme.pressure["medium"]}; }}
            """
        )
        self.disclaimer.setStyleSheet(f"color: {theme.text_muted}")
        self.notice.setStyleSheet(
            f"color: {theme.text}; background: {theme.caution_background};"
            " padding: 8px; border-radius: 6px"
        )
        # The details scroll up and down, never sideways: as narrow as they can be laid
        # out in this type, with room for the scroll bar.
        scroll_bar = self.details.verticalScrollBar().sizeHint().width()
        inner = self.details.widget()
        if inner is not None:
            self.details.setMinimumWidth(inner.minimumSizeHint().width() + max(12, scroll_bar))
        if self.problems_dialog is not None:
            self.problems_dialog.set_theme(theme)
        if self._cards:
            self.routine_list.scheduleDelayedItemsLayout()  # new sizes and colours

    def set_routines(self, cards: Sequence[RoutineCard], selected_id: str | None = None) -> None:
        self._cards = list(cards)
        self._updating = True
        self.routine_list.clear()
        for card in self._cards:
            item = QListWidgetItem()
            item.setData(CARD_ROLE, card)
            item.setData(Qt.ItemDataRole.UserRole, card.routine_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, accessible_text(card))
            self.routine_list.addItem(item)
        ids = [card.routine_id for card in self._cards]
        row = ids.index(selected_id) if selected_id in ids else 0
        if self._cards:
            self.routine_list.setCurrentRow(row)
        self._updating = False
        if self._cards:
            # Announced once, whether or not the row changed (the cards are new).
            self._on_row_changed(row)
        self.routine_list.setFocus()

    def set_details(self, title: str, description: str) -> None:
        self.title.setText(title)
        self.description.setText(description)

    def set_length_choices(
        self, choices: Sequence[float], presets: Sequence[tuple[str, float]], current: float
    ) -> None:
        """The selected routine's length stops, presets ("5 min", 5.0) and length; quietly."""
        owner = self.selected_routine_id() or ""
        self.length_control.set_choices(choices, presets, current, owner)

    def set_minutes(self, minutes: float, notify: bool = False) -> None:
        """Show ``minutes``; ``notify`` reports it as the person's choice."""
        self.length_control.set_minutes(minutes)
        if notify:
            self.minutes_changed.emit(minutes)

    @property
    def preset_buttons(self) -> list[FittingButton]:
        """The preset buttons of the selected routine, shortest first."""
        return self.length_control.preset_buttons

    def set_preview(self, total: str, lines: Sequence[PreviewLine]) -> None:
        self.preview.clear()
        self.preview.addItem(f"Plan: {total}")
        for line in lines:
            self.preview.addItem(f"{line.start:>6}   {line.name}  ·  {line.length}")

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def set_problems(self, lines: Sequence[str]) -> None:
        """Every problem with routine files, one a line: "Show all" lists them."""
        self._problems = list(lines)
        self.problems_button.setVisible(bool(self._problems))

    def show_problems(self) -> None:
        """Open (or bring up) the scrollable list of every problem."""
        if self.problems_dialog is not None:
            self.problems_dialog.close()
            self.problems_dialog.deleteLater()
        from facegym_desktop.ui.problems_dialog import ProblemsDialog  # not needed sooner

        self.problems_dialog = ProblemsDialog(self._problems, theme=self._theme, parent=self)
        self.problems_dialog.show()

    # ------------------------------------------------------------------ queries

    def selected_routine_id(self) -> str | None:
        item = self.routine_list.currentItem()
        if item is None:
            return None
        routine_id = item.data(Qt.ItemDataRole.UserRole)
        return routine_id if isinstance(routine_id, str) else None

    def minutes(self) -> float:
        """The length on show, in minutes (0 with no routine)."""
        return self.length_control.minutes()

    # ------------------------------------------------------------------ internals

    def _on_row_changed(self, row: int) -> None:
        if self._updating or row < 0:
            return
        self.length_control.flush()  # the last routine's length is kept before switching
        routine_id = self.selected_routine_id()
        if routine_id:
            self.routine_selected.emit(routine_id)

    def _order_tabs(self) -> None:
        # Tab follows the screen: routines, the length's parts, History, Start.
        chain = [self.routine_list, *self.length_control.focus_chain()]
        for before, after in pairwise([*chain, self.history_button, self.start_button]):
            QWidget.setTabOrder(before, after)

    def _after_typed(self) -> None:
        if not self.length_control.problem.isVisibleTo(self):
            self.routine_list.setFocus()  # Enter now starts, arrows change the length

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        if self.isVisible():  # sizes before the first show are passing ones
            self._rescale(event.size())
        super().resizeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        # Laid out only after this; the window's size is the one it will fill.
        self._rescale(self.window().size())
        super().showEvent(event)

    def _rescale(self, size: QSize) -> None:
        scale = min(1.0, text_scale(size.width(), size.height()))
        if scale != self._scale:
            self._scale = scale
            self.set_theme(self._base_theme)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(1100, 720)
