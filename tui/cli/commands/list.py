"""``redline list``: the articles of a corpus with their titles and counts."""

from __future__ import annotations

import argparse

from tui.cli.commands.common import (
    add_corpus_arguments,
    add_store_argument,
    open_corpus,
    store_dir,
    warn,
)
from tui.core.jsonout import dumps
from tui.core.textsafe import safe_line


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("list", help="list the articles of a corpus",
                            description="List the articles: id, title, words and annotation counts.")
    add_corpus_arguments(parser)
    add_store_argument(parser)
    parser.add_argument("--json", action="store_true", help="one JSON object per article")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    corpus = open_corpus(args)
    counts = _counts(args)
    for article in corpus.articles:
        count = counts.get(article.id, 0)
        if args.json:
            print(dumps({"id": article.id, "title": article.title, "source": article.source,
                         "words": article.words, "annotations": count}))
        else:
            print(f"{safe_line(article.id)}\t{safe_line(article.title)}\t{article.words} words\t{count} annotations")
    return 0


def _counts(args: argparse.Namespace) -> dict[str, int]:
    from tui.core.store import NoStoreError, Store

    try:
        per_annotator = Store.existing(store_dir(args)).counts()
    except NoStoreError as err:
        warn(f"{err}; every count below is 0")
        return {}
    return {article_id: sum(counts.values()) for article_id, counts in per_annotator.items()}
