"""Editing one article's annotations, with undo and redo.

Every change goes through the store and is on disk before a method returns;
undo and redo are changes like any other (they go through the store too).
Records of other annotators are never changed here: an annotator can only
delete, relabel or annotate their own.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from tui.core.corpus import Article
from tui.core.record import SPAN, Annotation, new_annotation


class EditError(Exception):
    """An edit that cannot be made (not your annotation, empty selection, ...)."""


class AnnotationStore(Protocol):
    """What editing needs of the store (tui.core.store.Store has it)."""

    def anchored(self, article: Article) -> tuple[list[Annotation], list[Annotation]]: ...
    def add(self, record: Annotation) -> Annotation: ...
    def add_many(self, records: Iterable[Annotation]) -> int: ...
    def restore(self, record: Annotation) -> Annotation: ...
    def update(self, article_id: str, ann_id: str, *, text: str | None = None,
               **changes: Any) -> Annotation: ...
    def delete(self, article_id: str, ann_id: str) -> Annotation: ...


@dataclass
class Step:
    kind: str  # "add", "delete", "update", "action"
    # Whole records for "add" and "delete"; for "update", the id and the changed fields;
    # for "action" (a change outside the annotations, such as a rejected suggestion),
    # the callables that undo and redo it.
    before: Any
    after: Any
    description: str


class Editor:
    """One annotator's edits of one article, and the article's annotations as placed."""

    def __init__(self, store: AnnotationStore, article: Article, annotator: str) -> None:
        self.store = store
        self.article = article
        self.annotator = annotator
        self.orphans: list[Annotation] = []
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []
        self._records: list[Annotation] = []
        self._index: tuple[list[int], int, list[Annotation]] | None = None

    @property
    def records(self) -> list[Annotation]:
        """Every placed annotation, sorted by start, end and id."""
        return self._records

    @records.setter
    def records(self, records: list[Annotation]) -> None:
        self._records = records
        self._index = None

    def reload(self) -> None:
        placed, orphans = self.store.anchored(self.article)
        self.records = sorted(placed, key=lambda r: (r["start"], r["end"], r["id"]))
        self.orphans = list(orphans)

    # -- queries --------------------------------------------------------

    def _spans(self) -> tuple[list[int], int, list[Annotation]]:
        # Looked up on every key: starts for bisecting, the longest span, my records.
        if self._index is None:
            records = self._records
            self._index = ([r["start"] for r in records],
                           max((r["end"] - r["start"] for r in records), default=0),
                           [r for r in records if r["annotator"] == self.annotator])
        return self._index

    def visible(self, show_all: bool) -> list[Annotation]:
        return self._records if show_all else self._spans()[2]

    def at(self, offset: int, show_all: bool, *, mine_only: bool = False) -> list[Annotation]:
        """Annotations containing ``offset``, innermost (shortest) first."""
        starts, longest, _ = self._spans()
        low = bisect_left(starts, offset - longest)
        high = bisect_right(starts, offset)
        mine_wanted = mine_only or not show_all
        found = [r for r in self._records[low:high] if r["end"] > offset
                 and (not mine_wanted or r["annotator"] == self.annotator)]
        return sorted(found, key=lambda r: (r["end"] - r["start"], r["start"]))

    def find(self, ann_id: str) -> Annotation | None:
        return next((r for r in self._records if r["id"] == ann_id), None)

    # -- changes --------------------------------------------------------

    def add(self, start: int, end: int, label: str, note: str = "", *, kind: str = SPAN,
            suggested_by: str | None = None) -> tuple[Annotation, bool]:
        """Annotate ``[start, end)``; returns the record and whether it is new.

        ``kind`` and ``suggested_by`` are for accepted suggestions and entity corrections
        (see ``tui.core.suggest.review``): the record keeps its provenance.
        """
        if end <= start:
            raise EditError("select some text first")
        for record in self.records:
            if (record["start"], record["end"], record["label"], record["annotator"]) == (
                    start, end, label, self.annotator):
                return record, False
        record = new_annotation(
            article_id=self.article.id, text=self.article.text,
            article_sha256=self.article.sha256, start=start, end=end, label=label,
            annotator=self.annotator, note=note, kind=kind, suggested_by=suggested_by,
        )
        stored = self.store.add(record)
        created = stored["id"] == record["id"]
        self._put(stored)
        if created:
            self._push(Step("add", None, stored, f"add {label}"))
        return stored, created

    def delete(self, ann_id: str) -> Annotation:
        record = self._mine(ann_id)
        removed = self.store.delete(self.article.id, ann_id)
        self.records = [r for r in self.records if r["id"] != ann_id]
        self._push(Step("delete", removed or record, None, f"delete {record['label']}"))
        return removed or record

    def update(self, ann_id: str, *, joined: bool = False, **changes: Any) -> Annotation:
        """Change my annotation ``ann_id``; ``joined`` makes it part of the last step
        when that step was about the same annotation (a note asked for by its label
        is one step with the label), so one undo takes both back."""
        record = self._mine(ann_id)
        before = {key: record[key] for key in changes}  # type: ignore[literal-required]
        stored = self.store.update(self.article.id, ann_id, text=self.article.text, **changes)
        self._put(stored)
        last = self.undo_stack[-1] if self.undo_stack else None
        if joined and last is not None and _step_id(last) == ann_id:
            if last.kind == "add":
                last.after = stored
            else:
                last.before = {**before, **last.before}
                last.after = {**last.after, **changes}
            self.redo_stack.clear()
            return stored
        what = "note" if set(changes) == {"note"} else "relabel" if "label" in changes else "edit"
        self._push(Step("update", {"id": ann_id, **before}, {"id": ann_id, **changes}, what))
        return stored

    def undo(self) -> str | None:
        if not self.undo_stack:
            return None
        step = self.undo_stack[-1]
        self._apply(step, reverse=True)
        self.redo_stack.append(self.undo_stack.pop())
        return step.description

    def redo(self) -> str | None:
        if not self.redo_stack:
            return None
        step = self.redo_stack[-1]
        self._apply(step, reverse=False)
        self.undo_stack.append(self.redo_stack.pop())
        return step.description

    # -- internals ------------------------------------------------------

    def _mine(self, ann_id: str) -> Annotation:
        record = self.find(ann_id)
        if record is None:
            raise EditError("that annotation is gone")
        if record["annotator"] != self.annotator:
            raise EditError(f"that annotation belongs to {record['annotator']}")
        return record

    def _put(self, record: Annotation) -> None:
        self.records = [r for r in self.records if r["id"] != record["id"]] + [record]
        self.records.sort(key=lambda r: (r["start"], r["end"], r["id"]))

    def _push(self, step: Step) -> None:
        self.undo_stack.append(step)
        self.redo_stack.clear()

    def push_action(self, description: str, undo: Callable[[], None],
                    redo: Callable[[], None]) -> None:
        """Put a change made elsewhere (durably, by the caller) in the undo history."""
        self._push(Step("action", undo, redo, description))

    def _apply(self, step: Step, *, reverse: bool) -> None:
        if step.kind == "action":
            (step.before if reverse else step.after)()
        elif step.kind == "add":
            record = step.after
            if reverse:
                self.store.delete(self.article.id, record["id"])
                self.records = [r for r in self.records if r["id"] != record["id"]]
            else:
                self._put(self.store.restore(record))
        elif step.kind == "delete":
            record = step.before
            if reverse:
                self._put(self.store.restore(record))
            else:
                self.store.delete(self.article.id, record["id"])
                self.records = [r for r in self.records if r["id"] != record["id"]]
        else:
            values = dict(step.before if reverse else step.after)
            ann_id = values.pop("id")
            self._put(self.store.update(self.article.id, ann_id, text=self.article.text, **values))


def _step_id(step: Step) -> str | None:
    if step.kind == "action":
        return None
    record = step.after or step.before
    return record.get("id") if record else None
