"""The library screen, driven with Pilot."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import on_screen, screen_lines
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.reader import ReaderScreen
from tui.ui.widgets.article_table import ArticleTable


def rows(app) -> list[str]:
    table = app.screen.query_one("#articles", ArticleTable)
    return [row.article.title for row in table.rows]


async def test_library_lists_seeds_with_headlines(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        assert isinstance(app.screen, LibraryScreen)
        titles = rows(app)
        assert len(titles) == 5
        assert "Conflicting Views On NATO’s Alliance In Asia" in titles
        assert not {"New Telegraph", "beijingwalker", "Nato flag. Photo: iStock"} & set(titles)
        text = "\n".join(screen_lines(app))
        assert "0 of 5 done" in text
        await pilot.press("j", "j")
        assert app.screen.query_one("#articles", ArticleTable).cursor_row == 2
        await pilot.press("k")
        assert app.screen.query_one("#articles", ArticleTable).cursor_row == 1


async def test_filter_as_you_type_and_open(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await pilot.press("slash", *"tokyo")
        assert rows(app) == ["France cool on a NATO liaison office in Tokyo"]
        await pilot.press("enter")  # leaves the filter field
        await pilot.press("enter")  # opens the article
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article.id == "002_e87675dd90d161dc"
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("escape")
        assert len(rows(app)) == 5


async def test_sort_by_words(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await pilot.press("o", "o", "o", "o")  # order -> title -> source -> date -> words
        assert app.screen.sort_key == "words"
        words = [row.article.words for row in app.screen.query_one("#articles", ArticleTable).rows]
        assert words == sorted(words)
        await pilot.press("O")
        words = [row.article.words for row in app.screen.query_one("#articles", ArticleTable).rows]
        assert words == sorted(words, reverse=True)


async def test_many_articles_without_a_widget_per_row(make_app, tmp_path: Path) -> None:
    corpus = tmp_path / "many"
    corpus.mkdir()
    for n in range(3000):
        (corpus / f"a{n:05d}.txt").write_text(f"Headline number {n} here\n\nbody text", encoding="utf-8")
    app = make_app([corpus])
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        table = app.screen.query_one("#articles", ArticleTable)
        assert table.row_count == 3000
        assert "Headline number 0 here" in "\n".join(screen_lines(app))
        await pilot.press("end")
        assert table.cursor_row == 2999
        assert "Headline number 2999 here" in "\n".join(screen_lines(app))
        assert len(app.screen.query("*")) < 50
        await pilot.press("slash", *"number 2999")
        await pilot.pause(0.3)  # the filter waits for typing to pause on big corpora
        assert rows(app) == ["Headline number 2999 here"]


async def test_q_quits(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True) as pilot:
        await pilot.press("q")
    assert app.return_code == 0


async def test_lazy_corpus_settles_after_the_first_frame(make_app, tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A readable headline here\n\nbody", encoding="utf-8")
    (corpus / "b.txt").write_bytes(b"\x00\x01\x02binary" * 40)
    app = make_app([corpus], lazy=True)
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert rows(app) == ["A readable headline here"]
        assert "1 articles" in "\n".join(screen_lines(app))
        assert on_screen(app, "b.txt: skipped")  # the toast, drawn


async def test_a_failing_background_job_says_so_and_the_app_stays_up(make_app, monkeypatch) -> None:
    from tui.core.store.annotations import Store as StoreClass

    def broken(self, **kwargs):
        raise RuntimeError("counts went wrong")

    monkeypatch.setattr(StoreClass, "counts", broken)
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert on_screen(app, "counts failed: RuntimeError('counts went wrong')")
        await pilot.press("enter")  # and it still opens an article
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
