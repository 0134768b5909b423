"""Which voices come first, how they are labelled and found, and the limits of a choice."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.core.settings import VOICE_RATE, VOICE_VOLUME, Settings
from facegym_desktop.speech.base import VoiceInfo
from facegym_desktop.speech.voice_choice import (
    FASTEST_RATE,
    SLOWEST_RATE,
    VoiceChoice,
    clamp_rate,
    cue_locale,
    language_rank,
    matches,
    ordered_voices,
    sort_key,
    voice_from_dict,
    voice_label,
)

AMERICAN = VoiceInfo("gmw/en-us", "English (America)", ("en-us",))
BRITISH = VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb", "en"))
FRENCH = VoiceInfo("roa/fr", "French (France)", ("fr-fr",))
AFRIKAANS = VoiceInfo("gmw/af", "Afrikaans", ("af",))


def test_a_voice_of_the_exact_locale_ranks_first() -> None:
    assert language_rank(("en-gb", "en"), "en_GB") == 0
    assert language_rank(("en-us",), "en_GB") == 1
    assert language_rank(("fr-fr",), "en_GB") == 2
    assert language_rank((), "en_GB") == 2


def test_cues_are_english_so_other_locales_prefer_plain_english() -> None:
    assert cue_locale("en_GB") == "en-gb"
    assert cue_locale("de_DE") == "en"
    assert cue_locale("") == "en"


def test_english_voices_come_first_and_the_own_variant_before_others() -> None:
    voices = [FRENCH, AFRIKAANS, AMERICAN, BRITISH]
    assert ordered_voices(voices, "en_GB") == [BRITISH, AMERICAN, AFRIKAANS, FRENCH]
    assert ordered_voices(voices, "en_US") == [AMERICAN, BRITISH, AFRIKAANS, FRENCH]
    # A French desktop still hears English cues best in an English voice.
    assert ordered_voices(voices, "fr_FR")[:2] == [BRITISH, AMERICAN]


voice_lists = st.lists(
    st.builds(
        VoiceInfo,
        st.text(min_size=1, max_size=8),
        st.text(max_size=12),
        st.lists(st.sampled_from(["en", "en-gb", "en-us", "fr-fr", "de", "af"]), max_size=3).map(
            tuple
        ),
    ),
    max_size=30,
)


@given(voice_lists, st.sampled_from(["en_GB", "en_US", "fr_FR", "", "de_DE"]))
def test_ordering_keeps_every_voice_and_never_puts_a_worse_match_first(
    voices: list[VoiceInfo], system_locale: str
) -> None:
    ordered = ordered_voices(voices, system_locale)
    assert sorted(ordered, key=id) == sorted(voices, key=id)
    ranks = [sort_key(v.name, v.id, v.languages, system_locale)[0] for v in ordered]
    assert ranks == sorted(ranks)


def test_labels_name_the_languages() -> None:
    assert voice_label(BRITISH) == "English (Great Britain) · en-gb, en"
    assert voice_label(VoiceInfo("x", "Plain")) == "Plain"


def test_every_word_of_a_search_must_match_name_id_or_language() -> None:
    assert matches(BRITISH, "english britain")
    assert matches(BRITISH, "EN-GB")
    assert matches(FRENCH, "roa")
    assert not matches(FRENCH, "english")
    assert matches(FRENCH, "   ")


@given(st.integers(-1000, 1000), st.floats(-5, 5, allow_nan=False))
def test_a_clamped_choice_is_always_usable(rate: int, volume: float) -> None:
    choice = VoiceChoice("v", rate, volume).clamped()
    assert SLOWEST_RATE <= choice.rate <= FASTEST_RATE
    assert 0.0 <= choice.volume <= 1.0
    assert choice.voice_id == "v"
    assert clamp_rate(rate) == choice.rate
    # What the dialog keeps is always a value settings.json accepts.
    assert VOICE_RATE.check(choice.rate) is None and VOICE_VOLUME.check(choice.volume) is None


def test_a_new_choice_starts_from_the_settings_defaults() -> None:
    defaults = Settings()
    assert VoiceChoice() == VoiceChoice("", defaults.voice_rate, defaults.voice_volume)
    assert (VOICE_RATE.minimum, VOICE_RATE.maximum) == (SLOWEST_RATE, FASTEST_RATE)


def test_a_voice_from_the_worker_tolerates_missing_fields() -> None:
    assert voice_from_dict({"id": "a", "languages": ["en"], "gender": 3}) == VoiceInfo(
        "a", "", ("en",), None
    )
    assert voice_from_dict({}) == VoiceInfo("", "", (), None)
