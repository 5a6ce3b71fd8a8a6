"""snap_to_graphemes skips the segmenter where no cluster can be split: same answers, by property."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core import text_units as tu

# Plain characters beside the ones that join clusters: combining marks, ZWJ, variation
# selectors, skin tones, flags, CR LF, Hangul jamo.
PIECES = st.sampled_from(["a", "Z", " ", ".", "“", "”", "—", "é", "\t", "\n", "\r", "\r\n", "e\u0301",
                          "\u0301", "\u200d", "\ufe0f", "👍🏽", "👨‍👩‍👧", "🇯🇵", "\U0001f1ef", "각", "\u1100\u1161",
                          "東", "\u0915\u094d\u0937", "’", "\u00ad", "。", "、", "あ", "\u3099", "\u302a",
                          "한", "\u11a8", "\u1161", "ب", "\u064e", "\u0600", "א", "\u05b8", "，", "ｶ", "\uff9e",
                          "\u0661"])


def slow(text: str, start: int, end: int) -> tuple[int, int]:
    """The answer without the fast path: the segmenter on every call."""
    keep = tu._surely_boundary
    tu._surely_boundary = lambda text, pos: False
    try:
        return tu.snap_to_graphemes(text, start, end)
    finally:
        tu._surely_boundary = keep


@settings(max_examples=1500, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join), st.integers(0, 40), st.integers(0, 40))
def test_fast_path_gives_the_segmenter_s_answer(text: str, a: int, b: int) -> None:
    start, end = sorted((a, b))
    assert tu.snap_to_graphemes(text, start, end) == slow(text, start, end)
