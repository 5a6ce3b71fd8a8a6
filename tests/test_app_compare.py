"""Cross-article checks in the reader: `=` compare, flag a difference, jump, side by side,
and the mark on a rare spelling of a name."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import on_screen
from tui.core.store import Store
from tui.ui.screens.compare import CompareScreen
from tui.ui.screens.note import NoteDialog
from tui.ui.screens.reader import ReaderScreen
from tui.ui.screens.side_by_side import SideBySideScreen

PARAPHRASE = "001_826f388884ecbe55"
ORIGINAL = "000_ad06741e8de65daf"
PARIS = "informed the opposition"


async def settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def open_on(app, pilot, article_id: str, words: str) -> ReaderScreen:
    app.open_article(article_id)
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    await pilot.press("slash", *words, "enter")
    return screen


async def test_compare_shows_the_original_sentence_first_with_its_diff(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        await open_on(app, pilot, PARAPHRASE, PARIS)
        await pilot.press("equals_sign")
        await settle(app, pilot)
        assert isinstance(app.screen, CompareScreen)
        assert on_screen(app, "1. Conflicting Views On NATO’s Alliance In Asia")
        assert on_screen(app, "{+Secretary-General of Paris’+}")  # the change of meaning, bracketed
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_flag_turns_the_difference_into_a_factual_error_with_their_wording(
        make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_on(app, pilot, PARAPHRASE, PARIS)
        await pilot.press("equals_sign")
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteDialog)  # the note, filled in, to read before saving
        await pilot.press("enter")
        records = Store(store_dir, readonly=True).for_article(PARAPHRASE)
        assert [r["label"] for r in records] == ["factual error"]
        record = records[0]
        assert record["quote"].startswith("While Stoltenberg and others would like NATO")
        assert record["note"].startswith("Conflicting Views On NATO’s Alliance In Asia: While")
        assert "Secretary-General of Paris’ opposition" in record["note"]
        await pilot.press("u")  # the label and its note are one step
        assert Store(store_dir, readonly=True).for_article(PARAPHRASE) == []
        assert isinstance(screen, ReaderScreen)


async def test_enter_opens_the_other_article_at_the_match(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        await open_on(app, pilot, PARAPHRASE, PARIS)
        await pilot.press("equals_sign")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen) and screen.article.id == ORIGINAL
        start, end = screen.model.selection
        assert screen.article.text[start:end].startswith("While Stoltenberg and others would like")
        await pilot.press("q")  # back to the library, not to the paraphrase
        assert not isinstance(app.screen, ReaderScreen)


async def test_a_rare_spelling_is_marked_and_listed_with_the_usual_one(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(140, 40)) as pilot:
        await settle(app, pilot)
        assert app.variants is None  # the corpus's names are scanned when an article opens
        screen = await open_on(app, pilot, PARAPHRASE, "Stolenberg")
        assert app.variants is not None
        assert any(screen.article.text[m.start:m.end] == "Stolenberg" for m in screen.variants)
        assert on_screen(app, "≠ usually “Stoltenberg”")  # the status, with the cursor on it
        await pilot.press("tab")
        assert on_screen(app, "Name variants (1)")
        assert on_screen(app, "≠ Stolenberg usually “Stoltenberg”")


async def test_side_by_side_finds_the_other_version(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(160, 40)) as pilot:
        await open_on(app, pilot, PARAPHRASE, PARIS)
        await pilot.press("vertical_line")
        await settle(app, pilot)
        assert isinstance(app.screen, SideBySideScreen)
        assert on_screen(app, "Conflicting Views On NATO’s Alliance In Asia")
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_compare_in_an_empty_article_says_why(make_app, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "other.txt").write_text("One sentence here about nothing much at all.", encoding="utf-8")
    app = make_app([corpus])
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        app.open_article("empty")
        await settle(app, pilot)
        await pilot.press("equals_sign")
        await settle(app, pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert on_screen(app, "nothing to compare here")
