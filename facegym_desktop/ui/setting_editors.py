"""An editor widget for any declared setting, chosen by the declaration's type.

``editor_for(setting)`` gives a check box for a ``BoolSetting``, a spin box for an
``IntSetting`` or ``FloatSetting`` (range, step and unit from the declaration), a
spin box whose lowest stop reads "Routine's own" for an ``OptionalSecondsSetting``, a
combo box for a ``ChoiceSetting``, and for every other type (text, a JSON list or
object, a type declared later) a line edit that reads and writes the value with the
declaration's own ``parse`` and ``format`` and shows why a value is not allowed.

Every editor reports only allowed values, by ``edited(value)``, and shows a value
given to ``set_value`` quietly, so a dialog can refresh it from the settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.setting_kinds import (
    BoolSetting,
    ChoiceSetting,
    FloatSetting,
    IntSetting,
    OptionalSecondsSetting,
    Setting,
    SettingValueError,
)

ROUTINE_OWN_TEXT = "Routine's own"  # the optional seconds' lowest stop: the routine decides


class SettingEditor(QWidget):
    """The editor of one declared ``setting``; ``edited(value)`` for each allowed change.

    ``field`` is the input widget (named and given the help as its tooltip); ``body``
    what is laid out, when more than the field (a field with a line under it).
    """

    edited = Signal(object)
    tall = False  # True: more than a line high, its label goes beside its first line

    def __init__(
        self,
        setting: Setting[Any],
        field: QWidget,
        body: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setting = setting
        self.field = field
        self.field.setAccessibleName(setting.label)
        self.field.setToolTip(f"{setting.help}\nAllowed: {setting.allowed}.")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(body or field, 1)
        self._quiet = False
        self.guard_wheel(self.field)

    def guard_wheel(self, widget: QWidget) -> None:
        """Let the wheel change ``widget``'s value only while it has the keyboard focus.

        The wheel scrolls the dialog; it changes a value only in the field that has
        the keyboard focus (clicked or tabbed to), never one the pointer passes over.
        """
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Only the widgets guard_wheel was given are watched.
        wheel = event.type() == QEvent.Type.Wheel
        if wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            area = self._scroll_area()
            if area is not None:  # scroll the page the field sits on instead
                QCoreApplication.sendEvent(area.viewport(), event)
            return True
        return super().eventFilter(watched, event)

    def _scroll_area(self) -> QAbstractScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        return parent

    def first_line_height(self) -> int:
        """The height of the editor's first line, in pixels (its label is as high)."""
        return self.sizeHint().height()

    def value(self) -> Any:
        """The value the editor shows, in the form ``Settings`` holds."""
        raise NotImplementedError

    def commit(self) -> None:
        """Apply what is typed but not yet finished (a field applies it on Enter or on
        leaving it); the others apply each change at once."""

    def unapplied_problem(self) -> str:
        """Why what is typed in the editor cannot be applied ("" when nothing waits)."""
        return ""

    def set_value(self, value: Any) -> None:
        """Show ``value`` without reporting it as edited."""
        self._quiet = True
        try:
            self._show(value)
        finally:
            self._quiet = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _report(self, *_args: object) -> None:
        if not self._quiet:
            value = self.value()
            if self.setting.check(value) is None:
                self.edited.emit(value)


class BoolEditor(SettingEditor):
    """A check box, labelled with the setting's label."""

    def __init__(self, setting: BoolSetting, parent: QWidget | None = None) -> None:
        self.box = QCheckBox(setting.label)
        super().__init__(setting, self.box, parent=parent)
        self.box.toggled.connect(self._report)

    def value(self) -> bool:
        return self.box.isChecked()

    def _show(self, value: Any) -> None:
        self.box.setChecked(bool(value))


class IntEditor(SettingEditor):
    """A whole-number spin box over the declared range and step, with the unit after."""

    def __init__(self, setting: IntSetting, parent: QWidget | None = None) -> None:
        self.spin = QSpinBox()
        self.spin.setRange(setting.minimum, setting.maximum)
        self.spin.setSingleStep(setting.step)
        if setting.unit:
            self.spin.setSuffix(f" {setting.unit}")
        self.spin.setKeyboardTracking(False)  # typed digits count once the person is done
        super().__init__(setting, self.spin, parent=parent)
        self.spin.valueChanged.connect(self._report)

    def value(self) -> int:
        return self.spin.value()

    def _show(self, value: Any) -> None:
        self.spin.setValue(int(value))


class OptionalSecondsEditor(SettingEditor):
    """A spin box in seconds over the declared range; one stop below the range reads
    :data:`ROUTINE_OWN_TEXT` and stands for None (the routine's own value)."""

    def __init__(self, setting: OptionalSecondsSetting, parent: QWidget | None = None) -> None:
        self.spin = QSpinBox()
        self._own = setting.minimum - 1  # the stop that shows the special text
        self.spin.setRange(self._own, setting.maximum)
        self.spin.setSpecialValueText(ROUTINE_OWN_TEXT)
        self.spin.setSuffix(" s")
        self.spin.setKeyboardTracking(False)
        super().__init__(setting, self.spin, parent=parent)
        self.spin.valueChanged.connect(self._report)

    def value(self) -> int | None:
        number = self.spin.value()
        return None if number == self._own else number

    def _show(self, value: Any) -> None:
        self.spin.setValue(self._own if value is None else int(value))


def decimals_for(step: float) -> int:
    """How many decimals show a value moved in ``step``s: 2 for 0.05, 0 for 5."""
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


class FloatEditor(SettingEditor):
    """A decimal spin box over the declared range, moved in the declared step; a
    percentage (``FloatSetting.percent``) in percent."""

    def __init__(self, setting: FloatSetting, parent: QWidget | None = None) -> None:
        # A percentage shows the value times 100 with "%" after it (0.9 as 90%).
        self._scale = 100 if setting.percent else 1
        self.spin = QDoubleSpinBox()
        self.spin.setDecimals(decimals_for(setting.step * self._scale))
        self.spin.setRange(setting.minimum * self._scale, setting.maximum * self._scale)
        self.spin.setSingleStep(setting.step * self._scale)
        if setting.percent:
            self.spin.setSuffix("%")
        self.spin.setKeyboardTracking(False)
        super().__init__(setting, self.spin, parent=parent)
        self.spin.valueChanged.connect(self._report)

    def value(self) -> float:
        # 85 / 100 is the float nearest 0.85, so a percentage comes back as it was stored.
        return round(self.spin.value(), self.spin.decimals()) / self._scale

    def _show(self, value: Any) -> None:
        self.spin.setValue(float(value) * self._scale)


class ChoiceEditor(SettingEditor):
    """A combo box of ``choices``, (value, label) pairs in the order offered."""

    def __init__(
        self,
        setting: Setting[Any],
        choices: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        self.combo = QComboBox()
        for value, label in choices:
            self.combo.addItem(label, value)
        super().__init__(setting, self.combo, parent=parent)
        self.combo.currentIndexChanged.connect(self._report)

    def value(self) -> str:
        return str(self.combo.currentData())

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0:  # a value the list lacks (a routine since removed) stands for itself
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)


class TextEditor(SettingEditor):
    """A line edit read with the declaration's ``parse``; a value it does not allow
    shows the reason under the field (``problem``) and is not reported."""

    def __init__(self, setting: Setting[Any], parent: QWidget | None = None) -> None:
        self.line = QLineEdit()
        self.line.setPlaceholderText(f"Allowed: {setting.allowed}")
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.line)
        column.addWidget(self.problem)
        super().__init__(setting, self.line, body, parent)
        self.line.editingFinished.connect(self._report)
        self.line.textEdited.connect(lambda _text: self._show_problem(self._problem_now()))

    def value(self) -> Any:
        try:
            return self.setting.parse(self.line.text())
        except SettingValueError:
            return None  # not allowed: check() refuses it, so nothing is reported

    def _problem_now(self) -> str:
        try:
            self.setting.parse(self.line.text())
        except SettingValueError as error:
            return str(error)
        return ""

    def commit(self) -> None:
        self._report()

    def unapplied_problem(self) -> str:
        return self._problem_now()

    def _report(self, *_args: object) -> None:
        problem = self._problem_now()
        self._show_problem(problem)
        if not problem:
            super()._report()

    def _show(self, value: Any) -> None:
        self.line.setText(self.setting.format(value))
        self._show_problem("")

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


def editor_for(setting: Setting[Any]) -> SettingEditor:
    """The editor for ``setting``, chosen by its declaration type (see the module)."""
    if isinstance(setting, BoolSetting):
        return BoolEditor(setting)
    if isinstance(setting, IntSetting):
        return IntEditor(setting)
    if isinstance(setting, FloatSetting):
        return FloatEditor(setting)
    if isinstance(setting, OptionalSecondsSetting):
        return OptionalSecondsEditor(setting)
    if isinstance(setting, ChoiceSetting):
        return ChoiceEditor(setting, [(choice, choice) for choice in setting.choices])
    return TextEditor(setting)
