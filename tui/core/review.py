"""Review: walk the places where annotators disagree and build a gold annotator.

An article's annotations (everyone's but gold's) are pooled into *versions*:
one per distinct (start, end, label), with who proposed it and their notes.
Versions that overlap (by one code point or more) form a *group*, one place in
the text to decide about. A group is *agreed* when every annotator who worked
on the article (annotated it or marked it done) proposed every version in it;
otherwise it is a *disagreement*.

Deciding: accepting a version (as it is, or edited: label, edges, note) adds it
to the gold annotator through the store, like any annotation. Rejecting one is
written to the review log (below), so it is not asked again. A disagreement is
settled when gold holds a span that matches one of its versions (same rule as
agreement's overlapping match, any label, so an edited version counts) or when
every version was rejected. Progress is the number of disagreements not
settled.

Where rejections live: an append-only JSON Lines log per gold annotator and
article, ``<store>/review/<gold>/<article>.jsonl``, beside the store and not in
it. A rejection is not an annotation: kept in the store, it would show up in
exports, counts and agreement. Appending never rewrites an earlier decision,
so a crash can only cut the last, unacknowledged line (skipped when read, and
a later append starts on a fresh line); each append is fsynced under an
exclusive lock on the log itself (never replaced, so safe to lock), so several
reviewers can work at once. One file per article keeps opening an article's
review independent of how much was reviewed elsewhere.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.matching import SpanIndex
from tui.core.record import new_annotation, now_iso
from tui.core.wording import plural

REVIEW_DIR = "review"
REJECTED, REOPENED = "rejected", "reopened"
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

Key = tuple[int, int, str]  # start, end, label


class ReviewError(Exception):
    """A decision that cannot be saved or applied; the message is one line."""


# -- what is reviewed -----------------------------------------------------------------------

@dataclass(frozen=True)
class Version:
    """One distinct (start, end, label) that one or more annotators proposed."""

    start: int
    end: int
    label: str
    quote: str
    by: tuple[str, ...]
    notes: tuple[tuple[str, str], ...] = ()  # (annotator, note), notes that are not empty

    @property
    def key(self) -> Key:
        return (self.start, self.end, self.label)

    def joined_note(self) -> str:
        """The note gold gets by default: the proposers' distinct notes."""
        return " / ".join(dict.fromkeys(note for _who, note in self.notes))


@dataclass
class Group:
    start: int
    end: int
    versions: list[Version]
    agreed: bool
    state: str = "open"  # open, accepted (gold holds a match), rejected (every version)


def group_versions(versions: Iterable[Version], worked: set[str]) -> list[Group]:
    """Overlapping versions together, in text order."""
    groups: list[Group] = []
    for version in sorted(versions, key=lambda v: (v.start, v.end, v.label)):
        if groups and version.start < groups[-1].end:
            groups[-1].versions.append(version)
            groups[-1].end = max(groups[-1].end, version.end)
        else:
            groups.append(Group(version.start, version.end, [version], agreed=False))
    for group in groups:
        group.agreed = all(set(v.by) >= worked for v in group.versions)
    return groups


# -- the review log -------------------------------------------------------------------------

def _stem(key: str) -> str:
    slug = _UNSAFE_NAME.sub("_", key).strip("._-")[:40].rstrip("._-") or "x"
    return f"{slug}-{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}"


class ReviewLog:
    """Rejections (and their undoing) for one gold annotator, one file per article."""

    def __init__(self, store_root: str | os.PathLike, gold: str) -> None:
        self.folder = Path(store_root) / REVIEW_DIR / _stem(gold)
        self.gold = gold

    def path(self, article_id: str) -> Path:
        return self.folder / f"{_stem(article_id)}.jsonl"

    def rejected(self, article_id: str) -> set[Key]:
        """The versions of an article whose last decision is a rejection."""
        state: dict[Key, str] = {}
        try:
            raw = self.path(article_id).read_bytes()
        except FileNotFoundError:
            return set()
        except OSError as err:
            raise ReviewError(f"cannot read the review log {self.path(article_id)}: "
                              f"{err.strerror or err}") from None
        for line in raw.splitlines():
            try:
                entry = json.loads(line)
                key = (int(entry["start"]), int(entry["end"]), str(entry["label"]))
                if entry.get("article_id") == article_id:
                    state[key] = entry["decision"]
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash: that decision was never acknowledged
        return {key for key, decision in state.items() if decision == REJECTED}

    def record(self, article_id: str, version: Version, decision: str, reviewer: str) -> None:
        """Append one decision, durably, before returning."""
        entry = {"article_id": article_id, "start": version.start, "end": version.end,
                 "label": version.label, "quote": version.quote, "decision": decision,
                 "gold": self.gold, "reviewer": reviewer, "at": now_iso()}
        line = json.dumps(entry, ensure_ascii=True, separators=(",", ":")).encode("ascii") + b"\n"
        path = self.path(article_id)
        try:
            created = not path.parent.is_dir()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = b"\n" + line  # after a torn line, start a fresh one
                os.write(fd, line)
                os.fsync(fd)
            finally:
                os.close(fd)
            folders = [path.parent] + ([path.parent.parent, path.parent.parent.parent]
                                       if created else [])
            for folder in folders:
                _fsync_dir(folder)
        except OSError as err:
            raise ReviewError(f"cannot save the review decision to {path}: "
                              f"{err.strerror or err}") from None


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- one article under review ---------------------------------------------------------------

@dataclass
class Step:
    """One decision, kept so it can be undone."""

    kind: str  # "accept", "reject"
    version: Version
    gold_ids: list[str] = field(default_factory=list)  # gold records this step created


class Review:
    """The review of one article: its groups, their state, and the decisions."""

    def __init__(self, store: Any, article: Any, gold: str, reviewer: str,
                 log: ReviewLog | None = None, done_by: Iterable[str] = ()) -> None:
        self.store = store
        self.article = article
        self.gold = gold
        self.reviewer = reviewer
        self.log = log or ReviewLog(store.root, gold)
        self.done_by = set(done_by)  # annotators who marked the article done
        self.groups: list[Group] = []
        self.gold_records: list[dict] = []
        self.annotators: list[str] = []
        self.orphans = 0
        self.rejected: set[Key] = set()
        self._pending: list[Version] = []
        self.undo_stack: list[Step] = []
        self.reload()

    @classmethod
    def open(cls, store: Any, article: Any, gold: str, reviewer: str) -> Review:
        done_by = {who for who, state in store.reading_states().items()
                   if article.id in state["done"] and who != gold}
        return cls(store, article, gold, reviewer, done_by=done_by)

    def reload(self) -> None:
        placed, orphans = self.store.anchored(self.article)
        self.orphans = len(orphans)
        self.gold_records = [r for r in placed if r["annotator"] == self.gold]
        pooled: dict[Key, list[dict]] = {}
        for record in placed:
            if record["annotator"] != self.gold:
                pooled.setdefault((record["start"], record["end"], record["label"]), []).append(record)
        versions = [
            Version(start, end, label, records[0]["quote"],
                    tuple(sorted({r["annotator"] for r in records})),
                    tuple(sorted((r["annotator"], r["note"]) for r in records if r["note"].strip())))
            for (start, end, label), records in pooled.items()
        ]
        worked = {who for v in versions for who in v.by} | self.done_by
        self.annotators = sorted(worked)
        self.rejected = self.log.rejected(self.article.id)
        self.groups = group_versions(versions, worked)
        gold = SpanIndex([(r["start"], r["end"]) for r in self.gold_records])
        for group in self.groups:
            if any(gold.any_overlapping((v.start, v.end)) for v in group.versions):
                group.state = "accepted"
            elif all(v.key in self.rejected for v in group.versions):
                group.state = "rejected"
            else:
                group.state = "open"
        # Kept, not computed on each call: the screen asks for it for every key it shows.
        in_gold = self.gold_keys()
        self._pending = [v for g in self.groups if g.agreed and g.state == "open"
                         for v in g.versions if v.key not in in_gold and v.key not in self.rejected]

    # -- what there is ------------------------------------------------------------------

    @property
    def disagreements(self) -> list[Group]:
        return [g for g in self.groups if not g.agreed]

    @property
    def agreed(self) -> list[Group]:
        return [g for g in self.groups if g.agreed]

    @property
    def remaining(self) -> int:
        return sum(1 for g in self.disagreements if g.state == "open")

    def agreed_pending(self) -> list[Version]:
        """Agreed versions not yet in gold, in groups nobody decided about."""
        return list(self._pending)

    def gold_keys(self) -> set[Key]:
        return {(r["start"], r["end"], r["label"]) for r in self.gold_records}

    def version_state(self, version: Version) -> str:
        """'gold' when gold holds exactly this version, 'rejected', or ''."""
        if version.key in self.gold_keys():
            return "gold"
        return "rejected" if version.key in self.rejected else ""

    def summary(self) -> str:
        total = len(self.disagreements)
        parts = [f"{self.remaining} of {total} disagreements left" if total else "no disagreements"]
        agreed = sum(len(g.versions) for g in self.agreed)
        pending = len(self.agreed_pending())
        if agreed:
            parts.append(f"{plural(agreed, 'agreed span')} ({pending} not yet in {self.gold})"
                         if pending else f"{plural(agreed, 'agreed span')}, all decided")
        parts.append(f"{self.gold} holds {len(self.gold_records)}")
        if len(self.annotators) < 2:
            who = self.annotators[0] if self.annotators else "nobody"
            parts.append(f"only {who} worked on it: nothing to compare")
        if self.orphans:
            parts.append(f"{self.orphans} orphaned annotations left out")
        return " · ".join(parts)

    # -- deciding -----------------------------------------------------------------------

    def accept(self, version: Version, *, start: int | None = None, end: int | None = None,
               label: str | None = None, note: str | None = None) -> dict:
        """Add the version, edited as given, to gold; returns the gold record."""
        article = self.article
        start = version.start if start is None else start
        end = version.end if end is None else end
        note = version.joined_note() if note is None else note
        try:
            candidate = new_annotation(article_id=article.id, text=article.text,
                                       article_sha256=article.sha256, start=start, end=end,
                                       label=label or version.label, annotator=self.gold,
                                       note=note)
        except ValueError as err:
            raise ReviewError(str(err)) from None
        existing = {(r["start"], r["end"], r["label"]): r for r in self.gold_records}
        before = existing.get((start, end, candidate["label"]))
        saved = self.store.add(candidate, text=article.text)
        if saved["note"] != note:
            saved = self.store.update(article.id, saved["id"], note=note)
        self.undo_stack.append(Step("accept", version, [] if before else [saved["id"]]))
        self.reload()
        return saved

    def reject(self, version: Version) -> None:
        self.log.record(self.article.id, version, REJECTED, self.reviewer)
        self.undo_stack.append(Step("reject", version))
        self.reload()

    def accept_agreed(self) -> int:
        """Every agreed version not yet decided, into gold; how many were added."""
        pending = self.agreed_pending()
        created: list[str] = []
        for version in pending:
            record = new_annotation(article_id=self.article.id, text=self.article.text,
                                    article_sha256=self.article.sha256, start=version.start,
                                    end=version.end, label=version.label, annotator=self.gold,
                                    note=version.joined_note())
            created.append(self.store.add(record, text=self.article.text)["id"])
        if created:
            self.undo_stack.append(Step("accept", pending[0], created))
        self.reload()
        return len(created)

    def undo(self) -> Step | None:
        """Take back the last decision of this session; None when there is none."""
        if not self.undo_stack:
            return None
        step = self.undo_stack.pop()
        if step.kind == "reject":
            self.log.record(self.article.id, step.version, REOPENED, self.reviewer)
        else:
            for ann_id in step.gold_ids:
                with contextlib.suppress(Exception):
                    self.store.delete(self.article.id, ann_id)
        self.reload()
        return step


def articles_to_review(store: Any, corpus: Any, gold: str) -> list[str]:
    """Articles of the corpus, in its order, that two or more annotators (not gold) worked on."""
    worked: dict[str, set[str]] = {}
    for article_id, per in store.counts().items():
        worked[article_id] = {who for who in per if who != gold}
    for who, state in store.reading_states().items():
        if who != gold:
            for article_id in state["done"]:
                worked.setdefault(article_id, set()).add(who)
    return [a.id for a in corpus.articles if len(worked.get(a.id, ())) >= 2]
