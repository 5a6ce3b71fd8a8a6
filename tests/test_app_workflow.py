"""An annotator's hour, key by key: notes, the panel, edges, moving between articles, the
library's filter and columns, the help, and settings that stick."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.conftest import on_screen, screen_lines
from tests.test_app_reader import open_article, selected, stored
from tui.core.config import Settings
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import NoteDialog
from tui.ui.screens.reader import ReaderScreen

PARAPHRASE = "001_826f388884ecbe55"


async def test_a_multi_line_note_is_saved_whole_and_shown_whole_in_the_panel(
        make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        await open_article(app, pilot)
        await pilot.press("p", "p", "3")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"Japan, not Paris.", "ctrl+j", *"Source: NHK, 12 July", "enter")
        assert [r["note"] for r in stored(store_dir)] == ["Japan, not Paris.\nSource: NHK, 12 July"]
        await pilot.press("tab")
        lines = screen_lines(app)
        # The note area under the list shows every line of the note under the cursor.
        assert any("Japan, not Paris." in line for line in lines)
        assert any("Source: NHK, 12 July" in line for line in lines)


async def test_the_panel_filters_by_label_and_so_do_the_annotation_jumps(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("w", "1", "p", "p", "2", "p", "1")  # claim, quote, claim
        await pilot.press("tab")
        assert on_screen(app, "Annotations (3)")
        await pilot.press("f")  # claims only
        assert on_screen(app, "claim only (2 of 3)")
        await pilot.press("tab")  # back to the text
        await pilot.press("left_square_bracket")  # jumps skip the quote
        assert selected(screen) == "Telegraph"
        await pilot.press("right_square_bracket")
        assert selected(screen).startswith("While Stoltenberg")


async def test_edges_of_an_annotation_move_by_a_word_and_undo(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("slash", *"Emmanuel", "enter", "1")
        await pilot.press("greater_than_sign")  # the end a word right
        assert [r["quote"] for r in stored(store_dir)] == ["Emmanuel Macron"]
        await pilot.press("comma")  # the start a word left
        assert [r["quote"] for r in stored(store_dir)] == ["President, Emmanuel Macron"]
        assert selected(screen) == "President, Emmanuel Macron"
        await pilot.press("u")
        assert [r["quote"] for r in stored(store_dir)] == ["Emmanuel Macron"]


async def test_next_previous_and_next_not_done_without_the_library(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        screen = await open_article(app, pilot)
        assert on_screen(app, "1 of 5")
        await pilot.press("J")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.article.id == PARAPHRASE
        # The catalog's note about the text is in the header.
        assert on_screen(app, "Machine-paraphrased copy of a wire story")
        await pilot.press("m")  # done: the header says so
        assert on_screen(app, "DONE")
        await pilot.press("K")
        await pilot.pause()
        assert app.screen.article.id == screen.article.id
        await pilot.press("m", "D")  # 000 done too: the next not done is 002
        await pilot.pause()
        assert app.screen.article.id.startswith("002_")
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)  # one reader on the stack, not three


async def test_library_filter_matches_status_source_and_date_and_says_when_nothing_does(
        make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 30)) as pilot:
        await open_article(app, pilot)
        await pilot.press("m", "q")
        library = app.screen
        assert isinstance(library, LibraryScreen)
        assert on_screen(app, "Date") and on_screen(app, "2023-05-14")
        await pilot.press("slash", *"done")
        assert [a.id for a in library.visible_articles()] == ["000_ad06741e8de65daf"]
        await pilot.press(*["backspace"] * 4, *"japan times")
        assert [a.id for a in library.visible_articles()] == ["004_cf8e7ec26fa382d2"]
        await pilot.press(*["backspace"] * 11, *"stolenberg")
        assert library.visible_articles() == []
        assert on_screen(app, "no article matches 'stolenberg'")


async def test_help_names_the_labels_and_the_footer_keeps_the_keys_that_matter(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await open_article(app, pilot)
        footer = screen_lines(app)[-1]
        for key in ("Note", "Undo", "Search", "Library", "Help"):
            assert key in footer
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        await open_article(app, pilot)
        await pilot.press("f1")
        assert on_screen(app, "apply “factual error”") and on_screen(app, "(asks for a")
        assert on_screen(app, "no label on these keys")


async def test_a_theme_picked_in_the_app_is_there_at_the_next_start(make_app, tmp_path: Path,
                                                                    monkeypatch) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('# mine\n[keymap]\n"reader.next_word" = "w,l"\n', encoding="utf-8")
    monkeypatch.setenv("REDLINE_CONFIG", str(settings))
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
    saved = tomllib.loads(settings.read_text(encoding="utf-8"))
    assert saved["theme"] == "textual-light"
    assert saved["keymap"] == {"reader.next_word": "w,l"}  # the rest of the file is kept
    from tui.core.config import load_settings

    again = make_app(settings=load_settings())
    async with again.run_test(notifications=True, size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"


async def test_the_reading_column_width_comes_from_the_settings(make_app) -> None:
    app = make_app(settings=Settings(reader_width=60))
    async with app.run_test(notifications=True, size=(200, 40)) as pilot:
        screen = await open_article(app, pilot)
        assert screen.view.wrapped.width == 60
        longest = max(len(line.rstrip()) - len(line) + len(line.lstrip()) for line in screen_lines(app)[2:30])
        assert longest <= 62


async def test_the_palette_shows_titles_and_label_names_that_look_like_markup(
        make_app, tmp_path: Path) -> None:
    # Textual reads palette titles as markup: an article titled with an unbalanced "[/]"
    # took the app down as soon as the palette opened in another article's reader.
    from tui.core.config import Label

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_word.txt").write_text("Word\n", encoding="utf-8")
    (corpus / "markup.txt").write_text("Markup [bold]test[/] and [/] closes [link=x]\n\nBody.\n",
                                       encoding="utf-8")
    labels = (Label("[/]odd [$accent]", "1", "red"), Label("quote", "2", "blue"))
    app = make_app(paths=(corpus,), labels=labels)
    async with app.run_test(notifications=True, size=(120, 40)) as pilot:
        app.open_article("a_word")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"side by")
        await pilot.pause()
        assert app.is_running
        assert on_screen(app, "Side by side with: Markup [bold]test[/] and [/] closes")
        for _ in range(6):
            await pilot.press("backspace")
        await pilot.press(*"odd")
        await pilot.pause()
        assert on_screen(app, "[/]odd [$accent]")
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
