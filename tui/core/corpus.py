"""Articles and the loaders that read them from folders, files and JSONL feeds.

The text of an article is kept exactly as decoded: CRLF, tabs and odd Unicode
stay, because every offset (annotations, entities, the cursor) refers to it.
Problems with the input never stop a load: they become warnings that name the
file (and line), and the rest of the corpus loads.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

TEXT_SUFFIXES = (".txt", ".md")
FEED_SUFFIXES = (".jsonl",)
CATALOG_NAME = "catalog.toml"

# Bytes that never appear in text files; one of them in the first block means binary.
_BINARY_PROBE = 8192
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32)])


class CorpusError(Exception):
    """The corpus as a whole cannot be read (a path that does not exist, ...)."""


class Article:
    """One article: its exact text and what is known about it.

    The title is guessed from the text only when first asked for, and the
    word count likewise: with 10,000 articles the library shows a screenful
    long before anyone asks for the rest.
    """

    def __init__(self, id: str, text: str | None, title: str = "", source: str = "", url: str = "",
                 date: str = "", meta: dict | None = None, path: str = "",
                 decode_note: str = "") -> None:
        self.id = id
        # None: read from ``path`` when first needed (see load_corpus(lazy=True)).
        self._text = text
        self.lazy = text is None
        # Why the file could not be used, found when it was read lazily.
        self.problem = ""
        self._title = title
        self.source = source
        self.url = url
        self.date = date
        self.meta = meta if meta is not None else {}
        self.path = path
        # Set when the bytes were not valid UTF-8 and a fallback decoding was used.
        self.decode_note = decode_note

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, path={self.path!r})"

    @property
    def text(self) -> str:
        if self._text is None:
            self._load()
        return self._text  # type: ignore[return-value]  # _load() sets it

    @property
    def loaded(self) -> bool:
        return self._text is not None

    def _load(self) -> None:
        data = _read(self.path)
        if isinstance(data, OSError):
            self.problem = f"{self.path}: skipped: {data.strerror or data}"
            self._text = ""
        elif looks_binary(data):
            self.problem = f"{self.path}: skipped: looks like a binary file, not text"
            self._text = ""
        else:
            text, self.decode_note = decode(data)
            self._text = text

    @property
    def title(self) -> str:
        if not self._title:
            stem = self.id.rsplit("/", 1)[-1]
            self._title = guess_title(self.text, stem) or stem
        return self._title

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    @cached_property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class Corpus:
    articles: list[Article]
    warnings: list[str] = field(default_factory=list)
    roots: list[Path] = field(default_factory=list)

    @cached_property
    def by_id(self) -> dict[str, Article]:
        return {article.id: article for article in self.articles}

    def get(self, article_id: str) -> Article | None:
        return self.by_id.get(article_id)

    def __len__(self) -> int:
        return len(self.articles)

    def settle(self) -> tuple[list[str], list[str]]:
        """Read every lazily loaded article: (ids to drop, warnings).

        Safe to run in a worker thread; ``drop`` then runs on the owner's thread.
        """
        dropped: list[str] = []
        warnings: list[str] = []
        for article in list(self.articles):
            if not article.lazy:
                continue
            warning = _read_now(article)
            if warning:
                warnings.append(warning)
            if article.problem:
                dropped.append(article.id)
        return dropped, warnings

    def drop(self, ids: Iterable[str], warnings: Iterable[str] = ()) -> None:
        gone = set(ids)
        for article in self.articles:
            article.lazy = False  # settled
        self.articles = [a for a in self.articles if a.id not in gone]
        self.warnings.extend(warnings)
        self.__dict__.pop("by_id", None)

    @property
    def label_file(self) -> Path | None:
        """A ``labels.toml`` beside the corpus, if there is one."""
        for root in self.roots:
            folder = root if root.is_dir() else root.parent
            candidate = folder / "labels.toml"
            if candidate.is_file():
                return candidate
        return None


def decode(data: bytes) -> tuple[str, str]:
    """Text and a note; the note is empty when the bytes were clean UTF-8.

    A UTF-8 byte order mark is dropped (it is an encoding marker, not text,
    and other tools drop it too); invalid bytes become U+FFFD.
    """
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError as err:
        text = data.decode("utf-8-sig", errors="replace")
        return text, f"invalid UTF-8 at byte {err.start}; undecodable bytes shown as \ufffd"


def looks_binary(data: bytes) -> bool:
    head = data[:_BINARY_PROBE]
    if b"\x00" in head:
        return True
    if not head:
        return False
    # Count control bytes at C speed: delete them and compare lengths.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.1


_CAPTION = re.compile(r"\b(photo|image|picture|credit|caption|getty|istock|also read|read more|related)\b[^\n]*[:|]", re.I)
_META_LINE = re.compile(r"^\s*(-|\*|•|\d+[.)])\s")


def guess_title(text: str, fallback: str) -> str:
    """A headline-like line from the top of the text.

    Skips what real pages put above a headline: site names, user names,
    forum counters, photo captions, list items. Falls back to the first
    sentence, then to ``fallback`` (the file name).
    """
    lines = [line.strip() for line in text.splitlines()[:40]]
    lines = [line for line in lines if line]
    if lines and lines[0].startswith("# "):
        return _clip(lines[0][2:])
    seen: set[str] = set()
    for line in lines[:20]:
        if line in seen or _CAPTION.search(line) or _META_LINE.match(line):
            seen.add(line)
            continue
        seen.add(line)
        words = line.split()
        if 4 <= len(words) <= 25 and not line.endswith((".", ":")) or 4 <= len(words) <= 16:
            return _clip(line)
    for line in lines:
        if len(line.split()) >= 4 and not _CAPTION.search(line):
            sentence = re.split(r"(?<=[.!?])\s", line, maxsplit=1)[0]
            return _clip(sentence)
    return _clip(lines[0]) if lines else fallback


def _clip(title: str, limit: int = 100) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _load_catalog(folder: Path, warnings: list[str]) -> dict[str, dict]:
    path = folder / CATALOG_NAME
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as err:
        warnings.append(f"{path}: catalog ignored: {err}")
        return {}
    return {str(key): value for key, value in data.items() if isinstance(value, dict)}


def _open_regular(path: str | Path) -> BinaryIO | OSError:
    """``path`` opened for reading if it is a regular file.

    A named pipe (or a device) with a ``.txt`` name would block the read for
    ever, and the app with it: it is opened without waiting and turned away.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as err:
        return err
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return OSError(errno.EINVAL, "not a regular file (a pipe, device or socket)")
    except OSError as err:
        os.close(fd)
        return err
    return open(fd, "rb")  # noqa: SIM115 - the caller closes it


def _read(path: str | Path) -> bytes | OSError:
    handle = _open_regular(path)
    if isinstance(handle, OSError):
        return handle
    try:
        with handle:
            return handle.read()
    except OSError as err:
        return err


def _file_article(path: str, article_id: str, catalog: dict) -> Article:
    """The one way from a text file to an Article: its text is read when first needed."""
    info = catalog.get(article_id, {})
    extra = {k: v for k, v in info.items() if k not in ("title", "source", "url", "date")}
    return Article(id=article_id, text=None, title=str(info.get("title") or ""),
                   source=str(info.get("source", "")), url=str(info.get("url", "")),
                   date=str(info.get("date", "")), meta=extra, path=path)


def _read_now(article: Article) -> str | None:
    """Read a lazy article's file; the warning to give about it, if any."""
    article.text  # noqa: B018 - reads the file, if it was not read yet
    if article.problem:
        return article.problem
    if article.decode_note:
        return f"{article.path}: {article.decode_note}"
    return None


def _feed_articles(path: Path, catalog: dict, warnings: list[str]) -> Iterable[Article]:
    handle = _open_regular(path)
    if isinstance(handle, OSError):
        warnings.append(f"{path}: skipped: {handle.strerror or handle}")
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            line, note = decode(raw)
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                warnings.append(f"{path}:{number}: skipped: not JSON ({err.msg})")
                continue
            if not isinstance(item, dict):
                warnings.append(f"{path}:{number}: skipped: not a JSON object")
                continue
            text = item.get("text")
            if not isinstance(text, str):
                warnings.append(f"{path}:{number}: skipped: no \"text\" string")
                continue
            raw_id = item.get("id")
            if raw_id is None or isinstance(raw_id, (dict, list)) or str(raw_id) == "":
                warnings.append(f"{path}:{number}: skipped: no \"id\"")
                continue
            article_id = str(raw_id)
            info = catalog.get(article_id, {})
            meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
            title = item.get("title") or info.get("title") or ""
            yield Article(
                id=article_id,
                text=text,
                title=str(title),
                source=str(item.get("source") or info.get("source") or ""),
                url=str(item.get("url") or info.get("url") or ""),
                date=str(item.get("date") or info.get("date") or ""),
                meta=meta,
                path=f"{path}:{number}",
                decode_note=note,
            )


def _walk(folder: Path) -> list[tuple[str, str]]:
    """(path, article id) of every article file under ``folder``, in a stable order.

    Plain strings, not Path objects: with 10,000 files pathlib's overhead
    is a visible part of start-up.
    """
    found: list[tuple[str, str]] = []
    root = os.fspath(folder)
    prefix = len(root.rstrip(os.sep)) + 1
    suffixes = TEXT_SUFFIXES + FEED_SUFFIXES
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        relative = dirpath[prefix:].replace(os.sep, "/") if len(dirpath) >= prefix else ""
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(suffixes):
                continue
            stem = name.rsplit(".", 1)[0]
            article_id = f"{relative}/{stem}" if relative else stem
            found.append((os.path.join(dirpath, name), article_id))
    return found


def load_corpus(paths: Iterable[str | os.PathLike], *, lazy: bool = False) -> Corpus:
    """Load folders (recursively), text files and JSONL feeds.

    Raises CorpusError only when a named path does not exist or cannot be
    read at all; everything else becomes a warning. With ``lazy``, the text
    files of folders are only listed: each is read when first needed, and
    ``Corpus.settle`` reads the rest (the reader shows 10,000 titles without
    reading 10,000 files first).
    """
    articles: list[Article] = []
    warnings: list[str] = []
    roots: list[Path] = []
    seen: dict[str, str] = {}

    def add(article: Article) -> None:
        if not lazy and article.lazy:
            warning = _read_now(article)
            if warning:
                warnings.append(warning)
            if article.problem:
                return
            article.lazy = False
        if article.id in seen:
            warnings.append(f"{article.path}: skipped: duplicate id '{article.id}' (first in {seen[article.id]})")
            return
        seen[article.id] = article.path
        articles.append(article)

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CorpusError(f"{path}: no such file or folder")
        roots.append(path)
        if path.is_dir():
            catalog = _load_catalog(path, warnings)
            files = _walk(path)
            for file, article_id in files:
                if file.endswith(FEED_SUFFIXES):
                    for article in _feed_articles(Path(file), catalog, warnings):
                        add(article)
                else:
                    add(_file_article(file, article_id, catalog))
        elif path.is_file():
            catalog = _load_catalog(path.parent, warnings)
            if path.suffix in FEED_SUFFIXES:
                for article in _feed_articles(path, catalog, warnings):
                    add(article)
            else:
                add(_file_article(str(path), path.stem, catalog))
        else:
            raise CorpusError(f"{path}: not a file or folder")
    return Corpus(articles=articles, warnings=warnings, roots=roots)
