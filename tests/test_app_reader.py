"""The reader, driven with Pilot: motions, labels, notes, undo, panel, search, resume."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
import regex

from tests.conftest import on_screen, screen_lines, terminal_output
from tui.core.store import Store
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import NoteDialog
from tui.ui.screens.reader import ReaderScreen

ARTICLE = "000_ad06741e8de65daf"


async def open_article(app, pilot, article_id: str = ARTICLE) -> ReaderScreen:
    app.open_article(article_id)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


def selected(screen: ReaderScreen) -> str:
    start, end = screen.view.selection
    return screen.article.text[start:end]


def stored(store: Path, article_id: str = ARTICLE) -> list[dict]:
    return Store(store, readonly=True).for_article(article_id)


async def test_opens_on_the_first_word_with_entities(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        assert selected(screen) == "New"
        assert screen.model.entities, "entities were recognised"
        assert all(screen.article.text[e.start:e.end] == e.text for e in screen.model.entities)
        text = "\n".join(screen_lines(app))
        assert "Conflicting Views On NATO’s Alliance In Asia" in text
        assert "PERSON" in text or "ORG" in text  # the legend


async def test_an_open_article_is_kept_from_the_cycle_collector_until_closed(make_app) -> None:
    # Full collections over a long article's objects stalled labels by 100+ ms; the
    # objects are frozen while it is open, and must be collectable again once it is closed.
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        gc.unfreeze()
        await open_article(app, pilot)
        assert gc.get_freeze_count() > 0
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert gc.get_freeze_count() == 0


async def test_word_sentence_paragraph_motions(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("w")
        assert selected(screen) == "Telegraph"
        await pilot.press("w", "w")
        assert selected(screen) == "Views"
        await pilot.press("b")
        assert selected(screen) == "Conflicting"
        await pilot.press("p")
        assert selected(screen).startswith("There may be a push")
        await pilot.press("p")
        assert selected(screen).startswith("While Stoltenberg")
        await pilot.press("P")
        assert selected(screen).startswith("There may be a push")
        await pilot.press("s")  # the paragraph is one sentence: on to the next paragraph's first
        assert selected(screen).startswith("While Stoltenberg and others would like")
        await pilot.press("s")
        assert selected(screen).startswith("According to Japanese public broadcaster")
        await pilot.press("right_curly_bracket")
        assert selected(screen).startswith("France can effectively veto")


async def test_entity_jumps(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        first, second, third = screen.model.entities[:3]
        assert first.start == 0  # "New Telegraph", under the cursor already
        await pilot.press("e")
        assert screen.view.selection == (second.start, second.end)
        await pilot.press("e")
        assert screen.view.selection == (third.start, third.end)
        await pilot.press("E", "E")
        assert screen.view.selection == (first.start, first.end)


async def test_extend_mode_and_grow(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("v", "w", "w")
        assert selected(screen) == "New Telegraph\n\nConflicting"
        await pilot.press("escape")
        assert screen.model.extend_anchor is None
        assert isinstance(app.screen, ReaderScreen)  # escape left extend mode, not the article
        await pilot.press("w")
        assert selected(screen) == "Views"
        await pilot.press("shift+right", "shift+right")
        assert selected(screen) == "Views On NATO’s"
        await pilot.press("shift+left")
        assert selected(screen) == "Views On"


async def test_label_note_undo_redo_and_overlap(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("p", "p")  # the headline, then "There may be a push ..."
        await pilot.press("1")
        assert [r["label"] for r in stored(store_dir)] == ["claim"]
        assert "saved claim" in "\n".join(screen_lines(app))
        await pilot.press("2")  # same span, another label: overlap allowed
        await pilot.press("1")  # same label again: no duplicate
        assert sorted(r["label"] for r in stored(store_dir)) == ["claim", "quote"]
        await pilot.press("w", "3")  # factual error asks for a note
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"says Japan, not Paris", "enter")
        records = {r["label"]: r for r in stored(store_dir)}
        assert records["factual error"]["note"] == "says Japan, not Paris"
        assert records["factual error"]["quote"] == "may"
        await pilot.press("c")
        await pilot.press("ctrl+u", *"corrected", "enter")
        assert {r["label"]: r for r in stored(store_dir)}["factual error"]["note"] == "corrected"
        await pilot.press("u")  # undo the note edit
        assert {r["label"]: r for r in stored(store_dir)}["factual error"]["note"] == "says Japan, not Paris"
        await pilot.press("u", "u")  # undo the factual error, then the quote
        assert [r["label"] for r in stored(store_dir)] == ["claim"]
        await pilot.press("ctrl+r")
        assert sorted(r["label"] for r in stored(store_dir)) == ["claim", "quote"]
        await pilot.press("x")  # delete the innermost of mine under the cursor
        assert len(stored(store_dir)) == 1
        await pilot.press("u")
        assert len(stored(store_dir)) == 2
        for record in stored(store_dir):
            assert screen.article.text[record["start"]:record["end"]] == record["quote"]


async def test_escape_in_note_dialog_leaves_it_empty(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await open_article(app, pilot)
        await pilot.press("3", *"abc", "escape")
        records = stored(store_dir)
        assert [(r["label"], r["note"]) for r in records] == [("factual error", "")]


async def test_relabel(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await open_article(app, pilot)
        await pilot.press("w", "1", "r", "2")
        assert [r["label"] for r in stored(store_dir)] == ["quote"]
        await pilot.press("u")
        assert [r["label"] for r in stored(store_dir)] == ["claim"]


async def test_search_next_and_previous(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("slash", *"nato", "enter")
        assert selected(screen) == "NATO"
        first = screen.view.selection
        await pilot.press("n")
        assert screen.view.selection > first and selected(screen).casefold() == "nato"
        await pilot.press("N")
        assert screen.view.selection == first
        await pilot.press("escape")  # clears the matches, stays in the article
        assert isinstance(app.screen, ReaderScreen) and not screen.model.search.matches


async def test_panel_lists_annotations_and_entities_and_jumps(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 30)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("p", "p", "1", "tab")
        assert screen.panel.display and screen.panel.has_focus_within
        text = "\n".join(screen_lines(app))
        assert "Annotations (1)" in text and "claim" in text and "Entities" in text
        await pilot.press("tab")  # closes the panel
        assert not screen.panel.display and screen.view.has_focus
        # Jump back to the annotation from the panel after moving away.
        await pilot.press("p")
        assert selected(screen).startswith("While Stoltenberg")
        await pilot.press("tab", "down", "enter")
        assert selected(screen).startswith("There may be a push")
        # The focus stays in the list, so the arrows keep walking its rows.
        assert screen.panel.has_focus_within and not screen.view.has_focus
        await pilot.press("tab")  # tab always closes an open panel
        assert not screen.panel.display and screen.view.has_focus


async def test_show_everyone(make_app, store_dir: Path) -> None:
    other = make_app(annotator="other")
    async with other.run_test(notifications=True, size=(100, 30)) as pilot:
        await open_article(other, pilot)
        await pilot.press("w", "1")
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        assert screen.model.visible() == []
        await pilot.press("a")
        assert [r["annotator"] for r in screen.model.visible()] == ["other"]
        await pilot.press("w", "x")  # not mine: cannot delete
        assert len(stored(store_dir)) == 1


async def test_done_resume_and_library_counts(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("p", "p", "1", "m")
        position = screen.view.selection[0]
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)
        text = "\n".join(screen_lines(app))
        assert "1 of 5 done" in text and "1 annotations by you" in text
    again = make_app()
    async with again.run_test(notifications=True, size=(100, 30)) as pilot:
        await pilot.pause()
        await again.workers.wait_for_complete()
        assert isinstance(again.screen, ReaderScreen)  # reopened where it was left
        assert again.screen.article.id == ARTICLE
        assert again.screen.view.selection[0] == position


HOSTILE = (
    "Markup [bold red]x[/] and [@click=app.quit]click[/] [link=https://e.test]l[/link] "
    "stray [/ and :smile: here.\n\n"
    "Escapes \x1b[2J\x1b]0;pwned\x07 C1 \x9b31m bidi \u202ereversed\u202c end.\r\n"
    "CJK 你好世界 emoji 👨‍👩‍👧 flag 🇫🇷 combining e\u0301 RTL שלום עולם.\n"
)


async def test_untrusted_text_is_literal_and_never_reaches_the_terminal(make_app, tmp_path: Path) -> None:
    corpus = tmp_path / "hostile"
    corpus.mkdir()
    (corpus / "[bold]evil[-] \x1b[31mtitle.txt").write_text(HOSTILE, encoding="utf-8")
    app = make_app([corpus])
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        library_output = terminal_output(app)
        assert "\x1b[31mtitle" not in library_output
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        text = "\n".join(screen_lines(app))
        assert "[bold red]x[/]" in text and "[@click=app.quit]click[/]" in text
        assert ":smile:" in text and "[/ and" in text
        assert "␛[2J" in text
        output = terminal_output(app)
        for sequence in ("\x1b[2J", "\x1b]0;pwned", "\x9b", "\u202e", "\x07"):
            assert sequence not in output
        # Walk every word: the app survives and every selection is exact.
        for _ in range(40):
            await pilot.press("w")
        await pilot.press("1")
        await pilot.press("tab")
        assert app.is_running
        for record in app.screen.model.editor.records:
            assert HOSTILE[record["start"]:record["end"]] == record["quote"]


async def test_empty_article_opens(make_app, tmp_path: Path, store_dir: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    app = make_app([corpus])
    async with app.run_test(notifications=True, size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert "loading" not in screen.query_one("#legend").info.pipeline  # nothing to recognise
        await pilot.press("w", "s", "p", "e", "quotation_mark")
        assert screen.model.selection == (0, 0)  # nowhere to go, and no error either
        await pilot.press("1")
        assert on_screen(app, "select some text first")
        await pilot.press("slash", "x", "enter")
        assert on_screen(app, "not found: x")
        assert stored(store_dir, "empty") == []
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)


async def test_help_lists_every_reader_key(make_app) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 60)) as pilot:
        await open_article(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        for name in ("reader.next_word", "reader.label_3", "reader.undo", "reader.search",
                     "reader.panel", "reader.quotation", "reader.done"):
            assert name in text
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_keymap_remaps_keys(make_app) -> None:
    from tui.core.config import Settings

    app = make_app(settings=Settings(keymap={"reader.next_word": "l"}))
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("l")
        assert selected(screen) == "Telegraph"


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_sizes(make_app, size) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=size) as pilot:
        screen = await open_article(app, pilot)
        for _ in range(30):
            await pilot.press("s")
        top = screen.view.scroll_offset.y
        line = screen.view.line_of_selection()
        assert top <= line < top + screen.view.scrollable_content_region.height


async def test_labels_file_beside_corpus(make_app, seeds_copy: Path, store_dir: Path) -> None:
    (seeds_copy / "labels.toml").write_text(
        '[[label]]\nname = "spin"\nkey = "1"\ncolor = "purple"\n', encoding="utf-8")
    from tui.core.config import load_labels

    app = make_app([seeds_copy], labels=load_labels(seeds_copy / "labels.toml"))
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await open_article(app, pilot)
        await pilot.press("1")
        assert [r["label"] for r in stored(store_dir)] == ["spin"]
        await pilot.press("w", "2")
        assert len(stored(store_dir)) == 1


async def test_saved_records_are_complete_plain_json(make_app, store_dir: Path) -> None:
    # The tests above read the store through its public API; what they read is the record
    # of the schema, fields in order, and nothing that JSON cannot carry.
    from tui.core.record import FIELDS

    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        await open_article(app, pilot)
        await pilot.press("p", "p", "1")
    records = stored(store_dir)
    assert len(records) == 1
    assert tuple(records[0]) == FIELDS
    assert json.loads(json.dumps(records)) == records
    assert records[0]["quote"].startswith("There may be a push")


EXACT = (
    "Tokyo 東京 says “NATO’s office” is 👨‍👩‍👧 not 🇯🇵🇫🇷 welcome.\r\n"
    "Café e\u0301te\u0301 naïve — שלום עולם and مرحبا said \"the minister\".\r\n\r\n"
    "Third 第三段落 paragraph, with 3.5 percent and U.S. officials.\r\n"
)


async def test_every_stored_annotation_is_exact_on_hostile_text(make_app, tmp_path: Path,
                                                                 store_dir: Path) -> None:
    corpus = tmp_path / "exact"
    corpus.mkdir()
    (corpus / "mixed.txt").write_bytes(EXACT.encode("utf-8"))
    app = make_app([corpus])
    async with app.run_test(notifications=True, size=(60, 20)) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        steps = [("w", "1"), ("w", "w", "2"), ("quotation_mark", "1"), ("w", "w", "w", "1"),
                 ("s", "2"), ("shift+right", "shift+right", "1"), ("p", "1"), ("v", "w", "w", "2"),
                 ("escape", "e", "1"), ("b", "b", "2"), ("S", "1"), ("P", "2"), ("right_curly_bracket", "1")]
        for keys in steps:
            await pilot.press(*keys)
        records = Store(store_dir, readonly=True).for_article("mixed")
        assert len(records) >= 6  # some steps land on a span already labelled the same
        # No selection splits a grapheme cluster.
        bounds = {0, len(EXACT)} | {m.end() for m in regex.finditer(r"\X", EXACT)}
        for record in records:
            assert EXACT[record["start"]:record["end"]] == record["quote"]
            assert record["start"] in bounds and record["end"] in bounds
        quotes = {r["quote"] for r in records}
        assert "NATO’s office" in quotes


async def test_no_color_keeps_entities_and_annotations_apart(make_app, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 30)) as pilot:
        assert app.no_color
        screen = await open_article(app, pilot)
        await pilot.press("p", "p", "1")
        view = screen.view
        styles_seen = set()
        for y in range(view.scrollable_content_region.height):
            for segment in view.render_line(y):
                if segment.style is not None:
                    styles_seen.add((bool(segment.style.bold), bool(segment.style.italic),
                                     bool(segment.style.underline)))
        # Entity types differ by attribute, not only by colour: plain underline (ORG),
        # italic underline (places), bold underline (people); annotations are bold.
        assert (False, False, True) in styles_seen
        assert (False, True, True) in styles_seen
        assert (True, False, False) in styles_seen
        lines = screen_lines(app)
        assert any(line.startswith("C There may be a push") for line in lines)  # gutter letter


async def test_panel_rows_take_x_and_c(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(120, 30)) as pilot:
        screen = await open_article(app, pilot)
        await pilot.press("w", "1", "p", "p", "2")  # "Telegraph" claim, then a quote further on
        assert selected(screen).startswith("There may be a push")
        await pilot.press("tab", "down")  # highlight the first row: the claim on "Telegraph"
        await pilot.press("c", *"from the panel", "enter")
        notes = {r["label"]: r["note"] for r in stored(store_dir)}
        assert notes == {"claim": "from the panel", "quote": ""}
        await pilot.press("x")
        assert [r["label"] for r in stored(store_dir)] == ["quote"]
