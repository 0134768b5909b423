"""The speech worker's protocol, with the real pyttsx3 and espeak-ng."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from facegym_desktop.speech.client import worker_command
from facegym_desktop.speech.preflight import loudness


def run_worker(requests: list[object], env: dict[str, str] | None = None) -> list[dict]:
    """Send requests (objects or raw lines), close the input, read every reply."""
    lines = [item if isinstance(item, str) else json.dumps(item) for item in requests]
    finished = subprocess.run(
        worker_command(),
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert finished.returncode in (0, 3), finished.stderr
    replies = [json.loads(line) for line in finished.stdout.splitlines()]
    return replies


def clip_length(path: Path) -> float:
    with wave.open(str(path)) as clip:
        return clip.getnframes() / clip.getframerate()


def test_worker_renders_speech_and_keeps_stdout_for_the_protocol(tmp_path: Path) -> None:
    phrase = "Light pressure. Glide from the brows up to the hairline."
    replies = run_worker(
        [
            {"id": 1, "op": "ping"},
            {"id": 2, "op": "render", "text": phrase, "path": str(tmp_path / "a.wav"), "rate": 150},
            {"id": 3, "op": "render", "text": "Two.", "path": str(tmp_path / "b.wav"), "rate": 150},
            {"id": 4, "op": "voices"},
        ]
    )
    hello, ping, first, second, voices = replies  # pyttsx3's own prints went elsewhere
    assert hello["event"] == "hello" and hello["ok"] and hello["engine"] == "espeak"
    assert ping == {"id": 1, "ok": True}
    assert first["ok"] and second["ok"]
    for reply in (first, second):
        path = Path(reply["path"])
        assert reply["duration"] == pytest.approx(clip_length(path), abs=0.001)
        assert 0 < reply["synth_seconds"] < 5
        rms, peak = loudness(str(path))
        assert rms > 0.02 and peak < 0.999  # audible, not clipped
    assert 2.5 < first["duration"] < 5.5  # ten words, calmly
    assert 0.2 < second["duration"] < 1.0
    assert not list(tmp_path.glob(".*partial*"))
    ids = {voice["id"] for voice in voices["voices"]}
    assert len(ids) > 10 and "gmw/en" in ids


def test_rate_changes_apply_to_the_very_next_clip(tmp_path: Path) -> None:
    # espeak-ng in pyttsx3 2.99 can lose a rate change; the worker must not.
    phrase = "Halfway there, keep going."
    requests: list[object] = []
    for number, rate in enumerate((150, 220, 110, 220, 150, 150)):
        requests.append(
            {
                "id": number,
                "op": "render",
                "text": phrase,
                "path": str(tmp_path / f"{number}.wav"),
                "rate": rate,
            }
        )
    durations = [reply["duration"] for reply in run_worker(requests)[1:]]
    slow, fast_a, slower, fast_b, again_a, again_b = durations
    assert fast_a < slow < slower
    assert fast_a == pytest.approx(fast_b, rel=0.03)
    assert again_a == pytest.approx(slow, rel=0.03) and again_b == pytest.approx(slow, rel=0.03)


def test_bad_requests_get_errors_not_a_crash(tmp_path: Path) -> None:
    replies = run_worker(
        [
            "this is not json",
            "[1, 2]",
            {"id": 1, "op": "render", "text": "   ", "path": str(tmp_path / "x.wav")},
            {"id": 2, "op": "render"},
            {"id": 3, "op": "dance"},
            {"id": 4, "op": "ping"},
        ]
    )
    assert replies[0]["ok"]
    errors = replies[1:-1]
    assert [reply["ok"] for reply in errors] == [False] * 5
    assert "nothing to say" in errors[2]["error"]
    assert replies[-1] == {"id": 4, "ok": True}


def test_a_broken_engine_says_so_in_its_greeting(broken_engine: Path) -> None:
    import os

    replies = run_worker([{"id": 1, "op": "ping"}], env=dict(os.environ))
    assert replies == [
        {
            "event": "hello",
            "ok": False,
            "kind": "no-espeak",
            "error": "RuntimeError: This means you probably do not have eSpeak or eSpeak-ng "
            "installed!",
        }
    ]


def test_frozen_builds_start_the_app_itself_as_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert worker_command() == [sys.executable, "--speech-worker"]
    monkeypatch.delattr(sys, "frozen")
    assert worker_command() == [sys.executable, "-m", "facegym_desktop", "--speech-worker"]


def test_speech_modules_do_not_import_qt() -> None:
    code = (
        "import sys\n"
        "import facegym_desktop.speech.coach, facegym_desktop.speech.tts\n"
        "import facegym_desktop.speech.worker, facegym_desktop.core.cue_fit\n"
        "import facegym_desktop.commands.voice\n"
        "print([name for name in sys.modules if name.startswith(('PySide6', 'shiboken'))])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stderr
