"""The compare and side-by-side screens, pushed directly, as the reader will push them."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from textual.app import App

from tests.conftest import screen_lines
from tui.core.compare import CompareEngine, FlagDifference, JumpTo, sentence_units
from tui.core.compare import engine as engine_module
from tui.core.corpus import Article, Corpus, load_corpus
from tui.ui.screens.compare import CompareScreen
from tui.ui.screens.side_by_side import MAX_ROWS, SideBySideScreen

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "alignment_001_000.json").read_text("utf-8"))
PARAPHRASE, ORIGINAL = FIXTURE["article"], FIXTURE["other"]
PARIS_ROW = FIXTURE["sentences"][16]
UNSET = object()


class Host(App):
    """Pushes one screen and keeps what it returns."""

    def __init__(self, screen, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.pushed = screen
        self.result = UNSET
        if keymap:
            self.set_keymap(keymap)

    def on_mount(self) -> None:
        self.push_screen(self.pushed, callback=self.returned)

    def returned(self, result) -> None:
        self.result = result


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus([str(SEEDS)])


@pytest.fixture(scope="module")
def engine(corpus: Corpus) -> CompareEngine:
    engine = CompareEngine(corpus, None)
    engine.ensure_index()
    return engine


async def settle(app: App, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app: App) -> str:
    return "\n".join(screen_lines(app))


def flat(app: App) -> str:
    return " ".join(text_of(app).replace("▎", " ").replace("▊", " ").replace("█", " ").split())


# -- compare -----------------------------------------------------------------------

async def test_the_paris_sentence_shows_the_original_first_with_its_diff(engine, corpus) -> None:
    article = corpus.get(PARAPHRASE)
    app = Host(CompareScreen(article, (PARIS_ROW["start"], PARIS_ROW["end"]), engine))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        shown = flat(app)
        assert "1. Conflicting Views On NATO’s Alliance In Asia score 0.87" in shown
        assert "{+Secretary-General of Paris’+} opposition [-secretary-general in Paris" in shown
        assert "name, moved:" in shown
        await pilot.press("enter")
        await pilot.pause()
    counterpart = PARIS_ROW["counterpart"]
    assert app.result == JumpTo(ORIGINAL, counterpart["start"], counterpart["end"])


async def test_f_flags_the_difference_with_their_wording(engine, corpus) -> None:
    article = corpus.get(PARAPHRASE)
    app = Host(CompareScreen(article, (PARIS_ROW["start"], PARIS_ROW["end"]), engine))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await pilot.pause()
    result = app.result
    assert isinstance(result, FlagDifference)
    assert (result.article_id, result.start, result.end) == (PARAPHRASE, PARIS_ROW["start"], PARIS_ROW["end"])
    assert result.label == "factual error"
    assert result.note == f"Conflicting Views On NATO’s Alliance In Asia: {PARIS_ROW['counterpart']['text']}"
    assert (result.other_article_id, result.other_start) == (ORIGINAL, PARIS_ROW["counterpart"]["start"])


async def test_keys_are_remappable_by_id(engine, corpus) -> None:
    article = corpus.get(PARAPHRASE)
    app = Host(CompareScreen(article, (PARIS_ROW["start"], PARIS_ROW["end"]), engine),
               keymap={"compare.flag": "x", "compare.close": "c"})
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("f")  # no longer bound
        await pilot.pause()
        assert app.result is UNSET
        await pilot.press("x")
        await pilot.pause()
    assert isinstance(app.result, FlagDifference)


@pytest.mark.parametrize("screen_class", [CompareScreen, SideBySideScreen])
def test_every_binding_has_an_id_and_a_description(screen_class) -> None:
    for binding in screen_class.BINDINGS:
        assert binding.id and binding.id.split(".")[0] in ("compare", "sidebyside"), binding
        assert binding.description, binding


async def test_escape_closes_with_nothing(engine, corpus) -> None:
    article = corpus.get(PARAPHRASE)
    app = Host(CompareScreen(article, (PARIS_ROW["start"], PARIS_ROW["end"]), engine))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_while_the_index_builds_the_screen_says_so(corpus) -> None:
    release = threading.Event()

    class SlowEngine(CompareEngine):
        def _load_or_build(self, progress, cancelled):
            progress(engine_module.Progress(engine_module.index_module.SPLITTING, 2, 5))
            while not release.wait(0.05):
                if cancelled is not None and cancelled():
                    raise engine_module.Cancelled()
            return super()._load_or_build(progress, cancelled)

    slow = SlowEngine(corpus, None)
    app = Host(CompareScreen(corpus.get(PARAPHRASE), (PARIS_ROW["start"], PARIS_ROW["end"]), slow))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        for _ in range(50):  # until the worker's first progress message has been drawn
            await pilot.pause(0.02)
            if "still being built" in flat(app):
                break
        shown = flat(app)
        assert "The sentence index is still being built (finding sentences: 2 of 5 articles)" in shown
        # The screen is not frozen: keys work while the index builds.
        await pilot.press("j")
        release.set()
        await settle(app, pilot)
        assert "Conflicting Views On NATO’s Alliance In Asia" in flat(app)


async def test_closing_while_the_index_builds_stops_the_build(corpus) -> None:
    class NeverEngine(CompareEngine):
        def _load_or_build(self, progress, cancelled):
            while not cancelled():
                threading.Event().wait(0.02)
            raise engine_module.Cancelled()

    never = NeverEngine(corpus, None)
    app = Host(CompareScreen(corpus.get(PARAPHRASE), (PARIS_ROW["start"], PARIS_ROW["end"]), never))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
    assert app.result is None and never.building is None and not never.ready


@pytest.mark.parametrize("case, message", [
    ("one word", "“Stolenberg” is 1 word: too little to compare"),
    ("no match", "no passage in the 4 other articles is similar enough"),
    ("no sentences", "this article has no sentences to compare"),
    ("alone", "the corpus holds no other article"),
])
async def test_bad_input_gets_a_clear_message(corpus, engine, case, message) -> None:
    article = corpus.get(PARAPHRASE)
    if case == "one word":
        start = article.text.index("Stolenberg")
        screen = CompareScreen(article, (start, start + len("Stolenberg")), engine)
    elif case == "no match":
        first = FIXTURE["sentences"][0]
        screen = CompareScreen(article, (first["start"], first["end"]), engine)
    elif case == "no sentences":
        empty = Article("empty", "\n\n   \n", title="Empty")
        screen = CompareScreen(empty, (0, 4), CompareEngine(Corpus([*corpus.articles, empty]), None))
    else:
        screen = CompareScreen(article, (PARIS_ROW["start"], PARIS_ROW["end"]),
                               CompareEngine(Corpus([article]), None))
    app = Host(screen)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(app, pilot)
        assert message in flat(app)
        await pilot.press("enter", "f")  # nothing to act on: nothing happens
        await pilot.pause()
        assert app.result is UNSET
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_article_text_is_never_markup(corpus) -> None:
    hostile = "[bold red]Macron[/] opposed a liaison \x1b[31moffice in Tokyo[@click=app.quit], reports said."
    one = Article("one", hostile, title="[link=x]One[/link]")
    two = Article("two", hostile.replace("opposed", "backed"), title="Two [b]bold[/b]")
    engine = CompareEngine(Corpus([one, two]), None)
    app = Host(CompareScreen(one, (0, len(hostile)), engine))
    async with app.run_test(size=(140, 30), notifications=True) as pilot:
        await settle(app, pilot)
        shown = flat(app)
        assert "[-opposed-] {+backed+}" in shown
        assert "[bold red]Macron[/]" in shown and "Two [b]bold[/b]" in shown
        assert "␛[31moffice" in shown and "\x1b" not in text_of(app)


# -- side by side ----------------------------------------------------------------

async def test_side_by_side_aligns_the_two_versions(corpus) -> None:
    left, right = corpus.get(PARAPHRASE), corpus.get(ORIGINAL)
    app = Host(SideBySideScreen(left, right))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert "13 pairs, 15 only on the left, 6 only on the right" in flat(app)
        lines = screen_lines(app)
        # The gutter: "<" only on the left, and the cursor's mark (no colour needed).
        assert any(line.startswith("<▸ The presence of four") for line in lines)
        assert any(line.startswith("<  The war in Ukraine") for line in lines)
        assert "(no counterpart)" in flat(app)
        # n walks the rows that differ: 15 only on the left, 000's site name and headline
        # only on the right, then the first pair (its wording differs).
        for _ in range(17):
            await pilot.press("n")
        await pilot.pause()
        row = screen.view.current
        assert row.paired and row.a == (FIXTURE["sentences"][15]["start"], FIXTURE["sentences"][15]["end"])
        await pilot.press("n")
        await pilot.pause()
        assert screen.view.current.a == (PARIS_ROW["start"], PARIS_ROW["end"])
        shown = flat(app)
        assert "[-secretary-general in Paris, according to Japanese public" in shown
        assert "{+Secretary-General of Paris’+}" in shown
        await pilot.press("enter")
        await pilot.pause()
    assert app.result == JumpTo(PARAPHRASE, PARIS_ROW["start"], PARIS_ROW["end"])


async def test_side_by_side_jumps_to_the_right_when_the_left_is_empty(corpus) -> None:
    left, right = corpus.get(PARAPHRASE), corpus.get(ORIGINAL)
    app = Host(SideBySideScreen(left, right))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(app, pilot)
        view = app.screen.view
        target = next(i for i, row in enumerate(view.rows) if row.a is None)
        for _ in range(target):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
    row = view.rows[target]
    assert app.result == JumpTo(ORIGINAL, *row.b)


async def test_side_by_side_bad_input(corpus) -> None:
    empty = Article("empty", "", title="Empty")
    app = Host(SideBySideScreen(corpus.get(PARAPHRASE), empty))
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(app, pilot)
        assert "article 'empty' has no sentences to compare" in flat(app)
        await pilot.press("enter", "n", "j", "end")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


@pytest.mark.slow
async def test_side_by_side_with_a_five_megabyte_article(corpus) -> None:
    original = corpus.get(ORIGINAL)
    text = (original.text + "\n\n") * 2000
    assert len(text.encode("utf-8")) > 5_000_000
    big = Article("big", text, title="Big")
    app = Host(SideBySideScreen(big, corpus.get(PARAPHRASE)))
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(app, pilot)
        assert f"Showing the first {MAX_ROWS:,} of" in flat(app)
        assert len(sentence_units(text)) > MAX_ROWS
        await pilot.press("end", "N", "home", "pagedown")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None
