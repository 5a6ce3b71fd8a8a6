"""The review screen, driven with Pilot."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import screen_lines, terminal_output
from tui.core.corpus import load_corpus
from tui.core.record import new_annotation
from tui.core.store import Store
from tui.ui.screens.help import HelpScreen
from tui.ui.screens.library import LibraryScreen
from tui.ui.screens.note import NoteDialog
from tui.ui.screens.review import ReviewScreen

ARTICLE = "000_ad06741e8de65daf"
SECOND = "001_826f388884ecbe55"
HEADLINE = "Conflicting Views On NATO’s Alliance In Asia"
PUSH = "There may be a push for greater involvement from Asia-Pacific leaders"


def tag(store: Path, article_id: str, who: str, quote: str, label: str = "claim",
        note: str = "") -> None:
    article = load_corpus([Path(__file__).parent.parent / "seeds"]).get(article_id)
    start = article.text.index(quote)
    Store(store).add(new_annotation(article_id=article.id, text=article.text,
                                    article_sha256=article.sha256, start=start,
                                    end=start + len(quote), label=label, annotator=who, note=note))


def setup(store: Path) -> None:
    tag(store, ARTICLE, "ann", PUSH)
    tag(store, ARTICLE, "bo", PUSH)  # agreed
    tag(store, ARTICLE, "ann", HEADLINE, "quote", note="[bold]not bold[/] \x1b[31m")
    tag(store, ARTICLE, "bo", "Conflicting Views On NATO’s Alliance", "quote")
    tag(store, ARTICLE, "ann", "Stoltenberg", "factual error", note="spelling?")
    tag(store, SECOND, "ann", "Stolenberg", "factual error", note="Stoltenberg")
    tag(store, SECOND, "bo", "Stolenberg", "factual error")


def gold(store: Path, article_id: str = ARTICLE) -> list[tuple[str, str, str]]:
    return sorted((r["quote"], r["label"], r["note"])
                  for r in Store(store, readonly=True).for_article(article_id)
                  if r["annotator"] == "gold")


async def open_review(app, pilot, ids=(ARTICLE,)) -> ReviewScreen:
    screen = ReviewScreen(list(ids), gold="gold")
    app.push_screen(screen)
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    return screen


def shown(app) -> str:
    return "\n".join(screen_lines(app))


async def test_shows_who_said_what_and_progress(make_app, store_dir: Path) -> None:
    setup(store_dir)
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 40)) as pilot:
        await open_review(app, pilot)
        text = shown(app)
        assert "2 of 2 disagreements left" in text
        assert "1 agreed span (1 not yet in gold)" in text
        assert "by bo  ·  not by ann" in text
        assert "“Conflicting Views On NATO’s Alliance”" in text
        # Notes are shown literally: markup stays text, escapes never reach the terminal.
        assert "[bold]not bold[/] ␛[31m" in text
        assert "\x1b[31m" not in terminal_output(app)


async def test_walk_accept_reject_edit_and_agreed(make_app, store_dir: Path) -> None:
    setup(store_dir)
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 40)) as pilot:
        screen = await open_review(app, pilot, ids=(ARTICLE, SECOND))
        await pilot.press("j", "y")  # the second version of the headline: ann's, whole
        assert gold(store_dir) == [(HEADLINE, "quote", "[bold]not bold[/] \x1b[31m")]
        assert "1 of 2 disagreements left" in shown(app)
        # Now at Stoltenberg: edit it into a claim over "Stoltenberg and others", new note.
        assert screen.group.versions[0].quote == "Stoltenberg"
        await pilot.press("e", "shift+right", "shift+right", "1", "c")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press("ctrl+u", *"checked", "enter")
        assert "EDIT" in shown(app)
        await pilot.press("y")
        assert ("Stoltenberg and others", "claim", "checked") in gold(store_dir)
        # No disagreement left; the agreed span waits for A.
        assert "0 of 2 disagreements left" in shown(app)
        assert "A accepts them all" in shown(app)
        await pilot.press("A")
        assert (PUSH, "claim", "") in gold(store_dir)
        # Settled: on to the next article, whose only span is agreed.
        assert screen.review.article.id == SECOND
        await pilot.press("A")
        assert gold(store_dir, SECOND) == [("Stolenberg", "factual error", "Stoltenberg")]
        assert "This was the last article to review" in shown(app)


async def test_reject_and_undo(make_app, store_dir: Path) -> None:
    setup(store_dir)
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 40)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("d")
        assert "✗ rejected" in shown(app)
        assert "2 of 2 disagreements left" in shown(app)  # one version of two rejected
        await pilot.press("d")
        assert "1 of 2 disagreements left" in shown(app)
        await pilot.press("u")
        assert "2 of 2 disagreements left" in shown(app)
        assert screen.group.versions[1].quote == HEADLINE
        await pilot.press("escape")  # back to the library
        assert isinstance(app.screen, LibraryScreen)


async def test_escape_leaves_editing_first(make_app, store_dir: Path) -> None:
    setup(store_dir)
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 40)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("1")  # a label key does nothing unless editing
        assert screen.draft is None
        await pilot.press("e", "full_stop")
        assert screen.draft.start > screen.draft.version.start
        await pilot.press("escape")
        assert screen.draft is None and isinstance(app.screen, ReviewScreen)
        assert gold(store_dir) == []


async def test_every_key_has_an_id_help_and_palette(make_app, store_dir: Path) -> None:
    setup(store_dir)
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 50)) as pilot:
        screen = await open_review(app, pilot)
        assert all(b.id and b.id.startswith("review.") and b.description for b in screen.BINDINGS)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = shown(app)
        for name in ("review.accept", "review.reject", "review.edit", "review.accept_agreed",
                     "review.start_left", "review.end_right", "review.note"):
            assert name in text
        await pilot.press("escape")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Accept", "Reject", "Edit", "Accept agreed", "Next"} <= titles


async def test_keys_can_be_remapped(make_app, store_dir: Path) -> None:
    from tui.core.config import Settings

    setup(store_dir)
    app = make_app(settings=Settings(keymap={"review.accept": "a"}))
    async with app.run_test(notifications=True, size=(110, 40)) as pilot:
        await open_review(app, pilot)
        await pilot.press("a")
        assert len(gold(store_dir)) == 1


async def test_nothing_to_review(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 40)) as pilot:
        await open_review(app, pilot, ids=())
        assert "Nothing to review" in shown(app)
        await pilot.press("y", "d", "A", "n")  # nothing to act on: no crash
        assert isinstance(app.screen, ReviewScreen)


async def test_an_article_missing_from_the_corpus(make_app, store_dir: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(110, 40)) as pilot:
        await open_review(app, pilot, ids=("gone",))
        await pilot.pause()
        text = shown(app)
        assert "no article 'gone' in the corpus" in text
        assert "Nothing to review" in text
