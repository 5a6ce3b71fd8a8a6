"""``redline import FILE``: annotations from native JSONL or another tool's format.

Everything is validated before anything is written: all or nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.anchoring import reanchor
from tui.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
)
from tui.config import load_labels
from tui.corpus import Corpus
from tui.formats import DEFAULT_UNITS, IMPORT_FORMATS, module
from tui.formats.common import Candidate, Options, stable_id
from tui.formats.offsets import OffsetError, Utf16Map
from tui.record import new_annotation, problems
from tui.store import Store
from tui.textsafe import safe_line

MAX_ERRORS = 20


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "import", help="import annotations (all or nothing)",
        description="Import annotations into the store. Every record is checked first (JSON, fields, "
                    "known article, offsets, quote, label); any error imports nothing. Records "
                    "already in the store are skipped, so importing twice adds nothing.",
    )
    parser.add_argument("file", metavar="FILE", help="the file to import (- for stdin)")
    parser.add_argument("--format", choices=IMPORT_FORMATS, default="native")
    parser.add_argument("--offsets", choices=("codepoint", "utf16"),
                        help="offset unit of the file when it does not say (default: the format's)")
    parser.add_argument("--annotator", metavar="NAME", default="imported",
                        help="annotator for formats that do not carry one (default: imported)")
    parser.add_argument("--labels", metavar="FILE", help="labels TOML (default: beside the corpus, else built-in)")
    parser.add_argument("--add-labels", action="store_true", help="accept labels that are not defined")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run)


def _article_for(candidate: Candidate, corpus: Corpus, by_text: dict[str, str]):
    if candidate.article_id is not None:
        return corpus.get(str(candidate.article_id))
    if candidate.text is not None:
        article_id = by_text.get(candidate.text)
        return corpus.get(article_id) if article_id else None
    return None


def _to_record(candidate: Candidate, corpus: Corpus, by_text: dict[str, str], labels: set[str] | None,
               options: Options, units: dict[str, Utf16Map]) -> dict:
    """The record for a candidate, or ValueError with the reason."""
    if candidate.error:
        raise ValueError(candidate.error)
    article = _article_for(candidate, corpus, by_text)
    if article is None:
        what = f"article '{candidate.article_id}'" if candidate.article_id is not None else "an article with this text"
        raise ValueError(f"unknown {what}: not in the corpus (use --corpus)")
    if candidate.text is not None and candidate.text != article.text and candidate.record is None:
        raise ValueError(f"the text differs from article '{article.id}' in the corpus")
    if labels is not None and candidate.label not in labels:
        raise ValueError(f"unknown label '{candidate.label}' (define it in labels.toml or use --add-labels)")
    if candidate.record is not None:
        record = dict(candidate.record)
        found = problems(record)
        if found:
            raise ValueError("; ".join(found))
        if record["article_sha256"] == article.sha256:
            if record["end"] > len(article.text) or article.text[record["start"]:record["end"]] != record["quote"]:
                raise ValueError(f"quote does not match article '{article.id}' at {record['start']}-{record['end']}")
            return record
        moved = reanchor(record, article.text, article.sha256)
        if moved is None:
            raise ValueError(f"article '{article.id}' changed and the quote is no longer in it")
        return moved[0]
    start, end = candidate.start, candidate.end
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool):
        raise ValueError("start and end must be integers")
    if candidate.unit == "utf16":
        convert = units.setdefault(article.id, Utf16Map(article.text))
        try:
            start, end = convert.from_utf16(start), convert.from_utf16(end)
        except OffsetError as err:
            raise ValueError(str(err)) from None
    elif candidate.unit != "codepoint":
        raise ValueError(f"unknown offset unit {candidate.unit!r}")
    if not 0 <= start < end <= len(article.text):
        raise ValueError(f"span {start}-{end} is outside article '{article.id}' (length {len(article.text)})")
    if candidate.quote is not None and article.text[start:end] != candidate.quote:
        raise ValueError(f"quote {candidate.quote[:40]!r} does not match the text at {start}-{end}")
    annotator = candidate.annotator or options.annotator
    record = new_annotation(
        article_id=article.id, text=article.text, article_sha256=article.sha256, start=start, end=end,
        label=str(candidate.label), annotator=str(annotator), note=candidate.note or "",
        ann_id=candidate.ann_id or stable_id(article.id, start, end, str(candidate.label), str(annotator)),
        now=candidate.created,
    )
    if candidate.modified:
        record["updated_at"] = candidate.modified
    return record


def run(args: argparse.Namespace) -> int:
    corpus = open_corpus(args, quiet=True)
    options = Options(offsets=args.offsets or DEFAULT_UNITS.get(args.format, "codepoint"),
                      annotator=args.annotator)
    labels = None if args.add_labels else {label.name for label in load_labels(args.labels or corpus.label_file)}
    parser = module(args.format)
    if args.file == "-":
        candidates = parser.parse("<stdin>", sys.stdin, options)
    else:
        path = Path(args.file)
        try:
            with path.open(encoding="utf-8") as handle:
                candidates = parser.parse(str(path), handle, options)
        except OSError as err:
            raise CommandError(f"{path}: cannot read: {err.strerror or err}") from None
        except UnicodeDecodeError as err:
            raise CommandError(f"{path}: not UTF-8 (byte {err.start})") from None
    if args.offsets:
        for candidate in candidates:
            candidate.unit = args.offsets if candidate.record is None else candidate.unit
    by_text = {article.text: article.id for article in corpus.articles} if args.format != "native" else {}
    records, errors = [], []
    units: dict[str, Utf16Map] = {}
    for candidate in candidates:
        try:
            records.append(_to_record(candidate, corpus, by_text, labels, options, units))
        except ValueError as err:
            errors.append(f"{candidate.where}: {err}")
    if errors:
        for message in errors[:MAX_ERRORS]:
            print(f"redline: error: {safe_line(message)}", file=sys.stderr)
        if len(errors) > MAX_ERRORS:
            print(f"redline: error: ... and {len(errors) - MAX_ERRORS} more", file=sys.stderr)
        print(f"redline: nothing imported: {len(errors)} bad record(s) in {args.file}", file=sys.stderr)
        return 1
    store = Store(store_dir(args))
    added = store.add_many(records)
    articles = len({r["article_id"] for r in records})
    print(f"imported {added} annotations into {store.root} ({len(records) - added} already present; "
          f"{articles} articles)", file=sys.stderr)
    return 0
