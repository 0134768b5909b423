"""One running window per data folder: a second launch brings the first to the front.

A local socket named after the data folder carries the request; tests with their own
data folder therefore never meet each other's windows.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from facegym_desktop.paths import DataPaths

log = logging.getLogger(__name__)
RAISE_MESSAGE = b"raise\n"
CONNECT_TIMEOUT_MS = 300


def server_name(paths: DataPaths) -> str:
    # A checksum keeps the name short and free of path separators on every platform.
    digest = zlib.crc32(str(paths.root).encode("utf-8"))
    return f"facegym-desktop-{digest:08x}"


def ask_running_instance(paths: DataPaths) -> bool:
    """True when another instance answered and was asked to come to the front."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(paths))
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(RAISE_MESSAGE)
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


def listen_for_second_launch(
    paths: DataPaths, parent: QObject, on_raise: Callable[[], None]
) -> QLocalServer:
    """Listen for later launches; ``on_raise`` runs on the UI thread for each one."""
    name = server_name(paths)
    QLocalServer.removeServer(name)  # a stale socket left by a crash
    server = QLocalServer(parent)
    server.listen(name)

    def accept() -> None:
        connection = server.nextPendingConnection()
        if connection is None:
            return

        def raise_window() -> None:
            connection.readAll()
            log.info("a second launch asked this window to come to the front")
            on_raise()

        connection.readyRead.connect(raise_window)
        connection.disconnected.connect(connection.deleteLater)

    server.newConnection.connect(accept)
    return server
