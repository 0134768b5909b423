"""The voice dialog: pick the coach's voice, speed and volume, and try them out.

Voices come from the speech engine, which may still be starting when the dialog
opens; the dialog asks ``voices_source`` again until it has them.  "Try it" asks the
window to speak a sample with the choices on screen; nothing is kept unless the
person presses OK.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from facegym_desktop.core.settings import VOICE_VOLUME
from facegym_desktop.speech.base import VoiceInfo
from facegym_desktop.speech.voice_choice import (
    FASTEST_RATE,
    SLOWEST_RATE,
    VoiceChoice,
    matches,
    ordered_voices,
    voice_label,
)
from facegym_desktop.ui.screen_fit import fit_to_screen, wrap_notice
from facegym_desktop.ui.theme import LIGHT, Theme, on_accent

DEFAULT_VOICE_LABEL = "The speech engine's default voice"
POLL_MS = 300  # how often to ask for voices while the engine is starting
_ROLE_ID = Qt.ItemDataRole.UserRole
_LIST_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class VoiceDialog(QDialog):
    """Signals: ``preview_requested(VoiceChoice)`` when the person presses Try it."""

    preview_requested = Signal(object)

    def __init__(
        self,
        choice: VoiceChoice,
        voices_source: Callable[[], Sequence[VoiceInfo]],
        *,
        system_locale: str = "",
        unavailable_reason: str = "",
        theme: Theme = LIGHT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Voice, speed and volume")
        self.setObjectName("voiceDialog")
        self._initial = choice.clamped()
        self._voices_source = voices_source
        self._system_locale = system_locale
        self._voices: list[VoiceInfo] = []
        self._chosen_id = self._initial.voice_id  # follows the person's picks, not filtering
        self._filling = False
        self.tried = False  # Try it was pressed: the coach may hold unsaved choices
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._load_voices)
        self._build(theme, unavailable_reason)
        if not self._load_voices() and not unavailable_reason:
            self._poll.start()

    # ------------------------------------------------------------------ building

    def _build(self, theme: Theme, unavailable_reason: str) -> None:
        self.status = QLabel(unavailable_reason or "Looking for voices…")
        self.status.setAccessibleName("Voice status")
        wrap_notice(self.status)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a voice or language")
        self.search.setAccessibleName("Find a voice")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._fill_list)
        self.search.installEventFilter(self)  # arrow keys move through the list

        self.voice_list = QListWidget()
        self.voice_list.setAccessibleName("Voices")
        self.voice_list.setMinimumHeight(240)
        self.voice_list.currentItemChanged.connect(self._on_current_changed)

        self.rate_slider = QSlider(Qt.Orientation.Horizontal)
        self.rate_slider.setAccessibleName("Speed")
        self.rate_slider.setRange(SLOWEST_RATE, FASTEST_RATE)
        self.rate_slider.setSingleStep(5)
        self.rate_slider.setPageStep(15)
        self.rate_label = QLabel()
        self.rate_slider.valueChanged.connect(self._show_rate)
        self.rate_slider.setValue(self._initial.rate)

        self.volume_slider = QSlider(Qt.Orientation.Horizontal)
        self.volume_slider.setAccessibleName("Volume")
        lowest, highest = VOICE_VOLUME.minimum, VOICE_VOLUME.maximum  # in percent here
        self.volume_slider.setRange(round(lowest * 100), round(highest * 100))
        self.volume_slider.setSingleStep(round(VOICE_VOLUME.step * 100))
        self.volume_slider.setPageStep(2 * round(VOICE_VOLUME.step * 100))
        self.volume_label = QLabel()
        self.volume_slider.valueChanged.connect(self._show_volume)
        self.volume_slider.setValue(round(self._initial.volume * 100))

        self.try_button = QPushButton("&Try it")
        self.try_button.setAccessibleName("Try the voice")
        self.try_button.setAutoDefault(False)
        self.try_button.clicked.connect(self._try)
        self.try_button.setEnabled(not unavailable_reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)

        form = QFormLayout()
        form.addRow("Speed", self.rate_slider)
        form.addRow("", self.rate_label)
        form.addRow("Volume", self.volume_slider)
        form.addRow("", self.volume_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.status)
        layout.addWidget(self.search)
        layout.addWidget(self.voice_list, 1)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.try_button)  # apart from OK and Cancel: it decides nothing
        row.addStretch(1)
        row.addWidget(buttons)
        layout.addLayout(row)
        self._fill_list()
        self.set_theme(theme)
        fit_to_screen(self, QSize(560, 560))

    def set_theme(self, theme: Theme) -> None:
        """Colours of ``theme`` (the window's theme changed while the dialog is open)."""
        self.setStyleSheet(
            f"#voiceDialog {{ background: {theme.background}; }}"
            f" QLabel {{ color: {theme.text}; }}"
            f" QListWidget, QLineEdit {{ background: {theme.surface}; color: {theme.text};"
            f"  border: 1px solid {theme.track}; border-radius: 6px; padding: 4px; }}"
            " QListWidget::item { padding: 3px 2px; }"
            f" QListWidget::item:selected {{ background: {theme.pressure['medium']};"
            f"  color: {on_accent(theme)}; }}"
            f" QPushButton {{ background: {theme.surface}; color: {theme.text};"
            f"  border: 1px solid {theme.track}; border-radius: 6px; padding: 5px 16px; }}"
            f" QPushButton:focus {{ border: 2px solid {theme.pressure['semi-firm']}; }}"
        )

    # ------------------------------------------------------------------ voices

    def _load_voices(self) -> bool:
        """Take the engine's voices if it has them; True once it has."""
        voices = list(self._voices_source())
        if not voices:
            return False
        self._poll.stop()
        self._voices = ordered_voices(voices, self._system_locale)
        self.status.setText(f"{len(self._voices)} voices. English ones come first.")
        self._fill_list()
        return True

    def _fill_list(self) -> None:
        query = self.search.text()
        entries = [("", DEFAULT_VOICE_LABEL)] if not query.strip() else []
        if not self._voices and self._chosen_id:
            # Until the engine answers, the saved voice stands for itself.
            entries.append((self._chosen_id, f"{self._chosen_id} (your saved voice)"))
        entries += [(v.id, voice_label(v)) for v in self._voices if matches(v, query)]
        self._filling = True
        self.voice_list.clear()
        current_row = 0
        for row, (voice_id, label) in enumerate(entries):
            item = QListWidgetItem(label)
            item.setData(_ROLE_ID, voice_id)
            self.voice_list.addItem(item)
            if voice_id == self._chosen_id:
                current_row = row
        if entries:
            self.voice_list.setCurrentRow(current_row)
        elif self._voices:
            hint = QListWidgetItem(f"No voice matches “{query.strip()}”.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.voice_list.addItem(hint)
        self._filling = False

    def _on_current_changed(self, item: QListWidgetItem | None) -> None:
        if item is not None and not self._filling:
            self._chosen_id = str(item.data(_ROLE_ID) or "")

    def _selected_id(self) -> str:
        """The highlighted voice (what Enter picks); the last chosen one if none is."""
        item = self.voice_list.currentItem()
        if item is None:
            return self._chosen_id
        return str(item.data(_ROLE_ID) or "")

    # ------------------------------------------------------------------ values

    def choice(self) -> VoiceChoice:
        return VoiceChoice(
            self._selected_id(),
            self.rate_slider.value(),
            self.volume_slider.value() / 100,
        )

    def _try(self) -> None:
        self.tried = True
        self.preview_requested.emit(self.choice())

    def _show_rate(self, rate: int) -> None:
        self.rate_label.setText(f"{rate} words a minute")

    def _show_volume(self, percent: int) -> None:
        self.volume_label.setText(f"{percent}%" if percent else "Silent (captions only)")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Up and Down in the search field walk the list, so typing and picking need no mouse.
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _LIST_KEYS
        ):
            forwarded = QKeyEvent(event.type(), event.key(), event.modifiers())
            self.voice_list.keyPressEvent(forwarded)
            return True
        return super().eventFilter(watched, event)

    def done(self, result: int) -> None:  # Qt override: stop asking once closed
        self._poll.stop()
        super().done(result)
