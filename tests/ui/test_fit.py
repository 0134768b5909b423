"""Every window fits small and large screens, and nothing on the start screen clips.

Sizes are logical pixels: a 1024x600 screen at 100 %, 1366x768 at 150 % (910x512)
and 3840x2160 at 200 % (1920x1080).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from facegym_desktop.core.settings import Settings
from facegym_desktop.paths import DataPaths
from facegym_desktop.speech.voice_choice import VoiceChoice
from facegym_desktop.ui.fitting_button import FittingButton
from facegym_desktop.ui.main_window import MainWindow
from facegym_desktop.ui.problems_dialog import ProblemsDialog
from facegym_desktop.ui.screen_fit import available_area, fitted_geometry, fitted_size
from facegym_desktop.ui.voice_dialog import VoiceDialog
from facegym_desktop.ui.voice_settings import NOTICE_SOURCE
from tests.ui.window_driver import QUICK_ID, QUICK_ROUTINE, library_for

SMALLEST = QSize(1024, 600)
LOGICAL_SCREENS = [QSize(1024, 600), QSize(910, 512), QSize(1920, 1080)]
LONG_NOTICE = ("The speech engine could not start: " + "espeak-ng reported an error; " * 12)[:300]
BUTTON_PADDING = 2 * 12  # the narrowest horizontal padding of the start screen's buttons


def fits(size: QSize, screen: QSize) -> bool:
    return size.width() <= screen.width() and size.height() <= screen.height()


def visible_text_widgets(root: QWidget) -> list[QLabel | QPushButton]:
    found = root.findChildren(QLabel) + root.findChildren(QPushButton)
    return [w for w in found if w.isVisibleTo(root) and w.text()]


def clipped(widget: QLabel | QPushButton) -> bool:
    """Whether the widget's text needs more room than it has."""
    metrics = QFontMetrics(widget.font())
    if isinstance(widget, QLabel) and widget.wordWrap():
        return widget.heightForWidth(widget.width()) > widget.height()
    lines = widget.text().splitlines() or [""]
    needed = max(metrics.horizontalAdvance(line) for line in lines)
    padding = BUTTON_PADDING if isinstance(widget, QPushButton) else 0
    return needed + padding > widget.width()


def assert_laid_out_within(qtbot, window: QWidget, root: QWidget) -> None:
    qtbot.wait(30)  # layouts settle in the event loop
    inside = QRect(QPoint(0, 0), window.size())
    for widget in visible_text_widgets(root):
        rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
        assert inside.contains(rect), (widget.text(), rect, inside)
        assert not clipped(widget), (widget.text(), widget.width())


@pytest.mark.parametrize("screen", LOGICAL_SCREENS, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_main_window_fits_even_with_a_long_notice(make_window, screen: QSize) -> None:
    window = make_window()
    window.add_notice(LONG_NOTICE)
    window.add_notice(LONG_NOTICE.replace(" ", ""), source=NOTICE_SOURCE)  # no break at all
    assert window.session_view is not None  # built: the session page counts too
    assert window.finish_view is not None
    assert fits(window.minimumSizeHint(), screen), window.minimumSizeHint()


def test_nothing_on_the_start_screen_clips_at_1024x600(qtbot, make_window) -> None:
    window = make_window()
    window.add_notice(LONG_NOTICE)
    window.resize(SMALLEST)
    assert window.size() == SMALLEST
    assert_laid_out_within(qtbot, window, window.start_view)


def test_presets_shorten_rather_than_clip_in_a_narrow_window(
    qtbot, make_window, data_dir: DataPaths
) -> None:
    # Four moves from 2 to 5 minutes, so the 3 and 5 minute presets show.
    wide = QUICK_ROUTINE.replace(f'"{QUICK_ID}"', '"wide-glow"').replace('"Quick glow"', '"Wide"')
    wide = wide.replace("min_minutes = 1.5", "min_minutes = 2")
    wide = wide.replace("max_minutes = 2.5", "max_minutes = 5")
    wide += "".join(
        f'\n[[steps]]\nmove = "{move}"\nseconds = 30\n' for move in ("cheek-lift", "jawline-glide")
    )
    (data_dir.user_routines / "wide-glow.toml").write_text(wide, encoding="utf-8")
    window = make_window(Settings(last_routine="wide-glow"))
    window.resize(window.minimumSizeHint().width(), 600)
    assert_laid_out_within(qtbot, window, window.start_view)
    presets = window.start_view.preset_buttons
    assert presets and all(isinstance(b, FittingButton) for b in presets)
    for button in presets:
        assert button.fontMetrics().horizontalAdvance(button.text()) < button.width()
    window.resize(1400, 800)
    qtbot.wait(30)
    assert [b.text() for b in presets] == [b.full_text() for b in presets]


def test_nothing_on_the_finish_screen_clips_at_1024x600(qtbot, make_window) -> None:
    window = make_window()
    window.resize(SMALLEST)
    window.finish_view.show_result("Session stopped", "12 min of massage · 7 of 9 moves")
    window.finish_view.set_streak(LONG_NOTICE)
    window.stack.setCurrentWidget(window.finish_view)
    assert_laid_out_within(qtbot, window, window.finish_view)


def test_the_dialogs_fit_the_smallest_screen(qtbot, make_window) -> None:
    window = make_window()
    voice = VoiceDialog(
        VoiceChoice("", 170, 1.0), list, unavailable_reason=LONG_NOTICE, parent=window
    )
    problems = ProblemsDialog([LONG_NOTICE] * 40, parent=window)
    for dialog in (voice, problems):
        assert fits(dialog.minimumSizeHint(), SMALLEST), dialog.minimumSizeHint()
        assert fits(dialog.size(), available_area(dialog).size())
        dialog.deleteLater()


def test_a_new_window_opens_within_the_screen_and_centred(qtbot, data_dir) -> None:
    window = MainWindow(data_dir, library_for(data_dir), Settings(last_routine=QUICK_ID))
    qtbot.addWidget(window)
    area = available_area(window)
    assert fits(window.size(), area.size())
    placed = fitted_geometry(QSize(1180, 760), window.minimumSizeHint(), area)
    assert window.size() == placed.size()
    centre = window.geometry().center()
    assert abs(centre.x() - area.center().x()) <= 1
    assert abs(centre.y() - area.center().y()) <= 1


def test_fitted_size_takes_the_smaller_but_never_below_the_minimum() -> None:
    preferred, minimum = QSize(1180, 760), QSize(666, 444)
    assert fitted_size(preferred, QSize(1920, 1080), minimum) == preferred
    assert fitted_size(preferred, QSize(1024, 568), minimum) == QSize(1024, 568)
    assert fitted_size(preferred, QSize(600, 400), minimum) == minimum


def test_the_offscreen_screen_is_what_the_tests_think() -> None:
    screen = QApplication.primaryScreen()
    assert screen is not None and not screen.availableGeometry().isEmpty()


@pytest.mark.parametrize("routine_id", ["evening-wind-down", "extended-sculpt"])
def test_a_built_in_routine_with_a_long_description_fits_at_1024x600(
    qtbot, make_window, routine_id: str
) -> None:
    window = make_window(Settings(last_routine=routine_id))
    window.add_notice(LONG_NOTICE)
    window.resize(SMALLEST)
    assert window.start_view.selected_routine_id() == routine_id
    assert_laid_out_within(qtbot, window, window.start_view)
    view = window.start_view
    for widget in (view.description, view.start_button, *view.preset_buttons):
        assert widget.visibleRegion().boundingRect() == widget.rect(), widget.text()
