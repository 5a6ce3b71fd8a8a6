"""``redline export``: the store's annotations as JSONL or another tool's format.

Every span is checked against its article's current text before it is
written: a record whose article changed is re-anchored (in the export, not
in the store), and one that cannot be placed, or whose article is not in the
corpus, stops the export with an error rather than being written wrong.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from tui.cli.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
    warn,
)
from tui.core.anchoring import reanchor
from tui.core.corpus import Article, Corpus
from tui.core.formats import CODEPOINT_ONLY, EXPORT_FORMATS, default_unit, module
from tui.core.formats.common import Options
from tui.core.formats.offsets import OffsetError
from tui.core.record import now_iso
from tui.core.store import Store

MAX_MESSAGES = 20
PROGRESS_EVERY = 5000


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "export", help="export annotations (native JSONL, prodigy, doccano, labelstudio, brat, w3c)",
        description="Export the store's annotations. Filters combine (a record must pass each kind "
                    "given; repeated values of one kind are alternatives). Every span is checked "
                    "against its article's text before it is written.",
    )
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="native",
                        help="output format (default: native)")
    parser.add_argument("--out", metavar="PATH", default="-",
                        help="file, or - for stdout (default); brat: a folder")
    parser.add_argument("--label", action="append", metavar="L", help="only this label (repeatable)")
    parser.add_argument("--annotator", action="append", metavar="A", help="only this annotator (repeatable)")
    parser.add_argument("--article", action="append", metavar="ID", help="only this article (repeatable)")
    parser.add_argument("--offsets", choices=("codepoint", "utf16"),
                        help="offset unit (default: utf16 for doccano and labelstudio, whose tools "
                             "count UTF-16 code units; codepoint otherwise)")
    parser.add_argument("--skip-mismatched", action="store_true",
                        help="leave out annotations that do not match their article (or whose "
                             "article is not in the corpus) with a warning, instead of failing")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class Mismatch(Exception):
    pass


class Selection:
    """The store's records, filtered, grouped by article and checked against the corpus."""

    def __init__(self, store: Store, corpus: Corpus, args: argparse.Namespace) -> None:
        self.store = store
        self.corpus = corpus
        self.labels = set(args.label or [])
        self.annotators = set(args.annotator or [])
        self.articles = set(args.article or [])
        self.skip = args.skip_mismatched
        self.written_articles = 0
        self.seen = 0
        self.reanchored = 0
        self.left_out: list[str] = []
        self.progress = sys.stderr.isatty()
        self.now = now_iso()

    def wanted(self, record: dict) -> bool:
        return not (self.labels and record["label"] not in self.labels
                    or self.annotators and record["annotator"] not in self.annotators
                    or self.articles and record["article_id"] not in self.articles)

    def __iter__(self) -> Iterator[tuple[Article, list[dict]]]:
        # One article file at a time, so memory holds one article's records, not the store's.
        article_ids = sorted(self.articles) if self.articles else self.store.article_ids()
        for article_id in article_ids:
            records = [r for r in self.store.for_article(article_id) if self.wanted(r)]
            if records:
                yield from self.checked(article_id, records)
        if self.progress:
            sys.stderr.write("\r\x1b[K")

    def problem(self, message: str) -> None:
        if not self.skip:
            raise Mismatch(message)
        self.left_out.append(message)

    def checked(self, article_id: str, records: list[dict]) -> Iterator[tuple[Article, list[dict]]]:
        self.seen += len(records)
        if self.progress:
            sys.stderr.write(f"\rexporting: {self.seen} annotations read")
            sys.stderr.flush()
        article = self.corpus.get(article_id)
        if article is None:
            self.problem(f"article '{article_id}' ({plural(len(records), 'annotation')}) is not in "
                         "the corpus (use --corpus)")
            return
        text = article.text
        good = []
        for record in records:
            start, end = record["start"], record["end"]
            if record["article_sha256"] != article.sha256 or text[start:end] != record["quote"]:
                moved = reanchor(record, text, article.sha256, now=self.now)
                if moved is None:
                    self.problem(f"{article_id}: annotation {record['id']} ({record['label']} at "
                                 f"{start}-{end}) no longer matches the article text and cannot be "
                                 "re-anchored (see redline check)")
                    continue
                record = moved[0]
                self.reanchored += 1
            good.append(record)
        if good:
            self.written_articles += 1
            yield article, good


def run(args: argparse.Namespace) -> int:
    fmt = args.format
    if args.offsets == "utf16" and fmt in CODEPOINT_ONLY:
        raise CommandError(f"--offsets utf16 does not apply to {fmt}: {CODEPOINT_ONLY[fmt]}")
    options = Options(offsets=args.offsets or default_unit(fmt))
    if fmt == "brat" and args.out in ("-", ""):
        raise CommandError("brat writes a folder of .txt and .ann files: give --out DIR")
    corpus = open_corpus(args, quiet=True)
    store = Store.existing(store_dir(args))
    selection = Selection(store, corpus, args)
    exporter = module(fmt)
    try:
        count = _write(exporter, fmt, selection, options, args.out)
    except Mismatch as err:
        raise CommandError(f"{err}; nothing exported to a file (or stdout stopped at the article "
                           "before); --skip-mismatched leaves such annotations out") from None
    except OffsetError as err:
        raise CommandError(f"offset check failed: {err}") from None
    for message in [*options.warnings, *selection.left_out][:MAX_MESSAGES]:
        warn(message)
    extra = len(options.warnings) + len(selection.left_out) - MAX_MESSAGES
    if extra > 0:
        warn(f"... and {extra} more")
    unit = ", utf16 offsets" if options.offsets == "utf16" else ""
    notes = []
    if selection.reanchored:
        notes.append(f"{selection.reanchored} re-anchored onto the changed text")
    if selection.left_out:
        notes.append(f"{len(selection.left_out)} left out")
    print(f"exported {plural(count, 'annotation')} from {plural(selection.written_articles, 'article')} "
          f"({fmt}{unit})" + (f"; {', '.join(notes)}" if notes else ""), file=sys.stderr)
    return 1 if selection.left_out else 0


def _write(exporter, fmt: str, selection: Selection, options: Options, out: str) -> int:
    if fmt == "brat":
        try:
            return exporter.export_dir(selection, Path(out), options)
        except OSError as err:
            raise CommandError(f"{out}: cannot write: {err.strerror or err}") from None
    if out in ("-", ""):
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        try:
            count = exporter.export(selection, stream, options)
            stream.flush()
        finally:
            stream.detach()
        return count
    target = Path(out)
    temp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with temp.open("w", encoding="utf-8", newline="\n") as stream:
            count = exporter.export(selection, stream, options)
        temp.replace(target)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise CommandError(f"{target}: cannot write: {err.strerror or err}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count
