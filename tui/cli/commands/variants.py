"""``redline variants``: spelling variants of names across the corpus ("Stolenberg")."""

from __future__ import annotations

import argparse
import sys

from tui.cli.commands.common import add_corpus_arguments, add_store_argument, open_corpus, store_dir
from tui.core.jsonout import dumps
from tui.core.textsafe import safe_line


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "variants", help="list rare spellings of names that most of the corpus spells otherwise",
        description="Finds names (from the entity recogniser) spelled one way in most places and "
                    "another in a few: 'Stolenberg' beside the many 'Stoltenberg'. Different "
                    "people with similar names are told apart by entity type, given names and "
                    "frequency. Entities come from the store's cache (see: redline ner).",
    )
    add_corpus_arguments(parser)
    add_store_argument(parser)
    parser.add_argument("--model", metavar="NAME", help="spaCy pipeline (default: the best installed)")
    parser.add_argument("--json", action="store_true", help="JSON Lines, one variant per line")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tui.core.compare.variants import corpus_variants
    from tui.core.entities import EntityCache, find_pipeline, load_recognizer

    corpus = open_corpus(args)
    info = find_pipeline(args.model)
    print(f"entities by {'the ' if info.fallback else ''}{info.description}", file=sys.stderr)
    cache = EntityCache(store_dir(args))
    articles = corpus.articles
    if sys.stderr.isatty() and articles:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("reading entities", total=len(articles))
            report = corpus_variants(articles, load_recognizer(info), cache,
                                     progress=lambda done, _total: bar.update(task, completed=done))
    else:
        report = corpus_variants(articles, load_recognizer(info), cache)
    out = sys.stdout
    for variant in report.variants:
        if args.json:
            out.write(dumps({
                "variant": variant.variant.text,
                "majority": variant.majority.text,
                "label": variant.label,
                "variant_count": variant.variant.count,
                "majority_count": variant.majority.count,
                "occurrences": [{"article": o.article_id, "start": o.start, "end": o.end}
                                for o in variant.variant.occurrences],
                "majority_articles": variant.majority.articles,
            }) + "\n")
        else:
            where = ", ".join(f"{safe_line(a)} {_places(variant.variant, a)}"
                              for a in variant.variant.articles)
            majority = ", ".join(f"{safe_line(a)} ×{n}" for a, n in variant.majority.articles.items())
            out.write(f"{safe_line(variant.variant.text)} → {safe_line(variant.majority.text)}"
                      f"  ({variant.label})\n"
                      f"  rare:     {variant.variant.count}×  in {where}\n"
                      f"  majority: {variant.majority.count}×  in {majority}\n")
    print(f"{len(report.variants)} spelling variant{'s' if len(report.variants) != 1 else ''} "
          f"among {len(articles)} article{'s' if len(articles) != 1 else ''}", file=sys.stderr)
    return 0


def _places(spelling, article_id: str) -> str:
    spans = [f"{o.start}-{o.end}" for o in spelling.occurrences if o.article_id == article_id]
    return "at " + ", ".join(spans)
