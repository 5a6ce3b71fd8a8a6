"""The article view on a 100,000-word article: first frame, motions, scrolling, labelling.

Runs the real app headless (Pilot) at 120x40. The yardstick is the same
measurement on a seed article in the same run. Entities come from the cache
(put there first), as the brief's "with cached entities" asks.

    python benchmarks/bench_render.py [--words 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.core.config import Settings  # noqa: E402
from tui.core.corpus import load_corpus  # noqa: E402
from tui.core.entities import Entity, EntityCache, find_pipeline  # noqa: E402
from tui.core.session import Session  # noqa: E402

WORDS = ["the", "alliance", "said", "on", "Monday", "that", "its", "partners", "in", "Asia", "would", "meet", "again", "in", "Tokyo", "before", "the", "summit", "while", "officials", "in", "Paris", "and", "Berlin", "disagreed", "about", "the", "office", "NATO", "Stoltenberg", "Japan", "France", "China", "Macron"]


def make_article(folder: Path, words: int) -> Path:
    rng = random.Random(7)
    paragraphs = []
    count = 0
    while count < words:
        size = rng.randint(40, 120)
        sentence_words = [rng.choice(WORDS) for _ in range(size)]
        text = " ".join(sentence_words)
        text = ". ".join(part.capitalize() for part in text.split(" the ")) + "."
        paragraphs.append(text)
        count += len(text.split())
    path = folder / "big.txt"
    path.write_text("A generated long article\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


def fake_entities(text: str) -> list[Entity]:
    import re

    kinds = {"NATO": "ORG", "Stoltenberg": "PERSON", "Japan": "GPE", "France": "GPE",
             "China": "GPE", "Macron": "PERSON", "Tokyo": "GPE", "Paris": "GPE", "Berlin": "GPE",
             "Monday": "DATE"}
    return [Entity(m.start(), m.end(), kinds[m.group()], m.group())
            for m in re.finditer(r"\b(" + "|".join(kinds) + r")\b", text)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def measure(corpus_dir: Path, article_id: str, store: Path, motions: int) -> dict[str, object]:
    from tui.ui.app import RedlineApp
    from tui.ui.screens.reader import ReaderScreen

    corpus = load_corpus([corpus_dir])
    article = corpus.get(article_id)
    info = find_pipeline()
    EntityCache(store).put(article.sha256, info, fake_entities(article.text))
    session = Session(corpus=corpus, store_root=store, annotator="bench", settings=Settings())
    app = RedlineApp(session)
    from tui.ui.widgets.article_view import ArticleView

    # The first frame is done when the view has drawn its last visible line.
    drawn: list[float] = []
    original = ArticleView.render_line

    def timed_render_line(self, y):
        strip = original(self, y)
        if not drawn and y == self.scrollable_content_region.height - 1:
            drawn.append(time.perf_counter())
        return strip

    ArticleView.render_line = timed_render_line
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        app.open_article(article_id)
        await pilot.pause()
        ArticleView.render_line = original
        first_frame = drawn[0] - start
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view
        height = view.scrollable_content_region.height

        def render_visible() -> None:
            for y in range(height):
                view.render_line(y)

        render_visible()
        motion_times = []
        for n in range(motions):
            name = ("next_word", "next_sentence", "next_entity", "prev_word")[n % 4]
            t0 = time.perf_counter()
            screen.action_motion(name)
            render_visible()
            motion_times.append(time.perf_counter() - t0)
        scroll_times = []
        for _ in range(motions // 4):
            t0 = time.perf_counter()
            view.scroll_to(y=view.scroll_offset.y + height, animate=False, immediate=True)
            render_visible()
            scroll_times.append(time.perf_counter() - t0)
        label_times = []
        for _ in range(min(50, motions // 4)):
            screen.action_motion("next_sentence")
            t0 = time.perf_counter()
            screen.action_label(1)
            render_visible()
            label_times.append(time.perf_counter() - t0)
    return {"first": first_frame, "motion": motion_times, "scroll": scroll_times,
            "label": label_times, "words": article.words}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--motions", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="redline-render-"))
    big_dir = work / "big"
    big_dir.mkdir()
    make_article(big_dir, args.words)

    rows: dict[str, dict[str, list[float]]] = {"seed 000": {}, f"{args.words} words": {}}
    for run in range(args.runs):
        for name, (corpus_dir, article_id) in (
            ("seed 000", (ROOT / "seeds", "000_ad06741e8de65daf")),
            (f"{args.words} words", (big_dir, "big")),
        ):
            result = asyncio.run(measure(corpus_dir, article_id, work / f"store{run}{name[:4]}",
                                         args.motions))
            bucket = rows[name]
            bucket.setdefault("first", []).append(result["first"])
            bucket.setdefault("motion", []).extend(result["motion"])
            bucket.setdefault("scroll", []).extend(result["scroll"])
            bucket.setdefault("label", []).extend(result["label"])

    print(f"{'article':16} {'first frame ms':>15} {'motion p50/p95 ms':>19} "
          f"{'scroll p50/p95 ms':>19} {'label p50/p95 ms':>18}")
    for name, bucket in rows.items():
        first = statistics.median(bucket["first"]) * 1000
        parts = []
        for key in ("motion", "scroll", "label"):
            values = bucket[key]
            parts.append(f"{statistics.median(values) * 1000:8.2f}/{percentile(values, 0.95) * 1000:<8.2f}")
        print(f"{name:16} {first:15.1f} {parts[0]:>19} {parts[1]:>19} {parts[2]:>18}")
    seed, big = rows["seed 000"], rows[f"{args.words} words"]
    print(f"ratio first frame big/seed: {statistics.median(big['first']) / statistics.median(seed['first']):.2f}; "
          f"motion p50 big/seed: {statistics.median(big['motion']) / statistics.median(seed['motion']):.2f}")


if __name__ == "__main__":
    main()
