"""The library: every article of the corpus in one table, filtered as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from tui.core.corpus import Article
from tui.core.store.errors import StoreError
from tui.core.textsafe import safe_line
from tui.ui.messages import ReportsWorkerErrors, tell
from tui.ui.widgets.article_table import DAMAGED, ArticleTable, Row


class CountsRead(Message):
    """What the store says of every article: counts, damage, this annotator's state."""

    def __init__(self, counts: dict[str, dict[str, int]], damaged: list, state: dict,
                 error: str) -> None:
        super().__init__()
        self.counts = counts
        self.damaged = damaged
        self.state = state
        self.error = error


class AgreementFound(Message):
    def __init__(self, figures: dict[str, str]) -> None:
        super().__init__()
        self.figures = figures


SORTS = ("order", "title", "source", "date", "words", "mine", "all", "status")


class LibraryScreen(ReportsWorkerErrors, Screen):
    BINDINGS = [
        Binding("enter", "open", "Open", id="library.open", show=True),
        Binding("slash", "filter", "Filter", id="library.filter"),
        Binding("j", "cursor_down", "Down", id="library.down", show=False),
        Binding("k", "cursor_up", "Up", id="library.up", show=False),
        Binding("o", "sort", "Sort", id="library.sort", tooltip="Sort by the next column"),
        Binding("O", "reverse", "Reverse", id="library.reverse", show=False,
                tooltip="Reverse the sort order"),
        Binding("R", "review", "Review", id="library.review",
                tooltip="Review where annotators disagree, into the gold set (the article "
                        "under the cursor, or every article two annotators worked on)"),
        Binding("escape", "clear_filter", "Clear filter", id="library.clear", show=False),
        Binding("q", "app.quit", "Quit", id="library.quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self.sort_key = "order"
        self.reverse = False
        self.counts: dict[str, dict[str, int]] = {}
        self.done: set[str] = set()
        self.positions: dict[str, int] = {}
        self.damaged: set[str] = set()  # articles whose store file is damaged
        self.agreement: dict[str, str] = {}  # article id -> F1 between its annotators
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="library-title")
        yield ArticleTable(id="articles")
        yield Static(id="progress")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#articles", ArticleTable)
        self.rebuild()  # titles first; counts from the store right after the first frame
        table.focus()

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self.refresh_counts)

    # -- data -----------------------------------------------------------

    def refresh_counts(self) -> None:
        """Counts, statuses and damage from the store, read in a worker: the titles are on
        screen first, and a store of 10,000 files never holds up a key."""
        self._read_counts()

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _read_counts(self) -> None:
        app = self.app
        try:
            store = app.store
            # A damaged article file must not hide the counts of every other article.
            counts = store.counts(skip_damaged=True)
            damaged = list(store.damaged)
            state = store.reading_state(app.session.annotator)
        except StoreError as err:
            self.post_message(CountsRead({}, [], {}, str(err)))
            return
        self.post_message(CountsRead(counts, damaged, state, ""))

    def on_counts_read(self, message: CountsRead) -> None:
        if message.error:
            tell(self, message.error, severity="error", timeout=30)
        damaged = message.damaged
        if damaged:
            more = f" (and {len(damaged) - 1} more)" if len(damaged) > 1 else ""
            tell(self, f"{damaged[0]}{more}", severity="error", timeout=30)
        self.counts = message.counts
        self.damaged = {err.article_id for err in damaged if err.article_id is not None}
        self.done = set(message.state.get("done", []))
        self.positions = dict(message.state.get("positions", {}))
        self.rebuild()
        if sum(1 for per in self.counts.values() if len(per) > 1):
            self._find_agreement(dict(self.counts))

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def _find_agreement(self, counts: dict[str, dict[str, int]]) -> None:
        from tui.core.agreement import article_agreement

        app = self.app
        try:
            found = article_agreement(app.store, exclude=(app.session.settings.gold,),
                                      counts=counts)
        except StoreError:
            return  # the counts' own error is already on screen
        self.post_message(AgreementFound({aid: a.f1.text(2) for aid, a in found.items()}))

    def on_agreement_found(self, message: AgreementFound) -> None:
        self.agreement = message.figures
        self.rebuild()

    def action_review(self) -> None:
        from tui.ui.screens.review import open_review

        article_id = self.current_article_id()
        if article_id is not None and article_id not in self.agreement:
            tell(self, "only one annotator has worked on this article: reviewing every article "
                       "two or more worked on", severity="information")
            article_id = None
        open_review(self.app, article_id)

    def _mine(self, article: Article) -> int:
        return self.counts.get(article.id, {}).get(self.app.session.annotator, 0)

    def _all(self, article: Article) -> int:
        return sum(self.counts.get(article.id, {}).values())

    def _status(self, article: Article) -> str:
        if article.id in self.damaged:
            return DAMAGED
        if article.id in self.done:
            return "done"
        if self._mine(article) or article.id in self.positions:
            return "in progress"
        return "new"

    def _haystack(self, article: Article) -> str:
        return " ".join((article.title, article.source, article.id, article.date,
                         self._status(article))).casefold()

    def visible_articles(self) -> list[Article]:
        articles = self.app.session.corpus.articles
        if self.filter_text:
            # Every word must be somewhere in the title, source, id, date or status.
            needles = self.filter_text.casefold().split()
            articles = [a for a in articles
                        if all(needle in self._haystack(a) for needle in needles)]
        if self.sort_key != "order":
            key = {
                "title": lambda a: a.title.casefold(),
                "source": lambda a: a.source.casefold(),
                "date": lambda a: a.date,
                "words": lambda a: a.words,
                "mine": self._mine,
                "all": self._all,
                "status": lambda a: ("new", "in progress", "done", DAMAGED).index(self._status(a)),
            }[self.sort_key]
            articles = sorted(articles, key=key, reverse=self.reverse)
        elif self.reverse:
            articles = list(reversed(articles))
        return list(articles)

    def rebuild(self) -> None:
        table = self.query_one("#articles", ArticleTable)
        rows = [
            Row(article, self._mine(article), self._all(article), self._status(article),
                self.agreement.get(article.id, ""))
            for article in self.visible_articles()
        ]
        table.empty_text = (f"no article matches {safe_line(self.filter_text)!r} "
                            "(escape clears the filter)" if self.filter_text else "no articles")
        table.set_rows(rows, keep=table.current_key())
        self._update_progress(len(rows))
        session = self.app.session
        title = Text()
        title.append("redline", style="bold")
        title.append(f"  {safe_line(session.corpus_name)}  ·  {len(session.corpus)} articles  ·  "
                     f"annotator {safe_line(session.annotator)}")
        self.query_one("#library-title", Static).update(title)

    def _update_progress(self, shown: int) -> None:
        corpus = self.app.session.corpus
        total = len(corpus)
        done = sum(1 for a in corpus.articles if a.id in self.done)
        mine = sum(c.get(self.app.session.annotator, 0) for c in self.counts.values())
        everyone = sum(sum(c.values()) for c in self.counts.values())
        text = Text()
        text.append(f"{done} of {total} done", style="bold")
        text.append(f"  ·  {mine} annotations by you, {everyone} by everyone")
        if self.filter_text:
            text.append(f"  ·  filter {safe_line(self.filter_text)!r}: {shown} shown")
        if self.sort_key != "order":
            text.append(f"  ·  sorted by {self.sort_key}{' (reversed)' if self.reverse else ''}")
        self.query_one("#progress", Static).update(text)

    def current_article_id(self) -> str | None:
        return self.query_one("#articles", ArticleTable).current_key()

    # -- actions --------------------------------------------------------

    def action_open(self) -> None:
        article_id = self.current_article_id()
        if article_id is not None:
            self.app.open_article(article_id)

    @on(ArticleTable.Selected, "#articles")
    def _row_selected(self, event: ArticleTable.Selected) -> None:
        event.stop()
        self.app.open_article(event.key)

    def action_cursor_down(self) -> None:
        self.query_one("#articles", ArticleTable).action_move(1)

    def action_cursor_up(self) -> None:
        self.query_one("#articles", ArticleTable).action_move(-1)

    def _filter_field(self) -> Input | None:
        found = self.query("#filter")
        return found.first(Input) if found else None

    def action_filter(self) -> None:
        # Mounted on first use: the Input's styles cost start-up time.
        field = self._filter_field()
        if field is None:
            field = Input(placeholder="filter: words in the title, source, id, date or status",
                          id="filter")
            self.mount(field, before=self.query_one("#articles"))
        field.display = True
        field.focus()

    def action_clear_filter(self) -> None:
        field = self._filter_field()
        if field is None:
            return
        field.value = ""
        field.display = False
        self.filter_text = ""
        self.rebuild()
        self.query_one("#articles", ArticleTable).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        # With thousands of rows, rebuild once typing pauses, not per key.
        if self._debounce is not None:
            self._debounce.stop()
        if len(self.app.session.corpus) > 2000:
            self._debounce = self.set_timer(0.15, self.rebuild)
        else:
            self.rebuild()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.rebuild()
        self.query_one("#articles", ArticleTable).focus()

    def action_sort(self) -> None:
        self.sort_key = SORTS[(SORTS.index(self.sort_key) + 1) % len(SORTS)]
        self.rebuild()

    def action_reverse(self) -> None:
        self.reverse = not self.reverse
        self.rebuild()
