"""The fault suite: faults of the machine injected at every step of saving a session.

Run it alone with ``pytest tests/faults`` (about a minute and a half on two cores);
README.md, "What the fault suite proves", lists what it tries and how often.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: injects a fault of the machine (tests/faults)")
