"""The app in front of a damaged store: the healthy articles keep their counts, the damaged
one is marked and named, and opening it is refused with a way to repair it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS, on_screen, on_screen_folded, screen_lines
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store
from tui.ui.screens.library import LibraryScreen
from tui.ui.widgets.article_table import ArticleTable


def _annotate(store_dir: Path) -> list[str]:
    store = Store(store_dir)
    corpus = load_corpus([SEEDS])
    for article in corpus.articles:
        for k in range(2):
            store.add(new_annotation(article_id=article.id, text=article.text,
                                     article_sha256=article.sha256, start=10 * k, end=10 * k + 5,
                                     label="claim", annotator="tester"))
    return [a.id for a in corpus.articles]


@pytest.mark.parametrize("damage", ["changed byte", "torn"])
async def test_one_damaged_article_file_does_not_zero_the_library(make_app, store_dir: Path,
                                                                  damage: str) -> None:
    ids = _annotate(store_dir)
    bad = Store(store_dir).path_for(ids[1])
    raw = bad.read_bytes()
    # A changed byte leaves valid JSON; a torn file does not.
    bad.write_bytes(raw.replace(b'"claim"', b'"clXim"', 1) if damage == "changed byte" else raw[:80])
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        table = app.screen.query_one("#articles", ArticleTable)
        by_id = {row.article.id: row for row in table.rows}
        assert by_id[ids[1]].status == "damaged"
        for article_id in ids[:1] + ids[2:]:
            assert (by_id[article_id].mine, by_id[article_id].all) == (2, 2)
        text = "\n".join(screen_lines(app))
        assert "damaged" in text
        assert "8 annotations by you" in text
        assert on_screen_folded(app, bad.name) and on_screen(app, "--repair")
        assert app.is_running


async def test_a_damaged_article_opens_read_only_and_refuses_new_annotations(
        make_app, store_dir: Path) -> None:
    ids = _annotate(store_dir)
    bad = Store(store_dir).path_for(ids[0])
    damaged = bad.read_bytes().replace(b'"claim"', b'"clXim"', 1)
    bad.write_bytes(damaged)
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 30)) as pilot:
        await pilot.pause()
        app.open_article(ids[0])
        await pilot.pause()
        await pilot.press("1")  # label the selection: must not write over the damaged file
        await pilot.pause()
        assert on_screen_folded(app, bad.name) and on_screen(app, "checksum mismatch")
        assert on_screen(app, "--repair")
        assert app.is_running
    assert bad.read_bytes() == damaged
