"""The voice as the person sets it: mute, how much the coach says, speed, the voice
dialog, and the line saying why the voice is off.

``VoiceSettings`` is the one owner of mute: the saved setting, a ``--mute`` for this
run only, and what the coach is told.  It keeps choices in the settings, passes them
to the coach (when there is one) and reports by signal what the window shows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from facegym_desktop.ui.actions import VERBOSITY_ACTIONS, ActionId
from facegym_desktop.ui.settings_store import SettingsStore

if TYPE_CHECKING:
    from facegym_desktop.speech.voice_choice import VoiceChoice
    from facegym_desktop.ui.ports import CoachPort
    from facegym_desktop.ui.theme import Theme
    from facegym_desktop.ui.voice_dialog import VoiceDialog

NOTICE_SOURCE = "voice"  # the start screen's notice slot for the voice-off reason
MUTED_NOTICE = "Voice muted. Press M to unmute."
DIALOG_PAUSE_REASON = "Paused while you choose a voice. Press Space to go on."
NO_COACH_REASON = "The voice is off for this run, so there is nothing to choose."
UNKNOWN_OFF_REASON = "Voice off: the speech engine stopped. It restarts by itself shortly."


class VoiceSettings(QObject):
    """Mute, verbosity, speed and voice, kept in ``store`` and passed to the coach.

    Signals: ``muted_changed(bool)``; ``voice_notice_changed(str)`` with the coach's
    reason the voice is off ("" once it works again); ``session_notice_changed(str)``
    with the session screen's voice line; ``session_pause_requested(reason)`` just
    before the voice dialog opens, so a running session can wait.
    """

    muted_changed = Signal(bool)
    voice_notice_changed = Signal(str)
    session_notice_changed = Signal(str)
    session_pause_requested = Signal(str)

    def __init__(
        self, store: SettingsStore, coach: CoachPort | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._coach = coach
        self._window = parent
        self._muted_for_run = False  # --mute: quiet for this run, the setting untouched
        self._voice_notice = ""
        self._dialog: VoiceDialog | None = None

    # ------------------------------------------------------------------ actions

    def action_slots(self, theme: Callable[[], Theme]) -> dict[ActionId, Callable[[], object]]:
        """What the voice menu's actions do; ``theme`` gives the dialog its colours."""
        slots: dict[ActionId, Callable[[], object]] = {
            ActionId.MUTE: self.toggle_mute,
            ActionId.FASTER: partial(self.change_rate, +1),
            ActionId.SLOWER: partial(self.change_rate, -1),
            ActionId.VOICE_DIALOG: lambda: self.open_dialog(theme()),
        }
        for level, action_id in VERBOSITY_ACTIONS.items():
            slots[action_id] = partial(self.set_verbosity, level)
        return slots

    def check_marks(self) -> list[tuple[ActionId, bool, SignalInstance | None]]:
        """Each checkable voice action, ticked or not now, and the signal that changes it."""
        verbosity = self._store.settings.verbosity
        marks: list[tuple[ActionId, bool, SignalInstance | None]] = [
            (ActionId.MUTE, self.muted, self.muted_changed)
        ]
        marks += [(a, level == verbosity, None) for level, a in VERBOSITY_ACTIONS.items()]
        return marks

    # ------------------------------------------------------------------ coach

    @property
    def coach(self) -> CoachPort | None:
        """The coach spoken through; None while it is starting or when there is no voice."""
        return self._coach

    def attach_coach(self, coach: CoachPort | None) -> None:
        """Speak through ``coach`` from now on (the app starts it after the first frame)."""
        self._coach = coach
        if coach is not None and self.muted:
            coach.set_muted(True)

    # ------------------------------------------------------------------ mute

    @property
    def muted(self) -> bool:
        """True when nothing is said: muted in the settings or for this run."""
        return self._store.settings.muted or self._muted_for_run

    def mute_for_this_run(self) -> None:
        """Quiet until the person unmutes (``--mute``); the saved setting is left alone."""
        self._muted_for_run = True
        self._set_coach_muted()

    def toggle_mute(self) -> None:
        """The person's choice (the M key): saved, and it replaces a mute for this run."""
        muted = not self.muted
        self._muted_for_run = False
        self._store.update(muted=muted)
        self._set_coach_muted()

    def _set_coach_muted(self) -> None:
        if self._coach is not None:
            self._coach.set_muted(self.muted)
        self.muted_changed.emit(self.muted)
        self.session_notice_changed.emit(self.session_notice)

    # ------------------------------------------------------------------ notices

    @property
    def voice_notice(self) -> str:
        """The coach's one line on why the voice is off; "" while it works."""
        return self._voice_notice

    @property
    def session_notice(self) -> str:
        """The session screen's voice line: why the voice is off, or that it is muted."""
        return self._voice_notice or (MUTED_NOTICE if self.muted else "")

    def set_voice_notice(self, text: str) -> None:
        """The coach's reason the voice is off, replacing the last one; "" clears it."""
        self._voice_notice = text
        self.voice_notice_changed.emit(text)
        self.session_notice_changed.emit(self.session_notice)

    # ------------------------------------------------------------------ what and how fast

    def set_verbosity(self, level: str) -> None:
        """How much the coach says: one of ``core.settings.VERBOSITY_LEVELS``."""
        if self._coach is not None:
            self._coach.set_verbosity(level)
        self._store.update(verbosity=level)

    # The voice helpers are imported when first used: the start screen needs none of
    # them, and start-up time is budgeted.

    def change_rate(self, steps: int) -> None:
        """Faster (positive ``steps``) or slower by whole rate steps, within the limits."""
        from facegym_desktop.speech.voice_choice import RATE_STEP, clamp_rate

        rate = clamp_rate(self._store.settings.voice_rate + steps * RATE_STEP)
        if self._coach is not None:
            self._coach.set_rate(rate)
        self._store.update(voice_rate=rate)

    @property
    def voice_choice(self) -> VoiceChoice:
        """The saved voice, speed and volume."""
        from facegym_desktop.speech.voice_choice import VoiceChoice

        settings = self._store.settings
        return VoiceChoice(settings.voice_id, settings.voice_rate, settings.voice_volume)

    # ------------------------------------------------------------------ the dialog

    @property
    def dialog(self) -> VoiceDialog | None:
        """The voice dialog while it is open."""
        return self._dialog

    def open_dialog(self, theme: Theme) -> None:
        """Voice, speed and volume, with a sample to try; kept only on OK.

        A dialog already open is raised instead.  A running session is asked to pause
        (``session_pause_requested``) first.
        """
        from PySide6.QtCore import QLocale

        from facegym_desktop.ui.voice_dialog import VoiceDialog

        if self._dialog is not None:
            self._dialog.raise_()
            return
        self.session_pause_requested.emit(DIALOG_PAUSE_REASON)
        saved = self.voice_choice
        dialog = VoiceDialog(
            saved,
            self._coach.voices if self._coach is not None else list,
            system_locale=QLocale.system().name(),
            unavailable_reason=self.voice_off_reason(),
            theme=theme,
            parent=self._window,
        )
        dialog.preview_requested.connect(self._try_voice)
        dialog.finished.connect(lambda result: self._dialog_closed(dialog, saved, result))
        self._dialog = dialog
        dialog.open()

    def voice_off_reason(self) -> str:
        """Why there is no voice to choose; "" when the coach is working or starting."""
        from facegym_desktop.speech.base import SpeechState  # loaded with the coach

        if self._coach is None:
            return NO_COACH_REASON
        problem = self._coach.problem
        if problem is not None and problem.voice_off:
            return problem.notice
        if self._coach.state == SpeechState.OFF:
            return UNKNOWN_OFF_REASON
        return ""

    def _apply_voice(self, choice: VoiceChoice) -> None:
        if self._coach is not None:
            self._coach.configure(choice.voice_id or None, choice.rate, choice.volume)

    def _try_voice(self, choice: VoiceChoice) -> None:
        from facegym_desktop.speech.voice_choice import SAMPLE_PHRASE

        if self._coach is None:
            return
        self._apply_voice(choice)
        why = self.voice_off_reason()
        if why and self._dialog is not None:
            # Nothing can play: say so where the person pressed Try it.
            self._dialog.status.setText(why)
            return
        self._coach.say_sample(SAMPLE_PHRASE)

    def _dialog_closed(self, dialog: VoiceDialog, saved: VoiceChoice, result: int) -> None:
        from PySide6.QtWidgets import QDialog  # loaded with the dialog, not at start-up

        self._dialog = None
        dialog.deleteLater()
        if result != QDialog.DialogCode.Accepted:
            if dialog.tried:
                self._apply_voice(saved)  # undo what Try it changed
            return
        chosen = dialog.choice().clamped()
        self._apply_voice(chosen)
        self._store.update(
            voice_id=chosen.voice_id, voice_rate=chosen.rate, voice_volume=chosen.volume
        )
