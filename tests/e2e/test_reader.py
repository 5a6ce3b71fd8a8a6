"""The reader in a real terminal: every key that has nothing to act on, and saves that fail.

Each message is drawn as a toast, the app still answers a key afterwards, and
nothing the user did is lost.
"""

from __future__ import annotations

import resource
from pathlib import Path

from tests.e2e import corpora
from tests.e2e.conftest import FRANCE, clean_env, exported, footer, open_france
from tests.e2e.terminal import Terminal


def gutter(term: Terminal) -> str:
    """The reader's gutter marks: the one-cell mark left of each row of text."""
    marks = []
    for row in term.rows:
        text = row.lstrip()
        if len(text) > 2 and text[1] == " " and text[0] != " ":
            marks.append(text[0])
    return "".join(marks)


def test_keys_with_nothing_to_act_on_say_so(redline) -> None:
    term = redline("seeds")
    open_france(term)
    term.press_for_toast("no label on key 4", "4")
    term.answers()
    for key in ("x", "c", "r"):
        term.press_for_toast("no annotation of yours under the cursor", key)
        term.answers()
    term.quit()


def test_a_search_with_no_match_says_so(redline) -> None:
    term = redline("seeds")
    open_france(term)
    term.press("/")
    term.wait_for(lambda t: "q Library" not in footer(t), what="the search field")
    term.enter_text("zzqx [bold]")
    term.press_for_toast("not found: zzqx [bold]", "enter")
    term.answers()
    term.press("n")
    term.wait_for("no search (press /)")
    term.press("/")
    term.wait_for(lambda t: "q Library" not in footer(t), what="the search field")
    term.type("Tokyo")  # the old query is selected when the field opens: typing replaces it
    term.wait_for(lambda t: t.field() == "Tokyo", what="the field holding Tokyo")
    term.press("enter")
    term.wait_for("match 1/")
    term.answers()
    term.quit()


def test_an_empty_article_says_there_is_nothing_to_select(redline, workdir: Path) -> None:
    folder = workdir / "inbox"
    folder.mkdir()
    corpora.add_empty(folder)
    term = redline("inbox", model=None)  # the real pipeline: nothing to wait for either way
    term.wait_for(lambda t: "⏎ Open" in footer(t), what="the library")
    term.press("enter")
    term.wait_for(lambda t: "q Library" in footer(t), what="the reader")
    term.press_for_toast("select some text first", "1")
    term.wait_for("entities: none (empty article)")
    assert "loading" not in term.text()
    term.press("w", "s", "p", "e", '"', "x")
    term.answers()
    term.quit()


def test_a_read_only_store_keeps_the_annotation_until_ctrl_s_saves_it(
        redline, workdir: Path, read_only) -> None:
    term = redline("seeds")
    open_france(term)
    store = workdir / "store"
    term.wait_for(lambda t: (store / "readers").is_dir(), what="the store made")
    read_only.lock(store)

    term.press("w")
    term.wait_for("Nato")
    term.press_for_toast("NOT SAVED", "1")
    term.wait_for_toast("no permission to write there")
    term.wait_for("1 UNSAVED (ctrl+s retries)")
    assert "!" in gutter(term)  # the annotation stays on screen, marked unsaved
    term.answers()

    term.press_for_toast("1 annotation NOT SAVED: ctrl+s to retry first", "q")
    assert "q Library" in footer(term)  # still in the reader
    term.press_for_toast("0 saved, 1 still not saved", "ctrl+s")
    term.answers()

    read_only.unlock()
    term.press("ctrl+s")
    term.wait_for("saved 1 annotation")
    term.wait_gone("UNSAVED")
    assert "!" not in gutter(term) and "C" in gutter(term)
    term.press("q")
    term.wait_for(lambda t: "⏎ Open" in footer(t), what="the library")
    term.quit()
    (record,) = exported(workdir)
    assert (record["label"], record["quote"], record["article_id"]) == ("claim", "Nato", FRANCE)


def test_every_change_on_a_read_only_store_fails_visibly_and_changes_nothing(
        redline, workdir: Path, read_only) -> None:
    term = redline("seeds")
    open_france(term)
    term.press("w", "1")
    term.wait_for("saved claim")
    store = workdir / "store"
    read_only.lock(store)
    refused = "no permission to write there"
    term.press_for_toast(refused, "x")
    term.press_for_toast(refused, "u")
    term.press_for_toast(refused, "m")
    term.press("c")
    term.wait_for("Note for claim")
    term.enter_text("[bold]a note[/bold]")
    term.press_for_toast(refused, "enter")
    term.wait_gone("Note for claim")
    term.answers()
    read_only.unlock()
    term.quit()
    (record,) = exported(workdir)
    assert (record["label"], record["quote"], record["note"]) == ("claim", "Nato", "")


def test_a_full_disk_keeps_the_annotation_until_ctrl_s_saves_it(redline, workdir: Path) -> None:
    term = redline("seeds")
    open_france(term)
    term.wait_for(lambda t: (workdir / "store" / "readers").is_dir(), what="the store made")
    _soft, hard = resource.prlimit(term.pid, resource.RLIMIT_FSIZE)
    resource.prlimit(term.pid, resource.RLIMIT_FSIZE, (0, hard))  # every write now fails
    term.press("w")
    term.wait_for("Nato")
    term.press_for_toast("NOT SAVED", "2")
    term.wait_for("1 UNSAVED (ctrl+s retries)")
    term.answers()
    resource.prlimit(term.pid, resource.RLIMIT_FSIZE, (hard, hard))
    term.press("ctrl+s")
    term.wait_for("saved 1 annotation")
    term.quit()
    (record,) = exported(workdir)
    assert (record["label"], record["quote"]) == ("quote", "Nato")


def test_an_annotation_deleted_in_another_session_is_reported(redline, workdir: Path) -> None:
    from tui.core.store import Store

    term = redline("seeds")
    open_france(term)
    term.press("w", "1")
    term.wait_for("saved claim")
    store = Store(workdir / "store")
    (record,) = store.for_article(FRANCE)
    store.delete(FRANCE, record["id"])  # as another annotator's session could
    gone = "is no longer in the store"
    term.press("c")
    term.wait_for("Note for claim")
    term.enter_text("too late")
    term.press_for_toast(gone, "enter")
    term.wait_gone("Note for claim")
    term.press_for_toast(gone, "x")
    term.answers()
    term.quit()


def test_a_damaged_store_is_named_kept_and_never_replaced(redline, workdir: Path) -> None:
    from tui.core.store import Store

    store = Store(workdir / "store")
    article_file = store.path_for(FRANCE)
    reader_file = store.reader_path("tester")
    article_file.write_bytes(b'{"annotations": {"1": {"id": ')
    reader_file.write_bytes(b"\x00\x00 not json")
    term = redline("seeds")
    term.wait_for_toast(f"{reader_file.name}: damaged store file")
    term.answers()
    since = term.toast_count
    open_france(term)
    term.wait_for_toast(f"{article_file.name}: damaged store file", since=since)
    term.press("w")
    term.wait_for("Nato")
    term.press_for_toast("NOT SAVED", "1")
    term.answers()
    term.quit()
    assert article_file.read_bytes() == b'{"annotations": {"1": {"id": '
    assert reader_file.read_bytes() == b"\x00\x00 not json"


def test_a_store_that_cannot_be_made_is_named_and_articles_open_once_it_can(
        redline, workdir: Path, read_only) -> None:
    store = workdir / "store"
    store.mkdir()
    read_only.lock(store)  # empty and unwritable: the store's folders cannot be made
    term = redline("seeds")
    term.wait_for_toast("cannot use store as the store: no permission to write there")
    term.answers()
    term.press_for_toast("cannot use store as the store", "enter")
    assert "⏎ Open" in footer(term)  # still in the library, alive
    term.answers()
    read_only.unlock()
    term.press("enter")
    term.wait_for(lambda t: "q Library" in footer(t), what="the reader")
    term.press("w", "1")
    term.wait_for("saved claim")
    term.quit()
    assert [r["label"] for r in exported(workdir)] == ["claim"]


def test_a_pipeline_that_cannot_load_is_named_and_the_reader_goes_on(
        redline, workdir: Path) -> None:
    packages = workdir / "packages"
    (packages / "en_broken_pipeline").mkdir(parents=True)
    (packages / "en_broken_pipeline" / "__init__.py").write_text("")  # importable, not a pipeline
    term = redline("seeds", model="en_broken_pipeline",
                   env=clean_env(workdir, PYTHONPATH=str(packages)))
    open_france(term)
    term.wait_for_toast("cannot load spaCy pipeline 'en_broken_pipeline'")
    term.wait_for("entities unavailable")
    term.answers()
    term.press("w", "1")
    term.wait_for("saved claim")
    term.quit()


def test_an_orphan_is_listed_and_says_why_it_cannot_be_shown(redline, workdir: Path) -> None:
    from tui.core.record import new_annotation
    from tui.core.store import Store

    old = "A version of the article that is gone, quoting [bold]Nobody[/bold].\n"
    Store(workdir / "store").add(new_annotation(
        article_id=FRANCE, text=old, article_sha256="0" * 64, start=old.index("quoting"),
        end=len(old) - 2, label="quote", annotator="tester"))
    term = redline("seeds")
    open_france(term)
    term.press("tab")
    term.wait_for("Orphans (1): text changed")
    term.wait_for("quote: “quoting [bold]Nobody[/bold]”")
    term.press("down")
    term.press("enter")
    term.wait_for("orphan: its quote is no longer in the text; see redline check")
    term.answers()
    term.quit()


def test_undo_and_redo_on_a_read_only_store_fail_visibly(redline, workdir: Path, read_only) -> None:
    term = redline("seeds")
    open_france(term)
    term.press("w", "1")
    term.wait_for("saved claim")
    term.press("u")
    term.wait_for("undo: add claim")
    read_only.lock(workdir / "store")
    term.press_for_toast("no permission to write there", "ctrl+r")
    term.answers()
    read_only.unlock()
    term.press("ctrl+r")
    term.wait_for("redo: add claim")
    term.press("ctrl+s")
    term.wait_for("nothing to retry")
    term.quit()
    assert [r["label"] for r in exported(workdir)] == ["claim"]
