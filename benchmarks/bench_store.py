"""Save cost of the annotation store: spread over many articles, and dense on one.

    python benchmarks/bench_store.py [--saves 200] [--runs 3]
                                     [--spread 1000,10000,100000] [--dense 250,1000,2000,5000,10000]
                                     [--total 100000]

Spread layout: 100 annotations per article, one store per size. Dense layout: one
store of ``total`` annotations in which one article holds each size (250 ... 10,000)
and the rest are spread 100 per article. Stores are filled through
``Store.add_many`` (the import path), so their files are what the store writes.

A save is ``Store.add`` of one new annotation (lock, read of what other processes
appended, journal append, fsync; now and then a compaction). Saves go to every
size in turn (and each is followed by its SQLite insert), so every figure of a
table is taken over the same minutes of a shared disk. Each run opens new
``Store`` objects and reads the articles first, as the app does when it opens
one; the figures are medians over the runs of each run's p50/p95/max.

The yardstick, in the same run on the same disk: SQLite in WAL mode with
synchronous=FULL, one INSERT per transaction into a table with the same rows, an
index on the article and a unique index on the duplicate key (the store's
duplicate rule). ``for_article`` is timed cold (a new Store: the files are read
and checked) and warm (the same Store again); SQLite's is a SELECT of the article's
rows ordered by start. ``counts()`` (the library) is timed cold (no summary cache)
and warm (a new Store, the cache on disk). Times in milliseconds.

The script uses only the public API, so it also runs against older versions of the
store (PYTHONPATH=<older checkout>) for a before/after in the same conditions.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.corpus import Article  # noqa: E402
from tui.core.record import FIELDS, new_annotation  # noqa: E402
from tui.core.store import Store  # noqa: E402

PER_ARTICLE = 100
TEXT = "".join(f"Sentence number {i} of a long news article about the alliance. " for i in range(4000))
ARTICLE_SHA = Article(id="x", text=TEXT, title="t").sha256
DENSE_ID = "feed/dense-report"


def record(article_id: str, n: int, annotator: str = "ann") -> dict:
    start = (n * 37) % (len(TEXT) - 80)
    return new_annotation(article_id=article_id, text=TEXT, article_sha256=ARTICLE_SHA, start=start,
                          end=start + 20 + n % 40, label=("claim", "quote", "factual error")[n % 3],
                          annotator=annotator, note="" if n % 4 else "a note about it",
                          ann_id=str(uuid.UUID(int=random.getrandbits(128))))


def spread_ids(size: int) -> list[str]:
    return [f"feed/article-{i:06d}" for i in range(max(1, size // PER_ARTICLE))]


def fill_spread(store: Store, ids: list[str]) -> None:
    for at in range(0, len(ids), 200):
        store.add_many([record(article_id, n) for article_id in ids[at:at + 200]
                        for n in range(PER_ARTICLE)])


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    return (ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
            ordered[-1])


@dataclass
class Target:
    """One place saves go to: a store and its SQLite twin, and which articles get the saves."""

    name: int
    root: Path
    ids: list[str]
    db: sqlite3.Connection
    ours: list[tuple[float, float, float]] = field(default_factory=list)
    theirs: list[tuple[float, float, float]] = field(default_factory=list)


def time_saves(targets: list[Target], saves: int, runs: int) -> None:
    """Saves to every target in turn, store then SQLite, so all see the same disk at once.

    The disk is shared and its fsync latency drifts by 10x over minutes: measured one
    after the other, two sizes would compare two moments, not two sizes.
    """
    marks = ", ".join("?" for _ in FIELDS)
    for run in range(runs):
        rnd = random.Random(run)
        stores = {t.name: Store(t.root) for t in targets}
        plans = {t.name: [rnd.choice(t.ids) for _ in range(saves)] for t in targets}
        for t in targets:
            for article_id in set(plans[t.name]):
                stores[t.name].for_article(article_id)  # the app reads an article before annotating
        ours: dict[int, list[float]] = {t.name: [] for t in targets}
        theirs: dict[int, list[float]] = {t.name: [] for t in targets}
        for n in range(saves):
            for t in targets:
                article_id = plans[t.name][n]
                item = record(article_id, 1_000_000 + run * saves + n, annotator="bench")
                t0 = time.perf_counter()
                stores[t.name].add(item)
                ours[t.name].append((time.perf_counter() - t0) * 1000)
                row = [record(article_id, 5_000_000 + run * saves + n, annotator="bench")[f]
                       for f in FIELDS]
                t0 = time.perf_counter()
                t.db.execute(f"INSERT OR IGNORE INTO annotations VALUES ({marks})", row)
                theirs[t.name].append((time.perf_counter() - t0) * 1000)
        for t in targets:
            t.ours.append(percentiles(ours[t.name]))
            t.theirs.append(percentiles(theirs[t.name]))


def time_reads(root: Path, article_id: str) -> tuple[float, float]:
    store = Store(root)
    t0 = time.perf_counter()
    store.for_article(article_id)
    cold = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    store.for_article(article_id)
    return cold, (time.perf_counter() - t0) * 1000


def time_counts(root: Path) -> tuple[float, float]:
    for name in ("summary.cache", "summary-cache.json"):
        (root / name).unlink(missing_ok=True)
    t0 = time.perf_counter()
    Store(root).counts()  # cold: reads every article, writes the summary cache
    cold = (time.perf_counter() - t0) * 1000
    warm = []
    for _ in range(3):
        t0 = time.perf_counter()
        Store(root).counts()  # a new process: a listing and a stat or two per article
        warm.append((time.perf_counter() - t0) * 1000)
    return cold, statistics.median(warm)


def time_compaction(root: Path, article_id: str) -> float | None:
    store = Store(root)
    if not hasattr(store, "compact"):
        return None
    store.add(record(article_id, 7_777_777, annotator="bench"))  # something to fold in
    t0 = time.perf_counter()
    store.compact(article_id)
    return (time.perf_counter() - t0) * 1000


# -- SQLite ------------------------------------------------------------------------------------

def sqlite_db(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    columns = ", ".join(f'"{name}"' for name in FIELDS)
    db.execute(f"CREATE TABLE annotations ({columns}, UNIQUE(id))")
    db.execute("CREATE INDEX by_article ON annotations(article_id)")
    db.execute("CREATE UNIQUE INDEX dup ON annotations(article_id, start, end, label, annotator)")
    return db


def sqlite_add(db: sqlite3.Connection, records: list[dict]) -> None:
    marks = ", ".join("?" for _ in FIELDS)
    db.execute("BEGIN")
    db.executemany(f"INSERT OR IGNORE INTO annotations VALUES ({marks})",
                   ([rec[name] for name in FIELDS] for rec in records))
    db.execute("COMMIT")


def sqlite_read(db: sqlite3.Connection, article_id: str) -> float:
    t0 = time.perf_counter()
    db.execute("SELECT * FROM annotations WHERE article_id = ? ORDER BY start, end, id", (article_id,)).fetchall()
    return (time.perf_counter() - t0) * 1000


# -- the two layouts ----------------------------------------------------------------------------

def median_of(runs: list[tuple[float, ...]], index: int) -> float:
    return statistics.median(run[index] for run in runs)


def spread(base: Path, sizes: list[int], saves: int, runs: int) -> list[dict]:
    targets = []
    for size in sizes:
        root = base / f"spread-{size}"
        ids = spread_ids(size)
        fill_spread(Store(root), ids)
        db = sqlite_db(base / f"spread-{size}.db")
        for at in range(0, len(ids), 200):
            sqlite_add(db, [record(a, n) for a in ids[at:at + 200] for n in range(PER_ARTICLE)])
        targets.append(Target(size, root, ids, db))
    time_saves(targets, saves, runs)
    rows = []
    for t in targets:
        cold_read, warm_read = time_reads(t.root, t.ids[0])
        cold, warm = time_counts(t.root)
        rows.append({"size": t.name, "articles": len(t.ids), "p50": median_of(t.ours, 0),
                     "p95": median_of(t.ours, 1), "max": median_of(t.ours, 2),
                     "sql_p50": median_of(t.theirs, 0), "sql_p95": median_of(t.theirs, 1),
                     "read_cold": cold_read, "read_warm": warm_read, "sql_read": sqlite_read(t.db, t.ids[0]),
                     "counts_cold": cold, "counts_warm": warm})
        t.db.close()
    return rows


def dense(base: Path, sizes: list[int], total: int, saves: int, runs: int) -> list[dict]:
    """Every size on its own article of one store (100,000 in all), saves interleaved."""
    root = base / "dense"
    background = spread_ids(max(0, total - sum(sizes)))
    fill_spread(Store(root), background)
    db = sqlite_db(base / "dense.db")
    for at in range(0, len(background), 200):
        sqlite_add(db, [record(a, n) for a in background[at:at + 200] for n in range(PER_ARTICLE)])
    targets = []
    for size in sorted(sizes):
        article_id = f"{DENSE_ID}-{size}"
        for at in range(0, size, 5000):
            grow = [record(article_id, n) for n in range(at, min(size, at + 5000))]
            Store(root).add_many(grow)
            sqlite_add(db, grow)
        targets.append(Target(size, root, [article_id], db))
    in_store = len(background) * PER_ARTICLE + sum(sizes)
    time_saves(targets, saves, runs)
    rows = []
    for t in targets:
        cold_read, warm_read = time_reads(root, t.ids[0])
        rows.append({"size": t.name, "in_store": in_store, "p50": median_of(t.ours, 0),
                     "p95": median_of(t.ours, 1), "max": median_of(t.ours, 2),
                     "sql_p50": median_of(t.theirs, 0), "sql_p95": median_of(t.theirs, 1),
                     "read_cold": cold_read, "read_warm": warm_read, "sql_read": sqlite_read(db, t.ids[0]),
                     "compact": time_compaction(root, t.ids[0])})
    counts = time_counts(root)
    db.close()
    for row in rows:
        row["counts_cold"], row["counts_warm"] = counts
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spread", default="1000,10000,100000")
    parser.add_argument("--dense", default="250,1000,2000,5000,10000")
    parser.add_argument("--total", type=int, default=100_000)
    args = parser.parse_args()
    spread_sizes = [int(s) for s in args.spread.split(",") if s]
    dense_sizes = [int(s) for s in args.dense.split(",") if s]
    random.seed(7)
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as scratch:
        base = Path(scratch)
        spread_rows = spread(base, spread_sizes, args.saves, args.runs) if spread_sizes else []
        dense_rows = dense(base, dense_sizes, args.total, args.saves, args.runs) if dense_sizes else []
    print(f"saves per run: {args.saves}, runs: {args.runs}; medians over runs of each run's figure; ms")
    if spread_rows:
        first = spread_rows[0]["p95"]
        print(f"\nspread: {PER_ARTICLE} annotations per article\n")
        print("| annotations | articles | save p50 | save p95 | save max | SQLite p50 | SQLite p95 "
              "| p95 / SQLite | p95 / p95 at first size | for_article cold | warm | SQLite read "
              "| counts() cold | counts() warm |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in spread_rows:
            print(f"| {r['size']:,} | {r['articles']:,} | {r['p50']:.2f} | {r['p95']:.2f} | {r['max']:.1f} "
                  f"| {r['sql_p50']:.2f} | {r['sql_p95']:.2f} | {r['p95'] / r['sql_p95']:.1f}x "
                  f"| {r['p95'] / first:.2f}x | {r['read_cold']:.1f} | {r['read_warm']:.2f} "
                  f"| {r['sql_read']:.2f} | {r['counts_cold']:.0f} | {r['counts_warm']:.1f} |")
    if dense_rows:
        at_1000 = next((r["p95"] for r in dense_rows if r["size"] == 1000), dense_rows[0]["p95"])
        print(f"\ndense: one article per size, {dense_rows[0]['in_store']:,} annotations in the store "
              f"before the saves (counts(): cold {dense_rows[0]['counts_cold']:.0f}, "
              f"warm {dense_rows[0]['counts_warm']:.1f})\n")
        print("| on the article | in the store | save p50 | save p95 | save max | SQLite p50 "
              "| SQLite p95 | p95 / SQLite | p95 / p95 at 1,000 | for_article cold | warm "
              "| SQLite read | compaction |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in dense_rows:
            compact = f"{r['compact']:.0f}" if r["compact"] is not None else "n/a"
            print(f"| {r['size']:,} | {r['in_store']:,} | {r['p50']:.2f} | {r['p95']:.2f} | {r['max']:.1f} "
                  f"| {r['sql_p50']:.2f} | {r['sql_p95']:.2f} | {r['p95'] / r['sql_p95']:.1f}x "
                  f"| {r['p95'] / at_1000:.2f}x | {r['read_cold']:.1f} | {r['read_warm']:.2f} "
                  f"| {r['sql_read']:.2f} | {compact} |")


if __name__ == "__main__":
    main()
