"""Hostile input, walked as a user would: markup, escape sequences, CJK, emoji, CRLF,
a file name with spaces and a leading dash. Nothing is parsed, nothing reaches the
terminal, every annotation is exact."""

from __future__ import annotations

from pathlib import Path

from tests.e2e import corpora
from tests.e2e.conftest import exported, footer
from tests.e2e.terminal import Terminal, squeeze


def panel(term: Terminal) -> str:
    """The side panel's text: what is between its borders, row after row."""
    return " ".join(row.split("▏")[-1].split("▎")[0] for row in term.rows if "▏" in row)


def test_a_hostile_article_is_shown_literally_and_annotated_exactly(redline, workdir: Path) -> None:
    folder = workdir / "inbox"
    folder.mkdir()
    path = corpora.add_hostile(folder)  # "-hostile name.txt"
    term = redline("--", "inbox/-hostile name.txt")
    term.wait_for(lambda t: "⏎ Open" in footer(t), what="the library")
    term.press("enter")
    term.wait_for(lambda t: "q Library" in footer(t), what="the reader")
    screen = term.text()
    assert "[bold red]markup[/] and [@click=app.quit]click me[/]" in screen
    assert "␛[2J␛]0;pwned␇" in screen  # escapes shown, not obeyed
    assert "北大西洋公约组织" in screen
    for _ in range(12):
        term.press("w")
    term.press("1")
    term.wait_for("saved claim")
    term.press("p", "p", '"')
    term.press("2")
    term.wait_for("saved quote")
    term.press("3")
    term.wait_for("Note for factual error")
    term.enter_text("[bold]not[/bold] [@click=app.quit]x[/] ")
    # A paste can carry what typing cannot: escape sequences, C1 and bidi controls.
    term.write(b"\x1b[200~\x1b]0;pwned\x07 \x1b[31mred \xc2\x9b31m \xe2\x80\xae\x1b[201~")
    term.press("enter")
    term.wait_for("saved factual error")
    term.press("tab")
    shown = squeeze("[bold]not[/bold] [@click=app.quit]x[/]")  # the panel wraps it
    term.wait_for(lambda t: shown in squeeze(panel(t)), what="the note in the panel")
    term.press("tab")  # the panel has the focus: tab hides it
    term.wait_gone("Annotations (3)")
    term.press("/")
    term.wait_for(lambda t: "q Library" not in footer(t), what="the search field")
    term.enter_text("🇫🇷")
    term.press("enter")
    term.wait_for("match 1/1")
    for key in ("t", "a", "m"):
        term.press(key)
    term.wait_for("marked done")
    term.answers()
    term.press("q")
    term.wait_for(lambda t: "⏎ Open" in footer(t), what="the library")
    term.wait_for("done")
    term.quit()

    # Nothing from the text drove the terminal.
    for raw in ("\x1b]0;pwned", "\x9b", "\u202e", "\x1b[2J\x1b]"):
        assert raw.encode() not in term.raw, raw
    text = path.read_bytes().decode("utf-8")
    records = exported(workdir, "inbox")
    assert sorted(r["label"] for r in records) == ["claim", "factual error", "quote"]
    for record in records:
        assert text[record["start"]:record["end"]] == record["quote"]
    (error,) = [r for r in records if r["label"] == "factual error"]
    assert error["note"].startswith("[bold]not[/bold] [@click=app.quit]x[/]")
