"""The user's routine files: atomic writes, delete and restore, import previews, export."""

from __future__ import annotations

from pathlib import Path

import pytest

from facegym_desktop.core.library import Library, load_library
from facegym_desktop.core.routine_store import (
    RoutineFileError,
    delete_file,
    export_routine,
    import_file,
    preview_import,
    restore_file,
    user_file,
    write_atomically,
)
from facegym_desktop.paths import builtin_routines_dir
from tests.factories import user_routine_toml

SHARED = user_routine_toml("shared-glow", "Shared glow", "From a friend.")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    mine = tmp_path / "routines"
    write_atomically(user_file(mine, "quick-glow"), user_routine_toml("quick-glow", "Q", "Q."))
    return mine


def library_of(folder: Path) -> Library:
    return load_library(builtin_routines_dir(), folder)


def test_a_write_leaves_only_the_file(tmp_path: Path) -> None:
    target = write_atomically(tmp_path / "new" / "a.toml", "x = 1\n")
    write_atomically(target, "x = 2\n")
    assert target.read_text(encoding="utf-8") == "x = 2\n"
    assert [p.name for p in target.parent.iterdir()] == ["a.toml"]


def test_a_failed_write_raises_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = write_atomically(tmp_path / "a.toml", "old\n")
    with pytest.raises(RoutineFileError, match="cannot be written"):
        write_atomically(tmp_path / "a.toml" / "inside.toml", "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"


def test_delete_then_restore_gives_the_same_file(folder: Path) -> None:
    path = user_file(folder, "quick-glow")
    text = path.read_text(encoding="utf-8")
    deleted = delete_file(path, "Q")
    assert not path.exists() and deleted.text == text and deleted.name == "Q"
    assert restore_file(deleted) == path
    assert path.read_text(encoding="utf-8") == text
    with pytest.raises(RoutineFileError, match="does not exist"):
        delete_file(folder / "gone.toml", "Gone")


def test_a_sound_file_previews_and_imports(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "shared.toml"
    source.write_text(SHARED, encoding="utf-8")
    preview = preview_import(source, library_of(folder), builtin_routines_dir(), folder)
    assert preview.ok and not preview.replaces
    assert preview.target == user_file(folder, "shared-glow")
    assert import_file(preview) == preview.target
    assert preview.target.read_text(encoding="utf-8") == SHARED


def test_a_routine_of_yours_is_replaced_only_when_asked(folder: Path, tmp_path: Path) -> None:
    source = tmp_path / "q.toml"
    source.write_text(user_routine_toml("quick-glow", "Q2", "Newer."), encoding="utf-8")
    preview = preview_import(source, library_of(folder), builtin_routines_dir(), folder)
    assert preview.ok and preview.replaces == "Q"
    with pytest.raises(RoutineFileError, match="would replace"):
        import_file(preview)
    import_file(preview, overwrite=True)
    assert library_of(folder).routines["quick-glow"].name == "Q2"


def test_unreadable_and_broken_files_are_refused(folder: Path, tmp_path: Path) -> None:
    library = library_of(folder)
    missing = preview_import(tmp_path / "none.toml", library, builtin_routines_dir(), folder)
    assert not missing.ok and missing.problems[0].endswith("file: does not exist")
    broken = tmp_path / "broken.toml"
    broken.write_text(SHARED.replace("default_minutes = 2", "default_minutes = 20"))
    preview = preview_import(broken, library, builtin_routines_dir(), folder)
    assert not preview.ok and preview.summary == []
    assert any("default_minutes" in line for line in preview.problems)
    with pytest.raises(RoutineFileError, match="has problems"):
        import_file(preview)


def test_export_copies_a_routine_file_as_it_is(folder: Path, tmp_path: Path) -> None:
    library = library_of(folder)
    routine = library.routines["morning-wake-up"]
    target = export_routine(routine, library, tmp_path / "out.toml")
    assert target.read_bytes() == Path(routine.path).read_bytes()
