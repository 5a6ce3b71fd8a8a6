"""Looks: the library and the reader at 80x24, compared with saved SVG snapshots.

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEEDS, make_session


def build(store: Path):
    from tui.ui.app import RedlineApp

    return RedlineApp(make_session([SEEDS], store))


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_library_snapshot(snap_compare, store_dir: Path) -> None:
    assert snap_compare(build(store_dir), terminal_size=(80, 24), run_before=settle)


def test_reader_snapshot(snap_compare, store_dir: Path) -> None:
    async def annotate(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p", "1", "w", "w", "v", "w", "w", "2", "e")
        await settle(pilot)

    assert snap_compare(build(store_dir), terminal_size=(80, 24), run_before=annotate)


def test_reader_panel_snapshot(snap_compare, store_dir: Path) -> None:
    async def panel(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p", "1", "tab")
        await settle(pilot)

    assert snap_compare(build(store_dir), terminal_size=(100, 30), run_before=panel)
