"""Save cost of the annotation store as the store grows, beside SQLite and stock TinyDB.

    python benchmarks/bench_store.py [--saves 200] [--runs 3] [--sizes 1000,10000,100000]

For each size the store is generated directly on disk (100 annotations per
article, in the store's own file format), then single annotations are saved
through ``Store.add`` (lock, fresh read, temp file, fsync, rename, folder
fsync). The yardstick, measured in the same run on the same disk: SQLite in
WAL mode with synchronous=FULL, one INSERT per transaction, with the same
number of rows already in the table. Stock TinyDB (one JSON file, default
JSONStorage) is measured at each size with a few inserts.

Figures are milliseconds; p50/p95 are medians over the runs.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinydb import TinyDB  # noqa: E402

from tui.core.corpus import Article  # noqa: E402
from tui.core.record import FIELDS, new_annotation  # noqa: E402
from tui.core.store import ANNOTATIONS, FILE_FORMAT, META, Store, _encode  # noqa: E402

PER_ARTICLE = 100
TEXT = "".join(f"Sentence number {i} of a long news article about the alliance. " for i in range(400))
ARTICLE_SHA = Article(id="x", text=TEXT, title="t").sha256


def record(article_id: str, n: int, annotator: str = "ann") -> dict:
    start = (n * 37) % (len(TEXT) - 80)
    return new_annotation(article_id=article_id, text=TEXT, article_sha256=ARTICLE_SHA, start=start,
                          end=start + 20 + n % 40, label=("claim", "quote", "factual error")[n % 3],
                          annotator=annotator, note="" if n % 4 else "a note about it",
                          ann_id=str(uuid.UUID(int=random.getrandbits(128))))


def build_store(root: Path, size: int) -> list[str]:
    store = Store(root)
    ids = [f"feed/article-{i:06d}" for i in range(max(1, size // PER_ARTICLE))]
    for article_id in ids:
        docs = {str(n + 1): record(article_id, n) for n in range(PER_ARTICLE)}
        data = {ANNOTATIONS: docs, META: {"1": {"owner": article_id, "kind": ANNOTATIONS, "format": FILE_FORMAT}}}
        store.path_for(article_id).write_bytes(_encode(data))
    return ids


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def time_store(root: Path, ids: list[str], saves: int) -> list[float]:
    store = Store(root)
    rnd = random.Random(1)
    out = []
    for n in range(saves):
        item = record(rnd.choice(ids), 1000 + n, annotator="bench")
        t0 = time.perf_counter()
        store.add(item)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def build_sqlite(path: Path, size: int) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    columns = ", ".join(f'"{name}"' for name in FIELDS)
    db.execute(f"CREATE TABLE annotations ({columns}, UNIQUE(id))")
    db.execute("CREATE INDEX by_article ON annotations(article_id)")
    db.execute("BEGIN")
    marks = ", ".join("?" for _ in FIELDS)
    db.executemany(f"INSERT INTO annotations VALUES ({marks})",
                   ([rec[name] for name in FIELDS] for i in range(size)
                    for rec in [record(f"feed/article-{i // PER_ARTICLE:06d}", i)]))
    db.execute("COMMIT")
    return db


def time_sqlite(db: sqlite3.Connection, saves: int) -> list[float]:
    marks = ", ".join("?" for _ in FIELDS)
    out = []
    for n in range(saves):
        rec = record("feed/article-000001", 5000 + n, annotator="bench")
        t0 = time.perf_counter()
        db.execute(f"INSERT INTO annotations VALUES ({marks})", [rec[name] for name in FIELDS])
        out.append((time.perf_counter() - t0) * 1000)
    return out


def time_stock_tinydb(folder: Path, size: int, inserts: int) -> list[float]:
    path = folder / "stock.json"
    docs = {str(i + 1): record(f"feed/article-{i // PER_ARTICLE:06d}", i) for i in range(size)}
    path.write_bytes(_encode({"_default": docs}))
    out = []
    for n in range(inserts):
        db = TinyDB(path)  # stock JSONStorage: reads the whole file, rewrites it in place
        t0 = time.perf_counter()
        db.insert(record("feed/article-000001", 9000 + n, annotator="bench"))
        out.append((time.perf_counter() - t0) * 1000)
        db.close()
    return out


def time_counts(root: Path) -> tuple[float, float]:
    (root / "summary-cache.json").unlink(missing_ok=True)
    t0 = time.perf_counter()
    Store(root).counts()  # cold: parses every file, writes the summary cache
    cold = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    Store(root).counts()  # a new process: stat per file, cache from disk
    warm = (time.perf_counter() - t0) * 1000
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--stock-inserts", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    random.seed(7)
    rows = []
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent) as scratch:
        base = Path(scratch)
        for size in sizes:
            root = base / f"store-{size}"
            ids = build_store(root, size)
            sql = build_sqlite(base / f"sqlite-{size}.db", size)
            ours, theirs = [], []
            for _ in range(args.runs):
                ours.append(percentiles(time_store(root, ids, args.saves)))
                theirs.append(percentiles(time_sqlite(sql, args.saves)))
            sql.close()
            stock = statistics.median(time_stock_tinydb(base, size, args.stock_inserts))
            cold, warm = time_counts(root)
            t0 = time.perf_counter()
            Store(root).for_article(ids[0])
            read = (time.perf_counter() - t0) * 1000
            rows.append((size, len(ids),
                         statistics.median(p for p, _ in ours), statistics.median(q for _, q in ours),
                         statistics.median(p for p, _ in theirs), statistics.median(q for _, q in theirs),
                         stock, read, cold, warm))
    base_p95 = rows[0][3]
    print(f"saves per run: {args.saves}, runs: {args.runs}, {PER_ARTICLE} annotations per article file; "
          f"stock TinyDB: median of {args.stock_inserts} inserts")
    print()
    print("| annotations | files | store p50 | store p95 | SQLite p50 | SQLite p95 | store/SQLite p95 "
          "| p95 / p95 at first size | stock TinyDB insert | for_article | counts() cold | counts() warm |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, files, p50, p95, s50, s95, stock, read, cold, warm in rows:
        print(f"| {size:,} | {files:,} | {p50:.2f} | {p95:.2f} | {s50:.2f} | {s95:.2f} | {p95 / s95:.2f}x "
              f"| {p95 / base_p95:.2f}x | {stock:.1f} | {read:.2f} | {cold:.0f} | {warm:.1f} |")
    t0 = time.perf_counter()
    Store(Path(tempfile.gettempdir()) / "redline-no-such-store", readonly=True).counts()
    print(f"\nempty store counts(): {(time.perf_counter() - t0) * 1000:.3f} ms")


if __name__ == "__main__":
    main()
