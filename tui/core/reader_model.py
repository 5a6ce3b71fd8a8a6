"""What the reader does, without a terminal: selection, modes, motions, search, annotating.

The reader screen maps keys to these methods and widgets draw the state;
everything a key changes lives here, so it is tested without Pilot. After a
change the model calls ``on_change`` with the parts that changed, and the
screen pushes the new state down to its widgets.

The selection is a range of code points. Motions move the cursor (the last
motion's target); in extend mode the selection is the union of the anchor
(the selection when extend mode began) and the cursor.

An annotation is saved the moment its label is applied; a note the label
asks for is an edit of the saved annotation, joined to it in the undo
history. A save that fails keeps the annotation in memory as unsaved, on
screen, until ``retry`` saves it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from tui.core import text_units
from tui.core.config import Label
from tui.core.corpus import Article
from tui.core.editing import EditError, Editor
from tui.core.entities import Entity
from tui.core.record import ENTITY, Annotation, new_annotation
from tui.core.store.errors import StoreError
from tui.core.suggest.model import ENTITY_KIND, Suggestion
from tui.core.suggest.review import Review
from tui.core.textsafe import snippet
from tui.core.wording import plural

Span = tuple[int, int]
MAX_MATCHES = 10_000
QUOTE_PREVIEW = 30

# What ``on_change`` reports, so the screen redraws only what changed.
SELECTION = "selection"
ANNOTATIONS = "annotations"
ENTITIES = "entities"
SEARCH = "search"
MODE = "mode"
MESSAGE = "message"
SUGGESTIONS = "suggestions"


@dataclass(frozen=True)
class Feedback:
    """The last thing the reader has to say; errors are also shown as a toast."""

    text: str
    error: bool = False
    warning: bool = False


@dataclass(frozen=True)
class NoteRequest:
    """Ask for the note of a saved (or unsaved) annotation."""

    ann_id: str
    label: str
    quote: str
    note: str
    joined: bool  # part of applying the label: one step in the undo history


@dataclass
class Search:
    query: str = ""
    matches: list[Span] = field(default_factory=list)
    index: int = -1
    capped: bool = False


class ReaderModel:
    def __init__(self, article: Article, store, annotator: str, labels: Iterable[Label], *,
                 show_all: bool = False) -> None:
        self.article = article
        self.text = article.text
        self.annotator = annotator
        self.labels = tuple(labels)
        self.editor = Editor(store, article, annotator)
        self.show_all = show_all
        self.selection: Span = (0, 0)
        self.cursor: Span = (0, 0)
        self.extend_anchor: Span | None = None
        self.relabel_armed = False
        self.search = Search()
        self.entities: list[Entity] = []
        self.show_entities = True
        self.hidden_types: frozenset[str] = frozenset()
        self.label_filter: str | None = None
        self.review: Review | None = None  # the suggestions left to accept or reject
        self.show_suggestions = True
        self.pending: list[Annotation] = []  # annotations that could not be saved yet
        self.message: Feedback | None = None
        self.on_change: Callable[[set[str]], None] = lambda parts: None
        self._motions: dict[str, Callable[[], Span | None]] = {
            "next_word": lambda: text_units.next_word(self.text, self.cursor[0]),
            "prev_word": lambda: text_units.prev_word(self.text, self.cursor[0]),
            "next_sentence": lambda: text_units.next_sentence(self.text, self.cursor[0]),
            "prev_sentence": lambda: self._back(text_units.sentence_at, text_units.prev_sentence),
            "next_paragraph": lambda: text_units.next_paragraph(self.text, self.cursor[0]),
            "prev_paragraph": lambda: self._back(text_units.paragraph_at, text_units.prev_paragraph),
            "quotation": self._quotation,
            "next_entity": lambda: self._entity_step(1),
            "prev_entity": lambda: self._entity_step(-1),
            "next_annotation": lambda: self._annotation_step(1),
            "prev_annotation": lambda: self._annotation_step(-1),
            "next_suggestion": lambda: self._suggestion_step(1),
            "prev_suggestion": lambda: self._suggestion_step(-1),
        }

    # -- loading ----------------------------------------------------------------------------

    def load(self, position: int = 0) -> None:
        """Read the article's annotations and put the cursor on the word at ``position``."""
        try:
            self.editor.reload()
        except StoreError as err:
            self._say(str(err), error=True)
        self.cursor = self.selection = self._word_near(position)
        self._changed(SELECTION, ANNOTATIONS)

    def _word_near(self, position: int) -> Span:
        text = self.text
        if not text:
            return (0, 0)
        position = max(0, min(position, len(text) - 1))
        span = text_units.word_at(text, position) or text_units.prev_word(text, position)
        return span or text_units.snap_to_graphemes(text, position, position + 1)

    def set_entities(self, entities: Iterable[Entity]) -> None:
        self.entities = sorted(entities, key=lambda e: (e.start, e.end))
        self._changed(ENTITIES)

    # -- reading the state --------------------------------------------------------------------

    @property
    def motion_names(self) -> tuple[str, ...]:
        return tuple(self._motions)

    @property
    def position(self) -> int:
        return self.selection[0]

    def visible(self) -> list[Annotation]:
        """The annotations on show: mine, or everyone's."""
        return self.editor.visible(self.show_all)

    def filtered(self) -> list[Annotation]:
        """The visible annotations of the label the panel is filtered to (all when none)."""
        records = self.visible()
        if self.label_filter is None:
            return records
        return [r for r in records if r["label"] == self.label_filter]

    def under_cursor(self) -> list[Annotation]:
        """Visible annotations containing the selection's start, innermost first."""
        return self.editor.at(self.selection[0], self.show_all)

    def entity_under_cursor(self) -> Entity | None:
        start = self.selection[0]
        if not self.show_entities:
            return None
        return next((e for e in self.entities
                     if e.start <= start < e.end and e.label not in self.hidden_types), None)

    def label_for_key(self, key: str) -> Label | None:
        return next((label for label in self.labels if label.key == key), None)

    def label_named(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    def current_match(self) -> int | None:
        """The index of the match the selection is on, if it is on one."""
        search = self.search
        if 0 <= search.index < len(search.matches) and search.matches[search.index] == self.selection:
            return search.index
        return None

    # -- motions -----------------------------------------------------------------------------

    def move(self, name: str) -> bool:
        """Run the motion ``name``; False (and nothing changes) when there is nowhere to go."""
        motion = self._motions.get(name)
        if motion is None:
            raise KeyError(f"no motion {name!r}")
        if not self.text:
            return False
        return self.go(motion())

    def go(self, span: Span | None) -> bool:
        """Make ``span`` the cursor (and the selection, unless extending)."""
        if span is None:
            return False
        self.cursor = span
        if self.extend_anchor is not None:
            anchor = self.extend_anchor
            span = (min(anchor[0], span[0]), max(anchor[1], span[1]))
        self.selection = self._clamp(span)
        self.message = None
        self._changed(SELECTION, MESSAGE)
        return True

    def click(self, offset: int, drag_from: int | None = None) -> None:
        """A click selects the word under it; a drag, every word it crossed."""
        text = self.text
        if not text:
            return
        span = text_units.word_at(text, offset) or text_units.snap_to_graphemes(
            text, offset, min(len(text), offset + 1))
        if drag_from is not None:
            first = text_units.word_at(text, drag_from) or span
            span = (min(first[0], span[0]), max(first[1], span[1]))
        self.cursor = self.selection = self._clamp(span)
        self._changed(SELECTION)

    def _clamp(self, span: Span) -> Span:
        size = len(self.text)
        start = max(0, min(span[0], size))
        return start, max(start, min(span[1], size))

    def _back(self, unit_at: Callable[[str, int], Span | None],
              previous: Callable[[str, int], Span | None]) -> Span | None:
        # A word at the start of a sentence selects its own sentence first, then the one
        # before: the sentence "before" is the one being read, not the one above it.
        pos = self.cursor[0]
        current = unit_at(self.text, pos)
        if current is not None and current[0] == pos and current != self.selection:
            return current
        return previous(self.text, pos)

    def _quotation(self) -> Span | None:
        # Pressed again on a quotation, move on to the next one.
        text = self.text
        start = self.selection[1] if text_units.quotation_at(text, self.cursor[0]) == self.selection \
            else self.cursor[0]
        return text_units.quotation_at(text, start, skip_scare_quotes=True)

    def _entity_step(self, step: int) -> Span | None:
        pos = self.cursor[0]
        marks = [e for e in self.entities if e.label not in self.hidden_types]
        if step > 0:
            found = next((e for e in marks if e.start > pos), None)
        else:
            found = next((e for e in reversed(marks) if e.start < pos), None)
        return (found.start, found.end) if found else None

    def _annotation_step(self, step: int) -> Span | None:
        records = self.filtered()
        here = self.cursor
        if step > 0:
            found = next((r for r in records if (r["start"], r["end"]) > here and r["start"] >= here[0]),
                         None)
        else:
            found = next((r for r in reversed(records) if (r["start"], r["end"]) < here), None)
        return (found["start"], found["end"]) if found else None

    def _suggestion_step(self, step: int) -> Span | None:
        """The next quotation or claim suggested (of the panel's label, when filtered).

        Entity suggestions are the entities on show: ``e`` walks those.
        """
        review = self.review
        if review is None or not self.show_suggestions:
            return None
        pos = self.cursor[0]
        wanted = [s for s in review.pending if s.kind != ENTITY_KIND
                  and (self.label_filter is None or s.label == self.label_filter)]
        if step > 0:
            found = next((s for s in wanted if s.start > pos), None)
        else:
            found = next((s for s in reversed(wanted) if s.start < pos), None)
        return (found.start, found.end) if found else None

    # -- extend mode and the selection's end ----------------------------------------------------

    def toggle_extend(self) -> None:
        if self.extend_anchor is None:
            self.extend_anchor = self.selection
            self._say("extend mode: motions grow the selection; v or escape to leave")
        else:
            self.extend_anchor = None
            self._say("extend mode off")
        self._changed(MODE)

    def grow(self) -> None:
        if not self.text:
            return
        self.extend_anchor = None
        self.selection = text_units.extend_end_by_word(self.text, *self.selection)
        self._changed(SELECTION, MODE)

    def shrink(self) -> None:
        if not self.text:
            return
        self.selection = text_units.shrink_end_by_word(self.text, *self.selection)
        self._changed(SELECTION)

    def escape(self) -> bool:
        """Leave the innermost mode; False when there was none (the screen goes back)."""
        if self.relabel_armed:
            self.relabel_armed = False
        elif self.extend_anchor is not None:
            self.extend_anchor = None
            self._say("extend mode off")
        elif self.search.matches:
            self.clear_search()
            return True
        else:
            return False
        self._changed(MODE)
        return True

    # -- annotating ----------------------------------------------------------------------------

    def press_label(self, key: str) -> NoteRequest | None:
        """A label key: relabel when armed, else label the selection.

        Returns a NoteRequest when the label asks for a note (the annotation is saved already).
        """
        label = self.label_for_key(key)
        if label is None:
            self.relabel_armed = False
            self._say(f"no label on key {key} (labels: {self._label_keys()})", error=True)
            self._changed(MODE)
            return None
        if self.relabel_armed:
            self.relabel_armed = False
            self._changed(MODE)
            return self.relabel(label)
        return self.apply(label)

    def _label_keys(self) -> str:
        return ", ".join(f"{label.key} {label.name}" for label in self.labels)

    def apply(self, label: Label) -> NoteRequest | None:
        start, end = self.selection
        if end <= start:
            self._say("select some text first", error=True)
            return None
        try:
            record, created = self.editor.add(start, end, label.name)
        except StoreError as err:
            record = self._keep_unsaved(start, end, label.name, err)
            return self._note_request(record, label, joined=True) if label.note else None
        except EditError as err:
            self._say(str(err), error=True)
            return None
        self.extend_anchor = None
        if not created:
            self._say(f"already labelled {label.name} here: nothing added", warning=True)
            self._changed(ANNOTATIONS, MODE)
            return None
        self._say(f"saved {label.name}: “{snippet(record['quote'], QUOTE_PREVIEW)}”")
        self._changed(ANNOTATIONS, MODE)
        return self._note_request(record, label, joined=True) if label.note else None

    def flag(self, start: int, end: int, label_name: str, note: str) -> NoteRequest | None:
        """Label ``[start, end)`` with ``label_name`` and a note written for it (a compare
        result); the note dialog then opens on it, to be read and changed."""
        label = self.label_named(label_name)
        if label is None:
            self._say(f"no label {label_name!r} in the labels file", error=True)
            return None
        self.cursor = self.selection = self._clamp((start, end))
        self._changed(SELECTION)
        request = self.apply(label)
        if request is None:  # saved already, or not saved: keep the note with it
            record = next((r for r in (*self.editor.records, *self.pending)
                           if (r["start"], r["end"], r["label"], r["annotator"])
                           == (start, end, label.name, self.annotator)), None)
            if record is None:
                return None
            request = NoteRequest(record["id"], label.name, record["quote"], record["note"], False)
            if record["note"] and note not in record["note"]:
                note = f"{record['note']}\n{note}"  # never lose what was written before
        self.set_note(request, note)
        return replace(request, note=note)

    def _note_request(self, record: Annotation, label: Label, *, joined: bool) -> NoteRequest:
        return NoteRequest(record["id"], label.name, record["quote"], record["note"], joined)

    def _keep_unsaved(self, start: int, end: int, label: str, err: Exception) -> Annotation:
        article = self.article
        record = new_annotation(article_id=article.id, text=self.text,
                                article_sha256=article.sha256, start=start, end=end,
                                label=label, annotator=self.annotator)
        self.pending.append(record)
        self._say(f"NOT SAVED ({err}); ctrl+s retries", error=True)
        self._changed(ANNOTATIONS)
        return record

    def retry(self) -> None:
        """Save the annotations that could not be saved; those that still fail stay unsaved."""
        if not self.pending:
            self._say("nothing to retry")
            return
        waiting, self.pending = self.pending, []
        saved = 0
        last_error: Exception | None = None
        for record in waiting:
            try:
                stored, _created = self.editor.add(record["start"], record["end"], record["label"])
                if record["note"]:
                    self.editor.update(stored["id"], note=record["note"], joined=True)
                saved += 1
            except (StoreError, EditError) as err:
                self.pending.append(record)
                last_error = err
        if self.pending:
            self._say(f"{saved} saved, {len(self.pending)} still not saved: {last_error}", error=True)
        else:
            self._say(f"saved {plural(saved, 'annotation')}")
        self._changed(ANNOTATIONS)

    def mine_here(self) -> Annotation | None:
        """My annotation under the cursor: the one on exactly the selection, else the innermost."""
        start, end = self.selection
        here = self.editor.at(start, True, mine_only=True)
        exact = [r for r in here if (r["start"], r["end"]) == (start, end)]
        return (exact or here or [None])[0]  # type: ignore[list-item]

    def _mine(self, ann_id: str | None) -> Annotation | None:
        if ann_id is None:
            return self.mine_here()
        record = self.editor.find(ann_id)
        return record if record is not None and record["annotator"] == self.annotator else None

    def note_request(self, ann_id: str | None = None) -> NoteRequest | None:
        """The note to edit: of ``ann_id``, else of my annotation under the cursor."""
        record = self._mine(ann_id)
        if record is None:
            self._say("no annotation of yours under the cursor", error=True)
            return None
        return NoteRequest(record["id"], record["label"], record["quote"], record["note"],
                           joined=False)

    def set_note(self, request: NoteRequest, note: str | None) -> None:
        """The note dialog's answer: None leaves the note as it was."""
        if note is None or note == request.note:
            return
        for index, record in enumerate(self.pending):
            if record["id"] == request.ann_id:
                self.pending[index] = {**record, "note": note}
                self._say("note kept with the unsaved annotation; ctrl+s retries", error=True)
                return
        self._edit(request.ann_id, joined=request.joined, note=note)

    def delete(self, ann_id: str | None = None) -> None:
        record = self._mine(ann_id)
        if record is None:
            self._say("no annotation of yours under the cursor", error=True)
            return
        try:
            self.editor.delete(record["id"])
        except (StoreError, EditError) as err:
            self._say(str(err), error=True)
            return
        self._say(f"deleted {record['label']} (u to undo)")
        self._changed(ANNOTATIONS)

    def arm_relabel(self) -> None:
        if self.mine_here() is None:
            self._say("no annotation of yours under the cursor", error=True)
            return
        self.relabel_armed = True
        self._changed(MODE)

    def relabel(self, label: Label) -> NoteRequest | None:
        start, end = self.selection
        here = self.editor.at(start, True, mine_only=True)
        here.sort(key=lambda r: (r["start"], r["end"]) != (start, end))  # exact spans first
        record = next((r for r in here if r["label"] != label.name), None)
        if record is None:
            if here:
                self._say(f"already labelled {label.name}", warning=True)
            return None
        twin = next((r for r in self.editor.records
                     if (r["start"], r["end"], r["label"], r["annotator"])
                     == (record["start"], record["end"], label.name, self.annotator)), None)
        if twin is not None:
            self._say(f"already labelled {label.name} here: nothing changed", warning=True)
            return None
        if not self._edit(record["id"], label=label.name):
            return None
        if label.note and not record["note"]:
            return NoteRequest(record["id"], label.name, record["quote"], "", joined=True)
        return None

    def adjust_edge(self, edge: str, step: int) -> None:
        """Move the start or end of my annotation under the cursor by a word (one undo step)."""
        record = self.mine_here()
        if record is None:
            self._say("no annotation of yours under the cursor", error=True)
            return
        start, end = record["start"], record["end"]
        text = self.text
        if edge == "end":
            end = (text_units.extend_end_by_word(text, start, end) if step > 0
                   else text_units.shrink_end_by_word(text, start, end))[1]
        else:
            start = (text_units.shrink_start_by_word(text, start, end) if step > 0
                     else text_units.extend_start_by_word(text, start, end))[0]
        if (start, end) == (record["start"], record["end"]):
            self._say(f"the {edge} cannot move further", warning=True)
            return
        if self._edit(record["id"], start=start, end=end):
            self.cursor = self.selection = (start, end)
            self._changed(SELECTION)

    def _edit(self, ann_id: str, *, joined: bool = False, **changes: object) -> bool:
        try:
            self.editor.update(ann_id, joined=joined, **changes)
        except (StoreError, EditError) as err:
            self._say(str(err), error=True)
            return False
        self._say("saved " + ", ".join(changes))
        self._changed(ANNOTATIONS)
        return True

    def undo(self) -> None:
        self._history("undo")

    def redo(self) -> None:
        self._history("redo")

    def _history(self, which: str) -> None:
        try:
            what = self.editor.undo() if which == "undo" else self.editor.redo()
        except (StoreError, EditError) as err:
            self._say(str(err), error=True)
            return
        if what is None:
            self._say(f"nothing to {which}")
            return
        self._say(f"{which}: {what}")
        self._changed(ANNOTATIONS)

    # -- suggestions ---------------------------------------------------------------------------

    def set_review(self, review: Review) -> None:
        self.review = review
        review.refresh(self.editor.records)
        self._changed(SUGGESTIONS)

    def suggestion_here(self) -> Suggestion | None:
        if self.review is None or not self.show_suggestions:
            return None
        return self.review.target(self.selection)

    def accept_suggestion(self, label: str | None = None) -> None:
        """``y``: the suggestion under the cursor becomes my annotation, with its provenance."""
        suggestion = self.suggestion_here()
        if suggestion is None or self.review is None:
            self._say("no suggestion here (g goes to the next one)", error=True)
            return
        try:
            record, created = self.editor.add(**self.review.accept_args(suggestion, label))
        except (StoreError, EditError) as err:
            self._say(str(err), error=True)
            return
        self.cursor = self.selection = (record["start"], record["end"])
        what = f"accepted {record['label']}"
        self._say(f"{what}: “{snippet(record['quote'], QUOTE_PREVIEW)}”" if created
                  else f"already labelled {record['label']} here")
        self._changed(ANNOTATIONS, SELECTION)

    def reject_suggestion(self) -> None:
        """``d``: never show the suggestion under the cursor to me again (undoable)."""
        suggestion = self.suggestion_here()
        review = self.review
        if suggestion is None or review is None:
            self._say("no suggestion here (g goes to the next one)", error=True)
            return
        try:
            review.reject(suggestion)
        except StoreError as err:
            self._say(str(err), error=True)
            return

        def undo() -> None:
            review.unreject(suggestion)
            self._changed(SUGGESTIONS)

        def redo() -> None:
            review.reject(suggestion)
            self._changed(SUGGESTIONS)

        self.editor.push_action(f"reject {suggestion.kind}", undo, redo)
        self._say(f"rejected {suggestion.kind}: it will not be suggested to you again (u undoes)")
        self._changed(SUGGESTIONS)

    def accept_all(self, kind: str) -> None:
        """Every suggestion of ``kind`` left in the article becomes an annotation (undoable)."""
        review = self.review
        if review is None:
            self._say("suggestions are not ready yet", error=True)
            return
        try:
            accepted = review.accept_all(kind)
            self.editor.reload()
        except StoreError as err:
            self._say(str(err), error=True)
            return
        if not accepted:
            self._say(f"no {kind} suggestions left")
            return
        ids = [r["id"] for r in accepted]

        def undo() -> None:
            for ann_id in ids:
                self.editor.store.delete(self.article.id, ann_id)
            self.editor.reload()

        def redo() -> None:
            self.editor.store.add_many(accepted)
            self.editor.reload()

        self.editor.push_action(f"accept {len(ids)} {kind} suggestions", undo, redo)
        self._say(f"accepted {plural(len(ids), kind + ' suggestion')} (u undoes)")
        self._changed(ANNOTATIONS)

    def add_entity(self, label: str) -> None:
        """The selection is an entity of type ``label`` that the model missed (or mislabelled):
        an entity correction, saved as my annotation of kind ``entity``."""
        start, end = self.selection
        if end <= start:
            self._say("select the entity's words first", error=True)
            return
        suggestion = self.suggestion_here()
        if suggestion is not None and suggestion.kind == ENTITY_KIND and self.review is not None:
            args = self.review.accept_args(suggestion, label)  # relabel the model's entity
        else:
            args = {"start": start, "end": end, "label": label, "kind": ENTITY,
                    "suggested_by": None}
        try:
            record, created = self.editor.add(**args)
        except (StoreError, EditError) as err:
            self._say(str(err), error=True)
            return
        self._say(f"entity {label}: “{snippet(record['quote'], QUOTE_PREVIEW)}”" if created
                  else f"already an entity {label} here")
        self._changed(ANNOTATIONS)

    def toggle_suggestions(self) -> None:
        self.show_suggestions = not self.show_suggestions
        self._say("suggestions shown" if self.show_suggestions else "suggestions hidden")
        self._changed(SUGGESTIONS)

    # -- search --------------------------------------------------------------------------------

    def find(self, query: str) -> None:
        """Search the article (case-insensitive) and go to the first match at or after the cursor."""
        matches: list[Span] = []
        if query:
            for found in re.finditer(re.escape(query), self.text, re.IGNORECASE):
                matches.append((found.start(), found.end()))
                if len(matches) >= MAX_MATCHES:
                    break
        self.search = Search(query, matches, -1, len(matches) >= MAX_MATCHES)
        self._changed(SEARCH)
        if not matches:
            self._say(f"not found: {query}" if query else "search cleared", error=bool(query))
            return
        self.next_match(1)

    def next_match(self, step: int) -> None:
        search = self.search
        if not search.matches:
            self._say("no search (press /)")
            return
        if search.index < 0:
            pos = self.cursor[0]
            index = next((i for i, m in enumerate(search.matches) if m[0] >= pos), 0)
        else:
            index = (search.index + step) % len(search.matches)
        self.search = replace(search, index=index)
        self._changed(SEARCH)
        self.go(search.matches[index])

    def clear_search(self) -> None:
        self.search = Search(self.search.query)
        self._changed(SEARCH)

    # -- what is shown -------------------------------------------------------------------------

    def toggle_entities(self) -> None:
        self.show_entities = not self.show_entities
        self._say("entities shown" if self.show_entities else "entities hidden")
        self._changed(ENTITIES)

    def toggle_type(self, kind: str) -> None:
        self.hidden_types = self.hidden_types ^ {kind}
        self._changed(ENTITIES)

    def toggle_everyone(self) -> None:
        self.show_all = not self.show_all
        self._say("showing everyone's annotations" if self.show_all else "showing your annotations")
        self._changed(ANNOTATIONS)

    def filter_label(self, name: str | None) -> None:
        """Restrict the panel and ``]``/``[`` to one label (None: every label)."""
        self.label_filter = name
        self._say(f"annotations: {name} only" if name else "annotations: every label")
        self._changed(ANNOTATIONS)

    # -- internals -----------------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        """A message for the status line (and a toast when it is an error)."""
        self._say(text, error=error)

    def _say(self, text: str, *, error: bool = False, warning: bool = False) -> None:
        self.message = Feedback(text, error, warning)
        self._changed(MESSAGE)

    def _changed(self, *parts: str) -> None:
        # What is left to review follows my annotations (an undo brings one back).
        if ANNOTATIONS in parts and self.review is not None and self.review.refresh(self.editor.records):
            parts = (*parts, SUGGESTIONS)
        self.on_change(set(parts))
