"""``redline entities ARTICLE_ID``: an article's entities as JSONL."""

from __future__ import annotations

import argparse
import sys

from tui.cli.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
)
from tui.core.entities import EntityCache, entities_for, find_pipeline, load_recognizer
from tui.core.jsonout import dumps
from tui.core.textsafe import safe_line


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "entities", help="print an article's named entities as JSONL",
        description='Print {"text", "label", "start", "end"} per entity; offsets are code points '
                    "into the article, end exclusive.",
    )
    parser.add_argument("article", metavar="ARTICLE_ID", help="the article's id (see redline list)")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: the best installed)")
    parser.add_argument("--no-cache", action="store_true", help="recognise again, ignore the cache")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    corpus = open_corpus(args)
    article = corpus.get(args.article)
    if article is None:
        raise CommandError(f"no article with id '{args.article}' (see: redline list)")
    info = find_pipeline(args.model)
    print(f"entities by {'the ' if info.fallback else ''}{info.description}", file=sys.stderr)
    cache = None if args.no_cache else EntityCache(store_dir(args))
    found = cache.get(article.sha256, info) if cache else None
    if found is None:
        found = entities_for(article.text, article.sha256, load_recognizer(info), cache)
    out = sys.stdout
    for entity in found:
        out.write(dumps({"text": entity.text, "label": entity.label,
                         "start": entity.start, "end": entity.end}) + "\n")
    if article.decode_note:
        print(f"note: {safe_line(article.decode_note)}", file=sys.stderr)
    return 0
