"""Export and import of 100,000 annotations, beside plain json.dumps/json.loads of the same records.

    python benchmarks/bench_export_import.py [--articles 1000] [--per-article 100] [--runs 3]

A corpus of generated articles (about 6,000 code points each, with emoji,
CJK and CRLF so the UTF-16 paths do real work) is written as .txt files, and
the store is filled through ``Store.add_many`` (the import path). Then each
command runs as ``redline export`` / ``redline import`` in a fresh
interpreter (start-up, corpus load, store read and write included), and its
wall time and peak RSS are taken; medians over the runs. The yardstick in
the same run: ``json.dumps`` of every record to a file and ``json.loads``
back, in one process, with the records already in memory; for the prodigy
export, spaCy's English tokenizer alone over every article (the format needs
every token of every article, so that is its floor).

Memory flatness: the same commands at a tenth of the size; peak RSS at the
full size over peak RSS at a tenth is printed.

``--entities``: the worst case for the training formats. Two thirds of each
article's records are entity corrections, the same words corrected alike by
both annotators (every article then has a passage task and two entity tasks
in the prodigy export, each with the whole text and its tokens, and a DocBin
Doc with ``doc.ents`` set), exported with ``--unreviewed-entities`` so that
no article is left out; the total number of records stays the same.

``--baseline DIR`` (a source tree of another redline version, for example
``git worktree add`` or ``git archive`` of an older commit) runs every command
that version knows right after the current one, on the same data, and prints
the ratio: on a shared machine whose load swings two-fold within minutes,
that ratio is steadier than the seconds.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.core.corpus import load_corpus  # noqa: E402
from tui.core.record import new_annotation  # noqa: E402
from tui.core.store import Store  # noqa: E402

PIECES = ["The alliance met on Tuesday. ", "Leaders 👍🏽 agreed ", "東京 will host the summit. ",
          "Officials said the plan was sound.\r\n", "The 🇯🇵 delegation objected. ", "Critics disagreed. "]
LABELS = ("claim", "quote", "factual error")

# Peak RSS from VmHWM: unlike ru_maxrss it starts afresh at exec, so the parent's size is not counted.
CHILD = ("import sys, time\n"
         "start = time.perf_counter()\n"
         "from tui.cli.main import main\n"
         "code = main(sys.argv[1:])\n"
         "hwm = next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
         "print(time.perf_counter() - start, hwm, code, file=sys.stderr)\n")


ENTITY_WORDS = re.compile(r"Leaders|Officials|Critics")


def entity_corrections(art, count: int) -> list[dict]:
    """``count`` words corrected as entities by each annotator, alike."""
    found = list(ENTITY_WORDS.finditer(art.text))[:count]
    return [new_annotation(article_id=art.id, text=art.text, article_sha256=art.sha256,
                           start=m.start(), end=m.end(), label="ORG", annotator=annotator,
                           kind="entity", suggested_by="spacy:en_core_web_sm 3.8.0")
            for annotator in ("ann", "bob") for m in found]


def make(root: Path, articles: int, per_article: int,
         entities: bool = False) -> tuple[Path, Path, list[dict]]:
    corpus, store = root / "corpus", root / "store"
    corpus.mkdir(parents=True)
    for n in range(articles):
        text = "".join(PIECES[(n + i) % len(PIECES)] for i in range(240))
        (corpus / f"article-{n:05d}.txt").write_text(text, encoding="utf-8", newline="")
    records = []
    for art in load_corpus([corpus]).articles:
        text = art.text
        corrections = entity_corrections(art, per_article // 3) if entities else []
        records.extend(corrections)
        for i in range(per_article - len(corrections)):
            start = (i * 53) % (len(text) - 60)
            records.append(new_annotation(
                article_id=art.id, text=text, article_sha256=art.sha256, start=start,
                end=start + 10 + i % 40, label=LABELS[i % 3], annotator=("ann", "bob")[i % 2],
                note="" if i % 4 else "a note"))
    Store(store).add_many(records)
    return corpus, store, records


def command(*argv: object, tree: Path = ROOT) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one redline command in a fresh interpreter, run from ``tree``."""
    result = subprocess.run([sys.executable, "-c", CHILD, *map(str, argv)], cwd=tree,
                            capture_output=True, text=True, check=False)
    seconds, rss, code = result.stderr.strip().splitlines()[-1].split()
    if code != "0":
        raise SystemExit(f"redline {argv[0]} failed:\n{result.stderr}")
    return float(seconds), int(rss) / 1024


def yardstick(records: list[dict], path: Path) -> tuple[float, float]:
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    dumped = time.perf_counter() - start
    start = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)
    return dumped, time.perf_counter() - start


def tokenizer_alone(corpus: Path) -> float:
    """spaCy's English tokenizer over every article: the floor of the prodigy export."""
    from tui.core.formats.prodigy import tokenizer

    tokenize = tokenizer()
    texts = [a.text for a in load_corpus([corpus]).articles]
    start = time.perf_counter()
    for text in texts:
        tokenize(text)
    return time.perf_counter() - start


def measure(articles: int, per_article: int, runs: int, formats: list[str], baseline: Path | None = None,
            entities: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        corpus, store, records = make(root, articles, per_article, entities)
        tokenize = []
        rows: dict[str, list[tuple[float, float]]] = {}
        base_rows: dict[str, list[tuple[float, float]]] = {}
        dumps, loads = [], []
        for run in range(runs):
            d, lo = yardstick(records, root / "plain.jsonl")
            tokenize.append(tokenizer_alone(corpus))
            dumps.append(d)
            loads.append(lo)
            # (table, row, argv, source tree); with a baseline, the two versions take turns going
            # first, since the second finds the store and corpus in the page cache.
            jobs: list[tuple[dict, str, tuple, Path]] = []
            for fmt in formats:
                argv = ("export", "--store", store, "--corpus", corpus, "--format", fmt)
                extra = ("--unreviewed-entities",) if entities and fmt in ("prodigy", "spacy") else ()
                pair = [(rows, f"export {fmt}", (*argv, *extra, "--out", root / f"out-{fmt}"), ROOT)]
                if baseline is not None and fmt in known_formats(baseline):
                    # A version from before entity corrections writes them as passages.
                    extra = extra if knows(baseline, "--unreviewed-entities") else ()
                    pair.append((base_rows, f"export {fmt}", (*argv, *extra, "--out", root / f"base-{fmt}"),
                                 baseline))
                jobs.extend(pair if run % 2 == 0 else pair[::-1])
            for fmt in ("native", "doccano"):
                argv = ("import", root / f"out-{fmt}", "--format", fmt, "--corpus", corpus, "--add-labels")
                pair = [(rows, f"import {fmt}", (*argv, "--store", root / f"fresh-{fmt}-{run}"), ROOT)]
                if baseline is not None:
                    pair.append((base_rows, f"import {fmt}",
                                 (*argv, "--store", root / f"base-fresh-{fmt}-{run}"), baseline))
                jobs.extend(pair if run % 2 == 0 else pair[::-1])
            for table, name, argv, tree in jobs:
                table.setdefault(name, []).append(command(*argv, tree=tree))
        return {
            "n": len(records),
            "dumps": statistics.median(dumps),
            "loads": statistics.median(loads),
            "tokenize": statistics.median(tokenize),
            "rows": {name: (statistics.median(s for s, _ in v), statistics.median(m for _, m in v))
                     for name, v in rows.items()},
            "baseline": {name: statistics.median(s for s, _ in v) for name, v in base_rows.items()},
        }


def knows(tree: Path, option: str) -> bool:
    return option in (tree / "tui" / "cli" / "commands" / "export.py").read_text(encoding="utf-8")


def known_formats(tree: Path) -> set[str]:
    source = (tree / "tui" / "core" / "formats" / "__init__.py").read_text(encoding="utf-8")
    line = next(line for line in source.splitlines() if line.startswith("EXPORT_FORMATS"))
    return set(re.findall(r'"(\w+)"', line))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--per-article", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="a source tree of another redline version to run beside this one")
    parser.add_argument("--formats", default="native,prodigy,spacy,doccano,labelstudio,brat,w3c")
    parser.add_argument("--entities", action="store_true",
                        help="two thirds of the records are entity corrections (see above)")
    args = parser.parse_args()
    formats = args.formats.split(",")
    if "doccano" not in formats or "native" not in formats:
        raise SystemExit("--formats must include native and doccano (they are imported back)")
    small = measure(max(1, args.articles // 10), args.per_article, args.runs, formats,
                    entities=args.entities)
    full = measure(args.articles, args.per_article, args.runs, formats, args.baseline, args.entities)
    mix = "; two thirds entity corrections" if args.entities else ""
    print(f"{full['n']:,} annotations over {args.articles:,} articles{mix}; medians of {args.runs} runs; "
          "each command in a fresh interpreter")
    print(f"yardstick: json.dumps to a file {full['dumps']:.2f} s, json.loads back {full['loads']:.2f} s")
    print(f"yardstick for prodigy: spaCy's tokenizer alone over the corpus {full['tokenize']:.2f} s")
    print()
    based = bool(full["baseline"])
    print("| command | seconds | x yardstick | peak RSS MB | RSS at 1/10 size | ratio |"
          + (" baseline s | x baseline |" if based else ""))
    print("|---|---:|---:|---:|---:|---:|" + ("---:|---:|" if based else ""))
    for name, (seconds, rss) in full["rows"].items():
        base = full["dumps"] if name.startswith("export") else full["loads"]
        if name in ("export prodigy", "export spacy"):
            base = full["tokenize"]
        small_rss = small["rows"][name][1]
        then = full["baseline"].get(name)
        extra = (f" {then:.2f} | {seconds / then:.2f}x |" if then else " | |") if based else ""
        print(f"| {name} | {seconds:.2f} | {seconds / base:.1f}x | {rss:.0f} | {small_rss:.0f} | "
              f"{rss / small_rss:.2f}x |{extra}")


if __name__ == "__main__":
    main()
