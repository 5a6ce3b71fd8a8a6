"""The list of the articles the store has written, so that a lost file is noticed.

``articles/manifest.log`` gets one line per article, appended (never rewritten)
when the article's first base is written, in the journal's line format (two
copies, a CRC-32 each). ``redline check`` reports an article listed there
whose files are all gone; ``--repair`` rewrites the list when it is damaged.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from tui.core.store import files
from tui.core.store.fileformat import decode_lines, encode_lines

MANIFEST = "manifest.log"


class Manifest:
    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST
        self._reset()

    def _reset(self) -> None:
        self.articles: dict[str, str] = {}  # file stem -> article id
        self.damaged: list[str] = []  # what is wrong with it, one line each
        self._ino: int | None = None
        self._end = 0
        self._lines = 0
        self._seq = 0
        self._torn = False

    def exists(self) -> bool:
        return self.path.exists()

    def refresh(self) -> None:
        """Read what was appended since the last call."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            self._reset()
            return
        except OSError:
            return  # only a cross-check: the store works without it
        try:
            st = os.fstat(fd)
            if self._ino not in (None, st.st_ino) or st.st_size < self._end:
                self._reset()
            self._ino = st.st_ino
            raw = os.pread(fd, max(0, st.st_size - self._end), self._end)
        finally:
            os.close(fd)
        lines = decode_lines(raw, 0, first_line=self._lines + 1)
        for line in lines.lost:
            self.damaged.append(f"{self.path}: line {line}: checksum mismatch in both copies")
        for line in lines.mended:
            self.damaged.append(f"{self.path}: line {line}: checksum mismatch in its first copy "
                                "(the second is intact)")
        for entry in lines.entries:
            number: Any = entry.get("n")
            stem, article = entry.get("stem"), entry.get("article")
            if number != self._seq + 1 and isinstance(number, int):
                self.damaged.append(f"{self.path}: entry {number} follows entry {self._seq} "
                                    "(a line is missing)")
            if isinstance(number, int):
                self._seq = number
            if isinstance(stem, str) and isinstance(article, str):
                self.articles[stem] = article
        self._end += lines.end
        self._lines += len(lines.entries) + len(lines.lost)
        self._torn = lines.torn

    def ensure(self, articles: dict[str, str]) -> None:
        """List these articles (stem -> id), those not listed yet, in one append."""
        if all(stem in self.articles for stem in articles):
            return
        with files.locked(self.path):
            self.refresh()
            new = {stem: article for stem, article in articles.items() if stem not in self.articles}
            if not new:
                return
            if self._torn:
                files.cut(self.path, self._end)
            creating = not self.path.exists()
            entries = [{"n": self._seq + number, "stem": stem, "article": article}
                       for number, (stem, article) in enumerate(sorted(new.items()), start=1)]
            files.append(self.path, encode_lines(entries), create=True)
            if creating:
                files.fsync_dir(self.path.parent)
            self.refresh()

    def rewrite(self, articles: dict[str, str]) -> None:
        """Write the list anew (repair), atomically; the damaged one is kept as ``.prev``."""
        entries = [{"n": number, "stem": stem, "article": article}
                   for number, (stem, article) in enumerate(sorted(articles.items()), start=1)]
        with files.locked(self.path):
            files.atomic_write(self.path, encode_lines(entries))
            self._reset()
            with contextlib.suppress(OSError):
                self.refresh()
