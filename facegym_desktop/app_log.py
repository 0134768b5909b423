"""The app's log file: ``logs/facegym.log`` in the data folder, rotated at start-up.

Rotating once per launch (instead of logging.handlers' size check on every record)
keeps the log small without importing the socket and pickle machinery that
``logging.handlers`` pulls in before the window can show.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

LOG_NAME = "facegym.log"
MAX_BYTES = 1_000_000
KEEP = 3  # facegym.log.1 … facegym.log.3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
            try:
                sys.stderr.write(f"facegym: cannot write the log {self.baseFilename}: {error}\n")
            except (OSError, ValueError):
                pass

    def close(self) -> None:
        try:
            super().close()
        except OSError:
            pass  # the last buffered record could not be written either


def setup_logging(logs_dir: Path) -> Path | None:
    """Send log records to the data folder's log file; stderr when it cannot be written.

    Returns the log file in use, or None when logging goes to stderr.
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
    root.setLevel(logging.INFO)
    return log_file
