"""Guard against the PySide6 build that breaks the refcount of None.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` each time a Qt method
that returns nothing is called. A painting widget makes such calls many times a
second, so after some minutes the count reaches zero and the interpreter aborts
with "Fatal Python error: none_dealloc". pyproject.toml keeps 6.12 off Python 3.11;
this test catches the bug again if a later release or a loosened pin brings it
back. It runs in a subprocess because the failure is an abort of the interpreter.
On Python 3.12+ ``None`` is immortal, so the bug cannot bite there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

CALLS = 300_000

# Alternates two void setters so that neither Qt nor shiboken can short-cut
# repeated identical calls; prints the refcount of None before and after.
_PROBE = f"""
import json, sys
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

app = QApplication([])
widget = QWidget()
holder = QObject()
names = ("ring", "face")
before = sys.getrefcount(None)
for index in range({CALLS} // 2):
    widget.setMinimumWidth(index % 200)
    holder.setObjectName(names[index & 1])
after = sys.getrefcount(None)
print(json.dumps({{"before": before, "after": after}}))
"""


@pytest.mark.e2e
def test_void_qt_calls_leave_none_alone() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    output = result.stdout + result.stderr
    assert "none_dealloc" not in output, output
    assert result.returncode == 0, output
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    # Even when the count does not reach zero within this run, a drift this size
    # means every call loses a reference.
    drift = counts["before"] - counts["after"]
    assert abs(drift) < 1_000, f"refcount of None moved by {drift} over {CALLS} calls"
