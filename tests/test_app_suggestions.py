"""Suggestions in the reader, on seed 004: g walks the MSC chief's quotations, y accepts with
provenance, d rejects for good (and u takes it back), T corrects an entity."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import on_screen
from tui.core.store import Store
from tui.core.suggest.model import QUOTATION_RULE
from tui.ui.screens.entity_type import EntityTypeDialog
from tui.ui.screens.reader import ReaderScreen

CHIEF = "004_cf8e7ec26fa382d2"


async def settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def open_chief(app, pilot) -> ReaderScreen:
    app.open_article(CHIEF)
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    assert screen.model.review is not None, "suggestions were built"
    return screen


def selected(screen: ReaderScreen) -> str:
    start, end = screen.model.selection
    return screen.article.text[start:end]


def stored(store_dir: Path) -> list[dict]:
    return Store(store_dir, readonly=True).for_article(CHIEF)


async def test_g_walks_the_speech_quotations_and_y_accepts_with_provenance(make_app,
                                                                           store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_chief(app, pilot)
        await pilot.press("f", "f")  # the panel's label: quote; g follows it
        await pilot.press("g")
        assert selected(screen).startswith("However, when it comes to active involvement of NATO")
        assert on_screen(app, "speaker: Christoph Heusgen")
        await pilot.press("g")
        assert selected(screen).startswith("As a global community, we are confronted")
        await pilot.press("y")
        records = stored(store_dir)
        assert [(r["label"], r["suggested_by"]) for r in records] == [("quote", QUOTATION_RULE)]
        assert records[0]["note"] == "speaker: Christoph Heusgen"
        await pilot.press("u")
        assert stored(store_dir) == []
        assert screen.model.suggestion_here() is not None  # it is back to review


async def test_d_rejects_for_this_annotator_across_restarts_and_u_takes_it_back(
        make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_chief(app, pilot)
        await pilot.press("g")
        rejected = screen.model.suggestion_here()
        assert rejected is not None
        await pilot.press("d")
        assert rejected not in screen.model.review.pending
        await pilot.press("u")
        assert rejected in screen.model.review.pending
        await pilot.press("ctrl+r")
        assert rejected not in screen.model.review.pending
    again = make_app()
    async with again.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_chief(again, pilot)
        assert rejected.id not in {s.id for s in screen.model.review.pending}
    other = make_app(annotator="someone else")
    async with other.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_chief(other, pilot)
        assert rejected.id in {s.id for s in screen.model.review.pending}
    assert stored(store_dir) == []  # a rejection is not an annotation


async def test_accept_all_of_a_kind_is_one_step(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_chief(app, pilot)
        left = len(screen.model.review.remaining("quote"))
        assert left >= 6
        screen.accept_all("quote")
        await settle(app, pilot)
        assert len([r for r in stored(store_dir) if r["label"] == "quote"]) == left
        assert screen.model.review.remaining("quote") == []
        await pilot.press("u")
        assert stored(store_dir) == []


async def test_an_entity_is_corrected_and_a_missed_one_added(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_chief(app, pilot)
        await pilot.press("slash", *"Munich Leaders Meeting", "enter")
        await pilot.press("T")
        assert isinstance(app.screen, EntityTypeDialog)
        await pilot.press("home")
        for _ in range(20):
            if app.screen.query_one("#entity-types").highlighted_option.id == "EVENT":
                break
            await pilot.press("down")
        await pilot.press("enter")
        records = stored(store_dir)
        assert [(r["label"], r["kind"], r["quote"]) for r in records] == [
            ("EVENT", "entity", "Munich Leaders Meeting")]
        assert isinstance(app.screen, ReaderScreen) and screen.model.selection
