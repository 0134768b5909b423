"""A plain launch shows the start screen first, then opens the history and the voice.

The launch runs in its own process: ``run_gui`` runs and ends the application's
event loop, which the other tests' shared QApplication must never see.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LAUNCH = r"""
import json, sys
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from facegym_desktop.core.history import HistoryStore
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui import app as app_module
from facegym_desktop.ui import services as services_module
from facegym_desktop.ui.main_window import MainWindow

ROUTINE = "morning-wake-up"
paths = DataPaths(Path(sys.argv[1])).ensure()
yesterday = datetime.now().astimezone() - timedelta(days=1)
store = HistoryStore.open(paths.database, backups_dir=paths.backups)
session = store.begin_session(ROUTINE, "Morning wake-up", "daily", 300, 6, yesterday)
store.finish_session(session, "completed", yesterday + timedelta(minutes=5), 300, 6)
store.close()

seen = {}
app = QApplication(sys.argv[:1])

def the_window():
    found = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
    return found[0] if found else None

def shown():
    window = the_window()
    return window is not None and window.isVisible()

def history_after_show(*args):
    seen["window shown when the history opened"] = shown()
    return services_module.open_history(*args)

def coach_after_show(*args):
    seen["window shown when the coach started"] = shown()
    return None  # no voice here

services = services_module.Services(history_opener=history_after_show, coach_maker=coach_after_show)

def card_text(window):
    listing = window.start_view.routine_list
    for row in range(listing.count()):
        card = listing.item(row).data(257)  # the RoutineCard
        if card.routine_id == ROUTINE:
            return card.last_done

polls = []
def check():
    window = the_window()
    if window is not None and window.bridge is not None and card_text(window) == "yesterday":
        seen["card"] = "yesterday"
        app.quit()
    elif len(polls) < 200:
        polls.append(1)
        QTimer.singleShot(25, check)
    else:
        app.quit()

QTimer.singleShot(0, check)
code = app_module.run_gui(paths, app_module.LaunchOptions(), services=services)
print(json.dumps(seen))
sys.exit(code)
"""


def test_history_and_voice_open_after_the_first_frame(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "window shown when the history opened": True,
        "window shown when the coach started": True,
        "card": "yesterday",
    }
