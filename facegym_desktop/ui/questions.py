"""Yes/No questions before something could be lost, asked the same way everywhere.

Each window that asks takes a ``confirm(title, text) -> bool`` callable (tests pass a
plain function); :func:`ask` is the one the app passes.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A modal Yes/No question; True for Yes.  Every question asked this way is about
    losing something, so No is the default: Enter keeps it."""
    # The message box's class loads on first use: importing it costs start-up time.
    from PySide6.QtWidgets import QMessageBox

    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(parent, title, text, buttons.Yes | buttons.No, buttons.No)
    return answer == buttons.Yes
