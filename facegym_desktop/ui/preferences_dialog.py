"""The settings dialog (Ctrl+,): every declared setting, grouped, applied at once.

Each setting of ``core.settings.DECLARED`` gets an editor (``setting_editors``; the
session length kept per routine ``remembered_lengths``), in a group: the voice, the
session, the look, the history, and "More" for any setting no group names.  A change
is applied the moment it is made, through the units that own it, so the window
follows without a restart: the theme and the mirror through ``ViewSettings``, mute
and how much the coach says through ``VoiceSettings`` (and its menu entries), voice,
speed and volume through the coach; the rest is saved in the ``SettingsStore`` (the
preparation and the pause between moves reach the start screen's preview and the
next session's plan from there).  The dialog listens to the store, so a change made
elsewhere (a menu key, the voice dialog, the start screen keeping a length) shows
here at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.setting_kinds import MinutesSetting, Setting
from facegym_desktop.core.settings import DECLARED, SETTINGS, Settings
from facegym_desktop.ui.actions import ACTIONS, VERBOSITY_ACTIONS
from facegym_desktop.ui.questions import ask
from facegym_desktop.ui.remembered_lengths import RememberedLengthsEditor
from facegym_desktop.ui.setting_editors import (
    BoolEditor,
    ChoiceEditor,
    SettingEditor,
    TextEditor,
    editor_for,
)
from facegym_desktop.ui.theme import DARK, LIGHT, Theme, on_accent
from facegym_desktop.ui.view_settings import FOLLOW_DESKTOP

if TYPE_CHECKING:
    from facegym_desktop.ui.main_window import MainWindow

VOICE_GROUP = "Voice"  # also holds the voice's status line, Choose a voice and Try it
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (VOICE_GROUP, ("muted", "voice_id", "voice_rate", "voice_volume", "verbosity")),
    ("Session", ("last_routine", "prep_seconds", "pause_seconds", "minutes_by_routine")),
    ("Look", ("theme", "mirror")),
    ("History", ("rest_days_per_week",)),
    # Reminders run only while the app does, so starting with the desktop goes with them.
    ("Reminders", ("reminder_times", "remind_extended", "autostart")),
)
"""The groups in the order shown, each with its settings' keys in the order shown
(a key nothing declares yet is left out)."""
MORE_GROUP = "More"  # every declared setting no group names, in declaration order

THEME_LABELS = {FOLLOW_DESKTOP: "Light or dark like the desktop", "light": "Light", "dark": "Dark"}
FIRST_ROUTINE_LABEL = "The first routine in the list"
DEFAULT_VOICE_LABEL = "The speech engine's default voice"
VOICE_KEYS = ("voice_id", "voice_rate", "voice_volume")
VOICE_ON = "The voice is on."
VOICE_STARTING = "The voice is starting; Try it speaks once it is ready."
VOICE_STARTING_STATE = "starting"  # speech.base.SpeechState.STARTING, not loaded here
NO_VOICE = "There is no voice in this run; captions show every cue."
VOICE_MUTED = "The voice is muted; captions still show every cue."


def grouped(declared: tuple[Setting[Any], ...] = DECLARED) -> list[tuple[str, list[str]]]:
    """(group title, keys) in the order shown: every declared key exactly once.

    Keys a group names but nothing declares are left out; declared keys no group
    names go to :data:`MORE_GROUP`, which is left out when empty.
    """
    keys = [setting.key for setting in declared]
    groups = [(title, [k for k in names if k in keys]) for title, names in GROUPS]
    named = {key for _title, names in groups for key in names}
    groups.append((MORE_GROUP, [key for key in keys if key not in named]))
    return [(title, names) for title, names in groups if names]


def theme_steps(current: str, follows_desktop: bool, wanted: str) -> list[str]:
    """The view toggles ("follow", "dark") that take the theme from ``current`` (the
    colours in use, "light" or "dark") to the ``wanted`` setting, in order."""
    if wanted == FOLLOW_DESKTOP:
        return [] if follows_desktop else ["follow"]
    steps = ["follow"] if follows_desktop else []  # keeps the colours in use, by hand
    return steps + (["dark"] if current != wanted else [])


class PreferencesDialog(QDialog):
    """The settings of ``window`` (its store, view and voice settings), edited live.

    ``editors`` maps each declared key to its editor; ``status`` is the voice's line.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle("Settings")
        self._window = window
        self._store = window.store
        self.confirm: Callable[[str, str], bool] = lambda title, text: ask(self, title, text)
        self.editors: dict[str, SettingEditor] = {}
        self.group_boxes: dict[str, QGroupBox] = {}
        self._help_labels: list[QLabel] = []
        self._labels: list[QLabel] = []
        self._tall_labels: list[tuple[QLabel, SettingEditor]] = []

        self.status = QLabel()
        self.status.setAccessibleName("Voice status")
        self.status.setWordWrap(True)
        self.choose_voice_button = QPushButton("Choose a voice…")
        self.choose_voice_button.setAutoDefault(False)
        self.choose_voice_button.clicked.connect(self._choose_voice)
        self.try_button = QPushButton("&Try it")
        self.try_button.setAccessibleName("Try the voice")
        self.try_button.setAutoDefault(False)
        self.try_button.clicked.connect(self.try_voice)

        content = QWidget()
        column = QVBoxLayout(content)
        column.setSpacing(12)
        grids = []
        for title, keys in grouped():
            box = self._group(title, keys)
            grids.append(box.layout())
            column.addWidget(box)
        label_width = max((label.sizeHint().width() for label in self._labels), default=0)
        for grid in grids:
            if isinstance(grid, QGridLayout):
                grid.setColumnMinimumWidth(0, label_width)  # the fields line up across groups
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.restore_button = QPushButton("Restore defaults")
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore_defaults)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)

        self._store.add_listener(self._on_settings)
        self.destroyed.connect(lambda: self._store.remove_listener(self._on_settings))
        window.view_settings.theme_changed.connect(self.set_theme)
        window.voice.voice_notice_changed.connect(lambda _text: self._show_status())
        window.voice.muted_changed.connect(lambda _muted: self._show_status())
        self.set_theme(window.theme)
        self.refresh()
        self.resize(640, 540)  # fits 1024x600 with the title bar; the groups scroll

    # ------------------------------------------------------------------ building

    def _group(self, title: str, keys: list[str]) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        voice_group = title == VOICE_GROUP
        row = 0
        if voice_group:
            grid.addWidget(self.status, 0, 0, 1, 2)
            row = 1
        for key in keys:
            setting = SETTINGS[key]
            editor = self._editor(setting)
            editor.edited.connect(lambda value, k=key: self.apply(k, value))
            self.editors[key] = editor
            help_label = QLabel(setting.help)
            help_label.setWordWrap(True)
            self._help_labels.append(help_label)
            if row:
                grid.setRowMinimumHeight(row, 8)  # room above each setting but the first
                row += 1
            if not isinstance(editor, BoolEditor):  # a check box carries its own label
                label = QLabel(setting.label)
                label.setBuddy(editor.field)
                self._labels.append(label)
                if editor.tall:  # beside its first line (the remembered lengths' rows)
                    self._tall_labels.append((label, editor))
                    grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
                else:
                    grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
            grid.addWidget(help_label, row + 1, 1)
            row += 2
        if voice_group:
            buttons = QHBoxLayout()
            buttons.setContentsMargins(0, 10, 0, 0)
            buttons.setSpacing(8)
            buttons.addWidget(self.choose_voice_button)
            buttons.addWidget(self.try_button)
            buttons.addStretch(1)
            grid.addLayout(buttons, row, 1)
        self.group_boxes[title] = box
        return box

    def _editor(self, setting: Setting[Any]) -> SettingEditor:
        if setting.key == "theme":
            return ChoiceEditor(setting, list(THEME_LABELS.items()))
        if setting.key == "verbosity":
            levels = [(level, ACTIONS[a].text) for level, a in VERBOSITY_ACTIONS.items()]
            return ChoiceEditor(setting, levels)
        if setting.key == "last_routine":
            routines = [(r.id, r.name) for r in self._window.library.sorted_routines()]
            return ChoiceEditor(setting, [("", FIRST_ROUTINE_LABEL), *routines])
        if isinstance(setting, MinutesSetting):
            # Read when the rows are made: the library changes as routines are saved.
            return RememberedLengthsEditor(setting, lambda: self._window.library.sorted_routines())
        editor = editor_for(setting)
        if setting.key == "voice_id" and isinstance(editor, TextEditor):
            editor.line.setPlaceholderText(DEFAULT_VOICE_LABEL)
        return editor

    def set_theme(self, theme: Theme) -> None:
        """Colours from ``theme``: a palette for the fields, so each keeps its own look."""
        palette = QPalette()
        roles = QPalette.ColorRole
        for role, colour in (
            (roles.Window, theme.background),
            (roles.WindowText, theme.text),
            (roles.Base, theme.surface),
            (roles.AlternateBase, theme.background),
            (roles.Text, theme.text),
            (roles.Button, theme.surface),
            (roles.ButtonText, theme.text),
            (roles.PlaceholderText, theme.text_muted),
            (roles.ToolTipBase, theme.surface),
            (roles.ToolTipText, theme.text),
            (roles.Highlight, theme.pressure["medium"]),
            (roles.HighlightedText, on_accent(theme)),
        ):
            palette.setColor(role, QColor(colour))
        for role in (roles.WindowText, roles.Text, roles.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.text_muted))
        self.setPalette(palette)
        # Style sheets would stop the palette reaching the fields: the quieter lines
        # get a palette of their own instead.
        for label, colour in self._tinted_labels(theme):
            tinted = QPalette(palette)
            tinted.setColor(roles.WindowText, QColor(colour))
            label.setPalette(tinted)

    def _tinted_labels(self, theme: Theme) -> list[tuple[QLabel, str]]:
        labels = [(label, theme.text_muted) for label in self._help_labels]
        labels += [
            (editor.note, theme.text_muted)
            for editor in self.editors.values()
            if isinstance(editor, RememberedLengthsEditor)
        ]
        labels += [
            (editor.problem, theme.caution)
            for editor in self.editors.values()
            if isinstance(editor, TextEditor)
        ]
        return labels

    # ------------------------------------------------------------------ showing

    def editor(self, key: str) -> SettingEditor:
        """The editor of the declared setting ``key``; KeyError for an unknown key."""
        return self.editors[key]

    def refresh(self) -> None:
        """Show the settings as they are now in every editor, and the voice's status."""
        self._on_settings(self._store.settings)

    def _on_settings(self, settings: Settings) -> None:
        for key, editor in self.editors.items():
            editor.set_value(getattr(settings, key))
        for label, editor in self._tall_labels:
            label.setFixedHeight(editor.first_line_height())
        self._show_status()

    def _show_status(self) -> None:
        voice = self._window.voice
        reason = voice.voice_off_reason() if voice.coach is not None else NO_VOICE
        if reason:
            text = reason
        elif voice.coach is not None and voice.coach.state == VOICE_STARTING_STATE:
            text = VOICE_STARTING
        else:
            text = VOICE_MUTED if voice.muted else VOICE_ON
        self.status.setText(text)
        self.try_button.setEnabled(not reason)

    # ------------------------------------------------------------------ changing

    def apply(self, key: str, value: Any) -> None:
        """Make ``value`` the setting ``key`` now, through the unit that owns it.

        ``value`` must be allowed (``SETTINGS[key].check(value)`` is None): editors
        report only allowed values.
        """
        view, voice = self._window.view_settings, self._window.voice
        if key == "theme":
            self._set_theme(value)
        elif key == "mirror":
            if value != view.mirrored:
                view.toggle_mirror()
        elif key == "muted":
            if value != voice.muted:
                voice.toggle_mute()  # also clears a mute for this run only
            self._store.update(muted=value)
        elif key == "verbosity":
            # The menu entry tells the voice and ticks itself; the voice alone would not.
            self._window.action_table[VERBOSITY_ACTIONS[value]].trigger()
        elif key in VOICE_KEYS:
            self._store.update(**{key: value})
            settings, coach = self._store.settings, voice.coach
            if coach is not None:
                rate, volume = settings.voice_rate, settings.voice_volume
                coach.configure(settings.voice_id or None, rate, volume)
        else:
            self._store.update(**{key: value})

    def _set_theme(self, wanted: str) -> None:
        view = self._window.view_settings
        if wanted not in (FOLLOW_DESKTOP, LIGHT.name, DARK.name):
            self._store.update(theme=wanted)  # a look the view cannot reach by its toggles
            return
        for step in theme_steps(view.theme.name, view.follows_desktop, wanted):
            if step == "follow":
                view.toggle_follow_desktop()
            else:
                view.toggle_dark()

    def reject(self) -> None:  # Close, Esc and the title bar's close
        for editor in self.editors.values():
            editor.commit()  # a valid value typed just before closing is kept
            if (problem := editor.unapplied_problem()) and not self.confirm(
                "Close without it?",
                f"{editor.setting.label}: {problem}. What is typed there is not kept. "
                "Close anyway?",
            ):
                editor.field.setFocus()
                return
        super().reject()

    def restore_defaults(self) -> None:
        """Every declared setting back to its default, applied as if chosen here."""
        for setting in DECLARED:
            default = setting.normal(setting.default)
            if getattr(self._store.settings, setting.key) != default:
                self.apply(setting.key, default)
        self.refresh()

    def values(self) -> Mapping[str, Any]:
        """What every editor shows, by key (the dialog's view of the settings)."""
        return {key: editor.value() for key, editor in self.editors.items()}

    def try_voice(self) -> None:
        """Speak a sample with the voice, speed and volume in use (even when muted)."""
        from facegym_desktop.speech.voice_choice import SAMPLE_PHRASE

        coach = self._window.voice.coach
        if coach is not None:
            coach.say_sample(SAMPLE_PHRASE)

    def _choose_voice(self) -> None:
        self._window.voice.open_dialog(self._window.theme)


def open_preferences(window: MainWindow) -> PreferencesDialog:
    """Show ``window``'s settings dialog, made on first use and raised when open."""
    dialog = window.findChild(PreferencesDialog)
    if not isinstance(dialog, PreferencesDialog):
        dialog = PreferencesDialog(window)
    dialog.refresh()
    if dialog.isVisible():
        dialog.raise_()  # open behind the window: bring it to the front
    dialog.show()
    dialog.activateWindow()
    return dialog
