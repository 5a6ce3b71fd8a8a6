"""Checking a whole store, and repairing it from its backups and journals.

``verify`` reads every file as the app would (checksums, journal lines, owners)
and lists what is damaged or missing. ``repair`` rebuilds each damaged or lost
article from what is left, in this order of preference:

1. its base, if intact, plus its journal (a line whose first copy is damaged
   is read from its second copy);
2. ``.prev`` (the base before the last compaction) plus every journal since;
3. nothing plus every journal since the first (before the second compaction).

It takes the first source that accounts for every journal line, writes the
result as a new base (and a copy as ``.prev``), keeps each damaged file as
``<name>.damaged``, and says what it restored from where. What no source holds
is reported as lost, never passed over in silence.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.record import Annotation
from tui.core.store import article_files, files
from tui.core.store.annotations import Store
from tui.core.store.article_files import ArticlePaths, ArticleState, BadEntry, iter_stems
from tui.core.store.errors import DamagedStoreError, StoreError
from tui.core.store.fileformat import decode_lines, encode_line, read_bytes
from tui.core.store.reading_state import ReadingStates

DAMAGED_SUFFIX = ".damaged"


@dataclass
class ArticleScan:
    """One healthy article as the check found it."""

    stem: str
    article_id: str | None
    path: Path
    records: list[Annotation]


@dataclass
class Health:
    articles: list[ArticleScan] = field(default_factory=list)
    files: int = 0  # TinyDB files: article bases and reader files
    damaged: list[DamagedStoreError] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # listed in the manifest, every file gone
    unlisted: list[str] = field(default_factory=list)  # article stems the manifest lacks
    manifest_damage: list[str] = field(default_factory=list)
    legacy: list[Path] = field(default_factory=list)  # bases without a checksum (older redline)
    leftovers: list[Path] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [str(err) for err in self.damaged] + self.missing + self.manifest_damage


def verify(store: Store) -> Health:
    health = Health(leftovers=store.leftovers())
    store.manifest.refresh()
    health.manifest_damage = [f"{line}; {store.repair_hint}" for line in store.manifest.damaged]
    seen: set[str] = set()
    for stem, base, _journals in iter_stems(store.articles_dir):
        seen.add(stem)
        paths = ArticlePaths(store.articles_dir, stem)
        if base is not None:
            health.files += 1
        try:
            state = store._checked(article_files.load(paths, store.manifest.articles.get(stem)))
        except DamagedStoreError as err:
            if base is None:
                health.files += 1
            health.damaged.append(store.hinted(err))
            continue
        if not state.checked:
            health.legacy.append(paths.base)
        if stem not in store.manifest.articles and state.base_key is not None:
            health.unlisted.append(stem)
        health.articles.append(ArticleScan(stem, state.owner, paths.base,
                                           [r.copy() for r in state.ordered_records()]))
    for stem, article_id in sorted(store.manifest.articles.items()):
        if stem not in seen:
            health.missing.append(
                f"{ArticlePaths(store.articles_dir, stem).base}: the file of article {article_id!r} "
                "is missing, and so are its backup and journals: nothing is left to restore it from")
    for path in _reader_files(store):
        health.files += 1
        try:
            store.readers.read(path, None)
        except DamagedStoreError as err:
            health.damaged.append(store.hinted(err))
    return health


def _reader_files(store: Store) -> list[Path]:
    """Reader files, and those of which only the backup is left."""
    found = set(store.readers.files())
    with contextlib.suppress(FileNotFoundError):
        for path in store.readers_dir.iterdir():
            if path.name.endswith(".json" + files.PREV_SUFFIX):
                found.add(path.with_name(path.name[:-len(files.PREV_SUFFIX)]))
    return sorted(found)


# -- repair ------------------------------------------------------------------------------------

@dataclass
class Replay:
    """What one journal contributed to a rebuilt article."""

    path: Path
    changes: int = 0
    mended: list[int] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


def _replay(state: ArticleState, path: Path) -> Replay:
    """Apply a whole journal, keeping on past what is damaged and saying what was."""
    done = Replay(path)
    raw = read_bytes(path)
    if raw is None:
        done.lost.append(f"{path} is missing")
        return done
    lines = decode_lines(raw)
    done.mended = list(lines.mended)
    done.lost += [f"line {n} of {path} (both copies damaged)" for n in lines.lost]
    state.seq = -1
    previous_line = 0
    for entry, number in zip(lines.entries, lines.numbers, strict=True):
        n = entry.get("n")
        if isinstance(n, int) and entry.get("op") != "head":
            if state.seq < 0:
                done.lost.append(f"the header of {path}")
                state.seq = n - 1
            elif n > state.seq + 1:
                if number == previous_line + 1:  # adjacent lines: one was taken out
                    done.lost.append(f"entries {state.seq + 1} to {n - 1} of {path} (lines missing)")
                state.seq = n - 1
        previous_line = number
        try:
            state.apply(entry, number)
        except BadEntry as err:
            done.lost.append(f"{path}: {err}")
            continue
        if entry.get("op") != "head":
            done.changes += 1
    return done


@dataclass
class Candidate:
    state: ArticleState
    sources: list[str]
    replays: list[Replay]

    @property
    def lost(self) -> list[str]:
        return [text for replay in self.replays for text in replay.lost]


def _from_journals(paths: ArticlePaths, state: ArticleState, first: int, last: int,
                   sources: list[str]) -> Candidate:
    replays: list[Replay] = []
    for gen in range(first, last + 1):
        state.gen = gen
        replays.append(_replay(state, paths.journal(gen)))
        state.from_base = True  # what is rebuilt so far is the base the next journal follows
    return Candidate(state, sources, replays)


def _candidates(paths: ArticlePaths, owner: str | None) -> tuple[list[Candidate], bool]:
    """Every way to rebuild the article, best first; and whether its base is intact."""
    found: list[Candidate] = []
    gens = [gen for gen, _path in paths.journals()]
    last = max(gens, default=0)
    base_ok = False
    for path in (paths.base, paths.prev):
        try:
            raw = read_bytes(path)
            if raw is None:
                continue
            start = article_files.state_from_base(paths, owner, raw, None)
        except StoreError:
            continue
        base_ok = base_ok or path == paths.base
        found.append(_from_journals(paths, start, start.gen, max(start.gen, last),
                                    [f"{path.name} ({len(start.records)} annotations)"]))
    if gens and _starts_from_empty(paths.journal(gens[0])):
        found.append(_from_journals(paths, ArticleState(paths, owner, gen=gens[0]), gens[0], last, []))
    return found, base_ok


def _starts_from_empty(path: Path) -> bool:
    """Whether a journal was the whole article (a new article's first journal)."""
    with contextlib.suppress(OSError):
        entries = decode_lines(path.read_bytes()[:4096]).entries
        return bool(entries) and entries[0].get("op") == "head" and entries[0].get("from") == "empty"
    return False


@dataclass
class Repair:
    """What ``repair`` did for one file, to be printed as one line."""

    path: Path
    article_id: str | None
    restored: int = 0
    sources: list[str] = field(default_factory=list)
    kept_as: list[Path] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.lost

    def describe(self) -> str:
        if self.note:
            return f"{self.path}: {self.note}"
        what = f"article {self.article_id!r}" if self.article_id is not None else "the article"
        text = (f"{self.path}: restored {self.restored} annotation{'s' * (self.restored != 1)} of "
                f"{what} from {' + '.join(self.sources) or 'nothing'}")
        if self.kept_as:
            text += "; the damaged file" + ("s are" if len(self.kept_as) > 1 else " is") + \
                " kept as " + ", ".join(p.name for p in self.kept_as)
        if self.lost:
            text += "; COULD NOT RESTORE: " + "; ".join(self.lost)
        return text


def _aside(path: Path) -> Path:
    """Keep a damaged file under a name the store never reads."""
    target = path.with_name(path.name + DAMAGED_SUFFIX)
    number = 1
    while target.exists():
        number += 1
        target = path.with_name(f"{path.name}{DAMAGED_SUFFIX}-{number}")
    os.replace(path, target)
    return target


def repair_article(store: Store, stem: str) -> Repair:
    paths = ArticlePaths(store.articles_dir, stem)
    owner = store.manifest.articles.get(stem)
    with files.locked(paths.base):
        candidates, base_ok = _candidates(paths, owner)
        if not candidates:
            return Repair(paths.base, owner, lost=["no backup and no journal is left"])
        best = next((c for c in candidates if not c.lost), None)
        if best is None:
            best = min(candidates, key=lambda c: len(c.lost))
        state = best.state
        owner = owner or state.owner
        result = Repair(paths.base, owner, restored=len(state.records), lost=best.lost)
        result.sources = list(best.sources)
        for replay in best.replays:
            if replay.changes or replay.mended:
                text = f"{replay.path.name} ({replay.changes} change{'s' * (replay.changes != 1)}"
                if replay.mended:
                    text += f"; line{'s' * (len(replay.mended) > 1)} " \
                            f"{', '.join(map(str, replay.mended))} from the second copy"
                result.sources.append(text + ")")
        gens = [gen for gen, _path in paths.journals()]
        gen = max([*gens, state.gen]) + 1
        raw = article_files.encode_state(owner, gen, state.ordered_records())
        # Damaged files are kept for inspection under names the store never reads.
        damaged = [paths.base] if paths.base.exists() and not base_ok else []
        damaged += [replay.path for replay in best.replays
                    if (replay.mended or replay.lost) and replay.path.exists()]
        result.kept_as = [_aside(path) for path in damaged]
        files.write_fresh(paths.journal(gen), encode_line(article_files.head_entry(gen, owner)))
        files.Pending(paths.base, keep_prev=False).write(raw).commit()
        files.atomic_write(paths.prev, raw, keep_prev=False)  # the backup of the repaired base
        for old, path in paths.journals():
            if old < gen:
                with contextlib.suppress(OSError):
                    path.unlink()
        files.fsync_dir(paths.folder)
    store.forget(stem)
    if owner is not None:
        with contextlib.suppress(StoreError, OSError):
            store.manifest.ensure({stem: owner})
    return result


def repair_reader(store: Store, path: Path) -> Repair:
    prev = path.with_name(path.name + files.PREV_SUFFIX)
    with files.locked(path):
        try:
            found = store.readers.read(prev, None) if prev.exists() else None
        except DamagedStoreError:
            found = None
        if found is None:
            return Repair(path, None, lost=["its backup is missing or damaged too: the reading "
                                            "state (positions, done marks) is lost"])
        annotator, state = found
        kept = [_aside(path)] if path.exists() else []
        ReadingStates.write(path, annotator or "", state)
    return Repair(path, None, kept_as=kept,
                  note=f"restored the reading state of {annotator!r} from {prev} (its last "
                       "position may be a little older)" + (f"; the damaged file is kept as {kept[0]}"
                                                            if kept else ""))


def repair(store: Store) -> list[Repair]:
    """Repair everything ``verify`` finds; one Repair per file touched."""
    health = verify(store)
    done: list[Repair] = []
    readers = {str(p) for p in _reader_files(store)}
    for err in health.damaged:
        path = Path(err.path)
        if err.path in readers:
            done.append(repair_reader(store, path))
            continue
        stem = _stem_of(path)
        if stem is not None:
            done.append(repair_article(store, stem))
    if health.manifest_damage:
        listed = dict(store.manifest.articles)
        for scan in verify(store).articles:
            if scan.article_id is not None:
                listed[scan.stem] = scan.article_id
        store.manifest.rewrite(listed)
        done.append(Repair(store.manifest.path, None,
                           note=f"rewrote the list of articles ({len(listed)}); the damaged one is "
                                f"kept as {store.manifest.path}{files.PREV_SUFFIX}"))
    for scan in health.articles:
        if scan.article_id is not None and (scan.stem in health.unlisted or scan.path in health.legacy):
            if scan.path in health.legacy:
                store.compact(scan.article_id)
                done.append(Repair(scan.path, scan.article_id,
                                   note="written by an older redline: rewritten with a checksum"))
            with contextlib.suppress(StoreError, OSError):
                store.manifest.ensure({scan.stem: scan.article_id})
    return done


def _stem_of(path: Path) -> str | None:
    name = path.name
    for ending in (".json", ".json" + files.PREV_SUFFIX):
        if name.endswith(ending):
            return name[:-len(ending)]
    stem, infix, gen = name.rpartition(article_files.JOURNAL_INFIX)
    return stem if infix and gen.isdigit() else None
