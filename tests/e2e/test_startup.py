"""Start-up in a real terminal: bad corpus files, bad settings, a damaged store.

Each message is on screen as a toast, the app still answers a key, the good
articles open, and ``ctrl+q`` ends it cleanly.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.e2e import corpora
from tests.e2e.conftest import footer, open_article


def corpus(workdir: Path) -> Path:
    folder = workdir / "inbox"
    folder.mkdir()
    return folder


def test_a_binary_file_is_skipped_with_a_message(redline, workdir: Path) -> None:
    folder = corpus(workdir)
    corpora.add_binary(folder)
    corpora.add_good(folder)
    term = redline("inbox")
    term.wait_for_toast("photo.txt: skipped: looks like a binary file, not text")
    term.answers()
    open_article(term, "good", "NATO ministers met in Brussels")
    term.answers()
    term.quit()


def test_a_bad_feed_line_is_named_and_the_rest_of_the_feed_opens(redline, workdir: Path) -> None:
    folder = corpus(workdir)
    corpora.add_feed(folder)
    term = redline("inbox")
    term.wait_for_toast("feed.jsonl:2: skipped: not JSON")
    term.wait_for("Second feed story")
    term.answers()
    open_article(term, "feed-good", "NATO ministers met in Brussels")
    term.quit()


def test_a_latin1_file_opens_with_a_decoding_note(redline, workdir: Path) -> None:
    folder = corpus(workdir)
    corpora.add_latin1(folder)
    term = redline("inbox")
    term.wait_for_toast("latin1.txt: invalid UTF-8")
    term.answers()
    open_article(term, "latin1", "au lait in M")
    term.wait_for("invalid UTF-8")  # the reader's title says so too
    term.press("w", "1")
    term.wait_for("saved claim")
    term.answers()
    term.quit()


def test_more_than_five_warnings_are_summed_up(redline, workdir: Path) -> None:
    folder = corpus(workdir)
    for n in range(7):
        corpora.add_binary(folder, f"blob{n}.txt")
    corpora.add_good(folder)
    term = redline("inbox")
    term.wait_for_toast("... and 2 more warnings (see: redline list)")
    term.answers()
    term.quit()


def test_every_problem_file_at_once_over_the_seeds(redline, workdir: Path) -> None:
    folder = corpus(workdir)
    corpora.add_binary(folder)
    corpora.add_feed(folder)
    corpora.add_latin1(folder)
    term = redline("inbox", "seeds")
    for message in ("photo.txt: skipped: looks like a binary file",
                    "feed.jsonl:2: skipped: not JSON", "latin1.txt: invalid UTF-8"):
        term.wait_for_toast(message)
    open_article(term, "Conflicting", "Conflicting Views")
    term.answers()
    term.press("q")
    term.wait_for(lambda t: "⏎ Open" in footer(t), what="the library again")
    term.answers()
    term.quit()


def test_an_unknown_theme_in_the_settings_is_a_warning(redline, workdir: Path) -> None:
    settings = workdir / "config" / "redline" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('theme = "no-such-theme"\n', encoding="utf-8")
    term = redline("seeds")
    term.wait_for_toast("unknown theme 'no-such-theme' in the settings file; using the default")
    term.answers()
    term.quit()


def test_a_broken_settings_file_is_a_one_line_error(redline, workdir: Path) -> None:
    settings = workdir / "config" / "redline" / "config.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("theme = [unclosed\n", encoding="utf-8")
    term = redline("seeds")
    assert term.wait_exit() == 2
    assert "redline: error:" in term.output() and "config.toml" in term.output()
    term.assert_no_traceback()


def test_a_bad_label_colour_is_a_one_line_error_naming_file_and_label(redline, workdir: Path) -> None:
    labels = workdir / "labels.toml"
    labels.write_text('[[label]]\nname = "claim"\nkey = "1"\n\n'
                      '[[label]]\nname = "spin"\nkey = "2"\ncolor = "bleu"\n', encoding="utf-8")
    term = redline("seeds", "--labels", "labels.toml")
    assert term.wait_exit() == 2
    lines = [line for line in term.output().splitlines() if line.strip()]
    assert len(lines) == 1, term.dump()
    assert lines[0].startswith("redline: error: labels.toml:5:")
    assert "'spin'" in lines[0] and "'bleu'" in lines[0]
    term.assert_no_traceback()


def test_a_named_pipe_in_the_corpus_is_skipped_not_waited_for(redline, workdir: Path) -> None:
    folder = corpus(workdir)
    os.mkfifo(folder / "pipe.txt")  # reading it would block for ever
    os.mkfifo(folder / "stream.jsonl")
    corpora.add_good(folder)
    term = redline("inbox")
    term.wait_for_toast("pipe.txt: skipped: not a regular file")
    term.wait_for_toast("stream.jsonl: skipped: not a regular file")
    term.answers()
    open_article(term, "good", "NATO ministers met in Brussels")
    term.quit()
