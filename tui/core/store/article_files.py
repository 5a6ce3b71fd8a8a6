"""One article's files: a TinyDB base, a journal of the changes since, and a backup.

    articles/<stem>.json              the base: every annotation as of the last compaction
    articles/<stem>.json.journal.<g>  the changes since, one per line; g is the base's generation
    articles/<stem>.json.prev         the base before the last compaction
    articles/<stem>.json.lock         the article's cross-process lock
    articles/<stem>.json.tmp          a compaction in progress (or left by a killed one)

A save appends one line to the journal (``O_APPEND``, fsync) under the article's
lock: its cost does not depend on how many annotations the article has. When
the journal passes half the base's size, the save also compacts: base g+1 =
base g + journal g, written beside it and put in place with ``os.replace``,
after journal g+1 was created with its header line. Base g is kept as
``.prev`` and journal g is kept, so ``.prev`` + journal g + journal g+1 is the
current state at every moment: that is what ``redline check --repair`` reads
when a base is damaged or lost. Journal g-1 is then no longer needed.

A new article starts with journal 1 alone, its header saying it starts from
nothing; the first base (written by the same save) follows that journal, whose
changes it already holds (replaying a whole record again changes nothing). So
until the second compaction, journal 1 alone is the state, and there is no
``.prev``.

A process keeps each article's parsed state keyed by the base's identity
(inode, size, mtime) and the journal bytes read, and reads only what was
appended since, so a save on an article of 10,000 annotations parses one line,
not 10,000 records.
"""

from __future__ import annotations

import contextlib
import operator
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.record import Annotation, ordered
from tui.core.store import files
from tui.core.store.errors import DamagedStoreError, StoreError
from tui.core.store.fileformat import (
    decode_base,
    decode_lines,
    encode_base,
    encode_line,
    encode_lines,
)

ANNOTATIONS = "annotations"
# Compact when the journal is this large against the base (journal lines hold two copies).
COMPACT_RATIO = 0.5
JOURNAL_INFIX = ".json.journal."

Key = tuple[int, int, int]
DupKey = tuple[str, int, int, str, str]
_POSITION = operator.itemgetter("start", "end", "id")


def dup_key(record: Annotation | dict[str, Any]) -> DupKey:
    """Two records with this key are one annotation (the duplicate rule)."""
    return (record["article_id"], record["start"], record["end"], record["label"], record["annotator"])


def stat_key(st: os.stat_result) -> Key:
    # os.replace gives every version of a base a new inode: this key changes with the content.
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class ArticlePaths:
    __slots__ = ("base", "folder", "lock", "prev", "stem", "tmp")

    def __init__(self, folder: Path, stem: str) -> None:
        self.folder = folder
        self.stem = stem
        self.base = folder / f"{stem}.json"
        self.prev = folder / f"{stem}.json{files.PREV_SUFFIX}"
        self.lock = files.lock_path(self.base)
        self.tmp = folder / f"{stem}.json{files.TMP_SUFFIX}"

    def journal(self, gen: int) -> Path:
        return self.folder / f"{self.stem}{JOURNAL_INFIX}{gen}"

    def journals(self) -> list[tuple[int, Path]]:
        """Every journal of this article on disk, oldest first (repair and check only: lists)."""
        found: list[tuple[int, Path]] = []
        prefix = f"{self.stem}{JOURNAL_INFIX}"
        with contextlib.suppress(FileNotFoundError), os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name[len(prefix):].isdigit():
                    found.append((int(entry.name[len(prefix):]), Path(entry.path)))
        return sorted(found)


class BadEntry(Exception):
    """A journal line that cannot be applied: (line number, what is wrong)."""

    def __init__(self, line: int, detail: str) -> None:
        super().__init__(f"line {line}: {detail}")
        self.line = line
        self.detail = detail


@dataclass(eq=False)
class ArticleState:
    """An article's annotations as base + journal say, and how much of each was read."""

    paths: ArticlePaths
    owner: str | None
    base_key: Key | None = None  # None: no base file
    base_size: int = 0
    gen: int = 1  # the journal that follows the base
    checked: bool = True  # False for a base written before checksums
    from_base: bool = False  # read from a base file (else: a new article, its journal alone)
    records: dict[str, Annotation] = field(default_factory=dict)
    journal_ino: int | None = None
    journal_end: int = 0  # bytes of whole lines read
    journal_lines: int = 0
    journal_torn: bool = False  # bytes after the last whole line: a save that never returned
    seq: int = -1  # number of the last entry read; -1: not even the header
    folded: int = 0  # journal bytes the base already holds (a new article's first base)
    in_order: bool = False  # records (a dict) already iterate by start, end, id
    _dups: dict[DupKey, set[str]] | None = None
    _order: list[Annotation] | None = None

    # -- queries ---------------------------------------------------------------------------

    def ordered_records(self) -> list[Annotation]:
        """Sorted by start, end, id; the list is shared: copy before handing it out."""
        if self._order is None:
            if self.in_order:  # a base as compaction wrote it: already sorted
                self._order = list(self.records.values())
            else:
                self._order = sorted(self.records.values(), key=_POSITION)
                self.in_order = True
        return self._order

    def duplicate_of(self, record: Annotation) -> Annotation | None:
        if self._dups is None:
            self._dups = {}
            for existing in self.records.values():
                self._index(existing)
        for ann_id in self._dups.get(dup_key(record), ()):
            return self.records[ann_id]
        return None

    def counts(self) -> dict[str, int]:
        per: dict[str, int] = {}
        for rec in self.records.values():
            per[rec["annotator"]] = per.get(rec["annotator"], 0) + 1
        return per

    # -- changes ---------------------------------------------------------------------------

    def put(self, rec: Annotation) -> None:
        old = self.records.get(rec["id"])
        if old is not None:
            self._unindex(old)
        self.records[rec["id"]] = rec
        self._index(rec)
        self._order = None
        self.in_order = False

    def remove(self, ann_id: str) -> None:
        old = self.records.pop(ann_id, None)
        if old is not None:
            self._unindex(old)
            self._order = None

    def _index(self, rec: Annotation) -> None:
        if self._dups is not None:
            with contextlib.suppress(KeyError, TypeError):
                self._dups.setdefault(dup_key(rec), set()).add(rec["id"])

    def _unindex(self, rec: Annotation) -> None:
        if self._dups is not None:
            with contextlib.suppress(KeyError, TypeError):
                self._dups[dup_key(rec)].discard(rec["id"])

    def apply(self, entry: dict[str, Any], line: int) -> None:
        """Apply one journal entry; BadEntry when it does not belong here."""
        op = entry.get("op")
        number = entry.get("n")
        if self.seq < 0:
            if op != "head" or number != 0:
                raise BadEntry(line, "the journal does not start with its header")
            if entry.get("gen") != self.gen:
                raise BadEntry(line, f"it is journal {entry.get('gen')!r}, not {self.gen}")
            if not self.from_base and entry.get("from") != "empty":
                raise BadEntry(line, "its base is missing (the journal holds only the changes since)")
            owner = entry.get("owner")
            if self.owner is not None and owner != self.owner:
                raise BadEntry(line, f"it belongs to {owner!r}, not {self.owner!r}")
            self.owner = owner if isinstance(owner, str) else self.owner
            self.seq = 0
            return
        if number != self.seq + 1:
            raise BadEntry(line, f"entry {number!r} follows entry {self.seq} (a line is missing "
                                 "or repeated)")
        if op == "put":
            rec = entry.get("record")
            if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
                raise BadEntry(line, "a change without a record")
            self.put(rec)  # type: ignore[arg-type]  # checked by problems() when written
        elif op == "del":
            ann_id = entry.get("id")
            if not isinstance(ann_id, str):
                raise BadEntry(line, "a deletion without an id")
            self.remove(ann_id)
        else:
            raise BadEntry(line, f"unknown change {op!r}")
        self.seq = number


def head_entry(gen: int, owner: str | None, *, from_empty: bool = False) -> dict[str, Any]:
    entry: dict[str, Any] = {"n": 0, "op": "head", "gen": gen, "owner": owner, "format": 2}
    if from_empty:
        entry["from"] = "empty"  # this journal alone is the article: it had no base before
    return entry


def put_entry(rec: Annotation) -> dict[str, Any]:
    return {"op": "put", "record": rec}


def delete_entry(ann_id: str) -> dict[str, Any]:
    return {"op": "del", "id": ann_id}


# -- reading ---------------------------------------------------------------------------------

def _read_all(fd: int, size: int, start: int = 0) -> bytes:
    chunks: list[bytes] = []
    position = start
    while position < size:
        chunk = os.pread(fd, size - position, position)
        if not chunk:
            break
        chunks.append(chunk)
        position += len(chunk)
    return b"".join(chunks)


def state_from_base(paths: ArticlePaths, owner: str | None, raw: bytes, key: Key | None) -> ArticleState:
    base = decode_base(raw, paths.base)
    meta_owner = base.meta.get("owner")
    if owner is not None and meta_owner is not None and meta_owner != owner:
        raise DamagedStoreError(str(paths.base), f"it belongs to {meta_owner!r}, not {owner!r}",
                                "move it aside: it is not where the store expects it",
                                article_id=owner)
    gen = base.meta.get("journal", 0)
    if not isinstance(gen, int) or isinstance(gen, bool) or gen < 0:
        raise DamagedStoreError(str(paths.base), "bad journal number", article_id=owner)
    table = base.tables.get(ANNOTATIONS, {})
    records: dict[str, Annotation] = {}
    if base.checked:  # written by this code: records are whole and in canonical order
        for doc in table.values():
            records[doc["id"]] = doc
    else:
        for doc_id, doc in table.items():
            rec = ordered(doc)
            ann_id = rec.get("id")
            records[ann_id if isinstance(ann_id, str) else f"doc:{doc_id}"] = rec
    if meta_owner is None and records:
        meta_owner = next(iter(records.values())).get("article_id")
    state = ArticleState(paths, owner if owner is not None else meta_owner, key, len(raw), gen,
                         base.checked, from_base=True, records=records)
    state.in_order = base.checked  # compaction writes records sorted by start, end, id
    folded = base.meta.get("folded")
    if folded is not None:
        # A first base holds its journal's first lines: reading starts after them.
        if not (isinstance(folded, list) and len(folded) == 3
                and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in folded)):
            raise DamagedStoreError(str(paths.base), "bad journal position", article_id=owner)
        state.folded = state.journal_end = folded[0]
        state.journal_lines, state.seq = folded[1], folded[2]
    return state


def _missing_base(paths: ArticlePaths, owner: str | None) -> DamagedStoreError | None:
    """A base that should be there: its backup is."""
    if paths.prev.exists():
        return DamagedStoreError(str(paths.base), "deleted or moved; its backup and journals are "
                                 "still there", article_id=owner, missing=True)
    return None


def _damaged(path: Path, detail: str, state: ArticleState) -> DamagedStoreError:
    return DamagedStoreError(str(path), detail, article_id=state.owner)


def _read_journal(state: ArticleState) -> bool:
    """Apply what was appended since the last read. False: start again from the base."""
    path = state.paths.journal(state.gen)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        if state.journal_ino is not None:
            return False
        if state.gen >= 1 and state.base_key is not None and state.checked:
            raise DamagedStoreError(str(path), "deleted or moved: it holds the changes since the "
                                    "last compaction", article_id=state.owner, missing=True) from None
        return True
    except OSError as err:
        raise StoreError(f"cannot read {path}: {files.describe_os_error(err)}") from None
    try:
        st = os.fstat(fd)
        if state.journal_ino is None and st.st_size < state.folded:
            raise _damaged(path, "it is shorter than its base says: lines were cut off", state)
        if state.journal_ino not in (None, st.st_ino) or st.st_size < state.journal_end:
            return False  # replaced, or an append undone after we read it: read it all again
        state.journal_ino = st.st_ino
        if st.st_size == state.journal_end:
            state.journal_torn = False
            return True
        raw = _read_all(fd, st.st_size, state.journal_end)
    finally:
        os.close(fd)
    lines = decode_lines(raw, 0, first_line=state.journal_lines + 1)
    if lines.lost:
        raise _damaged(path, f"line {lines.lost[0]}: checksum mismatch in both copies", state)
    if lines.mended:
        raise _damaged(path, f"line {lines.mended[0]}: checksum mismatch in its first copy "
                             "(the second is intact)", state)
    for entry, number in zip(lines.entries, lines.numbers, strict=True):
        try:
            state.apply(entry, number)
        except BadEntry as err:
            raise _damaged(path, str(err), state) from None
    state.journal_end += lines.end
    state.journal_lines += len(lines.entries)
    state.journal_torn = lines.torn
    return True


def load(paths: ArticlePaths, owner: str | None, state: ArticleState | None = None) -> ArticleState:
    """The article's current state, reusing ``state`` and reading only what changed since.

    Needs no lock: a base is always whole (it is replaced, never written in place) and
    a journal line is used only once it is whole. Damage raises DamagedStoreError.
    """
    for _attempt in range(20):
        try:
            fd: int | None = os.open(paths.base, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            fd = None
        except IsADirectoryError:
            raise DamagedStoreError(str(paths.base), "a folder where a store file should be",
                                    article_id=owner) from None
        except OSError as err:
            raise StoreError(f"cannot read {paths.base}: {files.describe_os_error(err)}") from None
        key: Key | None = None
        if fd is None:
            if state is None or state.base_key is not None:
                lost = _missing_base(paths, owner)
                if lost is not None:
                    raise lost
                state = ArticleState(paths, owner)
        else:
            try:
                st = os.fstat(fd)
                key = stat_key(st)
                if state is None or state.base_key != key:
                    state = state_from_base(paths, owner, _read_all(fd, st.st_size), key)
            finally:
                os.close(fd)
        if not _read_journal(state):
            state = None
            continue
        try:
            again: Key | None = stat_key(os.stat(paths.base))
        except FileNotFoundError:
            again = None
        if again == key:
            return state
    raise StoreError(f"{paths.base}: it kept changing while being read; try again")


# -- writing (the caller holds the article's lock and has just loaded the state) ---------------

def append(state: ArticleState, entries: list[dict[str, Any]]) -> tuple[int, bool]:
    """Append ``entries`` durably and apply them; returns (old journal size, journal created).

    A journal made here needs its folder fsynced by the caller before the save returns
    (for a new article, the compaction that follows does it).
    """
    path = state.paths.journal(state.gen)
    if state.journal_torn:
        try:
            files.cut(path, state.journal_end)  # a killed writer's torn line
        except OSError as err:
            raise files.save_error(state.paths.base, err) from None
        state.journal_torn = False
    creating = state.seq < 0
    numbered: list[dict[str, Any]] = [
        head_entry(state.gen, state.owner, from_empty=not state.from_base)] if creating else []
    seq = max(state.seq, 0)
    for entry in entries:
        seq += 1
        numbered.append({"n": seq, **entry})
    data = encode_lines(numbered)
    old_size = files.append(path, data, create=creating, shown=state.paths.base)
    first_line = state.journal_lines + 1
    for index, entry in enumerate(numbered):
        state.apply(entry, first_line + index)
    state.journal_end += len(data)
    state.journal_lines += len(numbered)
    return old_size, creating


def undo_append(state: ArticleState, old_size: int) -> None:
    """Cut the journal back after a save that failed later on (best effort)."""
    with contextlib.suppress(OSError):
        files.cut(state.paths.journal(state.gen), old_size)


def wants_compaction(state: ArticleState) -> bool:
    if not state.from_base or not state.checked:
        return True
    return state.journal_end - state.folded > COMPACT_RATIO * state.base_size


def encode_state(owner: str | None, gen: int, records: list[Annotation],
                 folded: tuple[int, int, int] | None = None) -> bytes:
    docs = {str(number): rec for number, rec in enumerate(records, start=1)}
    meta: dict[str, Any] = {"owner": owner, "kind": ANNOTATIONS, "journal": gen}
    if folded is not None:
        meta["folded"] = list(folded)  # journal bytes, lines and last entry already in this base
    return encode_base(meta, {ANNOTATIONS: docs})


@dataclass
class Compaction:
    state: ArticleState
    pending: files.Pending
    size: int
    first: bool  # the article's first base: it follows the journal that is already there


def prepare_compaction(state: ArticleState) -> Compaction:
    """Write the new base beside the old one (fsynced), after the next journal's header."""
    if not state.from_base:
        # A new article: the base follows journal 1, which holds every change since nothing,
        # and says how much of it it holds, so that part is neither read nor folded again.
        folded = (state.journal_end, state.journal_lines, state.seq)
        raw = encode_state(state.owner, state.gen, state.ordered_records(), folded)
        return Compaction(state, files.Pending(state.paths.base).write(raw), len(raw), True)
    gen = state.gen + 1
    files.write_fresh(state.paths.journal(gen), encode_line(head_entry(gen, state.owner)))
    raw = encode_state(state.owner, gen, state.ordered_records())
    pending = files.Pending(state.paths.base).write(raw)
    return Compaction(state, pending, len(raw), False)


def finish_compaction(done: Compaction) -> None:
    """After the new base is in place and its folder fsynced: drop the journal nobody needs."""
    state = done.state
    try:
        state.base_key = stat_key(os.stat(state.paths.base))
    except OSError:
        state.base_key = None
    state.base_size = done.size
    state.checked = True
    state.from_base = True
    if done.first:
        state.folded = state.journal_end
        return
    # The new .prev is base `gen`, which needs journals gen and gen+1 only.
    with contextlib.suppress(OSError):
        os.unlink(state.paths.journal(state.gen - 1))
    state.gen += 1
    state.folded = 0
    state.journal_ino = None
    state.journal_end = len(encode_line(head_entry(state.gen, state.owner)))
    state.journal_lines = 1
    state.journal_torn = False
    state.seq = 0


def compact(state: ArticleState) -> None:
    """Compact one article now (the caller holds its lock)."""
    done = prepare_compaction(state)
    done.pending.commit()
    try:
        files.fsync_dir(state.paths.folder)
    except OSError as err:
        raise files.save_error(state.paths.base, err) from None
    finish_compaction(done)


def iter_stems(folder: Path) -> Iterator[tuple[str, os.DirEntry[str] | None, dict[int, os.DirEntry[str]]]]:
    """(stem, base entry or None, {gen: journal entry}) for every article in ``folder``.

    An article whose base and journals are gone but whose ``.prev`` is there is listed
    too: reading it reports the loss.
    """
    bases: dict[str, os.DirEntry[str]] = {}
    journals: dict[str, dict[int, os.DirEntry[str]]] = {}
    orphans: set[str] = set()  # backups whose base and journals are gone
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if name.endswith(".json"):
                    bases[name[:-5]] = entry
                    continue
                if name.endswith(".json" + files.PREV_SUFFIX):
                    orphans.add(name[:-len(".json" + files.PREV_SUFFIX)])
                    continue
                stem, infix, gen = name.rpartition(JOURNAL_INFIX)
                if infix and gen.isdigit():
                    journals.setdefault(stem, {})[int(gen)] = entry
    except FileNotFoundError:
        return
    except OSError as err:
        raise StoreError(f"cannot read {folder}: {files.describe_os_error(err)}") from None
    for stem in sorted(set(bases) | set(journals) | orphans):
        yield stem, bases.get(stem), journals.get(stem, {})
