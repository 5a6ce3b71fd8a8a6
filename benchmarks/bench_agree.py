"""Agreement over 100,000 annotations by 5 annotators, opening review, per-article agreement.

    python benchmarks/bench_agree.py [--articles 1000] [--words 700] [--runs 3]

A generated corpus (about ``--words`` words per article, from a vocabulary of
a few thousand made-up words with punctuation, so spaCy's tokenizer does real
work) and a store where five annotators each tag about 20 passages per
article: most passages are shared, with edges moved by a word, labels changed
and passages skipped or added now and then, as real annotators do.

Measured (medians of ``--runs``):

* ``redline agree --json`` in a fresh interpreter (start-up, corpus and store
  reading, tokens, all figures): cold (no token cache: spaCy is imported and
  every article tokenized) and warm (tokens from ``<store>/cache/tokens``).
  Yardstick in the same run: reading the same annotations with
  ``Store.iter_all()`` in a fresh interpreter (start-up and imports included).
* the same in-process, split into gathering and computing.
* opening review on an article: ``Review.open`` for a typical article (100
  annotations) and the worst (one article with 5 x 400 annotations), and the
  review screen's first frame in a headless app for both. Yardsticks: the same
  screen with no article to show (Textual's cost for its widgets), and a screen
  with one Static and a Footer, pushed the same way.
* ``article_agreement`` for a library: over the 1,000 articles above (all with
  5 annotators), and over 10,000 articles with 2 annotators and 10
  annotations each, beside ``Store.counts()`` on the same store.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tui.core.corpus import load_corpus  # noqa: E402
from tui.core.record import new_annotation  # noqa: E402
from tui.core.store import Store  # noqa: E402

LABELS = ("claim", "quote", "factual error")
PEOPLE = ("ann", "bob", "cyd", "dee", "eve")
PUNCT = [",", ",", ".", ";", ":", "—", "'s", "n't", "(", ")", "“", "”", "%", "-"]

CHILD = ("import sys, time\n"
         "start = time.perf_counter()\n"
         "from tui.cli.main import main\n"
         "code = main(sys.argv[1:])\n"
         "print(time.perf_counter() - start, code, file=sys.stderr)\n")
ITER_ALL = ("import sys, time\n"
            "start = time.perf_counter()\n"
            "from tui.core.store import Store\n"
            "n = sum(1 for _ in Store(sys.argv[1], readonly=True).iter_all())\n"
            "print(time.perf_counter() - start, n, file=sys.stderr)\n")


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 11))) for _ in range(size)]
    return words + [w.capitalize() for w in words[:400]] + ["NATO", "U.S.", "e.g.", "2023", "Dr."]


def make_text(rng: random.Random, vocab: list[str], words: int) -> str:
    # Zipf's law: the word of rank r comes up in proportion to 1/r.
    weights = [1 / (rank + 1) for rank in range(len(vocab))]
    paragraphs, count = [], 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            size = rng.randint(8, 30)
            parts = rng.choices(vocab, weights=weights, k=size)
            for _ in range(size // 8):
                at = rng.randrange(1, size)
                parts[at] = parts[at] + rng.choice(PUNCT)
            sentences.append(" ".join(parts).capitalize() + ".")
            count += size
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    from tui.core import text_units

    return list(text_units.sentences(text))


def jitter(rng: random.Random, text: str, start: int, end: int) -> tuple[int, int]:
    from tui.core import text_units

    roll = rng.random()
    if roll < 0.1:
        return text_units.extend_end_by_word(text, start, end)
    if roll < 0.2:
        return text_units.shrink_end_by_word(text, start, end)
    return start, end


def annotate(rng: random.Random, article, people: tuple[str, ...], passages: int) -> list[dict]:
    text = article.text
    spans = sentence_spans(text)
    chosen = rng.sample(spans, min(passages, len(spans)))
    records = []
    for who in people:
        for start, end in chosen:
            if rng.random() < 0.1:
                continue  # skipped
            s, e = jitter(rng, text, start, end)
            label = LABELS[(start // 7) % 3] if rng.random() < 0.9 else rng.choice(LABELS)
            records.append(new_annotation(article_id=article.id, text=text,
                                          article_sha256=article.sha256, start=s, end=e,
                                          label=label, annotator=who))
        for start, end in rng.sample(spans, min(2, len(spans))):  # their own additions
            records.append(new_annotation(article_id=article.id, text=text,
                                          article_sha256=article.sha256, start=start, end=end,
                                          label=rng.choice(LABELS), annotator=who))
    return records


def build(root: Path, articles: int, words: int, people: tuple[str, ...], passages: int,
          worst: bool) -> tuple[Path, Path, int]:
    rng = random.Random(11)
    vocab = vocabulary(rng)
    corpus_dir, store_dir = root / "corpus", root / "store"
    corpus_dir.mkdir(parents=True)
    for n in range(articles):
        (corpus_dir / f"a{n:05d}.txt").write_text(make_text(rng, vocab, words), encoding="utf-8")
    if worst:  # one long article, heavily annotated
        (corpus_dir / "worst.txt").write_text(make_text(rng, vocab, 20 * words), encoding="utf-8")
    corpus = load_corpus([corpus_dir])
    records = []
    for article in corpus.articles:
        many = passages * 20 if article.id == "worst" else passages
        records += annotate(rng, article, people, many)
    Store(store_dir).add_many(records)
    return corpus_dir, store_dir, len(records)


def child(code: str, *argv: object) -> float:
    result = subprocess.run([sys.executable, "-c", code, *map(str, argv)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    last = result.stderr.strip().splitlines()[-1].split()
    if result.returncode != 0 or (code is CHILD and last[1] != "0"):
        raise SystemExit(f"failed: {argv}\n{result.stderr}")
    return float(last[0])


def in_process(corpus_dir: Path, store_dir: Path) -> tuple[float, float]:
    from tui.core.agreement import compute, gather

    corpus = load_corpus([corpus_dir])
    store = Store(store_dir, readonly=True)
    start = time.perf_counter()
    works, _notes = gather(store, corpus, exclude={"gold"})
    gathered = time.perf_counter() - start
    start = time.perf_counter()
    compute(works, cache=store_dir / "cache")  # warm: the commands above filled the cache
    return gathered, time.perf_counter() - start


def review_open(corpus_dir: Path, store_dir: Path, article_id: str, runs: int) -> float:
    from tui.core.review import Review

    article = load_corpus([corpus_dir]).get(article_id)
    store = Store(store_dir)
    times = []
    for _ in range(max(5, runs)):
        start = time.perf_counter()
        Review.open(store, article, "gold", "bench")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def first_frames(corpus_dir: Path, store_dir: Path, ids: list[str],
                       runs: int) -> dict[str, float]:
    from bench_render import FrameClock, settle
    from textual.screen import Screen
    from textual.widgets import Footer, Static

    from tests.conftest import make_session
    from tui.ui.app import RedlineApp
    from tui.ui.screens.review import ReviewScreen

    class Plain(Screen):
        def compose(self):
            yield Static("yardstick")
            yield Footer()

    app = RedlineApp(make_session([corpus_dir], store_dir, annotator="bench"))
    found: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        for _ in range(max(15, runs)):  # frames are short and noisy: many of them
            for name, make in [("plain screen", Plain),
                               ("empty review", lambda: ReviewScreen([], gold="gold")),
                               *[(f"review {i}", lambda i=i: ReviewScreen([i], gold="gold"))
                                 for i in ids]]:
                screen = make()
                start = time.perf_counter()
                await app.push_screen(screen)
                # The first frame the compositor draws with the screen on top, not the
                # moment the app next goes idle (pause() waits for timers and workers too).
                took = await settle(pilot, clock, start, lambda s=screen: app.screen is s)
                assert took is not None, f"{name}: no frame"
                found.setdefault(name, []).append(took)
                app.pop_screen()
                await pilot.pause()
    return {name: statistics.median(values) for name, values in found.items()}


def library(root: Path, articles: int, runs: int) -> tuple[int, float, float]:
    from tui.core.agreement import article_agreement

    _corpus_dir, store_dir, _n = build(root / "library", articles, 120, PEOPLE[:2], 5, False)
    store = Store(store_dir, readonly=True)
    counts, scores = [], []
    for _ in range(runs):
        fresh = Store(store_dir, readonly=True)
        start = time.perf_counter()
        got = fresh.counts()
        counts.append(time.perf_counter() - start)
        start = time.perf_counter()
        result = article_agreement(store, counts=got)
        scores.append(time.perf_counter() - start)
    return len(result), statistics.median(counts), statistics.median(scores)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--words", type=int, default=700)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--library", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        corpus_dir, store_dir, total = build(root, args.articles, args.words, PEOPLE, 20, True)
        agree, warm, iter_all, gathered, computed = [], [], [], [], []
        command = ("agree", "--store", store_dir, "--corpus", corpus_dir, "--json")
        for _ in range(args.runs):
            iter_all.append(child(ITER_ALL, store_dir))
            shutil.rmtree(store_dir / "cache", ignore_errors=True)
            agree.append(child(CHILD, *command))
            warm.append(child(CHILD, *command))
            g, c = in_process(corpus_dir, store_dir)
            gathered.append(g)
            computed.append(c)
        worst = [r for r in Store(store_dir, readonly=True).for_article("worst")]
        typical = Store(store_dir, readonly=True).for_article("a00000")
        opened = {
            f"a00000 ({len(typical)} annotations)": review_open(corpus_dir, store_dir, "a00000",
                                                                args.runs),
            f"worst ({len(worst)} annotations)": review_open(corpus_dir, store_dir, "worst",
                                                             args.runs),
        }
        frames = asyncio.run(first_frames(corpus_dir, store_dir, ["a00000", "worst"], args.runs))
        # The worst again once review is well under way: gold holds a span for most places.
        from tui.core.review import Review

        reviewed = Review.open(Store(store_dir), load_corpus([corpus_dir]).get("worst"), "gold",
                               "bench")
        reviewed.accept_agreed()
        for group in list(reviewed.disagreements):
            reviewed.accept(group.versions[0])
        opened[f"worst, reviewed ({len(reviewed.gold_records)} in gold)"] = review_open(
            corpus_dir, store_dir, "worst", args.runs)
        shown, counts, scores = library(root, args.library, args.runs)

    med = statistics.median
    print(f"{total:,} annotations by {len(PEOPLE)} annotators over {args.articles + 1:,} articles "
          f"(~{args.words} words each, one of ~{20 * args.words}); medians of {args.runs} runs "
          f"(screens: of {max(15, args.runs)}); load average at the end "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print()
    print("| measurement | seconds | x yardstick | goal |")
    print("|---|---:|---:|---:|")
    print(f"| yardstick: Store.iter_all() in a fresh interpreter | {med(iter_all):.2f} | 1.0x | |")
    print(f"| redline agree --json, cold: no token cache (fresh interpreter) | {med(agree):.2f} | "
          f"{med(agree) / med(iter_all):.1f}x | 5 s |")
    print(f"| redline agree --json, warm: tokens cached (fresh interpreter) | {med(warm):.2f} | "
          f"{med(warm) / med(iter_all):.1f}x | 5 s |")
    print(f"| in process: gather (store, corpus, re-anchor check) | {med(gathered):.2f} | | |")
    print(f"| in process: compute, tokens cached (spans, kappa, alpha) | {med(computed):.2f} | | |")
    print()
    print("| opening review | ms | goal |")
    print("|---|---:|---:|")
    for name, seconds in opened.items():
        print(f"| Review.open {name} | {seconds * 1000:.1f} | 100 |")
    plain = frames.pop("plain screen")
    empty = frames.pop("empty review")
    print(f"| yardstick: push a plain screen (Static, Footer), first frame | {plain * 1000:.1f} | |")
    print(f"| yardstick: push ReviewScreen with nothing to show, first frame | "
          f"{empty * 1000:.1f} | |")
    for name, seconds in frames.items():
        print(f"| {name}: push ReviewScreen, first frame | {seconds * 1000:.1f} "
              f"({seconds / empty:.2f}x empty review, {seconds / plain:.1f}x plain) | 100 |")
    print()
    print(f"library: article_agreement over {args.library:,} articles with 2 annotators "
          f"({shown:,} scored): {scores:.2f} s; Store.counts() on the same store: {counts:.3f} s")


if __name__ == "__main__":
    main()
