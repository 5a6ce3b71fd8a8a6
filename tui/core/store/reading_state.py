"""Where each annotator left off: one small TinyDB file per annotator.

``readers/<stem>.json`` holds one document in table ``state``; it is replaced
whole (temp file, fsync, rename, folder fsync) under its sidecar lock, carries
the same checksum as an article's base, and keeps its previous version as
``.prev`` for ``redline check --repair``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict

from tui.core.record import now_iso
from tui.core.store import files
from tui.core.store.errors import DamagedStoreError
from tui.core.store.fileformat import decode_base, encode_base, file_stem, read_bytes

STATE = "state"


class ReadingState(TypedDict):
    last_article: str | None
    positions: dict[str, int]
    done: list[str]


def state_of(docs: list[Any]) -> ReadingState:
    doc = docs[0] if docs and isinstance(docs[0], dict) else {}
    positions = doc.get("positions")
    done = doc.get("done")
    last = doc.get("last_article")
    return {
        "last_article": last if isinstance(last, str) else None,
        "positions": dict(positions) if isinstance(positions, dict) else {},
        "done": list(done) if isinstance(done, list) else [],
    }


class ReadingStates:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, annotator: str) -> Path:
        return self.folder / f"{file_stem(annotator)}.json"

    def read(self, path: Path, annotator: str | None) -> tuple[str | None, ReadingState] | None:
        """(annotator, state) of one file; None when it does not exist; damage raises."""
        raw = read_bytes(path)
        if raw is None:
            prev = path.with_name(path.name + files.PREV_SUFFIX)
            if prev.exists():
                raise DamagedStoreError(str(path), "deleted or moved; its backup is still there",
                                        missing=True)
            return None
        base = decode_base(raw, path)
        owner = base.meta.get("owner")
        if annotator is not None and owner is not None and owner != annotator:
            raise DamagedStoreError(str(path), f"it belongs to {owner!r}, not {annotator!r}",
                                    "move it aside: it is not where the store expects it")
        docs = list(base.tables.get(STATE, {}).values())
        if owner is None and docs and isinstance(docs[0].get("annotator"), str):
            owner = docs[0]["annotator"]
        return owner, state_of(docs)

    def get(self, annotator: str) -> ReadingState:
        found = self.read(self.path_for(annotator), annotator)
        return found[1] if found else state_of([])

    def all(self) -> dict[str, ReadingState]:
        states: dict[str, ReadingState] = {}
        for path in self.files():
            found = self.read(path, None)
            if found and found[0]:
                states[found[0]] = found[1]
        return dict(sorted(states.items()))

    def files(self) -> list[Path]:
        try:
            return sorted(path for path in self.folder.iterdir()
                          if path.name.endswith(".json") and not path.name.startswith("."))
        except FileNotFoundError:
            return []

    def change(self, annotator: str, change: Callable[[ReadingState], None]) -> None:
        path = self.path_for(annotator)
        with files.locked(path):
            state = self.get(annotator)
            before = json.dumps(state, sort_keys=True)
            change(state)
            if json.dumps(state, sort_keys=True) == before:
                return  # nothing new: spare the disk a write
            self.write(path, annotator, state)

    @staticmethod
    def write(path: Path, annotator: str, state: ReadingState) -> None:
        doc = {"annotator": annotator, **state, "updated_at": now_iso()}
        files.atomic_write(path, encode_base({"owner": annotator, "kind": STATE}, {STATE: {"1": doc}}))
