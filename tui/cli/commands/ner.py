"""``redline ner [CORPUS]``: recognise every article once, so the reader never waits."""

from __future__ import annotations

import argparse
import sys
import time

from tui.cli.commands.common import add_corpus_arguments, add_store_argument, open_corpus, store_dir
from tui.core.entities import EntityCache, entities_for, find_pipeline, load_recognizer


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "ner", help="warm the entity cache for a whole corpus",
        description="Recognise the entities of every article and cache them in the store, "
                    "shared by every annotator of that store.",
    )
    add_corpus_arguments(parser)
    add_store_argument(parser)
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: the best installed)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    corpus = open_corpus(args)
    info = find_pipeline(args.model)
    cache = EntityCache(store_dir(args))
    started = time.perf_counter()
    todo = [a for a in corpus.articles if cache.get(a.sha256, info) is None]
    cached = len(corpus) - len(todo)
    total_entities = 0
    if todo:
        recognizer = load_recognizer(info)
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            with Progress(console=Console(stderr=True), transient=True) as progress:
                task = progress.add_task("recognising", total=len(todo))
                for article in todo:
                    total_entities += len(entities_for(article.text, article.sha256, recognizer, cache))
                    progress.advance(task)
        else:
            for article in todo:
                total_entities += len(entities_for(article.text, article.sha256, recognizer, cache))
    elapsed = time.perf_counter() - started
    print(f"recognised {len(corpus)} articles ({cached} from cache, {total_entities} new entities) "
          f"with {info.description} in {elapsed:.1f} s", file=sys.stderr)
    return 0
