"""Questions before something could be lost, asked the same way everywhere.

Each window that asks takes a callable (tests pass a plain function): a Yes/No
``confirm(title, text) -> bool``, for which the app passes :func:`ask`, or an
``unsaved_choice(what, can_save) -> Unsaved``, for which it passes :func:`ask_unsaved`.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QWidget


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A modal Yes/No question; True for Yes.  Every question asked this way is about
    losing something, so No is the default: Enter keeps it."""
    # The message box's class loads on first use: importing it costs start-up time.
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, title, text, buttons.Yes | buttons.No, buttons.No)
    return answer == buttons.Yes


class Unsaved(Enum):
    """What to do with unsaved changes when their window closes."""

    SAVE = "save"
    DISCARD = "discard"
    KEEP_OPEN = "keep open"


def ask_unsaved(parent: QWidget | None, what: str, can_save: bool) -> Unsaved:
    """Save, Discard or Cancel (keep the window open) for unsaved changes to ``what``.

    Enter saves; Esc keeps the window open.  Without ``can_save`` (the changes have a
    problem to fix first) there is no Save, and Enter keeps the window open too.
    """
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes", "", buttons.Cancel, parent)
    if can_save:
        box.setText(f"Save the changes to {what} before closing?")
        box.setInformativeText("Without saving, they are lost.")
        box.addButton(buttons.Save)
    else:
        box.setText(f"Close without saving the changes to {what}?")
        box.setInformativeText("They cannot be saved yet: the builder shows what to fix.")
    box.addButton(buttons.Discard)
    box.setDefaultButton(buttons.Save if can_save else buttons.Cancel)
    box.setEscapeButton(buttons.Cancel)
    box.exec()
    clicked = box.standardButton(box.clickedButton())
    box.deleteLater()
    if clicked == buttons.Save:
        return Unsaved.SAVE
    return Unsaved.DISCARD if clicked == buttons.Discard else Unsaved.KEEP_OPEN
