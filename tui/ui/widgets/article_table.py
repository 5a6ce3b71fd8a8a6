"""The library's table of articles, drawn line by line.

A ``ScrollView`` on the Line API, like the article view: only the rows on
screen are rendered, so 10,000 articles cost no more than 10 to show, and
refiltering replaces a list instead of rebuilding widgets or measuring
every cell. Cells are plain strings from the data, cut to their width: never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.corpus import Article
from tui.core.textsafe import safe_line

# (key, heading, width: 0 takes the rest, a fraction is a share of the width; right-aligned?)
COLUMNS = (
    ("title", "Title", 0, False),
    ("source", "Source", 0.18, False),
    ("date", "Date", 10, False),
    ("words", "Words", 7, True),
    ("mine", "Mine", 5, True),
    ("all", "All", 5, True),
    ("agree", "Agree", 5, True),
    ("status", "Status", 11, False),
)
# Below this width the date column gives its room to the title.
DATE_MIN_WIDTH = 100
# An article whose store file is damaged: its counts are unknown, not zero.
DAMAGED = "damaged"


@dataclass(frozen=True, slots=True)
class Row:
    """One article's row; title and words are read from it only when drawn."""

    article: Article
    mine: int
    all: int
    status: str
    agree: str = ""  # overlapping span F1 between its annotators, once two have worked on it

    @property
    def key(self) -> str:
        return self.article.id


class ArticleTable(ScrollView, can_focus=True):
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "select", "Open"),
    ]

    DEFAULT_CSS = """
    ArticleTable {
        background: $surface;
    }
    ArticleTable > .article-table--heading { text-style: bold underline; }
    ArticleTable > .article-table--cursor { text-style: reverse; }
    ArticleTable > .article-table--cursor-blurred { text-style: underline; }
    ArticleTable > .article-table--done { color: $text-success; text-style: bold; }
    ArticleTable > .article-table--in-progress { color: $text-warning; }
    ArticleTable > .article-table--new { text-style: dim; }
    ArticleTable > .article-table--damaged { color: $text-error; text-style: bold; }
    ArticleTable > .article-table--dim { text-style: dim; }
    """

    COMPONENT_CLASSES = {
        "article-table--heading", "article-table--cursor", "article-table--cursor-blurred",
        "article-table--done", "article-table--in-progress", "article-table--new",
        "article-table--damaged", "article-table--dim",
    }

    class Selected(Message):
        def __init__(self, table: ArticleTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> ArticleTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[Row] = []
        self.cursor_row = 0
        self.empty_text = "no articles"  # shown in place of the rows when there are none
        self._base: Style | None = None

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: list[Row], keep: str | None = None) -> None:
        self.rows = rows
        keys = [row.key for row in rows]
        self.cursor_row = keys.index(keep) if keep in keys else min(self.cursor_row, max(0, len(rows) - 1))
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.refresh()
        self.call_after_refresh(self._follow)

    def current_key(self) -> str | None:
        return self.rows[self.cursor_row].key if self.rows else None

    # -- drawing -------------------------------------------------------------

    def _columns(self, total: int) -> list[tuple[str, str, int, bool]]:
        """The columns that fit, with their widths for a table ``total`` cells wide."""
        shown = [c for c in COLUMNS if (c[0] != "date" or total >= DATE_MIN_WIDTH)
                 and (c[0] != "agree" or any(row.agree for row in self.rows))]
        sized = [(key, heading, int(width * total) if isinstance(width, float) else width, right)
                 for key, heading, width, right in shown]
        sized = [(key, heading, max(10, min(40, width)) if key == "source" else width, right)
                 for key, heading, width, right in sized]
        fixed = sum(width + 1 for _, _, width, _ in sized if width)
        return [(key, heading, width or max(12, total - fixed - 1), right)
                for key, heading, width, right in sized]

    def _base_style(self) -> Style:
        # ``rich_style`` walks the CSS on every read: once per style update is enough.
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def _component(self, name: str) -> Style:
        return self.get_component_rich_style(f"article-table--{name}", partial=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style()
        columns = self._columns(width)
        if y == 0:
            return self._line(columns, {key: heading for key, heading, _, _ in columns}, width,
                              base + self._component("heading"), None)
        index = self.scroll_offset.y + y - 1
        if not self.rows and index == 0:
            return Strip([Segment(" "), Segment(self.empty_text, base + self._component("dim"))]) \
                .crop_extend(0, width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        article = row.article
        unknown = row.status == DAMAGED
        cells = {"title": safe_line(article.title), "source": safe_line(article.source),
                 "date": safe_line(article.date)[:10], "words": str(article.words),
                 "mine": "?" if unknown else str(row.mine), "all": "?" if unknown else str(row.all),
                 "agree": row.agree, "status": row.status}
        style = base
        if index == self.cursor_row:
            style = base + self._component("cursor" if self.has_focus else "cursor-blurred")
        return self._line(columns, cells, width, style, row.status)

    def _line(self, columns: list[tuple[str, str, int, bool]], cells: dict[str, str], width: int,
              style: Style, status: str | None) -> Strip:
        # Plain strings cut and padded by cell width: a Rich Text per cell cost a third of
        # the library's first frame.
        segments: list[Segment] = [Segment(" ", style)]
        dim = self._component("dim")
        for key, _heading, cell_width, right in columns:
            cell = _fit(cells[key], cell_width, right)
            cell_style = style
            if key == "status" and status:
                cell_style = style + self._component(status.replace(" ", "-"))
            elif key in ("source", "date") and status:
                cell_style = style + dim
            segments.append(Segment(cell, cell_style))
            segments.append(Segment(" ", style))
        return Strip(segments).crop_extend(0, width, style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self.refresh()

    # -- moving --------------------------------------------------------------

    def _follow(self) -> None:
        self.scroll_to_region(Region(0, self.cursor_row + 1, 1, 1), animate=False,
                              spacing=None, immediate=True, force=True)
        # Keep the heading row in view when at the top.
        if self.cursor_row == 0:
            self.scroll_to(y=0, animate=False, immediate=True)

    def move_to(self, row: int) -> None:
        if not self.rows:
            return
        self.cursor_row = max(0, min(row, len(self.rows) - 1))
        self.refresh()
        self._follow()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_to(self.cursor_row + step * max(1, self.scrollable_content_region.height - 2))

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.rows) - 1 if end else 0)

    def action_select(self) -> None:
        key = self.current_key()
        if key is not None:
            self.post_message(self.Selected(self, key))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.rows):
            if index == self.cursor_row and event.chain >= 2:
                self.action_select()
            self.move_to(index)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


def _fit(text: str, width: int, right: bool) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, padded left or right."""
    size = cell_len(text)
    if size > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width else ""
    padding = " " * (width - size)
    return padding + text if right else text + padding
