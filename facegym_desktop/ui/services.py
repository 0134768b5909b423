"""The services the window uses besides itself: the history and the voice coach.

Both open after the first frame on a plain launch (see ``ui/app.py``).  Each failure
becomes one line in the window's notices and the app goes on without that service;
the history is also settled (writes an earlier run kept, sessions whose process is
gone) as every start does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from facegym_desktop.core.settings import Settings
from facegym_desktop.paths import DataPaths

if TYPE_CHECKING:
    from facegym_desktop.core.history import Settled
    from facegym_desktop.ui.app import LaunchOptions
    from facegym_desktop.ui.history_bridge import HistoryBridge
    from facegym_desktop.ui.ports import CoachPort
    from facegym_desktop.ui.timers import TimerFactory

log = logging.getLogger(__name__)


class Services:
    """The history and the voice coach: opened once, closed when the app ends.

    ``history_opener(paths, notices)`` and ``coach_maker(paths, settings, muted, silent,
    notices)`` make them (by default :func:`open_history` and :func:`make_coach`);
    each appends one line per problem to ``notices`` and returns None when it fails.
    """

    def __init__(
        self,
        history_opener: Callable[[DataPaths, list[str]], HistoryBridge | None] | None = None,
        coach_maker: Callable[[DataPaths, Settings, bool, bool, list[str]], CoachPort | None]
        | None = None,
    ) -> None:
        self._open_history = history_opener or open_history
        self._make_coach = coach_maker or make_coach
        self.bridge: HistoryBridge | None = None
        self.coach: CoachPort | None = None

    def open(
        self, paths: DataPaths, settings: Settings, options: LaunchOptions, notices: list[str]
    ) -> None:
        """Open the history and start the coach (``--mute`` starts a silent one)."""
        self.bridge = self._open_history(paths, notices)
        muted = options.mute or settings.muted
        self.coach = self._make_coach(paths, settings, muted, options.mute, notices)

    def close(self) -> None:
        """Close both; session writes get a bounded wait, the rest stay in the journal."""
        if self.bridge is not None:
            # Waits a bounded time for session writes; the rest stay in the journal.
            self.bridge.close(close_store=True)
        if self.coach is not None:
            self.coach.close()


def open_history(
    paths: DataPaths,
    notices: list[str],
    *,
    busy_timeout: float | None = None,
    timers: TimerFactory | None = None,
) -> HistoryBridge | None:
    """The history in ``paths`` behind a bridge, settled as every start does; None, with
    a line in ``notices``, when it cannot be opened.

    A file another program holds is not a failure: the bridge waits for it (one line
    in ``notices`` says the history is busy), keeps the session's steps in the journal
    and saves them once it is free.  ``busy_timeout`` (seconds, default the store's)
    and ``timers`` (the bridge's retry timer) are for tests.
    """
    from facegym_desktop.core.history import (
        APP_OPEN_WAIT,
        DEFAULT_BUSY_TIMEOUT,
        HistoryError,
        HistoryStore,
    )
    from facegym_desktop.ui.history_bridge import HistoryBridge

    timeout = DEFAULT_BUSY_TIMEOUT if busy_timeout is None else busy_timeout
    try:
        store = HistoryStore.open(
            paths.database,
            backups_dir=paths.backups,
            busy_timeout=timeout,
            wait_if_locked=True,
            open_wait=min(APP_OPEN_WAIT, timeout),  # the window is on show: never freeze it
        )
    except HistoryError as error:
        notices.append(f"History is off: {error}")
        return None
    except Exception:  # noqa: BLE001 - the app must open even without its history
        log.exception("opening the history failed")
        notices.append(
            f"History is off: {paths.database} could not be opened; the log has the details."
        )
        return None
    notices.extend(store.notices)
    bridge = HistoryBridge(store, timers=timers)
    if store.opened:  # else the bridge settles it once the file is free
        # Writes kept from an earlier run, then sessions whose process is gone.

        def tell(settled: Settled) -> None:
            for notice in settle_notices(settled):
                bridge.error.emit(notice)

        bridge.run(lambda history: history.settle(), name="recovery").success(tell)
    return bridge


def settle_notices(settled: Settled) -> list[str]:
    """The lines for people after the history was settled: journal lines set aside,
    and the changes that still wait."""
    notices = list(settled.notes)
    if settled.kept:
        notices.append(
            f"{settled.kept} history change(s) from an earlier session still wait to be "
            f"saved ({settled.problem}); they are kept and tried again with the next save."
        )
    return notices


def settle_history(paths: DataPaths) -> None:
    """Apply writes an earlier run kept and settle sessions whose process is gone
    (every start does this; the smoke test too, after its ``ok``)."""
    if not paths.database.exists():
        return  # nothing to settle (writes are only kept for an existing file)
    from facegym_desktop.core.history import APP_OPEN_WAIT, HistoryError, HistoryStore

    try:
        with HistoryStore.open(
            paths.database, backups_dir=paths.backups, daily_backup=False,
            busy_timeout=APP_OPEN_WAIT,  # a file another program holds is settled next time
        ) as store:
            store.settle()
    except HistoryError as error:
        log.warning("history not settled: %s", error)
    except Exception:  # noqa: BLE001 - the smoke test reports the window, not the history
        log.exception("settling the history failed")


def make_coach(
    paths: DataPaths, settings: Settings, muted: bool, silent: bool, notices: list[str]
) -> CoachPort | None:
    """The voice coach for ``settings``; ``silent`` gives one that never speaks (--mute).

    None, with a line in ``notices``, when the speech helpers cannot even be loaded."""
    try:
        from facegym_desktop.speech.coach import VoiceCoach
        from facegym_desktop.speech.null import NullSpeaker

        speaker = NullSpeaker() if silent else None
        return VoiceCoach(
            speaker,
            voice=settings.voice_id or None,
            rate=settings.voice_rate,
            volume=settings.voice_volume,
            verbosity=settings.verbosity,
            muted=muted,
            cache_dir=paths.speech_cache,
        )
    except Exception:  # noqa: BLE001 - captions still work without a voice
        log.exception("voice coach failed to start")
        notices.append(
            "Voice off: the speech helpers could not start. Captions still show every cue;"
            " the log has the details."
        )
        return None
