"""Suggestions for an article once its entities are cached, beside two yardsticks.

    python benchmarks/bench_suggest.py [--runs 7]

For each case, the median of ``--runs`` rounds (contenders alternate within a
round, after one warm-up each) of:

- ``suggest``: ``tui.core.suggest.suggest`` (quotations with speakers, claims,
  entities) on the text and its cached entities;
- ``suggest + review``: the above, then ``Review`` (the annotator's rejections
  read from the store and their annotations subtracted): what the reader gets;
- yardstick ``entity cache``: ``EntityCache.get``, the plain lookup of the
  article's spaCy entities that has to happen before anything is shown;
- yardstick ``sentences``: ``tui.core.text_units.sentences`` over the text.

Cases: each seed (entities from spaCy, cached); a 100,000-word article made of
the five seeds repeated, with their entities shifted along (the worst realistic
case: a long, quote-dense text); and the same text as one paragraph (a feed
that lost its line breaks). Goal: at most 100 ms per article.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.core.corpus import Article, load_corpus  # noqa: E402
from tui.core.entities import Entity, EntityCache, entities_for, find_pipeline, load_recognizer  # noqa: E402
from tui.core.record import new_annotation  # noqa: E402
from tui.core.store import Store  # noqa: E402
from tui.core.suggest import suggest  # noqa: E402
from tui.core.suggest.review import Review  # noqa: E402
from tui.core.text_units import sentences  # noqa: E402

GOAL_MS = 100.0
BIG_WORDS = 100_000


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def prepare_store(root: Path, article: Article, entities: list[Entity], info) -> Store:
    """A store where the annotator has annotated and rejected some of the article's suggestions."""
    store = Store(root)
    found = suggest(article.text, entities, info)
    review = Review(store, article, "ann", found)
    review.reject_many(found[1::7][:40])
    records = [new_annotation(article_id=article.id, text=article.text, article_sha256=article.sha256,
                              start=s.start, end=s.end, label=s.label, annotator="ann")
               for s in found[3::11][:60]]
    store.add_many(records)
    return store


def big_article(articles: list[Article], cached: dict[str, list[Entity]]) -> tuple[Article, list[Entity]]:
    parts: list[str] = []
    entities: list[Entity] = []
    offset = words = 0
    while words < BIG_WORDS:
        for article in articles:
            parts.append(article.text + "\n\n")
            entities += [Entity(e.start + offset, e.end + offset, e.label, e.text) for e in cached[article.id]]
            offset += len(article.text) + 2
            words += len(article.text.split())
    return Article(id="big", text="".join(parts), title="big", source="bench"), entities


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    articles = load_corpus([str(ROOT / "seeds")]).articles
    info = find_pipeline()
    with tempfile.TemporaryDirectory() as folder:
        cache = EntityCache(Path(folder) / "cache-store")
        recognizer = load_recognizer(info)
        cached = {a.id: entities_for(a.text, a.sha256, recognizer, cache) for a in articles}
        big, big_entities = big_article(articles, cached)
        cache.put(big.sha256, info, big_entities)
        # The same text with no line breaks: one paragraph (a feed that lost them).
        flat = Article(id="flat", text=big.text.replace("\n", " "), title="flat", source="bench")
        cache.put(flat.sha256, info, big_entities)
        cases = [(a, cached[a.id]) for a in articles] + [(big, big_entities), (flat, big_entities)]

        print(f"suggestions with {info.description}; median of {args.runs} runs, ms\n")
        print("| article | words | suggestions | suggest | suggest + review | entity cache | "
              "sentences | ratio to cache | ratio to sentences | goal |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for article, entities in cases:
            store = prepare_store(Path(folder) / f"store-{article.id}", article, entities, info)
            count = len(suggest(article.text, entities, info))

            contenders = {
                "suggest": lambda a=article, e=entities: suggest(a.text, e, info),
                "review": lambda a=article, e=entities, s=store: Review(
                    s, a, "ann", suggest(a.text, e, info)).pending,
                "cache": lambda a=article: cache.get(a.sha256, info),
                "sentences": lambda a=article: list(sentences(a.text)),
            }
            times: dict[str, list[float]] = {name: [] for name in contenders}
            for fn in contenders.values():
                fn()  # warm-up
            names = list(contenders)
            for run in range(args.runs):
                for name in names[run % len(names):] + names[:run % len(names)]:
                    times[name].append(timed(contenders[name]))
            m = {name: statistics.median(values) for name, values in times.items()}
            label = {"big": f"{BIG_WORDS:,}-word article",
                     "flat": "the same, one paragraph"}.get(article.id, article.id)
            print(f"| {label} | {len(article.text.split()):,} | {count:,} | {m['suggest']:.1f} | "
                  f"{m['review']:.1f} | {m['cache']:.1f} | {m['sentences']:.1f} | "
                  f"{m['review'] / m['cache']:.1f} | {m['review'] / m['sentences']:.1f} | "
                  f"{GOAL_MS:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
