"""Fault seams for the fault suite: a disk that refuses writes, a file held locked.

:class:`DiskFaults` is handed to ``HistoryStore.open`` as its connection class
(``connection_factory=faults.connection_class()``).  While armed, every write
transaction fails as SQLite reports the fault: at ``COMMIT`` (after the statements
ran, as a full disk is met while writing pages) with the real result code, so the
store's own error handling, rollback and classification are what is tested.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# SQLite's answers to ENOSPC and EROFS (https://www.sqlite.org/rescode.html).
ENOSPC = (13, "SQLITE_FULL", "database or disk is full")
EROFS = (8, "SQLITE_READONLY", "attempt to write a readonly database")
FAULTS = {"ENOSPC": ENOSPC, "EROFS": EROFS}


class DiskFaults:
    """Which fault the disk answers write transactions with (None: none).

    ``failures`` counts the transactions refused so far.
    """

    def __init__(self) -> None:
        self.fault: tuple[int, str, str] | None = None
        self.failures = 0

    def arm(self, name: str) -> None:
        """Refuse every write from now on with the fault ``name`` (ENOSPC or EROFS)."""
        self.fault = FAULTS[name]

    def clear(self) -> None:
        """Let writes through again."""
        self.fault = None

    def error(self) -> sqlite3.OperationalError:
        """The exception SQLite raises for the armed fault."""
        assert self.fault is not None
        code, name, text = self.fault
        error = sqlite3.OperationalError(text)
        error.sqlite_errorcode = code  # type: ignore[attr-defined]
        error.sqlite_errorname = name  # type: ignore[attr-defined]
        return error

    def connection_class(self) -> type[sqlite3.Connection]:
        """A connection class whose commits fail while a fault is armed."""
        faults = self

        class FaultyConnection(sqlite3.Connection):
            def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
                if sql == "COMMIT" and faults.fault is not None:
                    faults.failures += 1
                    raise faults.error()
                return super().execute(sql, parameters)

        return FaultyConnection


@contextmanager
def held_lock(database: Path) -> Iterator[sqlite3.Connection]:
    """Another program's exclusive lock on ``database`` for the block."""
    holder = sqlite3.connect(database, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        yield holder
    finally:
        if holder.in_transaction:
            holder.execute("ROLLBACK")
        holder.close()
