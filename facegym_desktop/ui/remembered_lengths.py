"""The editor of the session length remembered for each routine (``minutes_by_routine``).

One row per remembered routine, by its display name (its id, after the others, when
no routine of the library has it now): the length, in a spin box that shows and reads
lengths as the start screen's typed length does ("7 min 30 s"; "7:30", "7.5" or
"450s" typed; the arrows move half a minute) within the routine's range, and a
Forget button.  "Forget all" under the rows forgets every one.  Everything is
reached with Tab; each field and button is named for the routine it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.routine import Routine
from facegym_desktop.core.setting_kinds import MinutesSetting
from facegym_desktop.core.timefmt import LENGTH_EXAMPLES, duration_text, parse_length
from facegym_desktop.ui.setting_editors import SettingEditor

HALF_MINUTE = 30  # seconds the arrows move a length, as the start screen's slider stops
NOTHING_REMEMBERED = "No lengths remembered yet: the length you start a routine with is kept here."
FORGET_ALL = "Forget all"
FORGET = "Forget"
NOT_FOUND = "{id} (not in your routines)"  # a routine since deleted or renamed


class LengthSpinBox(QSpinBox):
    """A session length in whole seconds from ``low_minutes`` to ``high_minutes``.

    Shown as the plan shows lengths ("7 min 30 s", ``timefmt.duration_text``) and read
    as the start screen reads a typed length (``timefmt.parse_length``); ``value()``
    is in seconds.
    """

    def __init__(self, low_minutes: float, high_minutes: float) -> None:
        super().__init__()
        self._low, self._high = low_minutes, high_minutes
        self.setRange(round(low_minutes * 60), round(high_minutes * 60))
        self.setSingleStep(HALF_MINUTE)
        self.setKeyboardTracking(False)  # a typed length counts once the person is done
        self.setToolTip(
            f"From {duration_text(self.minimum())} to {duration_text(self.maximum())}; "
            f"type a length such as {LENGTH_EXAMPLES}"
        )

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._wide_enough(super().sizeHint())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self._wide_enough(super().minimumSizeHint())

    def _wide_enough(self, hint: QSize) -> QSize:
        # Qt measures the texts of the minimum and maximum alone; a second short of the
        # maximum ("7 min 59 s" against "8 min") reads longer.
        def width(value: int) -> int:
            return self.fontMetrics().horizontalAdvance(self.textFromValue(value))

        measured = max(width(self.minimum()), width(self.maximum()))
        longest = max(measured, width(max(self.minimum(), self.maximum() - 1)))
        return QSize(hint.width() + longest - measured, hint.height())

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt override
        return duration_text(value)

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt override
        minutes = parse_length(text, self._low, self._high)
        return round(minutes * 60) if isinstance(minutes, float) else self.value()

    def validate(self, text: str, position: int) -> tuple[QValidator.State, str, int]:
        if isinstance(parse_length(text, self._low, self._high), float):
            return QValidator.State.Acceptable, text, position
        # Still being typed (or too long): leaving the field keeps the last good length.
        return QValidator.State.Intermediate, text, position


class LengthRow(NamedTuple):
    """One remembered routine's row: its name, its length and its Forget button."""

    name: QLabel
    length: LengthSpinBox
    forget: QPushButton


class RememberedLengthsEditor(SettingEditor):
    """The rows of a ``MinutesSetting`` (see the module); ``edited(dict)`` on each change.

    ``routines()`` gives the routines whose names and ranges the rows use, read each
    time the rows are made.  ``rows`` maps each remembered routine id to its
    :class:`LengthRow`, top row first; ``forget_all_button`` forgets every one;
    ``note`` says when nothing is remembered.
    """

    tall = True

    def __init__(
        self,
        setting: MinutesSetting,
        routines: Callable[[], Iterable[Routine]],
        parent: QWidget | None = None,
    ) -> None:
        self._routines = routines
        self._values: dict[str, float] = {}
        self.rows: dict[str, LengthRow] = {}
        self.table = QWidget()
        self._grid = QGridLayout(self.table)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(0, 1)
        self.forget_all_button = QPushButton(FORGET_ALL)
        self.forget_all_button.setAccessibleName("Forget every remembered length")
        self.forget_all_button.setAutoDefault(False)
        self.forget_all_button.clicked.connect(self.forget_all)
        self.note = QLabel(NOTHING_REMEMBERED)
        self.note.setWordWrap(True)
        # Rows made later go into the focus chain here, right after this mark (never
        # shown, so Tab passes it by), and so before Forget all.
        self._tab_mark = QWidget()
        self._tab_mark.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._tab_mark.hide()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self._tab_mark)
        column.addWidget(self.table)
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addStretch(0)
        bottom.addWidget(self.forget_all_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(bottom)
        super().__init__(setting, self.table, body, parent)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its rows take the focus
        self._minimum, self._maximum = setting.minimum, setting.maximum

    def first_line_height(self) -> int:
        first = next(iter(self.rows.values()), None)
        if first is None:
            return self.forget_all_button.sizeHint().height()
        return max(part.sizeHint().height() for part in first)

    # ------------------------------------------------------------------ reading

    def value(self) -> dict[str, float]:
        return dict(self._values)

    def _show(self, value: Any) -> None:
        shown: Mapping[str, float] = value
        values = {key: float(minutes) for key, minutes in shown.items()}
        fits = set(values) == set(self.rows) and all(
            spin.minimum() <= round(values[key] * 60) <= spin.maximum()
            for key, (_name, spin, _forget) in self.rows.items()
        )
        self._values = values
        if not fits:  # other routines, or a length beyond a row's range: new rows
            self._make_rows()
            return
        for key, row in self.rows.items():
            self._hold(row.length, values[key])

    # ------------------------------------------------------------------ changing

    def forget(self, routine_id: str) -> None:
        """Forget the length of ``routine_id`` (nothing for one not remembered).

        The keyboard focus, when it was on that row, moves to the next row's Forget
        button (the previous row's after the last one; Forget all when none is left).
        """
        if routine_id not in self._values:
            return
        order = list(self.rows)
        had_focus = any(part.hasFocus() for part in self.rows[routine_id][1:])
        del self._values[routine_id]
        self._make_rows()
        if had_focus:
            index = min(order.index(routine_id), len(self.rows) - 1)
            follow = self.rows[list(self.rows)[index]].forget if self.rows else None
            (follow or self.forget_all_button).setFocus(Qt.FocusReason.OtherFocusReason)
        self._report()

    def forget_all(self) -> None:
        """Forget every remembered length."""
        if self._values:
            self._values = {}
            self._make_rows()
            self._report()

    def _on_length(self, routine_id: str, seconds: int) -> None:
        if not self._quiet and routine_id in self._values:
            self._values[routine_id] = seconds / 60
            self._report()

    # ------------------------------------------------------------------ rows

    def _make_rows(self) -> None:
        for label, spin, button in self.rows.values():
            for part in (label, spin, button):
                self._grid.removeWidget(part)
                part.hide()
                part.setParent(None)  # out of the focus chain now, not at deleteLater
                part.deleteLater()
        self.rows = {}
        known = {routine.id: routine for routine in self._routines()}
        names = {
            key: known[key].name if key in known else NOT_FOUND.format(id=key)
            for key in self._values
        }
        # Tab runs through each row's length and Forget, from the top down, then Forget all.
        previous: QWidget = self._tab_mark
        order = sorted(self._values, key=lambda k: (k not in known, names[k].casefold(), k))
        for row, key in enumerate(order):
            name, minutes = names[key], self._values[key]
            low, high = self._minimum, self._maximum
            if key in known:
                low, high = known[key].min_minutes, known[key].max_minutes
            # A length kept before the routine's range changed still shows as it is.
            spin = LengthSpinBox(min(low, minutes), max(high, minutes))
            spin.setAccessibleName(f"Length for {name}")
            self._hold(spin, minutes)
            spin.valueChanged.connect(lambda seconds, k=key: self._on_length(k, seconds))
            self.guard_wheel(spin)
            label = QLabel(name)
            label.setToolTip(key)
            label.setBuddy(spin)
            button = QPushButton(FORGET)
            button.setAccessibleName(f"Forget the length for {name}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=key: self.forget(k))
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(spin, row, 1)
            self._grid.addWidget(button, row, 2)
            for part in (label, spin, button):
                part.show()  # now, not when the layout gets to it: the focus may go here
            QWidget.setTabOrder(previous, spin)
            QWidget.setTabOrder(spin, button)
            previous = button
            self.rows[key] = LengthRow(label, spin, button)
        self.table.setVisible(bool(self.rows))
        self.note.setVisible(not self.rows)
        self.forget_all_button.setEnabled(bool(self.rows))
        first = next(iter(self.rows.values()), None)
        # None clears the proxy (Qt takes a null widget; the stubs do not say so).
        self.table.setFocusProxy(first.length if first else None)  # type: ignore[arg-type]

    def _hold(self, spin: LengthSpinBox, minutes: float) -> None:
        """Show ``minutes`` in ``spin`` without it counting as an edit."""
        quiet, self._quiet = self._quiet, True
        try:
            spin.setValue(round(minutes * 60))
        finally:
            self._quiet = quiet
