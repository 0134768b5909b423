"""The log file rotates at start-up once it passes its size, keeping three old logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from facegym_desktop.app_log import LOG_NAME, rotate, setup_logging


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_a_small_log_is_left_in_place(tmp_path: Path) -> None:
    log = tmp_path / LOG_NAME
    write(log, "short")
    rotate(log, max_bytes=100)
    assert log.read_text(encoding="utf-8") == "short"
    assert not (tmp_path / f"{LOG_NAME}.1").exists()


def test_a_missing_log_is_fine(tmp_path: Path) -> None:
    rotate(tmp_path / LOG_NAME, max_bytes=10)
    assert list(tmp_path.iterdir()) == []


def test_a_full_log_shifts_down_and_the_oldest_goes(tmp_path: Path) -> None:
    log = tmp_path / LOG_NAME
    for number, text in ((1, "one"), (2, "two"), (3, "three")):
        write(tmp_path / f"{LOG_NAME}.{number}", text)
    write(log, "x" * 50)
    rotate(log, max_bytes=10, keep=3)
    assert not log.exists()
    assert (tmp_path / f"{LOG_NAME}.1").read_text(encoding="utf-8") == "x" * 50
    assert (tmp_path / f"{LOG_NAME}.2").read_text(encoding="utf-8") == "one"
    assert (tmp_path / f"{LOG_NAME}.3").read_text(encoding="utf-8") == "two"
    assert not (tmp_path / f"{LOG_NAME}.4").exists()


@pytest.fixture
def root_logger():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers[len(handlers) :]:
        handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_records_reach_the_log_file(tmp_path: Path, root_logger: logging.Logger) -> None:
    log_file = setup_logging(tmp_path / "logs")
    assert log_file == tmp_path / "logs" / LOG_NAME
    logging.getLogger("facegym.test").warning("the pillow is flat")
    for handler in root_logger.handlers:
        handler.flush()
    assert "WARNING facegym.test: the pillow is flat" in log_file.read_text(encoding="utf-8")


def test_an_unwritable_log_folder_falls_back_to_stderr(
    tmp_path: Path, root_logger: logging.Logger
) -> None:
    blocker = tmp_path / "logs"
    write(blocker, "a file where the folder should be")
    assert setup_logging(blocker) is None
    assert isinstance(root_logger.handlers[-1], logging.StreamHandler)
