"""Export from the command palette: the file written, the line that says so, and errors."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Input, Select

from tests.conftest import on_screen
from tests.test_app_reader import open_article
from tui.ui.screens.export import ExportDialog


async def settle(app, pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def dialog_over_a_claim(app, pilot) -> ExportDialog:
    """The export dialog, opened from seed 000 with one claim in it."""
    await open_article(app, pilot)
    await pilot.press("p", "p", "1")
    app.open_export()
    await settle(app, pilot)
    assert isinstance(app.screen, ExportDialog)
    return app.screen


async def test_export_this_article_from_the_palette(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 40)) as pilot:
        await open_article(app, pilot)
        await pilot.press("p", "p", "1", "w", "w", "3", *"wrong", "enter")
        await pilot.press("ctrl+p")
        await pilot.press(*"Export annotations")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        target = tmp_path / "out" / "mine.jsonl"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert sorted(r["label"] for r in lines) == ["claim", "factual error"]
        assert all(r["offset_unit"] == "codepoint" for r in lines)
        assert on_screen(app, "exported 2 annotations from 1 article (native)")


async def test_export_to_brat_and_a_failure_that_writes_nothing(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 40)) as pilot:
        dialog = await dialog_over_a_claim(app, pilot)
        dialog.query_one("#export-format", Select).value = "brat"
        folder = tmp_path / "brat"
        dialog.query_one("#export-path", Input).value = str(folder)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert sorted(p.suffix for p in folder.iterdir()) == [".ann", ".conf", ".txt"]
        blocked = tmp_path / "file"
        blocked.write_text("a file, not a folder", encoding="utf-8")
        dialog.query_one("#export-format", Select).value = "native"
        dialog.query_one("#export-path", Input).value = str(blocked / "x.jsonl")
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert on_screen(app, "nothing exported")
        assert app.is_running and isinstance(app.screen, ExportDialog)
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportDialog)


async def test_the_dialog_asks_before_replacing_a_file(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(notifications=True, size=(100, 40)) as pilot:
        dialog = await dialog_over_a_claim(app, pilot)
        target = tmp_path / "notes.txt"
        target.write_text("somebody's notes\n", encoding="utf-8")
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert target.read_text(encoding="utf-8") == "somebody's notes\n"
        assert on_screen(app, "exists: press ctrl+e again to replace it")
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert json.loads(target.read_text(encoding="utf-8").splitlines()[0])["label"] == "claim"
        assert on_screen(app, "exported 1 annotation")
