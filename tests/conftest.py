from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seeds, for tests that change or add files."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


def screen_lines(app) -> list[str]:
    """What the terminal shows, one string per row."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def terminal_output(app) -> str:
    """The bytes (as text) the app would write to the terminal for a full redraw."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def make_session(paths, store: Path, **kwargs):
    from tui.core.config import Settings
    from tui.core.corpus import load_corpus
    from tui.core.session import Session

    kwargs.setdefault("annotator", "tester")
    kwargs.setdefault("settings", Settings())
    lazy = kwargs.pop("lazy", False)
    return Session(corpus=load_corpus(paths, lazy=lazy), store_root=store, **kwargs)


@pytest.fixture
def make_app(store_dir: Path):
    """Build a RedlineApp over a corpus with a private store."""

    def build(paths=(SEEDS,), **kwargs):
        from tui.ui.app import RedlineApp

        store = kwargs.pop("store", store_dir)
        return RedlineApp(make_session(list(paths), store, **kwargs))

    return build
