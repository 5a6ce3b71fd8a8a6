"""Regenerate docs/screenshot.svg: the reader on a seed article, annotated, panel open.

    python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def main() -> None:
    from tui.core.config import Settings
    from tui.core.corpus import load_corpus
    from tui.core.session import Session
    from tui.ui.app import RedlineApp

    store = Path(tempfile.mkdtemp()) / "store"
    session = Session(corpus=load_corpus([ROOT / "seeds"]), store_root=store,
                      annotator="reader", settings=Settings())
    app = RedlineApp(session)
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("p", "1", "p", "s", "2", "p", "w", "w", "w", "w", "w", "w", "w", "w")
        await pilot.press("v", "w", "w", "w", "w", "w", "w", "3", *"Macron told NATO, not Paris", "enter")
        await pilot.press("tab", "tab")
        await pilot.pause()
        svg = app.export_screenshot(title="redline")
    (ROOT / "docs" / "screenshot.svg").write_text(svg, encoding="utf-8")


asyncio.run(main())
