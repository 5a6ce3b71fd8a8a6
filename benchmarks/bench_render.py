"""The reader on a 100,000-word article in each script mix, through Textual's compositor.

Runs the real app headless at 120x40 and times what a user waits for:

* first frame: from opening the article to the first frame of the reader
  drawn by the compositor and encoded for the terminal;
* key-to-frame: from ``pilot.press`` of a key to the frame it causes (motions,
  which also scroll; and labelling, which saves to disk with fsync first).

Entities come from the cache (put there first), as "with cached entities"
asks, and the article carries ``--annotations`` of the reader's own, spread
over the text. Yardsticks in the same run: the same measurements on seed 000,
and the key-to-frame of a bare Textual app (a Static updated by a key).

    python benchmarks/bench_render.py [--words 100000] [--runs 3] [--keys 120]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from article_mixes import MIXES, make_text  # noqa: E402
from textual._compositor import CompositorUpdate  # noqa: E402

from tui.core.config import Settings  # noqa: E402
from tui.core.corpus import load_corpus  # noqa: E402
from tui.core.entities import Entity, EntityCache, find_pipeline  # noqa: E402
from tui.core.record import new_annotation  # noqa: E402
from tui.core.session import Session  # noqa: E402
from tui.core.store import Store  # noqa: E402

SIZE = (120, 40)
MOTION_KEYS = ("w", "s", "e", "b", "p", "w", "w", "S", "right_square_bracket", "quotation_mark")
NAMES = re.compile(r"\b(NATO|Stoltenberg|Japan|France|China|Macron|Tokyo|Paris|Berlin|Monday|2023|31)\b"
                   r"|東京|日本|中国")
KINDS = {"NATO": "ORG", "Stoltenberg": "PERSON", "Macron": "PERSON", "Monday": "DATE", "2023": "DATE",
         "31": "CARDINAL"}


def fake_entities(text: str) -> list[Entity]:
    return [Entity(m.start(), m.end(), KINDS.get(m.group(), "GPE"), m.group())
            for m in NAMES.finditer(text)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class FrameClock:
    """Times each frame the compositor sends, encoded as the terminal would get it."""

    def __init__(self, app) -> None:
        self.frames: list[float] = []
        self.app = app
        original = app._display

        def display(screen, renderable):
            if renderable is not None:
                if isinstance(renderable, CompositorUpdate):
                    renderable.render_segments(app.console)
                self.frames.append(time.perf_counter())
            return original(screen, renderable)

        app._display = display

    def first_after(self, moment: float) -> float | None:
        return next((t for t in self.frames if t >= moment), None)


async def settle(pilot, clock: FrameClock, since: float, condition=lambda: True,
                 limit: float = 2.0) -> float | None:
    """Seconds from ``since`` to the first frame after it; None if the key changed nothing."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        await pilot.pause()
        frame = clock.first_after(since)
        if frame is not None and condition():
            return frame - since
    return None


def prepare(folder: Path, name: str, text: str, store: Path, annotations: int) -> None:
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    article = load_corpus([folder]).get(name)
    EntityCache(store).put(article.sha256, find_pipeline(), fake_entities(article.text))
    rng = random.Random(3)
    words = [m.span() for m in re.finditer(r"\S+", text)]
    records = []
    for _ in range(annotations):
        i = rng.randrange(len(words) - 12)
        start, end = words[i][0], words[i + rng.randint(0, 10)][1]
        records.append(new_annotation(article_id=name, text=text, article_sha256=article.sha256,
                                      start=start, end=end, label=rng.choice(["claim", "quote"]),
                                      annotator="bench"))
    if records:
        Store(store).add_many(records)


async def measure(folder: Path, name: str, store: Path, keys: int) -> dict[str, list[float]]:
    from tui.ui.app import RedlineApp
    from tui.ui.screens.reader import ReaderScreen

    corpus = load_corpus([folder])
    app = RedlineApp(Session(corpus=corpus, store_root=store, annotator="bench",
                             settings=Settings()))
    result: dict[str, list[float]] = {"first": [], "motion": [], "label": []}
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        start = time.perf_counter()
        app.open_article(name)
        first = await settle(pilot, clock, start, lambda: isinstance(app.screen, ReaderScreen),
                             limit=30.0)
        assert first is not None, "the reader never drew"
        result["first"].append(first)
        await app.workers.wait_for_complete()
        await pilot.pause()
        for n in range(keys):
            key = MOTION_KEYS[n % len(MOTION_KEYS)]
            start = time.perf_counter()
            await pilot.press(key)
            took = await settle(pilot, clock, start)
            if took is not None:  # a motion with nowhere to go draws nothing
                result["motion"].append(took)
        for _ in range(min(40, keys // 3)):
            await pilot.press("s")
            start = time.perf_counter()
            await pilot.press("1")
            took = await settle(pilot, clock, start)
            if took is not None:
                result["label"].append(took)
    return result


async def measure_bare(keys: int) -> list[float]:
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        BINDINGS = [("w", "step", "Step")]
        count = 0

        def compose(self):
            yield Header()
            yield Static("0", id="n")
            yield Footer()

        def action_step(self) -> None:
            self.count += 1
            self.query_one("#n", Static).update(str(self.count))

    app = Bare()
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        for _ in range(keys):
            start = time.perf_counter()
            await pilot.press("w")
            took = await settle(pilot, clock, start)
            if took is not None:
                times.append(took)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keys", type=int, default=120)
    parser.add_argument("--annotations", type=int, default=1000)
    parser.add_argument("--mix", action="append", choices=MIXES, help="only these mixes")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="redline-render-"))
    cases = {"seed 000": (ROOT / "seeds", "000_ad06741e8de65daf", work / "seed-store")}
    for mix in args.mix or MIXES:
        folder = work / mix.replace(" ", "-").replace("+", "-")
        folder.mkdir()
        store = folder.with_name(folder.name + "-store")
        prepare(folder, "big", make_text(mix, args.words), store, args.annotations)
        cases[f"{mix}"] = (folder, "big", store)
    rows: dict[str, dict[str, list[float]]] = {name: {} for name in cases}
    bare: list[float] = []
    for _run in range(args.runs):
        bare += asyncio.run(measure_bare(args.keys // 2))
        for name, (folder, article, store) in cases.items():
            result = asyncio.run(measure(folder, article, store, args.keys))
            for key, values in result.items():
                rows[name].setdefault(key, []).extend(values)

    def ms(values: list[float], q: float | None = None) -> str:
        value = statistics.median(values) if q is None else percentile(values, q)
        return f"{value * 1000:7.1f}"

    print(f"{args.words} words, {args.annotations} annotations, {SIZE[0]}x{SIZE[1]}, "
          f"{args.runs} runs x {args.keys} keys")
    print(f"{'case':12} {'first frame ms':>15} {'key p50':>8} {'key p95':>8} "
          f"{'label p50':>10} {'label p95':>10}")
    print(f"{'bare app':12} {'':>15} {ms(bare):>8} {ms(bare, 0.95):>8}")
    for name, bucket in rows.items():
        print(f"{name:12} {ms(bucket['first']):>15} {ms(bucket['motion']):>8} "
              f"{ms(bucket['motion'], 0.95):>8} {ms(bucket['label']):>10} {ms(bucket['label'], 0.95):>10}")
    print("goals: first frame <= 100 ms, key-to-frame p95 <= 16 ms")


if __name__ == "__main__":
    main()
