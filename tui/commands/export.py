"""``redline export``: the store's annotations as JSONL or another tool's format."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from tui.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
    warn,
)
from tui.corpus import Article
from tui.formats import DEFAULT_UNITS, EXPORT_FORMATS, module
from tui.formats.common import Options
from tui.store import Store


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "export", help="export annotations (native JSONL, prodigy, doccano, labelstudio, brat, w3c)",
        description="Export the store's annotations. Filters combine; every span is checked "
                    "against its article's text before it is written.",
    )
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="native")
    parser.add_argument("--out", metavar="PATH", default="-", help="file, or - for stdout (brat: a folder)")
    parser.add_argument("--label", action="append", metavar="L", help="only this label (repeatable)")
    parser.add_argument("--annotator", action="append", metavar="A", help="only this annotator (repeatable)")
    parser.add_argument("--article", action="append", metavar="ID", help="only this article (repeatable)")
    parser.add_argument("--offsets", choices=("codepoint", "utf16"),
                        help="offset unit for doccano and labelstudio (default: utf16, as they count)")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    fmt = args.format
    if args.offsets == "utf16" and fmt not in DEFAULT_UNITS:
        raise CommandError(f"--offsets utf16 is for doccano and labelstudio; {fmt} counts code points")
    options = Options(offsets=args.offsets or DEFAULT_UNITS.get(fmt, "codepoint"))
    corpus = open_corpus(args, quiet=True)
    store = Store(store_dir(args), readonly=True)
    if not store.root.exists():
        raise CommandError(f"{store.root}: no store there")
    labels = set(args.label or [])
    annotators = set(args.annotator or [])
    articles = set(args.article or [])
    stats = {"articles": 0, "skipped": 0}

    def groups() -> Iterator[tuple[Article, list[dict]]]:
        current: str | None = None
        bucket: list[dict] = []
        for record in store.iter_all():
            if labels and record["label"] not in labels or annotators and record["annotator"] not in annotators \
                    or articles and record["article_id"] not in articles:
                continue
            if record["article_id"] != current:
                if bucket:
                    yield from checked(current, bucket)
                current, bucket = record["article_id"], []
            bucket.append(record)
        if bucket:
            yield from checked(current, bucket)

    def checked(article_id: str, records: list[dict]) -> Iterator[tuple[Article, list[dict]]]:
        article = corpus.get(article_id)
        if article is None:
            if fmt == "native" or fmt == "w3c":
                # Native and W3C records carry their quote: export them as they are.
                article = Article(id=article_id, text="", title="")
                stats["articles"] += 1
                yield article, records
                return
            stats["skipped"] += len(records)
            warn(f"article '{article_id}' is not in the corpus: {len(records)} annotation(s) left out "
                 "(use --corpus)")
            return
        good = []
        for record in records:
            if article.text[record["start"]:record["end"]] != record["quote"]:
                stats["skipped"] += 1
                warn(f"{article_id}: {record['label']} at {record['start']}-{record['end']} does not "
                     "match the article text (it changed; run redline check); left out")
                continue
            good.append(record)
        if good:
            stats["articles"] += 1
            yield article, good

    exporter = module(fmt)
    if fmt == "brat":
        if args.out in ("-", ""):
            raise CommandError("brat writes a folder: give --out DIR")
        count = exporter.export_dir(groups(), Path(args.out), options)
    elif args.out in ("-", ""):
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=False)
        try:
            count = exporter.export(groups(), out, options)
            out.flush()
        finally:
            out.detach()
    else:
        target = Path(args.out)
        temp = target.with_name(f".{target.name}.partial")
        try:
            with temp.open("w", encoding="utf-8", newline="\n") as out:
                count = exporter.export(groups(), out, options)
            temp.replace(target)
        except OSError as err:
            temp.unlink(missing_ok=True)
            raise CommandError(f"{target}: cannot write: {err.strerror or err}") from None
    for message in options.warnings[:20]:
        warn(message)
    if len(options.warnings) > 20:
        warn(f"... and {len(options.warnings) - 20} more")
    unit = f", offsets in {options.offsets}" if fmt in DEFAULT_UNITS else ""
    print(f"exported {count} annotations from {stats['articles']} articles ({fmt}{unit})"
          + (f"; {stats['skipped']} left out" if stats["skipped"] else ""), file=sys.stderr)
    return 1 if stats["skipped"] else 0
