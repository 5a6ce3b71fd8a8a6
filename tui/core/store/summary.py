"""Per-article counts for the library, cached so a warm start reads no annotation.

An article's counts are valid while its base has the same identity (inode,
size, mtime) and its journal the same inode and size: the library's refresh is
one folder listing and a ``stat`` or two per article. The cache is kept on
disk in ``summary.cache`` (only a cache: rebuilt when wrong or unreadable), so
a new process starts warm too.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tui.core.store.article_files import ArticleState, Key, iter_stems, stat_key
from tui.core.store.errors import DamagedStoreError
from tui.core.store.fileformat import encode

SUMMARY_CACHE = "summary.cache"
# Below this many freshly read articles, the cache file is not worth rewriting.
CACHE_WRITE_THRESHOLD = 20

JournalKey = tuple[int, int]


@dataclass
class Entry:
    base: Key | None
    gen: int
    journal: JournalKey | None
    owner: str | None
    counts: dict[str, int]


def _journal_key(entry: os.DirEntry[str] | None) -> JournalKey | None:
    if entry is None:
        return None
    try:
        st = entry.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size)


class Summary:
    def __init__(self, root: Path, readonly: bool) -> None:
        self.path = root / SUMMARY_CACHE
        self.readonly = readonly
        self.entries: dict[str, Entry] = {}
        self._loaded = False

    def _load(self) -> None:
        self._loaded = True
        try:
            data = json.loads(self.path.read_bytes())
            for stem, (base, gen, journal, owner, counts) in data.items():
                self.entries[stem] = Entry(tuple(base) if base else None, int(gen),
                                           tuple(journal) if journal else None, owner, dict(counts))
        except (OSError, ValueError, TypeError, AttributeError):
            self.entries.clear()  # a cache: when in doubt, rebuild it

    def _save(self) -> None:
        data = {stem: [list(e.base) if e.base else None, e.gen, list(e.journal) if e.journal else None,
                       e.owner, e.counts] for stem, e in self.entries.items()}
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        # Only a cache, rebuilt when wrong: no lock and no fsync needed.
        with contextlib.suppress(OSError):
            tmp.write_bytes(encode(data))
            os.replace(tmp, self.path)
        with contextlib.suppress(OSError):
            tmp.unlink()

    def current(self, folder: Path, load: Callable[[str, str | None], ArticleState],
                damaged: list[DamagedStoreError] | None) -> dict[str, Entry]:
        """stem -> entry for every article; ``load`` reads an article that changed.

        With ``damaged`` a list, damaged articles are left out and added to it;
        with None, damage raises.
        """
        if not self._loaded:
            self._load()
        found: dict[str, Entry] = {}
        seen: set[str] = set()
        fresh = 0
        for stem, base, journals in iter_stems(folder):
            seen.add(stem)
            try:
                base_key = stat_key(base.stat()) if base is not None else None
            except FileNotFoundError:
                base_key = None
            cached = self.entries.get(stem)
            if cached is not None and cached.base == base_key \
                    and cached.journal == _journal_key(journals.get(cached.gen)):
                found[stem] = cached
                continue
            try:
                state = load(stem, cached.owner if cached else None)
            except DamagedStoreError as err:
                if damaged is None:
                    raise
                damaged.append(err)
                self.entries.pop(stem, None)
                continue
            # Keyed by what was on disk before the read: a change since only means a re-read.
            entry = Entry(state.base_key if state.base_key == base_key else None, state.gen,
                          _journal_key(journals.get(state.gen)), state.owner, state.counts())
            self.entries[stem] = entry
            found[stem] = entry
            fresh += 1
        for stem in set(self.entries) - seen:
            del self.entries[stem]
        if fresh >= CACHE_WRITE_THRESHOLD and not self.readonly:
            self._save()
        return found
