"""Refuse a Qt binding known to crash the app, or a session with no display, before
any window exists.

PySide6 6.12.x on Python 3.11 corrupts the reference count of None and aborts the
process minutes into a session (tests/e2e/test_pyside_none_refcount.py shows it);
6.11.x is fine on 3.11, and Python 3.12 and newer are immune.  The dependency pin
in pyproject.toml does not protect ``pip install --no-deps`` or a distribution's own
PySide6, so the app checks at start-up.  The version is read from the name of the
imported PySide6 or, before Qt is imported, from the name of the installed package's
metadata folder (``PySide6_Essentials-6.12.0.dist-info``): none of the email and
zipfile machinery ``importlib.metadata`` loads, which the first frame would wait for.

Without a display (no ``DISPLAY`` or ``WAYLAND_DISPLAY`` on Linux, as over ssh or in a
service) Qt aborts the process with a hint about missing libraries; the app says so
in one line instead (see :func:`display_problem`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Mapping

PYSIDE_DISTRIBUTIONS = ("PySide6-Essentials", "PySide6")
# Text, compiled by re on first use: a normal start reads the imported PySide6's
# version and never looks for its metadata folder.
_METADATA_FOLDER = r"^(pyside6_essentials|pyside6)-(?P<version>[0-9][^-]*)\.(dist|egg)-info$"
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

    Without a ``search_path``, an already imported PySide6 gives its ``__version__``
    (scanning the folders of ``sys.path`` takes about a millisecond at start-up).
    Otherwise read from the first ``PySide6_Essentials-VERSION.dist-info`` or
    ``PySide6-VERSION.dist-info`` (or ``.egg-info``) folder; None when there is none
    (a build without package metadata).
    """
    imported = sys.modules.get("PySide6") if search_path is None else None
    version = getattr(imported, "__version__", None)
    if isinstance(version, str):
        return version
    for entry in sys.path if search_path is None else search_path:
        try:
            names = [item.name for item in os.scandir(entry or ".")]
        except OSError:
            continue
        for name in sorted(names):
            found = re.match(_METADATA_FOLDER, name, re.IGNORECASE)
            if found:
                return found.group("version")
    return None


def installed_qt_problem() -> str | None:
    """:func:`check_qt_binding` for this interpreter and the installed PySide6."""
    return check_qt_binding(tuple(sys.version_info[:3]), installed_pyside_version())


# Qt platforms that draw without a display server (tests, screenshots, remote access).
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay"})
NO_DISPLAY = (
    "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); start "
    "it from a desktop session, or use the text commands (facegym --help)"
)


def display_problem(environ: Mapping[str, str], platform: str) -> str | None:
    """One line saying there is no display the window could open on, or None.

    ``environ`` is the process environment and ``platform`` ``sys.platform``.  Only
    Linux and the BSDs need a display server; ``QT_QPA_PLATFORM`` naming one of
    :data:`HEADLESS_PLATFORMS` needs none.  A display that is set but unreachable is
    left to Qt.
    """
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    requested = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")
    if any(name.strip() in HEADLESS_PLATFORMS for name in requested):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY
