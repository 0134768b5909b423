"""The speech clip cache on disk: keep it small, drop what has not been heard lately.

Clips are named after a hash of their text and voice settings, so every change of
voice, speed or volume adds a new set; nothing would ever remove the old ones.  At
start-up the client trims the folder to a size cap, least recently used first
(a clip's modification time is refreshed each time it is used), and clears
half-written files a crashed worker left behind.  A clip with no sound in it
(empty, header only, or shorter than its header says) is removed wherever it is
found: it would only play silence.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import wave
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MAX_BYTES = 64 * 1024 * 1024  # a few thousand phrases: every routine at a few settings
PARTIAL_MAX_AGE = 3600.0  # seconds; younger partial files may still be being written
# Clips this small are read at start-up to see whether they hold any sound: a
# header alone is 44 bytes, and any spoken phrase is tens of kilobytes.
_SUSPECT_BYTES = 4096


@dataclass(frozen=True)
class PruneResult:
    removed: int
    freed_bytes: int
    kept_bytes: int


def touch(path: Path) -> None:
    """Mark a clip as just used (for least-recently-used pruning); best effort."""
    with contextlib.suppress(OSError):
        os.utime(path)


def audio_seconds(path: Path) -> float:
    """Seconds of sound a WAV clip really holds; 0 when it is empty, header only, cut
    short (fewer bytes than its header promises) or unreadable."""
    try:
        size = path.stat().st_size
        with wave.open(str(path), "rb") as clip:
            rate, frames = clip.getframerate(), clip.getnframes()
            frame_bytes = clip.getsampwidth() * clip.getnchannels()
    except (OSError, EOFError, wave.Error):
        return 0.0
    if rate <= 0 or frames <= 0 or frame_bytes <= 0:
        return 0.0
    if size < 44 + frames * frame_bytes:
        return 0.0
    return frames / rate


def discard(path: Path) -> bool:
    """Remove a clip that holds no sound; True when a file was removed."""
    if _remove(path):
        log.info("speech cache: removed %s, which held no sound", path.name)
        return True
    return False


def prune(folder: Path, max_bytes: int = MAX_BYTES, now: float | None = None) -> PruneResult:
    """Remove the oldest clips until the folder holds at most ``max_bytes``, and clips
    that hold no sound; ``now`` (epoch seconds) ages the partial files."""
    now = time.time() if now is None else now
    clips: list[tuple[float, int, Path]] = []
    removed = freed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return PruneResult(0, 0, 0)
    for entry in entries:
        if not entry.name.endswith(".wav") or not entry.is_file(follow_symlinks=False):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if entry.name.endswith(".partial.wav"):
            if now - info.st_mtime > PARTIAL_MAX_AGE and _remove(Path(entry.path)):
                removed, freed = removed + 1, freed + info.st_size
            continue
        if info.st_size < _SUSPECT_BYTES and audio_seconds(Path(entry.path)) <= 0:
            if _remove(Path(entry.path)):
                removed, freed = removed + 1, freed + info.st_size
            continue
        clips.append((info.st_mtime, info.st_size, Path(entry.path)))
    total = sum(size for _, size, _ in clips)
    for _, size, path in sorted(clips):
        if total <= max_bytes:
            break
        if _remove(path):
            total -= size
            removed, freed = removed + 1, freed + size
    if removed:
        log.info("speech cache: removed %d files (%d bytes), %d bytes kept", removed, freed, total)
    return PruneResult(removed, freed, total)


def _remove(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False
    except OSError as error:
        log.warning("speech cache: could not remove %s (%s)", path, error)
        return False
