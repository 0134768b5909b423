"""The top and side panels of the history window: streak counters and goals, and
minutes per area on a face map.

Both are filled from a :class:`~facegym_desktop.core.stats.Summary`; every minute
shown is worded by :mod:`facegym_desktop.core.timefmt`, the same rule as the
calendar, the weekly bars and ``history stats``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from facegym_desktop.core.stats import Summary, extended_goal_message, streak_message
from facegym_desktop.core.timefmt import hours_minutes_text, plural
from facegym_desktop.core.vocabulary import AREA_BY_ID
from facegym_desktop.ui.face_map import FaceMapWidget
from facegym_desktop.ui.theme import Theme
from facegym_desktop.ui.wrapping import whole_parts

AREAS_LISTED = 6


def area_shading(per_area_minutes: Mapping[str, float]) -> dict[str, float]:
    """Each area's share of the most-worked area (0..1), for the face map."""
    top = max(per_area_minutes.values(), default=0.0)
    if top <= 0:
        return {}
    return {area: minutes / top for area, minutes in per_area_minutes.items()}


class SummaryCard(QFrame):
    """A number, a caption and a note: one of the counters at the top."""

    def __init__(self, title: str, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(2)
        self.title = QLabel(title, self)
        self.title.setFont(theme.font(theme.small_px - 3, bold=True))
        self.value = QLabel("…", self)
        self.value.setFont(theme.font(theme.label_px + 2, bold=True))
        self.note = QLabel("", self)
        self.note.setFont(theme.font(theme.small_px - 3))
        self.note.setWordWrap(True)
        for label in (self.title, self.value, self.note):
            layout.addWidget(label)
        layout.addStretch(1)

    def show_values(self, value: str, note: str) -> None:
        """Show ``value`` large with ``note`` under it (also the accessible name)."""
        self.value.setText(value)
        self.note.setText(whole_parts(note))
        self.setAccessibleName(f"{self.title.text()}: {value}. {note}")


class SummaryPanel(QWidget):
    """The one-line streak message and five counters: streaks, goals and totals."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.message = QLabel("Loading your history…", self)
        self.message.setFont(theme.font(theme.body_px, bold=True))
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Streak summary")
        layout.addWidget(self.message)
        cards = QHBoxLayout()
        cards.setSpacing(10)
        self.current_card = SummaryCard("Current streak", theme, self)
        self.longest_card = SummaryCard("Longest streak", theme, self)
        self.daily_card = SummaryCard("Daily routine", theme, self)
        self.extended_card = SummaryCard("Extended session", theme, self)
        self.totals_card = SummaryCard("All sessions", theme, self)
        for card in (
            self.current_card,
            self.longest_card,
            self.daily_card,
            self.extended_card,
            self.totals_card,
        ):
            cards.addWidget(card, 1)
        layout.addLayout(cards)

    def show_summary(self, summary: Summary) -> None:
        """Fill the message and the counters from ``summary``."""
        goals = summary.goals
        self.message.setText(streak_message(summary))
        current_note = (
            "no streak running"
            if summary.current_streak == 0
            else "done today"
            if goals.daily_done_today
            else "a session today keeps it going"
        )
        if summary.rest_days_per_week:
            current_note += f" · {plural(summary.rest_days_per_week, 'rest day')} a week allowed"
        self.current_card.show_values(plural(summary.current_streak, "day"), current_note)
        last = summary.last_active_day
        self.longest_card.show_values(
            plural(summary.longest_streak, "day"),
            # An active day has a finished session; a stopped one does not make one.
            f"last active {last.strftime('%d %b %Y')}" if last else "no session finished yet",
        )
        self.daily_card.show_values(
            "Done" if goals.daily_done_today else "Not yet",
            f"today · {goals.daily_days_in_window} of the last {goals.daily_window_days} days",
        )
        due = goals.extended_due_in_days
        if goals.extended_last_day is None or due == 0:
            value = "Due today"
        elif due > 0:
            value = f"In {plural(due, 'day')}"
        else:
            value = f"Overdue {plural(-due, 'day')}"
        last_extended = (
            f"last {goals.extended_last_day.strftime('%d %b')}"
            if goals.extended_last_day
            else "none done yet"
        )
        self.extended_card.show_values(
            value, f"every {plural(goals.extended_every_days, 'day')} · {last_extended}"
        )
        self.extended_card.setToolTip(extended_goal_message(goals))
        self.totals_card.show_values(
            f"{summary.sessions}",
            f"{summary.completed_sessions} completed"
            f" · {hours_minutes_text(summary.total_seconds)}"
            f" · {plural(summary.active_days, 'active day')}",
        )


class AreasPanel(QWidget):
    """A face map shaded by minutes per area, beside the most-worked areas listed."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.face_map = FaceMapWidget(self, theme)
        self.face_map.setFixedSize(150, 184)
        self.face_map.setAccessibleName("Face map shaded by minutes per area")
        row.addWidget(self.face_map, 0, Qt.AlignmentFlag.AlignTop)
        self.area_list = QLabel("", self)
        self.area_list.setFont(theme.font(theme.small_px - 3))
        self.area_list.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.area_list.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.area_list, 1)

    def show_areas(self, summary: Summary) -> None:
        """Shade the face and list up to :data:`AREAS_LISTED` areas, most worked first."""
        seconds = summary.per_area_seconds
        self.face_map.set_area_shading(area_shading(seconds))
        ranked = sorted(
            ((value, area) for area, value in seconds.items() if value > 0), reverse=True
        )
        if not ranked:
            self.area_list.setText("No moves recorded yet.")
            return
        lines = []
        for value, area in ranked[:AREAS_LISTED]:
            label = AREA_BY_ID[area].label if area in AREA_BY_ID else area
            lines.append(f"{label}: {hours_minutes_text(value)}")
        if len(ranked) > AREAS_LISTED:
            lines.append(f"and {len(ranked) - AREAS_LISTED} more")
        self.area_list.setText("\n".join(lines))
        self.face_map.setAccessibleDescription("; ".join(lines))
