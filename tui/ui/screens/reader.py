"""The reader: bindings, and the wiring between the ReaderModel and the widgets.

What a key does is decided by ``tui.core.reader_model.ReaderModel``; this
screen maps keys to it, opens dialogs, and pushes the model's state down to
the widgets when the model says what changed.
"""

from __future__ import annotations

import gc
from collections import Counter
from functools import partial

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from tui.core import text_units
from tui.core.corpus import Article
from tui.core.reader_model import (
    ANNOTATIONS,
    ENTITIES,
    MESSAGE,
    MODE,
    SEARCH,
    SELECTION,
    SUGGESTIONS,
    NoteRequest,
    ReaderModel,
)
from tui.core.record import Annotation, kind_of
from tui.core.store.errors import StoreError
from tui.core.suggest.model import ENTITY_KIND, KINDS
from tui.core.wording import plural
from tui.ui.messages import ReportsWorkerErrors, palette_text, tell
from tui.ui.screens.note import NoteDialog
from tui.ui.widgets.article_view import (
    ANNOTATION,
    ENTITY,
    SUGGESTION,
    UNSAVED,
    VARIANT,
    ArticleView,
    Mark,
)
from tui.ui.widgets.legend import Legend, LegendInfo
from tui.ui.widgets.looks import entity_class, entity_letter
from tui.ui.widgets.reader_header import HeaderInfo, ReaderHeader
from tui.ui.widgets.search_bar import SearchBar
from tui.ui.widgets.side_panel import PanelData, SidePanel, Target
from tui.ui.widgets.status_bar import StatusBar, StatusInfo

PASSAGE_WORDS = 6  # a selection this long is compared as it is


class ReviewReady(Message):
    """The article's suggestions, and what this annotator has left to review of them."""

    def __init__(self, sha256: str, review) -> None:
        super().__init__()
        self.sha256 = sha256
        self.review = review


class PartnerFound(Message):
    """The article most like this one (None, with a reason, when there is none)."""

    def __init__(self, article_id: str | None, reason: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.reason = reason


def _motion(keys: str, name: str, description: str, **extra) -> Binding:
    return Binding(keys, f"motion('{name}')", description, id=f"reader.{name}", show=False, **extra)


def _label_bindings() -> list[Binding]:
    return [
        Binding(str(n), f"label('{n}')", f"Label {n}", id=f"reader.label_{n}", show=False,
                tooltip=f"Apply label {n} to the selection")
        for n in range(1, 10)
    ]


class ReaderScreen(ReportsWorkerErrors, Screen):
    BINDINGS = [
        _motion("w", "next_word", "Next word"),
        _motion("b", "prev_word", "Previous word"),
        _motion("s,right_parenthesis", "next_sentence", "Next sentence"),
        _motion("S,left_parenthesis", "prev_sentence", "Previous sentence"),
        _motion("p,right_curly_bracket", "next_paragraph", "Next paragraph"),
        _motion("P,left_curly_bracket", "prev_paragraph", "Previous paragraph"),
        _motion("e", "next_entity", "Next entity"),
        _motion("E", "prev_entity", "Previous entity"),
        _motion("right_square_bracket", "next_annotation", "Next annotation"),
        _motion("left_square_bracket", "prev_annotation", "Previous annotation"),
        _motion("quotation_mark", "quotation", "Quotation",
                tooltip="Select the quotation around or after the cursor; again: the next one"),
        _motion("g", "next_suggestion", "Next suggestion"),
        _motion("G", "prev_suggestion", "Previous suggestion"),
        Binding("y", "accept", "Accept", id="reader.accept", show=False,
                tooltip="Accept the suggestion under the cursor: it becomes your annotation"),
        Binding("d", "reject", "Reject", id="reader.reject", show=False,
                tooltip="Reject the suggestion under the cursor: never suggested to you again"),
        Binding("T", "entity_type", "Entity type", id="reader.entity_type", show=False,
                tooltip="Mark the selection as an entity of a type you pick (a missed or "
                        "mislabelled one)"),
        Binding("z", "suggestions", "Suggestions", id="reader.suggestions", show=False,
                tooltip="Show or hide suggestions"),
        Binding("v", "extend", "Extend", id="reader.extend", show=False,
                tooltip="Toggle extend mode: motions grow the selection from its anchor"),
        Binding("shift+right", "grow", "Grow", id="reader.grow", show=False,
                tooltip="Grow the selection's end by a word"),
        Binding("shift+left", "shrink", "Shrink", id="reader.shrink", show=False,
                tooltip="Shrink the selection's end by a word"),
        *_label_bindings(),
        Binding("c", "note", "Note", id="reader.note",
                tooltip="Write or edit the note of the annotation under the cursor"),
        Binding("x", "delete", "Delete", id="reader.delete", show=False,
                tooltip="Delete your annotation under the cursor"),
        Binding("r", "relabel", "Relabel", id="reader.relabel", show=False,
                tooltip="Relabel your annotation under the cursor: press r, then the label number"),
        Binding("comma", "edge('start', -1)", "Start ←", id="reader.start_left", show=False,
                tooltip="Move the start of your annotation under the cursor a word left"),
        Binding("full_stop", "edge('start', 1)", "Start →", id="reader.start_right", show=False,
                tooltip="Move the start of your annotation under the cursor a word right"),
        Binding("less_than_sign", "edge('end', -1)", "End ←", id="reader.end_left", show=False,
                tooltip="Move the end of your annotation under the cursor a word left"),
        Binding("greater_than_sign", "edge('end', 1)", "End →", id="reader.end_right", show=False,
                tooltip="Move the end of your annotation under the cursor a word right"),
        Binding("f", "filter_label", "Filter", id="reader.filter", show=False,
                tooltip="Show one label at a time in the panel and for ] and [ (again: the next)"),
        Binding("u", "undo", "Undo", id="reader.undo"),
        Binding("ctrl+r", "redo", "Redo", id="reader.redo", show=False),
        Binding("slash", "search", "Search", id="reader.search"),
        Binding("n", "next_match(1)", "Next match", id="reader.next_match", show=False),
        Binding("N", "next_match(-1)", "Previous match", id="reader.prev_match", show=False),
        Binding("equals_sign", "compare", "Compare", id="reader.compare",
                tooltip="The passages of other articles most like this one, as word diffs"),
        Binding("vertical_line", "side_by_side", "Side by side", id="reader.side_by_side",
                show=False, tooltip="Read this article beside its closest other version, "
                                    "sentence against sentence"),
        Binding("tab", "panel", "Panel", id="reader.panel", priority=True,
                tooltip="Show or hide the side panel (annotations, entities)"),
        Binding("t", "entities", "Entities", id="reader.entities", show=False,
                tooltip="Show or hide entity highlighting"),
        Binding("a", "everyone", "Everyone", id="reader.everyone", show=False,
                tooltip="Show everyone's annotations, or only yours"),
        Binding("m", "done", "Done", id="reader.done", show=False,
                tooltip="Mark the article done / not done"),
        Binding("ctrl+s", "retry", "Retry saves", id="reader.retry", show=False,
                tooltip="Retry saving annotations that could not be saved"),
        Binding("J", "article(1)", "Next article", id="reader.next_article", show=False),
        Binding("K", "article(-1)", "Previous article", id="reader.prev_article", show=False),
        Binding("D", "next_undone", "Next not done", id="reader.next_undone", show=False,
                tooltip="Open the next article you have not marked done"),
        Binding("q", "back", "Library", id="reader.back"),
        Binding("escape", "escape", "Back", id="reader.escape", show=False,
                tooltip="Leave extend mode, clear the search, or go back to the library"),
    ]

    def __init__(self, article: Article, select: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.article = article
        self.select_on_open = select  # a span to show instead of the saved position
        self.model: ReaderModel | None = None  # made on mount: it needs the app's store
        self.pipeline_text = "entities: loading…"
        self.done = False
        self.place = ""  # "3 of 5": where the article is in the corpus
        self.variants: list = []  # rare spellings of names in this article
        self._suggestion_marks: dict[tuple[str, int, int], Mark] = {}  # a suggestion's mark

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ReaderHeader(id="reader-title")
        with Horizontal(id="reader-body"):
            yield ArticleView(id="article")
            yield SidePanel(id="panel")
        yield Legend(id="legend")
        yield StatusBar(id="status")
        yield SearchBar(id="search")
        yield Footer(compact=True)

    @property
    def view(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def panel(self) -> SidePanel:
        return self.query_one("#panel", SidePanel)

    def on_mount(self) -> None:
        app = self.app
        session = app.session
        article = self.article
        self.panel.display = False
        state = self._reading_state()
        self.done = article.id in set(state.get("done", []))
        ids = list(session.corpus.by_id)
        self.place = f"{ids.index(article.id) + 1} of {len(ids)}" if article.id in ids else ""
        model = ReaderModel(article, app.store, session.annotator, session.labels,
                            show_all=session.settings.show_all_annotators)
        self.model = model
        model.on_change = self._model_changed
        view = self.view
        view.set_measure(session.settings.reader_width)
        view.set_text(article.text)
        model.load(state.get("positions", {}).get(article.id, 0))
        if self.select_on_open is not None:
            model.go(self.select_on_open)
        self._variant_marks()
        view.focus()
        self.call_after_refresh(view.scroll_to_selection, center=True)
        if not article.text:
            self.pipeline_text = "entities: none (empty article)"
        else:
            app.request_entities(article.id, article.text, article.sha256)
            if app.pipeline is None:
                self.pipeline_text = "entities: no pipeline"
        self._sync({SELECTION, ANNOTATIONS, ENTITIES, SEARCH, MODE, MESSAGE})
        _keep_out_of_collections()

    def _reading_state(self) -> dict:
        try:
            return self.app.store.reading_state(self.app.session.annotator)
        except StoreError as err:
            tell(self, str(err), severity="error", timeout=8)
            return {}

    # -- the model's state, pushed down to the widgets ----------------------------------------

    def _model_changed(self, parts: set[str]) -> None:
        if self.is_mounted:
            self._sync(parts)

    def _sync(self, parts: set[str]) -> None:
        model = self.model
        assert model is not None
        view = self.view
        if SELECTION in parts:
            view.select(*model.selection)
            self.app.positions.put(self.article.id, model.position)
            self._sync_header()
            if ANNOTATIONS not in parts and not self.panel.has_focus_within:
                self._show_note()
        if ANNOTATIONS in parts:
            view.set_annotations(self._annotation_marks())
        if ENTITIES in parts:
            view.set_entities([Mark(e.start, e.end, ENTITY, e.label) for e in model.entities])
            view.set_entity_display(model.show_entities, model.hidden_types)
            self._sync_legend()
        if SUGGESTIONS in parts:
            self._sync_extras()
        if parts & {ANNOTATIONS, ENTITIES, SUGGESTIONS}:
            self._refresh_panel()  # once, whatever changed: it lists all three
        if SEARCH in parts:
            view.set_matches(model.search.matches)
        if SEARCH in parts or SELECTION in parts:
            current = model.current_match()
            view.set_current_match(model.search.matches[current] if current is not None else None)
        if MESSAGE in parts and model.message is not None and model.message.error:
            tell(self, model.message.text, severity="error", timeout=8)
        self._sync_status()

    def _sync_status(self) -> None:
        model = self.model
        assert model is not None
        me = self.app.session.annotator
        entity = model.entity_under_cursor()
        current = model.current_match()
        self.query_one("#status", StatusBar).info = StatusInfo(
            selection=model.selection,
            extend=model.extend_anchor is not None,
            relabel=model.relabel_armed,
            here=tuple(r["label"] + ("" if r["annotator"] == me else f" ({r['annotator']})")
                       for r in model.under_cursor()),
            entity=entity.label if entity else "",
            entity_class=entity_class(entity.label) if entity else "",
            match=(current + 1, len(model.search.matches), model.search.capped)
            if current is not None else None,
            unsaved=len(model.pending),
            message=model.message,
            variant=next((f"≠ usually “{m.majority}”" for m in self.variants
                          if m.start <= model.position < m.end), ""),
            suggestion=self._suggestion_text(),
        )

    def _suggestion_text(self) -> str:
        suggestion = self.model.suggestion_here() if self.model else None
        if suggestion is None:
            return ""
        text = f"suggested {suggestion.label}: {suggestion.reason}"
        if suggestion.note:
            text += f"; {suggestion.note}"
        return text + " (y accept, d reject)"

    def _sync_legend(self) -> None:
        model = self.model
        assert model is not None
        self.query_one("#legend", Legend).info = LegendInfo(
            labels=model.labels,
            kinds=tuple(sorted({e.label for e in model.entities})),
            hidden=model.hidden_types,
            show_entities=model.show_entities,
            pipeline=self.pipeline_text,
        )

    def _sync_header(self) -> None:
        model = self.model
        assert model is not None
        article = self.article
        size = len(article.text)
        notes = tuple(note for note in (str(article.meta.get("note", "")), article.decode_note) if note)
        self.query_one("#reader-title", ReaderHeader).info = HeaderInfo(
            title=article.title, source=article.source, date=article.date, words=article.words,
            article_id=article.id, percent=round(100 * model.position / size) if size else 100,
            done=self.done, place=self.place, notes=notes,
        )

    def _annotation_marks(self) -> list[Mark]:
        model = self.model
        assert model is not None
        me = self.app.session.annotator
        marks = []
        for record in model.visible():
            if kind_of(record) == ENTITY_KIND:
                # An entity correction looks like the entity it is, with its letter in the gutter.
                marks.append(Mark(record["start"], record["end"], ENTITY, record["label"],
                                  entity_letter(record["label"]), record["id"],
                                  others=record["annotator"] != me))
                continue
            label = model.label_named(record["label"])
            marks.append(Mark(record["start"], record["end"], ANNOTATION,
                              label.color if label else "grey50", label.letter if label else "?",
                              record["id"], others=record["annotator"] != me))
        for record in model.pending:
            marks.append(Mark(record["start"], record["end"], UNSAVED, "", "!", record["id"]))
        return marks

    def _refresh_panel(self) -> None:
        panel = self.panel
        model = self.model
        if not panel.display or model is None:
            return
        visible = model.visible()
        counts = Counter(r["label"] for r in visible)
        panel.show(PanelData(
            annotations=tuple(model.filtered()), total=len(visible),
            counts=tuple((label, counts.get(label.name, 0)) for label in model.labels),
            label_filter=model.label_filter, orphans=tuple(model.editor.orphans),
            entities=tuple(model.entities), hidden_types=model.hidden_types,
            pipeline=self.pipeline_text, me=self.app.session.annotator, show_all=model.show_all,
            variants=tuple((m.text, m.majority, m.variant.describe(), m.start, m.end)
                           for m in self.variants),
            suggestions=tuple(s for s in model.review.pending if s.kind != ENTITY_KIND)
            if model.review is not None and model.show_suggestions else (),
            suggestion_counts=model.review.counts() if model.review is not None else {},
        ))
        self._show_note()

    def _show_note(self, record: Annotation | None = None) -> None:
        panel = self.panel
        if panel.display and self.model is not None:
            here = self.model.under_cursor()
            panel.show_note(record or (here[0] if here else None))

    # -- data from the app -----------------------------------------------------------------------

    def entities_ready(self, message) -> None:
        if message.article_id != self.article.id or message.sha256 != self.article.sha256:
            return
        info = message.info
        self.pipeline_text = f"{info.description}{' (cached)' if message.cached else ''}"
        assert self.model is not None
        self.model.set_entities(message.entities)
        self._build_review(list(message.entities), info)

    @work(thread=True, exclusive=True, group="suggestions", exit_on_error=False)
    def _build_review(self, entities: list, info) -> None:
        from tui.core.store.errors import StoreError as ReviewError
        from tui.core.suggest.review import Review

        model = self.model
        try:
            review = Review.build(self.app.store, self.article, self.app.session.annotator,
                                  entities, info, annotations=list(model.editor.records))
        except ReviewError as err:
            self.app.call_from_thread(model.say, f"suggestions unavailable: {err}", error=True)
            return
        except Exception as err:  # noqa: BLE001 - suggestions failing must not take the reader down
            self.app.call_from_thread(model.say, f"suggestions failed on this article: {err!r}",
                                      error=True)
            return
        self.post_message(ReviewReady(self.article.sha256, review))

    def on_review_ready(self, message: ReviewReady) -> None:
        if message.review is not None and message.sha256 == self.article.sha256:
            self.model.set_review(message.review)
            _keep_out_of_collections()

    def entities_failed(self, message) -> None:
        if message.article_id == self.article.id:
            self.pipeline_text = "entities unavailable"
            self._sync_legend()

    def variants_ready(self) -> None:
        self._variant_marks()
        self._refresh_panel()

    def _variant_marks(self) -> None:
        report = self.app.variants
        self.variants = report.marks_for(self.article.id, self.article.text) if report else []
        self._sync_extras()
        self._sync_status()

    def _sync_extras(self) -> None:
        """Variant marks and suggestions: drawn apart from annotations and entities."""
        model = self.model
        marks = [Mark(m.start, m.end, VARIANT, m.majority, "≠") for m in self.variants]
        if model is not None and model.review is not None and model.show_suggestions:
            # Entity suggestions are the entities on show; quotations and claims get a mark.
            made = self._suggestion_marks
            for s in model.review.pending:
                if s.kind != ENTITY_KIND:
                    key = (s.id, s.start, s.end)
                    mark = made.get(key)
                    if mark is None:  # made once: a long article has thousands, redrawn per label
                        mark = made[key] = Mark(s.start, s.end, SUGGESTION, s.kind, s.kind[0], s.id)
                    marks.append(mark)
        self.view.set_extras(marks)

    # -- keys -------------------------------------------------------------------------------------

    def action_motion(self, name: str) -> None:
        assert self.model is not None
        if not self.model.move(name):
            self.app.bell()

    @on(ArticleView.Clicked)
    def _clicked(self, event: ArticleView.Clicked) -> None:
        assert self.model is not None
        self.view.focus()
        self.model.click(event.offset, event.drag_from)

    def action_extend(self) -> None:
        self.model.toggle_extend()

    def action_grow(self) -> None:
        self.model.grow()

    def action_shrink(self) -> None:
        self.model.shrink()

    def action_label(self, key: str) -> None:
        self._ask_note(self.model.press_label(key))

    def _ask_note(self, request: NoteRequest | None) -> None:
        if request is None:
            return
        model = self.model
        self.app.push_screen(NoteDialog(request, partial(self._save_draft, request)),
                             partial(model.set_note, request))

    def _save_draft(self, request: NoteRequest, note: str) -> None:
        self.model.set_note(request, note)

    def _panel_choice(self) -> str | None:
        """The annotation highlighted in the panel, when the panel has the focus."""
        panel = self.panel
        if panel.display and panel.has_focus_within:
            target = panel.target()
            if target is not None and target.kind == "annotation":
                return target.ann_id
        return None

    def action_note(self) -> None:
        self._ask_note(self.model.note_request(self._panel_choice()))

    def action_delete(self) -> None:
        self.model.delete(self._panel_choice())

    def action_relabel(self) -> None:
        self.model.arm_relabel()

    def action_undo(self) -> None:
        self.model.undo()

    def action_redo(self) -> None:
        self.model.redo()

    def action_retry(self) -> None:
        self.model.retry()

    def action_search(self) -> None:
        self.query_one("#search", SearchBar).open(self.model.search.query)

    @on(SearchBar.Search)
    def _search(self, event: SearchBar.Search) -> None:
        self.view.focus()
        self.model.find(event.query)

    @on(SearchBar.Closed)
    def _search_closed(self, event: SearchBar.Closed) -> None:
        self.view.focus()

    def action_next_match(self, step: int) -> None:
        self.model.next_match(step)

    def action_panel(self) -> None:
        """Open the panel with the focus in it, or close it and go back to the text."""
        panel = self.panel
        if panel.display:
            panel.display = False
            self.view.focus()
        else:
            panel.display = True
            self._refresh_panel()
            panel.focus()
        self.call_after_refresh(self.view.scroll_to_selection)

    @on(SidePanel.Jump)
    def _jump(self, event: SidePanel.Jump) -> None:
        # The focus stays in the panel: the arrows keep walking its rows.
        model = self.model
        target: Target = event.target
        if target.kind == "annotation":
            record = model.editor.find(target.ann_id)
            if record:
                model.extend_anchor = None
                model.go((record["start"], record["end"]))
        elif target.kind == "entity":
            spans = [(e.start, e.end) for e in model.entities
                     if e.label == target.label and e.text == target.text]
            if spans:
                after = [s for s in spans if s[0] > model.position]
                model.extend_anchor = None
                model.go(after[0] if after else spans[0])
        elif target.kind in ("variant", "suggestion"):
            model.extend_anchor = None
            model.go((target.start, target.end))
        elif target.kind == "orphan":
            model.say("orphan: its quote is no longer in the text; see redline check")

    @on(SidePanel.Highlighted)
    def _row_highlighted(self, event: SidePanel.Highlighted) -> None:
        target = event.target
        if target is not None and target.kind == "annotation":
            self._show_note(self.model.editor.find(target.ann_id))

    def action_filter_label(self) -> None:
        model = self.model
        names = [None, *(label.name for label in model.labels)]
        model.filter_label(names[(names.index(model.label_filter) + 1) % len(names)]
                           if model.label_filter in names else None)

    def action_edge(self, edge: str, step: int) -> None:
        self.model.adjust_edge(edge, step)

    def action_article(self, step: int) -> None:
        self._open_sibling(step, lambda article: True)

    def action_next_undone(self) -> None:
        done = set(self._reading_state().get("done", []))
        self._open_sibling(1, lambda article: article.id not in done,
                           none_left="every other article is done")

    def _open_sibling(self, step: int, wanted, none_left: str = "no other article") -> None:
        articles = self.app.session.corpus.articles
        ids = [a.id for a in articles]
        here = ids.index(self.article.id) if self.article.id in ids else -1
        for offset in range(1, len(articles)):
            article = articles[(here + step * offset) % len(articles)]
            if article.id != self.article.id and wanted(article):
                self._leave_for(article.id)
                return
        self.model.say(none_left)

    def _passage(self) -> tuple[int, int] | None:
        """The selection when it is a passage, else the sentence around the cursor.

        A word or a search hit is where the cursor is, not a passage: a few words
        match everything and nothing, so their sentence is compared instead.
        """
        model = self.model
        start, end = model.selection
        if len(model.text[start:end].split()) >= PASSAGE_WORDS:
            return start, end
        return text_units.sentence_at(model.text, start) or ((start, end) if end > start else None)

    def action_compare(self) -> None:
        from tui.ui.screens.compare import CompareScreen

        span = self._passage()
        if span is None:
            self.model.say("nothing to compare here: move to a sentence first", error=True)
            return
        self.app.warm_compare()
        self.app.push_screen(CompareScreen(self.article, span, self.app.compare_engine),
                             self._compared)

    def _compared(self, outcome) -> None:
        from tui.core.compare import FlagDifference, JumpTo

        if isinstance(outcome, JumpTo):
            if outcome.article_id == self.article.id:
                self.model.go((outcome.start, outcome.end))
            else:
                self._leave_for(outcome.article_id, (outcome.start, outcome.end))
        elif isinstance(outcome, FlagDifference):
            self._ask_note(self.model.flag(outcome.start, outcome.end, outcome.label, outcome.note))

    def action_side_by_side(self) -> None:
        self.app.warm_compare()
        self.model.say("looking for the closest other version of this article…")
        self._find_partner()

    @work(thread=True, exclusive=True, group="partner", exit_on_error=False)
    def _find_partner(self) -> None:
        from collections import Counter as Votes

        from tui.core.compare import Cancelled, CompareError

        worker = get_current_worker()
        try:
            found = self.app.compare_engine.similar_sentences(
                self.article, top=1, cancelled=lambda: worker.is_cancelled)
        except (CompareError, Cancelled) as err:
            self.post_message(PartnerFound(None, str(err)))
            return
        votes = Votes(result.matches[0].article_id for _, result in found
                      if result is not None and result.matches)
        if not votes:
            self.post_message(PartnerFound(None, "no other article shares a sentence with this one"))
            return
        self.post_message(PartnerFound(votes.most_common(1)[0][0], ""))

    def on_partner_found(self, message: PartnerFound) -> None:
        from tui.ui.screens.side_by_side import SideBySideScreen

        other = self.app.session.corpus.get(message.article_id) if message.article_id else None
        if other is None:
            self.model.say(message.reason or "no other version found", error=True)
            return
        self.model.say(f"side by side with “{other.title}”")
        self.app.push_screen(SideBySideScreen(self.article, other), self._compared)

    def side_by_side_with(self, article_id: str) -> None:
        from tui.ui.screens.side_by_side import SideBySideScreen

        other = self.app.session.corpus.get(article_id)
        if other is not None:
            self.app.push_screen(SideBySideScreen(self.article, other), self._compared)

    def _leave_for(self, article_id: str, select: tuple[int, int] | None = None) -> None:
        self.save_before_exit()
        if self.model.pending:
            self.model.say(f"{plural(len(self.model.pending), 'annotation')} NOT SAVED: "
                           "ctrl+s to retry first", error=True)
            return
        self.app.switch_article(article_id, select)

    def action_accept(self) -> None:
        self.model.accept_suggestion()

    def action_reject(self) -> None:
        self.model.reject_suggestion()

    def action_suggestions(self) -> None:
        self.model.toggle_suggestions()

    def action_entity_type(self) -> None:
        from tui.ui.screens.entity_type import EntityTypeDialog

        model = self.model
        start, end = model.selection
        if end <= start:
            model.say("select the entity's words first", error=True)
            return
        here = model.suggestion_here()
        current = here.label if here is not None and here.kind == ENTITY_KIND else ""
        self.app.push_screen(EntityTypeDialog(model.text[start:end], current),
                             lambda kind: kind and model.add_entity(kind))

    def accept_all(self, kind: str) -> None:
        self.model.accept_all(kind)

    def action_entities(self) -> None:
        self.model.toggle_entities()

    def toggle_type(self, kind: str) -> None:
        self.model.toggle_type(kind)

    def action_everyone(self) -> None:
        self.model.toggle_everyone()

    def action_done(self) -> None:
        app = self.app
        try:
            app.store.set_done(app.session.annotator, self.article.id, not self.done)
        except StoreError as err:
            self.model.say(str(err), error=True)
            return
        self.done = not self.done
        self.model.say("marked done" if self.done else "marked not done")
        self._sync_header()

    def extra_commands(self) -> list[SystemCommand]:
        kinds = sorted({e.label for e in self.model.entities}) if self.model else []
        commands = [
            SystemCommand(palette_text(f"Toggle entity type {kind}"),
                          palette_text(f"Show or hide {kind} entities"), partial(self.toggle_type, kind))
            for kind in kinds
        ]
        commands += [
            SystemCommand(f"Accept all remaining {kind} suggestions",
                          f"Every {kind} suggestion left in this article becomes your annotation",
                          partial(self.accept_all, kind))
            for kind in KINDS
        ]
        commands += [
            SystemCommand(palette_text(f"Side by side with: {other.title}"),
                          palette_text(f"Read this article beside {other.id}"),
                          partial(self.side_by_side_with, other.id))
            for other in self.app.session.corpus.articles[:200] if other.id != self.article.id
        ]
        return commands

    # -- leaving ------------------------------------------------------------------------------------

    def action_escape(self) -> None:
        if not self.model.escape():
            self.action_back()

    def action_back(self) -> None:
        self.save_before_exit()
        if self.model.pending:
            self.model.say(f"{plural(len(self.model.pending), 'annotation')} NOT SAVED: ctrl+s to retry first",
                           error=True)
            return
        self.app.pop_screen()

    def save_before_exit(self) -> None:
        """Leaving the article (quit, hang-up, going back): the position goes to disk now."""
        self.app.positions.flush()

    def on_screen_suspend(self) -> None:
        self.app.positions.flush()

    def on_unmount(self) -> None:
        gc.unfreeze()  # the article's objects can be collected again once it is closed
        # Recognising a long article can take minutes; nobody is waiting for it now.
        self.app.workers.cancel_group(self.app, "entities")


def _keep_out_of_collections() -> None:
    """Move what exists now (the article's text, lines, marks, suggestions) out of the
    cycle collector's reach.

    A long article is hundreds of thousands of long-lived objects. Every few
    keys the collector's full pass walked all of them, on the thread that
    draws: a label now and then took 100-170 ms instead of 30 on a
    100,000-word article. Frozen objects are still freed by reference counting;
    ``on_unmount`` unfreezes them so cycles among them are collected after the
    article is closed.
    """
    gc.freeze()

