"""The `facegym voice` commands: check that speech works, list the voices.

`voice check` walks the same links as the app's start-up check (engine, a test
clip, the player, the sound device, the chosen voice) and names a failure with the
same line the app shows (``problems.VoiceProblem.notice``), then exits 1.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import threading
from typing import Any

from facegym_desktop.commands.common import EXIT_USAGE, CommandError, add_command, print_json
from facegym_desktop.core.setting_kinds import SettingValueError
from facegym_desktop.core.settings import VOICE_RATE

log = logging.getLogger("facegym_desktop.speech.voice_command")  # quiet unless logging is set up

TEST_PHRASE = "Hello. This is your face gym coach. Relax your shoulders and breathe."
_ENGINE_WAIT_SECONDS = 30.0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(subparsers, "voice", "check the spoken coach and list its voices")
    actions = parser.add_subparsers(dest="voice_command", metavar="ACTION", required=True)
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



def _problem(problem: Any) -> CommandError:
    """The command's failure for a ``VoiceProblem``: its notice, exit code 1."""
    return CommandError(problem.notice)


def _start_client(folder: str, voice: str | None = None, rate: int | None = None) -> Any:
    """A worker client whose engine has answered; CommandError when it cannot start."""
    from facegym_desktop.speech.client import READY, STARTING, WorkerClient
    from facegym_desktop.speech.problems import PROBLEMS, ProblemKind

    answered = threading.Event()
    client = WorkerClient(
        folder,
        voice=voice,
        rate=VOICE_RATE.default if rate is None else rate,
        on_status=lambda state, problem: answered.set() if state != STARTING else None,
        backoff_first=60.0,  # one attempt is enough here
    )
    client.start()
    if not answered.wait(_ENGINE_WAIT_SECONDS):
        client.close(wait=2)
        raise _problem(PROBLEMS[ProblemKind.ENGINE_FAILED])
    state, problem = client.status
    if state != READY:
        client.close(wait=2)
        raise _problem(problem or PROBLEMS[ProblemKind.ENGINE_FAILED])
    return client


def _fetch_voices(client: Any) -> list[dict[str, Any]]:
    done = threading.Event()
    result: dict[str, Any] = {}

    def got(voices: list[dict[str, Any]] | None, error: str) -> None:
        result["voices"], result["error"] = voices, error
        done.set()

    client.voices(got)
    if not done.wait(_ENGINE_WAIT_SECONDS) or result.get("voices") is None:
        from facegym_desktop.speech.problems import PROBLEMS, ProblemKind

        log.warning("could not list voices: %s", result.get("error") or "no answer")
        raise _problem(client.status[1] or PROBLEMS[ProblemKind.ENGINE_STOPPED])
    return list(result["voices"])


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
    """Show the engine and voices, speak a test phrase; exit 1 naming the first problem."""
    from facegym_desktop.speech.player import Player
    from facegym_desktop.speech.preflight import (
        clip_problem,
        loudness,
        play_problem,
        player_ready,
        render_now,
    )
    from facegym_desktop.speech.problems import VoiceProblem

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
            problem = client.status[1]  # a --voice the engine does not have
            if problem is not None:
                raise _problem(problem)
            voice, rate, volume = client.settings()
            player = Player()
            problem = player_ready(player)
            if problem is not None:
                raise _problem(problem)
            clip = render_now(client, TEST_PHRASE, _ENGINE_WAIT_SECONDS)
            if isinstance(clip, VoiceProblem):
                raise _problem(clip)
            rms, peak = loudness(clip.path)
            print(
                f"Test phrase: {clip.duration:.2f} s of audio at {rate} words a minute, "
                f"rendered in {clip.synth_seconds * 1000:.0f} ms (RMS {rms:.3f}, peak {peak:.2f})"
            )
            problem = clip_problem(clip.path)
            if problem is not None:
                raise _problem(problem)
            print(f"Player: {' '.join(player.command)}")
            problem = play_problem(player, clip.path) or client.status[1]
            if problem is not None:
                raise _problem(problem)
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
