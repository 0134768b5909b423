"""A routine being written in the builder: a mutable draft, checked as a file would be.

:class:`RoutineDraft` holds what the builder's fields show (name, description, kind,
lengths, preparation, steps) and the operations on them (add, remove with undo,
reorder, duplicate a built-in).  It is checked by the same validator as routine
files: the draft is written out with :func:`~routine_toml.dump_routine`, read back
with :func:`~routine.parse_text` and :func:`~routine.resolve_routine` against the
library's moves, and its lengths checked with :func:`~library.check_reachable` and
the planner.  Each problem is keyed by the field it concerns (:data:`FIELD_NAMES`,
or ``steps[N]`` for a step), so a screen can show it beside that field.

No Qt here: the builder window (``ui/builder_window.py``) shows a draft, and the
tests drive one without a display.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from facegym_desktop.core.library import USER, Library, check_reachable
from facegym_desktop.core.planner import SegmentKind, fixed_seconds, length_bounds, plan
from facegym_desktop.core.routine import (
    ID_PATTERN,
    MAX_NAME,
    Move,
    Routine,
    Step,
    parse_text,
    require_sides,
    resolve_routine,
    side_count,
)
from facegym_desktop.core.routine_checks import Problem, quoted
from facegym_desktop.core.routine_toml import dump_routine
from facegym_desktop.core.start_screen import PreviewLine, preview_lines
from facegym_desktop.core.timefmt import clock_text, duration_text
from facegym_desktop.core.vocabulary import AREA_BY_ID, AREA_IDS

# The fields a problem can be shown beside; a step's problems go to "steps[N]".
FIELD_NAMES = (
    "name",
    "description",
    "kind",
    "default_minutes",
    "min_minutes",
    "max_minutes",
    "prep",
    "steps",
    "routine",  # anything else about the routine as a whole
)
# A file location's first key -> the field it is shown beside.
_FIELD_OF = {"id": "name", "prep_seconds": "prep", "transition_seconds": "steps"}
_STEP_LOCATION = re.compile(r"^steps\[(\d+)\]")
# The planner lands within a second of any length a sound routine allows.
PLAN_TOLERANCE_SECONDS = 1.0
MINUTES_STEP = 0.5  # lengths are offered in half minutes
DRAFT_LABEL = "draft"  # the file name problems of an unsaved draft carry
# The builder's captions of the three lengths, shortest first; its problems name them so.
LENGTH_CAPTIONS: Mapping[str, str] = {
    "min_minutes": "Shortest",
    "default_minutes": "Usual",
    "max_minutes": "Longest",
}
DEFAULT_DRAFT_NAME = "My routine"
COPY_SUFFIX = " (copy)"


class DraftError(ValueError):
    """A draft that does not make a routine; ``problems`` maps field -> message."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{key}: {text}" for key, text in problems.items()))


def slug(name: str) -> str:
    """An id from a name: "My Jaw & Neck!" -> "my-jaw-neck"; "" when no letter or digit."""
    text = "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:MAX_NAME].strip("-")
    return text if ID_PATTERN.fullmatch(text) else ""


def field_of(location: str) -> str:
    """The field a problem at file ``location`` is shown beside (see :data:`FIELD_NAMES`).

    ``steps[2].seconds`` -> ``steps[2]``; ``prep[0]`` -> ``prep``; ``id`` -> ``name``.
    """
    if match := _STEP_LOCATION.match(location):
        return f"steps[{match.group(1)}]"
    key = re.split(r"[.\[]", location, maxsplit=1)[0]
    key = _FIELD_OF.get(key, key)
    return key if key in FIELD_NAMES else "routine"


def _same_file(first: str, second: str) -> bool:
    try:
        return Path(first).resolve() == Path(second).resolve()
    except OSError:
        return first == second


def in_builder_words(field: str, message: str) -> str:
    """A routine file check's ``message`` as the builder says it: the lengths by their
    captions (:data:`LENGTH_CAPTIONS`), and a length's problem opens with its caption.

    ("default_minutes", "must lie between min_minutes (5) and ...") ->
    "Usual length: must lie between the shortest length (5) and ..."
    """
    for key, caption in LENGTH_CAPTIONS.items():
        message = message.replace(key, f"the {caption.lower()} length")
    if field in LENGTH_CAPTIONS:
        message = f"{LENGTH_CAPTIONS[field]} length: {message}"
    return message


def _sentence(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def editable_in_place(routine: Routine, library: Library) -> bool:
    """Whether ``routine`` may be changed in its own file: a user routine whose file holds
    no moves (rewriting that file would drop them).  Others are edited as a duplicate."""
    if routine.source != USER or not routine.path:
        return False
    return not any(_same_file(path, routine.path) for path in library.move_files.values())


@dataclass
class StepDraft:
    """One step: a move and how long it runs (``amount`` seconds or reps, per side).

    ``move`` is the step's move with any overrides a routine file gave it (pressure,
    intro, tips); its timing limits widen to take in ``amount`` when it is saved.
    ``rest_after`` is in seconds.  ``sides``: "both" at once or "each" side in turn
    (``amount`` then counts per side); left empty it becomes the move's own.
    """

    move: Move
    amount: int
    rest_after: int = 0
    sides: str = ""

    def __post_init__(self) -> None:
        self.sides = require_sides(self.sides or self.move.sides)

    @classmethod
    def of_move(cls, move: Move) -> StepDraft:
        """A new step running ``move`` for its default length, on the move's own sides."""
        timing = move.timing
        return cls(move, timing.reps if timing.counted else timing.seconds)

    @classmethod
    def of_step(cls, step: Step) -> StepDraft:
        """The draft of a routine's step, as written."""
        return cls(step.move, cls.of_move(step.move).amount, step.rest_after, step.sides)

    @property
    def counted(self) -> bool:
        return self.move.timing.counted

    @property
    def unit(self) -> str:
        """What ``amount`` counts: "reps" or "seconds"."""
        return "reps" if self.counted else "seconds"

    def to_step(self) -> Step:
        """The routine's step: the move's default set to ``amount``, limits widened to it."""
        timing = self.move.timing
        if timing.counted:
            timing = timing._replace(
                reps=self.amount,
                min_reps=min(timing.min_reps, self.amount),
                max_reps=max(timing.max_reps, self.amount),
            )
        else:
            timing = timing._replace(
                seconds=self.amount,
                min_seconds=min(timing.min_seconds, self.amount),
                max_seconds=max(timing.max_seconds, self.amount),
            )
        return Step(self.move._replace(timing=timing), self.rest_after, self.sides)


class AreaMinutes(NamedTuple):
    """How long the routine works one area at the previewed length."""

    area: str  # area id
    label: str
    seconds: float
    text: str  # "1 min 20 s"


class DraftPreview(NamedTuple):
    """The plan of a draft at one length: "m:ss · N moves", timeline rows, time per area."""

    minutes: float
    total: str
    lines: list[PreviewLine]
    areas: list[AreaMinutes]


@dataclass
class RoutineDraft:
    """A routine being edited; see the module doc.

    ``library`` gives the moves steps may use and the routine ids already taken.
    ``path`` is the user file the draft was opened from ("" for a new one or a copy);
    its own routine's id is not counted as taken.  ``id_follows_name``: the id is made
    from the name as it changes (new drafts), else kept (a saved routine keeps its id,
    which the history knows it by).  ``minutes_follow_steps``: the lengths are fitted
    to the steps after each change of steps until the person sets one.
    """

    library: Library
    name: str = DEFAULT_DRAFT_NAME
    routine_id: str = field(default_factory=lambda: slug(DEFAULT_DRAFT_NAME))
    description: str = "A routine of my own."
    kind: str = "daily"
    default_minutes: float = 5.0
    min_minutes: float = 3.0
    max_minutes: float = 8.0
    prep: list[str] = field(default_factory=lambda: ["Clean hands"])
    steps: list[StepDraft] = field(default_factory=list)
    prep_seconds: int = 15
    transition_seconds: int = 5
    path: str = ""
    id_follows_name: bool = True
    minutes_follow_steps: bool = True
    _deleted: list[tuple[int, StepDraft]] = field(default_factory=list, init=False, repr=False)

    # ------------------------------------------------------------------ making

    @classmethod
    def from_routine(cls, routine: Routine, library: Library) -> RoutineDraft:
        """A draft that edits ``routine`` in place (a user routine: same id and file)."""
        return cls(
            library,
            name=routine.name,
            routine_id=routine.id,
            description=routine.description,
            kind=routine.kind,
            default_minutes=routine.default_minutes,
            min_minutes=routine.min_minutes,
            max_minutes=routine.max_minutes,
            prep=list(routine.prep),
            steps=[StepDraft.of_step(step) for step in routine.steps],
            prep_seconds=routine.prep_seconds,
            transition_seconds=routine.transition_seconds,
            path=routine.path if routine.source == USER else "",
            id_follows_name=False,
            minutes_follow_steps=False,
        )

    @classmethod
    def duplicate(cls, routine: Routine, library: Library) -> RoutineDraft:
        """A new routine copied from ``routine`` (a built-in stays as it is): "X (copy)"."""
        draft = cls.from_routine(routine, library)
        draft.path = ""
        draft.id_follows_name = True
        draft.set_name((routine.name[: MAX_NAME - len(COPY_SUFFIX)] + COPY_SUFFIX).strip())
        return draft

    @classmethod
    def from_composed(cls, routine: Routine, library: Library) -> RoutineDraft:
        """A new, unsaved draft of a routine made by the composer (id from its name)."""
        draft = cls.from_routine(routine, library)
        draft.path = ""
        draft.id_follows_name = True
        draft.set_name(routine.name)
        return draft

    # ------------------------------------------------------------------ fields

    def set_name(self, name: str) -> None:
        """Rename; the id follows while ``id_follows_name``."""
        self.name = name
        if self.id_follows_name:
            self.routine_id = slug(name)

    def set_minutes(self, low: float, default: float, high: float) -> None:
        """Set the length range by hand (the lengths stop following the steps)."""
        self.min_minutes, self.default_minutes, self.max_minutes = low, default, high
        self.minutes_follow_steps = False

    def fit_minutes(self) -> None:
        """Set the lengths to the half minutes the steps can reach, default in the middle
        of the range (the written lengths when they fit).  No steps: nothing changes."""
        if not self.steps:
            return
        shortest, longest = length_bounds(self._routine(self.steps))
        written = self._written_seconds()
        low = max(1.0, math.ceil(shortest / 60 / MINUTES_STEP) * MINUTES_STEP)
        high = max(low, math.floor(longest / 60 / MINUTES_STEP) * MINUTES_STEP)
        usual = round(written / 60 / MINUTES_STEP) * MINUTES_STEP
        self.min_minutes, self.max_minutes = low, high
        self.default_minutes = min(high, max(low, usual))

    def _written_seconds(self) -> float:
        """The session's length at the steps' written amounts."""
        routine = self._routine(self.steps)
        return fixed_seconds(routine) + sum(
            step.amount
            * (step.move.timing.seconds_per_rep if step.counted else 1.0)
            * side_count(step.sides)
            for step in self.steps
        )

    # ------------------------------------------------------------------ steps

    def add_step(self, move_id: str, at: int | None = None) -> int:
        """Add the library's move ``move_id`` (at the end, or before index ``at``).

        Returns the new step's index.  Raises KeyError for a move the library lacks.
        """
        step = StepDraft.of_move(self.library.moves[move_id])
        index = len(self.steps) if at is None else max(0, min(at, len(self.steps)))
        self.steps.insert(index, step)
        self._steps_changed()
        return index

    def remove_step(self, index: int) -> StepDraft:
        """Remove the step at ``index`` (undoable with :meth:`undo`); IndexError if none."""
        step = self.steps.pop(index)
        self._deleted.append((index, step))
        self._steps_changed()
        return step

    @property
    def can_undo(self) -> bool:
        return bool(self._deleted)

    def undo(self) -> int | None:
        """Put back the step removed last, where it was; its index, or None if none."""
        if not self._deleted:
            return None
        index, step = self._deleted.pop()
        index = min(index, len(self.steps))
        self.steps.insert(index, step)
        self._steps_changed()
        return index

    def move_step(self, source: int, target: int) -> int:
        """Move the step at ``source`` so it ends up at index ``target`` (clamped).

        Returns where it landed.  IndexError for a ``source`` out of range.
        """
        step = self.steps.pop(source)
        target = max(0, min(target, len(self.steps)))
        self.steps.insert(target, step)
        return target

    def move_up(self, index: int) -> int:
        """Swap the step with the one above; returns its new index."""
        return self.move_step(index, index - 1)

    def move_down(self, index: int) -> int:
        """Swap the step with the one below; returns its new index."""
        return self.move_step(index, index + 1)

    def set_amount(self, index: int, amount: int) -> None:
        """Seconds (timed move) or reps (counted move) of the step at ``index``, per side."""
        self.steps[index].amount = int(amount)
        self._steps_changed()

    def set_rest(self, index: int, seconds: int) -> None:
        """The rest after the step at ``index``, in seconds."""
        self.steps[index].rest_after = int(seconds)
        self._steps_changed()

    def set_sides(self, index: int, sides: str) -> None:
        """Run the step at ``index`` on "both" sides at once or "each" side in turn.

        Raises ValueError for any other ``sides``, IndexError for a step not there.
        """
        self.steps[index].sides = require_sides(sides)
        self._steps_changed()

    def _steps_changed(self) -> None:
        if self.minutes_follow_steps:
            self.fit_minutes()

    # ------------------------------------------------------------------ checking

    def _routine(self, steps: list[StepDraft]) -> Routine:
        return Routine(
            id=self.routine_id,
            name=self.name,
            description=self.description,
            kind=self.kind,
            default_minutes=self.default_minutes,
            min_minutes=self.min_minutes,
            max_minutes=self.max_minutes,
            prep=tuple(self.prep),
            steps=tuple(step.to_step() for step in steps),
            prep_seconds=self.prep_seconds,
            transition_seconds=self.transition_seconds,
            tools=(),
            source=USER,
        )

    def to_toml(self) -> str:
        """The routine file's text (unchecked: see :meth:`problems`)."""
        return dump_routine(self._routine(self.steps), self.library.moves)

    def check(self) -> tuple[Routine | None, dict[str, str]]:
        """The routine the draft makes and no problems, or None and every problem.

        Problems map a field (:data:`FIELD_NAMES` or ``steps[N]``) to one sentence;
        the first problem of each field is kept.
        """
        label = self.path or DRAFT_LABEL
        parsed = parse_text(self.to_toml(), label, USER)
        routine = resolve_routine(parsed, self.library.moves, USER)
        found = list(parsed.problems)
        if routine is not None:
            found += check_reachable(routine)
            found += self._taken(routine, label)
        if routine is not None and not found:
            found += self._plan_problems(routine, label)
        problems: dict[str, str] = {}
        for problem in found:
            key = field_of(problem.location)
            problems.setdefault(key, _sentence(in_builder_words(key, problem.message)))
        return (routine if not problems else None), problems

    def problems(self) -> dict[str, str]:
        """Every problem, by field (see :meth:`check`); empty when the draft can be saved."""
        return self.check()[1]

    def to_routine(self) -> Routine:
        """The routine, as its file will read; raises :class:`DraftError` if any problem."""
        routine, problems = self.check()
        if routine is None:
            raise DraftError(problems)
        return routine

    def _taken(self, routine: Routine, label: str) -> list[Problem]:
        """The name as another routine's: its id (made from the name when the routine was
        first saved) or, whatever the id, its name as the list shows it."""
        wanted = routine.name.casefold()
        other = self.library.routine(routine.id)
        if other is not None and not (self.path and _same_file(other.path, self.path)):
            if other.name.casefold() == wanted:
                message = f"another routine is called {quoted(other.name)}; choose another name"
            else:
                message = (
                    f"the name {quoted(self.name)} gives the id {routine.id}, which the "
                    f"routine {quoted(other.name)} already has; choose another name"
                )
            return [Problem(label, "id", message)]
        for same in self.library.routines.values():
            if same.id != routine.id and same.name.casefold() == wanted:
                message = f"another routine is called {quoted(same.name)}; choose another name"
                return [Problem(label, "name", message)]
        return []

    def _plan_problems(self, routine: Routine, label: str) -> list[Problem]:
        problems = []
        for key in LENGTH_CAPTIONS:
            minutes = getattr(routine, key)
            total = plan(routine, minutes).total_seconds
            if abs(total - minutes * 60) > PLAN_TOLERANCE_SECONDS:
                problems.append(
                    Problem(
                        label,
                        key,
                        f"the steps make {clock_text(total)}, not {minutes:g} min; "
                        "try another length",
                    )
                )
        return problems

    # ------------------------------------------------------------------ preview

    def preview(self, minutes: float | None = None) -> DraftPreview | None:
        """The plan at ``minutes`` (the usual length when None); None while invalid."""
        routine = self.check()[0]
        if routine is None:
            return None
        chosen = routine.default_minutes if minutes is None else minutes
        chosen = min(routine.max_minutes, max(routine.min_minutes, chosen))
        timeline = plan(routine, chosen)
        seconds = dict.fromkeys(AREA_IDS, 0.0)
        for segment in timeline.segments:
            if segment.kind == SegmentKind.MOVE:
                for area in segment.areas:
                    seconds[area] += segment.duration
        areas = [
            AreaMinutes(area, AREA_BY_ID[area].label, amount, duration_text(amount))
            for area, amount in seconds.items()
            if amount > 0
        ]
        total = f"{clock_text(timeline.total_seconds)} · {len(routine.steps)} moves"
        return DraftPreview(chosen, total, preview_lines(timeline), areas)

