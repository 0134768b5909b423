"""The voice settings: one owner of mute, and every voice choice kept and passed on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from facegym_desktop.core.settings import Settings, load_settings
from facegym_desktop.speech.base import SpeechState, VoiceInfo
from facegym_desktop.speech.problems import PROBLEMS, ProblemKind
from facegym_desktop.speech.voice_choice import FASTEST_RATE, RATE_STEP, SAMPLE_PHRASE
from facegym_desktop.ui.settings_store import SettingsStore
from facegym_desktop.ui.theme import LIGHT
from facegym_desktop.ui.voice_settings import (
    DIALOG_PAUSE_REASON,
    MUTED_NOTICE,
    NO_COACH_REASON,
    UNKNOWN_OFF_REASON,
    VoiceSettings,
)
from tests.ui.fakes import RecordingCoach

VOICES = [VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",))]


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.json"


@pytest.fixture
def coach() -> RecordingCoach:
    return RecordingCoach(VOICES)


@pytest.fixture
def make_voice(qtbot, settings_path: Path, coach: RecordingCoach):
    def make(settings: Settings | None = None, with_coach: bool = True) -> VoiceSettings:
        window = QWidget()
        qtbot.addWidget(window)
        store = SettingsStore(settings_path, settings or Settings())
        return VoiceSettings(store, coach if with_coach else None, window)

    return make


def saved(path: Path) -> Settings:
    return load_settings(path).settings


def test_toggling_mute_tells_the_coach_saves_and_reports(
    qtbot, make_voice, coach: RecordingCoach, settings_path: Path
) -> None:
    voice = make_voice()
    assert not voice.muted
    with qtbot.waitSignal(voice.muted_changed) as changed:
        voice.toggle_mute()
    assert changed.args == [True]
    assert voice.muted and coach.muted is True
    assert saved(settings_path).muted is True
    assert voice.session_notice == MUTED_NOTICE
    voice.toggle_mute()
    assert not voice.muted and coach.muted is False
    assert saved(settings_path).muted is False
    assert voice.session_notice == ""


def test_mute_for_this_run_leaves_the_setting_until_the_person_chooses(
    qtbot, make_voice, coach: RecordingCoach, settings_path: Path
) -> None:
    voice = make_voice()
    with qtbot.waitSignal(voice.muted_changed):
        voice.mute_for_this_run()
    assert voice.muted and coach.muted is True
    assert not settings_path.exists()  # nothing saved
    voice.toggle_mute()  # the person unmutes: that is their choice, and it is kept
    assert not voice.muted and coach.muted is False
    assert saved(settings_path).muted is False


def test_a_coach_that_comes_later_starts_muted_when_muted(
    make_voice, coach: RecordingCoach
) -> None:
    voice = make_voice(Settings(muted=True), with_coach=False)
    assert voice.coach is None
    voice.attach_coach(coach)
    assert voice.coach is coach
    assert coach.muted is True


def test_the_voice_notice_is_replaced_whole_and_wins_over_muted(qtbot, make_voice) -> None:
    voice = make_voice(Settings(muted=True))
    assert voice.session_notice == MUTED_NOTICE
    with qtbot.waitSignal(voice.voice_notice_changed) as notice:
        voice.set_voice_notice("Voice off: espeak-ng is not installed.")
    assert notice.args == ["Voice off: espeak-ng is not installed."]
    with qtbot.waitSignal(voice.session_notice_changed) as shown:
        voice.set_voice_notice("Voice off: the worker stopped.")
    assert shown.args == ["Voice off: the worker stopped."]
    assert voice.voice_notice == "Voice off: the worker stopped."
    voice.set_voice_notice("")
    assert voice.session_notice == MUTED_NOTICE


def test_verbosity_and_rate_are_passed_on_and_kept(
    make_voice, coach: RecordingCoach, settings_path: Path
) -> None:
    voice = make_voice(Settings(voice_rate=FASTEST_RATE - RATE_STEP))
    voice.set_verbosity("counts")
    assert ("set_verbosity", "counts") in coach.calls
    assert saved(settings_path).verbosity == "counts"
    voice.change_rate(+1)
    voice.change_rate(+1)  # already the fastest: stays there
    assert [c for c in coach.calls if c[0] == "set_rate"] == [("set_rate", FASTEST_RATE)] * 2
    assert saved(settings_path).voice_rate == FASTEST_RATE
    voice.change_rate(-1)
    assert saved(settings_path).voice_rate == FASTEST_RATE - RATE_STEP


def test_choices_without_a_coach_are_still_kept(make_voice, settings_path: Path) -> None:
    voice = make_voice(with_coach=False)
    voice.set_verbosity("brief")
    voice.toggle_mute()
    assert (saved(settings_path).verbosity, saved(settings_path).muted) == ("brief", True)


def test_why_there_is_no_voice_to_choose(make_voice, coach: RecordingCoach) -> None:
    assert make_voice(with_coach=False).voice_off_reason() == NO_COACH_REASON
    voice = make_voice()
    assert voice.voice_off_reason() == ""
    coach.problem = PROBLEMS[ProblemKind.NO_DEVICE]
    coach.state = SpeechState.OFF
    assert voice.voice_off_reason() == PROBLEMS[ProblemKind.NO_DEVICE].notice
    assert voice.voice_off_reason().startswith("Voice off: no sound device")
    coach.problem = None
    assert voice.voice_off_reason() == UNKNOWN_OFF_REASON
    coach.state = SpeechState.READY
    coach.problem = PROBLEMS[ProblemKind.VOICE_MISSING]  # worked around: not "off"
    assert voice.voice_off_reason() == ""


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform's note
def test_the_dialog_asks_to_pause_then_try_and_cancel_put_the_saved_voice_back(
    qtbot, make_voice, coach: RecordingCoach, settings_path: Path
) -> None:
    voice = make_voice(Settings(voice_id="", voice_rate=150, voice_volume=0.9))
    with qtbot.waitSignal(voice.session_pause_requested) as pause:
        voice.open_dialog(LIGHT)
    assert pause.args == [DIALOG_PAUSE_REASON]
    dialog = voice.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    voice.open_dialog(LIGHT)  # a second request raises the same dialog
    assert voice.dialog is dialog
    dialog.volume_slider.setValue(40)
    qtbot.mouseClick(dialog.try_button, Qt.MouseButton.LeftButton)
    assert coach.calls[-2:] == [("configure", (None, 150, 0.4)), ("say_sample", SAMPLE_PHRASE)]
    with qtbot.waitSignal(dialog.finished):
        dialog.reject()
    assert voice.dialog is None
    assert coach.calls[-1] == ("configure", (None, 150, 0.9))
    assert not settings_path.exists()


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform's note
def test_try_it_says_why_when_nothing_can_play(
    qtbot, make_voice, coach: RecordingCoach
) -> None:
    voice = make_voice()
    voice.open_dialog(LIGHT)
    dialog = voice.dialog
    assert dialog is not None
    coach.problem = PROBLEMS[ProblemKind.NO_PLAYER]
    coach.state = SpeechState.OFF
    qtbot.mouseClick(dialog.try_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == PROBLEMS[ProblemKind.NO_PLAYER].notice
    assert not [call for call in coach.calls if call[0] == "say_sample"]
    coach.problem = None
    coach.state = SpeechState.READY
    qtbot.mouseClick(dialog.try_button, Qt.MouseButton.LeftButton)
    assert coach.calls[-1] == ("say_sample", SAMPLE_PHRASE)
    with qtbot.waitSignal(dialog.finished):
        dialog.reject()


def test_ok_keeps_the_choice(qtbot, make_voice, coach: RecordingCoach, settings_path) -> None:
    voice = make_voice()
    voice.open_dialog(LIGHT)
    dialog = voice.dialog
    assert dialog is not None
    dialog.rate_slider.setValue(180)
    with qtbot.waitSignal(dialog.finished):
        dialog.accept()
    assert coach.calls[-1] == ("configure", (None, 180, 0.9))
    kept = saved(settings_path)
    assert (kept.voice_id, kept.voice_rate, kept.voice_volume) == ("", 180, 0.9)
    assert voice.voice_choice.rate == 180
