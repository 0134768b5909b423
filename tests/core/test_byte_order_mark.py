"""Files people edit may start with a UTF-8 byte-order mark (Windows editors write one):
routine files, settings.json and the reminder state read the same with it."""

from __future__ import annotations

import codecs
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.cli import main
from facegym_desktop.core.library import load_library
from facegym_desktop.core.reminders import load_state
from facegym_desktop.core.routine_files import read_routine_text
from facegym_desktop.core.settings import load_settings
from facegym_desktop.core.text_decoding import decode_text
from facegym_desktop.paths import builtin_routines_dir
from tests.factories import user_routine_toml

BOM = codecs.BOM_UTF8


@given(st.text())
def test_the_text_is_the_same_with_or_without_the_mark(text: str) -> None:
    data = text.encode("utf-8")
    assert decode_text(data) == text
    assert decode_text(BOM + data) == text


def test_only_one_mark_is_dropped_and_bad_bytes_are_placed_in_the_file() -> None:
    assert decode_text(BOM + BOM + b"x") == "\ufeffx"
    with pytest.raises(UnicodeDecodeError) as caught:
        decode_text(BOM + b"ab\xff")
    assert caught.value.start == 5


def test_a_routine_file_with_the_mark_loads_and_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "routines"
    folder.mkdir()
    path = folder / "windows.toml"
    text = user_routine_toml("windows", "From Notepad", "Saved on Windows.")
    path.write_bytes(BOM + text.encode())
    assert read_routine_text(path, "x") == text
    library = load_library(builtin_routines_dir(), folder)
    assert library.problems == [] and library.routine("windows") is not None
    assert main(["routines", "validate", str(path), "--data-dir", str(tmp_path)]) == 0
    assert "no problems" in capsys.readouterr().err


def test_settings_with_the_mark_are_read_not_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(BOM + json.dumps({"version": 1, "theme": "dark"}).encode())
    loaded = load_settings(path)
    assert loaded.problems == []
    assert loaded.settings.theme == "dark"
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["settings.json"]


def test_the_reminder_state_with_the_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "reminders.json"
    path.write_bytes(BOM + b'{"version": 1, "skipped_on": "2026-03-29"}')
    state = load_state(path, datetime(2026, 3, 29, 12, tzinfo=UTC))
    assert state.skipped_on is not None and state.skipped_on.isoformat() == "2026-03-29"
