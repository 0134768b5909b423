"""The voice dialog on its own, and opened from the main window with a real coach."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from facegym_desktop.core.settings import Settings, load_settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.speech.base import VoiceInfo
from facegym_desktop.speech.coach import VoiceCoach
from facegym_desktop.speech.voice_choice import SAMPLE_PHRASE, VoiceChoice
from facegym_desktop.ui.voice_dialog import DEFAULT_VOICE_LABEL, VoiceDialog
from tests.factories import RecordingSpeaker
from tests.ui.window_driver import QUICK_ID, press, start_session

AMERICAN = VoiceInfo("gmw/en-us", "English (America)", ("en-us",))
BRITISH = VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",))
FRENCH = VoiceInfo("roa/fr", "French (France)", ("fr-fr",))
VOICES = [FRENCH, AMERICAN, BRITISH]


def make_dialog(qtbot, source: Any = None, **kwargs: Any) -> VoiceDialog:
    choice = kwargs.pop("choice", VoiceChoice("gmw/en-us", 150, 0.9))
    dialog = VoiceDialog(
        choice, source or (lambda: VOICES), system_locale=kwargs.pop("locale", "en_GB"), **kwargs
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def select(dialog: VoiceDialog, voice_id: str) -> None:
    ids = [
        dialog.voice_list.item(row).data(Qt.ItemDataRole.UserRole)
        for row in range(dialog.voice_list.count())
    ]
    dialog.voice_list.setCurrentRow(ids.index(voice_id))


def labels(dialog: VoiceDialog) -> list[str]:
    return [dialog.voice_list.item(row).text() for row in range(dialog.voice_list.count())]


def test_the_default_comes_first_then_english_and_the_saved_voice_is_selected(qtbot) -> None:
    dialog = make_dialog(qtbot)
    assert labels(dialog) == [
        DEFAULT_VOICE_LABEL,
        "English (Great Britain) · en-gb",
        "English (America) · en-us",
        "French (France) · fr-fr",
    ]
    assert dialog.choice() == VoiceChoice("gmw/en-us", 150, 0.9)
    assert dialog.rate_label.text() == "150 words a minute"
    assert dialog.volume_label.text() == "90%"


def test_typing_filters_and_arrows_pick_without_leaving_the_search(qtbot) -> None:
    dialog = make_dialog(qtbot, choice=VoiceChoice("", 150, 0.9))
    dialog.search.setFocus()
    qtbot.keyClicks(dialog.search, "english")
    assert labels(dialog) == ["English (Great Britain) · en-gb", "English (America) · en-us"]
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)
    assert dialog.search.hasFocus()
    assert dialog.choice().voice_id == "gmw/en-us"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_sliders_move_by_keyboard_and_show_their_values(qtbot) -> None:
    dialog = make_dialog(qtbot)
    dialog.rate_slider.setFocus()
    qtbot.keyClick(dialog.rate_slider, Qt.Key.Key_PageUp)
    dialog.volume_slider.setFocus()
    qtbot.keyClick(dialog.volume_slider, Qt.Key.Key_End)
    assert dialog.choice() == VoiceChoice("gmw/en-us", 165, 1.0)
    assert dialog.rate_label.text() == "165 words a minute"
    qtbot.keyClick(dialog.volume_slider, Qt.Key.Key_Home)
    assert dialog.volume_label.text() == "Silent (captions only)"


def test_voices_that_arrive_later_fill_the_list(qtbot) -> None:
    arrived: list[VoiceInfo] = []
    dialog = make_dialog(qtbot, source=lambda: arrived, choice=VoiceChoice("gmw/en", 150, 0.9))
    assert labels(dialog) == [DEFAULT_VOICE_LABEL, "gmw/en (your saved voice)"]
    assert dialog.choice().voice_id == "gmw/en"
    assert dialog.status.text() == "Looking for voices…"
    arrived.extend(VOICES)
    qtbot.waitUntil(lambda: dialog.voice_list.count() == 4, timeout=3000)
    assert dialog.choice().voice_id == "gmw/en"
    assert dialog.status.text().startswith("3 voices")


def test_without_a_speech_engine_the_reason_shows_and_try_is_off(qtbot) -> None:
    dialog = make_dialog(qtbot, source=list, unavailable_reason="The voice is off: no espeak-ng")
    assert dialog.status.text() == "The voice is off: no espeak-ng"
    assert not dialog.try_button.isEnabled()
    # The saved voice stays chosen: OK without an engine must not forget it.
    assert labels(dialog) == [DEFAULT_VOICE_LABEL, "gmw/en-us (your saved voice)"]
    assert dialog.choice().voice_id == "gmw/en-us"


def test_try_it_sends_the_choice_on_screen(qtbot) -> None:
    dialog = make_dialog(qtbot)
    dialog.voice_list.setCurrentRow(1)
    with qtbot.waitSignal(dialog.preview_requested) as signal:
        qtbot.mouseClick(dialog.try_button, Qt.MouseButton.LeftButton)
    assert signal.args == [VoiceChoice("gmw/en", 150, 0.9)]
    assert dialog.tried


# ---------------------------------------------------------------------- from the window


@pytest.fixture
def speaker() -> RecordingSpeaker:
    voiced = RecordingSpeaker()
    voiced.voice_list = list(VOICES)
    return voiced


@pytest.fixture
def voiced_window(make_window, speaker: RecordingSpeaker):
    coach = VoiceCoach(speaker)
    settings = Settings(last_routine=QUICK_ID, minutes_by_routine={QUICK_ID: 1.5})
    window = make_window(settings, coach=coach)
    yield window
    coach.close()


def open_dialog(qtbot, window) -> VoiceDialog:
    press(
        qtbot,
        window,
        Qt.Key.Key_V,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: window.voice.dialog is not None and window.voice.dialog.isVisible())
    return window.voice.dialog


def test_ok_keeps_the_choice_in_the_coach_and_the_settings(
    qtbot, voiced_window, speaker: RecordingSpeaker, data_dir: DataPaths
) -> None:
    dialog = open_dialog(qtbot, voiced_window)
    select(dialog, "gmw/en")
    dialog.volume_slider.setValue(60)
    dialog.rate_slider.setValue(180)
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.voice_list, Qt.Key.Key_Return)
    assert voiced_window.voice.dialog is None
    assert speaker.settings[-3:] == [("voice", "gmw/en"), ("rate", 180), ("volume", 0.6)]
    saved = load_settings(data_dir.settings).settings
    assert (saved.voice_id, saved.voice_rate, saved.voice_volume) == ("gmw/en", 180, 0.6)


def test_try_speaks_a_sample_and_cancel_puts_the_saved_voice_back(
    qtbot, voiced_window, speaker: RecordingSpeaker, data_dir: DataPaths
) -> None:
    voiced_window.voice.mute_for_this_run()  # a sample is asked for, so it speaks even muted
    dialog = open_dialog(qtbot, voiced_window)
    select(dialog, "roa/fr")
    dialog.volume_slider.setValue(40)
    qtbot.mouseClick(dialog.try_button, Qt.MouseButton.LeftButton)
    assert (SAMPLE_PHRASE, "high", 0.0) in speaker.said
    assert ("voice", "roa/fr") in speaker.settings
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(dialog.voice_list, Qt.Key.Key_Escape)
    assert speaker.settings[-3:] == [("voice", None), ("rate", 150), ("volume", 0.9)]
    assert (
        not data_dir.settings.exists() or load_settings(data_dir.settings).settings.voice_id == ""
    )


def test_opening_the_dialog_pauses_a_running_session(qtbot, voiced_window) -> None:
    start_session(qtbot, voiced_window)
    dialog = open_dialog(qtbot, voiced_window)
    assert voiced_window.controller.engine.state.value == "paused"
    assert "choose a voice" in (voiced_window.controller.engine.pause_reason or "")
    dialog.reject()


def test_a_search_with_no_match_says_so_and_keeps_the_choice(qtbot) -> None:
    dialog = make_dialog(qtbot)
    qtbot.keyClicks(dialog.search, "klingon")
    assert labels(dialog) == ["No voice matches “klingon”."]
    assert dialog.choice().voice_id == "gmw/en-us"
    dialog.search.clear()
    assert dialog.choice().voice_id == "gmw/en-us"


def test_a_voice_notice_waits_for_the_session_view_and_clears_when_ready(
    qtbot, make_window
) -> None:
    from facegym_desktop.ui.app import _VoiceRelay

    window = make_window()
    relay = _VoiceRelay(window.voice)
    relay.notice.emit("Voice off: espeak-ng is not installed.")
    assert "espeak-ng" in window.start_view.notice.text()
    assert window.stack.count() == 1  # no session view built just for the notice
    start_session(qtbot, window)
    assert window.session_view.notice.text() == "Voice off: espeak-ng is not installed."
    relay.state.emit("ready")
    assert window.session_view.notice.text() == ""
    assert "espeak-ng" not in window.start_view.notice.text()
