"""Looks, compared with saved SVG snapshots: every screen, in dark and light themes, in 16
colours (the ANSI theme), with NO_COLOR, at 80x24, 120x40 and 200x60.

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest

from tui.core.config import Settings

SIZES = {"80x24": (80, 24), "120x40": (120, 40), "200x60": (200, 60)}
LOOKS = {
    "dark": {},
    "light": {"theme": "textual-light"},
    "ansi": {"theme": "textual-ansi"},  # the 16 colours of the terminal itself
    "nocolor": {"no_color": True},
}


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def keys(*presses: str):
    async def run(pilot) -> None:
        await settle(pilot)
        for press in presses:
            if press.startswith("type:"):
                await pilot.press(*press[5:])
            else:
                await pilot.press(press)
            await settle(pilot)

    return run


# An annotated passage, a note, a search with a hit inside the claim, the cursor on a match.
READING = ("enter", "p", "p", "1", "s", "w", "3", "type:says Japan, not Paris", "enter",
           "slash", "type:nato", "enter")

CASES = {
    # name: (looks, size, keys)
    "library": ("dark", "80x24", ()),
    "library-wide": ("dark", "200x60", ()),
    "library-light": ("light", "120x40", ()),
    "library-nocolor": ("nocolor", "120x40", ()),
    "library-filter-none": ("dark", "80x24", ("slash", "type:stolenberg")),
    "reader": ("dark", "80x24", READING),
    "reader-120": ("dark", "120x40", READING),
    "reader-wide": ("dark", "200x60", READING),
    "reader-light": ("light", "120x40", READING),
    "reader-ansi": ("ansi", "120x40", READING),
    "reader-nocolor": ("nocolor", "120x40", READING),
    "panel": ("dark", "120x40", (*READING, "tab")),
    "panel-narrow": ("dark", "80x24", (*READING, "tab")),
    "panel-nocolor": ("nocolor", "120x40", (*READING, "tab")),
    "panel-filtered": ("light", "120x40", (*READING, "f", "f", "f", "tab")),
    "note-dialog": ("dark", "80x24", ("enter", "p", "p", "3", "type:the figure is 32, not 31")),
    "note-dialog-light": ("light", "120x40", ("enter", "p", "p", "3", "type:wrong")),
    "search-bar": ("dark", "120x40", ("enter", "slash", "type:pacific")),
    "help": ("dark", "120x40", ("enter", "f1")),
    "help-narrow": ("dark", "80x24", ("enter", "f1")),
    "relabel": ("dark", "120x40", ("enter", "p", "p", "1", "r")),
    "extend": ("nocolor", "80x24", ("enter", "v", "w", "w", "w")),
    # Seed 004: suggestions (a faint band, gutter letters), the cursor on a speech quotation.
    "suggestions": ("dark", "120x40", ("end", "enter", "f", "f", "g", "g")),
    "suggestions-nocolor": ("nocolor", "120x40", ("end", "enter", "f", "f", "g", "g", "tab")),
    # Seed 001, the garbled sentence: compared with the corpus.
    "compare": ("dark", "120x40", ("down", "enter", "slash", "type:informed the opposition",
                                   "enter", "equals_sign")),
    "side-by-side": ("light", "200x60", ("down", "enter", "vertical_line")),
    "export-dialog": ("dark", "80x24", ("enter", "ctrl+p", "type:Export annotations", "enter")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_snapshot(name: str, snap_compare, make_app, monkeypatch) -> None:
    looks, size, presses = CASES[name]
    options = LOOKS[looks]
    if options.get("no_color"):
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(settings=Settings(theme=options.get("theme", "")), annotator="alice")
    assert snap_compare(app, terminal_size=SIZES[size], run_before=keys(*presses))
