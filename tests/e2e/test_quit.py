"""Leaving: ctrl+q quits cleanly from anywhere; a hang-up keeps every saved annotation."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.e2e.conftest import exported, footer, open_article, open_france
from tests.e2e.terminal import Terminal


def into_library(term: Terminal) -> None:
    term.wait_for(lambda t: "⏎ Open" in footer(t), what="the library")


def into_reader(term: Terminal) -> None:
    open_france(term)


def into_help(term: Terminal) -> None:
    into_reader(term)
    term.press("?")
    term.wait_for("redline keys")


def into_note(term: Terminal) -> None:
    into_reader(term)
    term.press("w", "1")
    term.wait_for("saved claim")
    term.press("c")
    term.wait_for("Note for claim")
    term.type("half a note")


def into_search(term: Terminal) -> None:
    into_reader(term)
    term.press("/")
    term.wait_for(lambda t: "q Library" not in footer(t), what="the search field")
    term.type("Tok")


def into_filter(term: Terminal) -> None:
    into_library(term)
    term.press("/")
    term.wait_for(lambda t: "⏎ Open" not in footer(t), what="the filter field")
    term.type("Fra")


def into_palette(term: Terminal) -> None:
    into_reader(term)
    term.press("ctrl+p")
    term.wait_for("Search for commands")


@pytest.mark.parametrize("where", [into_library, into_reader, into_help, into_note, into_search,
                                   into_filter, into_palette], ids=lambda f: f.__name__[5:])
def test_ctrl_q_quits_cleanly_from_anywhere(redline, where) -> None:
    term = redline("seeds")
    where(term)
    term.quit()


def test_a_hang_up_keeps_every_saved_annotation(redline, workdir: Path) -> None:
    term = redline("seeds", model=None)  # the real pipeline, loading while we work
    open_article(term, "France", "JAPAN: Nato has been rumoured")
    term.press("w", "1")
    term.wait_for("saved claim")
    term.press("s", "2")
    term.wait_for("saved quote")
    term.press("p", "1")
    term.wait_for("saved claim")
    term.signal(signal.SIGHUP)
    assert term.wait_exit() == 129
    term.assert_no_traceback()
    assert sorted(r["label"] for r in exported(workdir)) == ["claim", "claim", "quote"]
