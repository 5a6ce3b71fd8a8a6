"""Rejected suggestions, remembered per annotator and article, durably.

A rejection is a decision like an annotation: once the screen says a
suggestion is rejected, it never comes back for that annotator, after a
crash or a restart alike. So it is written the way annotations are (through
``tui.core.store.files``: temp file, fsync, ``os.replace``, fsync of the
folder, under the file's sidecar lock), but apart from them: a rejection is
not an annotation, no export or count should see it, and the annotation files
keep their format.

Layout: ``<store>/rejections/<annotator>/<article>.json``, names made by
``file_stem`` (readable and collision-free). One small file per annotator and
article keeps a rejection's cost independent of the corpus and of the other
annotators, and two annotators never contend for a lock. The file::

    {"format": 1, "annotator": "...", "article_id": "...",
     "rejected": {"<suggestion id>": {"kind", "label", "start", "end", "quote", "at"}}}

The suggestion id is derived from the suggestion's kind, label, quote and
context (see ``tui.core.suggest``), so a rejection survives re-reading a
changed text; the span and quote are kept for people reading the file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tui.core.record import now_iso
from tui.core.store import file_stem  # one naming rule for every store file
from tui.core.store.errors import DamagedStoreError, ReadOnlyStoreError, StoreError
from tui.core.store.files import atomic_write, describe_os_error, locked

FOLDER = "rejections"
FORMAT = 1


class Rejections:
    """What each annotator rejected, per article."""

    def __init__(self, store_root: str | os.PathLike, readonly: bool = False) -> None:
        self.folder = Path(store_root) / FOLDER
        self.readonly = readonly

    def path(self, annotator: str, article_id: str) -> Path:
        return self.folder / file_stem(annotator) / f"{file_stem(article_id)}.json"

    def rejected(self, annotator: str, article_id: str) -> dict[str, dict]:
        """suggestion id -> what was rejected; empty when nothing was."""
        return self._load(self.path(annotator, article_id), annotator, article_id)["rejected"]

    def ids(self, annotator: str, article_id: str) -> frozenset[str]:
        return frozenset(self.rejected(annotator, article_id))

    def reject(self, annotator: str, article_id: str, entries: dict[str, dict]) -> None:
        """Remember ``entries`` (suggestion id -> details) as rejected; durable on return."""
        if entries:
            self._change(annotator, article_id, lambda rejected: rejected.update(
                {sid: {**details, "at": details.get("at") or now_iso()}
                 for sid, details in entries.items() if sid not in rejected}))

    def unreject(self, annotator: str, article_id: str, suggestion_ids: list[str]) -> None:
        """Forget rejections (undo); durable on return."""
        def drop(rejected: dict) -> None:
            for sid in suggestion_ids:
                rejected.pop(sid, None)

        self._change(annotator, article_id, drop)

    def files(self) -> list[Path]:
        """Every rejections file (not their backups, temp or lock files), sorted."""
        try:
            return sorted(path for folder in self.folder.iterdir() if folder.is_dir()
                          for path in folder.iterdir()
                          if path.name.endswith(".json") and not path.name.startswith("."))
        except FileNotFoundError:
            return []

    def verify(self, path: Path) -> None:
        """Read one file as the reader would; damage (or a file that is not where its annotator
        and article say it belongs) raises DamagedStoreError naming it, a newer format
        StoreError."""
        try:
            data = json.loads(path.read_bytes())
        except OSError as err:
            raise StoreError(f"cannot read {path}: {describe_os_error(err)}") from None
        except (ValueError, RecursionError):
            data = None
        annotator = data.get("annotator") if isinstance(data, dict) else None
        article_id = data.get("article_id") if isinstance(data, dict) else None
        if isinstance(annotator, str) and isinstance(article_id, str) \
                and self.path(annotator, article_id) != path:
            raise DamagedStoreError(str(path), f"it holds the rejections of {annotator!r} in "
                                    f"{article_id!r}, whose file is {self.path(annotator, article_id)}",
                                    "move it aside: it is not where the store expects it")
        self._load(path, annotator if isinstance(annotator, str) else "",
                   article_id if isinstance(article_id, str) else "")

    def _change(self, annotator: str, article_id: str, change) -> None:
        if self.readonly:
            raise ReadOnlyStoreError(f"{self.folder.parent}: the store was opened read-only")
        path = self.path(annotator, article_id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot write {path.parent}: {describe_os_error(err)}") from None
        with locked(path):
            data = self._load(path, annotator, article_id)
            before = dict(data["rejected"])
            change(data["rejected"])
            if data["rejected"] == before:
                return
            data["rejected"] = dict(sorted(data["rejected"].items()))
            payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")
            atomic_write(path, payload)

    @staticmethod
    def _load(path: Path, annotator: str, article_id: str) -> dict:
        empty = {"format": FORMAT, "annotator": annotator, "article_id": article_id, "rejected": {}}
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return empty
        except OSError as err:
            raise StoreError(f"cannot read {path}: {describe_os_error(err)}") from None
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            data = None
        if (not isinstance(data, dict) or not isinstance(data.get("rejected"), dict)
                or data.get("annotator") != annotator or data.get("article_id") != article_id):
            # Never overwrite a damaged file with an empty one: that would bring back
            # every suggestion it rejected.
            raise DamagedStoreError(str(path), "not a rejections file of this annotator and article",
                                    f"restore {path.name}.prev beside it, or move it aside "
                                    "(its rejected suggestions then show again)")
        if data.get("format", FORMAT) > FORMAT:
            raise StoreError(f"{path}: written by a newer redline; upgrade redline")
        return data
