"""VoiceCoach decisions on a recording speaker: what it says, when, and what it drops."""

from __future__ import annotations

import threading

import pytest

from facegym_desktop.core.planner import Cue, Plan, Segment
from facegym_desktop.speech.base import SpeechState
from facegym_desktop.speech.coach import VoiceCoach
from tests.factories import RecordingSpeaker


class ExplodingSpeaker(RecordingSpeaker):
    def say(self, text: str, priority: str = "normal", delay: float = 0.0) -> None:
        raise OSError("device gone")

    def stop(self) -> None:
        raise OSError("device gone")

    def prefetch(self, texts, on_measured=None, on_done=None) -> None:
        raise RuntimeError("worker gone")


CUES = (
    Cue(0.0, "Chin flicks. Fingers under the chin.", "high", "name", 0),
    Cue(
        0.0,
        "Medium pressure. Quick upward flicks, one hand after the other.",
        "normal",
        "technique",
        0,
    ),
    Cue(8.0, "Lift.", "high", "count", 0),
    Cue(8.2, "Keep your wrists loose and breathe out slowly.", "low", "tip", 0),
    Cue(9.0, "Lift.", "high", "count", 0),
    Cue(10.0, "Lift.", "high", "count", 0),
    Cue(12.0, "Halfway.", "normal", "halfway", 0),
    Cue(17.0, "Three, two, one.", "high", "countdown", 0),
)
PLAN = Plan(
    routine_id="test",
    routine_name="Test",
    target_seconds=20,
    segments=(Segment(0, "move", 0.0, 20.0, "Chin flicks"),),
    cues=CUES,
)


def live(cue: Cue, shift: float) -> Cue:
    """The cue as the session publishes it: moved onto the live timeline."""
    return cue._replace(at=round(cue.at + shift, 3))


@pytest.fixture
def speaker() -> RecordingSpeaker:
    return RecordingSpeaker()


@pytest.fixture
def coach(speaker: RecordingSpeaker) -> VoiceCoach:
    coach = VoiceCoach(speaker)
    coach.prepare(PLAN)
    assert coach.wait_prepared(1)
    return coach


def test_prepare_renders_what_will_be_said(coach: VoiceCoach, speaker: RecordingSpeaker) -> None:
    assert set(speaker.prefetched) == {spoken.text for spoken in coach.fit.spoken}
    assert [cue.kind for cue in coach.fit.dropped] == ["tip"]  # no room between counts


def test_a_new_voice_speed_and_volume_render_the_plan_once(
    coach: VoiceCoach, speaker: RecordingSpeaker
) -> None:
    one_round = len(speaker.prefetched)
    coach.configure("gmw/en-gb", 180, 0.5)
    assert speaker.settings == [("voice", "gmw/en-gb"), ("rate", 180), ("volume", 0.5)]
    assert len(speaker.prefetched) == 2 * one_round
    # The faster speed is in the fit: the phrases are estimated shorter.
    assert coach.fit.spoken


def test_due_cues_are_spoken_with_their_fitted_delay(
    coach: VoiceCoach, speaker: RecordingSpeaker
) -> None:
    for cue in CUES:
        coach.cue_due(live(cue, 2.0))  # two seconds of pause earlier in the session
    name_seconds = 0.3 * 6
    assert speaker.said == [
        ("Chin flicks. Fingers under the chin.", "high", 0.0),
        (
            "Medium pressure. Quick upward flicks, one hand after the other.",
            "normal",
            pytest.approx(name_seconds + 0.15),
        ),
        ("Lift.", "high", 0.0),
        ("Lift.", "high", 0.0),
        ("Lift.", "high", 0.0),
        ("Halfway.", "normal", 0.0),
        ("Three, two, one.", "high", 0.0),
    ]


def test_pause_silences_and_nothing_is_said_until_resume(
    coach: VoiceCoach, speaker: RecordingSpeaker
) -> None:
    coach.cue_due(CUES[0])
    coach.pause()
    assert speaker.stops == 1
    coach.cue_due(CUES[2])
    coach.resume()
    coach.cue_due(CUES[4])
    assert [text for text, _, _ in speaker.said] == [CUES[0].text, "Lift."]


def test_skip_and_stop_silence_the_current_phrase(
    coach: VoiceCoach, speaker: RecordingSpeaker
) -> None:
    coach.skipped()
    coach.stop()
    assert speaker.stops == 2


def test_muted_coach_says_nothing_but_unmutes(coach: VoiceCoach, speaker: RecordingSpeaker) -> None:
    coach.set_muted(True)
    assert speaker.stops == 1
    coach.cue_due(CUES[0])
    coach.set_muted(False)
    coach.cue_due(CUES[2])
    assert [text for text, _, _ in speaker.said] == ["Lift."]


def test_verbosity_counts_and_off(coach: VoiceCoach, speaker: RecordingSpeaker) -> None:
    coach.set_verbosity("counts")
    for cue in CUES:
        coach.cue_due(cue)
    assert [text for text, _, _ in speaker.said] == ["Lift.", "Lift.", "Lift.", "Three, two, one."]
    coach.set_verbosity("off")
    coach.cue_due(CUES[2])
    assert len(speaker.said) == 4
    with pytest.raises(ValueError):
        coach.set_verbosity("chatty")


def test_a_cue_outside_the_plan_is_said_only_when_high(
    coach: VoiceCoach, speaker: RecordingSpeaker
) -> None:
    coach.cue_due(Cue(30.0, "Switch sides.", "high", "switch", 1))
    coach.cue_due(Cue(31.0, "A stray remark.", "low", "tip", 1))
    assert speaker.said == [("Switch sides.", "high", 0.0)]


def test_the_voice_going_off_gives_one_notice_per_reason(speaker: RecordingSpeaker) -> None:
    notices: list[str] = []
    states: list[str] = []
    coach = VoiceCoach(speaker, on_notice=notices.append, on_state=states.append)
    speaker.go_off("aplay is not installed. Install it with: sudo apt install alsa-utils")
    speaker.go_off("aplay is not installed. Install it with: sudo apt install alsa-utils")
    assert notices == [
        "Voice off: aplay is not installed. Install it with: sudo apt install alsa-utils."
    ]
    assert states == [SpeechState.READY, SpeechState.OFF]
    coach.close()


def test_nothing_is_reported_after_close(speaker: RecordingSpeaker) -> None:
    # The speech threads outlive close(); the window listening may be gone by then.
    notices: list[str] = []
    states: list[str] = []
    coach = VoiceCoach(speaker, on_notice=notices.append, on_state=states.append)
    coach.close()
    speaker.go_off("the audio device was unplugged")
    assert (notices, states) == ([], [SpeechState.READY])


def test_a_failing_speaker_never_raises_into_the_caller() -> None:
    coach = VoiceCoach(ExplodingSpeaker())
    coach.prepare(PLAN)
    for cue in CUES:
        coach.cue_due(cue)
    coach.pause()
    coach.resume()
    coach.skipped()
    coach.stop()
    coach.set_muted(True)
    coach.close()


def test_calls_from_many_threads_are_safe(coach: VoiceCoach, speaker: RecordingSpeaker) -> None:
    start = threading.Barrier(4)

    def hammer() -> None:
        start.wait()
        for _ in range(200):
            for cue in CUES:
                coach.cue_due(cue)
            coach.prepare(PLAN)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    assert len(speaker.said) == 4 * 200 * 7
