"""One annotator's review of one article's suggestions: what is left, accept, reject.

A suggestion is left to review unless the annotator rejected it (remembered
in ``tui.core.store.rejections``) or already has an annotation that covers it:
for a quotation or claim, one of their own annotations with the same label
overlapping it; for an entity, one of their own entity annotations
overlapping it (entities do not overlap, so a relabelled or re-drawn entity
replaces the model's). Accepting makes an annotation with the suggestion's
provenance (``suggested_by``); both accepting and rejecting are on disk
before the method returns.

The reader builds a ``Review`` in a worker (it reads the rejections file),
then calls its methods on key presses; ``refresh`` after any change to the
annotations made elsewhere (an undo, a delete, a hand-made annotation).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import Any

from tui.core.corpus import Article
from tui.core.entities import Entity, PipelineInfo
from tui.core.record import ENTITY, Annotation, kind_of, new_annotation
from tui.core.store.rejections import Rejections
from tui.core.suggest import suggest
from tui.core.suggest.model import ENTITY_KIND, KINDS, Suggestion


class Review:
    def __init__(self, store, article: Article, annotator: str, suggestions: Iterable[Suggestion], *,
                 annotations: Iterable[dict] | None = None, rejections: Rejections | None = None) -> None:
        """``store`` is a ``tui.core.store.Store``; ``annotations`` the article's current
        records (the reader's, re-anchored; default: the store's)."""
        self.store = store
        self.article = article
        self.annotator = annotator
        self.rejections = rejections or Rejections(store.root, readonly=store.readonly)
        self.suggestions = sorted(suggestions, key=lambda s: (s.start, s.end, KINDS.index(s.kind)))
        self.rejected: set[str] = set(self.rejections.ids(annotator, article.id))
        self.pending: list[Suggestion] = []
        self._starts: list[int] = []
        self.refresh(store.for_article(article.id) if annotations is None else annotations)

    @classmethod
    def build(cls, store, article: Article, annotator: str, entities: Iterable[Entity],
              pipeline: PipelineInfo | None, *, annotations: Iterable[dict] | None = None,
              labels: dict[str, str] | None = None) -> Review:
        """Suggestions for ``article`` and the annotator's review of them, in one call: what
        a reader's worker runs once the entities are there (it reads the rejections file)."""
        return cls(store, article, annotator, suggest(article.text, entities, pipeline, labels=labels),
                   annotations=annotations)

    # -- what is left ----------------------------------------------------------------------

    def refresh(self, annotations: Iterable[Mapping[str, Any]]) -> bool:
        """Recompute what is left from the article's annotations (anyone's: only the
        annotator's own count). True if that changed: most annotations cover no
        suggestion, and the reader then redraws no suggestion marks."""
        covers = _Covers(r for r in annotations if r["annotator"] == self.annotator)
        pending = [s for s in self.suggestions
                   if s.id not in self.rejected and not covers.covered(s)]
        # Both lists are drawn in order from ``self.suggestions``: identity is enough.
        if len(pending) == len(self.pending) and all(a is b for a, b in zip(pending, self.pending, strict=True)):
            return False
        self.pending = pending
        self._starts = [s.start for s in pending]
        return True

    def remaining(self, kind: str | None = None) -> list[Suggestion]:
        return [s for s in self.pending if kind is None or s.kind == kind]

    def counts(self) -> dict[str, int]:
        """kind -> how many are left, for a status line."""
        found = dict.fromkeys(KINDS, 0)
        for suggestion in self.pending:
            found[suggestion.kind] += 1
        return found

    def next_after(self, offset: int, kind: str | None = None) -> Suggestion | None:
        """The first suggestion left that starts after ``offset`` (key g)."""
        at = bisect.bisect_right(self._starts, offset)
        return next((s for s in self.pending[at:] if kind is None or s.kind == kind), None)

    def previous_before(self, offset: int, kind: str | None = None) -> Suggestion | None:
        """The last suggestion left that starts before ``offset`` (key G)."""
        at = bisect.bisect_left(self._starts, offset)
        return next((s for s in reversed(self.pending[:at]) if kind is None or s.kind == kind), None)

    def at(self, offset: int) -> list[Suggestion]:
        """Suggestions left that contain ``offset``, shortest first (which one y and d act on)."""
        at = bisect.bisect_right(self._starts, offset)
        found = [s for s in self.pending[:at] if s.start <= offset < s.end]
        return sorted(found, key=lambda s: (s.end - s.start, KINDS.index(s.kind)))

    def target(self, selection: tuple[int, int]) -> Suggestion | None:
        """The suggestion keys y and d act on: the one the selection is exactly (after g), else
        the shortest under the selection's start."""
        exact = [s for s in self.at(selection[0]) if (s.start, s.end) == tuple(selection)]
        if exact:
            return exact[0]
        under = self.at(selection[0])
        return under[0] if under else None

    def find(self, suggestion_id: str) -> Suggestion | None:
        return next((s for s in self.suggestions if s.id == suggestion_id), None)

    # -- decisions -------------------------------------------------------------------------

    @staticmethod
    def accept_args(suggestion: Suggestion, label: str | None = None) -> dict:
        """What accepting ``suggestion`` annotates, as keyword arguments of
        ``tui.core.editing.Editor.add`` (the reader's path, with undo). ``label`` relabels
        (an entity the model mislabelled)."""
        label = label or suggestion.label
        note = suggestion.note
        if label != suggestion.label and suggestion.kind == ENTITY_KIND:
            note = f"relabelled from {suggestion.label}"
        return {"start": suggestion.start, "end": suggestion.end, "label": label, "note": note,
                "kind": suggestion.record_kind, "suggested_by": suggestion.suggested_by}

    def record_for(self, suggestion: Suggestion, label: str | None = None) -> Annotation:
        """The annotation accepting ``suggestion`` makes, not yet saved."""
        return new_annotation(article_id=self.article.id, text=self.article.text,
                              article_sha256=self.article.sha256, annotator=self.annotator,
                              **self.accept_args(suggestion, label))

    def accept(self, suggestion: Suggestion, label: str | None = None) -> dict:
        """Save the suggestion as the annotator's annotation; returns the stored record."""
        stored = self.store.add(self.record_for(suggestion, label))
        self._settled([stored])
        return stored

    def accept_all(self, kind: str) -> list[Annotation]:
        """Accept every suggestion of ``kind`` left in the article, in one durable write."""
        chosen = self.remaining(kind)
        if not chosen:
            return []
        records = [self.record_for(s) for s in chosen]
        self.store.add_many(records)
        ids = {r["id"] for r in records}
        keys = {(r["start"], r["end"], r["label"]) for r in records}
        stored = [r for r in self.store.for_article(self.article.id)
                  if r["annotator"] == self.annotator
                  and (r["id"] in ids or (r["start"], r["end"], r["label"]) in keys)]
        self._settled(stored)
        return stored

    def reject(self, suggestion: Suggestion) -> None:
        """Never show this suggestion to this annotator again (durable)."""
        self.reject_many([suggestion])

    def reject_many(self, suggestions: Iterable[Suggestion]) -> None:
        chosen = list(suggestions)
        self.rejections.reject(self.annotator, self.article.id, {
            s.id: {"kind": s.kind, "label": s.label, "start": s.start, "end": s.end, "quote": s.quote,
                   "suggested_by": s.suggested_by} for s in chosen})
        self.rejected.update(s.id for s in chosen)
        gone = {s.id for s in chosen}
        self.pending = [s for s in self.pending if s.id not in gone]
        self._starts = [s.start for s in self.pending]

    def unreject(self, suggestion: Suggestion) -> None:
        """Undo a rejection: the suggestion is back (durable)."""
        self.rejections.unreject(self.annotator, self.article.id, [suggestion.id])
        self.rejected.discard(suggestion.id)
        if suggestion.id not in {s.id for s in self.pending} and suggestion in self.suggestions:
            self.pending.append(suggestion)
            self.pending.sort(key=lambda s: (s.start, s.end, KINDS.index(s.kind)))
            self._starts = [s.start for s in self.pending]

    def add_entity(self, start: int, end: int, label: str) -> dict:
        """An entity the model missed, as an entity correction of the annotator (durable)."""
        record = new_annotation(
            article_id=self.article.id, text=self.article.text, article_sha256=self.article.sha256,
            start=start, end=end, label=label, annotator=self.annotator, kind=ENTITY)
        stored = self.store.add(record)
        self._settled([stored])
        return stored

    def _settled(self, records: list[dict]) -> None:
        covers = _Covers(records)
        self.pending = [s for s in self.pending if not covers.covered(s)]
        self._starts = [s.start for s in self.pending]


class _Covers:
    """Which suggestions a set of annotations already covers, by interval lookup."""

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        groups: dict[tuple[str, str | None], list[tuple[int, int]]] = {}
        for record in records:
            key = (ENTITY, None) if kind_of(record) == ENTITY else ("span", record["label"])
            groups.setdefault(key, []).append((record["start"], record["end"]))
        self.groups: dict[tuple[str, str | None], tuple[list[int], list[int]]] = {}
        for key, spans in groups.items():
            spans.sort()
            reach, top = [], -1
            for _start, end in spans:
                top = max(top, end)
                reach.append(top)
            self.groups[key] = ([s for s, _ in spans], reach)

    def covered(self, suggestion: Suggestion) -> bool:
        key = (ENTITY, None) if suggestion.kind == ENTITY_KIND else ("span", suggestion.label)
        group = self.groups.get(key)
        if group is None:
            return False
        starts, reach = group
        before = bisect.bisect_left(starts, suggestion.end)  # annotations starting before its end
        return before > 0 and reach[before - 1] > suggestion.start
