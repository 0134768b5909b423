"""The app's log file (``facegym.log`` in the log folder, rotated at start-up) and its level.

Rotating once per launch (instead of logging.handlers' size check on every record)
keeps the log small without importing the socket and pickle machinery that
``logging.handlers`` pulls in before the window can show.

The level is INFO unless ``--verbose`` (DEBUG) or ``FACEGYM_LOG_LEVEL`` says otherwise
(docs/contracts.md, Logging).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Mapping
from pathlib import Path

LOG_NAME = "facegym.log"
MAX_BYTES = 1_000_000
KEEP = 3  # facegym.log.1 … facegym.log.3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_LEVEL_ENV = "FACEGYM_LOG_LEVEL"
LEVEL_NAMES = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_LEVEL = logging.INFO

_chosen_level: int | None = None  # set by configure_logging, read by setup_logging


def choose_level(
    verbose: bool, environ: Mapping[str, str] | None = None
) -> tuple[int | None, str | None]:
    """The level asked for, and a problem line when ``FACEGYM_LOG_LEVEL`` is unusable.

    ``--verbose`` means DEBUG and wins over the environment.  The level is None when
    neither asks for one (the default, INFO, applies) or the variable is unusable.
    """
    if verbose:
        return logging.DEBUG, None
    text = (os.environ if environ is None else environ).get(LOG_LEVEL_ENV, "").strip()
    if not text:
        return None, None
    if text.upper() in LEVEL_NAMES:
        return logging.getLevelNamesMapping()[text.upper()], None
    problem = (
        f"facegym: {LOG_LEVEL_ENV}={text!r} is not one of {', '.join(LEVEL_NAMES)}; "
        f"using {logging.getLevelName(DEFAULT_LEVEL)}"
    )
    return None, problem


def configure_logging(
    verbose: bool, *, echo: bool, environ: Mapping[str, str] | None = None
) -> int:
    """Set the level for this run; returns it.

    A bad ``FACEGYM_LOG_LEVEL`` prints one line to stderr and the default applies.
    With ``echo`` and a level asked for (``--verbose`` or the variable), records at
    that level also go to stderr: text commands have no log file, and ``--verbose``
    shows the app's log in the terminal too.
    """
    global _chosen_level
    level, problem = choose_level(verbose, environ)
    if problem is not None:
        print(problem, file=sys.stderr)
    _chosen_level = level
    root = logging.getLogger()
    if level is not None:
        root.setLevel(level)
        if echo:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(FORMAT))
            root.addHandler(handler)
    return DEFAULT_LEVEL if level is None else level


def rotate(log_file: Path, max_bytes: int = MAX_BYTES, keep: int = KEEP) -> None:
    """Shift ``log`` to ``log.1`` (and so on, dropping the oldest) once it is too big."""
    try:
        if log_file.stat().st_size < max_bytes:
            return
    except FileNotFoundError:
        return
    for number in range(keep - 1, 0, -1):
        older = log_file.with_name(f"{log_file.name}.{number}")
        if older.exists():
            older.replace(log_file.with_name(f"{log_file.name}.{number + 1}"))
    log_file.replace(log_file.with_name(f"{log_file.name}.1"))


class QuietFileHandler(logging.FileHandler):
    """A log file that never prints Python's "--- Logging error ---" traceback.

    When a record cannot be written (a full disk, a vanished folder), one line says
    so on standard error the first time; later failures are silent.
    """

    failed = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging API
        if not self.failed:
            self.failed = True
            error = sys.exc_info()[1]
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"facegym: cannot write the log {self.baseFilename}: {error}\n")

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the last buffered record could not be written
            super().close()


def setup_logging(logs_dir: Path) -> Path | None:
    """Send log records to the log folder's file; stderr when it cannot be written.

    The level is the one :func:`configure_logging` chose, else INFO.  Returns the
    log file in use, or None when logging goes to stderr.
    """
    log_file: Path | None = None
    try:
        logs_dir.mkdir(parents=True, exist_ok=True)
        rotate(logs_dir / LOG_NAME)
        handler: logging.Handler = QuietFileHandler(logs_dir / LOG_NAME, encoding="utf-8")
        log_file = logs_dir / LOG_NAME
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(DEFAULT_LEVEL if _chosen_level is None else _chosen_level)
    return log_file
