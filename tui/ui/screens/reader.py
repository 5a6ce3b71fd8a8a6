"""The reader: one article, its entities and annotations, and the keys that tag passages."""

from __future__ import annotations

import contextlib
import re
from functools import partial

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from tui.core import text_units
from tui.core.corpus import Article
from tui.core.editing import EditError, Editor
from tui.core.entities import Entity
from tui.core.store.errors import StoreError
from tui.core.textsafe import safe_line
from tui.ui.messages import tell
from tui.ui.widgets import styles
from tui.ui.widgets.article_view import ArticleView, Mark
from tui.ui.widgets.side_panel import SidePanel, Target, snippet

MAX_MATCHES = 10_000


def _label_bindings() -> list[Binding]:
    return [
        Binding(str(n), f"label({n})", f"Label {n}", id=f"reader.label_{n}", show=False,
                tooltip=f"Apply label {n} to the selection")
        for n in range(1, 10)
    ]


class ReaderScreen(Screen):
    BINDINGS = [
        Binding("w", "motion('next_word')", "Next word", id="reader.next_word", show=False),
        Binding("b", "motion('prev_word')", "Previous word", id="reader.prev_word", show=False),
        Binding("s,right_parenthesis", "motion('next_sentence')", "Next sentence",
                id="reader.next_sentence", show=False),
        Binding("S,left_parenthesis", "motion('prev_sentence')", "Previous sentence",
                id="reader.prev_sentence", show=False),
        Binding("p,right_curly_bracket", "motion('next_paragraph')", "Next paragraph",
                id="reader.next_paragraph", show=False),
        Binding("P,left_curly_bracket", "motion('prev_paragraph')", "Previous paragraph",
                id="reader.prev_paragraph", show=False),
        Binding("e", "motion('next_entity')", "Next entity", id="reader.next_entity", show=False),
        Binding("E", "motion('prev_entity')", "Previous entity", id="reader.prev_entity", show=False),
        Binding("right_square_bracket", "motion('next_annotation')", "Next annotation",
                id="reader.next_annotation", show=False),
        Binding("left_square_bracket", "motion('prev_annotation')", "Previous annotation",
                id="reader.prev_annotation", show=False),
        Binding("quotation_mark", "motion('quotation')", "Quotation", id="reader.quotation",
                show=False, tooltip="Select the quotation around or after the cursor"),
        Binding("v", "extend", "Extend", id="reader.extend",
                tooltip="Toggle extend mode: motions grow the selection from its anchor"),
        Binding("shift+right", "grow", "Grow", id="reader.grow", show=False,
                tooltip="Grow the selection's end by a word"),
        Binding("shift+left", "shrink", "Shrink", id="reader.shrink", show=False,
                tooltip="Shrink the selection's end by a word"),
        *_label_bindings(),
        Binding("c", "note", "Note", id="reader.note",
                tooltip="Write or edit the note of the annotation under the cursor"),
        Binding("x", "delete", "Delete", id="reader.delete",
                tooltip="Delete your annotation under the cursor"),
        Binding("r", "relabel", "Relabel", id="reader.relabel", show=False,
                tooltip="Relabel your annotation under the cursor: press r, then the label number"),
        Binding("u", "undo", "Undo", id="reader.undo"),
        Binding("ctrl+r", "redo", "Redo", id="reader.redo", show=False),
        Binding("slash", "search", "Search", id="reader.search"),
        Binding("n", "next_match(1)", "Next match", id="reader.next_match", show=False),
        Binding("N", "next_match(-1)", "Previous match", id="reader.prev_match", show=False),
        Binding("tab", "panel", "Panel", id="reader.panel", priority=True,
                tooltip="Show or hide the side panel (annotations, entities)"),
        Binding("t", "entities", "Entities", id="reader.entities",
                tooltip="Show or hide entity highlighting"),
        Binding("a", "everyone", "Everyone", id="reader.everyone", show=False,
                tooltip="Show everyone's annotations, or only yours"),
        Binding("m", "done", "Done", id="reader.done", tooltip="Mark the article done / not done"),
        Binding("ctrl+s", "retry", "Retry saves", id="reader.retry", show=False,
                tooltip="Retry saving annotations that could not be saved"),
        Binding("q", "back", "Library", id="reader.back"),
        Binding("escape", "escape", "Back", id="reader.escape", show=False,
                tooltip="Leave extend mode, close search, or go back to the library"),
    ]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.editor: Editor | None = None
        self.entities: list[Entity] = []
        self.entity_marks: list[Mark] = []
        self.pipeline_text = "entities: loading…"
        self.show_entities = True
        self.hidden_types: frozenset[str] = frozenset()
        self.show_all = False
        self.extend_anchor: tuple[int, int] | None = None
        self.cursor_span: tuple[int, int] = (0, 0)
        self.matches: list[tuple[int, int]] = []
        self.match_index = -1
        self.query_text = ""
        self.pending: list[dict] = []  # annotations that could not be saved yet
        self.relabel_armed = False
        self.message = Text("")
        self._position_timer: Timer | None = None

    # -- layout ---------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="reader-title")
        with Horizontal(id="reader-body"):
            yield ArticleView(id="article")
            yield SidePanel(id="panel")
        yield Static(id="legend")
        yield Static(id="status")
        yield Input(placeholder="search (enter: find, escape: close)", id="search")
        yield Footer()

    @property
    def view(self) -> ArticleView:
        return self.query_one("#article", ArticleView)

    @property
    def panel(self) -> SidePanel:
        return self.query_one("#panel", SidePanel)

    def on_mount(self) -> None:
        app = self.app
        article = self.article
        title = Text()
        title.append(safe_line(article.title), style="bold")
        if article.source:
            title.append(f"  ·  {safe_line(article.source)}", style="dim")
        title.append(f"  ·  {article.words} words  ·  {safe_line(article.id)}", style="dim")
        if article.decode_note:
            title.append(f"\n⚠ {safe_line(article.decode_note)}", style="bold yellow")
        self.query_one("#reader-title", Static).update(title)
        self.query_one("#search", Input).display = False
        self.panel.display = False
        self.show_all = app.session.settings.show_all_annotators
        self.editor = Editor(app.store, article, app.session.annotator)
        try:
            self.editor.reload()
        except StoreError as err:
            self.say(str(err), error=True)
        view = self.view
        view.set_text(article.text)
        self._refresh_annotations()
        state = self._state()
        position = state.get("positions", {}).get(article.id, 0)
        self.cursor_span = self._initial_selection(position)
        view.select(*self.cursor_span, scroll=False)
        view.focus()
        self.call_after_refresh(view.scroll_to_selection, center=True)
        if self.article.text:
            app.request_entities(article.id, article.text, article.sha256)
        if app.pipeline is None:
            self.pipeline_text = "entities: no pipeline"
        self._update_legend()
        self._update_status()
        self._save_position()

    def _state(self) -> dict:
        try:
            return self.app.store.reading_state(self.app.session.annotator)
        except StoreError as err:
            self.say(str(err), error=True)
            return {}

    def _initial_selection(self, position: int) -> tuple[int, int]:
        text = self.article.text
        if not text:
            return (0, 0)
        position = max(0, min(position, len(text) - 1))
        span = text_units.word_at(text, position)
        if span is None:
            span = text_units.prev_word(text, position)
        return span or text_units.snap_to_graphemes(text, position, position + 1)

    # -- status, legend, messages ----------------------------------------

    def say(self, message: str, *, error: bool = False) -> None:
        self.message = Text(safe_line(message), style="bold red" if error else "green")
        if error:
            tell(self, message, severity="error", timeout=8)
        self._update_status()

    def _update_status(self) -> None:
        if not self.is_mounted:
            return
        start, end = self.view.selection
        status = Text()
        if self.extend_anchor is not None:
            status.append(" EXTEND ", style="bold reverse")
            status.append(" ")
        if self.relabel_armed:
            status.append(" RELABEL: press a label number ", style="bold reverse")
            status.append(" ")
        status.append(f"{start}–{end}", style="bold")
        status.append(f" ({end - start} chars)")
        here = self.editor.at(start, self.show_all) if self.editor else []
        if here:
            names = ", ".join(
                safe_line(r["label"]) + ("" if r["annotator"] == self.app.session.annotator
                                         else f" ({safe_line(r['annotator'])})")
                for r in here)
            status.append(f"  ·  {names}", style="bold")
        entity = next((e for e in self.entities if e.start <= start < e.end), None)
        if entity is not None and self.show_entities:
            status.append(f"  ·  {entity.label}", style=styles.entity_style(entity.label))
        if self.matches:
            more = "+" if len(self.matches) >= MAX_MATCHES else ""
            status.append(f"  ·  match {self.match_index + 1}/{len(self.matches)}{more}")
        if self.pending:
            status.append(f"  ·  {len(self.pending)} UNSAVED (ctrl+s retries)", style="bold red")
        if self.message.plain:
            status.append("  ·  ")
            status.append_text(self.message)
        self.query_one("#status", Static).update(status)

    def _update_legend(self) -> None:
        legend = Text()
        for label in self.app.session.labels:
            legend.append(f" {label.key} ", style=f"bold on {label.color}")
            legend.append(f" {safe_line(label.name)}  ")
        legend.append("│ ", style="dim")
        if not self.show_entities:
            legend.append("entities hidden (t)", style="dim")
        else:
            kinds = sorted({e.label for e in self.entities})
            for kind in kinds:
                letter = styles.entity_look(kind)[0]
                style = "dim strike" if kind in self.hidden_types else styles.entity_style(kind)
                legend.append(f"{letter}:{kind}", style=style)
                legend.append(" ")
            legend.append(safe_line(self.pipeline_text), style="dim")
        self.query_one("#legend", Static).update(legend)

    # -- data from the app ------------------------------------------------

    def entities_ready(self, message) -> None:
        if message.article_id != self.article.id or message.sha256 != self.article.sha256:
            return
        self.entities = sorted(message.entities, key=lambda e: (e.start, e.end))
        info = message.info
        self.pipeline_text = (f"{info.description}{' (cached)' if message.cached else ''}")
        self.entity_marks = [
            Mark(e.start, e.end, styles.entity_style(e.label), styles.entity_look(e.label)[0], e.label)
            for e in self.entities
        ]
        self.view.set_entities(self.entity_marks)
        self._update_legend()
        self._refresh_panel()
        self._update_status()

    def entities_failed(self, message) -> None:
        if message.article_id == self.article.id:
            self.pipeline_text = "entities unavailable"
            self._update_legend()

    def _refresh_annotations(self) -> None:
        labels = {label.name: label for label in self.app.session.labels}
        marks = []
        me = self.app.session.annotator
        for record in (self.editor.visible(self.show_all) if self.editor else []):
            label = labels.get(record["label"])
            style = styles.annotation_style(label.color if label else "grey50")
            if record["annotator"] != me:
                style = style + styles.combine(styles.Style(italic=True))
            marks.append(Mark(record["start"], record["end"], style,
                              label.letter if label else "?", record["id"]))
        for record in self.pending:
            marks.append(Mark(record["start"], record["end"], styles.UNSAVED, "!", record["id"]))
        self.view.set_annotations(marks)
        self._refresh_panel()

    def _refresh_panel(self) -> None:
        panel = self.panel
        if not panel.display or self.editor is None:
            return
        panel.show(
            self.editor.visible(self.show_all), self.editor.orphans, self.entities,
            {label.name: label for label in self.app.session.labels},
            self.app.session.annotator, self.show_all, self.hidden_types, self.pipeline_text,
        )

    # -- selection ----------------------------------------------------------

    def set_selection(self, span: tuple[int, int] | None) -> None:
        if span is None:
            self.app.bell()
            return
        self.cursor_span = span
        if self.extend_anchor is not None:
            anchor = self.extend_anchor
            span = (min(anchor[0], span[0]), max(anchor[1], span[1]))
        self.view.select(*span)
        self.message = Text("")
        self._update_status()
        self._schedule_position()

    @on(ArticleView.Clicked)
    def _clicked(self, event: ArticleView.Clicked) -> None:
        text = self.article.text
        if not text:
            return
        span = text_units.word_at(text, event.offset) or text_units.snap_to_graphemes(
            text, event.offset, min(len(text), event.offset + 1))
        if event.drag_from is not None:
            first = text_units.word_at(text, event.drag_from) or span
            span = (min(first[0], span[0]), max(first[1], span[1]))
        self.view.focus()
        self.cursor_span = span
        self.view.select(*span, scroll=False)
        self._update_status()
        self._schedule_position()

    def _motion_target(self, name: str) -> tuple[int, int] | None:
        text = self.article.text
        if not text:
            return None
        pos = self.cursor_span[0]
        if name in ("next_word", "prev_word", "next_sentence", "prev_sentence",
                    "next_paragraph", "prev_paragraph"):
            return getattr(text_units, name)(text, pos)
        if name == "quotation":
            return text_units.quotation_at(text, pos)
        if name in ("next_entity", "prev_entity"):
            marks = [m for m in self.entity_marks if m.key not in self.hidden_types]
            if name == "next_entity":
                found = next((m for m in marks if m.start > pos), None)
            else:
                found = next((m for m in reversed(marks) if m.start < pos), None)
            return (found.start, found.end) if found else None
        if name in ("next_annotation", "prev_annotation"):
            records = self.editor.visible(self.show_all) if self.editor else []
            if name == "next_annotation":
                found = next((r for r in records if (r["start"], r["end"]) > tuple(self.cursor_span)
                              and r["start"] >= pos), None)
            else:
                found = next((r for r in reversed(records)
                              if (r["start"], r["end"]) < tuple(self.cursor_span)), None)
            return (found["start"], found["end"]) if found else None
        return None

    def action_motion(self, name: str) -> None:
        self.set_selection(self._motion_target(name))

    def action_extend(self) -> None:
        if self.extend_anchor is None:
            self.extend_anchor = self.view.selection
            self.say("extend mode: motions grow the selection; v or escape to leave")
        else:
            self.extend_anchor = None
            self.say("extend mode off")

    def action_grow(self) -> None:
        if not self.article.text:
            return
        start, end = self.view.selection
        self.extend_anchor = None
        span = text_units.extend_end_by_word(self.article.text, start, end)
        self.view.select(*span)
        self._update_status()

    def action_shrink(self) -> None:
        if not self.article.text:
            return
        start, end = self.view.selection
        span = text_units.shrink_end_by_word(self.article.text, start, end)
        self.view.select(*span)
        self._update_status()

    # -- annotating -----------------------------------------------------------

    def action_label(self, number: int) -> None:
        label = self.app.session.label_by_key(str(number))
        if label is None:
            self.say(f"no label on key {number}", error=True)
            return
        if self.relabel_armed:
            self.relabel_armed = False
            self._relabel(label.name)
            return
        start, end = self.view.selection
        if end <= start:
            self.say("select some text first", error=True)
            return
        if label.note:
            self._ask_note(label.name, "", partial(self._add, start, end, label.name))
        else:
            self._add(start, end, label.name, "")

    def _add(self, start: int, end: int, label: str, note: str | None) -> None:
        assert self.editor is not None
        try:
            record, created = self.editor.add(start, end, label, note or "")
        except StoreError as err:
            self._keep_unsaved(start, end, label, note or "", err)
            return
        except EditError as err:
            self.say(str(err), error=True)
            return
        self.extend_anchor = None
        self._refresh_annotations()
        if created:
            self.say(f"saved {label}: “{snippet(record['quote'], 30)}”")
        else:
            self.say(f"already labelled {label}")

    def _keep_unsaved(self, start: int, end: int, label: str, note: str, err: Exception) -> None:
        from tui.core.record import new_annotation

        article = self.article
        record = new_annotation(article_id=article.id, text=article.text,
                                article_sha256=article.sha256, start=start, end=end,
                                label=label, annotator=self.app.session.annotator, note=note)
        self.pending.append(record)
        self._refresh_annotations()
        self.say(f"NOT SAVED ({err}); ctrl+s retries", error=True)

    def action_retry(self) -> None:
        if not self.pending or self.editor is None:
            self.say("nothing to retry")
            return
        waiting, self.pending = self.pending, []
        saved = 0
        for record in waiting:
            try:
                self.editor.add(record["start"], record["end"], record["label"], record["note"])
                saved += 1
            except StoreError as err:
                self.pending.append(record)
                last_error = err
        self._refresh_annotations()
        if self.pending:
            self.say(f"{saved} saved, {len(self.pending)} still not saved: {last_error}", error=True)
        else:
            self.say(f"saved {saved} annotation(s)")

    def _mine_here(self) -> dict | None:
        if self.editor is None:
            return None
        start, end = self.view.selection
        exact = [r for r in self.editor.at(start, True, mine_only=True)
                 if (r["start"], r["end"]) == (start, end)]
        if exact:
            return exact[0]
        here = self.editor.at(start, True, mine_only=True)
        return here[0] if here else None

    def _ask_note(self, label: str, current: str, then) -> None:
        from tui.ui.screens.note import NoteDialog

        start, end = self.view.selection
        quote = self.article.text[start:end]
        self.app.push_screen(NoteDialog(label, quote, current), then)

    def _panel_choice(self) -> str | None:
        """The annotation highlighted in the panel, when the panel has the focus."""
        panel = self.panel
        if panel.display and panel.has_focus:
            target = panel.target()
            if target is not None and target.kind == "annotation":
                return target.ann_id
        return None

    def action_note(self, ann_id: str | None = None) -> None:
        ann_id = ann_id or self._panel_choice()
        record = self.editor.find(ann_id) if (ann_id and self.editor) else self._mine_here()
        if record is None:
            self.say("no annotation of yours under the cursor", error=True)
            return

        def done(note: str | None) -> None:
            if note is None or note == record["note"]:
                return
            self._edit(record["id"], note=note)

        from tui.ui.screens.note import NoteDialog

        self.app.push_screen(NoteDialog(record["label"], record["quote"], record["note"]), done)

    def _edit(self, ann_id: str, **changes) -> None:
        assert self.editor is not None
        try:
            self.editor.update(ann_id, **changes)
        except (StoreError, EditError) as err:
            self.say(str(err), error=True)
            return
        self._refresh_annotations()
        self.say("saved " + ", ".join(changes))

    def action_delete(self, ann_id: str | None = None) -> None:
        ann_id = ann_id or self._panel_choice()
        record = self.editor.find(ann_id) if (ann_id and self.editor) else self._mine_here()
        if record is None:
            self.say("no annotation of yours under the cursor", error=True)
            return
        try:
            self.editor.delete(record["id"])
        except (StoreError, EditError) as err:
            self.say(str(err), error=True)
            return
        self._refresh_annotations()
        self.say(f"deleted {record['label']} (u to undo)")

    def action_relabel(self) -> None:
        if self._mine_here() is None:
            self.say("no annotation of yours under the cursor", error=True)
            return
        self.relabel_armed = True
        self._update_status()

    def _relabel(self, label: str) -> None:
        record = self._mine_here()
        if record is None or record["label"] == label:
            self._update_status()
            return
        self._edit(record["id"], label=label)

    def action_undo(self) -> None:
        self._history("undo")

    def action_redo(self) -> None:
        self._history("redo")

    def _history(self, which: str) -> None:
        assert self.editor is not None
        try:
            what = getattr(self.editor, which)()
        except (StoreError, EditError) as err:
            self.say(str(err), error=True)
            return
        if what is None:
            self.say(f"nothing to {which}")
            return
        self._refresh_annotations()
        self.say(f"{which}: {what}")

    # -- search ---------------------------------------------------------------

    def action_search(self) -> None:
        field = self.query_one("#search", Input)
        field.display = True
        field.value = self.query_text
        field.focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_text = event.value
        field = self.query_one("#search", Input)
        field.display = False
        self.view.focus()
        self._find(event.value)

    def _find(self, query: str) -> None:
        self.matches = []
        self.match_index = -1
        if query:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            for found in pattern.finditer(self.article.text):
                self.matches.append((found.start(), found.end()))
                if len(self.matches) >= MAX_MATCHES:
                    break
        if not self.matches:
            self.view.set_matches([], None)
            self.say(f"not found: {query}" if query else "search cleared", error=bool(query))
            return
        self.action_next_match(1)

    def action_next_match(self, step: int) -> None:
        if not self.matches:
            self.say("no search (press /)")
            return
        pos = self.cursor_span[0]
        if self.match_index < 0:
            index = next((i for i, m in enumerate(self.matches) if m[0] >= pos), 0)
        else:
            index = (self.match_index + step) % len(self.matches)
        self.match_index = index
        match = self.matches[index]
        self.view.set_matches(self.matches, match)
        self.set_selection(match)

    # -- toggles --------------------------------------------------------------

    def action_panel(self) -> None:
        panel = self.panel
        if panel.display and panel.has_focus:
            panel.display = False
            self.view.focus()
        elif panel.display:
            panel.focus()
        else:
            panel.display = True
            self._refresh_panel()
            panel.focus()
        self.call_after_refresh(self.view.scroll_to_selection)

    @on(SidePanel.Jump)
    def _jump(self, event: SidePanel.Jump) -> None:
        target: Target = event.target
        if target.kind == "annotation" and self.editor:
            record = self.editor.find(target.ann_id)
            if record:
                self.extend_anchor = None
                self.set_selection((record["start"], record["end"]))
        elif target.kind == "entity":
            spans = [(e.start, e.end) for e in self.entities
                     if e.label == target.label and e.text == target.text]
            if spans:
                pos = self.view.selection[0]
                after = [s for s in spans if s[0] > pos]
                self.extend_anchor = None
                self.set_selection(after[0] if after else spans[0])
        elif target.kind == "orphan":
            self.say("orphan: its quote is no longer in the text; see redline check")
            return
        self.view.focus()

    def action_entities(self) -> None:
        self.show_entities = not self.show_entities
        self.view.set_entity_display(self.show_entities, self.hidden_types)
        self._update_legend()
        self.say("entities shown" if self.show_entities else "entities hidden")

    def toggle_type(self, kind: str) -> None:
        self.hidden_types = self.hidden_types ^ {kind}
        self.view.set_entity_display(self.show_entities, self.hidden_types)
        self._update_legend()
        self._refresh_panel()

    def action_everyone(self) -> None:
        self.show_all = not self.show_all
        self._refresh_annotations()
        self.say("showing everyone's annotations" if self.show_all else "showing your annotations")

    def action_done(self) -> None:
        app = self.app
        done = self.article.id in set(self._state().get("done", []))
        try:
            app.store.set_done(app.session.annotator, self.article.id, not done)
        except StoreError as err:
            self.say(str(err), error=True)
            return
        self.say("marked done" if not done else "marked not done")

    def extra_commands(self) -> list[SystemCommand]:
        kinds = sorted({e.label for e in self.entities})
        return [
            SystemCommand(f"Toggle entity type {kind}",
                          f"Show or hide {kind} entities", partial(self.toggle_type, kind))
            for kind in kinds
        ]

    # -- leaving --------------------------------------------------------------

    def action_escape(self) -> None:
        field = self.query_one("#search", Input)
        if field.display:
            field.display = False
            self.view.focus()
        elif self.relabel_armed:
            self.relabel_armed = False
            self._update_status()
        elif self.extend_anchor is not None:
            self.extend_anchor = None
            self.say("extend mode off")
        elif self.matches:
            self.matches = []
            self.match_index = -1
            self.view.set_matches([], None)
            self._update_status()
        else:
            self.action_back()

    def action_back(self) -> None:
        self._save_position()
        if self.pending:
            self.say(f"{len(self.pending)} annotation(s) NOT SAVED: ctrl+s to retry first", error=True)
            return
        self.app.pop_screen()

    @on(Input.Changed, "#search")
    def _typing(self, event: Input.Changed) -> None:
        event.stop()

    def _schedule_position(self) -> None:
        if self._position_timer is not None:
            self._position_timer.stop()
        self._position_timer = self.set_timer(1.0, self._save_position)

    def _save_position(self) -> None:
        app = self.app
        # The reading position is a convenience; annotations report their own errors.
        with contextlib.suppress(StoreError):
            app.store.set_position(app.session.annotator, self.article.id, self.view.selection[0])

    def on_unmount(self) -> None:
        if self._position_timer is not None:
            self._position_timer.stop()
        # Recognising a long article can take minutes; nobody is waiting for it now.
        self.app.workers.cancel_group(self.app, "entities")
