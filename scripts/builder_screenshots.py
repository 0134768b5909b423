"""Make the README pictures of the routine builder and the compose dialog (light).

Builds the real MainWindow offscreen in a scratch data folder, opens the builder on
a copy of a built-in routine at 1024x600 (the smallest size it is made for) and the
compose dialog with a few choices made, and saves ``grab()`` of each.  Usage::

    .venv/bin/python scripts/builder_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

# First: it sets Qt up (offscreen, the checkout on sys.path) before PySide6 loads.
import shots  # isort: skip

from facegym_desktop.core.library import load_library  # noqa: E402
from facegym_desktop.core.settings import Settings  # noqa: E402
from facegym_desktop.paths import DataPaths, builtin_routines_dir  # noqa: E402
from facegym_desktop.ui.main_window import MainWindow  # noqa: E402
from facegym_desktop.ui.questions import Unsaved  # noqa: E402

ROUTINE = "morning-wake-up"
SELECTED_STEP = 2
BUILDER_SIZE = (1024, 600)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = shots.application()
    with tempfile.TemporaryDirectory(prefix="facegym-shots-") as tmp:
        paths = DataPaths(Path(tmp) / "data").ensure()
        library = load_library(builtin_routines_dir(), paths.user_routines)
        window = MainWindow(paths, library, Settings(theme="light", last_routine=ROUTINE))
        window.resize(1180, 760)
        window.show()
        tools = window.routine_tools
        tools.unsaved_choice = lambda _what, _can_save: Unsaved.DISCARD  # closing at the end
        builder = tools.edit(library.routines[ROUTINE])
        assert builder is not None
        builder.fields.name.setText("Morning, my way")
        builder.steps.setCurrentRow(SELECTED_STEP)
        builder.picker.set_filters(area="jawline")
        builder.resize(*BUILDER_SIZE)
        shots.shoot(builder, args.out / "builder-light.png", app)
        dialog = tools.compose()
        dialog.name.setText("Jaw and neck")
        dialog.minutes.setValue(8)
        for area in ("jawline", "neck"):
            dialog.areas[area].setChecked(True)
        dialog.tools["gua-sha"].setChecked(True)
        shots.shoot(dialog, args.out / "compose-light.png", app)
        dialog.close()
        builder.close()
        window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
