"""The annotation store over TinyDB: durable, crash-safe, shared by several processes.

Contract (the app, the CLI and the formats rely on exactly this):

    store = Store(root, readonly=False)   # root: the store folder; created unless readonly
    store.add(record) -> dict              # durable before it returns; validates with
                                           # tui.core.record.problems(); a record with the same
                                           # (article_id, start, end, label, annotator) as an
                                           # existing one is not duplicated: the existing one is returned
    store.add_many(records) -> int         # bulk path for import: batched per article,
                                           # skips ids already present, returns how many were added
    store.update(article_id, ann_id, **changes) -> dict   # label/note/start/end/...; sets updated_at
    store.delete(article_id, ann_id) -> dict              # returns the deleted record (for undo)
    store.restore(record) -> dict          # puts a deleted record back with its id (for undo)
    store.get(article_id, ann_id) -> dict | None
    store.for_article(article_id) -> list[dict]           # sorted by start, end, id
    store.anchored(article) -> tuple[list[dict], list[dict]]
                                           # (placed, orphans) for a tui.core.corpus.Article: records
                                           # whose article_sha256 differs are re-anchored (and the
                                           # move persisted); those that cannot be placed are orphans
    store.iter_all() -> Iterator[dict]     # every record, sorted by article, start, end, id
    store.article_ids() -> list[str]
    store.counts() -> dict[str, dict[str, int]]           # article_id -> annotator -> count
    store.reading_state(annotator) -> dict # {"last_article": str|None, "positions": {id: offset},
                                           #  "done": [ids]}
    store.set_position(annotator, article_id, offset) -> None
    store.set_done(annotator, article_id, done: bool) -> None

Errors: tui.core.store.errors.StoreError (one-line message), DamagedStoreError.

Layout of a store folder::

    articles/<slug>-<hash>.json     one TinyDB file per article (table "annotations")
    readers/<slug>-<hash>.json      one TinyDB file per annotator (table "state")
    <file>.lock / .prev / .tmp      lock sidecar, previous good version, a save in progress
    summary-cache.json              per-file counts keyed by inode, size and mtime (a cache)

Why it is built this way (stock TinyDB rewrites its file in place, caches ids
per process and rules out several processes):

* Every change goes through ``tui.core.store.files``: temp file, fsync, ``os.replace``,
  fsync of the folder; the old version stays as ``.prev``.
* Every read-modify-write holds the file's sidecar ``flock`` and opens a fresh
  TinyDB on the file, so it sees every other process's latest write. Plain reads
  take no lock: a replaced file is always whole.
* One file per article keeps a save's cost independent of the store's size. File
  names are a readable slug plus a hash of the id: they never leave the folder,
  never start with a dot or dash, and never collide.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shlex
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from tui.core.anchoring import reanchor
from tui.core.record import FIELDS, SCHEMA_VERSION, context, now_iso, ordered, problems
from tui.core.store.errors import (
    DamagedStoreError,
    InvalidRecordError,
    MissingRecordError,
    ReadOnlyStoreError,
    StoreError,
)
from tui.core.store.files import (
    PREV_SUFFIX,
    Pending,
    atomic_write,
    commit_all,
    describe_os_error,
    locked,
    locked_many,
)

ANNOTATIONS = "annotations"
STATE = "state"
META = "_meta"
FILE_FORMAT = 1
ARTICLES_DIR = "articles"
READERS_DIR = "readers"
SUMMARY_CACHE = "summary-cache.json"
# Files locked at once by add_many; more articles than this are written in batches.
BATCH_ARTICLES = 256
# Below this many freshly parsed files, the summary cache is not worth rewriting.
CACHE_WRITE_THRESHOLD = 20

_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Fields an update may not change: they are the record's identity.
_FIXED = frozenset({"id", "article_id", "created_at", "schema_version"})


def file_stem(key: str) -> str:
    """A safe, readable, collision-free file name stem for an article id or annotator."""
    slug = _SLUG_UNSAFE.sub("_", key).strip("._-")[:40].rstrip("._-") or "x"
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{slug}-{digest}"


def dup_key(record: dict) -> tuple:
    """Two records with this key are one annotation (the duplicate rule)."""
    return (record["article_id"], record["start"], record["end"], record["label"], record["annotator"])


def _encode(data: dict) -> bytes:
    # ASCII-only JSON: portable, and lone surrogates from odd input cannot break the encoding.
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def recovery_hint(path: Path) -> str:
    prev = path.with_name(path.name + PREV_SUFFIX)
    try:
        _parse(prev.read_bytes(), prev)
        return f"restore the previous version with: cp {shlex.quote(str(prev))} {shlex.quote(str(path))}"
    except (OSError, DamagedStoreError):
        return (f"repair it by hand, or move it aside with: mv {shlex.quote(str(path))} "
                f"{shlex.quote(str(path) + '.damaged')} (its annotations are then missing)")


def _parse(raw: bytes, path: Path) -> dict:
    """The tables of a store file; DamagedStoreError when it is not one."""
    def damaged(detail: str) -> DamagedStoreError:
        return DamagedStoreError(str(path), detail)

    if not raw.strip():
        raise damaged("the file is empty")
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise damaged(f"not JSON: {err}") from None
    except RecursionError:
        raise damaged("not a store file (nested too deeply)") from None
    if not isinstance(data, dict):
        raise damaged("not a store file (top level is not an object)")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise damaged(f"not a store file (table {name!r} is not a table of objects)")
    return data


def load_tables(path: Path) -> dict | None:
    """The parsed file, None when it does not exist. Damage is raised with a recovery hint."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StoreError(f"cannot read {path}: {describe_os_error(err)}") from None
    try:
        return _parse(raw, path)
    except DamagedStoreError as err:
        raise DamagedStoreError(err.path, err.detail, recovery_hint(path)) from None


def _meta_of(data: dict) -> dict:
    docs = list(data.get(META, {}).values())
    return docs[0] if docs else {}


class DurableStorage(Storage):
    """A TinyDB storage that never writes in place.

    ``read`` parses the file once per instance (an instance lives for one
    operation, under the file's lock when it writes, so this is never stale);
    ``write`` replaces the file durably through ``tui.core.store.files``. With
    ``pending`` set, ``write`` only prepares the new version (fsynced beside
    the file) and the caller commits several files together.
    """

    def __init__(self, path: str | os.PathLike, *, owner: str, kind: str,
                 readonly: bool = False) -> None:
        self.path = Path(path)
        self.owner = owner  # the article id or annotator the file belongs to
        self.kind = kind
        self.readonly = readonly
        self.pending: dict[Path, Pending] | None = None
        self._data: dict | None = None
        self._loaded = False

    def read(self) -> dict | None:
        if not self._loaded:
            self._data = load_tables(self.path)
            self._loaded = True
            if self._data is not None:
                owner = _meta_of(self._data).get("owner")
                if owner is not None and owner != self.owner:
                    raise DamagedStoreError(
                        str(self.path), f"it belongs to {owner!r}, not {self.owner!r}",
                        "move it aside: it is not where the store expects it")
        return self._data

    def write(self, data: dict) -> None:
        if self.readonly:
            raise ReadOnlyStoreError(f"{self.path}: the store was opened read-only")
        data.setdefault(META, {"1": {"owner": self.owner, "kind": self.kind, "format": FILE_FORMAT}})
        payload = _encode(data)
        try:
            if self.pending is not None:
                old = self.pending.pop(self.path, None)
                if old is not None:
                    old.discard()
                self.pending[self.path] = Pending(self.path).write(payload)
            else:
                atomic_write(self.path, payload)
        except BaseException:
            # TinyDB changed the parsed data in place: forget it, the file is the truth.
            self._data, self._loaded = None, False
            raise
        self._data, self._loaded = data, True

    def close(self) -> None:
        pass


class Store:
    def __init__(self, root: str | os.PathLike, readonly: bool = False) -> None:
        self.root = Path(root)
        self.readonly = readonly
        self.articles_dir = self.root / ARTICLES_DIR
        self.readers_dir = self.root / READERS_DIR
        self._summaries: dict[str, tuple[tuple, str, dict[str, int]]] = {}
        self._summaries_loaded = False
        # Damaged files met by counts(skip_damaged=True), for the library to show.
        self.damaged: list[DamagedStoreError] = []
        if self.root.exists() and not self.root.is_dir():
            raise StoreError(f"{self.root}: the store must be a folder, and this is a file")
        if not readonly:
            try:
                self.articles_dir.mkdir(parents=True, exist_ok=True)
                self.readers_dir.mkdir(exist_ok=True)
            except OSError as err:
                raise StoreError(f"cannot use {self.root} as the store: {describe_os_error(err)}") from None

    # -- files -----------------------------------------------------------------------------

    def path_for(self, article_id: str) -> Path:
        return self.articles_dir / f"{file_stem(article_id)}.json"

    def reader_path(self, annotator: str) -> Path:
        return self.readers_dir / f"{file_stem(annotator)}.json"

    def _db(self, path: Path, owner: str, kind: str) -> TinyDB:
        return TinyDB(path, storage=DurableStorage, owner=owner, kind=kind, readonly=self.readonly)

    def _check_writable(self) -> None:
        if self.readonly:
            raise ReadOnlyStoreError(f"{self.root}: the store was opened read-only")

    @contextlib.contextmanager
    def _writing(self, article_id: str) -> Iterator[Any]:
        """The article's annotations table, locked and freshly read, for one change."""
        self._check_writable()
        path = self.path_for(article_id)
        with locked(path):
            yield self._db(path, article_id, ANNOTATIONS).table(ANNOTATIONS)

    @staticmethod
    def _json_files(folder: Path) -> list[os.DirEntry]:
        try:
            with os.scandir(folder) as entries:
                return [entry for entry in entries
                        if entry.name.endswith(".json") and not entry.name.startswith(".")]
        except FileNotFoundError:
            return []
        except OSError as err:
            raise StoreError(f"cannot read {folder}: {describe_os_error(err)}") from None

    def files(self) -> list[Path]:
        """Every store file (articles, then readers), for ``redline check``."""
        return ([Path(e.path) for e in sorted(self._json_files(self.articles_dir), key=lambda e: e.name)]
                + [Path(e.path) for e in sorted(self._json_files(self.readers_dir), key=lambda e: e.name)])

    def leftovers(self) -> list[Path]:
        """Temp files of saves that were interrupted (a killed process): harmless."""
        found: list[Path] = []
        for folder in (self.articles_dir, self.readers_dir):
            with contextlib.suppress(FileNotFoundError):
                found += sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))
        return found

    # -- reading ---------------------------------------------------------------------------

    def for_article(self, article_id: str) -> list[dict]:
        table = self._db(self.path_for(article_id), article_id, ANNOTATIONS).table(ANNOTATIONS)
        records = [ordered(doc) for doc in table.all()]
        records.sort(key=lambda r: (r["start"], r["end"], r["id"]))
        return records

    def get(self, article_id: str, ann_id: str) -> dict | None:
        for record in self.for_article(article_id):
            if record["id"] == ann_id:
                return record
        return None

    def read_file(self, path: Path) -> tuple[str | None, list[dict]]:
        """The owner (article id) and records of one article file; raises when damaged."""
        data = load_tables(path)
        if data is None:
            return None, []
        records = [ordered(doc) for doc in data.get(ANNOTATIONS, {}).values()]
        owner = _meta_of(data).get("owner")
        if owner is None and records:
            owner = records[0].get("article_id")
        return owner, records

    def iter_all(self) -> Iterator[dict]:
        loaded: list[tuple[str, list[dict]]] = []
        for entry in self._json_files(self.articles_dir):
            owner, records = self.read_file(Path(entry.path))
            if records:
                loaded.append((owner or "", records))
        loaded.sort(key=lambda item: item[0])
        for _owner, records in loaded:
            records.sort(key=lambda r: (r["article_id"], r["start"], r["end"], r["id"]))
            yield from records

    def _summary_cache_path(self) -> Path:
        return self.root / SUMMARY_CACHE

    def _load_summary_cache(self) -> None:
        self._summaries_loaded = True
        try:
            data = json.loads(self._summary_cache_path().read_bytes())
            for name, (key, owner, counts) in data.items():
                self._summaries[name] = (tuple(key), owner, counts)
        except (OSError, ValueError, TypeError, AttributeError):
            self._summaries.clear()  # a cache: when in doubt, rebuild it

    def _summaries_now(self, skip_damaged: bool) -> dict[str, tuple[str, dict[str, int]]]:
        """article file name -> (article id, annotator -> count), parsing only changed files."""
        if not self._summaries_loaded:
            self._load_summary_cache()
        self.damaged = []
        current: dict[str, tuple[str, dict[str, int]]] = {}
        parsed = 0
        seen: set[str] = set()
        for entry in self._json_files(self.articles_dir):
            seen.add(entry.name)
            try:
                st = entry.stat()
            except FileNotFoundError:
                continue
            # os.replace gives every version a new inode: this key changes with the content.
            key = (st.st_ino, st.st_size, st.st_mtime_ns)
            cached = self._summaries.get(entry.name)
            if cached is None or cached[0] != key:
                try:
                    owner, records = self.read_file(Path(entry.path))
                except DamagedStoreError as err:
                    if not skip_damaged:
                        raise
                    self.damaged.append(err)
                    continue
                per: dict[str, int] = {}
                for record in records:
                    per[record["annotator"]] = per.get(record["annotator"], 0) + 1
                cached = (key, owner or "", per)
                self._summaries[entry.name] = cached
                parsed += 1
            current[entry.name] = (cached[1], cached[2])
        for name in set(self._summaries) - seen:
            del self._summaries[name]
        if parsed >= CACHE_WRITE_THRESHOLD and not self.readonly:
            self._save_summary_cache()
        return current

    def _save_summary_cache(self) -> None:
        data = {name: [list(key), owner, counts] for name, (key, owner, counts) in self._summaries.items()}
        path = self._summary_cache_path()
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        # Only a cache, rebuilt when wrong: no lock and no fsync needed.
        with contextlib.suppress(OSError):
            tmp.write_bytes(_encode(data))
            os.replace(tmp, path)
        with contextlib.suppress(OSError):
            tmp.unlink()

    def counts(self, skip_damaged: bool = False) -> dict[str, dict[str, int]]:
        """article id -> annotator -> number of annotations (articles with none left out).

        Cheap enough for a library of 10,000 articles: one ``stat`` per article file,
        and only files changed since the last call (or the cached summary) are parsed.
        With ``skip_damaged``, damaged files are left out and listed in ``self.damaged``.
        """
        result: dict[str, dict[str, int]] = {}
        for owner, per in self._summaries_now(skip_damaged).values():
            if per:
                result[owner] = dict(per)
        return result

    def article_ids(self) -> list[str]:
        return sorted(self.counts())

    # -- writing ---------------------------------------------------------------------------

    @staticmethod
    def _valid(record: Any, text: str | None = None) -> dict:
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

    def add(self, record: dict, *, text: str | None = None) -> dict:
        """Save one annotation durably; the existing one when it is a duplicate.

        With ``text`` (the article's text), offsets and quote are checked against it.
        """
        clean = self._valid(record, text)
        key = dup_key(clean)
        with self._writing(clean["article_id"]) as table:
            for doc in table:
                if doc.get("id") == clean["id"] or dup_key(ordered(doc)) == key:
                    return ordered(doc)
            table.insert(clean)
        return dict(clean)

    def restore(self, record: dict) -> dict:
        """Put a deleted record back with its id (undo of a delete)."""
        return self.add(record)

    def add_many(self, records: Iterable[dict], *, checked: bool = False) -> int:
        """Import: validate everything first, then write each article once.

        Nothing is written when any record is invalid. Up to BATCH_ARTICLES articles
        are written all or nothing (every new version is fsynced before any replaces
        its file); ids already present and duplicates are skipped, so running the same
        import again adds nothing. ``checked=True`` is for callers that have already
        run every record through ``tui.core.record.problems`` (and against its text):
        validating 100,000 records twice is a third of an import's time.
        """
        self._check_writable()
        groups: dict[str, list[dict]] = {}
        errors: list[str] = []
        count = 0
        for number, record in enumerate(records, start=1):
            count += 1
            if checked:  # already canonical records, fields in order
                groups.setdefault(record["article_id"], []).append(record)
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

    def _add_batch(self, groups: dict[str, list[dict]]) -> int:
        paths = {article_id: self.path_for(article_id) for article_id in groups}
        pending: dict[Path, Pending] = {}
        added = 0
        with locked_many(list(paths.values())):
            try:
                for article_id, records in groups.items():
                    db = self._db(paths[article_id], article_id, ANNOTATIONS)
                    db.storage.pending = pending
                    table = db.table(ANNOTATIONS)
                    ids: set[str] = set()
                    keys: set[tuple] = set()
                    for doc in table:
                        ids.add(doc.get("id"))
                        keys.add(dup_key(ordered(doc)))
                    new: list[dict] = []
                    for record in records:
                        key = dup_key(record)
                        if record["id"] in ids or key in keys:
                            continue
                        ids.add(record["id"])
                        keys.add(key)
                        new.append(record)
                    if new:
                        table.insert_multiple(new)
                        added += len(new)
                commit_all(list(pending.values()))
            except BaseException:
                for item in pending.values():
                    item.discard()
                raise
        return added

    def update(self, article_id: str, ann_id: str, *, text: str | None = None, **changes: Any) -> dict:
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
        with self._writing(article_id) as table:
            doc = next((d for d in table if d.get("id") == ann_id), None)
            if doc is None:
                raise MissingRecordError(
                    f"annotation {ann_id} is no longer in the store (deleted in another session?)")
            current = ordered(doc)
            if stamp is not None and stamp < current["updated_at"]:
                return current  # a later edit already won
            merged = {**current, **changes}
            if text is not None and ("start" in changes or "end" in changes) and "quote" not in changes:
                start, end = merged["start"], merged["end"]
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                    merged["quote"] = text[start:end]
                    merged["prefix"], merged["suffix"] = context(text, start, end)
            merged["updated_at"] = stamp or _later_than(current["updated_at"])
            found = problems(merged, text)
            if found:
                raise InvalidRecordError(f"annotation {ann_id}: {'; '.join(found)}")
            if merged != current:
                table.update(merged, doc_ids=[doc.doc_id])
            return merged

    def delete(self, article_id: str, ann_id: str) -> dict:
        with self._writing(article_id) as table:
            doc = next((d for d in table if d.get("id") == ann_id), None)
            if doc is None:
                raise MissingRecordError(
                    f"annotation {ann_id} is no longer in the store (deleted in another session?)")
            table.remove(doc_ids=[doc.doc_id])
            return ordered(doc)

    def anchored(self, article: Any) -> tuple[list[dict], list[dict]]:
        """(placed, orphans) for an article; moves of re-anchored records are saved."""
        placed: list[dict] = []
        orphans: list[dict] = []
        moves: dict[str, tuple[dict, dict]] = {}
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

    def _save_moves(self, article_id: str, moves: dict[str, tuple[dict, dict]]) -> None:
        record = Query()
        with self._writing(article_id) as table:
            updates = []
            for doc in table:
                pair = moves.get(doc.get("id"))
                # Only if nobody changed the record meanwhile.
                if pair is not None and ordered(doc) == pair[0]:
                    updates.append((pair[1], record.id == doc["id"]))
            if updates:
                table.update_multiple(updates)

    # -- reading state ---------------------------------------------------------------------

    def reading_state(self, annotator: str) -> dict:
        table = self._db(self.reader_path(annotator), annotator, STATE).table(STATE)
        return _state_of(table.all())

    def reading_states(self) -> dict[str, dict]:
        """annotator -> reading state, for every annotator with a state file."""
        states: dict[str, dict] = {}
        for entry in self._json_files(self.readers_dir):
            data = load_tables(Path(entry.path)) or {}
            docs = list(data.get(STATE, {}).values())
            annotator = _meta_of(data).get("owner") or (docs[0].get("annotator") if docs else None)
            if annotator:
                states[annotator] = _state_of(docs)
        return dict(sorted(states.items()))

    def _change_state(self, annotator: str, change: Any) -> None:
        self._check_writable()
        path = self.reader_path(annotator)
        with locked(path):
            table = self._db(path, annotator, STATE).table(STATE)
            docs = table.all()
            state = _state_of(docs)
            before = json.dumps(state, sort_keys=True)
            change(state)
            if json.dumps(state, sort_keys=True) == before:
                return  # nothing new: spare the disk a write
            doc = {"annotator": annotator, **state, "updated_at": now_iso()}
            if docs:
                table.update(doc, doc_ids=[docs[0].doc_id])
            else:
                table.insert(doc)

    def set_position(self, annotator: str, article_id: str, offset: int) -> None:
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise InvalidRecordError(f"position must be a non-negative integer, not {offset!r}")

        def change(state: dict) -> None:
            state["last_article"] = article_id
            state["positions"][article_id] = offset

        self._change_state(annotator, change)

    def set_done(self, annotator: str, article_id: str, done: bool) -> None:
        def change(state: dict) -> None:
            marks = [a for a in state["done"] if a != article_id]
            if done:
                marks.append(article_id)
            state["done"] = sorted(marks)

        self._change_state(annotator, change)


def _state_of(docs: list) -> dict:
    doc = docs[0] if docs else {}
    positions = doc.get("positions")
    done = doc.get("done")
    return {
        "last_article": doc.get("last_article") if isinstance(doc.get("last_article"), str) else None,
        "positions": dict(positions) if isinstance(positions, dict) else {},
        "done": list(done) if isinstance(done, list) else [],
    }


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
