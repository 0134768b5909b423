"""What the start screen shows, as plain data: routine cards, the chosen routine and
length, the plan preview and the notices.

``StartScreen`` holds the person's current choice and answers with records; the
window pushes them into its view.  Nothing here knows about widgets, so the rules
(which length a routine opens with, what a card says, which notices show and in
which order) are tested without a display.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from facegym_desktop.core.library import Library
from facegym_desktop.core.planner import Plan, SegmentKind, plan
from facegym_desktop.core.routine import Routine
from facegym_desktop.core.settings import Settings
from facegym_desktop.core.timefmt import (
    NOT_YET,
    clock_text,
    duration_text,
    length_presets,
    minute_choices,
    relative_day,
)
from facegym_desktop.core.vocabulary import AREA_BY_ID

if TYPE_CHECKING:  # named in annotations only: the start screen never imports datetime
    from datetime import date, datetime

PREVIEW_KINDS = (SegmentKind.MOVE, SegmentKind.REST)  # plan segments the preview lists
PROBLEMS_SHOWN = 3  # routine files named in the notice before "and N more"


class RoutineCard(NamedTuple):
    """What a card shows; filled from a routine and the history."""

    routine_id: str
    name: str
    kind: str
    span: str  # "3–8 min"
    areas: str
    tools: str
    last_done: str  # relative_day wording, or NOT_YET
    description: str


class PreviewLine(NamedTuple):
    """One row of the plan preview: start as m:ss, what happens, and for how long."""

    start: str
    name: str
    length: str


class CardList(NamedTuple):
    """Every routine's card, and the routine to select (None: the first)."""

    cards: list[RoutineCard]
    selected_id: str | None


class LengthChoice(NamedTuple):
    """The chosen routine's title and description, and its length control.

    ``choices`` are the slider stops in minutes (the first and last are the
    routine's shortest and longest), ``presets`` ("5 min", 5.0) pairs for the usual
    lengths the routine allows (``timefmt.length_presets``), ``minutes`` the length
    the control opens with.
    """

    title: str
    description: str
    choices: list[float]
    presets: list[tuple[str, float]]
    minutes: float


class Preview(NamedTuple):
    """The plan for the chosen routine and length: "m:ss · N moves" and its rows."""

    total: str
    lines: list[PreviewLine]


def preview_lines(timeline: Plan) -> list[PreviewLine]:
    """The rows of a plan preview: each move and rest with its start and length."""
    return [
        PreviewLine(
            clock_text(s.start),
            s.name + (f" ({s.side})" if s.side else "") + (f" × {s.reps}" if s.reps else ""),
            duration_text(s.duration),
        )
        for s in timeline.segments
        if s.kind in PREVIEW_KINDS
    ]


def _local_today() -> date:
    # Imported on first use: no dates show until the history has loaded.
    from datetime import datetime

    return datetime.now().astimezone().date()


def seconds_to_next_day(now: datetime) -> float:
    """Seconds from ``now`` (an aware local time) to the start of its next day.

    The day-relative wording on the cards ("today", "yesterday") changes then.  The
    midnight is taken in ``now``'s zone (a fixed offset stays fixed, so on a night the
    clocks change the answer is an hour off; callers check the date again when the
    time comes).  At least one second.
    """
    from datetime import UTC, datetime, time, timedelta

    midnight = datetime.combine(now.date() + timedelta(days=1), time(), now.tzinfo)
    return max(1.0, (midnight.astimezone(UTC) - now.astimezone(UTC)).total_seconds())


class StartScreen:
    """The start screen's state: the chosen routine and length, and the notices.

    ``settings`` is read on each choice (the last routine used and the length kept
    per routine); ``notices`` are lines shown from the start; ``today`` gives the
    local date for "last done" wording and is only called once there is a history.
    """

    def __init__(
        self,
        library: Library,
        settings: Callable[[], Settings],
        *,
        notices: Iterable[str] = (),
        today: Callable[[], date] = _local_today,
    ) -> None:
        self._library = library
        self._settings = settings
        self._today = today
        self._selected: Routine | None = None
        self._minutes = 0.0
        self._notices: dict[Hashable, str] = {}
        self._anonymous = 0
        for text in notices:
            self.add_notice(text)

    # ------------------------------------------------------------------ choice

    @property
    def selected(self) -> Routine | None:
        """The routine on show, once one was selected."""
        return self._selected

    @property
    def minutes(self) -> float:
        """The length chosen for the selected routine, in minutes."""
        return self._minutes

    def cards(self, last_done: Mapping[str, datetime]) -> CardList:
        """A card for each routine, sorted as the library sorts them.

        ``last_done`` maps routine ids to the local time each was last done.
        """
        today = self._today() if last_done else None
        cards = []
        for routine in self._library.sorted_routines():
            last = last_done.get(routine.id)
            cards.append(
                RoutineCard(
                    routine_id=routine.id,
                    name=routine.name,
                    kind=routine.kind,
                    span=f"{routine.min_minutes:g}–{routine.max_minutes:g} min",
                    areas=", ".join(AREA_BY_ID[a].label for a in routine.areas),
                    tools=", ".join(routine.tools).replace("-", " "),
                    last_done=relative_day(last.date(), today) if last and today else NOT_YET,
                    description=routine.description,
                )
            )
        selected = self._selected.id if self._selected else self._settings().last_routine
        return CardList(cards, selected)

    def select(self, routine_id: str) -> LengthChoice | None:
        """Choose a routine; None (and nothing changes) for an id the library lacks.

        The length is the one kept for this routine, or its default when none was
        kept or the kept one is outside the routine's range.
        """
        routine = self._library.routine(routine_id)
        if routine is None:
            return None
        self._selected = routine
        minutes = self._settings().minutes_for(routine)
        self._minutes = minutes
        low, default, high = routine.min_minutes, routine.default_minutes, routine.max_minutes
        return LengthChoice(
            routine.name,
            routine.description,
            minute_choices(low, high, default),
            length_presets(low, high),
            minutes,
        )

    def set_library(self, library: Library) -> None:
        """Show ``library`` from now on (routines were saved, imported or deleted).

        The selected routine is looked up again by id; gone, nothing is selected.
        """
        self._library = library
        if self._selected is not None:
            self._selected = library.routine(self._selected.id)

    def set_minutes(self, minutes: float) -> None:
        """The person chose a length (slider, preset or typed), in minutes.

        A length outside the selected routine's range is brought to the nearest end.
        """
        if self._selected is not None:
            low, high = self._selected.min_minutes, self._selected.max_minutes
            minutes = max(low, min(high, minutes))
        self._minutes = minutes

    def session_plan(self, routine: Routine, minutes: float) -> Plan:
        """The plan a session of ``routine`` at ``minutes`` follows: the routine with the
        preparation and pause the settings choose (``Settings.timed``), planned.

        Raises ``planner.PlanRangeError`` when ``minutes`` is outside the routine's range.
        """
        return plan(self._settings().timed(routine), minutes)

    def preview(self) -> Preview | None:
        """The plan of the selected routine at the chosen length; None before a choice."""
        if self._selected is None:
            return None
        timeline = self.session_plan(self._selected, self._minutes)
        lines = preview_lines(timeline)
        moves = len(self._selected.steps)
        return Preview(f"{clock_text(timeline.total_seconds)} · {moves} moves", lines)

    # ------------------------------------------------------------------ notices

    def add_notice(self, text: str, source: Hashable | None = None) -> None:
        """Show ``text`` from now on.

        Without a ``source``, empty text and a line already shown are skipped.  With
        one, the text replaces that source's notice as a whole ("" removes it) and
        moves to the end, after the ones already shown.
        """
        if source is not None:
            self._notices.pop(source, None)
        elif text in self._notices.values():
            return
        else:
            self._anonymous += 1
            source = ("notice", self._anonymous)
        if text:
            self._notices[source] = text

    def notice_text(self) -> str:
        """Every notice, one a line, then the routine files that were skipped."""
        lines = list(self._notices.values())
        problems = [str(p) for p in self._library.problems]
        if problems:
            more = len(problems) - PROBLEMS_SHOWN
            shown = "; ".join(problems[:PROBLEMS_SHOWN])
            shown += f" (and {more} more)" if more > 0 else ""
            lines.append(f"Some routine files were skipped: {shown}")
        return "\n".join(lines)
