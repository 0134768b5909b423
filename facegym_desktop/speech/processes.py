"""Child processes that never outlive the app: the speech worker and the players.

Each child runs in a session (process group) of its own, so stopping it also stops
anything it started (a player script's ``sleep``, say), and on Linux it is started
through util-linux's ``setpriv --pdeathsig KILL``, so the kernel kills it when the
app goes away without closing it (SIGTERM, SIGKILL, a crash).  ``setpriv`` is used
rather than ``prctl`` in a ``preexec_fn``: the app has threads, and Python documents
``preexec_fn`` as unsafe with threads; no maintained Python package offers the
call without it.  Without ``setpriv`` the child still gets its own group and
``close()`` still kills it; only the crash case is then uncovered.

Note that the kernel sends the signal when the *thread* that started the child
ends, so children are started from threads that live as long as their owner
(the speech client's and the player's threads), or that wait for them.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence

_SETPRIV = ("setpriv", "--pdeathsig", "KILL", "--")


def die_with_parent(command: Sequence[str]) -> list[str]:
    """``command`` wrapped so it is killed when the app ends (Linux with setpriv)."""
    if sys.platform.startswith("linux") and shutil.which(_SETPRIV[0]):
        return [*_SETPRIV, *command]
    return list(command)


def kill_group(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Kill ``process`` and everything in its group at once; never blocks or raises.

    The child must have been started with ``start_new_session=True`` (it leads its
    own group); on Windows only the process itself is killed.
    """
    if os.name != "nt":
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
