"""Choosing a voice: the order voices are offered in, their labels, and the limits
of speed and volume.  Shared by the voice dialog and ``facegym voice list``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from facegym_desktop.core.settings import VOICE_RATE, VOICE_VOLUME
from facegym_desktop.speech.base import VoiceInfo

SLOWEST_RATE = VOICE_RATE.minimum  # words per minute
FASTEST_RATE = VOICE_RATE.maximum
RATE_STEP = VOICE_RATE.step
SAMPLE_PHRASE = "Circles on the cheeks, light pressure. Breathe out slowly."


@dataclass(frozen=True)
class VoiceChoice:
    """What the person picked: a voice id ("" for the engine's default), speed, volume."""

    voice_id: str = ""
    rate: int = VOICE_RATE.default
    volume: float = VOICE_VOLUME.default

    def clamped(self) -> VoiceChoice:
        """The same choice with speed and volume brought within what settings allow."""
        return VoiceChoice(self.voice_id, clamp_rate(self.rate), VOICE_VOLUME.clamp(self.volume))


def clamp_rate(words_per_minute: int) -> int:
    """The nearest speed the settings allow, in words a minute."""
    return VOICE_RATE.clamp(words_per_minute)


def _normal(code: str) -> str:
    return code.strip().lower().replace("_", "-")


def language_rank(languages: Iterable[str], preferred: str) -> int:
    """0 when a voice speaks the preferred locale exactly (``en-gb`` for ``en_GB``),
    1 for the same language, 2 otherwise."""
    wanted = _normal(preferred)
    wanted_language = wanted.split("-")[0]
    best = 2
    for code in languages:
        code = _normal(code)
        if wanted and code == wanted:
            return 0
        if wanted_language and code.split("-")[0] == wanted_language:
            best = 1
    return best


def cue_locale(system_locale: str) -> str:
    """The cues are written in English: the person's English variant, else plain English."""
    code = _normal(system_locale or "")
    return code if code.split("-")[0] == "en" else "en"


def sort_key(
    name: str, voice_id: str, languages: Iterable[str], system_locale: str
) -> tuple[int, str, str]:
    return (language_rank(languages, cue_locale(system_locale)), name.casefold(), voice_id)


def ordered_voices(voices: Iterable[VoiceInfo], system_locale: str) -> list[VoiceInfo]:
    """Voices that read English well first (the person's variant before others), then
    the rest, each group alphabetical by name."""
    return sorted(voices, key=lambda v: sort_key(v.name, v.id, v.languages, system_locale))


def voice_label(voice: VoiceInfo) -> str:
    if voice.languages:
        return f"{voice.name} · {', '.join(voice.languages)}"
    return voice.name


def matches(voice: VoiceInfo, query: str) -> bool:
    """True when every word of ``query`` is in the voice's name, id or languages."""
    haystack = " ".join((voice.name, voice.id, *voice.languages)).casefold()
    return all(word in haystack for word in query.casefold().split())


def voice_from_dict(raw: Mapping[str, Any]) -> VoiceInfo:
    """A voice as the speech worker reports it (JSON) to a VoiceInfo."""
    gender = raw.get("gender")
    return VoiceInfo(
        str(raw.get("id", "")),
        str(raw.get("name", "")),
        tuple(str(language) for language in raw.get("languages") or ()),
        gender if isinstance(gender, str) else None,
    )
