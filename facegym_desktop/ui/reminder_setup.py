"""What runs beside the window once it is on screen: reminders, the tray, autostart.

``ui/app.py`` calls :func:`install` after the first paint (this module imports
``datetime`` through the reminder service, which the first frame must not wait for).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from PySide6.QtWidgets import QApplication

from facegym_desktop.core.reminders import extended_due_on, read_local_zone
from facegym_desktop.core.settings import Settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.ui.autostart_sync import AutostartSync
from facegym_desktop.ui.history_bridge import HistoryBridge
from facegym_desktop.ui.main_window import MainWindow
from facegym_desktop.ui.reminder_service import (
    ReminderService,
    desktop_conditions,
    local_now,
)
from facegym_desktop.ui.reminder_window import ReminderPrompt, session_running
from facegym_desktop.ui.tray import CloseToTray, FaceGymTray, TrayMenu, tray_available

log = logging.getLogger(__name__)


class Background(NamedTuple):
    """The units :func:`install` made (the tray is None where the desktop has none)."""

    service: ReminderService
    prompt: ReminderPrompt
    close_policy: CloseToTray
    tray: FaceGymTray | None
    autostart: AutostartSync


def quit_app(window: MainWindow, app: QApplication) -> Callable[[], None]:
    """Quit for good: close the window (a running session is saved) and end the app,
    unless the person keeps a builder's unsaved changes."""

    def quit_now() -> None:
        if window.close():
            app.quit()

    return quit_now


def install(
    app: QApplication,
    window: MainWindow,
    paths: DataPaths,
    bridge: HistoryBridge | None,
    *,
    with_tray: bool | None = None,
) -> Background:
    """Start the reminders, the tray icon (``with_tray``; None: where the desktop has a
    tray), the close policy and the autostart follower for ``window``."""
    service = ReminderService(
        lambda: window.settings,
        paths.reminder_state,
        conditions=desktop_conditions(lambda: session_running(window)),
        on_error=window.add_notice,
        parent=window,
    )
    prompt = ReminderPrompt(service, window)
    show_tray = tray_available() if with_tray is None else with_tray
    tray = FaceGymTray(window, TrayMenu(window, service, quit_app(window, app)))
    if show_tray:
        tray.show()
    policy = CloseToTray(service, show_tray, tray.tell, parent=window)
    window.close_hook = policy.close_requested
    autostart = AutostartSync(window.store, paths.chosen_root, on_notice=window.add_notice)
    follow_reminder_settings(window.store.settings, window.store.add_listener, service)
    window.session_saved.connect(service.check)
    if bridge is not None:
        follow_extended_due(bridge, service)
    service.start()
    zone_problem = read_local_zone().problem
    if zone_problem is not None:  # said once, where the reminders' times come from
        log.warning("%s", zone_problem)
        if service.enabled:
            window.add_notice(f"Reminders: {zone_problem}.")
    return Background(service, prompt, policy, tray if show_tray else None, autostart)


def follow_reminder_settings(
    current: Settings,
    add_listener: Callable[[Callable[[Settings], None]], None],
    service: ReminderService,
) -> None:
    """Tell ``service`` each time the reminder times or the extended nudge change."""
    seen = [(current.reminder_times, current.remind_extended)]

    def on_change(settings: Settings) -> None:
        values = (settings.reminder_times, settings.remind_extended)
        if values != seen[0]:
            seen[0] = values
            service.settings_changed()

    add_listener(on_change)


def follow_extended_due(
    bridge: HistoryBridge,
    service: ReminderService,
    now: Callable[[], datetime] = local_now,
) -> None:
    """Give ``service`` the date the extended session is due, now and after each
    change to the history (a finished extended session moves it)."""

    def refresh() -> None:
        today = now().date()
        bridge.run(lambda store: store.stats(today).goals, name="reminder goals").success(
            lambda goals: service.set_extended_due_on(extended_due_on(goals, today))
        ).failure(lambda message: log.warning("extended due date unknown: %s", message))

    bridge.history_changed.connect(refresh)
    refresh()
