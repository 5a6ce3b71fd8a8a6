"""Wrapping and the cell <-> code point mapping of the article view."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.core.wrap import Wrapped

HOSTILE = "Hi 你好世界 👨‍👩‍👧 🇫🇷🇩🇪 e\u0301 tab\there \x1b[31mred\u202e\r\nnext line"


def covered(layout: Wrapped) -> list[int]:
    offsets = []
    for y in range(len(layout)):
        start, end = layout.line_range(y)
        offsets.extend(range(start, end))
    return offsets


def test_simple_text_wraps_at_spaces_and_keeps_paragraphs() -> None:
    text = "one two three four five six\n\nseven"
    layout = Wrapped(text, 10)
    lines = [text[slice(*layout.line_range(y))] for y in range(len(layout))]
    # "three four" fills the width; its trailing space hangs past the edge.
    assert lines == ["one two ", "three four ", "five six", "", "seven"]


def test_long_word_is_cut_at_the_width() -> None:
    layout = Wrapped("x" * 25, 10)
    assert [layout.line_range(y) for y in range(len(layout))] == [(0, 10), (10, 20), (20, 25)]


def test_hostile_text_never_splits_clusters_and_fits_the_width() -> None:
    layout = Wrapped(HOSTILE, 10)
    for y in range(len(layout)):
        cells = layout.cells(y)
        assert sum(c.width for c in cells if not c.display.isspace()) <= 10
        for cell in cells:
            assert "\x1b" not in cell.display and "\u202e" not in cell.display
    clusters = {c.display for y in range(len(layout)) for c in layout.cells(y)}
    assert "👨\u200d👩\u200d👧" in clusters and "🇫🇷" in clusters and "e\u0301" in clusters
    assert "␛" in clusters


def test_every_code_point_except_breaks_is_on_screen_once() -> None:
    layout = Wrapped(HOSTILE, 7)
    offsets = covered(layout)
    assert len(offsets) == len(set(offsets))
    missing = set(range(len(HOSTILE))) - set(offsets)
    assert {HOSTILE[i] for i in missing} <= {"\r", "\n"}


def test_cell_to_offset_and_back() -> None:
    text = "ab 你好 cd"
    layout = Wrapped(text, 40)
    assert layout.offset_at(0, 0) == 0
    assert layout.offset_at(0, 3) == 3 and layout.offset_at(0, 4) == 3  # both cells of 你
    assert layout.offset_at(0, 5) == 4
    assert layout.position(4) == (5, 0)
    assert layout.position(text.index("c")) == (8, 0)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \n\r\t你👍é\u0301\u200d🇫🇷\x1b")), max_size=80),
       st.integers(min_value=4, max_value=20))
def test_layout_property(text: str, width: int) -> None:
    layout = Wrapped(text, width)
    offsets = covered(layout)
    assert len(offsets) == len(set(offsets))
    assert {text[i] for i in set(range(len(text))) - set(offsets)} <= {"\r", "\n"}
    for y in range(len(layout)):
        start, end = layout.line_range(y)
        for cell in layout.cells(y):
            assert cell_len(cell.display) == cell.width
            x, row = layout.position(cell.start)
            assert row == y
            assert layout.offset_at(y, x) == cell.start


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab  .\n\t你好東京한글👍é\u0301\u200d\ufe0f🇫🇷שלוםمرحبا\x1b")),
               max_size=120),
       st.integers(min_value=4, max_value=24))
def test_every_line_fits_the_width_but_for_hanging_spaces(text: str, width: int) -> None:
    layout = Wrapped(text, width)
    assert covered(layout) == [i for i in range(len(text)) if text[i] not in "\r\n"]
    for y in range(len(layout)):
        cells = layout.cells(y)
        while cells and cells[-1].display.isspace():
            cells.pop()  # whitespace may hang past the edge; it is not drawn
        drawn = sum(cell.width for cell in cells)
        assert drawn <= width or len(cells) == 1, (text, width, y, layout.line_range(y))
        # The simple flag promises one cell per code point.
        if layout.simple[y]:
            start, end = layout.line_range(y)
            assert cell_len(text[start:end]) == end - start


def test_script_mixes_wrap_alike() -> None:
    # Long runs of each script break at the width; CJK anywhere, the rest at spaces.
    hebrew = " ".join(["שלום"] * 30)
    lines = Wrapped(hebrew, 20)
    assert all(cell_len(hebrew[s:e].rstrip()) <= 20 for s, e in map(lines.line_range, range(len(lines))))
    cjk = "東京" * 40
    lines = Wrapped(cjk, 21)
    assert [e - s for s, e in map(lines.line_range, range(len(lines)))][:3] == [10, 10, 10]
