"""Names and figures wrap whole: no break inside "Laugh lines" or "73 h 31 min"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from facegym_desktop.ui.wrapping import SEPARATOR, SHORT_PART, unbroken, whole_parts


def test_short_parts_keep_together_and_long_ones_may_break() -> None:
    long_part = "every four days, whichever routine you choose"
    note = whole_parts(f"655 completed · 73 h 31 min · {long_part}")
    assert note == f"655\u00a0completed · 73\u00a0h\u00a031\u00a0min · {long_part}"
    assert unbroken("Under-eyes") == "Under\u2011eyes"


@given(st.lists(st.text(alphabet="ab -", min_size=1, max_size=40), min_size=1, max_size=5))
def test_a_note_reads_the_same_and_breaks_only_between_parts_or_in_long_ones(
    parts: list[str],
) -> None:
    parts = [part for part in parts if SEPARATOR not in part and part.strip()] or ["a"]
    note = whole_parts(SEPARATOR.join(parts))
    plain = note.replace("\u00a0", " ").replace("\u2011", "-")
    assert plain == SEPARATOR.join(parts)
    for shown, part in zip(note.split(SEPARATOR), parts, strict=True):
        if len(part) <= SHORT_PART:
            assert " " not in shown and "-" not in shown
        else:
            assert shown == part
