"""The `facegym voice` commands: check that speech works, list the voices."""

from __future__ import annotations

import argparse
import array
import math
import sys
import tempfile
import threading
import wave
from typing import Any

from facegym_desktop.commands.common import EXIT_USAGE, CommandError, add_command, print_json
from facegym_desktop.core.settings import VOICE_RATE, SettingValueError

TEST_PHRASE = "Hello. This is your face gym coach. Relax your shoulders and breathe."
_ENGINE_WAIT_SECONDS = 30.0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "voice", "check the spoken coach and list its voices")
    actions = parser.add_subparsers(dest="voice_command", metavar="ACTION")
    check = add_command(
        actions, "check", "show the speech engine and voices, then speak a test phrase"
    )
    check.add_argument(
        "--rate",
        default=None,
        help=f"words per minute ({VOICE_RATE.minimum}-{VOICE_RATE.maximum}, "
        f"default {VOICE_RATE.default})",
    )
    check.add_argument("--voice", default=None, help="a voice id from `facegym voice list`")
    check.set_defaults(handler=check_voice)
    listing = add_command(actions, "list", "list the voices the speech engine offers")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_voices)
    parser.set_defaults(handler=_need_action(parser))


def _need_action(parser: argparse.ArgumentParser) -> Any:
    def handler(args: argparse.Namespace) -> int:
        parser.print_help()
        return 0

    return handler


def _start_client(folder: str, voice: str | None = None, rate: int | None = None) -> Any:
    """A worker client whose engine has answered; CommandError when it cannot start."""
    from facegym_desktop.speech.client import WorkerClient

    answered = threading.Event()
    client = WorkerClient(
        folder,
        voice=voice,
        rate=VOICE_RATE.default if rate is None else rate,
        on_status=lambda state, reason: answered.set(),
        backoff_first=60.0,  # one attempt is enough here
    )
    client.start()
    if not answered.wait(_ENGINE_WAIT_SECONDS):
        client.close(wait=2)
        raise CommandError("speech does not work: the speech engine did not answer in time")
    state, reason = client.status
    if state != "ready":
        client.close(wait=2)
        raise CommandError(f"speech does not work: {reason}")
    return client


def _fetch_voices(client: Any) -> list[dict[str, Any]]:
    done = threading.Event()
    result: dict[str, Any] = {}

    def got(voices: list[dict[str, Any]] | None, error: str) -> None:
        result["voices"], result["error"] = voices, error
        done.set()

    client.voices(got)
    if not done.wait(_ENGINE_WAIT_SECONDS) or result.get("voices") is None:
        raise CommandError(
            f"speech does not work: could not list voices ({result.get('error') or 'no answer'})"
        )
    return list(result["voices"])


def _render(client: Any, text: str) -> Any:
    done = threading.Event()
    result: dict[str, Any] = {}

    def rendered(_text: str, clip: Any, error: str) -> None:
        result["clip"], result["error"] = clip, error
        done.set()

    client.render(text, rendered, urgent=True)
    if not done.wait(_ENGINE_WAIT_SECONDS) or result.get("clip") is None:
        reason = result.get("error") or "no answer"
        raise CommandError(f"speech does not work: the test phrase did not render ({reason})")
    return result["clip"]


def loudness(path: str) -> tuple[float, float]:
    """RMS and peak of a 16-bit WAV, both as fractions of full scale."""
    with wave.open(path, "rb") as clip:
        if clip.getsampwidth() != 2:
            return 0.0, 0.0
        samples = array.array("h")
        samples.frombytes(clip.readframes(clip.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    if not samples:
        return 0.0, 0.0
    rms = math.sqrt(sum(value * value for value in samples) / len(samples)) / 32768
    peak = max(abs(value) for value in samples) / 32768
    return rms, peak


def _english_first(voices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    import locale

    from facegym_desktop.speech.voice_choice import sort_key

    system_locale = locale.getlocale()[0] or ""

    def key(voice: dict[str, Any]) -> tuple[int, str, str]:
        languages = [str(code) for code in voice.get("languages") or []]
        return sort_key(
            str(voice.get("name", "")), str(voice.get("id", "")), languages, system_locale
        )

    return sorted(voices, key=key)


def check_voice(args: argparse.Namespace) -> int:
    from facegym_desktop.speech.player import (
        Player,
        PlayerUnavailableError,
        player_command,
    )
    from facegym_desktop.speech.tts import explain_player_failure

    try:
        rate = None if args.rate is None else VOICE_RATE.parse(args.rate)
    except SettingValueError as error:
        raise CommandError(f"--rate: {error}", EXIT_USAGE) from error
    with tempfile.TemporaryDirectory(prefix="facegym-voice-check-") as folder:
        client = _start_client(folder, args.voice, rate)
        try:
            info = client.info
            print(f"Engine: pyttsx3 {info.version} with the {info.engine} driver")
            voices = _fetch_voices(client)
            english = _english_first(voices)
            default = info.default_voice or "(engine default)"
            print(f"Voices: {len(voices)} available; default {default}")
            for voice in english[:6]:
                print(f"  {voice.get('id', '')}  {voice.get('name', '')}")
            if len(voices) > 6:
                print("  ... (all of them: facegym voice list)")
            voice, rate, volume = client.settings()
            clip = _render(client, TEST_PHRASE)
            rms, peak = loudness(clip.path)
            print(
                f"Test phrase: {clip.duration:.2f} s of audio at {rate} words a minute, "
                f"rendered in {clip.synth_seconds * 1000:.0f} ms (RMS {rms:.3f}, peak {peak:.2f})"
            )
            if rms < 0.005:
                raise CommandError("speech does not work: the engine produced silence")
            try:
                command = player_command()
            except PlayerUnavailableError as error:
                raise CommandError(f"speech does not work: {error}") from error
            print(f"Player: {' '.join(command)}")
            playback = Player(command).play(clip.path)
            if not playback.wait(clip.duration + 10):
                playback.stop()
                raise CommandError("speech does not work: the audio player did not finish")
            result = playback.result
            if result is None or not result.ok:
                error = result.error if result else ""
                code = result.returncode if result else None
                raise CommandError(f"speech does not work: {explain_player_failure(error, code)}")
            print("Speech works.")
            return 0
        finally:
            client.close(wait=5)


def list_voices(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="facegym-voice-list-") as folder:
        client = _start_client(folder)
        try:
            voices = _english_first(_fetch_voices(client))
        finally:
            client.close(wait=5)
    if args.json:
        print_json(voices)
        return 0
    for voice in voices:
        languages = ", ".join(voice.get("languages") or [])
        print(f"{voice.get('id', ''):<28} {voice.get('name', ''):<32} {languages}")
    return 0
