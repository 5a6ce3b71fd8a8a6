"""Teams in the library: agreement per article once two annotators worked on it, and review."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import on_screen
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.review import ReviewScreen

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = "000_ad06741e8de65daf"


def tag(store: Path, annotator: str, words: str, label: str) -> None:
    article = load_corpus([SEEDS]).get(ARTICLE)
    start = article.text.index(words)
    Store(store).add(new_annotation(article_id=ARTICLE, text=article.text,
                                    article_sha256=article.sha256, start=start,
                                    end=start + len(words), label=label, annotator=annotator))


async def settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def test_library_shows_agreement_and_opens_review(make_app, store_dir: Path) -> None:
    tag(store_dir, "alice", "Emmanuel Macron is against such a plan", "claim")
    tag(store_dir, "bob", "Emmanuel Macron is against such a plan", "claim")
    tag(store_dir, "alice", "Secretary-General of Paris", "factual error")
    app = make_app(annotator="alice")
    async with app.run_test(notifications=True, size=(120, 30)) as pilot:
        await settle(app, pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert library.agreement == {ARTICLE: "0.67"}  # one of bob's one, one of alice's two
        assert on_screen(app, "Agree") and on_screen(app, "0.67")
        await pilot.press("R")
        await settle(app, pilot)
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("q")
        await settle(app, pilot)
        assert isinstance(app.screen, LibraryScreen)


async def test_no_agreement_column_with_one_annotator(make_app, store_dir: Path) -> None:
    tag(store_dir, "alice", "Emmanuel Macron is against such a plan", "claim")
    app = make_app(annotator="alice")
    async with app.run_test(notifications=True, size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert app.screen.agreement == {}
        assert not on_screen(app, "Agree")
