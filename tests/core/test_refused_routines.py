"""A routine id that is not found: which refused files stand for it, and the message."""

from __future__ import annotations

from pathlib import Path

from facegym_desktop.commands.routines import unknown_routine_message
from facegym_desktop.core.library import load_library
from facegym_desktop.paths import builtin_routines_dir
from tests.factories import user_routine_toml

LEFT_SIDE = user_routine_toml("left-side", "Left side", "Only the left side.") + (
    '\n[[steps]]\nmove = "chin-flicks"\nseconds = 30\nsides = "left"\n'
)
SIDES_PROBLEM = "steps[2].sides: must be one of both, each, got 'left'"


def user_folder(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "user routines"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_refused_file_stands_for_the_id_its_name_gives(tmp_path: Path) -> None:
    user = user_folder(tmp_path, {"left-side.toml": 'id = "left-side"\nname = [\n'})
    refused = load_library(builtin_routines_dir(), user).refused_for("left-side")
    assert list(refused) == [str(user / "left-side.toml")]
    assert [p.message for p in refused[str(user / "left-side.toml")]] == [
        "not valid TOML: Invalid value"
    ]


def test_a_refused_file_stands_for_the_id_its_id_key_gives(tmp_path: Path) -> None:
    user = user_folder(tmp_path, {"other-name.toml": LEFT_SIDE})
    library = load_library(builtin_routines_dir(), user)
    assert [str(p) for p in library.refused_for("left-side")[str(user / "other-name.toml")]] == [
        f"{user / 'other-name.toml'}: {SIDES_PROBLEM}"
    ]
    assert library.refused_for("other-name") == library.refused_for("left-side")
    assert library.refused_for("right-side") == {}


def test_a_loaded_routine_and_a_file_for_another_id_do_not_stand_for_it(tmp_path: Path) -> None:
    loaded = user_routine_toml("my-glow", "My glow", "Mine.")
    user = user_folder(tmp_path, {"my-glow.toml": loaded, "left-side.toml": LEFT_SIDE})
    library = load_library(builtin_routines_dir(), user)
    assert library.routine("my-glow") is not None
    assert library.refused_for("my-glow") == {}


def test_without_problems_the_message_names_the_known_ids_only(tmp_path: Path) -> None:
    library = load_library(builtin_routines_dir(), user_folder(tmp_path, {}))
    known = ", ".join(sorted(library.routines))
    assert unknown_routine_message(library, "nope") == f"no routine with id 'nope' (known: {known})"


def test_the_message_names_each_refused_file_with_its_first_problem(tmp_path: Path) -> None:
    user = user_folder(
        tmp_path, {"left-side.toml": LEFT_SIDE, "copy.toml": LEFT_SIDE, "x.toml": "[[moves]]\n"}
    )
    library = load_library(builtin_routines_dir(), user)
    known = ", ".join(sorted(library.routines))
    copy, left = user / "copy.toml", user / "left-side.toml"
    message = unknown_routine_message(library, "left-side", str(tmp_path / "my data"))
    assert message == (
        f"no routine with id 'left-side': {copy} was refused ({copy}: {SIDES_PROBLEM}); "
        f"{left} was refused ({left}: {SIDES_PROBLEM}); "
        f"run \"facegym routines validate '{copy}' '{left}' --data-dir '{tmp_path / 'my data'}'\" "
        f"for every problem; known: {known}"
    )


def test_other_problems_are_counted_when_no_file_stands_for_the_id(tmp_path: Path) -> None:
    user = user_folder(tmp_path, {"left-side.toml": LEFT_SIDE, "broken.toml": "name = [\n"})
    library = load_library(builtin_routines_dir(), user)
    known = ", ".join(sorted(library.routines))
    assert unknown_routine_message(library, "nope") == (
        f"no routine with id 'nope' (known: {known}); "
        '2 problems in routine files: "facegym routines list" shows them'
    )
