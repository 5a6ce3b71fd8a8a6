"""The article view: the text wrapped to the width, drawn line by line.

A ``ScrollView`` on the Line API: only the lines on screen are rendered,
each from the wrapped text (code-point ranges per visual line) and the marks
that touch it, and rendered strips are kept in an LRU cache. Text goes to
the screen as Segments built from the article itself: it is never parsed as
markup, and control characters are replaced by visible placeholders.

How marks look comes from component classes in ``redline.tcss`` (theme
variables), resolved once per theme: the cache is dropped when styles change.
The reader screen sets the selection and the marks; the view only draws.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.wrap import Wrapped
from tui.ui.widgets.looks import ENTITY_CLASSES, entity_class, label_style

GUTTER_WIDTH = 2
DEFAULT_MEASURE = 100  # cells: long lines are hard to read on wide terminals

ANNOTATION = "annotation"
ENTITY = "entity"
UNSAVED = "unsaved"
SUGGESTION = "suggestion"
VARIANT = "variant"


@dataclass(frozen=True, slots=True)
class Mark:
    """A range of the text to draw apart: an annotation, an entity, a match.

    ``look`` says how: a label colour for annotations, an entity type for
    entities; ``letter`` goes to the gutter.
    """

    start: int
    end: int
    kind: str
    look: str = ""
    letter: str = ""
    key: str = ""
    others: bool = False  # someone else's annotation


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


class ArticleView(ScrollView, can_focus=True):
    """Shows one article with its marks and the selection."""

    COMPONENT_CLASSES = ENTITY_CLASSES | {
        "article-view--selection",
        "article-view--match",
        "article-view--match-current",
        "article-view--annotation",
        "article-view--annotation-other",
        "article-view--unsaved",
        "article-view--suggestion",
        "article-view--suggestion-gutter",
        "article-view--variant",
        "article-view--gutter",
    }

    DEFAULT_CSS = """
    ArticleView {
        background: $surface;
        color: $foreground;
    }
    """

    class Clicked(Message):
        """A click or drag on the text: the reader turns it into a selection."""

        def __init__(self, view: ArticleView, offset: int, drag_from: int | None) -> None:
            super().__init__()
            self.view = view
            self.offset = offset
            self.drag_from = drag_from

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        self.wrapped: Wrapped | None = None
        self.measure = DEFAULT_MEASURE
        self.entities = MarkIndex()
        self.annotations = MarkIndex()
        self.extras = MarkIndex()  # suggestions and variant marks
        self.matches = MarkIndex()
        self.current_match: tuple[int, int] | None = None
        self.show_entities = True
        self.hidden_types: frozenset[str] = frozenset()
        self.selection: tuple[int, int] = (0, 0)
        self._cache: OrderedDict[tuple, Strip] = OrderedDict()
        self._style_cache: dict[str, Style] = {}
        self._base: Style | None = None
        self._version = 0
        self._drag_from: int | None = None

    # -- data in --------------------------------------------------------

    def set_text(self, text: str) -> None:
        self.text = text
        self.wrapped = None
        self._rewrap()

    def set_entities(self, marks: list[Mark]) -> None:
        self.entities = MarkIndex(marks)
        self._changed()

    def set_annotations(self, marks: list[Mark]) -> None:
        self.annotations = MarkIndex(marks)
        self._changed()

    def set_extras(self, marks: list[Mark]) -> None:
        self.extras = MarkIndex(marks)
        self._changed()

    def set_matches(self, spans: list[tuple[int, int]]) -> None:
        self.matches = MarkIndex([Mark(s, e, "match") for s, e in spans])
        self._changed()

    def set_current_match(self, span: tuple[int, int] | None) -> None:
        # Strips are cached by the current match on their line: no need to drop them.
        if span != self.current_match:
            for old in (self.current_match, span):
                if old is not None:
                    self._refresh_span(*old)
            self.current_match = span

    def set_entity_display(self, show: bool, hidden_types: frozenset[str]) -> None:
        if (show, hidden_types) != (self.show_entities, self.hidden_types):
            self.show_entities = show
            self.hidden_types = hidden_types
            self._changed()

    def set_measure(self, cells: int) -> None:
        """The widest the text column may be (it is centred in a wider view)."""
        self.measure = max(20, cells)
        self._rewrap()

    def select(self, start: int, end: int, *, scroll: bool = True) -> None:
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if (start, end) != self.selection:
            old = self.selection
            self.selection = (start, end)
            # Only the lines of the old and the new selection change.
            self._refresh_span(*old)
            self._refresh_span(start, end)
        if scroll:
            self.scroll_to_selection()

    def _refresh_span(self, start: int, end: int) -> None:
        if self.wrapped is None:
            return
        first = self.wrapped.line_of(start)
        last = self.wrapped.line_of(max(start, end - 1))
        top = int(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        first, last = max(first, top), min(last, top + height - 1)
        if first <= last:
            self.refresh_lines(first, last - first + 1)

    def _changed(self) -> None:
        self._version += 1
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        # A new theme (or NO_COLOR) means new component styles: redraw everything.
        super().notify_style_update()
        self._style_cache.clear()
        self._base = None
        self._changed()

    @property
    def base_style(self) -> Style:
        # ``rich_style`` walks the CSS each time it is read: once per style update is enough.
        if self._base is None:
            self._base = self.rich_style
        return self._base

    # -- wrapping -------------------------------------------------------

    @property
    def text_width(self) -> int:
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(10, min(self.measure, width - GUTTER_WIDTH))

    @property
    def margin(self) -> int:
        """Blank cells left of the gutter that centre the column in a wide view."""
        width = self.scrollable_content_region.width or self.size.width or 80
        return max(0, (width - GUTTER_WIDTH - self.text_width) // 2)

    def _rewrap(self) -> None:
        if not self.size.width:
            return  # not laid out yet: the first resize wraps, once, at the real width
        width = self.text_width
        if self.wrapped is None or self.wrapped.width != width or self.wrapped.text is not self.text:
            self.wrapped = Wrapped(self.text, width)
            self._cache.clear()
            self.virtual_size = Size(width + GUTTER_WIDTH, len(self.wrapped))
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()
        self._cache.clear()
        self.scroll_to_selection(center=True)

    def scroll_to_selection(self, *, center: bool = False) -> None:
        if self.wrapped is None:
            return
        start, end = self.selection
        _, top = self.wrapped.position(start)
        _, bottom = self.wrapped.position(max(start, end - 1))
        height = max(1, bottom - top + 1)
        height = min(height, max(1, self.scrollable_content_region.height - 2))
        self.scroll_to_region(
            Region(0, top, 1, height), animate=False, center=center, spacing=None,
            immediate=True, force=True,
        )

    def line_of_selection(self) -> int:
        return 0 if self.wrapped is None else self.wrapped.line_of(self.selection[0])

    def visible_range(self) -> tuple[int, int]:
        """The code points from the first to the last line on screen."""
        if self.wrapped is None or not len(self.wrapped):
            return (0, 0)
        top = int(self.scroll_offset.y)
        bottom = min(len(self.wrapped) - 1, top + max(0, self.scrollable_content_region.height - 1))
        return self.wrapped.line_range(min(top, len(self.wrapped) - 1))[0], self.wrapped.line_range(bottom)[1]

    def offset_at_screen(self, x: int, y: int) -> int:
        """The code point under a cell of this widget."""
        if self.wrapped is None:
            return 0
        scroll_x, scroll_y = self.scroll_offset
        return self.wrapped.offset_at(y + scroll_y, x + scroll_x - GUTTER_WIDTH - self.margin)

    # -- styles ---------------------------------------------------------

    def _styles(self, name: str) -> Style:
        style = self._style_cache.get(name)
        if style is None:
            style = self._style_cache[name] = self.get_component_rich_style(name, partial=True)
        return style

    def _mark_style(self, mark: Mark, inside_annotation: bool) -> Style:
        if mark.kind == ANNOTATION:
            style = label_style(mark.look) + self._styles("article-view--annotation")
            return style + self._styles("article-view--annotation-other") if mark.others else style
        if mark.kind == ENTITY:
            style = self._styles(entity_class(mark.look))
            # Inside an annotation the label's colours win; the entity keeps its attributes.
            return Style(bold=style.bold, italic=style.italic, underline=style.underline) \
                if inside_annotation else style
        return self._styles(f"article-view--{mark.kind}")

    # -- rendering ------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        if self.wrapped is None:
            self._rewrap()
        assert self.wrapped is not None
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        index = scroll_y + y
        base = self.base_style
        if index >= len(self.wrapped):
            return Strip.blank(width, base)
        strip = self._render_visual_line(index, base)
        margin = max(0, (width - GUTTER_WIDTH - self.wrapped.width) // 2)
        if margin:
            strip = Strip.join([Strip.blank(margin, base), strip])
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _render_visual_line(self, index: int, base: Style) -> Strip:
        wrapped = self.wrapped
        assert wrapped is not None
        line_start, line_end = wrapped.line_range(index)
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
        wrapped = self.wrapped
        assert wrapped is not None
        annotations = self.annotations.touching(line_start, line_end)
        entities = (
            [m for m in self.entities.touching(line_start, line_end) if m.look not in self.hidden_types]
            if self.show_entities else []
        )
        extras = self.extras.touching(line_start, line_end) if len(self.extras) else []
        matches = self.matches.touching(line_start, line_end) if len(self.matches) else []

        segments: list[Segment] = [self._gutter(annotations, extras, base)]
        limit = GUTTER_WIDTH + wrapped.width
        if line_start == line_end:
            if selected is not None:
                segments.append(Segment(" ", base + self._styles("article-view--selection")))
            return Strip(segments)

        # Styles change only at mark edges: split the line there.
        edges = {line_start, line_end}
        for mark in (*annotations, *entities, *extras, *matches):
            edges.add(max(line_start, mark.start))
            edges.add(min(line_end, mark.end))
        for span in (selected, current):
            if span is not None:
                edges.add(max(line_start, span[0]))
                edges.add(min(line_end, span[1]))
        cuts = sorted(edge for edge in edges if line_start <= edge <= line_end)

        if wrapped.simple[index]:
            text = wrapped.text
            for left, right in zip(cuts, cuts[1:], strict=False):
                if left < right:
                    style = self._style_at(left, base, annotations, entities, extras, matches,
                                           selected, current)
                    segments.append(Segment(text[left:right], style))
        else:
            run: list[str] = []
            run_style: Style | None = None
            for cell in wrapped.cells(index):
                style = self._style_at(cell.start, base, annotations, entities, extras, matches,
                                       selected, current)
                if style != run_style and run:
                    segments.append(Segment("".join(run), run_style))
                    run = []
                run_style = style
                run.append(cell.display)
            if run:
                segments.append(Segment("".join(run), run_style))
        strip = Strip(segments)
        # A space hanging past the width is not drawn.
        return strip.crop(0, limit) if strip.cell_length > limit else strip

    def _style_at(self, offset: int, base: Style, annotations: list[Mark], entities: list[Mark],
                  extras: list[Mark], matches: list[Mark], selected: tuple[int, int] | None,
                  current: tuple[int, int] | None) -> Style:
        return _combine(base, *self._layers(offset, annotations, entities, extras, matches,
                                            selected, current))

    def _layers(self, offset: int, annotations: list[Mark], entities: list[Mark],
                extras: list[Mark], matches: list[Mark], selected: tuple[int, int] | None,
                current: tuple[int, int] | None) -> tuple[Style, ...]:
        layers: list[Style] = []
        # Outer annotations first so the innermost one's colours win.
        here = sorted((m for m in annotations if m.start <= offset < m.end),
                      key=lambda m: m.end - m.start, reverse=True)
        for mark in here:
            layers.append(self._styles("article-view--unsaved") if mark.kind == UNSAVED
                          else self._mark_style(mark, False))
        for mark in extras:
            if mark.start <= offset < mark.end:
                layers.append(self._styles(f"article-view--{mark.kind}"))
        for mark in entities:
            if mark.start <= offset < mark.end:
                layers.append(self._mark_style(mark, bool(here)))
                break
        if selected is not None and selected[0] <= offset < selected[1]:
            # The selection wins over a match: it is always the most visible thing.
            layers.append(self._styles("article-view--selection"))
        elif current is not None and current[0] <= offset < current[1]:
            layers.append(self._styles("article-view--match-current"))
        elif any(m.start <= offset < m.end for m in matches):
            layers.append(self._styles("article-view--match"))
        return tuple(layers)

    def _gutter(self, annotations: list[Mark], extras: list[Mark], base: Style) -> Segment:
        letters = sorted({m.letter for m in annotations if m.letter})
        if not letters:
            letters = sorted({m.letter for m in extras if m.letter})[:1]
            if not letters:
                return Segment(" " * GUTTER_WIDTH, base)
            return Segment(letters[0].ljust(GUTTER_WIDTH),
                           base + self._styles("article-view--suggestion-gutter"))
        if len(letters) == 1:
            mark = next(m for m in annotations if m.letter == letters[0])
            style = self._styles("article-view--unsaved") if mark.kind == UNSAVED \
                else self._mark_style(mark, False)
            return Segment(letters[0].ljust(GUTTER_WIDTH), base + style)
        return Segment("+".ljust(GUTTER_WIDTH), base + self._styles("article-view--gutter"))

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


@lru_cache(maxsize=4096)
def _combine(base: Style, *layers: Style) -> Style:
    result = base
    for style in layers:
        result += style
    return result
