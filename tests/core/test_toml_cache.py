"""The parse cache: same routines as parsing afresh, and never trusted blindly."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.core.library import load_library
from facegym_desktop.core.routine import parse_text
from facegym_desktop.core.toml_cache import TomlCache, text_key
from facegym_desktop.paths import builtin_routines_dir
from tests.factories import JAW_GLIDE_MOVES as MOVES

# TOML values that JSON holds exactly: strings, integers, finite floats, booleans,
# arrays and tables.
scalars = (
    st.text(max_size=8)
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
)
tables = st.recursive(
    st.dictionaries(st.text(max_size=6), scalars, max_size=4),
    lambda inner: st.dictionaries(
        st.text(max_size=6), inner | st.lists(inner, max_size=3) | scalars, max_size=4
    ),
    max_leaves=12,
)


def test_a_second_run_reads_the_tables_back(tmp_path: Path) -> None:
    cache_file = tmp_path / "routines.json"
    first = TomlCache(cache_file)
    parsed = parse_text(MOVES, "moves.toml", cache=first)
    first.save()

    second = TomlCache(cache_file)
    assert second.get(MOVES) == tomllib.loads(MOVES)
    assert parse_text(MOVES, "moves.toml", cache=TomlCache(cache_file)).moves == parsed.moves


@given(tables)
def test_any_json_exact_table_round_trips(table: dict) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        cache_file = Path(folder) / "c.json"
        cache = TomlCache(cache_file)
        cache.put("text", table)
        cache.save()
        assert TomlCache(cache_file).get("text") == table


def test_a_changed_text_is_parsed_again(tmp_path: Path) -> None:
    cache_file = tmp_path / "routines.json"
    cache = TomlCache(cache_file)
    cache.put(MOVES, tomllib.loads(MOVES))
    cache.save()
    edited = MOVES.replace("seconds = 40", "seconds = 45")
    assert text_key(edited) != text_key(MOVES)
    assert TomlCache(cache_file).get(edited) is None


def test_the_cache_cannot_make_a_bad_table_valid(tmp_path: Path) -> None:
    cache_file = tmp_path / "routines.json"
    tampered = tomllib.loads(MOVES)
    tampered["moves"][0]["areas"] = ["elbow"]
    cache_file.write_text(json.dumps({"version": 1, "tables": {text_key(MOVES): tampered}}))
    parsed = parse_text(MOVES, "moves.toml", cache=TomlCache(cache_file))
    assert any("areas[0]: must be one of" in str(problem) for problem in parsed.problems)


def test_dates_are_not_cached(tmp_path: Path) -> None:
    cache = TomlCache(tmp_path / "c.json")
    text = "when = 2026-11-20T07:30:00\n"
    cache.put(text, tomllib.loads(text))
    cache.save()
    assert not (tmp_path / "c.json").exists()


def test_a_damaged_or_foreign_cache_file_is_ignored_and_replaced(tmp_path: Path) -> None:
    cache_file = tmp_path / "routines.json"
    for content in ("{not json", "[1, 2]", '{"version": 99, "tables": {}}', "\udcff"):
        cache_file.write_text(content, encoding="utf-8", errors="surrogateescape")
        cache = TomlCache(cache_file)
        assert cache.get(MOVES) is None
        parse_text(MOVES, "moves.toml", cache=cache)
        cache.save()
        assert TomlCache(cache_file).get(MOVES) == tomllib.loads(MOVES)


def test_an_unwritable_cache_costs_only_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    cache = TomlCache(blocker / "routines.json")
    parsed = parse_text(MOVES, "moves.toml", cache=cache)
    cache.save()  # must not raise
    assert parsed.problems == [] and len(parsed.moves) == 1


def test_save_keeps_only_the_texts_used_this_run(tmp_path: Path) -> None:
    cache_file = tmp_path / "routines.json"
    cache = TomlCache(cache_file)
    cache.put("a = 1\n", {"a": 1})
    cache.put("b = 2\n", {"b": 2})
    cache.save()
    later = TomlCache(cache_file)
    assert later.get("a = 1\n") == {"a": 1}
    later.save()
    assert TomlCache(cache_file).get("b = 2\n") is None


def test_the_same_text_twice_gets_separate_tables(tmp_path: Path) -> None:
    cache = TomlCache(tmp_path / "c.json")
    cache.put("a = 1\n", {"a": 1})
    cache.save()
    warm = TomlCache(tmp_path / "c.json")
    assert warm.get("a = 1\n") == {"a": 1}
    assert warm.get("a = 1\n") is None  # the caller parses its own copy


def test_library_with_a_warm_cache_equals_a_fresh_parse(tmp_path: Path) -> None:
    cache_file = tmp_path / "routines.json"
    fresh = load_library(builtin_routines_dir())
    load_library(builtin_routines_dir(), parse_cache=cache_file)
    warm = load_library(builtin_routines_dir(), parse_cache=cache_file)
    assert warm.routines == fresh.routines
    assert warm.moves == fresh.moves
    assert warm.problems == fresh.problems == []


def test_a_warm_start_does_not_load_the_toml_parser(tmp_path: Path) -> None:
    cache_file = tmp_path / "routines.json"
    load_library(builtin_routines_dir(), parse_cache=cache_file)
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from facegym_desktop.core.library import load_library
        from facegym_desktop.paths import builtin_routines_dir
        library = load_library(builtin_routines_dir(), parse_cache=Path({str(cache_file)!r}))
        print(len(library.routines), "tomllib" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    count, parser_loaded = result.stdout.split()
    assert int(count) == len(load_library(builtin_routines_dir()).routines)
    assert parser_loaded == "False"
