"""What the screenshot scripts share: an offscreen Qt set up before PySide6 loads.

Importing this module (before anything imports PySide6) selects the offscreen
platform unless one is chosen, gives Qt a runtime folder when there is none and puts
the checkout first on ``sys.path`` so the scripts run without installing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if not os.environ.get("XDG_RUNTIME_DIR"):
    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="facegym-runtime-")

# Run from a checkout without installing: the package sits next to scripts/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402


def application() -> QApplication:
    """The running QApplication, made on the first call."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    return app


def settle(app: QApplication) -> None:
    """Let pending events (layouts, repaints) run."""
    for _ in range(3):
        app.processEvents()


def shoot(widget: QWidget, path: Path, app: QApplication) -> None:
    """Save ``widget.grab()`` to ``path`` as it is drawn once events have settled."""
    settle(app)
    widget.grab().save(str(path))
    print(f"wrote {path} ({widget.width()}x{widget.height()})")
