"""The article view: the text wrapped to the width, drawn line by line.

A ``ScrollView`` on the Line API: only the lines on screen are rendered,
each from the layout (code-point ranges per visual line) and the spans that
touch it, and rendered strips are kept in an LRU cache. Text goes to the
screen as Segments built from the article itself: it is never parsed as
markup, and control characters are replaced by visible placeholders.

The view owns the selection (a code-point range) and draws it; motions are
decided by the reader screen, which calls ``select``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.wrap import Layout
from tui.ui.widgets import styles

GUTTER_WIDTH = 2
MAX_MEASURE = 100  # cells: long lines are hard to read on wide terminals


@dataclass(frozen=True, slots=True)
class Mark:
    """A styled range of the text: an entity, an annotation or a match."""

    start: int
    end: int
    style: Style
    letter: str = ""
    key: str = ""


class MarkIndex:
    """Marks sorted by start, with a fast lookup of those touching a range."""

    def __init__(self, marks: list[Mark] | tuple[Mark, ...] = ()) -> None:
        self.marks = sorted(marks, key=lambda m: (m.start, -m.end))
        self.starts = [m.start for m in self.marks]
        self.longest = max((m.end - m.start for m in self.marks), default=0)

    def __len__(self) -> int:
        return len(self.marks)

    def touching(self, start: int, end: int) -> list[Mark]:
        low = bisect_left(self.starts, start - self.longest)
        high = bisect_left(self.starts, max(end, start + 1))
        return [m for m in self.marks[low:high] if m.end > start and m.start < max(end, start + 1)]

    def after(self, offset: int) -> Mark | None:
        index = bisect_right(self.starts, offset)
        return self.marks[index] if index < len(self.marks) else None

    def before(self, offset: int) -> Mark | None:
        index = bisect_left(self.starts, offset) - 1
        return self.marks[index] if index >= 0 else None


class ArticleView(ScrollView, can_focus=True):
    """Shows one article; owns the selection."""

    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        color: $foreground;
        padding: 0 0 0 0;
    }
    """

    class SelectionChanged(Message):
        def __init__(self, view: ArticleView, start: int, end: int) -> None:
            super().__init__()
            self.view = view
            self.start = start
            self.end = end

    class Clicked(Message):
        """A click or drag on the text: the reader turns it into a selection."""

        def __init__(self, view: ArticleView, offset: int, drag_from: int | None) -> None:
            super().__init__()
            self.view = view
            self.offset = offset
            self.drag_from = drag_from

    def __init__(self, text: str = "", *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.text = text
        self.layout_: Layout | None = None
        self.entities = MarkIndex()
        self.annotations = MarkIndex()
        self.matches = MarkIndex()
        self.current_match: tuple[int, int] | None = None
        self.show_entities = True
        self.hidden_types: frozenset[str] = frozenset()
        self.selection: tuple[int, int] = (0, 0)
        self._cache: OrderedDict[tuple, Strip] = OrderedDict()
        self._version = 0
        self._drag_from: int | None = None

    # -- data in --------------------------------------------------------

    def set_text(self, text: str) -> None:
        self.text = text
        self.layout_ = None
        self._relayout()

    def set_entities(self, marks: list[Mark]) -> None:
        self.entities = MarkIndex(marks)
        self._changed()

    def set_annotations(self, marks: list[Mark]) -> None:
        self.annotations = MarkIndex(marks)
        self._changed()

    def set_matches(self, spans: list[tuple[int, int]], current: tuple[int, int] | None) -> None:
        self.matches = MarkIndex([Mark(s, e, styles.MATCH) for s, e in spans])
        self.current_match = current
        self._changed()

    def set_entity_display(self, show: bool, hidden_types: frozenset[str]) -> None:
        self.show_entities = show
        self.hidden_types = hidden_types
        self._changed()

    def select(self, start: int, end: int, *, scroll: bool = True) -> None:
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if (start, end) != self.selection:
            self.selection = (start, end)
            self.refresh()
            self.post_message(self.SelectionChanged(self, start, end))
        if scroll:
            self.scroll_to_selection()

    def _changed(self) -> None:
        self._version += 1
        self._cache.clear()
        self.refresh()

    # -- layout ---------------------------------------------------------

    @property
    def text_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(10, min(MAX_MEASURE, width - GUTTER_WIDTH))

    def _relayout(self) -> None:
        width = self.text_width
        if self.layout_ is None or self.layout_.width != width or self.layout_.text is not self.text:
            self.layout_ = Layout(self.text, width)
            self._cache.clear()
            self.virtual_size = Size(width + GUTTER_WIDTH, len(self.layout_))
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self.scroll_to_selection(center=True)

    def scroll_to_selection(self, *, center: bool = False) -> None:
        if self.layout_ is None:
            return
        start, end = self.selection
        _, top = self.layout_.position(start)
        _, bottom = self.layout_.position(max(start, end - 1))
        height = max(1, bottom - top + 1)
        height = min(height, max(1, self.scrollable_content_region.height - 2))
        self.scroll_to_region(
            Region(0, top, 1, height), animate=False, center=center, spacing=None,
            immediate=True, force=True,
        )

    def line_of_selection(self) -> int:
        return 0 if self.layout_ is None else self.layout_.line_of(self.selection[0])

    def offset_at_screen(self, x: int, y: int) -> int:
        """The code point under a cell of this widget."""
        if self.layout_ is None:
            return 0
        scroll_x, scroll_y = self.scroll_offset
        return self.layout_.offset_at(y + scroll_y, x + scroll_x - GUTTER_WIDTH)

    # -- rendering ------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if self.layout_ is None:
            self._relayout()
        assert self.layout_ is not None
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        base = self.rich_style
        if index >= len(self.layout_):
            return Strip.blank(width, base)
        strip = self._render_visual_line(index, base)
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _render_visual_line(self, index: int, base: Style) -> Strip:
        layout = self.layout_
        assert layout is not None
        line_start, line_end = layout.line_range(index)
        sel_start, sel_end = self.selection
        selected = (max(sel_start, line_start), min(sel_end, line_end)) if (
            sel_start < line_end and sel_end > line_start) else None
        if selected is None and sel_start == sel_end == line_start == line_end:
            selected = (line_start, line_start)  # the cursor on an empty line
        current = self.current_match
        current = current if current and current[0] < line_end and current[1] > line_start else None
        key = (index, self._version, selected, current, base)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        strip = self._build_strip(index, line_start, line_end, selected, current, base)
        self._cache[key] = strip
        if len(self._cache) > 1024:
            self._cache.popitem(last=False)
        return strip

    def _build_strip(self, index: int, line_start: int, line_end: int,
                     selected: tuple[int, int] | None, current: tuple[int, int] | None,
                     base: Style) -> Strip:
        layout = self.layout_
        assert layout is not None
        annotations = self.annotations.touching(line_start, line_end)
        entities = (
            [m for m in self.entities.touching(line_start, line_end) if m.key not in self.hidden_types]
            if self.show_entities else []
        )
        matches = self.matches.touching(line_start, line_end) if len(self.matches) else []

        segments: list[Segment] = [self._gutter(annotations, base)]
        if line_start == line_end:
            if selected is not None:
                segments.append(Segment(" ", base + styles.SELECTION))
            return Strip(segments)

        # Styles change only at span edges: split the line there.
        edges = {line_start, line_end}
        for mark in (*annotations, *entities, *matches):
            edges.add(max(line_start, mark.start))
            edges.add(min(line_end, mark.end))
        for span in (selected, current):
            if span is not None:
                edges.add(max(line_start, span[0]))
                edges.add(min(line_end, span[1]))
        cuts = sorted(edge for edge in edges if line_start <= edge <= line_end)

        if layout.simple[index]:
            text = layout.text
            width = layout.width
            for left, right in zip(cuts, cuts[1:], strict=False):
                if left >= right:
                    continue
                style = self._style_at(left, base, annotations, entities, matches, selected, current)
                chunk = text[left:right]
                segments.append(Segment(chunk, style))
            strip = Strip(segments)
            # A space hanging past the width is not drawn.
            return strip.crop(0, GUTTER_WIDTH + width) if strip.cell_length > GUTTER_WIDTH + width else strip

        cells = layout.cells(index)
        run: list[str] = []
        run_style: Style | None = None
        for cell in cells:
            style = self._style_at(cell.start, base, annotations, entities, matches, selected, current)
            if style != run_style and run:
                segments.append(Segment("".join(run), run_style))
                run = []
            run_style = style
            run.append(cell.display)
        if run:
            segments.append(Segment("".join(run), run_style))
        strip = Strip(segments)
        limit = GUTTER_WIDTH + layout.width
        return strip.crop(0, limit) if strip.cell_length > limit else strip

    @staticmethod
    def _style_at(offset: int, base: Style, annotations: list[Mark], entities: list[Mark],
                  matches: list[Mark], selected: tuple[int, int] | None,
                  current: tuple[int, int] | None) -> Style:
        layers: list[Style | None] = [base]
        # Outer annotations first so the innermost one's background wins.
        for mark in sorted((m for m in annotations if m.start <= offset < m.end),
                           key=lambda m: (m.end - m.start), reverse=True):
            layers.append(mark.style)
        for mark in entities:
            if mark.start <= offset < mark.end:
                layers.append(mark.style)
                break
        if current is not None and current[0] <= offset < current[1]:
            layers.append(styles.CURRENT_MATCH)
        else:
            for mark in matches:
                if mark.start <= offset < mark.end:
                    layers.append(styles.MATCH)
                    break
        if selected is not None and selected[0] <= offset < selected[1]:
            layers.append(styles.SELECTION)
        return styles.combine(*layers)

    def _gutter(self, annotations: list[Mark], base: Style) -> Segment:
        if not annotations:
            return Segment(" " * GUTTER_WIDTH, base)
        letters = sorted({m.letter for m in annotations if m.letter})
        mark = letters[0] if len(letters) == 1 else "+"
        style = annotations[0].style if len(letters) == 1 else styles.GUTTER
        return Segment(mark.ljust(GUTTER_WIDTH), base + style)

    # -- mouse (optional: the keyboard does everything) -------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._drag_from = self.offset_at_screen(event.x, event.y)
        self.capture_mouse()
        self.post_message(self.Clicked(self, self._drag_from, None))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is not None and event.button:
            offset = self.offset_at_screen(event.x, event.y)
            self.post_message(self.Clicked(self, offset, self._drag_from))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self._drag_from = None
        self.release_mouse()
