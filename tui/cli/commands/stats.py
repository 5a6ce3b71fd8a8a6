"""``redline stats``: counts per label, annotator and article; done articles per annotator.

Entity corrections (annotations of kind ``entity``: the model's entities
accepted, relabelled or added) are counted apart, per entity type: PERSON is
not a passage label like ``claim``.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from tui.cli.commands.common import add_store_argument, store_dir
from tui.core.jsonout import dumps
from tui.core.record import ENTITY, kind_of
from tui.core.store import Store
from tui.core.textsafe import safe_line
from tui.core.wording import plural


def _by_count(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def gather(store: Store) -> dict[str, Any]:
    labels: Counter[str] = Counter()
    entity_types: Counter[str] = Counter()
    annotators: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    for record in store.iter_all():
        (entity_types if kind_of(record) == ENTITY else labels)[record["label"]] += 1
        annotators[record["annotator"]] += 1
        articles[record["article_id"]] += 1
    done = {name: sorted(state["done"]) for name, state in store.reading_states().items()}
    return {
        "annotations": sum(labels.values()) + sum(entity_types.values()),
        "labels": _by_count(labels),
        "entity_corrections": _by_count(entity_types),
        "annotators": dict(sorted(annotators.items(), key=lambda kv: (-kv[1], kv[0]))),
        "articles": dict(sorted(articles.items(), key=lambda kv: (-kv[1], kv[0]))),
        "done": {name: ids for name, ids in done.items() if ids},
    }


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("stats", help="annotation counts per label, annotator and article",
                            description="Count annotations per label, annotator and article, "
                            "entity corrections per entity type apart from the labels, and the "
                            "articles each annotator marked done.")
    add_store_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    stats = gather(Store.existing(store_dir(args)))
    if args.json:
        print(dumps(stats))
        return 0
    people = set(stats["annotators"]) | set(stats["done"])
    entities = sum(stats["entity_corrections"].values())
    split = (f": {plural(stats['annotations'] - entities, 'passage label')}, "
             f"{plural(entities, 'entity correction')}" if entities else "")
    print(f"{plural(stats['annotations'], 'annotation')} in {plural(len(stats['articles']), 'article')} "
          f"by {plural(len(people), 'annotator')}{split}")
    _table("label", stats["labels"])
    _table("entity corrections", stats["entity_corrections"])
    done = {name: len(ids) for name, ids in stats["done"].items()}
    rows = {name: stats["annotators"].get(name, 0) for name in sorted(people)}
    if rows:
        width = max(len(safe_line(name)) for name in rows)
        print("\nannotator")
        for name, count in sorted(rows.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {safe_line(name):<{width}}  {count:>7}  done {done.get(name, 0)}")
    _table("article", stats["articles"])
    return 0


def _table(title: str, counts: dict[str, int]) -> None:
    if not counts:
        return
    width = max(len(safe_line(key)) for key in counts)
    print(f"\n{title}")
    for key, count in counts.items():
        print(f"  {safe_line(key):<{width}}  {count:>7}")
