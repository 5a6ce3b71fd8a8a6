"""``redline suggest``: quotations, claims and entities proposed for annotation."""

from __future__ import annotations

import argparse
import sys

from tui.cli.commands.common import (
    CommandError,
    add_corpus_option,
    add_store_argument,
    open_corpus,
    store_dir,
    warn,
)
from tui.core.config import annotator_name
from tui.core.entities import EntityCache, entities_for, find_pipeline, load_recognizer
from tui.core.jsonout import dumps
from tui.core.suggest import KINDS, suggest
from tui.core.textsafe import safe_line

QUOTE_WIDTH = 60


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "suggest", help="propose quotations, claims and entities to annotate",
        description="Print the suggestions for the articles (all, or the ids given): direct speech "
                    "with its speaker, attributed claims and sentences with figures or comparisons, "
                    "and the model's entities, each with its reason and provenance. Offsets are code "
                    "points into the article, end exclusive. Suggestions the annotator rejected or "
                    "already annotated are left out unless --all is given.",
    )
    parser.add_argument("articles", nargs="*", metavar="ARTICLE",
                        help="article ids (see redline list); default: every article")
    parser.add_argument("--kind", action="append", choices=KINDS,
                        help="only suggestions of this kind (repeatable; default: all)")
    parser.add_argument("--json", action="store_true", help="one JSON object per suggestion (JSONL)")
    parser.add_argument("--annotator", metavar="NAME",
                        help="whose rejections and annotations to leave out (default: the login user)")
    parser.add_argument("--all", action="store_true",
                        help="include suggestions rejected or already annotated")
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: the best installed)")
    add_corpus_option(parser)
    add_store_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tui.core.store import Store
    from tui.core.suggest.review import Review

    corpus = open_corpus(args)
    if args.articles:
        missing = [a for a in args.articles if corpus.get(a) is None]
        if missing:
            raise CommandError(f"no article with id '{missing[0]}' (see: redline list)")
        articles = [corpus.get(a) for a in args.articles]
    else:
        articles = list(corpus.articles)
    annotator = annotator_name(args.annotator)
    if not annotator:
        raise CommandError("--annotator must not be empty")
    kinds = tuple(args.kind or KINDS)
    info = find_pipeline(args.model)
    cache = EntityCache(store_dir(args))
    store = Store(store_dir(args), readonly=True)
    recognizer = None
    out = sys.stdout
    for article in articles:
        entities = cache.get(article.sha256, info)
        if entities is None:
            if recognizer is None:
                print(f"recognising entities with {'the ' if info.fallback else ''}{info.description}",
                      file=sys.stderr)
                recognizer = load_recognizer(info)
            entities = entities_for(article.text, article.sha256, recognizer, cache)
        found = suggest(article.text, entities, info, kinds=kinds)
        if not args.all:
            found = Review(store, article, annotator, found).pending
        for suggestion in found:
            if args.json:
                out.write(dumps(suggestion.as_json(article.id)) + "\n")
            else:
                out.write(_line(article.id, suggestion) + "\n")
        if article.decode_note:
            warn(f"{article.id}: {article.decode_note}")
    return 0


def _line(article_id: str, suggestion) -> str:
    quote = safe_line(suggestion.quote)
    if len(quote) > QUOTE_WIDTH:
        quote = quote[:QUOTE_WIDTH - 1] + "…"
    note = f"  ({safe_line(suggestion.note)})" if suggestion.note else ""
    return (f"{safe_line(article_id)}\t{suggestion.start}-{suggestion.end}\t{suggestion.kind}\t"
            f"{safe_line(suggestion.label)}\t\"{quote}\"\t{safe_line(suggestion.reason)}{note}")
