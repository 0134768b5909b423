"""The setting declarations: defaults, allowed values, command-line text, unknown keys."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from facegym_desktop.core.routine import PREP_SECONDS_RANGE, TRANSITION_SECONDS_RANGE
from facegym_desktop.core.setting_kinds import (
    ROUTINE_OWN,
    BoolSetting,
    ChoiceSetting,
    FloatSetting,
    IntSetting,
    MinutesSetting,
    OptionalSecondsSetting,
    Setting,
    SettingValueError,
    TextSetting,
    TimesSetting,
)
from facegym_desktop.core.settings import (
    DECLARED,
    PAUSE_SECONDS,
    PREP_SECONDS,
    REST_DAYS_PER_WEEK,
    SETTINGS,
    VOICE_RATE,
    Settings,
    load_settings,
    save_settings,
    with_timing,
)
from facegym_desktop.core.stats import streaks
from tests.factories import routine_of, timed_move


def test_settings_attributes_follow_the_declarations_in_order() -> None:
    names = [name for name in Settings._fields if name != "unknown"]
    assert names == [setting.key for setting in DECLARED] == list(SETTINGS)
    defaults = Settings()
    for setting in DECLARED:
        assert getattr(defaults, setting.key) == setting.default, setting.key


@pytest.mark.parametrize("setting", DECLARED, ids=lambda setting: setting.key)
def test_every_default_passes_its_own_check(setting: Setting[Any]) -> None:
    assert setting.check(setting.normal(setting.default)) is None
    assert setting.label and setting.help and setting.allowed


@pytest.mark.parametrize("setting", DECLARED, ids=lambda setting: setting.key)
def test_every_default_round_trips_through_its_text(setting: Setting[Any]) -> None:
    assert setting.parse(setting.format(setting.default)) == setting.default


def test_rest_days_are_zero_to_three_and_the_streak_rule_accepts_them() -> None:
    assert (REST_DAYS_PER_WEEK.minimum, REST_DAYS_PER_WEEK.maximum) == (0, 3)
    assert REST_DAYS_PER_WEEK.check(4) == "4 is not a whole number from 0 to 3 days a week"
    for allowance in range(REST_DAYS_PER_WEEK.minimum, REST_DAYS_PER_WEEK.maximum + 1):
        assert streaks([], date(2026, 3, 29), allowance).current == 0


def test_reasons_name_the_allowed_values() -> None:
    assert SETTINGS["theme"].check("purple") == '"purple" is not one of system, light, dark'
    assert SETTINGS["mirror"].check("yes") == '"yes" is not true or false'
    assert SETTINGS["voice_volume"].check(1.5) == "1.5 is not a number from 0 to 1"
    assert SETTINGS["voice_rate"].check(True) == (
        "true is not a whole number from 90 to 240 words a minute"
    )
    assert "at most 100 characters" in (SETTINGS["last_routine"].check("x" * 101) or "")
    assert "from 1 to 90" in (SETTINGS["minutes_by_routine"].check({"a": 91}) or "")


def test_parse_refuses_with_the_allowed_values() -> None:
    with pytest.raises(SettingValueError, match="'fast' is not a whole number from 90 to 240"):
        VOICE_RATE.parse("fast")
    with pytest.raises(SettingValueError, match="300 is not a whole number from 90 to 240"):
        VOICE_RATE.parse("300")
    with pytest.raises(SettingValueError, match="one of full, brief, counts, off"):
        SETTINGS["verbosity"].parse("chatty")
    with pytest.raises(SettingValueError, match="not a number from 0 to 1"):
        SETTINGS["voice_volume"].parse("nan")
    with pytest.raises(SettingValueError, match="JSON object"):
        SETTINGS["minutes_by_routine"].parse("{")


def test_parse_reads_what_people_type() -> None:
    assert SETTINGS["mirror"].parse("Off") is False and SETTINGS["mirror"].parse(" yes") is True
    assert SETTINGS["theme"].parse("Dark") == "dark"
    assert VOICE_RATE.parse(" 165 ") == 165
    assert SETTINGS["voice_volume"].parse("1") == 1.0
    assert SETTINGS["minutes_by_routine"].parse('{"a": 5}') == {"a": 5.0}


def _allowed_values(setting: Setting[Any]) -> st.SearchStrategy[Any]:
    if isinstance(setting, BoolSetting):
        return st.booleans()
    if isinstance(setting, IntSetting):
        return st.integers(setting.minimum, setting.maximum)
    if isinstance(setting, FloatSetting):
        return st.floats(setting.minimum, setting.maximum)
    if isinstance(setting, ChoiceSetting):
        return st.sampled_from(setting.choices)
    if isinstance(setting, TextSetting):
        return st.text(max_size=setting.max_length).filter(lambda text: text == text.strip())
    if isinstance(setting, TimesSetting):
        wall_time = st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
        return st.lists(wall_time, max_size=setting.max_items, unique=True)
    if isinstance(setting, OptionalSecondsSetting):
        return st.one_of(st.none(), st.integers(setting.minimum, setting.maximum))
    assert isinstance(setting, MinutesSetting)
    minutes = st.floats(setting.minimum, setting.maximum)
    return st.dictionaries(st.text(max_size=20), minutes, max_size=5)


def _refused_values(setting: Setting[Any]) -> st.SearchStrategy[Any]:
    if isinstance(setting, BoolSetting):
        return st.one_of(st.integers(), st.text(), st.none())
    if isinstance(setting, IntSetting):
        return st.one_of(
            st.integers(max_value=setting.minimum - 1),
            st.integers(min_value=setting.maximum + 1),
            st.booleans(),
            st.floats(),
        )
    if isinstance(setting, FloatSetting):
        return st.one_of(
            st.floats(max_value=setting.minimum, exclude_max=True),
            st.floats(min_value=setting.maximum, exclude_min=True),
            st.just(math.nan),
            st.booleans(),
            st.text(),
        )
    if isinstance(setting, ChoiceSetting):
        return st.text().filter(lambda text: text not in setting.choices)
    if isinstance(setting, TextSetting):
        return st.one_of(st.text(min_size=setting.max_length + 1), st.integers(), st.none())
    if isinstance(setting, TimesSetting):
        return st.one_of(
            st.lists(st.just("07:30"), min_size=2),
            st.lists(st.text().filter(lambda text: ":" not in text), min_size=1),
            st.lists(st.integers(), min_size=1),
            st.text(),
            st.none(),
        )
    if isinstance(setting, OptionalSecondsSetting):
        return st.one_of(
            st.integers(max_value=setting.minimum - 1),
            st.integers(min_value=setting.maximum + 1),
            st.booleans(),
            st.floats(),
            st.text(),
        )
    assert isinstance(setting, MinutesSetting)
    return st.one_of(
        st.dictionaries(
            st.text(max_size=5), st.floats(min_value=setting.maximum, exclude_min=True), min_size=1
        ),
        st.lists(st.integers()),
        st.text(),
    )


@given(data=st.data(), setting=st.sampled_from(DECLARED))
@hyp_settings(max_examples=300, deadline=None)
def test_allowed_values_pass_and_round_trip_through_text(
    data: st.DataObject, setting: Setting[Any]
) -> None:
    value = setting.normal(data.draw(_allowed_values(setting)))
    assert setting.check(value) is None
    assert setting.parse(setting.format(value)) == value
    # A mapping is written as JSON, a list of times comma-separated and "the routine's
    # own" as the word routine, not as str().
    if not isinstance(setting, MinutesSetting | TimesSetting) and value is not None:
        assert setting.parse(str(value)) == value


@given(data=st.data(), setting=st.sampled_from(DECLARED))
@hyp_settings(max_examples=300, deadline=None)
def test_values_outside_are_refused_naming_the_allowed_values(
    data: st.DataObject, setting: Setting[Any]
) -> None:
    value = data.draw(_refused_values(setting))
    reason = setting.check(value)
    assert reason is not None and reason.endswith(setting.allowed)


@given(value=st.integers())
def test_clamp_always_lands_within_the_range(value: int) -> None:
    assert VOICE_RATE.check(VOICE_RATE.clamp(value)) is None


def test_unknown_keys_survive_load_and_save(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "version": 2,
                "theme": "dark",
                "daily_reminder": {"at": "07:30", "days": [1, 2, 3]},
                "haptics": True,
            }
        )
    )
    loaded = load_settings(path)
    assert loaded.settings.theme == "dark"
    assert loaded.settings.unknown == {
        "daily_reminder": {"at": "07:30", "days": [1, 2, 3]},
        "haptics": True,
    }
    assert "newer app (2)" in loaded.problems[0] and "kept" in loaded.problems[0]
    save_settings(path, loaded.settings)
    written = json.loads(path.read_text())
    assert written["daily_reminder"] == {"at": "07:30", "days": [1, 2, 3]}
    assert written["haptics"] is True and written["theme"] == "dark"
    assert load_settings(path).settings.unknown == loaded.settings.unknown


@given(
    extra=st.dictionaries(
        st.text(min_size=1).filter(lambda key: key not in SETTINGS and key != "version"),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner),
            max_leaves=5,
        ),
        max_size=4,
    )
)
@hyp_settings(max_examples=50, deadline=None)
def test_any_unknown_key_survives_load_then_save(
    tmp_path_factory: pytest.TempPathFactory, extra: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("s") / "settings.json"
    path.write_text(json.dumps({"version": 1, "mirror": False, **extra}))
    save_settings(path, load_settings(path).settings)
    written = json.loads(path.read_text())
    assert {key: written[key] for key in extra} == extra and written["mirror"] is False


def test_a_bad_value_names_the_key_and_what_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"rest_days_per_week": 6}))
    loaded = load_settings(path)
    assert loaded.settings.rest_days_per_week == REST_DAYS_PER_WEEK.default
    assert loaded.problems == [
        f"{path}: rest_days_per_week: 6 is not a whole number from 0 to 3 days a week, "
        "using the default"
    ]


def test_the_command_line_takes_the_same_rest_day_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from facegym_desktop.cli import main

    assert main(["history", "stats", "--rest-days", "4", "--data-dir", str(tmp_path)]) == 2
    assert "--rest-days: 4 is not a whole number from 0 to 3" in capsys.readouterr().err
    assert main(["history", "stats", "--rest-days", "3", "--data-dir", str(tmp_path)]) == 0


def test_reminder_times_parse_sort_and_refuse_with_the_format() -> None:
    times = SETTINGS["reminder_times"]
    assert times.parse("21:00, 7:30") == ("07:30", "21:00")
    assert times.format(("21:00", "07:30")) == "07:30,21:00"
    assert times.parse("") == ()
    for bad in ("25:00", "07:30;21:00", "noon", ",".join(f"{h:02d}:00" for h in range(13))):
        with pytest.raises(SettingValueError, match="times of day like 07:30,21:00"):
            times.parse(bad)
    assert times.check(["07:30", 7]) is not None
    assert times.check("07:30") is not None


def test_reminder_settings_default_off_and_survive_a_save(tmp_path: Path) -> None:
    defaults = Settings()
    assert (defaults.reminder_times, defaults.remind_extended, defaults.autostart) == (
        (),
        False,
        False,
    )
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"reminder_times": ["21:00", "7:30"], "autostart": True}))
    loaded = load_settings(path)
    assert loaded.problems == []
    assert loaded.settings.reminder_times == ("07:30", "21:00")
    save_settings(path, loaded.settings)
    assert json.loads(path.read_text())["reminder_times"] == ["07:30", "21:00"]
    assert load_settings(path).settings == loaded.settings


def test_a_bad_reminder_time_is_named_in_the_reason() -> None:
    from facegym_desktop.core.settings import SETTINGS

    reason = SETTINGS["reminder_times"].check(["07:30", "25:00"])
    assert reason is not None and '"25:00" is no time of day' in reason


def test_a_time_given_twice_is_named_as_such() -> None:
    times = SETTINGS["reminder_times"]
    allowed = "give at most 12 different times of day like 07:30,21:00"
    assert times.check(["07:30", "21:00", "07:30"]) == f'"07:30" is given twice; {allowed}'
    assert times.check(["7:30", "07:30"]) == f'"7:30" and "07:30" are one time; {allowed}'
    with pytest.raises(SettingValueError, match="given twice"):
        times.parse("07:30,07:30")
    too_many = [f"{hour:02d}:00" for hour in range(13)]
    assert times.check(too_many) == f"13 times are too many; {allowed}"


# ---------------------------------------------------------------------- optional seconds


def test_prep_and_pause_allow_what_a_routine_file_allows() -> None:
    assert (PREP_SECONDS.minimum, PREP_SECONDS.maximum) == PREP_SECONDS_RANGE
    assert (PAUSE_SECONDS.minimum, PAUSE_SECONDS.maximum) == TRANSITION_SECONDS_RANGE
    assert PREP_SECONDS.default is None and PAUSE_SECONDS.default is None
    assert Settings().prep_seconds is None and Settings().pause_seconds is None


def test_optional_seconds_parse_a_number_or_the_routines_own() -> None:
    assert PREP_SECONDS.parse("10") == 10
    assert PREP_SECONDS.parse(" 0 ") == 0
    assert PREP_SECONDS.parse("routine") is None
    assert PREP_SECONDS.parse("Routine") is None
    assert PREP_SECONDS.format(None) == ROUTINE_OWN == "routine"
    assert PREP_SECONDS.format(45) == "45"
    assert PREP_SECONDS.check(None) is None and PREP_SECONDS.check(120) is None


@pytest.mark.parametrize("text", ["121", "-1", "soon", "7.5", "", "null"])
def test_optional_seconds_refuse_naming_the_allowed_values(text: str) -> None:
    with pytest.raises(SettingValueError) as refused:
        PREP_SECONDS.parse(text)
    assert str(refused.value).endswith(
        "is not \"routine\" (each routine's own) or a whole number of seconds from 0 to 120"
    )
    assert PAUSE_SECONDS.check(61) == (
        "61 is not \"routine\" (each routine's own) or a whole number of seconds from 0 to 60"
    )
    assert PAUSE_SECONDS.check(True) is not None and PAUSE_SECONDS.check(5.0) is not None


def test_optional_seconds_round_trip_through_json_null(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(path, Settings(prep_seconds=30))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["prep_seconds"] == 30 and data["pause_seconds"] is None
    loaded = load_settings(path)
    assert loaded.problems == []
    assert (loaded.settings.prep_seconds, loaded.settings.pause_seconds) == (30, None)
    data.update(prep_seconds=None, pause_seconds=0)
    path.write_text(json.dumps(data), encoding="utf-8")
    again = load_settings(path)
    assert (again.settings.prep_seconds, again.settings.pause_seconds) == (None, 0)


def test_a_bad_optional_seconds_value_falls_back_to_the_routines_own(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"prep_seconds": 500, "pause_seconds": "long"}), "utf-8")
    loaded = load_settings(path)
    assert (loaded.settings.prep_seconds, loaded.settings.pause_seconds) == (None, None)
    assert [line.split(": ")[1] for line in loaded.problems] == ["prep_seconds", "pause_seconds"]
    assert all(PREP_SECONDS.allowed[:20] in line for line in loaded.problems)


def test_with_timing_replaces_only_what_is_chosen() -> None:
    routine = routine_of(timed_move("chin-flicks"), timed_move("jaw-glide"))
    assert with_timing(routine, None, None) is routine
    both = with_timing(routine, 40, 0)
    assert (both.prep_seconds, both.transition_seconds) == (40, 0)
    assert both.steps == routine.steps and both.id == routine.id
    only_prep = with_timing(routine, 3, None)
    assert (only_prep.prep_seconds, only_prep.transition_seconds) == (
        3,
        routine.transition_seconds,
    )
    assert (routine.prep_seconds, routine.transition_seconds) == (15, 5)  # left as it was
    timed = Settings(pause_seconds=20).timed(routine)
    assert (timed.prep_seconds, timed.transition_seconds) == (15, 20)
