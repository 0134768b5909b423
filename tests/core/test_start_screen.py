"""The start screen's state and wording, without a display."""

from __future__ import annotations

import sys
from datetime import date, datetime

import pytest

from facegym_desktop.core.library import Library
from facegym_desktop.core.planner import plan
from facegym_desktop.core.routine import Problem
from facegym_desktop.core.settings import Settings
from facegym_desktop.core.start_screen import RoutineCard, StartScreen
from facegym_desktop.core.timefmt import NOT_YET, clock_text
from tests.factories import counted_move, routine_of, timed_move

TODAY = date(2026, 3, 10)


def make_library(problems: int = 0) -> Library:
    short = routine_of(timed_move("glide"), routine_id="short", minutes=(2, 3, 5))
    longer = routine_of(
        timed_move("glide", sides="each"), counted_move("lift"), routine_id="longer"
    )
    return Library(
        routines={"longer": longer, "short": short},
        problems=[Problem(f"bad-{i}.toml", "file", "is broken") for i in range(problems)],
    )


def make_screen(
    settings: Settings | None = None, library: Library | None = None, **kwargs: object
) -> StartScreen:
    current = settings or Settings()
    return StartScreen(library or make_library(), lambda: current, today=lambda: TODAY, **kwargs)


def test_cards_describe_each_routine_and_select_the_last_used() -> None:
    screen = make_screen(Settings(last_routine="longer"))
    cards, selected = screen.cards({})
    assert [card.routine_id for card in cards] == ["short", "longer"]  # shorter first
    assert cards[0] == RoutineCard(
        routine_id="short",
        name="Test routine",
        kind="daily",
        span="2–5 min",
        areas="Cheeks",
        tools="",
        last_done=NOT_YET,
        description="For tests.",
    )
    assert selected == "longer"


def test_last_done_is_said_relative_to_today() -> None:
    screen = make_screen()
    yesterday = datetime(2026, 3, 9, 8, 30).astimezone()
    cards, _ = screen.cards({"short": yesterday})
    assert [card.last_done for card in cards] == ["yesterday", NOT_YET]


def test_no_history_never_asks_for_the_date() -> None:
    def no_date() -> date:
        raise AssertionError("today was asked for without a history")

    screen = StartScreen(make_library(), Settings, today=no_date)
    assert all(card.last_done == NOT_YET for card in screen.cards({}).cards)


def test_selecting_opens_with_the_kept_length_or_the_default() -> None:
    screen = make_screen(Settings(minutes_by_routine={"short": 4.5, "longer": 60}))
    choice = screen.select("short")
    assert choice is not None
    assert (choice.title, choice.description, choice.minutes) == ("Test routine", "For tests.", 4.5)
    assert choice.choices == [2, 2.5, 3, 3.5, 4, 4.5, 5]
    assert choice.presets == [("3 min", 3.0), ("5 min", 5.0)]  # the usual lengths within 2-5
    assert screen.selected is not None and screen.selected.id == "short"
    # A kept length outside the routine's range falls back to its default.
    longer = screen.select("longer")
    assert longer is not None and longer.minutes == 5
    assert screen.minutes == 5


def test_an_unknown_routine_changes_nothing() -> None:
    screen = make_screen()
    screen.select("short")
    assert screen.select("gone") is None
    assert screen.selected is not None and screen.selected.id == "short"


def test_the_selected_routine_stays_selected_when_cards_are_rebuilt() -> None:
    screen = make_screen(Settings(last_routine="short"))
    screen.select("longer")
    assert screen.cards({}).selected_id == "longer"


def test_preview_follows_the_chosen_length() -> None:
    screen = make_screen()
    assert screen.preview() is None
    screen.select("longer")
    before = screen.preview()
    assert before is not None and screen.selected is not None
    assert before.total == f"{clock_text(plan(screen.selected, 5).total_seconds)} · 2 moves"
    names = [line.name for line in before.lines]
    assert names[:2] == ["Glide (left)", "Glide (right)"]
    assert names[-1].startswith("Lift × ")
    assert all(line.start.count(":") == 1 for line in before.lines)
    screen.set_minutes(3)
    after = screen.preview()
    assert after is not None
    assert after.total == f"{clock_text(plan(screen.selected, 3).total_seconds)} · 2 moves"
    assert after.total != before.total
    assert screen.minutes == 3


def test_a_length_outside_the_routine_is_brought_within_it() -> None:
    screen = make_screen()
    screen.select("short")
    screen.set_minutes(30)
    assert screen.minutes == 5
    screen.set_minutes(0.5)
    assert screen.minutes == 2
    screen.set_minutes(2.75)  # any length within the range, not only slider stops
    assert screen.minutes == 2.75


def test_notices_keep_their_order_and_skip_repeats() -> None:
    screen = make_screen(notices=["settings.json: bad theme", ""])
    screen.add_notice("History is off: disk full")
    screen.add_notice("History is off: disk full")
    assert screen.notice_text() == "settings.json: bad theme\nHistory is off: disk full"


def test_a_notice_slot_is_replaced_as_a_whole_and_cleared() -> None:
    screen = make_screen(notices=["first"])
    screen.add_notice(source="voice", text="Voice off: espeak-ng is not installed.")
    screen.add_notice(source="voice", text="Voice off: the worker stopped.")
    assert screen.notice_text() == "first\nVoice off: the worker stopped."
    # A general notice with the same words as the slot's is its own line.
    screen.add_notice(source="voice", text="")
    screen.add_notice("Voice off: the worker stopped.")
    assert screen.notice_text() == "first\nVoice off: the worker stopped."
    screen.add_notice(source="voice", text="")
    assert screen.notice_text() == "first\nVoice off: the worker stopped."


@pytest.mark.parametrize(("problems", "more"), [(1, ""), (3, ""), (5, " (and 2 more)")])
def test_skipped_routine_files_come_last_and_are_counted(problems: int, more: str) -> None:
    screen = make_screen(library=make_library(problems), notices=["first"])
    lines = screen.notice_text().splitlines()
    assert lines[0] == "first"
    assert lines[1].startswith("Some routine files were skipped: bad-0.toml: file: is broken")
    assert lines[1].count("bad-") == min(problems, 3)
    assert lines[1].endswith("is broken" + more)


def test_the_module_loads_no_dates() -> None:
    import subprocess

    code = (
        "import sys; import facegym_desktop.core.start_screen; "
        "print('datetime' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
