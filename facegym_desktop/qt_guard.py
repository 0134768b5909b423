"""Refuse a Qt binding known to crash the app, before any window exists.

PySide6 6.12.x on Python 3.11 corrupts the reference count of None and aborts the
process minutes into a session (tests/e2e/test_pyside_none_refcount.py shows it);
6.11.x is fine on 3.11, and Python 3.12 and newer are immune.  The dependency pin
in pyproject.toml does not protect ``pip install --no-deps`` or a distribution's own
PySide6, so the app checks at start-up.  The version is read from the name of the
installed package's metadata folder (``PySide6_Essentials-6.12.0.dist-info``): no Qt
import, and none of the email and zipfile machinery ``importlib.metadata`` loads,
which the first frame would wait for.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable

PYSIDE_DISTRIBUTIONS = ("PySide6-Essentials", "PySide6")
_METADATA_FOLDER = re.compile(
    r"^(pyside6_essentials|pyside6)-(?P<version>[0-9][^-]*)\.(dist|egg)-info$", re.IGNORECASE
)
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


def installed_pyside_version(search_path: Iterable[str] | None = None) -> str | None:
    """The PySide6 version installed on ``search_path`` (default ``sys.path``).

    Read from the first ``PySide6_Essentials-VERSION.dist-info`` or
    ``PySide6-VERSION.dist-info`` (or ``.egg-info``) folder; None when there is none
    (a build without package metadata).
    """
    for entry in sys.path if search_path is None else search_path:
        try:
            names = [item.name for item in os.scandir(entry or ".")]
        except OSError:
            continue
        for name in sorted(names):
            found = _METADATA_FOLDER.match(name)
            if found:
                return found.group("version")
    return None


def installed_qt_problem() -> str | None:
    """:func:`check_qt_binding` for this interpreter and the installed PySide6."""
    return check_qt_binding(tuple(sys.version_info[:3]), installed_pyside_version())
