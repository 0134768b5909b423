"""The speech worker: a process of its own that owns one pyttsx3 engine.

pyttsx3 blocks in ``runAndWait``, insists on staying in the thread that made it and
cannot re-enter its loop, so the app never calls it directly.  This process renders
each phrase to a WAV file; the app plays the file itself at the right moment.

Protocol: one JSON object per line.  The worker first writes a greeting::

    {"event": "hello", "ok": true, "engine": "espeak", "pyttsx3": "2.99", "voice": "gmw/en"}
    {"event": "hello", "ok": false, "error": "...", "kind": "no-engine"}   (then exits 3)

then answers each request, echoing its ``id``::

    {"id": 1, "op": "ping"}                    -> {"id": 1, "ok": true}
    {"id": 2, "op": "voices"}                  -> {"id": 2, "ok": true, "voices": [...]}
    {"id": 3, "op": "render", "text": "Two.", "path": "/x/y.wav",
     "voice": "gmw/en", "rate": 150, "volume": 1.0}
        -> {"id": 3, "ok": true, "path": "/x/y.wav", "duration": 0.62, "synth_seconds": 0.011,
            "voice_missing": false}
    any failure -> {"id": n, "ok": false, "error": "...", "kind": "empty-clip" | "render-error"}

A voice the engine cannot set is replaced by the engine's default voice and the
answer says ``"voice_missing": true``.  A clip with no sound in it is never left
at ``path``.

The greeting also names the espeak-ng library the worker loaded (``"library"``,
read from the process's memory map on Linux) and the data folder it was told to use
(``"espeak_data"``), or null.

A frozen build (PyInstaller: ``sys.frozen`` and ``sys._MEIPASS``) carries its own
espeak-ng under ``espeak-ng/`` in the bundle (see packaging/facegym.spec).  The
worker loads that copy and points ``ESPEAK_DATA_PATH`` at its data before pyttsx3
loads its driver, so the bundle speaks where espeak-ng is not installed.  Outside a
frozen build the system's espeak-ng is used as before.

It exits when its input closes.  Started as ``python -m facegym_desktop
--speech-worker`` (or ``app --speech-worker`` in a frozen build).
"""

from __future__ import annotations

import array
import contextlib
import ctypes
import json
import os
import sys
import time
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

EXIT_ENGINE_FAILED = 3

# Samples quieter than this (of 32767) count as silence when trimming clip edges.
_SILENCE_LEVEL = 200
_KEEP_LEAD_SECONDS = 0.02
_KEEP_TAIL_SECONDS = 0.08

# Where a frozen build keeps espeak-ng, inside sys._MEIPASS (packaging/facegym.spec).
BUNDLED_ESPEAK_FOLDER = "espeak-ng"
BUNDLED_ESPEAK_LIBRARY = "libespeak-ng.so.1"  # the name pyttsx3's driver asks for on Linux
ESPEAK_DATA_ENV = "ESPEAK_DATA_PATH"  # read by libespeak-ng when it initialises


class EmptyClipError(RuntimeError):
    """The engine wrote a clip with no sound in it (empty, header only or all silence)."""


def classify_engine_error(error: BaseException) -> str:
    """A short machine-readable cause for an engine that will not start."""
    text = f"{type(error).__name__}: {error}".lower()
    if isinstance(error, ImportError) and "pyttsx3" in text:
        return "no-pyttsx3"
    if "espeak" in text or "libespeak" in text:
        return "no-espeak"
    if "com" in text and sys.platform == "win32":
        return "windows-speech"
    return "engine-error"


def bundled_espeak() -> tuple[Path, Path] | None:
    """The bundled espeak-ng ``(library, data folder)`` in a frozen build, else None.

    None outside a frozen build, and in one built without espeak-ng (only the Linux
    build carries it; Windows and macOS speak through the system's own engine).
    """
    base = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or not base:
        return None
    folder = Path(base) / BUNDLED_ESPEAK_FOLDER
    library = folder / BUNDLED_ESPEAK_LIBRARY
    data = folder / "espeak-ng-data"
    if library.is_file() and data.is_dir():
        return library, data
    return None


def use_bundled_espeak() -> Path | None:
    """In a frozen build, load the bundled espeak-ng so pyttsx3's driver gets it.

    Sets ``ESPEAK_DATA_PATH`` to the folder holding the bundled ``espeak-ng-data`` and
    loads the bundled library by its full path.  pyttsx3's espeak driver then asks
    for ``libespeak-ng.so.1`` by name, and the dynamic loader hands back the copy
    already loaded (it matches loaded libraries by their soname) rather than
    searching the system.  Call before pyttsx3 loads its driver.  Returns the
    library's path, or None when there is no bundled copy.  Raises OSError when the
    bundled library is there but cannot be loaded.
    """
    found = bundled_espeak()
    if found is None:
        return None
    library, data = found
    os.environ[ESPEAK_DATA_ENV] = str(data.parent)
    ctypes.CDLL(str(library), mode=ctypes.RTLD_GLOBAL)
    return library


def loaded_espeak_library() -> str | None:
    """The file of the espeak-ng library mapped into this process (Linux), else None."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in maps.splitlines():
        fields = line.split(maxsplit=5)  # address, perms, offset, device, inode, path
        if len(fields) == 6 and Path(fields[5]).name.startswith("libespeak"):
            return fields[5]
    return None


class Renderer:
    """Wraps the pyttsx3 engine; every call happens on the thread that made it."""

    def __init__(self) -> None:
        use_bundled_espeak()
        import pyttsx3

        self._pyttsx3 = pyttsx3
        self.engine = pyttsx3.init()
        self.driver_name = _driver_name(self.engine)
        self._espeak = _espeak_module() if self.driver_name == "espeak" else None
        self._settings: dict[str, Any] = {}
        self._missing_voices: set[str] = set()
        self.default_voice = _safe_str(self.engine.getProperty("voice"))

    @property
    def version(self) -> str:
        try:
            from importlib.metadata import version

            return version("pyttsx3")
        except Exception:
            return "unknown"

    def voices(self) -> list[dict[str, Any]]:
        result = []
        for voice in self.engine.getProperty("voices") or []:
            languages = []
            for language in getattr(voice, "languages", None) or []:
                if isinstance(language, bytes):
                    language = language.decode("utf-8", "replace")
                languages.append(str(language).strip("\x00 \x05"))
            result.append(
                {
                    "id": _safe_str(voice.id),
                    "name": _safe_str(getattr(voice, "name", "")),
                    "languages": languages,
                    "gender": getattr(voice, "gender", None),
                }
            )
        return result

    def _apply(self, voice: str | None, rate: int | None, volume: float | None) -> bool:
        """Apply the settings; True when ``voice`` could not be set and the default speaks."""
        fell_back = voice is not None and voice in self._missing_voices
        if fell_back:
            voice = self.default_voice or None
        wanted = {"voice": voice, "rate": rate, "volume": volume}
        for name, value in wanted.items():
            if value is None or self._settings.get(name) == value:
                continue
            try:
                self._set(name, value)
            except Exception as error:
                if name != "voice" or not self.default_voice or value == self.default_voice:
                    raise
                message = f"voice {value!r} cannot be set ({error}); using the default"
                print(message, file=sys.stderr)
                self._missing_voices.add(str(value))
                value = self.default_voice
                self._set(name, value)
                fell_back = True
            self._settings[name] = value
        self._settle()
        return fell_back

    def _set(self, name: str, value: Any) -> None:
        self._settle()
        if self._espeak is not None:
            # The espeak driver's own setProperty applies at once; going through
            # the engine queues it behind pyttsx3's busy flag.
            self.engine.proxy._driver.setProperty(name, value)
        else:
            self.engine.setProperty(name, value)

    def _settle(self) -> None:
        # espeak-ng runs its own thread here; a property change queued behind a
        # cancelled utterance is lost unless the queue is drained first.
        if self._espeak is not None:
            self._espeak.Synchronize()

    def render(
        self,
        text: str,
        path: str,
        voice: str | None = None,
        rate: int | None = None,
        volume: float | None = None,
    ) -> dict[str, Any]:
        text = " ".join(str(text).split())
        if not text:
            raise ValueError("nothing to say")
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.stem}.{os.getpid()}.partial.wav")
        started = time.monotonic()
        volume = None if volume is None else max(0.0, min(1.0, float(volume)))
        voice_missing = self._apply(voice, rate, volume)
        duration = 0.0
        for _attempt in range(2):
            self.engine.save_to_file(text, str(partial))
            self.engine.runAndWait()
            self._settle()
            try:
                duration = _trim_silence(partial) if partial.exists() else 0.0
            except (OSError, EOFError, wave.Error):
                duration = 0.0  # empty, header only or cut short
            if duration > 0:
                break
        synth_seconds = time.monotonic() - started
        if duration <= 0:
            partial.unlink(missing_ok=True)
            target.unlink(missing_ok=True)
            raise EmptyClipError("the engine produced a clip with no sound in it")
        os.replace(partial, target)
        return {
            "path": str(target),
            "duration": duration,
            "synth_seconds": synth_seconds,
            "voice_missing": voice_missing,
        }


def _driver_name(engine: Any) -> str:
    module = getattr(getattr(engine, "proxy", None), "_module", None)
    name = getattr(module, "__name__", "") or ""
    return name.rsplit(".", 1)[-1] or "unknown"


def _espeak_module() -> Any:
    try:
        from pyttsx3.drivers import _espeak

        return _espeak
    except Exception:
        return None


def _safe_str(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _trim_silence(path: Path) -> float:
    """Cut long silence off both ends of a 16-bit WAV in place; return its length."""
    with wave.open(str(path), "rb") as source:
        params = source.getparams()
        frames = source.readframes(params.nframes)
    if params.nframes == 0 or params.framerate <= 0:
        return 0.0
    if params.sampwidth != 2:
        return params.nframes / params.framerate
    samples = array.array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()
    channels = max(1, params.nchannels)
    first = next((i for i, value in enumerate(samples) if abs(value) >= _SILENCE_LEVEL), None)
    if first is None:
        return 0.0  # all silence: as good as empty
    last = len(samples) - 1
    while last > first and abs(samples[last]) < _SILENCE_LEVEL:
        last -= 1
    rate = params.framerate * channels
    begin = max(0, first - int(_KEEP_LEAD_SECONDS * rate))
    finish = min(len(samples), last + 1 + int(_KEEP_TAIL_SECONDS * rate))
    begin -= begin % channels
    finish -= finish % channels
    kept = samples[begin:finish]
    if sys.byteorder == "big":
        kept.byteswap()
    with wave.open(str(path), "wb") as target:
        target.setnchannels(params.nchannels)
        target.setsampwidth(params.sampwidth)
        target.setframerate(params.framerate)
        target.writeframes(kept.tobytes())
    return len(kept) / rate


def _reply(out: IO[str], message: dict[str, Any]) -> None:
    out.write(json.dumps(message, ensure_ascii=False) + "\n")
    out.flush()


def _protocol_streams() -> tuple[IO[str], IO[str]]:
    """Keep stdout for the protocol alone: pyttsx3 prints to it while saving files."""
    protocol_fd = os.dup(sys.stdout.fileno())
    with contextlib.suppress(OSError):
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    out = os.fdopen(protocol_fd, "w", encoding="utf-8", newline="\n")
    source = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115 - lives as long as the worker
    return source, out


def handle(renderer: Renderer, request: dict[str, Any]) -> dict[str, Any]:
    """Answer one request (without its id)."""
    op = request.get("op")
    if op == "ping":
        return {"ok": True}
    if op == "voices":
        return {"ok": True, "voices": renderer.voices()}
    if op == "render":
        text = request.get("text")
        path = request.get("path")
        if not isinstance(text, str) or not isinstance(path, str):
            return {"ok": False, "error": "render needs text and path"}
        rate = request.get("rate")
        volume = request.get("volume")
        voice = request.get("voice")
        return {
            "ok": True,
            **renderer.render(
                text,
                path,
                voice=voice if isinstance(voice, str) and voice else None,
                rate=int(rate) if isinstance(rate, (int, float)) else None,
                volume=float(volume) if isinstance(volume, (int, float)) else None,
            ),
        }
    return {"ok": False, "error": f"unknown op {op!r}"}


def worker_main(argv: Sequence[str] | None = None) -> int:
    """Run the worker until its input closes; see the module docstring."""
    del argv  # no options yet; accepted so the command line can grow
    source, out = _protocol_streams()
    try:
        renderer = Renderer()
        # A first render warms espeak-ng up, so the first real cue is not the slow one.
        renderer.voices()
    except BaseException as error:  # the engine may raise anything, even SystemExit
        _reply(
            out,
            {
                "event": "hello",
                "ok": False,
                "kind": classify_engine_error(error),
                "error": f"{type(error).__name__}: {error}".strip(),
            },
        )
        return EXIT_ENGINE_FAILED
    _reply(
        out,
        {
            "event": "hello",
            "ok": True,
            "engine": renderer.driver_name,
            "pyttsx3": renderer.version,
            "voice": renderer.default_voice,
            "pid": os.getpid(),
            "library": loaded_espeak_library(),
            "espeak_data": os.environ.get(ESPEAK_DATA_ENV),
        },
    )
    for line in source:
        line = line.strip()
        if not line:
            continue
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("a request is a JSON object")
        except ValueError as error:
            _reply(out, {"id": None, "ok": False, "error": f"bad request: {error}"})
            continue
        try:
            answer = handle(renderer, request)
        except Exception as error:
            kind = "empty-clip" if isinstance(error, EmptyClipError) else "render-error"
            answer = {"ok": False, "kind": kind, "error": f"{type(error).__name__}: {error}"}
        _reply(out, {"id": request.get("id"), **answer})
    return 0


if __name__ == "__main__":
    sys.exit(worker_main(sys.argv[1:]))
