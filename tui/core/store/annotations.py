"""The annotation store over TinyDB files: durable, crash-safe, shared by several processes.

Contract (the app, the CLI and the formats rely on exactly this):

    store = Store(root, readonly=False)   # root: the store folder; created unless readonly
    Store.existing(root)                   # read-only, NoStoreError when there is no folder
    store.add(record) -> Annotation        # durable before it returns; validates with
                                           # tui.core.record.problems(); a record with the same
                                           # (article_id, start, end, label, annotator) as an
                                           # existing one is not duplicated: the existing one is returned
    store.add_many(records) -> int         # bulk path for import: batched per article,
                                           # skips ids already present, returns how many were added
    store.update(article_id, ann_id, **changes) -> Annotation   # label/note/start/end/...; sets updated_at
    store.delete(article_id, ann_id) -> Annotation              # returns the deleted record (for undo)
    store.restore(record) -> Annotation    # puts a deleted record back with its id (for undo)
    store.get(article_id, ann_id) -> Annotation | None
    store.for_article(article_id) -> list[Annotation]           # sorted by start, end, id
    store.anchored(article) -> (placed, orphans)
                                           # for a tui.core.corpus.Article: records whose
                                           # article_sha256 differs are re-anchored (and the move
                                           # persisted); those that cannot be placed are orphans
    store.iter_all() -> Iterator[Annotation]  # every record, sorted by article, start, end, id
    store.article_ids() -> list[str]
    store.counts(skip_damaged=False) -> dict[str, dict[str, int]]   # article -> annotator -> count
    store.reading_state(annotator) -> ReadingState  # {"last_article", "positions", "done"}
    store.reading_states() -> dict[str, ReadingState]
    store.set_position(annotator, article_id, offset) -> None
    store.set_done(annotator, article_id, done: bool) -> None
    store.compact(article_id) -> None      # fold the article's journal into its TinyDB base now

Errors: tui.core.store.errors.StoreError (one-line message), DamagedStoreError.

Layout of a store folder::

    articles/<stem>.json              one TinyDB file per article (table "annotations"), checksummed
    articles/<stem>.json.journal.<g>  changes since that file was written (see article_files)
    articles/<stem>.json.prev         the article file before the last compaction
    articles/manifest.log             every article the store has written (see manifest)
    readers/<stem>.json               one TinyDB file per annotator (table "state"), checksummed
    <file>.lock / .tmp                lock sidecar, a replacement in progress
    summary.cache                     per-article counts for the library (a cache)

Why it is built this way (stock TinyDB rewrites its file in place, caches ids
per process and rules out several processes):

* A save appends one checksummed line to its article's journal and fsyncs it,
  under the article's sidecar ``flock``: its cost depends neither on the store's
  size nor on the article's. The journal is folded into the TinyDB file (temp
  file, fsync, ``os.replace``, fsync of the folder) once it passes half that
  file's size, so the TinyDB file is never far behind and reading stays fast.
* Every read-modify-write holds the article's lock and first reads what other
  processes appended since; plain reads take no lock (a replaced file is
  always whole, a journal line is used only when whole).
* Every file carries checksums: a changed byte is reported, never used.
  ``redline check --repair`` rebuilds a damaged or lost file from ``.prev``
  and the journals, and says what it restored from where.
* File names are a readable slug plus a hash of the id: they never leave the
  folder, never start with a dot or dash, and never collide.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from tui.core.anchoring import reanchor
from tui.core.record import FIELDS, SCHEMA_VERSION, Annotation, context, now_iso, ordered, problems
from tui.core.store import article_files, files
from tui.core.store.article_files import (
    ANNOTATIONS,
    ArticlePaths,
    ArticleState,
    Compaction,
    delete_entry,
    dup_key,
    put_entry,
)
from tui.core.store.errors import (
    DamagedStoreError,
    InvalidRecordError,
    MissingRecordError,
    NoStoreError,
    ReadOnlyStoreError,
    StoreError,
)
from tui.core.store.fileformat import file_stem
from tui.core.store.manifest import Manifest
from tui.core.store.reading_state import ReadingState, ReadingStates
from tui.core.store.summary import Summary

ARTICLES_DIR = "articles"
READERS_DIR = "readers"
# Files locked at once by add_many; more articles than this are written in batches.
BATCH_ARTICLES = 256
# Parsed articles a process keeps (the one being read and written, and a few more).
CACHE_ARTICLES = 16
CACHE_RECORDS = 60_000
# Fields an update may not change: they are the record's identity.
_FIXED = frozenset({"id", "article_id", "created_at", "schema_version"})


class ArticleLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def sha256(self) -> str: ...


class Store:
    def __init__(self, root: str | os.PathLike[str], readonly: bool = False) -> None:
        self.root = Path(root)
        self.readonly = readonly
        self.articles_dir = self.root / ARTICLES_DIR
        self.readers_dir = self.root / READERS_DIR
        self.readers = ReadingStates(self.readers_dir)
        self.manifest = Manifest(self.articles_dir)
        self.summary = Summary(self.root, readonly)
        self._states: OrderedDict[str, ArticleState] = OrderedDict()
        # Parsed articles are updated in place: one thread at a time (the app saves from its
        # main thread, but a worker may read).
        self._mutex = threading.RLock()
        # Damaged files met by counts(skip_damaged=True), for the library to show.
        self.damaged: list[DamagedStoreError] = []
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"{self.root}: the store must be a folder, and this is a file")
        if not readonly:
            try:
                files.make_dirs(self.articles_dir)
                files.make_dirs(self.readers_dir)
            except OSError as err:
                raise StoreError(f"cannot use {self.root} as the store: "
                                 f"{files.describe_os_error(err)}") from None

    @classmethod
    def existing(cls, root: str | os.PathLike[str]) -> Store:
        """The store at ``root`` for reading; NoStoreError naming the folder when there is none."""
        path = Path(root)
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: the store must be a folder, and this is a file")
        if not path.is_dir():
            raise NoStoreError(f"no annotation store at {path} (give the store folder with "
                               "--store DIR)")
        return cls(path, readonly=True)

    # -- files -----------------------------------------------------------------------------

    def paths(self, article_id: str) -> ArticlePaths:
        return ArticlePaths(self.articles_dir, file_stem(article_id))

    def path_for(self, article_id: str) -> Path:
        return self.paths(article_id).base

    def reader_path(self, annotator: str) -> Path:
        return self.readers.path_for(annotator)

    @property
    def repair_hint(self) -> str:
        return f"run: redline check --repair --store {shlex.quote(str(self.root))}"

    def hinted(self, err: DamagedStoreError, article_id: str | None = None) -> DamagedStoreError:
        """The same damage, saying how to repair it (and whose file it is, when known)."""
        hint = err.hint or self.repair_hint
        return DamagedStoreError(err.path, err.detail, hint, article_id=err.article_id or article_id,
                                 missing=err.missing)

    def _check_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyStoreError(f"{self.root}: the store was opened read-only")

    def leftovers(self) -> list[Path]:
        """Temp files of replacements that were interrupted (a killed process): harmless."""
        found: list[Path] = []
        for folder in (self.articles_dir, self.readers_dir):
            with contextlib.suppress(FileNotFoundError):
                found += sorted(p for p in folder.iterdir() if p.name.endswith(files.TMP_SUFFIX))
        return found

    # -- parsed articles -------------------------------------------------------------------

    def _state(self, article_id: str) -> ArticleState:
        """The article's state, brought up to date (only new journal bytes are read)."""
        paths = self.paths(article_id)
        cached = self._states.pop(paths.stem, None)
        try:
            state = self._checked(article_files.load(paths, article_id, cached))
        except DamagedStoreError as err:
            raise self.hinted(err) from None
        self._states[paths.stem] = state
        total = sum(len(s.records) for s in self._states.values())
        while len(self._states) > 1 and (len(self._states) > CACHE_ARTICLES or total > CACHE_RECORDS):
            _stem, dropped = self._states.popitem(last=False)
            total -= len(dropped.records)
        return state

    def _state_of_stem(self, stem: str, owner: str | None) -> ArticleState:
        """For listings: the cached state when there is one, else a read that is not kept."""
        cached = self._states.pop(stem, None)
        try:
            state = self._checked(article_files.load(ArticlePaths(self.articles_dir, stem), None, cached))
        except DamagedStoreError as err:
            if owner is None and err.article_id is None:
                with contextlib.suppress(OSError):
                    self.manifest.refresh()
                owner = self.manifest.articles.get(stem)
            raise self.hinted(err, owner) from None
        if cached is not None:
            self._states[stem] = state
        return state

    def forget(self, stem: str) -> None:
        """Drop what this process knows of an article (its files were rewritten behind it)."""
        self._states.pop(stem, None)

    def _checked(self, state: ArticleState) -> ArticleState:
        """The state, unless it is a journal whose base was written and is now gone."""
        if not state.from_base and state.seq > 0:
            # Rare (a new article between its first journal line and its first base): ask the
            # list of articles whether that base was written.
            with contextlib.suppress(OSError):
                self.manifest.refresh()
            if state.paths.stem in self.manifest.articles:
                raise DamagedStoreError(str(state.paths.base), "deleted or moved; its journal is still "
                                        "there", article_id=state.owner, missing=True)
        return state

    @contextlib.contextmanager
    def _writing(self, article_id: str) -> Iterator[ArticleState]:
        """The article's state, locked and up to date, for one change."""
        self._check_writable()
        paths = self.paths(article_id)
        with self._mutex, files.locked(paths.base):
            state = self._state(article_id)
            try:
                yield state
            except BaseException:
                self._states.pop(paths.stem, None)  # the files are the truth: read them again
                raise

    # -- reading ---------------------------------------------------------------------------

    def for_article(self, article_id: str) -> list[Annotation]:
        with self._mutex:
            return [record.copy() for record in self._state(article_id).ordered_records()]

    def get(self, article_id: str, ann_id: str) -> Annotation | None:
        with self._mutex:
            found = self._state(article_id).records.get(ann_id)
            return found.copy() if found is not None else None

    def _listing(self, damaged: list[DamagedStoreError] | None) -> dict[str, tuple[str, dict[str, int]]]:
        with self._mutex:
            entries = self.summary.current(self.articles_dir, self._state_of_stem, damaged)
        return {stem: (entry.owner, entry.counts) for stem, entry in entries.items()
                if entry.owner is not None}

    def iter_all(self) -> Iterator[Annotation]:
        listing = self._listing(None)
        for _owner, stem in sorted((owner, stem) for stem, (owner, counts) in listing.items() if counts):
            with self._mutex:
                state = self._state_of_stem(stem, _owner)
                records = sorted(state.records.values(),
                                 key=lambda r: (r["article_id"], r["start"], r["end"], r["id"]))
            for record in records:
                yield record.copy()

    def counts(self, skip_damaged: bool = False) -> dict[str, dict[str, int]]:
        """article id -> annotator -> number of annotations (articles with none left out).

        Cheap enough for a library of 10,000 articles: a folder listing and a ``stat``
        or two per article; only articles changed since the last call (or since the
        cached summary on disk) are read. With ``skip_damaged``, damaged articles are
        left out and listed in ``self.damaged``.
        """
        damaged: list[DamagedStoreError] | None = [] if skip_damaged else None
        listing = self._listing(damaged)
        self.damaged = damaged or []
        return {owner: dict(counts) for owner, counts in listing.values() if counts}

    def article_ids(self) -> list[str]:
        return sorted(self.counts())

    # -- writing ---------------------------------------------------------------------------

    @staticmethod
    def _valid(record: Any, text: str | None = None) -> Annotation:
        if not isinstance(record, dict):
            raise InvalidRecordError("an annotation must be a JSON object")
        clean = ordered(record)
        found = problems(clean, text)
        if found:
            raise InvalidRecordError(f"annotation {clean.get('id', '?')}: {'; '.join(found)}")
        if clean["schema_version"] > SCHEMA_VERSION:
            raise InvalidRecordError(
                f"annotation {clean['id']}: schema version {clean['schema_version']} is newer than "
                f"this redline understands ({SCHEMA_VERSION}); upgrade redline")
        return clean

    def _save(self, state: ArticleState, entries: list[dict[str, Any]]) -> None:
        """Append the changes durably; compact when the journal has grown. All or nothing."""
        old_size, created = article_files.append(state, entries)
        done: Compaction | None = None
        try:
            if created and state.from_base:  # else the compaction below fsyncs the folder
                self._fsync_articles(state.paths.base)
            if article_files.wants_compaction(state):
                done = article_files.prepare_compaction(state)
                done.pending.commit()
        except BaseException:
            if done is not None:
                done.pending.discard()
            article_files.undo_append(state, old_size)
            raise
        if done is not None:
            self._finish([done])

    def _fsync_articles(self, shown: Path) -> None:
        try:
            files.fsync_dir(self.articles_dir)
        except OSError as err:
            raise files.save_error(shown, err) from None

    def _finish(self, compactions: list[Compaction]) -> None:
        """After new bases are in place: make the renames durable, then tidy up."""
        if compactions:
            self._fsync_articles(compactions[0].state.paths.base)
        for done in compactions:
            article_files.finish_compaction(done)
        unlisted = {done.state.paths.stem: done.state.owner for done in compactions
                    if done.state.owner is not None and done.state.paths.stem not in self.manifest.articles}
        if unlisted:
            # Only a cross-check for lost files: the saves themselves are complete.
            with contextlib.suppress(StoreError, OSError):
                self.manifest.ensure(unlisted)

    def add(self, record: Annotation | dict[str, Any], *, text: str | None = None) -> Annotation:
        """Save one annotation durably; the existing one when it is a duplicate.

        With ``text`` (the article's text), offsets and quote are checked against it.
        """
        clean = self._valid(record, text)
        with self._writing(clean["article_id"]) as state:
            existing = state.records.get(clean["id"]) or state.duplicate_of(clean)
            if existing is not None:
                return existing.copy()
            self._save(state, [put_entry(clean)])
        return clean.copy()

    def restore(self, record: Annotation) -> Annotation:
        """Put a deleted record back with its id (undo of a delete)."""
        return self.add(record)

    def add_many(self, records: Iterable[Annotation | dict[str, Any]], *, checked: bool = False) -> int:
        """Import: validate everything first, then write each article once.

        Nothing is written when any record is invalid. Up to BATCH_ARTICLES articles
        are written all or nothing (every journal is appended and every new base
        fsynced before any base is replaced; a failure cuts the journals back); ids
        already present and duplicates are skipped, so running the same import again
        adds nothing. ``checked=True`` is for callers that have already run every
        record through ``tui.core.record.problems`` (and against its text):
        validating 100,000 records twice is a third of an import's time.
        """
        self._check_writable()
        groups: dict[str, list[Annotation]] = {}
        errors: list[str] = []
        for number, record in enumerate(records, start=1):
            if checked:  # already canonical records, fields in order
                groups.setdefault(record["article_id"], []).append(record)  # type: ignore[arg-type]
                continue
            try:
                clean = self._valid(record)
            except InvalidRecordError as err:
                errors.append(f"record {number}: {err}")
                continue
            groups.setdefault(clean["article_id"], []).append(clean)
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise InvalidRecordError(f"nothing imported: {errors[0]}{more}")
        added = 0
        article_ids = sorted(groups)
        for at in range(0, len(article_ids), BATCH_ARTICLES):
            added += self._add_batch({aid: groups[aid] for aid in article_ids[at:at + BATCH_ARTICLES]})
        return added

    def _add_batch(self, groups: dict[str, list[Annotation]]) -> int:
        paths = {article_id: self.paths(article_id) for article_id in groups}
        appended: list[tuple[ArticleState, int]] = []
        compactions: list[Compaction] = []
        added = 0
        with files.locked_many([p.base for p in paths.values()]):
            try:
                created = False
                for article_id, records in groups.items():
                    state = self._state(article_id)
                    new: list[dict[str, Any]] = []
                    ids: set[str] = set()
                    keys: set[tuple[str, int, int, str, str]] = set()
                    for record in records:
                        key = dup_key(record)
                        if record["id"] in state.records or record["id"] in ids or key in keys \
                                or state.duplicate_of(record) is not None:
                            continue
                        ids.add(record["id"])
                        keys.add(key)
                        new.append(put_entry(record))
                    if new:
                        old_size, made = article_files.append(state, new)
                        appended.append((state, old_size))
                        created = created or (made and state.from_base)
                        added += len(new)
                if created:
                    self._fsync_articles(next(iter(paths.values())).base)
                for state, _size in appended:
                    if article_files.wants_compaction(state):
                        compactions.append(article_files.prepare_compaction(state))
                for done in compactions:
                    done.pending.commit()
            except BaseException:
                for done in compactions:
                    done.pending.discard()
                for state, old_size in appended:
                    article_files.undo_append(state, old_size)
                for article_path in paths.values():
                    self._states.pop(article_path.stem, None)
                raise
            self._finish(compactions)
        return added

    def update(self, article_id: str, ann_id: str, *, text: str | None = None,
               **changes: Any) -> Annotation:
        """Change fields of one annotation; returns the record as stored.

        ``updated_at`` may be given (the moment of the edit): an edit older than the
        stored version loses to it (last writer by timestamp wins). Changing
        ``start``/``end`` with ``text`` recomputes quote, prefix and suffix.
        """
        fixed = _FIXED & changes.keys()
        unknown = changes.keys() - set(FIELDS)
        if fixed or unknown:
            raise InvalidRecordError(f"annotation {ann_id}: cannot change {', '.join(sorted(fixed | unknown))}")
        stamp = changes.pop("updated_at", None)
        with self._writing(article_id) as state:
            found = state.records.get(ann_id)
            if found is None:
                raise MissingRecordError(
                    f"annotation {ann_id} is no longer in the store (deleted in another session?)")
            current = found.copy()
            if stamp is not None and stamp < current["updated_at"]:
                return current  # a later edit already won
            merged: Annotation = {**current, **changes}  # type: ignore[typeddict-item]
            if text is not None and ("start" in changes or "end" in changes) and "quote" not in changes:
                start, end = merged["start"], merged["end"]
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                    merged["quote"] = text[start:end]
                    merged["prefix"], merged["suffix"] = context(text, start, end)
            merged["updated_at"] = stamp or _later_than(current["updated_at"])
            found_problems = problems(merged, text)
            if found_problems:
                raise InvalidRecordError(f"annotation {ann_id}: {'; '.join(found_problems)}")
            if merged != current:
                self._save(state, [put_entry(merged)])
            return merged.copy()

    def delete(self, article_id: str, ann_id: str) -> Annotation:
        with self._writing(article_id) as state:
            found = state.records.get(ann_id)
            if found is None:
                raise MissingRecordError(
                    f"annotation {ann_id} is no longer in the store (deleted in another session?)")
            removed = found.copy()
            self._save(state, [delete_entry(ann_id)])
            return removed

    def compact(self, article_id: str) -> None:
        """Fold the article's journal into its TinyDB file now."""
        with self._writing(article_id) as state:
            if state.from_base and state.checked and (state.seq <= 0 or state.journal_end == state.folded):
                return  # nothing to fold
            done = article_files.prepare_compaction(state)
            try:
                done.pending.commit()
            except BaseException:
                done.pending.discard()
                raise
            self._finish([done])

    def anchored(self, article: ArticleLike) -> tuple[list[Annotation], list[Annotation]]:
        """(placed, orphans) for an article; moves of re-anchored records are saved."""
        placed: list[Annotation] = []
        orphans: list[Annotation] = []
        moves: dict[str, tuple[Annotation, Annotation]] = {}
        now = now_iso()
        for record in self.for_article(article.id):
            result = reanchor(record, article.text, article.sha256, now=now)
            if result is None:
                orphans.append(record)
                continue
            moved, placement = result
            placed.append(moved)
            if placement.method != "unchanged":
                moves[record["id"]] = (record, moved)
        if moves and not self.readonly:
            # Showing the article matters more than saving the move: it is recomputed next time.
            with contextlib.suppress(StoreError):
                self._save_moves(article.id, moves)
        return placed, orphans

    def _save_moves(self, article_id: str, moves: dict[str, tuple[Annotation, Annotation]]) -> None:
        with self._writing(article_id) as state:
            # Only records nobody changed meanwhile.
            entries = [put_entry(after) for ann_id, (before, after) in moves.items()
                       if state.records.get(ann_id) == before]
            if entries:
                self._save(state, entries)

    # -- reading state ---------------------------------------------------------------------

    def _readers(self, call: Callable[[], Any]) -> Any:
        try:
            return call()
        except DamagedStoreError as err:
            raise self.hinted(err) from None

    def reading_state(self, annotator: str) -> ReadingState:
        state: ReadingState = self._readers(lambda: self.readers.get(annotator))
        return state

    def reading_states(self) -> dict[str, ReadingState]:
        """annotator -> reading state, for every annotator with a state file."""
        states: dict[str, ReadingState] = self._readers(self.readers.all)
        return states

    def set_position(self, annotator: str, article_id: str, offset: int) -> None:
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise InvalidRecordError(f"position must be a non-negative integer, not {offset!r}")

        def change(state: ReadingState) -> None:
            state["last_article"] = article_id
            state["positions"][article_id] = offset

        self._check_writable()
        self._readers(lambda: self.readers.change(annotator, change))

    def set_done(self, annotator: str, article_id: str, done: bool) -> None:
        def change(state: ReadingState) -> None:
            marks = [a for a in state["done"] if a != article_id]
            if done:
                marks.append(article_id)
            state["done"] = sorted(marks)

        self._check_writable()
        self._readers(lambda: self.readers.change(annotator, change))


def _later_than(stamp: str) -> str:
    """Now, or just after ``stamp`` if the clock says otherwise: an edit always sorts last."""
    now = now_iso()
    if now > stamp:
        return now
    try:
        moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except ValueError:
        return now
    return (moment + timedelta(microseconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


__all__ = ["ANNOTATIONS", "ARTICLES_DIR", "READERS_DIR", "ArticleLike", "Store", "dup_key"]
