"""Settings: read kindly, written atomically, a bad file kept rather than lost."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from facegym_desktop.core.settings import Settings, load_settings, save_settings
from facegym_desktop.core.timefmt import (
    clock_text,
    duration_text,
    minute_choices,
    relative_day,
)


def test_missing_file_gives_defaults(tmp_path: Path):
    loaded = load_settings(tmp_path / "settings.json")
    assert loaded.settings == Settings() and loaded.problems == []


def test_round_trip(tmp_path: Path):
    path = tmp_path / "settings.json"
    chosen = Settings(
        theme="dark",
        mirror=False,
        muted=True,
        verbosity="brief",
        voice_rate=170,
        last_routine="morning-wake-up",
        minutes_by_routine={"morning-wake-up": 6.5},
    )
    save_settings(path, chosen)
    assert load_settings(path) == type(load_settings(path))(chosen, [])
    assert not path.with_name("settings.json.tmp").exists()


def test_unreadable_file_is_kept_aside_and_named(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text('{"theme": "dark",')
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert (
        len(loaded.problems) == 1
        and str(path) in loaded.problems[0]
        and "line 1" in loaded.problems[0]
    )
    kept = list(tmp_path.glob("settings.json.unreadable-*"))
    assert len(kept) == 1 and kept[0].read_text() == '{"theme": "dark",'


def test_bad_values_fall_back_one_by_one(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "theme": "purple",
                "mirror": False,
                "voice_rate": "fast",
                "minutes_by_routine": {"a": 500},
            }
        )
    )
    loaded = load_settings(path)
    assert loaded.settings.mirror is False
    assert loaded.settings.theme == "system" and loaded.settings.voice_rate == 150
    assert loaded.settings.minutes_by_routine == {}
    assert {p.split(": ")[1] for p in loaded.problems} == {
        "theme",
        "voice_rate",
        "minutes_by_routine",
    }


def test_not_an_object(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text("[1, 2]")
    loaded = load_settings(path)
    assert loaded.settings == Settings() and "not a JSON object" in loaded.problems[0]


@given(st.binary(max_size=200))
@hyp_settings(max_examples=150, deadline=None)
def test_any_bytes_never_raise(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("s")
    path = folder / "settings.json"
    path.write_bytes(data)
    loaded = load_settings(path)
    assert isinstance(loaded.settings, Settings)


def test_time_wording():
    assert clock_text(0) == "0:00" and clock_text(0.2) == "0:01" and clock_text(65) == "1:05"
    assert (
        duration_text(45) == "45 s"
        and duration_text(180) == "3 min"
        and duration_text(270) == "4 min 30 s"
    )
    today = date(2026, 3, 29)
    assert relative_day(None, today) == "not yet"
    assert relative_day(today, today) == "today"
    assert relative_day(date(2026, 3, 28), today) == "yesterday"
    assert relative_day(date(2026, 3, 25), today) == "4 days ago"
    assert relative_day(date(2026, 3, 2), today) == "on 2 March"
    assert relative_day(date(2025, 3, 2), today) == "on 2 March 2025"


def test_length_choices():
    assert minute_choices(3, 5, 4.2) == [3, 3.5, 4, 4.2, 4.5, 5]


def test_a_kept_length_outside_the_routines_range_gives_its_default() -> None:
    from facegym_desktop.core.library import load_library
    from facegym_desktop.paths import builtin_routines_dir

    routine = load_library(builtin_routines_dir(), Path("/nonexistent")).routines["morning-wake-up"]
    low, high = routine.min_minutes, routine.max_minutes
    for kept, expected in ((high + 22, routine.default_minutes), (low / 2, routine.default_minutes),
                           (low, low), (high, high)):  # fmt: skip
        assert Settings(minutes_by_routine={routine.id: kept}).minutes_for(routine) == expected
    assert Settings().minutes_for(routine) == routine.default_minutes
