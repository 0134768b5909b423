"""Refuse a Qt binding known to crash the app, before any window exists.

PySide6 6.12.x on Python 3.11 corrupts the reference count of None and aborts the
process minutes into a session (tests/e2e/test_pyside_none_refcount.py shows it);
6.11.x is fine on 3.11, and Python 3.12 and newer are immune.  The dependency pin
in pyproject.toml does not protect ``pip install --no-deps`` or a distribution's own
PySide6, so the app checks at start-up.  The version is read from the installed
package metadata, without importing Qt.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata

PYSIDE_DISTRIBUTIONS = ("PySide6-Essentials", "PySide6")
FIX = "pip install 'PySide6-Essentials<6.12'"


def _release(version: str) -> tuple[int, ...]:
    """The leading release numbers: "6.12.0rc1" -> (6, 12, 0)."""
    numbers = []
    for part in version.split(".")[:3]:
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group()))
    return tuple(numbers)


def check_qt_binding(python_version: tuple[int, ...], pyside_version: str | None) -> str | None:
    """One line naming the problem and the fix, or None when the pair is safe.

    ``python_version`` is like ``sys.version_info[:3]``; ``pyside_version`` the
    installed PySide6 version ("6.12.0"), None when unknown (then nothing is refused).
    """
    if pyside_version is None or tuple(python_version[:2]) != (3, 11):
        return None
    if _release(pyside_version)[:2] != (6, 12):
        return None
    python = ".".join(str(part) for part in python_version[:3])
    return (
        f"PySide6 {pyside_version} crashes on Python {python} (it corrupts Python's None "
        f"minutes into a session); install 6.11 with {FIX} or use Python 3.12 or newer"
    )


def installed_pyside_version() -> str | None:
    """The installed PySide6 version from package metadata; None when none is recorded."""
    for name in PYSIDE_DISTRIBUTIONS:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def installed_qt_problem() -> str | None:
    """:func:`check_qt_binding` for this interpreter and the installed PySide6."""
    return check_qt_binding(tuple(sys.version_info[:3]), installed_pyside_version())
