"""``redline export``: the store's annotations as JSONL or another tool's format.

Every span is checked against its article's current text before it is
written: a record whose article changed is re-anchored (in the export, not
in the store), and one that cannot be placed, or whose article is not in the
corpus, stops the export with an error rather than being written wrong.

Files are written beside their target and renamed into place only when every
file of the export is complete (``--per-annotator`` writes one per
annotator), so a failed export leaves none.
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
from tui.core.record import Annotation, now_iso
from tui.core.store import Store

MAX_MESSAGES = 20
PROGRESS_EVERY = 5000


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "export", help="export annotations (native JSONL, prodigy, spacy, doccano, labelstudio, brat, w3c)",
        description="Export the store's annotations. Filters combine (a record must pass each kind "
                    "given; repeated values of one kind are alternatives). Every span is checked "
                    "against its article's text before it is written.",
    )
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="native",
                        help="output format (default: native)")
    parser.add_argument("--out", metavar="PATH", default="-",
                        help="file, or - for stdout (default); brat: a folder; spacy: a .spacy file")
    parser.add_argument("--label", action="append", metavar="L", help="only this label (repeatable)")
    parser.add_argument("--annotator", action="append", metavar="A", help="only this annotator (repeatable)")
    parser.add_argument("--article", action="append", metavar="ID", help="only this article (repeatable)")
    parser.add_argument("--offsets", choices=("codepoint", "utf16"),
                        help="offset unit (default: utf16 for doccano, whose annotator counts UTF-16 "
                             "code units; codepoint otherwise, as Label Studio, spaCy, brat and the W3C "
                             "model count)")
    parser.add_argument("--per-annotator", action="store_true",
                        help="one file per annotator (NAME.ANNOTATOR.EXT; brat: DIR/ANNOTATOR/), for "
                             "tools that cannot hold several annotators' overlapping spans; "
                             "labelstudio always writes one annotation per annotator in a task")
    parser.add_argument("--spans-key", metavar="KEY", default="sc",
                        help="spacy: the doc.spans group that holds the spans (default: sc)")
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

    def __init__(self, store: Store, corpus: Corpus, args: argparse.Namespace,
                 annotator: str | None = None) -> None:
        self.store = store
        self.corpus = corpus
        self.labels = set(args.label or [])
        self.annotators = {annotator} if annotator is not None else set(args.annotator or [])
        self.articles = set(args.article or [])
        self.skip = args.skip_mismatched
        self.article_ids_written: set[str] = set()
        self.seen = 0
        self.reanchored = 0
        self.left_out: list[str] = []
        self.progress = sys.stderr.isatty()
        self.now = now_iso()

    def wanted(self, record: Annotation) -> bool:
        return not (self.labels and record["label"] not in self.labels
                    or self.annotators and record["annotator"] not in self.annotators
                    or self.articles and record["article_id"] not in self.articles)

    def __iter__(self) -> Iterator[tuple[Article, list[Annotation]]]:
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

    def checked(self, article_id: str,
                records: list[Annotation]) -> Iterator[tuple[Article, list[Annotation]]]:
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
            self.article_ids_written.add(article_id)
            yield article, good


def annotator_slug(annotator: str) -> str:
    """A file name part for an annotator (names may hold anything)."""
    from tui.core.formats.brat import safe_name

    return safe_name(annotator)


def per_annotator_target(out: str, annotator: str, fmt: str) -> str:
    if fmt == "brat":
        return str(Path(out) / annotator_slug(annotator))
    path = Path(out)
    suffix = "".join(path.suffixes[-1:])
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    return str(path.with_name(f"{stem}.{annotator_slug(annotator)}{suffix}"))


def annotators_in(store: Store, wanted: set[str]) -> list[str]:
    found = {name for per_article in store.counts().values() for name in per_article}
    return sorted(found & wanted if wanted else found)


def run(args: argparse.Namespace) -> int:
    fmt = args.format
    if args.offsets == "utf16" and fmt in CODEPOINT_ONLY:
        raise CommandError(f"--offsets utf16 does not apply to {fmt}: {CODEPOINT_ONLY[fmt]}")
    options = Options(offsets=args.offsets or default_unit(fmt), spans_key=args.spans_key)
    to_stdout = args.out in ("-", "")
    if fmt == "brat" and to_stdout:
        raise CommandError("brat writes a folder of .txt and .ann files: give --out DIR")
    if fmt == "spacy" and to_stdout:
        raise CommandError("spacy writes a binary DocBin: give --out FILE.spacy")
    per_annotator = args.per_annotator and fmt != "labelstudio"
    options.per_annotator = per_annotator
    if per_annotator and to_stdout:
        raise CommandError("--per-annotator writes one file per annotator: give --out PATH")
    corpus = open_corpus(args, quiet=True)
    store = Store.existing(store_dir(args))
    if per_annotator:
        parts = [(name, per_annotator_target(args.out, name, fmt))
                 for name in annotators_in(store, set(args.annotator or []))]
    else:
        parts = [(None, args.out)]
    exporter = module(fmt)
    selections: list[Selection] = []
    written: list[tuple[str, int]] = []
    pending: list[tuple[Path, Path]] = []
    count = 0
    try:
        for annotator, target in parts:
            selection = Selection(store, corpus, args, annotator)
            selections.append(selection)
            done, temp = _write(exporter, fmt, selection, options, target)
            if temp is not None:
                pending.append((temp, Path(target)))
            written.append((target, done))
            count += done
        for temp, target in pending:
            temp.replace(target)
    except Mismatch as err:
        raise CommandError(f"{err}; nothing exported to a file (or stdout stopped at the article "
                           "before); --skip-mismatched leaves such annotations out") from None
    except OffsetError as err:
        raise CommandError(f"offset check failed: {err}") from None
    except OSError as err:
        raise CommandError(f"{err.filename or args.out}: cannot write: {err.strerror or err}") from None
    finally:
        for temp, _ in pending:
            temp.unlink(missing_ok=True)
    left_out = [message for selection in selections for message in selection.left_out]
    for message in [*options.warnings, *left_out][:MAX_MESSAGES]:
        warn(message)
    extra = len(options.warnings) + len(left_out) - MAX_MESSAGES
    if extra > 0:
        warn(f"... and {extra} more")
    for note in options.notes:
        warn(note)
    unit = ", utf16 offsets" if options.offsets == "utf16" else ""
    notes = []
    reanchored = sum(selection.reanchored for selection in selections)
    if reanchored:
        notes.append(f"{reanchored} re-anchored onto the changed text")
    if left_out:
        notes.append(f"{len(left_out)} left out")
    if per_annotator:
        files = ", ".join(f"{target} ({done})" for target, done in written)
        notes.append(f"one {'folder' if fmt == 'brat' else 'file'} per annotator: {files or 'none'}")
    articles = len({article for selection in selections for article in selection.article_ids_written})
    print(f"exported {plural(count, 'annotation')} from {plural(articles, 'article')} "
          f"({fmt}{unit})" + (f"; {'; '.join(notes)}" if notes else ""), file=sys.stderr)
    return 1 if left_out else 0


def _write(exporter, fmt: str, selection: Selection, options: Options, out: str) -> tuple[int, Path | None]:
    """(how many written, the temporary file to rename over ``out`` when all is written)."""
    if fmt == "brat":
        return exporter.export_dir(selection, Path(out), options), None
    if out in ("-", ""):
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n")
        try:
            count = exporter.export(selection, stream, options)
            stream.flush()
        finally:
            stream.detach()
        return count, None
    target = Path(out)
    temp = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        if fmt == "spacy":
            count = exporter.export_file(selection, temp, options)
        else:
            with temp.open("w", encoding="utf-8", newline="\n") as stream:
                count = exporter.export(selection, stream, options)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return count, temp
