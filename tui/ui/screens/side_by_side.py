"""Side by side: two versions of a story, sentence against sentence.

Rows are the alignment of ``tui.core.compare``: a sentence and its
counterpart, with the words that differ marked on each side
(``[-only left-]``, ``{+only right+}``), or a sentence with no counterpart.
The gutter says which, in letters as well as styles: ``=`` a pair, ``~`` a
pair out of order, ``<`` only on the left, ``>`` only on the right.

The alignment runs in a thread worker; the rows are drawn with the Line
API (only what is on screen). ``enter`` returns ``JumpTo`` for the row's
sentence (the left one when there is one), ``escape`` returns None.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.widgets import Footer, Static

from tui.core.compare import (
    THRESHOLD,
    AlignedRow,
    Alignment,
    Cancelled,
    CompareError,
    JumpTo,
    align_articles,
)
from tui.core.corpus import Article
from tui.core.textsafe import safe_line
from tui.ui.messages import ReportsWorkerErrors

MAX_ROWS = 1000  # rows drawn (laid out at once); the command line gives all of them
GUTTER = 3
SEPARATOR = " │ "


@dataclass
class AlignmentReady(Message):
    alignment: Alignment


@dataclass
class AlignmentFailed(Message):
    reason: str


def row_changed(row: AlignedRow) -> bool:
    """A row worth stopping at: no counterpart, out of order, or words that differ."""
    if not row.paired or row.moved:
        return True
    return any(piece.changed and "minor" not in piece.flags for piece in row.diff)


class AlignedView(ScrollView, can_focus=True):
    """The aligned rows in two columns, with a row cursor."""

    COMPONENT_CLASSES = {
        "aligned--deleted", "aligned--inserted", "aligned--fact", "aligned--moved",
        "aligned--unmatched", "aligned--gutter", "aligned--cursor", "aligned--separator",
    }

    DEFAULT_CSS = """
    AlignedView { background: $surface; color: $foreground; overflow-x: hidden; }
    AlignedView > .aligned--deleted { color: $text-error; text-style: strike; }
    AlignedView > .aligned--inserted { color: $text-success; text-style: underline; }
    AlignedView > .aligned--fact { text-style: bold; }
    AlignedView > .aligned--moved { text-style: italic; }
    AlignedView > .aligned--unmatched { text-style: italic dim; }
    AlignedView > .aligned--gutter { color: $text-accent; text-style: bold; }
    AlignedView > .aligned--cursor { background: $boost; text-style: bold; }
    AlignedView > .aligned--separator { text-style: dim; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.left_text = ""
        self.right_text = ""
        self.rows: list[AlignedRow] = []
        self.cursor = 0
        self._lines: list[tuple[int, Content, Content]] = []  # (row, left part, right part)
        self._tops: list[int] = []  # first line of each row
        self._width = 0

    def set_rows(self, left_text: str, right_text: str, rows: list[AlignedRow]) -> None:
        self.left_text, self.right_text, self.rows = left_text, right_text, rows
        self.cursor = 0
        self._width = 0
        self._layout()

    # -- layout -----------------------------------------------------------

    @property
    def column_width(self) -> int:
        # The vertical scrollbar's room is kept whether or not it shows, so
        # its appearing never makes the rows wider than the view.
        width = (self.size.width or 80) - self.styles.scrollbar_size_vertical
        return max(10, (width - GUTTER - len(SEPARATOR)) // 2)

    def _style(self, name: str) -> Style:
        return Style.from_rich_style(self.get_component_rich_style(f"aligned--{name}", partial=True))

    def _side(self, row: AlignedRow, side: str) -> Content:
        span = row.a if side == "a" else row.b
        if span is None:
            return Content("")
        text = self.left_text if side == "a" else self.right_text
        if not row.paired:
            return Content.styled(safe_line(text[span[0]:span[1]]) + "  (no counterpart)",
                                  self._style("unmatched"))
        parts: list[Content] = []
        for piece in row.diff:
            if piece.op == "equal":
                body = piece.a_text if side == "a" else piece.b_text
                space = piece.a_space if side == "a" else piece.b_space
                content = Content(safe_line(body))
            elif piece.op == "delete" and side == "a":
                space = piece.a_space
                content = Content.styled(f"[-{safe_line(piece.a_text)}-]", self._look(piece, "deleted"))
            elif piece.op == "insert" and side == "b":
                space = piece.b_space
                content = Content.styled(f"{{+{safe_line(piece.b_text)}+}}", self._look(piece, "inserted"))
            else:
                continue
            if parts and space:
                parts.append(Content(" "))
            parts.append(content)
        return Content("").join(parts)

    def _look(self, piece, kind: str) -> Style:
        style = self._style(kind)
        if "name" in piece.flags or "number" in piece.flags:
            style = style + self._style("fact")
        if "moved" in piece.flags:
            style = style + self._style("moved")
        return style

    def _layout(self) -> None:
        width = self.column_width
        if width == self._width and self._lines:
            return
        self._width = width
        lines: list[tuple[int, Content, Content]] = []
        tops: list[int] = []
        for index, row in enumerate(self.rows[:MAX_ROWS]):
            left = self._side(row, "a").wrap(width) or [Content("")]
            right = self._side(row, "b").wrap(width) or [Content("")]
            tops.append(len(lines))
            for n in range(max(len(left), len(right))):
                lines.append((index,
                              left[n] if n < len(left) else Content(""),
                              right[n] if n < len(right) else Content("")))
            lines.append((index, Content(""), Content("")))  # a blank line between rows
        self._lines, self._tops = lines, tops
        self.virtual_size = Size(GUTTER + len(SEPARATOR) + 2 * width, len(lines))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._layout()
        self.scroll_to_cursor()

    # -- drawing ----------------------------------------------------------

    def _gutter(self, row: AlignedRow) -> str:
        if row.a is None:
            return ">"
        if row.b is None:
            return "<"
        return "~" if row.moved else "="

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = scroll_y + y
        if index >= len(self._lines):
            return Strip.blank(width, base)
        row_index, left, right = self._lines[index]
        row = self.rows[row_index]
        first = self._tops[row_index] == index
        blank = not left and not right and not first
        cursor = row_index == self.cursor and not blank
        # The cursor row is marked in the gutter too, for terminals without colour.
        mark = (self._gutter(row) if first else " ") + ("▸" if cursor else " ")
        gutter = Content.styled(mark.ljust(GUTTER), self._style("gutter"))
        column = self._width
        line = Content.assemble(
            gutter,
            left.pad_right(max(0, column - left.cell_length)),
            Content.styled(SEPARATOR, self._style("separator")),
            right.pad_right(max(0, column - right.cell_length)),
        )
        if cursor:
            line = line.stylize(self._style("cursor"))
        strip = Strip(line.render_segments(Style.from_rich_style(base)))
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    # -- the cursor -------------------------------------------------------

    def move_to(self, row: int) -> None:
        if not self.rows:
            return
        self.cursor = max(0, min(row, min(len(self.rows), MAX_ROWS) - 1))
        self.refresh()
        self.scroll_to_cursor()

    def scroll_to_cursor(self) -> None:
        if not self._tops or self.cursor >= len(self._tops):
            return
        top = self._tops[self.cursor]
        bottom = self._tops[self.cursor + 1] if self.cursor + 1 < len(self._tops) else len(self._lines)
        self.scroll_to_region(Region(0, top, 1, max(1, bottom - top)), animate=False,
                              spacing=None, immediate=True, force=True)

    @property
    def current(self) -> AlignedRow | None:
        return self.rows[self.cursor] if self.rows else None

    @property
    def visible_rows(self) -> int:
        return min(len(self.rows), MAX_ROWS)


class SideBySideScreen(ReportsWorkerErrors, Screen[JumpTo | None]):
    """Two articles aligned sentence by sentence."""

    BINDINGS = [
        Binding("down,j", "move(1)", "Next row", id="sidebyside.next_row", show=False),
        Binding("up,k", "move(-1)", "Previous row", id="sidebyside.previous_row", show=False),
        Binding("pagedown", "page(1)", "Page down", id="sidebyside.page_down", show=False),
        Binding("pageup", "page(-1)", "Page up", id="sidebyside.page_up", show=False),
        Binding("home", "edge(-1)", "First row", id="sidebyside.first", show=False),
        Binding("end", "edge(1)", "Last row", id="sidebyside.last", show=False),
        Binding("n", "difference(1)", "Next difference", id="sidebyside.next_difference",
                tooltip="The next row that differs: changed words, no counterpart, or moved"),
        Binding("N", "difference(-1)", "Previous difference",
                id="sidebyside.previous_difference"),
        Binding("enter", "jump", "Jump", id="sidebyside.jump",
                tooltip="Open the row's sentence in its article (the left one if there is one)"),
        Binding("escape,q", "close", "Close", id="sidebyside.close"),
    ]

    DEFAULT_CSS = """
    SideBySideScreen #sidebyside-heading { height: auto; padding: 0 1; background: $panel; }
    SideBySideScreen #sidebyside-status { height: auto; padding: 0 1; color: $text-muted; }
    SideBySideScreen AlignedView { height: 1fr; }
    """

    def __init__(self, left: Article, right: Article, *, threshold: float = THRESHOLD) -> None:
        super().__init__()
        self.left = left
        self.right = right
        self.threshold = threshold
        self.alignment: Alignment | None = None

    def compose(self) -> ComposeResult:
        heading = Content.assemble(
            ("Side by side  ", "bold"), "left: ", (safe_line(self.left.title), "italic"),
            f" ({safe_line(self.left.id)})   right: ", (safe_line(self.right.title), "italic"),
            f" ({safe_line(self.right.id)})")
        yield Static(heading, id="sidebyside-heading")
        yield Static("Aligning the two articles…", id="sidebyside-status")
        yield AlignedView(id="aligned")
        yield Footer()

    @property
    def view(self) -> AlignedView:
        return self.query_one("#aligned", AlignedView)

    @property
    def status(self) -> Static:
        return self.query_one("#sidebyside-status", Static)

    def on_mount(self) -> None:
        self.view.focus()
        self._align()

    @work(thread=True, exclusive=True, group="align", exit_on_error=False)
    def _align(self) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        try:
            alignment = align_articles(self.left, self.right, threshold=self.threshold,
                                       cancelled=lambda: worker.is_cancelled)
        except Cancelled:
            return
        except CompareError as err:
            self.post_message(AlignmentFailed(str(err)))
            return
        except Exception as err:  # never take the reader down
            self.post_message(AlignmentFailed(f"the alignment failed: {err}"))
            return
        self.post_message(AlignmentReady(alignment))

    def on_alignment_failed(self, message: AlignmentFailed) -> None:
        self.status.update(Content(safe_line(message.reason)))

    def on_alignment_ready(self, message: AlignmentReady) -> None:
        self.alignment = alignment = message.alignment
        rows = alignment.rows
        pairs = len(alignment.pairs)
        only_left = sum(1 for row in rows if row.b is None)
        only_right = sum(1 for row in rows if row.a is None)
        moved = sum(1 for row in rows if row.moved)
        summary = (f"{pairs} pairs, {only_left} only on the left, {only_right} only on the right"
                   + (f", {moved} out of order" if moved else "")
                   + "   = pair  ~ moved  < only left  > only right   [-…-] only left  {+…+} only right")
        if len(rows) > MAX_ROWS:
            summary += (f"   Showing the first {MAX_ROWS:,} of {len(rows):,} rows; "
                        "redline compare --with lists them all.")
        self.status.update(Content(summary))
        self.view.set_rows(self.left.text, self.right.text, rows)

    # -- actions ----------------------------------------------------------

    def action_move(self, step: int) -> None:
        self.view.move_to(self.view.cursor + step)

    def action_page(self, step: int) -> None:
        view = self.view
        height = max(1, view.scrollable_content_region.height)
        tops = view._tops
        if not tops:
            return
        target_line = tops[view.cursor] + step * height
        row = next((i for i, top in enumerate(tops) if top >= target_line), len(tops) - 1)
        view.move_to(row if step > 0 else max(0, row - 1))

    def action_edge(self, step: int) -> None:
        self.view.move_to(0 if step < 0 else self.view.visible_rows - 1)

    def action_difference(self, step: int) -> None:
        view = self.view
        index = view.cursor + step
        while 0 <= index < view.visible_rows:
            if row_changed(view.rows[index]):
                view.move_to(index)
                return
            index += step
        self.status.update(Content("no further difference " + ("below" if step > 0 else "above")))

    def action_jump(self) -> None:
        row = self.view.current
        if row is None:
            return
        if row.a is not None:
            self.dismiss(JumpTo(self.left.id, *row.a))
        elif row.b is not None:
            self.dismiss(JumpTo(self.right.id, *row.b))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "align")
        self.dismiss(None)
