"""Editing one article's annotations, with undo and redo.

Every change goes through the store and is on disk before a method returns;
undo and redo are changes like any other (they go through the store too).
Records of other annotators are never changed here: an annotator can only
delete, relabel or annotate their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.corpus import Article
from tui.core.record import new_annotation


class EditError(Exception):
    """An edit that cannot be made (not your annotation, empty selection, ...)."""


@dataclass
class Step:
    kind: str  # "add", "delete", "update"
    before: dict | None
    after: dict | None
    description: str


@dataclass
class Editor:
    store: object
    article: Article
    annotator: str
    records: list[dict] = field(default_factory=list)
    orphans: list[dict] = field(default_factory=list)
    undo_stack: list[Step] = field(default_factory=list)
    redo_stack: list[Step] = field(default_factory=list)

    def reload(self) -> None:
        placed, orphans = self.store.anchored(self.article)
        self.records = sorted(placed, key=lambda r: (r["start"], r["end"], r["id"]))
        self.orphans = list(orphans)

    # -- queries --------------------------------------------------------

    def visible(self, show_all: bool) -> list[dict]:
        if show_all:
            return self.records
        return [r for r in self.records if r["annotator"] == self.annotator]

    def at(self, offset: int, show_all: bool, *, mine_only: bool = False) -> list[dict]:
        """Annotations containing ``offset``, innermost (shortest) first."""
        found = [r for r in self.visible(show_all) if r["start"] <= offset < r["end"]]
        if mine_only:
            found = [r for r in found if r["annotator"] == self.annotator]
        return sorted(found, key=lambda r: (r["end"] - r["start"], r["start"]))

    def find(self, ann_id: str) -> dict | None:
        return next((r for r in self.records if r["id"] == ann_id), None)

    # -- changes --------------------------------------------------------

    def add(self, start: int, end: int, label: str, note: str = "") -> tuple[dict, bool]:
        """Annotate ``[start, end)``; returns the record and whether it is new."""
        if end <= start:
            raise EditError("select some text first")
        for record in self.records:
            if (record["start"], record["end"], record["label"], record["annotator"]) == (
                    start, end, label, self.annotator):
                return record, False
        record = new_annotation(
            article_id=self.article.id, text=self.article.text,
            article_sha256=self.article.sha256, start=start, end=end, label=label,
            annotator=self.annotator, note=note,
        )
        stored = self.store.add(record)
        created = stored["id"] == record["id"]
        self._put(stored)
        if created:
            self._push(Step("add", None, stored, f"add {label}"))
        return stored, created

    def delete(self, ann_id: str) -> dict:
        record = self._mine(ann_id)
        removed = self.store.delete(self.article.id, ann_id)
        self.records = [r for r in self.records if r["id"] != ann_id]
        self._push(Step("delete", removed or record, None, f"delete {record['label']}"))
        return removed or record

    def update(self, ann_id: str, *, joined: bool = False, **changes: object) -> dict:
        """Change my annotation ``ann_id``; ``joined`` makes it part of the last step
        when that step was about the same annotation (a note asked for by its label
        is one step with the label), so one undo takes both back."""
        record = self._mine(ann_id)
        before = {key: record[key] for key in changes}
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

    def _mine(self, ann_id: str) -> dict:
        record = self.find(ann_id)
        if record is None:
            raise EditError("that annotation is gone")
        if record["annotator"] != self.annotator:
            raise EditError(f"that annotation belongs to {record['annotator']}")
        return record

    def _put(self, record: dict) -> None:
        self.records = [r for r in self.records if r["id"] != record["id"]] + [record]
        self.records.sort(key=lambda r: (r["start"], r["end"], r["id"]))

    def _push(self, step: Step) -> None:
        self.undo_stack.append(step)
        self.redo_stack.clear()

    def _apply(self, step: Step, *, reverse: bool) -> None:
        if step.kind == "add":
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
    record = step.after or step.before
    return record.get("id") if record else None
