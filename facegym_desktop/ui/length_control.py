"""The start screen's session length control: a slider, presets and a typed length.

The slider moves in the routine's stops (half minutes); the presets are the usual
lengths the routine allows (3, 5, 10, 15 and 20 minutes, ``timefmt.length_presets``);
a length can also be typed ("7:30", "7.5", "450s", see ``timefmt.parse_length``).
A typed length the routine cannot take shows the reason beside the field and the
length stays as it was.

Each length the person chooses is reported at once (``minutes_changed``) and, once
it has stayed put for ``settle_ms`` (or at once when the routine changes or the
control hides), as ``settled(owner, minutes)``, so holding an arrow key down keeps
only the length it stops at.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.timefmt import LENGTH_EXAMPLES, duration_text, parse_length
from facegym_desktop.ui.fitting_button import FittingButton
from facegym_desktop.ui.theme import LIGHT, Theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLineEdit

SETTLE_MS = 800  # how long a length must stay put before it is kept
_SAME = 1e-9  # minutes closer than this are the same length
TYPED_PADDING_PX = 6  # inside the typed-length field's border
TYPED_BORDER_PX = 1


def length_words(minutes: float) -> str:
    """ "5 minutes" for whole minutes, else as the plan shows it: "7 min 30 s"."""
    if abs(minutes - round(minutes)) < 1e-6:
        return f"{round(minutes)} minutes"
    return duration_text(round(minutes * 60))


class LengthControl(QWidget):
    """Signals: ``minutes_changed(float)`` for each length the person chooses,
    ``settled(owner, minutes)`` once a chosen length has stayed put (see the module).

    ``owner`` is whatever ``set_choices`` was given (the start screen gives the routine
    id); ``settle_ms`` can be made short in tests.
    """

    minutes_changed = Signal(float)
    settled = Signal(str, float)
    typing_left = Signal()  # Esc, Up or Down in the typed length: back to the routines
    typed_entered = Signal()  # Enter in the typed length (after it was read)
    parts_changed = Signal()  # the typed length was made, or the presets made anew

    def __init__(
        self, parent: QWidget | None = None, theme: Theme = LIGHT, settle_ms: int = SETTLE_MS
    ) -> None:
        super().__init__(parent)
        self._choices: list[float] = []
        self._minutes = 0.0
        self._owner = ""
        self._pending: tuple[str, float] | None = None
        self._updating = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self.flush)

        self.label = QLabel()
        self.label.setAccessibleName("Session length")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Session length slider")
        self.slider.setPageStep(2)
        self.preset_buttons: list[FittingButton] = []
        self._preset_minutes: list[float] = []
        self.presets_row = QHBoxLayout()
        # The typed length is made right after the first frame (see ``typed``): the
        # first line edit of a process costs several milliseconds of start-up.
        self._typed: QLineEdit | None = None
        self._typed_slot = QWidget()
        self._typed_slot.setMinimumWidth(120)
        self._typed_slot.setMaximumWidth(260)
        self.problem = QLabel()
        self.problem.setAccessibleName("Session length problem")
        self.problem.setWordWrap(True)
        self.problem.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.problem.hide()

        # The typed length sits beside the length it replaces, its problem right under
        # it, so the control takes no more height than the slider and presets need.
        top_row = QHBoxLayout()
        top_row.addWidget(self.label, 1)
        top_row.addWidget(self._typed_slot)
        self._top_row = top_row
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top_row)
        layout.addWidget(self.problem)
        layout.addLayout(self.presets_row)
        layout.addWidget(self.slider)

        self.slider.valueChanged.connect(self._on_slider)
        self.set_theme(theme)

    @property
    def typed(self) -> QLineEdit:
        """The field a length is typed into (made on first use, in the slot kept for it)."""
        if self._typed is None:
            from PySide6.QtWidgets import QLineEdit  # its class loads with the field

            line = QLineEdit()
            line.setObjectName("typedLength")
            line.setAccessibleName("Type a session length")
            line.setPlaceholderText("or type one")
            line.setToolTip(f"Type a length, such as {LENGTH_EXAMPLES}, and press Enter")
            line.setMinimumWidth(120)
            line.setMaximumWidth(260)
            line.returnPressed.connect(self._on_typed)
            line.installEventFilter(self)
            self._top_row.replaceWidget(self._typed_slot, line)
            self._typed_slot.deleteLater()
            self._typed = line
            self._style_typed()
            self.parts_changed.emit()
        return self._typed

    def focus_chain(self) -> list[QWidget]:
        """The parts Tab visits, in screen order: typed length, presets, slider."""
        typed: list[QWidget] = [self._typed] if self._typed is not None else []
        return [*typed, *self.preset_buttons, self.slider]

    def set_theme(self, theme: Theme) -> None:
        """Fonts and colours from ``theme``; the start screen's style sheet does the rest."""
        self._theme = theme
        self.label.setFont(theme.font(theme.label_px, bold=True))
        self.problem.setFont(theme.font(theme.small_px))
        self.problem.setStyleSheet(f"color: {theme.caution}")
        self._style_typed()
        for button in self.preset_buttons:
            button.setFont(theme.font(theme.small_px))

    def _style_typed(self) -> None:
        theme = self._theme
        font = theme.font(theme.small_px)
        if self._typed is None:
            # The slot is as tall as the field will be, so nothing moves when it comes:
            # a line of text, its padding and border, and QLineEdit's 1 px margins.
            extra = 2 * (TYPED_PADDING_PX + TYPED_BORDER_PX + 1)
            self._typed_slot.setMinimumHeight(QFontMetrics(font).height() + extra)
            return
        self._typed.setFont(font)
        self._typed.setStyleSheet(
            f"background: {theme.surface}; color: {theme.text}; border-radius: 6px;"
            f" border: {TYPED_BORDER_PX}px solid {theme.track}; padding: {TYPED_PADDING_PX}px"
        )

    # ------------------------------------------------------------------ setting

    def set_choices(
        self,
        choices: Sequence[float],
        presets: Sequence[tuple[str, float]],
        current: float,
        owner: str = "",
    ) -> None:
        """A routine's slider stops (shortest first), presets as (label, minutes) and the
        length to show; quietly.  A length still waiting to settle is kept first."""
        self.flush()
        self._choices = sorted(choices)
        self._owner = owner
        self._updating = True
        self.slider.setRange(0, max(0, len(self._choices) - 1))
        for button in self.preset_buttons:
            self.presets_row.removeWidget(button)  # at once: deleteLater alone keeps it laid out
            button.hide()
            button.deleteLater()
        self.preset_buttons, self._preset_minutes = [], []
        for label, minutes in presets:
            # In a narrow window "15 min" gives way to "15" rather than clipping.
            button = FittingButton((label, f"{minutes:g}"))
            button.setObjectName("preset")
            button.setCheckable(True)
            button.setAccessibleName(f"{length_words(minutes)} preset")
            button.setFont(self._theme.font(self._theme.small_px))
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _checked=False, m=minutes: self._choose(m))
            self.presets_row.addWidget(button)
            self.preset_buttons.append(button)
            self._preset_minutes.append(minutes)
        self._updating = False
        if self._typed is not None:
            self._typed.clear()
        self._show_problem("")
        self.set_minutes(current)
        self.parts_changed.emit()

    def set_minutes(self, minutes: float) -> None:
        """Show ``minutes`` (the slider at the nearest stop); quietly."""
        self._minutes = minutes
        self._updating = True
        self.slider.setValue(self._nearest(minutes))
        self._updating = False
        self.label.setText(f"Length: {length_words(minutes)}")
        for button, preset in zip(self.preset_buttons, self._preset_minutes, strict=True):
            button.setChecked(abs(preset - minutes) < _SAME)

    def step(self, direction: int) -> None:
        """The next stop longer (``direction`` > 0) or shorter, as the arrow keys ask."""
        if direction > 0:
            later = [c for c in self._choices if c > self._minutes + _SAME]
            target = later[0] if later else None
        else:
            earlier = [c for c in self._choices if c < self._minutes - _SAME]
            target = earlier[-1] if earlier else None
        if target is not None:
            self._choose(target)

    # ------------------------------------------------------------------ reading

    def minutes(self) -> float:
        """The length on show, in minutes; 0 before any choices were set."""
        return self._minutes if self._choices else 0.0

    @property
    def limits(self) -> tuple[float, float] | None:
        """The shortest and longest length allowed, or None before any choices."""
        return (self._choices[0], self._choices[-1]) if self._choices else None

    def flush(self) -> None:
        """Report a length still waiting to settle now (``settled``), if there is one."""
        self._settle.stop()
        pending, self._pending = self._pending, None
        if pending is not None:
            self.settled.emit(*pending)

    # ------------------------------------------------------------------ internals

    def _nearest(self, minutes: float) -> int:
        if not self._choices:
            return 0
        return min(range(len(self._choices)), key=lambda i: abs(self._choices[i] - minutes))

    def _choose(self, minutes: float) -> None:
        self.set_minutes(minutes)
        self._show_problem("")
        self.minutes_changed.emit(minutes)
        self._pending = (self._owner, minutes)
        self._settle.start()

    def _on_slider(self, value: int) -> None:
        if not self._updating and self._choices:
            self._choose(self._choices[value])

    def _on_typed(self) -> None:
        self._read_typed()
        self.typed_entered.emit()

    def _read_typed(self) -> None:
        text = self.typed.text().strip()
        if not text or (limits := self.limits) is None:
            self._show_problem("")
            return
        result = parse_length(text, *limits)
        if isinstance(result, str):
            self._show_problem(result[:1].upper() + result[1:] + ".")
            return
        self.typed.clear()
        self._choose(result)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # The typed length never traps the keyboard: Esc gives up what was typed, and
        # Up or Down go back to choosing a routine.
        if watched is self._typed and isinstance(event, QKeyEvent):
            leaving = (Qt.Key.Key_Escape, Qt.Key.Key_Up, Qt.Key.Key_Down)
            if event.type() == QEvent.Type.KeyPress and event.key() in leaving:
                if event.key() == Qt.Key.Key_Escape:
                    self.typed.clear()
                    self._show_problem("")
                self.typing_left.emit()
                return True
        return super().eventFilter(watched, event)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.flush()  # a session starts or the window closes: keep the length now
        super().hideEvent(event)
