"""The clip cache stays under its cap, least recently heard first, and clears leftovers."""

from __future__ import annotations

import os
import time
import wave
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from facegym_desktop.speech.client import WorkerClient
from facegym_desktop.speech.clip_cache import PARTIAL_MAX_AGE, audio_seconds, prune, touch

NOW = time.time()  # touch() stamps the real time, so the clips age from it


def write_wav(path: Path, frames: int, rate: int = 22050) -> None:
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(rate)
        clip.writeframes(b"\x10\x20" * frames)


def clip(folder: Path, name: str, size: int, age: float) -> Path:
    """A WAV clip of exactly ``size`` bytes (at least 46) last used ``age`` seconds ago."""
    path = folder / name
    if name.endswith(".wav"):
        write_wav(path, (size - 44) // 2)
        with path.open("ab") as padding:
            padding.write(b"\0" * (size - path.stat().st_size))
    else:
        path.write_bytes(b"x" * size)
    os.utime(path, (NOW - age, NOW - age))
    return path


def test_a_folder_under_the_cap_is_untouched(tmp_path: Path) -> None:
    clip(tmp_path, "a.wav", 100, 10)
    result = prune(tmp_path, max_bytes=1000, now=NOW)
    assert (result.removed, result.kept_bytes) == (0, 100)
    assert (tmp_path / "a.wav").exists()


def test_the_least_recently_used_go_first(tmp_path: Path) -> None:
    old = clip(tmp_path, "old.wav", 400, 300)
    middle = clip(tmp_path, "middle.wav", 400, 200)
    new = clip(tmp_path, "new.wav", 400, 100)
    touch(old)  # heard just now: it becomes the newest
    result = prune(tmp_path, max_bytes=800, now=NOW + 1)
    assert result.removed == 1 and result.freed_bytes == 400
    assert old.exists() and new.exists() and not middle.exists()


def test_old_partial_files_go_and_fresh_ones_stay(tmp_path: Path) -> None:
    stale = clip(tmp_path, ".abc.12.partial.wav", 50, PARTIAL_MAX_AGE + 5)
    fresh = clip(tmp_path, ".def.13.partial.wav", 50, 5)
    other = clip(tmp_path, "notes.txt", 50, PARTIAL_MAX_AGE + 5)
    prune(tmp_path, max_bytes=10_000, now=NOW)
    assert not stale.exists() and fresh.exists() and other.exists()


def test_a_missing_folder_is_not_an_error(tmp_path: Path) -> None:
    assert prune(tmp_path / "nowhere", max_bytes=0).removed == 0


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(46, 500), st.integers(0, 10_000)), max_size=12),
    st.integers(0, 3000),
)
def test_what_is_kept_fits_and_is_the_most_recent(
    tmp_path_factory, clips: list[tuple[int, int]], cap: int
) -> None:
    folder = tmp_path_factory.mktemp("cache")
    for number, (size, age) in enumerate(clips):
        clip(folder, f"{number}.wav", size, age)
    result = prune(folder, max_bytes=cap, now=NOW)
    kept = {int(p.stem) for p in folder.glob("*.wav")}
    assert result.kept_bytes <= cap
    assert result.kept_bytes == sum(clips[n][0] for n in kept)
    # Nothing kept is older than anything removed.
    removed = set(range(len(clips))) - kept
    if kept and removed:
        assert max(clips[n][1] for n in kept) <= min(clips[n][1] for n in removed)


def test_clips_without_sound_are_removed_and_sound_is_kept(tmp_path: Path) -> None:
    good = tmp_path / "good.wav"
    write_wav(good, 2205)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    header_only = tmp_path / "header.wav"
    write_wav(header_only, 0)
    cut_short = tmp_path / "cut.wav"
    write_wav(cut_short, 2000)
    cut_short.write_bytes(cut_short.read_bytes()[:1000])  # the header promises 4000 bytes
    assert audio_seconds(good) == 0.1
    assert [audio_seconds(path) for path in (empty, header_only, cut_short)] == [0, 0, 0]
    result = prune(tmp_path, now=NOW)
    assert result.removed == 3
    assert [path.name for path in tmp_path.iterdir()] == ["good.wav"]


def test_a_clip_without_sound_in_the_cache_is_removed_and_rendered_again(tmp_path: Path) -> None:
    client = WorkerClient(tmp_path)
    client.close(wait=5)  # its start-up pruning is over; the cache lookup still works
    path = client.clip_path("Two.")
    write_wav(path, 0)
    assert client.cached("Two.") is None
    assert not path.exists()
