"""The reader's heading: title, source, size, id, where you are, done; notes about the text."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive

from tui.core.textsafe import safe_line
from tui.ui.widgets.state_line import StateLine


@dataclass(frozen=True)
class HeaderInfo:
    title: str = ""
    source: str = ""
    date: str = ""
    words: int = 0
    article_id: str = ""
    percent: int = 0
    done: bool = False
    place: str = ""  # "3 of 5" in the corpus
    notes: tuple[str, ...] = ()  # the catalog's note, a decoding note


class ReaderHeader(StateLine):
    COMPONENT_CLASSES = {"reader-header--done", "reader-header--note", "reader-header--dim"}

    info: reactive[HeaderInfo] = reactive(HeaderInfo, layout=False)

    def watch_info(self, old: HeaderInfo, new: HeaderInfo) -> None:
        # One line, plus one per note: the layout changes only with the notes.
        self.update(self.build(), layout=old.notes != new.notes)

    def build(self) -> Text:
        info = self.info
        dim = self.get_component_rich_style("reader-header--dim", partial=True)
        # The right-hand side (where you are) is never pushed off by a long title.
        right = Text(no_wrap=True, end="")
        if info.done:
            right.append(" DONE ", style=self.get_component_rich_style("reader-header--done",
                                                                         partial=True))
            right.append(" ")
        right.append(f"{info.percent}%", style="bold")
        if info.place:
            right.append(f" · {info.place}", style=dim)
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(safe_line(info.title), style="bold")
        details = [safe_line(info.source)] if info.source else []
        if info.date:
            details.append(safe_line(info.date))
        details += [f"{info.words} words", safe_line(info.article_id)]
        line.append("  ·  " + "  ·  ".join(details), style=dim)
        width = max(10, self.content_size.width or 80)
        room = max(1, width - right.cell_len - 1)
        line.truncate(room, overflow="ellipsis", pad=True)
        line.append(" ")
        line.append_text(right)
        for note in info.notes:
            line.append("\n")
            line.append(f"⚠ {safe_line(note)}", style=self.get_component_rich_style(
                "reader-header--note", partial=True))
        return line

    def on_resize(self) -> None:
        self.update(self.build(), layout=False)
