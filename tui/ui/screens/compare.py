"""Compare: the passages of other articles most like the one under the cursor, as word diffs.

Pushed by the reader with the article, the passage's span and the corpus's
``CompareEngine``. Everything slow (waiting for the sentence index, the
lookup) runs in a thread worker that only posts messages. The screen
returns, through ``dismiss``:

- ``JumpTo(article_id, start, end)``: open that article at the match (``enter``);
- ``FlagDifference(...)``: label the compared passage ``factual error`` with
  the note "<their title>: <their wording>" (``f``);
- ``None``: closed (``escape``).

Differences are marked by brackets as well as by style, so they read
without colour: ``[-only in this article-]`` and ``{+only in theirs+}``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.compare import (
    Cancelled,
    CompareEngine,
    CompareError,
    CompareOutcome,
    DiffPiece,
    FlagDifference,
    JumpTo,
    Match,
    Progress,
    SimilarResult,
    difference_note,
)
from tui.core.corpus import Article
from tui.core.textsafe import safe_line
from tui.ui.messages import ReportsWorkerErrors

PROGRESS_EVERY = 0.1  # seconds between progress messages from the worker


@dataclass
class IndexProgress(Message):
    """The sentence index is being built (or read): how far along."""

    progress: Progress


@dataclass
class SimilarFound(Message):
    result: SimilarResult


@dataclass
class CompareFailed(Message):
    reason: str


def diff_text(pieces: tuple[DiffPiece, ...] | list[DiffPiece], styles: dict[str, Style]) -> Text:
    """The merged diff on one line: equal words plain, ``[-deleted-]`` and ``{+inserted+}`` styled."""
    text = Text()
    for piece in pieces:
        if piece.op == "insert":
            body, space, style = f"{{+{safe_line(piece.b_text)}+}}", piece.b_space, styles["inserted"]
        elif piece.op == "delete":
            body, space, style = f"[-{safe_line(piece.a_text)}-]", piece.a_space, styles["deleted"]
        else:
            body, space, style = safe_line(piece.a_text), piece.a_space, None
        if style is not None:
            if "name" in piece.flags or "number" in piece.flags:
                style = style + styles["fact"]
            if "moved" in piece.flags:
                style = style + styles["moved"]
        if text and space:
            text.append(" ")
        text.append(body, style=style)
    return text


class CompareScreen(ReportsWorkerErrors, ModalScreen[CompareOutcome | None]):
    """Similar passages in the other articles of the corpus."""

    BINDINGS = [
        Binding("enter", "jump", "Jump", id="compare.jump", priority=True,
                tooltip="Open the highlighted passage in its article"),
        Binding("f", "flag", "Flag error", id="compare.flag",
                tooltip="Label this passage 'factual error', noting the other article's wording"),
        Binding("j", "move(1)", "Next match", id="compare.next", show=False),
        Binding("k", "move(-1)", "Previous match", id="compare.previous", show=False),
        Binding("escape,q", "close", "Close", id="compare.close"),
    ]

    COMPONENT_CLASSES = {
        "compare--deleted", "compare--inserted", "compare--fact", "compare--moved",
        "compare--title", "compare--score", "compare--changes",
    }

    DEFAULT_CSS = """
    CompareScreen { align: center middle; }
    CompareScreen > #compare-box {
        width: 92%; height: 90%;
        border: thick $accent; background: $surface; padding: 0 1;
    }
    CompareScreen #compare-heading { height: auto; max-height: 5; }
    CompareScreen #compare-legend { height: 1; }
    CompareScreen #compare-status { height: auto; color: $text-muted; }
    CompareScreen #compare-results { height: 1fr; }
    CompareScreen > .compare--deleted { color: $text-error; text-style: strike; }
    CompareScreen > .compare--inserted { color: $text-success; text-style: underline; }
    CompareScreen > .compare--fact { text-style: bold; }
    CompareScreen > .compare--moved { text-style: italic; }
    CompareScreen > .compare--title { text-style: bold; }
    CompareScreen > .compare--score { color: $text-accent; }
    CompareScreen > .compare--changes { text-style: italic dim; }
    """

    def __init__(self, article: Article, span: tuple[int, int], engine: CompareEngine, *,
                 top: int = 10) -> None:
        super().__init__()
        self.article = article
        self.span = span
        self.engine = engine
        self.top = top
        self.result: SimilarResult | None = None

    # -- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="compare-box"):
            yield Static(self._heading(), id="compare-heading")
            yield Static("", id="compare-status")
            yield OptionList(id="compare-results")
            yield Static(Text("[-…-] only in this article   {+…+} only in the other   "
                              "bold: a name or number", style="dim"), id="compare-legend")
        yield Footer()

    def _heading(self) -> Text:
        start, end = self.span
        passage = safe_line(self.article.text[start:end])
        if len(passage) > 240:
            passage = passage[:239] + "…"
        heading = Text()
        heading.append("Compare  ", style="bold")
        heading.append(safe_line(self.article.title), style="italic")
        heading.append(f"\n“{passage}”")
        return heading

    @property
    def status(self) -> Static:
        return self.query_one("#compare-status", Static)

    @property
    def results(self) -> OptionList:
        return self.query_one("#compare-results", OptionList)

    def on_mount(self) -> None:
        building = self.engine.building
        if self.engine.ready:
            self.status.update("Comparing…")
        elif building is not None:
            self._show_progress(building)
        else:
            self.status.update("Preparing the sentence index of the corpus…")
        self.results.focus()
        self._search()

    # -- the worker -------------------------------------------------------

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _search(self) -> None:
        from textual.worker import get_current_worker

        worker = get_current_worker()
        last = 0.0

        def progress(update: Progress) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_EVERY or update.done == update.total:
                last = now
                self.post_message(IndexProgress(update))

        def cancelled() -> bool:
            return worker.is_cancelled

        start, end = self.span
        try:
            self.engine.ensure_index(progress, cancelled)
            result = self.engine.similar(self.article, start, end, top=self.top,
                                         cancelled=cancelled)
        except Cancelled:
            return
        except CompareError as err:
            self.post_message(CompareFailed(str(err)))
            return
        except Exception as err:  # a failing lookup must not take the reader down
            self.post_message(CompareFailed(f"the comparison failed: {err}"))
            return
        self.post_message(SimilarFound(result))

    def _show_progress(self, progress: Progress) -> None:
        self.status.update(Text(f"The sentence index is still being built ({progress.text}); "
                                "the matches appear when it is ready. escape closes."))

    def on_index_progress(self, message: IndexProgress) -> None:
        if self.result is None:
            self._show_progress(message.progress)

    def on_compare_failed(self, message: CompareFailed) -> None:
        self.status.update(Text(safe_line(message.reason)))

    def on_similar_found(self, message: SimilarFound) -> None:
        self.result = result = message.result
        if not result.matches:
            self.status.update(Text(safe_line(result.notice)))
            return
        count = len(result.matches)
        note = f"  ({safe_line(result.notice)})" if result.notice else ""
        self.status.update(Text(f"{count} similar passage{'s' if count != 1 else ''} in other "
                                f"articles, best first{note}"))
        self.results.set_options(
            Option(self._prompt(rank, match), id=f"match-{rank}")
            for rank, match in enumerate(result.matches, start=1))
        self.results.highlighted = 0

    def _styles(self) -> dict[str, Style]:
        return {name: self.get_component_rich_style(f"compare--{name}", partial=True)
                for name in ("deleted", "inserted", "fact", "moved", "title", "score", "changes")}

    def _prompt(self, rank: int, match: Match) -> Text:
        styles = self._styles()
        prompt = Text()
        prompt.append(f"{rank}. ")
        prompt.append(safe_line(match.title), style=styles["title"])
        prompt.append(f"   score {match.score:.2f}", style=styles["score"])
        prompt.append(f"   {safe_line(match.article_id)}", style="dim")
        prompt.append("\n")
        prompt.append_text(diff_text(match.diff, styles))
        for change in match.changes:
            prompt.append(f"\n  {safe_line(change)}", style=styles["changes"])
        prompt.append("\n")
        return prompt

    # -- actions ----------------------------------------------------------

    @property
    def selected(self) -> Match | None:
        if self.result is None or not self.result.matches:
            return None
        index = self.results.highlighted
        if index is None or not 0 <= index < len(self.result.matches):
            return None
        return self.result.matches[index]

    def action_move(self, step: int) -> None:
        if step > 0:
            self.results.action_cursor_down()
        else:
            self.results.action_cursor_up()

    def action_jump(self) -> None:
        match = self.selected
        if match is None:
            return
        self.dismiss(JumpTo(match.article_id, match.start, match.end))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    def action_flag(self) -> None:
        match = self.selected
        if match is None or self.result is None:
            return
        passage = self.result.passage
        self.dismiss(FlagDifference(
            article_id=passage.article_id, start=passage.start, end=passage.end,
            note=difference_note(match.title, match.text),
            other_article_id=match.article_id, other_start=match.start, other_end=match.end,
        ))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "compare")
        self.dismiss(None)
