"""Cross-article comparison at scale: index build, lookups, beside a brute-force rapidfuzz scan.

    python benchmarks/bench_compare.py [--articles 10000] [--queries 300] [--brute 40] [--seed 7]

A corpus of news-like articles is generated (see ``generate``): Zipf-distributed
vocabulary from the seeds plus invented words, people with accented names,
numbers, dates, curly quotes, and one story in five rewritten from an
earlier one (words swapped, numbers and names changed, clauses dropped), as
wire copy is. It is written as a JSONL feed and loaded with ``load_corpus``.

Measured, in one process:
- build: ``CompareEngine.ensure_index`` with a cold cache (sentences split with
  the reader's own ``text_units``, TF-IDF fitted), then a second engine reading
  the cached index from the store;
- lookup: ``CompareEngine.similar`` for sentences, clauses and three-sentence
  passages (diffs of the matches included), p50/p95/max over the queries;
- the yardstick: a brute-force scan of every sentence with rapidfuzz
  (``process.extract``, ``fuzz.ratio`` on folded text, all cores), whose best
  50 are re-scored with the engine's own measure; agreement is how often the
  engine's first match is the yardstick's first match;
- memory: the index's arrays, and the process's resident size before and after.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from tui.core.compare import CompareEngine, CompareError, sentence_units  # noqa: E402
from tui.core.compare.similarity import similarity  # noqa: E402
from tui.core.compare.words import word_tokens  # noqa: E402
from tui.core.corpus import load_corpus  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

FIRST = ["Jens", "Emmanuel", "Fumio", "Anthony", "José", "Zoë", "Łukasz", "Søren", "François",
         "Jürgen", "Renée", "Björn", "Çağrı", "Nguyễn", "Ólafur", "Mirna", "Kim", "Wang", "Aiko",
         "Priya", "Oluwaseun", "Mateo", "Ingrid", "Dmitri", "Fatima", "Hiroshi", "Ana", "Pedro"]
LAST = ["Stoltenberg", "Macron", "Kishida", "Albanese", "Müller", "Dvořák", "Kowalski",
        "Jørgensen", "Lefèvre", "Schäfer", "Petrović", "Yılmaz", "Tanaka", "Okafor", "García",
        "Ólafsdóttir", "Galic", "Heusgen", "Pistorius", "Hayashi", "Chen", "Novak", "Silva",
        "Andersson", "Ivanova", "Haddad", "Mensah", "Rossi", "Kovač", "Brennan"]
PLACES = ["Tokyo", "Vilnius", "Berlin", "Seoul", "Canberra", "Wellington", "Brussels", "Kyiv",
          "Warsaw", "São Paulo", "Zürich", "Kraków", "Reykjavík", "Montréal", "Hanoi", "Ankara",
          "Lagos", "Nairobi", "Jakarta", "Manila", "Taipei", "Guam", "Lithuania", "Japan"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
VERBS = ["said", "told reporters", "wrote", "warned", "added", "announced", "confirmed",
         "denied", "argued", "noted"]
SYLLABLES = ["ka", "ra", "tor", "men", "vi", "lo", "sen", "da", "mar", "pel", "qu", "ist", "on",
             "ber", "gra", "tu", "nel", "fa", "zo", "rin", "ste", "plo", "ach", "win", "dre",
             "ski", "ho", "lun", "bri", "ex", "ø", "mü", "ña", "gé", "tre", "cal", "dor", "pha",
             "ly", "sch", "ov", "ich", "ja", "wen", "kit", "ura", "sto", "mi", "ne", "vos"]


class Generator:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.numpy = np.random.default_rng(seed)
        seed_words: list[str] = []
        for path in sorted(SEEDS.glob("*.txt")):
            seed_words += [t.key for t in word_tokens(path.read_text(encoding="utf-8"))
                           if t.key.isalpha()]
        common = [word for word, _ in Counter(seed_words).most_common()]
        invented = sorted({self._invented() for _ in range(40_000)} - set(common))
        self.words = common + invented
        # Zipf: the seeds' own words first (most frequent), the invented long tail after.
        ranks = np.arange(1, len(self.words) + 1, dtype=np.float64)
        weights = 1 / ranks ** 1.05
        self.cdf = np.cumsum(weights / weights.sum())

    def pick(self, count: int, top: int | None = None) -> list[str]:
        cdf = self.cdf if top is None else self.cdf[:top] / self.cdf[top - 1]
        picks = np.searchsorted(cdf, self.numpy.random(count))
        return [self.words[min(i, len(self.words) - 1)] for i in picks]

    def _invented(self) -> str:
        return "".join(self.random.choice(SYLLABLES) for _ in range(self.random.randint(2, 4)))

    def name(self) -> str:
        return f"{self.random.choice(FIRST)} {self.random.choice(LAST)}"

    def number(self) -> str:
        kind = self.random.random()
        if kind < 0.3:
            return str(self.random.randint(2, 99))
        if kind < 0.5:
            return f"{self.random.randint(1, 999)},{self.random.randint(0, 999):03d}"
        if kind < 0.7:
            return f"{self.random.randint(1, 60)}.{self.random.randint(0, 9)} percent"
        if kind < 0.85:
            return f"{self.random.choice(MONTHS)} {self.random.randint(1, 28)}"
        return f"${self.random.randint(1, 900)} million"

    def clause(self, low: int, high: int) -> str:
        count = self.random.randint(low, high)
        words = self.pick(count)
        for _ in range(self.random.randint(0, 2)):
            words.insert(self.random.randrange(len(words) + 1),
                         self.random.choice([self.name(), self.random.choice(PLACES), self.number()]))
        return " ".join(words)

    def sentence(self) -> str:
        kind = self.random.random()
        if kind < 0.15:
            body = f"“{self.clause(6, 18).capitalize()},” {self.name()} {self.random.choice(VERBS)}."
        elif kind < 0.35:
            body = (f"{self.name()} {self.random.choice(VERBS)} on {self.random.choice(DAYS)} that "
                    f"{self.clause(8, 22)}.")
        elif kind < 0.5:
            body = f"In {self.random.choice(PLACES)}, {self.clause(10, 26)} — {self.clause(3, 8)}."
        else:
            body = f"{self.clause(8, 30).capitalize()}."
        return body

    def article(self) -> list[list[str]]:
        """Paragraphs of sentences."""
        return [[self.sentence() for _ in range(self.random.randint(1, 4))]
                for _ in range(self.random.randint(9, 15))]

    def rewrite(self, story: list[list[str]]) -> list[list[str]]:
        """Another desk's version: most sentences paraphrased, some dropped, some new."""
        out = []
        for paragraph in story:
            new = []
            for sentence in paragraph:
                roll = self.random.random()
                if roll < 0.1:
                    continue
                new.append(self.paraphrase(sentence) if roll < 0.8 else sentence)
                if self.random.random() < 0.1:
                    new.append(self.sentence())
            if new:
                out.append(new)
        return out

    def paraphrase(self, sentence: str) -> str:
        words = sentence.split(" ")
        for _ in range(max(1, len(words) // 6)):
            i = self.random.randrange(len(words))
            roll = self.random.random()
            if roll < 0.4:
                words[i] = self.pick(1, 3000)[0]
            elif roll < 0.6 and len(words) > 6:
                del words[i]
            elif roll < 0.8:
                words.insert(i, self.pick(1, 300)[0])
            elif any(ch.isdigit() for ch in words[i]):
                words[i] = str(self.random.randint(2, 99))
            else:
                words[i] = self.random.choice(LAST)
        return " ".join(words)


def generate(path: Path, articles: int, seed: int) -> None:
    generator = Generator(seed)
    stories: list[list[list[str]]] = []
    with path.open("w", encoding="utf-8") as handle:
        for n in range(articles):
            if stories and generator.random.random() < 0.2:
                body = generator.rewrite(generator.random.choice(stories[-500:]))
            else:
                body = generator.article()
                stories.append(body)
            text = "\n\n".join(" ".join(paragraph) for paragraph in body)
            handle.write(json.dumps({"id": f"gen/{n:05d}", "title": f"Generated story {n}",
                                     "text": text}, ensure_ascii=False) + "\n")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--brute", type=int, default=40, help="queries also run by brute force")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        feed = root / "corpus.jsonl"
        started = time.perf_counter()
        generate(feed, args.articles, args.seed)
        generated = time.perf_counter() - started
        rss_start = rss_mb()
        corpus = load_corpus([feed])
        rss_loaded = rss_mb()

        engine = CompareEngine(corpus, root / "store")
        started = time.perf_counter()
        index = engine.ensure_index()
        build = time.perf_counter() - started
        rss_built = rss_mb()
        warm = CompareEngine(corpus, root / "store")
        started = time.perf_counter()
        warm.ensure_index()
        cached = time.perf_counter() - started
        assert warm.from_cache
        cache_size = sum(p.stat().st_size for p in (root / "store").rglob("*.npz"))

        rng = random.Random(args.seed + 1)
        articles = corpus.articles
        queries = []
        while len(queries) < args.queries:
            article = rng.choice(articles)
            units = sentence_units(article.text)
            if len(units) < 4:
                continue
            kind = len(queries) % 3
            i = rng.randrange(len(units) - 3)
            if kind == 0:
                span = units[i]
            elif kind == 1:  # a clause: the middle of a sentence
                s, e = units[i]
                words = word_tokens(article.text, s, e)
                if len(words) < 8:
                    continue
                span = (words[2].start, words[min(len(words) - 2, 9)].end)
            else:
                span = (units[i][0], units[i + 2][1])
            queries.append((article, span, kind))

        timings: dict[int, list[float]] = {0: [], 1: [], 2: []}
        firsts = {}
        for article, span, kind in queries:
            started = time.perf_counter()
            try:
                result = engine.similar(article, *span, top=10)
            except CompareError:
                continue
            timings[kind].append((time.perf_counter() - started) * 1000)
            first = result.matches[0] if result.matches else None
            firsts[(article.id, span)] = (first.article_id, first.start, first.end) if first else None
        every = [t for values in timings.values() for t in values]

        # The yardstick: every sentence, brute force.
        choices, owners = [], []
        for position, article in enumerate(articles):
            for s, e in (index.span(row) for row in index.rows_of(article.id)):
                choices.append(" ".join(t.key for t in word_tokens(article.text, s, e)))
                owners.append((position, s, e))
        brute_times, agree, compared = [], 0, 0
        for article, span, _kind in [q for q in queries if q[2] == 0][: args.brute]:
            query_words = [t.key for t in word_tokens(article.text, *span)]
            started = time.perf_counter()
            scores = process.cdist([" ".join(query_words)], choices, scorer=fuzz.ratio,
                                   dtype=np.float32, workers=-1)[0]
            found = np.argpartition(scores, -50)[-50:]
            rescored = []
            for i in found:
                position, s, e = owners[i]
                other = articles[position]
                if other.id == article.id:
                    continue
                keys = [t.key for t in word_tokens(other.text, s, e)]
                rescored.append((similarity(query_words, keys), other.id, s, e))
            brute_times.append((time.perf_counter() - started) * 1000)
            best = max(rescored) if rescored else None
            truth = (best[1], best[2], best[3]) if best and best[0] >= engine.threshold else None
            compared += 1
            agree += firsts.get((article.id, span)) == truth

    sentences = len(index)
    print(f"corpus: {args.articles:,} articles, {sentences:,} sentences, "
          f"{len(index.vectorizer.vocabulary_):,} index terms (generated in {generated:.1f} s)")
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| build, cold (split + TF-IDF) | {build:.1f} s |")
    print(f"| build, from the store's cache | {cached:.2f} s |")
    print(f"| cache file | {cache_size / 2**20:.0f} MB |")
    print(f"| index arrays in memory | {index.nbytes / 2**20:.0f} MB |")
    print(f"| process RSS: corpus loaded / index built | {rss_loaded - rss_start:+.0f} MB / "
          f"{rss_built - rss_loaded:+.0f} MB (total {rss_built:.0f} MB) |")
    for kind, name in ((0, "sentence"), (1, "clause"), (2, "three sentences")):
        values = timings[kind]
        if values:
            print(f"| lookup, {name} (n={len(values)}): p50 / p95 / max | "
                  f"{statistics.median(values):.1f} / {percentile(values, 0.95):.1f} / "
                  f"{max(values):.1f} ms |")
    print(f"| lookup, all (n={len(every)}): p50 / p95 | {statistics.median(every):.1f} / "
          f"{percentile(every, 0.95):.1f} ms |")
    if brute_times:
        brute95 = percentile(brute_times, 0.95)
        sentence95 = percentile(timings[0], 0.95)
        print(f"| brute-force rapidfuzz scan (n={len(brute_times)}): p50 / p95 | "
              f"{statistics.median(brute_times):.0f} / {brute95:.0f} ms |")
        print(f"| brute force / index, sentence p95 | {brute95 / sentence95:.0f}x |")
        print(f"| first match agrees with brute force | {agree} of {compared} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
