"""The Routine menu of the main window: new, edit, compose, import, export, and drops.

:class:`RoutineTools` opens the builder (``ui/builder_window.py``), the compose
dialog and the import preview, keeps the window's routine list in step with the
user routines folder (the library is loaded again after each save, import or
delete) and plays "Try it" at ten times the speed, with the history detached so a
trial is not kept.  It connects its own entries of the window's action table.  A
built-in routine is never edited: "Edit" offers to duplicate it.  ``.toml`` files
dropped on the window are imported as if chosen in the import dialog.

The questions it asks go through three replaceable callables, so tests answer
them without dialogs: ``confirm(title, text) -> bool``, ``choose_import() -> Path |
None`` and ``choose_export(suggested_name) -> Path | None``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from facegym_desktop.core.library import Library, load_library
from facegym_desktop.core.routine import Routine
from facegym_desktop.paths import DataPaths, builtin_routines_dir
from facegym_desktop.ui.actions import ActionId
from facegym_desktop.ui.routine_drop import RoutineDropFilter

if TYPE_CHECKING:
    from facegym_desktop.core.routine_draft import RoutineDraft
    from facegym_desktop.ui.builder_window import BuilderWindow
    from facegym_desktop.ui.compose_dialog import ComposeDialog
    from facegym_desktop.ui.main_window import MainWindow
    from facegym_desktop.ui.questions import Unsaved
    from facegym_desktop.ui.routine_import import ImportDialog

FILE_FILTER = "Routine files (*.toml)"
NOTICE_SOURCE = "routines"  # the start-screen notice these actions keep up to date


class RoutineTools(QObject):
    """The routine actions of ``window``, saving into ``paths.user_routines``.

    ``builders`` holds the builder windows opened (newest last); ``dialog`` the last
    compose or import dialog.
    """

    def __init__(
        self, window: MainWindow, paths: DataPaths, builtin_dir: Path | None = None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.paths = paths
        self.builtin_dir = builtin_dir or builtin_routines_dir()
        self.builders: list[BuilderWindow] = []
        self.dialog: ComposeDialog | ImportDialog | None = None
        self.confirm: Callable[[str, str], bool] = self._ask
        self.unsaved_choice: Callable[[str, bool], Unsaved] = self._ask_unsaved
        self.choose_import: Callable[[], Path | None] = self._choose_import
        self.choose_export: Callable[[str], Path | None] = self._choose_export
        self.drops = RoutineDropFilter(self)
        self.drops.install(window)
        self.drops.dropped.connect(lambda path: self.import_routine(Path(path)))
        window.action_table.connect(self.action_slots())

    def action_slots(self) -> dict[ActionId, Callable[[], object]]:
        """What each Routine menu entry does, for ``ActionTable.connect``."""
        return {
            ActionId.NEW_ROUTINE: self.new_routine,
            ActionId.EDIT_ROUTINE: self.edit_selected,
            ActionId.COMPOSE_ROUTINE: self.compose,
            ActionId.IMPORT_ROUTINE: self.import_routine,
            ActionId.EXPORT_ROUTINE: self.export_selected,
        }

    # ------------------------------------------------------------------ builder

    def new_routine(self) -> BuilderWindow:
        """Open the builder on an empty routine."""
        from facegym_desktop.core.routine_draft import RoutineDraft

        return self._open(RoutineDraft(self.window.library))

    def edit_selected(self) -> BuilderWindow | None:
        """Edit the routine selected on the start screen (see :meth:`edit`)."""
        selected = self.window.start_screen.selected
        return self.edit(selected) if selected is not None else None

    def edit(self, routine: Routine) -> BuilderWindow:
        """Edit a routine of the person's own; a built-in one as a copy (unsaved, the
        builder says so), since built-in files stay as they are."""
        from facegym_desktop.core.routine_draft import RoutineDraft, editable_in_place

        library = self.window.library
        if editable_in_place(routine, library):
            return self._open(RoutineDraft.from_routine(routine, library))
        builder = self._open(RoutineDraft.duplicate(routine, library))
        builder.set_notice(
            f"{routine.name} comes with FaceGym and stays as it is: this is your copy."
        )
        return builder

    def _open(self, draft: RoutineDraft) -> BuilderWindow:
        from facegym_desktop.ui.builder_window import BuilderWindow

        builder = BuilderWindow(
            draft,
            self.paths.user_routines,
            confirm=lambda title, text: self.confirm(title, text),
            unsaved_choice=lambda what, can_save: self.unsaved_choice(what, can_save),
            choose_export=lambda name: self.choose_export(name),
            theme=self.window.theme,
            parent=self.window,
        )
        builder.saved.connect(lambda _path: self.reload())
        builder.deleted.connect(lambda _path: self.reload())
        builder.try_requested.connect(self.try_routine)
        builder.destroyed.connect(lambda: self._forget(builder))
        builder.addAction(self.window.action_table[ActionId.QUIT])  # Ctrl+Q quits here too
        self.builders.append(builder)
        builder.show()
        builder.activateWindow()
        return builder

    def close_builders(self) -> bool:
        """Close every open builder, each asking about unsaved changes; False (the rest
        left open) as soon as the person keeps one."""
        return all(builder.close() for builder in list(self.builders) if builder.isVisible())

    def _forget(self, builder: BuilderWindow) -> None:
        if builder in self.builders:
            self.builders.remove(builder)

    def try_routine(self, routine: Routine, minutes: float) -> None:
        """Play ``routine`` in the session screen, sped up; not while a session runs.

        A trial is kept neither in the history (the window's history is detached until
        it ends) nor as the routine's chosen length.
        """
        from facegym_desktop.core.planner import PlanRangeError, plan
        from facegym_desktop.ui.builder_window import TRY_TIME_SCALE

        window, runner = self.window, self.window.sessions
        if runner.running:
            window.add_notice("Stop the session first to try a routine.", source=NOTICE_SOURCE)
            return
        try:
            timeline = plan(routine, minutes)
        except PlanRangeError as error:
            window.add_notice(str(error), source=NOTICE_SOURCE)
            return
        bridge = window.bridge
        window.attach_history(None)
        usual, runner.time_scale = runner.time_scale, TRY_TIME_SCALE
        try:
            runner.start(routine, timeline)
        finally:
            runner.time_scale = usual
        trial = runner.controller
        if bridge is not None and trial is not None and trial.running:
            trial.session_ended.connect(lambda *_: window.attach_history(bridge))
        elif bridge is not None:
            window.attach_history(bridge)
        window.activateWindow()

    def reload(self, notice: str = "") -> Library:
        """Load the routines again and show them in the window and every builder, with
        ``notice`` on the start screen (in place of the last one from here)."""
        library = load_library(
            self.builtin_dir, self.paths.user_routines, parse_cache=self.paths.parsed_routines
        )
        window = self.window
        window.library = library
        window.start_screen.set_library(library)
        window.add_notice(notice, source=NOTICE_SOURCE)  # also shows the files' problems
        if window.stack.currentWidget() is window.start_view:
            window.show_start()  # else the cards are made anew when the session ends
        for builder in self.builders:
            builder.set_library(library)
        return library

    # ------------------------------------------------------------------ compose

    def compose(self) -> ComposeDialog:
        """Open the compose dialog; what it makes opens in the builder."""
        from facegym_desktop.core.routine_draft import RoutineDraft
        from facegym_desktop.ui.compose_dialog import ComposeDialog

        dialog = ComposeDialog(self.window.library.moves, theme=self.window.theme,
                               parent=self.window)
        dialog.composed.connect(
            lambda routine: self._open(
                RoutineDraft.from_composed(routine, self.window.library)
            )
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    # ------------------------------------------------------------------ files

    def import_routine(self, path: Path | None = None) -> ImportDialog | None:
        """Preview the file at ``path`` (asked with ``choose_import`` when None) for import."""
        from facegym_desktop.core.routine_store import preview_import
        from facegym_desktop.ui.routine_import import ImportDialog

        source = path if path is not None else self.choose_import()
        if source is None:
            return None
        preview = preview_import(
            Path(source), self.window.library, self.builtin_dir, self.paths.user_routines
        )
        dialog = ImportDialog(
            preview,
            confirm=lambda title, text: self.confirm(title, text),
            theme=self.window.theme,
            parent=self.window,
        )
        dialog.imported.connect(lambda target: self._imported(Path(target)))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _imported(self, target: Path) -> None:
        self.reload(f"Imported {target.name} into your routines.")

    def export_selected(self) -> Path | None:
        """Export the selected routine to a file chosen with ``choose_export``."""
        from facegym_desktop.core.routine_store import RoutineFileError, export_routine

        routine = self.window.start_screen.selected
        if routine is None:
            return None
        target = self.choose_export(f"{routine.id}.toml")
        if target is None:
            return None
        try:
            written = export_routine(routine, self.window.library, Path(target))
        except RoutineFileError as error:
            self.window.add_notice(str(error), source=NOTICE_SOURCE)
            return None
        self.window.add_notice(f"Exported {routine.name} to {written}.", source=NOTICE_SOURCE)
        return written

    # ------------------------------------------------------------------ dialogs

    def _parent(self) -> QWidget:
        return self.builders[-1] if self.builders and self.builders[-1].isVisible() else (
            self.window
        )

    def _ask(self, title: str, text: str) -> bool:
        from facegym_desktop.ui.questions import ask

        return ask(self._parent(), title, text)

    def _ask_unsaved(self, what: str, can_save: bool) -> Unsaved:
        from facegym_desktop.ui.questions import ask_unsaved

        return ask_unsaved(self._parent(), what, can_save)

    # The dialog classes load on first use: each costs start-up time to import.
    def _choose_import(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(self.window, "Import a routine", "", FILE_FILTER)
        return Path(name) if name else None

    def _choose_export(self, suggested: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog

        start = str(Path.home() / suggested)
        name, _ = QFileDialog.getSaveFileName(self._parent(), "Export a routine", start,
                                              FILE_FILTER)
        return Path(name) if name else None
